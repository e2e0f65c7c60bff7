package org.blip4j.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.blip4j.image.RgbImage;
import org.blip4j.task.Embedder;
import org.blip4j.task.TextOptions;

/**
 * {@code POST /v1/embed}: the normalised ITC embedding of an {@code image} upload or a {@code text}, as the
 * {@code embed} command writes them; images are embedded together, texts together.
 */
final class EmbedRoute implements Route {
    private final ModelRoute model;

    EmbedRoute(ModelRoute model) {
        this.model = model;
    }

    @Override
    public CompletableFuture<Object> handle(Form form, Admission.Ticket ticket) {
        return embed(form, ticket).thenApply(v -> Json.map("embedding", v));
    }

    /** The query vector of a form with exactly one of {@code image} or {@code text}. */
    CompletableFuture<float[]> embed(Form form, Admission.Ticket ticket) {
        boolean image = form.has("image");
        boolean text = !form.strings("text").isEmpty();
        if (image == text) {
            throw new ApiException(400, "give exactly one of the fields 'image' (upload) or 'text'");
        }
        if (text) {
            List<String> texts = form.strings("text");
            if (texts.size() != 1 || texts.get(0).length() > ItmRoute.MAX_TEXT_CHARS) {
                throw ApiException.badField("text", "give one text of at most " + ItmRoute.MAX_TEXT_CHARS
                        + " characters");
            }
            return embedText(texts.get(0));
        }
        RgbImage img = form.image("image", model.decoding(), ticket).image();
        return model.batcher().submit("embed-image", this::embedImages, img);
    }

    CompletableFuture<float[]> embedText(String text) {
        return model.batcher().submit("embed-text", this::embedTexts, text);
    }

    private List<float[]> embedImages(List<RgbImage> images) {
        return List.of(embedder().embedImages(images));
    }

    private List<float[]> embedTexts(List<String> texts) {
        return new ArrayList<>(List.of(embedder().embedTexts(texts)));
    }

    private Embedder embedder() {
        return new Embedder(model.blip(), TextOptions.retrieval(), model.batchSize());
    }
}
