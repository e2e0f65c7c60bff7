package org.blip4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.blip4j.data.AnnotationFormatException;
import org.blip4j.data.ImageSource;
import org.blip4j.data.Sample;
import org.blip4j.util.JsonLimits;

/**
 * Reads BLIP's VQA training files, {@code [{"question_id", "image", "question", "answer": [..] | "..",
 * "dataset": "vqa" | "vg"}]}, into loader samples (the question is the sample's only caption) and the answers of
 * each sample, by sample key. A missing {@code dataset} counts as "vqa".
 */
public final class VqaTrainingFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private VqaTrainingFile() {
    }

    public static TrainingSet read(List<Path> files, Path imageRoot) throws IOException {
        return read(files, imageRoot, imageRoot);
    }

    /** Images of "vqa" records under {@code vqaRoot}, of "vg" records under {@code vgRoot} (the original's). */
    public static TrainingSet read(List<Path> files, Path vqaRoot, Path vgRoot) throws IOException {
        List<Sample> samples = new ArrayList<>();
        Map<String, WeightedAnswers> answers = new LinkedHashMap<>();
        for (Path file : files) {
            readFile(file, vqaRoot, vgRoot, samples, answers);
        }
        return new TrainingSet(samples, answers);
    }

    private static void readFile(Path file, Path vqaRoot, Path vgRoot, List<Sample> samples,
            Map<String, WeightedAnswers> out) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new AnnotationFormatException(file, -1, "VQA training file not found");
        }
        JsonNode root = JsonLimits.dataMapper().readTree(file.toFile());
        if (root == null || !root.isArray()) {
            throw new AnnotationFormatException(file, -1, "expected a JSON array of question records");
        }
        String label = file.getFileName().toString();
        for (int r = 0; r < root.size(); r++) {
            JsonNode n = root.get(r);
            String image = text(file, r, n, "image");
            String question = text(file, r, n, "question");
            String key = label + "#" + r;
            Path imageRoot = n.path("dataset").asText("vqa").equals("vg") ? vgRoot : vqaRoot;
            samples.add(new Sample(key, new ImageSource.File(imageRoot.resolve(image)), List.of(question),
                    Sample.NO_IMAGE_ID, r));
            out.put(key, answers(file, r, n));
        }
    }

    private static WeightedAnswers answers(Path file, int r, JsonNode n) throws AnnotationFormatException {
        JsonNode a = n.get("answer");
        List<String> given = new ArrayList<>();
        if (a != null && a.isTextual()) {
            given.add(a.asText());
        } else if (a != null && a.isArray()) {
            a.forEach(x -> given.add(x.asText()));
        }
        if (given.isEmpty() || !(a.isTextual() || a.isArray()) || given.stream().anyMatch(String::isEmpty)) {
            throw new AnnotationFormatException(file, r,
                    "field \"answer\" must be a non-empty string or a non-empty list of strings");
        }
        String dataset = n.path("dataset").asText("vqa");
        return switch (dataset) {
            case "vqa" -> WeightedAnswers.byShare(given);
            case "vg" -> {
                if (given.size() != 1) {
                    throw new AnnotationFormatException(file, r, "a Visual Genome record has one answer");
                }
                yield WeightedAnswers.visualGenome(given.get(0));
            }
            default -> throw new AnnotationFormatException(file, r, "unknown dataset '" + dataset
                    + "' (vqa or vg)");
        };
    }

    private static String text(Path file, int r, JsonNode n, String field) throws AnnotationFormatException {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new AnnotationFormatException(file, r, "field \"" + field + "\" must be a non-empty string");
        }
        return v.asText();
    }
}
