package org.blip4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.blip4j.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --records-per-task}: shards of 10 samples cut into tasks of 4 (3 slices each, the second shard's first
 * slice with a corrupt image) give the whole-shard parts byte for byte, in one process on 2 worker threads and on
 * {@code local[2]}: the same bootstrapped.json, report, captions and vectors.
 */
class SparkSlicedShardsTest {
    @TempDir
    Path tmp;

    /** Registered through {@code spark.extraListeners}: the task count of every stage the CLI's session runs. */
    public static final class StageSizes extends org.apache.spark.scheduler.SparkListener {
        static final List<Integer> TASKS = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onStageSubmitted(org.apache.spark.scheduler.SparkListenerStageSubmitted s) {
            TASKS.add(s.stageInfo().numTasks());
        }
    }

    @org.junit.jupiter.api.BeforeAll
    static void countStages() {
        System.setProperty("spark.extraListeners", StageSizes.class.getName());
    }

    @Test
    void slicedCapfiltEqualsWholeShardsHereAndOnSpark() throws IOException {
        String pattern = ShardWorld.write(tmp.resolve("web"), 3, 10, 7);
        StageSizes.TASKS.clear();
        Path whole = tmp.resolve("whole");
        assertEquals(0, Main.run(ShardWorld.capfiltArgs(pattern, whole).toArray(String[]::new)));
        for (String master : List.of("", "local[2]")) {
            Path out = tmp.resolve("sliced" + master.replaceAll("\\W", ""));
            List<String> args = ShardWorld.capfiltArgs(pattern, out);
            args.addAll(List.of("--records-per-task", "4", "--workers", "2"));
            if (!master.isEmpty()) {
                args.addAll(List.of("--master", master));
            }
            assertEquals(0, Main.run(args.toArray(String[]::new)));
            assertArrayEquals(Files.readAllBytes(whole.resolve("bootstrapped.json")),
                    Files.readAllBytes(out.resolve("bootstrapped.json")), master);
            assertEquals(Files.readString(whole.resolve("report.md")), Files.readString(out.resolve("report.md")));
            for (String part : List.of("00000.jsonl", "00001.jsonl", "00002.jsonl")) {
                assertArrayEquals(Files.readAllBytes(whole.resolve("parts").resolve(part)),
                        Files.readAllBytes(out.resolve("parts").resolve(part)), master + " " + part);
            }
            assertFalse(Files.exists(out.resolve("parts/00000.slices")), "slices are removed once joined");
        }
        // on Spark, one stage of 7 tasks: 3 slices of each 10-sample shard, the unreadable shard whole
        assertEquals(7, StageSizes.TASKS.get(0), StageSizes.TASKS.toString());
        // 3 slices of 4: a batch size that does not divide it is refused (its batches would differ)
        List<String> bad = ShardWorld.capfiltArgs(pattern, tmp.resolve("bad"));
        bad.addAll(List.of("--records-per-task", "6"));
        assertNotEquals(0, Main.run(bad.toArray(String[]::new)));
    }

    @Test
    void slicedCaptionAndEmbedEqualWholeShardsOnSpark() throws IOException {
        String pattern = ShardWorld.write(tmp.resolve("web"), 3, 10, 9);
        StageSizes.TASKS.clear();
        for (String mode : List.of("whole", "sliced")) {
            List<String> cap = new ArrayList<>(List.of("caption", "--model", "builtin:shapes-captioner", "--data",
                    pattern, "--out", tmp.resolve("cap-" + mode).toString(), "--sample", "--seed", "5",
                    "--threads", "1", "--batch-size", "2"));
            List<String> emb = new ArrayList<>(List.of("embed", "--model", "builtin:shapes-filter", "--data",
                    pattern, "--out", tmp.resolve("emb-" + mode + ".safetensors").toString(), "--threads", "1",
                    "--batch-size", "2"));
            if (mode.equals("sliced")) {
                for (List<String> a : List.of(cap, emb)) {
                    a.addAll(List.of("--master", "local[2]", "--records-per-task", "4"));
                }
            }
            assertEquals(0, Main.run(cap.toArray(String[]::new)));
            assertEquals(0, Main.run(emb.toArray(String[]::new)));
        }
        assertEquals(List.of(7, 7), StageSizes.TASKS, "one stage of 3 + 3 + 1 tasks per command");
        assertArrayEquals(Files.readAllBytes(tmp.resolve("cap-whole/captions.jsonl")),
                Files.readAllBytes(tmp.resolve("cap-sliced/captions.jsonl")));
        assertEquals(2 * 10 - 1, Files.readAllLines(tmp.resolve("cap-sliced/captions.jsonl")).size());
        assertArrayEquals(Files.readAllBytes(tmp.resolve("emb-whole.safetensors")),
                Files.readAllBytes(tmp.resolve("emb-sliced.safetensors")));
        assertArrayEquals(Files.readAllBytes(tmp.resolve("emb-whole.safetensors.index.json")),
                Files.readAllBytes(tmp.resolve("emb-sliced.safetensors.index.json")));
        assertArrayEquals(Files.readAllBytes(tmp.resolve("emb-whole.safetensors.parts/00001.jsonl")),
                Files.readAllBytes(tmp.resolve("emb-sliced.safetensors.parts/00001.jsonl")));
    }
}
