package org.blip4j.capfilt;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.blip4j.util.AtomicFiles;
import org.blip4j.util.RunDirectoryLock;

/**
 * A whole CapFilt run over files: the web records are cut into parts of {@code shardSize} records, each part is
 * processed by {@link CapfiltStep} and written atomically to {@code OUT/parts}, then the bootstrapped dataset and
 * the report are assembled by streaming the parts. Memory stays that of one part whatever the input size.
 *
 * <p>Restartable: a part file that exists is complete, so a rerun with the same arguments (checked against
 * {@code OUT/capfilt.json}) recomputes only the missing parts; since every record's seed derives from the run seed
 * and its source index, the result equals an uninterrupted run.
 */
public final class CapfiltPipeline {
    public static final String REPORT = "report.md";
    public static final String HISTOGRAM = "itm_histogram.png";
    static final String PROGRESS = "progress.json";

    /** Opens the models when the first part needs them (a finished run reassembles without loading any). */
    @FunctionalInterface
    public interface ModelSource {
        CapfiltModels open() throws IOException;
    }

    /** Progress events (all default to nothing). */
    public interface Listener {
        /** @param doneRecords records of parts completed by earlier runs */
        default void started(int totalRecords, int doneRecords) {
        }

        default void recordsProcessed(int n) {
        }

        default void skipped(CapfiltStep.Skipped s) {
        }

        /** After part {@code part} is on disk (tests throw here to simulate a kill). */
        default void partWritten(int part) throws IOException {
        }

        default void assembling() {
        }
    }

    private final CapfiltConfig config;
    private final CapfiltOptions options;

    public CapfiltPipeline(CapfiltConfig config, CapfiltOptions options) {
        this.config = config;
        this.options = options;
    }

    public CapfiltReport run(ModelSource models, Listener listener) throws IOException {
        checkInputs();
        try (RunDirectoryLock lock = RunDirectoryLock.acquire(config.out())) {
            return runLocked(models, listener);
        }
    }

    private CapfiltReport runLocked(ModelSource models, Listener listener) throws IOException {
        RunArguments.of(config, options).recordOrVerify(config.out());
        NoiseLabels labels = config.noiseLabels() == null ? null : NoiseLabels.read(config.noiseLabels());
        int total = WebRecordReader.count(config.data());
        int partCount = (total + config.shardSize() - 1) / config.shardSize();
        PartStore parts = new PartStore(config.out());
        parts.discardPartialFiles();
        int doneParts = 0;
        int doneRecords = 0;
        for (int p = 0; p < partCount; p++) {
            if (parts.done(p)) {
                doneParts++;
                doneRecords += partSize(p, total);
            }
        }
        listener.started(total, doneRecords);
        CapfiltModels opened = null;
        try (WebRecordReader reader = WebRecordReader.open(config.data(), config.images())) {
            for (int p = 0; p < partCount; p++) {
                int size = partSize(p, total);
                if (parts.done(p)) {
                    reader.skip(size);
                    continue;
                }
                List<WebRecord> chunk = reader.next(size);
                if (opened == null) {
                    opened = models.open();
                }
                CapfiltStep.Result result = CapfiltStep.process(chunk, opened, options, listener::recordsProcessed);
                parts.write(p, result);
                result.skipped().forEach(listener::skipped);
                doneParts++;
                doneRecords += size;
                writeProgress(partCount, total, doneParts, doneRecords, p);
                listener.partWritten(p);
            }
        }
        listener.assembling();
        CapfiltStats stats = new CapfiltStats(labels);
        new BootstrapAssembler(parts, config, stats).assemble(partCount, total);
        CapfiltReport report = stats.report();
        ItmHistogramChart.write(report, options.threshold(), config.out().resolve(HISTOGRAM));
        ReportWriter.write(report, options, config.out().resolve(REPORT), HISTOGRAM);
        return report;
    }

    private void checkInputs() throws IOException {
        if (!Files.isRegularFile(config.data())) {
            throw new IOException(config.data() + ": web data file not found");
        }
        if (!Files.isDirectory(config.images())) {
            throw new IOException(config.images() + ": image root is not a directory");
        }
        if (config.human() != null && !Files.isRegularFile(config.human())) {
            throw new IOException(config.human() + ": human data file not found");
        }
        if (config.noiseLabels() != null && !Files.isRegularFile(config.noiseLabels())) {
            throw new IOException(config.noiseLabels() + ": noise label file not found");
        }
    }

    /** Records in part {@code p} (the last part may be short). */
    private int partSize(int p, int total) {
        return Math.min(config.shardSize(), total - p * config.shardSize());
    }

    /** {@code OUT/progress.json}: how far the run got (informational; the part files are the truth). */
    private void writeProgress(int partCount, int total, int doneParts, int doneRecords, int lastPart)
            throws IOException {
        String json = "{\"records\": " + total + ", \"shard_size\": " + config.shardSize() + ", \"parts\": "
                + partCount + ", \"parts_done\": " + doneParts + ", \"records_done\": " + doneRecords
                + ", \"last_part\": " + lastPart + "}\n";
        AtomicFiles.writeString(config.out().resolve(PROGRESS), json);
    }
}
