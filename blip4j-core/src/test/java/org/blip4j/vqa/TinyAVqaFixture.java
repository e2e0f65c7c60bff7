package org.blip4j.vqa;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.blip4j.image.ImageLoader;
import org.blip4j.image.RgbImage;
import org.blip4j.task.Blip;
import org.blip4j.testutil.Fixtures;
import org.blip4j.testutil.Golden;

/** The tiny-a-vqa goldens: model, images, questions, and their JSON/tensor goldens. */
final class TinyAVqaFixture {
    static final int VOCAB = 331;
    static final Path SET = Fixtures.tinyAVqa();

    final Golden golden = new Golden(SET.resolve("golden.safetensors"));
    final JsonNode json;

    TinyAVqaFixture() throws IOException {
        json = new ObjectMapper().readTree(SET.resolve("golden.json").toFile());
    }

    static Blip load() throws IOException {
        return Blip.load(SET.resolve("model").toString());
    }

    List<RgbImage> images() {
        List<RgbImage> out = new ArrayList<>();
        for (JsonNode i : json.get("images")) {
            out.add(ImageLoader.load(SET.resolve(i.get("file").asText())));
        }
        return out;
    }

    List<String> questions() {
        return strings(json.get("questions"), "text");
    }

    List<String> answerList() {
        return strings(json.at("/rank/answer_list"), "text");
    }

    List<String> strings(String pointer) {
        return strings(json.at(pointer), null);
    }

    static List<String> strings(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array) {
            out.add(field == null ? n.asText() : n.get(field).asText());
        }
        return out;
    }

    /** The question states of the fixture's four questions (raw text, as the goldens feed them). */
    QuestionStates questionStates(Blip blip, NDManager m) {
        NDArray embeds = blip.model().imageEmbeds(blip.pixels(images(), m), false);
        return new QuestionEncoder(blip.model(), blip.tokenizer(), false).encode(embeds, questions(), false);
    }

    /** Row {@code r} of a row-major float tensor with rows of {@code width}. */
    static float[] row(float[] all, int r, int width) {
        return java.util.Arrays.copyOfRange(all, r * width, (r + 1) * width);
    }
}
