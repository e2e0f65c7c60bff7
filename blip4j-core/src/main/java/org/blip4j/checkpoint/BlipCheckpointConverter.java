package org.blip4j.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.blip4j.util.AtomicFiles;
import org.blip4j.util.JsonLimits;

/**
 * Converts an original BLIP {@code .pth} into an HF model directory ({@code config.json}, {@code model.safetensors},
 * tokenizer and preprocessor files): the engine-free core of {@code blip convert}. The output directory appears
 * complete or not at all: everything is written into a hidden sibling which is then renamed.
 */
public final class BlipCheckpointConverter {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param medConfig    original {@code med_config.json}: text heads, eps, dropouts, pad id (optional)
     * @param tokenizerDir directory whose tokenizer files are copied and whose vocab gives [SEP]/[PAD] (optional)
     * @param imageSize    resize the position embeddings to this image size, as BLIP's loader does (optional)
     */
    public record Options(Path checkpoint, Path out, Path medConfig, Integer visionHeads, Integer textHeads,
                          Path tokenizerDir, Integer imageSize) {
        public Options {
            if (checkpoint == null || out == null) {
                throw new IllegalArgumentException("checkpoint and out are required");
            }
        }

        public static Options of(Path checkpoint, Path out) {
            return new Options(checkpoint, out, null, null, null, null, null);
        }
    }

    /** What was written and what was left out. */
    public record Result(Path out, ObjectNode config, int tensors,
                         Map<OriginalCheckpointRenamer.KeyKind, Integer> dropped) {
    }

    private BlipCheckpointConverter() {
    }

    public static Result convert(Options o) throws IOException {
        Path out = o.out().toAbsolutePath();
        if (Files.exists(out) && !isEmptyDir(out)) {
            throw new IOException(out + ": output directory exists and is not empty");
        }
        JsonNode med = o.medConfig() == null ? null : readJson(o.medConfig());
        Integer sep = null;
        Integer pad = null;
        if (o.tokenizerDir() != null) {
            Map<String, Integer> vocab = TokenizerVocab.read(o.tokenizerDir());
            sep = vocab.get("[SEP]");
            pad = vocab.get("[PAD]");
        }

        OriginalCheckpointRenamer.Result renamed =
                OriginalCheckpointRenamer.rename(TorchCheckpointReader.readStateDict(o.checkpoint()));
        Map<String, RawTensor> weights = new LinkedHashMap<>(renamed.model());
        if (o.imageSize() != null) {
            resizePositions(weights, o.imageSize(), o.checkpoint());
        }
        ObjectNode config;
        try {
            config = BlipConfigInference.infer(weights,
                    new BlipConfigInference.Hints(o.visionHeads(), o.textHeads(), med, sep, pad));
        } catch (IllegalArgumentException e) {
            throw new IOException(o.checkpoint() + ": " + e.getMessage(), e);
        }

        Files.createDirectories(out.getParent());
        Path tmp = Files.createTempDirectory(out.getParent(), "." + out.getFileName() + ".");
        try {
            Files.writeString(tmp.resolve(HfModelDirectory.CONFIG), pretty(config));
            Safetensors.write(tmp.resolve(HfModelDirectory.SAFETENSORS), weights, Map.of("format", "pt"));
            boolean copiedPreprocessor = false;
            if (o.tokenizerDir() != null) {
                for (String name : HfModelDirectory.TOKENIZER_FILES) {
                    copyIfPresent(o.tokenizerDir().resolve(name), tmp.resolve(name));
                }
                copiedPreprocessor = copyIfPresent(o.tokenizerDir().resolve(HfModelDirectory.PREPROCESSOR_CONFIG),
                        tmp.resolve(HfModelDirectory.PREPROCESSOR_CONFIG));
            }
            if (!copiedPreprocessor) {
                Files.writeString(tmp.resolve(HfModelDirectory.PREPROCESSOR_CONFIG),
                        pretty(preprocessorConfig(config.path("vision_config").path("image_size").asInt())));
            }
            if (Files.exists(out)) {
                Files.delete(out); // empty, checked above
            }
            AtomicFiles.moveAtomically(tmp, out);
        } finally {
            deleteTree(tmp);
        }
        return new Result(out, config, weights.size(), renamed.droppedCounts());
    }

    /** BlipImageProcessor settings of the released models: bicubic resize to a square, CLIP mean/std. */
    public static ObjectNode preprocessorConfig(int imageSize) {
        ObjectNode p = JSON.createObjectNode();
        p.put("do_convert_rgb", true);
        p.put("do_normalize", true);
        p.put("do_rescale", true);
        p.put("do_resize", true);
        p.set("image_mean", JSON.valueToTree(List.of(0.48145466, 0.4578275, 0.40821073)));
        p.put("image_processor_type", "BlipImageProcessor");
        p.set("image_std", JSON.valueToTree(List.of(0.26862954, 0.26130258, 0.27577711)));
        p.put("processor_class", "BlipProcessor");
        p.put("resample", 3);
        p.put("rescale_factor", 1 / 255.0);
        ObjectNode size = p.putObject("size");
        size.put("height", imageSize);
        size.put("width", imageSize);
        return p;
    }

    private static void resizePositions(Map<String, RawTensor> w, int imageSize, Path source) throws IOException {
        RawTensor pos = w.get(CheckpointKeys.VISION_POSITION_EMBEDDING);
        RawTensor patch = w.get(CheckpointKeys.VISION_PATCH_EMBEDDING_WEIGHT);
        if (pos == null || patch == null) {
            throw new IOException(source + ": no vision position embedding to resize");
        }
        int patchSize = (int) patch.shape()[2];
        if (imageSize % patchSize != 0) {
            throw new IOException("image size " + imageSize + " is not a multiple of the patch size " + patchSize);
        }
        int grid = imageSize / patchSize;
        if ((long) grid * grid + 1 != pos.shape()[1]) {
            w.put(CheckpointKeys.VISION_POSITION_EMBEDDING,
                    PositionEmbeddingInterpolator.interpolate(pos.asF32(), grid));
        }
    }

    private static JsonNode readJson(Path p) throws IOException {
        try {
            return JsonLimits.configMapper().readTree(p.toFile());
        } catch (IOException e) {
            throw new IOException(p + ": unreadable JSON: " + e.getMessage(), e);
        }
    }

    private static String pretty(JsonNode n) throws IOException {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n";
    }

    private static boolean copyIfPresent(Path from, Path to) throws IOException {
        if (!Files.isRegularFile(from)) {
            return false;
        }
        Files.copy(from, to);
        return true;
    }

    private static boolean isEmptyDir(Path p) throws IOException {
        if (!Files.isDirectory(p)) {
            return false;
        }
        try (Stream<Path> s = Files.list(p)) {
            return s.findAny().isEmpty();
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }

    /** Token → id of a tokenizer directory, from vocab.txt (id = line) or tokenizer.json's model.vocab. */
    static final class TokenizerVocab {
        private TokenizerVocab() {
        }

        static Map<String, Integer> read(Path dir) throws IOException {
            Map<String, Integer> out = new LinkedHashMap<>();
            Path vocab = dir.resolve("vocab.txt");
            Path tokenizer = dir.resolve("tokenizer.json");
            if (Files.isRegularFile(vocab)) {
                List<String> lines = Files.readAllLines(vocab, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    out.putIfAbsent(lines.get(i).strip(), i);
                }
            } else if (Files.isRegularFile(tokenizer)) {
                readJson(tokenizer).path("model").path("vocab").fields()
                        .forEachRemaining(e -> out.put(e.getKey(), e.getValue().asInt()));
            } else {
                throw new IOException(dir + ": tokenizer directory has neither vocab.txt nor tokenizer.json");
            }
            return out;
        }
    }
}
