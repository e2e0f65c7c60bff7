package org.blip4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.blip4j.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bulk captioning and embedding of shards on {@code local[2]} equal one process (captions.jsonl, matrix, index).
 * {@code capfilt --master local[2]} from the CLI (the module found through its service file) against the same
 * command in one process: byte-identical bootstrapped.json, report and output shards; a rerun resumes.
 */
class SparkLocalCapfiltTest {
    @TempDir
    Path tmp;

    @Test
    void localSparkEqualsOneProcessAndResumes() throws IOException {
        String pattern = ShardWorld.write(tmp.resolve("web"), 5, 6, 1);
        Path one = tmp.resolve("one");
        assertEquals(0, Main.run(ShardWorld.capfiltArgs(pattern, one).toArray(String[]::new)));

        Path spark = tmp.resolve("spark");
        List<String> args = ShardWorld.capfiltArgs(pattern, spark);
        args.addAll(List.of("--master", "local[2]"));
        assertEquals(0, Main.run(args.toArray(String[]::new)));

        assertArrayEquals(Files.readAllBytes(one.resolve("bootstrapped.json")),
                Files.readAllBytes(spark.resolve("bootstrapped.json")));
        assertEquals(Files.readString(one.resolve("report.md")), Files.readString(spark.resolve("report.md")));
        assertArrayEquals(Files.readAllBytes(one.resolve("shards/capfilt-00000.tar")),
                Files.readAllBytes(spark.resolve("shards/capfilt-00000.tar")));
        // the Parquet table holds every record line of the parts (kept and removed), read back by Spark
        List<String> recordLines = new java.util.ArrayList<>();
        try (var parts = Files.list(spark.resolve("parts"))) {
            for (Path p : parts.sorted().toList()) {
                Files.readAllLines(p).stream().filter(l -> l.contains("\"source\"")).forEach(recordLines::add);
            }
        }
        org.apache.spark.sql.SparkSession s = org.apache.spark.sql.SparkSession.builder().master("local[1]")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        try {
            var rows = s.read().parquet(spark.resolve("records.parquet").toString()).collectAsList();
            assertEquals(recordLines.size(), rows.size());
            var keys = new java.util.TreeSet<String>();
            for (var r : rows) {
                keys.add(r.getAs("source") + "/" + r.getAs("shard") + "/" + r.getAs("key") + "/"
                        + r.getAs("text_index") + "/" + r.getAs("kept"));
                assertTrue(((String) r.getAs("metadata")).contains("http://example/"), r.toString());
            }
            var expected = new java.util.TreeSet<String>();
            for (String l : recordLines) {
                var n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(l);
                expected.add(n.get("source").asText() + "/" + n.get("shard").asText() + "/" + n.get("key").asText()
                        + "/" + n.get("text_index").asInt() + "/" + n.get("kept").asBoolean());
            }
            assertEquals(expected, keys);
        } finally {
            s.stop();
        }

        String md = Files.readString(spark.resolve("report.md"));
        assertTrue(md.contains("Input shards: 5 read, 1 unreadable"), md);
        assertTrue(md.contains("1 unreadable (skipped)"), md);

        // a driver killed after some shards: the rerun computes only the missing ones
        Files.delete(spark.resolve("parts/00001.jsonl"));
        Files.delete(spark.resolve("bootstrapped.json"));
        long before = Files.getLastModifiedTime(spark.resolve("parts/00000.jsonl")).toMillis();
        assertEquals(0, Main.run(args.toArray(String[]::new)));
        assertEquals(before, Files.getLastModifiedTime(spark.resolve("parts/00000.jsonl")).toMillis());
        assertArrayEquals(Files.readAllBytes(one.resolve("bootstrapped.json")),
                Files.readAllBytes(spark.resolve("bootstrapped.json")));
    }

    @Test
    void captionAndEmbedOnSparkEqualOneProcess() throws IOException {
        String pattern = ShardWorld.write(tmp.resolve("web"), 4, 5, 3);
        for (String mode : List.of("one", "spark")) {
            List<String> cap = new java.util.ArrayList<>(List.of("caption", "--model", "builtin:shapes-captioner",
                    "--data", pattern, "--out", tmp.resolve("cap-" + mode).toString(), "--sample", "--seed", "5",
                    "--threads", "1"));
            List<String> emb = new java.util.ArrayList<>(List.of("embed", "--model", "builtin:shapes-filter",
                    "--data", pattern, "--out", tmp.resolve("emb-" + mode + ".safetensors").toString(),
                    "--threads", "1"));
            if (mode.equals("spark")) {
                cap.addAll(List.of("--master", "local[2]"));
                emb.addAll(List.of("--master", "local[2]"));
            }
            assertEquals(0, Main.run(cap.toArray(String[]::new)));
            assertEquals(0, Main.run(emb.toArray(String[]::new)));
        }
        byte[] captions = Files.readAllBytes(tmp.resolve("cap-one/captions.jsonl"));
        assertArrayEquals(captions, Files.readAllBytes(tmp.resolve("cap-spark/captions.jsonl")));
        assertEquals(3 * 5 - 1, Files.readAllLines(tmp.resolve("cap-one/captions.jsonl")).size(),
                "3 good shards of 5, one corrupt image; the last shard is not a tar");
        assertArrayEquals(Files.readAllBytes(tmp.resolve("emb-one.safetensors")),
                Files.readAllBytes(tmp.resolve("emb-spark.safetensors")));
        assertArrayEquals(Files.readAllBytes(tmp.resolve("emb-one.safetensors.index.json")),
                Files.readAllBytes(tmp.resolve("emb-spark.safetensors.index.json")));
    }
}
