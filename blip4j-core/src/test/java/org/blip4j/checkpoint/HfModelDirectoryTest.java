package org.blip4j.checkpoint;

import static org.blip4j.checkpoint.TensorAsserts.assertSameTensors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.blip4j.testutil.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HfModelDirectoryTest {
    static Map<String, RawTensor> tinyA() throws IOException {
        return Safetensors.read(Fixtures.tinyAModel().resolve("model.safetensors"));
    }

    /** Writes tiny-a as two safetensors shards plus an index, the layout save_pretrained produces. */
    static void writeSharded(Path dir) throws IOException {
        Map<String, RawTensor> all = new TreeMap<>(tinyA());
        Map<String, RawTensor> a = new LinkedHashMap<>();
        Map<String, RawTensor> b = new LinkedHashMap<>();
        StringBuilder map = new StringBuilder();
        for (var e : all.entrySet()) {
            boolean first = e.getKey().startsWith("text_decoder");
            (first ? a : b).put(e.getKey(), e.getValue());
            String shard = first ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors";
            map.append(map.length() == 0 ? "" : ",\n").append("    \"").append(e.getKey()).append("\": \"")
                    .append(shard).append('"');
        }
        Safetensors.write(dir.resolve("model-00001-of-00002.safetensors"), a, Map.of("format", "pt"));
        Safetensors.write(dir.resolve("model-00002-of-00002.safetensors"), b, Map.of("format", "pt"));
        Files.writeString(dir.resolve("model.safetensors.index.json"),
                "{\n  \"metadata\": {\"total_size\": 1},\n  \"weight_map\": {\n" + map + "\n  }\n}\n");
        Files.copy(Fixtures.tinyAModel().resolve("config.json"), dir.resolve("config.json"));
    }

    @Test
    void singleSafetensorsWithTokenizerFiles() throws IOException {
        HfModelDirectory d = HfModelDirectory.open(Fixtures.tinyAModel());
        assertEquals(HfModelDirectory.WeightsFormat.SAFETENSORS, d.weightsFormat());
        assertSameTensors(tinyA(), d.loadWeights());
        assertEquals(4, d.tokenizerFiles().size());
        assertTrue(d.preprocessorConfig().isPresent());
        assertTrue(d.tokenizerJson().orElseThrow().endsWith("tokenizer.json"));
    }

    @Test
    void shardedSafetensors(@TempDir Path dir) throws IOException {
        writeSharded(dir);
        HfModelDirectory d = HfModelDirectory.open(dir);
        assertEquals(HfModelDirectory.WeightsFormat.SAFETENSORS_SHARDED, d.weightsFormat());
        assertEquals(2, d.weightFiles().size());
        assertSameTensors(tinyA(), d.loadWeights());
        assertTrue(d.tokenizerFiles().isEmpty());

        Files.delete(dir.resolve("model-00002-of-00002.safetensors"));
        IOException e = assertThrows(IOException.class, () -> HfModelDirectory.open(dir));
        assertTrue(e.getMessage().contains("model-00002-of-00002.safetensors") && e.getMessage().contains(dir.toString()),
                e.getMessage());
    }

    @Test
    void pytorchBin(@TempDir Path dir) throws IOException {
        Files.copy(Fixtures.resource("checkpoint/pytorch_model.bin"), dir.resolve("pytorch_model.bin"));
        Files.copy(Fixtures.tinyAModel().resolve("config.json"), dir.resolve("config.json"));
        HfModelDirectory d = HfModelDirectory.open(dir);
        assertEquals(HfModelDirectory.WeightsFormat.PYTORCH_BIN, d.weightsFormat());
        assertSameTensors(tinyA(), d.loadWeights());
    }

    @Test
    void missingPiecesAreNamed(@TempDir Path dir) throws IOException {
        IOException e = assertThrows(IOException.class, () -> HfModelDirectory.open(dir));
        assertTrue(e.getMessage().contains(dir + ": no config.json"), e.getMessage());
        Files.writeString(dir.resolve("config.json"), "{}");
        e = assertThrows(IOException.class, () -> HfModelDirectory.open(dir));
        assertTrue(e.getMessage().contains("no weights") && e.getMessage().contains("model.safetensors"), e.getMessage());
        Files.writeString(dir.resolve("model.safetensors.index.json"), "{\"metadata\": {}}");
        e = assertThrows(IOException.class, () -> HfModelDirectory.open(dir));
        assertTrue(e.getMessage().contains("weight_map"), e.getMessage());
        e = assertThrows(IOException.class, () -> HfModelDirectory.open(dir.resolve("absent")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void shardIndexesCannotNameFilesOutsideTheDirectory(@TempDir Path root) throws IOException {
        Path dir = Files.createDirectories(root.resolve("model"));
        Files.writeString(dir.resolve("config.json"), "{}");
        Files.writeString(root.resolve("outside.safetensors"), "x");
        for (String shard : new String[] {"../outside.safetensors", "/etc/passwd", "..", ".hidden", "a\\b",
                "sub/model.safetensors", "C:model", "nul\u0000.safetensors", ""}) {
            String json = "{\"weight_map\": {\"w\": " + new com.fasterxml.jackson.databind.ObjectMapper()
                    .writeValueAsString(shard) + "}}";
            Files.writeString(dir.resolve("model.safetensors.index.json"), json);
            IOException e = assertThrows(IOException.class, () -> HfModelDirectory.open(dir), shard);
            assertTrue(e.getMessage().contains("invalid shard") && e.getMessage().contains("'w'"), e.getMessage());
        }
    }
}
