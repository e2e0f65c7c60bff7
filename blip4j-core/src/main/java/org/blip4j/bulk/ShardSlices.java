package org.blip4j.bulk;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.blip4j.util.AtomicFiles;

/**
 * The tasks of a shard job: one per input shard, or, with {@code recordsPerTask > 0}, a shard of more samples cut
 * into fixed slices of that many samples by position (deterministic: the same shard always gives the same
 * slices). A slice task writes {@code PARTS/NAME.slices/FROM-TO.jsonl} atomically (named by its sample range, so
 * a rerun with another N never mistakes an old slice for one of its own); once all slices of a shard exist,
 * {@link #assemble} concatenates them into the shard's part {@code PARTS/NAME.jsonl} (results of every slice in
 * order, then their unreadable-image lines, then the shard summary), byte for byte the part a whole-shard task
 * writes. A retried slice replaces its file; a rerun skips finished shards and finished slices.
 *
 * <p>Slices must hold whole batches ({@link #checkRecordsPerTask}): a record's scores then come from the same
 * batch as in a whole-shard run, so they are the same floats.
 */
public final class ShardSlices {
    private static final String SLICES = ".slices";

    private ShardSlices() {
    }

    /** One task: a whole shard ({@code index} -1) or samples {@code [from, to)} of it as slice {@code index}. */
    public record Task(String shard, int index, int from, int to) implements Serializable {
        public boolean whole() {
            return index < 0;
        }

        public Path path() {
            return Path.of(shard);
        }
    }

    /**
     * @throws IllegalArgumentException unless {@code recordsPerTask} is 0 (whole shards) or a positive multiple of
     *     the batch size
     */
    public static void checkRecordsPerTask(int recordsPerTask, int batchSize) {
        if (recordsPerTask < 0 || (recordsPerTask > 0 && recordsPerTask % batchSize != 0)) {
            throw new IllegalArgumentException("--records-per-task must be 0 (one task per shard) or a multiple of "
                    + "--batch-size " + batchSize + " (slices of whole batches give the whole shard's scores), not "
                    + recordsPerTask);
        }
    }

    /**
     * The tasks of the given shards. With slicing, each shard's samples are counted here (its tar index and texts
     * are read, no image decoded); a shard that cannot be read stays one task, which records its error.
     */
    public static List<Task> plan(ShardJob<?> job, List<Path> shards, int recordsPerTask) {
        List<Task> tasks = new ArrayList<>();
        for (Path shard : shards) {
            String s = shard.toAbsolutePath().normalize().toString();
            int n = 0;
            if (recordsPerTask > 0) {
                try {
                    n = job.samples(shard);
                } catch (IOException e) {
                    n = 0; // the whole-shard task writes the part that records why
                }
            }
            if (n <= recordsPerTask) {
                tasks.add(new Task(s, -1, 0, Integer.MAX_VALUE));
                continue;
            }
            for (int k = 0, from = 0; from < n; k++, from += recordsPerTask) {
                tasks.add(new Task(s, k, from, Math.min(n, from + recordsPerTask)));
            }
        }
        return tasks;
    }

    /** Where a shard's slices go: {@code PARTS/NAME.slices}. */
    public static Path sliceDir(ShardJob<?> job, Path shard) {
        return job.partsDir().resolve(ShardIdentity.partName(shard) + SLICES);
    }

    /** A slice's file: {@code PARTS/NAME.slices/FROM-TO.jsonl}, samples {@code [FROM, TO)}. */
    public static Path sliceFile(ShardJob<?> job, Task slice) {
        return sliceDir(job, slice.path()).resolve(String.format(Locale.ROOT, "%09d-%09d.jsonl", slice.from(),
                slice.to()));
    }

    /**
     * Runs one task unless its output exists (the shard's part, or for a slice its slice file): a retry after the
     * output was written does nothing, a retry before replaces the partial work.
     *
     * @return samples computed (0 when skipped)
     */
    public static <R> int run(ShardJob<R> job, Task task, R resources) throws IOException {
        Path shard = task.path();
        if (job.done(shard)) {
            return 0;
        }
        if (task.whole()) {
            return job.computeShard(shard, resources);
        }
        Path file = sliceFile(job, task);
        if (Files.isRegularFile(file)) {
            return 0;
        }
        return job.computeSlice(shard, task.from(), task.to(), file, resources);
    }

    /** The sliced shards of a plan with their slices in order, in plan order. */
    public static Map<Path, List<Task>> slicedShards(List<Task> tasks) {
        Map<Path, List<Task>> out = new LinkedHashMap<>();
        for (Task t : tasks) {
            if (!t.whole()) {
                out.computeIfAbsent(t.path(), k -> new ArrayList<>()).add(t);
            }
        }
        return out;
    }

    /**
     * Writes a sliced shard's part from its slices' files (all must exist), then deletes the shard's slice
     * directory. Streams line by line: results of every slice in order, then every unreadable-image line, then the
     * first slice's summary (each slice carries the whole shard's).
     *
     * @param slices the shard's slices in order (from {@link #slicedShards})
     */
    public static void assemble(ShardJob<?> job, Path shard, List<Task> slices) throws IOException {
        if (job.done(shard)) {
            deleteSlices(job, shard);
            return;
        }
        for (Task t : slices) {
            if (!Files.isRegularFile(sliceFile(job, t))) {
                throw new IOException(sliceFile(job, t) + ": slice " + t.index() + " of " + shard
                        + " missing; rerun the same command to compute it");
            }
        }
        AtomicFiles.write(job.part(shard), os -> {
            BufferedWriter w = new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8), 1 << 16);
            copyLines(job, slices, Kind.RESULT, w);
            copyLines(job, slices, Kind.SKIPPED, w);
            copyLines(job, slices.subList(0, 1), Kind.SUMMARY, w);
            w.flush();
        });
        deleteSlices(job, shard);
    }

    private enum Kind { RESULT, SKIPPED, SUMMARY }

    private static Kind kind(String line) {
        if (line.startsWith("{\"shard_summary\"")) {
            return Kind.SUMMARY;
        }
        return line.startsWith("{\"skipped\"") ? Kind.SKIPPED : Kind.RESULT;
    }

    private static void copyLines(ShardJob<?> job, List<Task> slices, Kind kind, BufferedWriter w)
            throws IOException {
        for (Task t : slices) {
            try (BufferedReader in = Files.newBufferedReader(sliceFile(job, t), StandardCharsets.UTF_8)) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (!line.isEmpty() && kind(line) == kind) {
                        w.write(line);
                        w.write('\n');
                    }
                }
            }
        }
    }

    /** Removes a shard's slice directory (its slice files, stale ones and temporary files of killed tasks). */
    private static void deleteSlices(ShardJob<?> job, Path shard) throws IOException {
        Path dir = sliceDir(job, shard);
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }
}
