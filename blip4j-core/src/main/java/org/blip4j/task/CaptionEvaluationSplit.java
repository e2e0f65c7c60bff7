package org.blip4j.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.blip4j.data.ImageSource;
import org.blip4j.eval.CaptionReferences;
import org.blip4j.util.JsonLimits;

/**
 * A captioning test split: the images to caption (with the ids their predictions are written under) and the
 * reference captions. Reads either annotation layout BLIP uses: the COCO caption file
 * ({@code {"images": [{"id", "file_name"}], "annotations": [{"image_id", "caption"}]}}) or a Karpathy-style list
 * ({@code [{"image": path, "caption": [...]}]}, id = the file name's trailing number, as BLIP derives it).
 */
public record CaptionEvaluationSplit(List<Long> imageIds, List<ImageSource> images, CaptionReferences references) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public CaptionEvaluationSplit {
        imageIds = List.copyOf(imageIds);
        images = List.copyOf(images);
        if (imageIds.size() != images.size()) {
            throw new IllegalArgumentException(imageIds.size() + " image ids but " + images.size() + " images");
        }
    }

    /** Images (resolved against {@code imageRoot}) and references of either layout. */
    public static CaptionEvaluationSplit read(Path annotations, Path imageRoot) throws IOException {
        CaptionReferences refs = readReferences(annotations);
        JsonNode root = JsonLimits.dataMapper().readTree(annotations.toFile());
        List<Long> ids = new ArrayList<>();
        List<ImageSource> images = new ArrayList<>();
        if (root.isArray()) {
            for (int i = 0; i < root.size(); i++) {
                String image = root.get(i).path("image").asText(); // validated by readKarpathy
                ids.add(CaptionReferences.imageIdFromPath(image, i));
                images.add(new ImageSource.File(imageRoot.resolve(image)));
            }
        } else {
            JsonNode list = root.path("images");
            for (int i = 0; i < list.size(); i++) {
                JsonNode file = list.get(i).get("file_name");
                if (file == null || !file.isTextual() || file.asText().isEmpty()) {
                    throw new IllegalArgumentException(annotations + " images[" + i + "]: missing field \"file_name\""
                            + " (needed to find the image to caption under " + imageRoot + ")");
                }
                ids.add(list.get(i).path("id").asLong()); // validated by readCoco
                images.add(new ImageSource.File(imageRoot.resolve(file.asText())));
            }
        }
        return new CaptionEvaluationSplit(ids, images, refs);
    }

    /** References only (for scoring existing predictions), COCO or Karpathy layout by the JSON's first token. */
    public static CaptionReferences readReferences(Path annotations) throws IOException {
        return switch (firstToken(annotations)) {
            case '[' -> CaptionReferences.readKarpathy(annotations);
            case '{' -> CaptionReferences.readCoco(annotations);
            default -> throw new IllegalArgumentException(annotations + ": expected a COCO caption file ({\"images\","
                    + " \"annotations\"}) or a Karpathy-style JSON list ([{\"image\", \"caption\"}])");
        };
    }

    private static int firstToken(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": annotation file not found");
        }
        try (InputStream in = Files.newInputStream(file)) {
            int c = in.read();
            if (c == 0xEF) { // UTF-8 byte order mark
                in.skipNBytes(2);
                c = in.read();
            }
            while (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                c = in.read();
            }
            return c;
        }
    }
}
