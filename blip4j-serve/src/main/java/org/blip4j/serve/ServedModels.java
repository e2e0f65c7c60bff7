package org.blip4j.serve;

import java.io.IOException;
import org.blip4j.index.EmbeddingIndex;
import org.blip4j.task.Blip;

/**
 * The models a server answers with, by role; each optional, at least one. The server does not own them: the
 * caller closes them after the server stopped.
 *
 * @param captioner image-grounded decoder for /v1/caption
 * @param matcher ITM/ITC model for /v1/itm, /v1/embed and /v1/search
 * @param vqa VQA model for /v1/vqa
 * @param index embedding index for /v1/search (needs the matcher that built it)
 */
public record ServedModels(Blip captioner, Blip matcher, Blip vqa, EmbeddingIndex index) {
    public ServedModels {
        if (captioner == null && matcher == null && vqa == null) {
            throw new IllegalArgumentException("give at least one model: --captioner, --matcher or --vqa");
        }
        if (index != null && matcher == null) {
            throw new IllegalArgumentException("--index needs --matcher (the model that embedded it)");
        }
    }

    /** Closes the models and the index. */
    public void closeAll() throws IOException {
        for (Blip b : new Blip[] {captioner, matcher, vqa}) {
            if (b != null) {
                b.close();
            }
        }
        if (index != null) {
            index.close();
        }
    }
}
