package org.blip4j.capfilt;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.blip4j.bulk.GenerationSpec;
import org.blip4j.bulk.ShardJob;
import org.blip4j.engine.Engines;
import org.blip4j.task.Blip;
import org.blip4j.task.ModelOptions;

/**
 * Everything a remote worker needs to compute shard parts of a CapFilt run, as plain serializable values (the
 * models are named, never shipped: each worker JVM loads them once). Built on the driver from the run's config
 * and options; {@link #options()} rebuilds equal options on the worker.
 */
public final class CapfiltJob implements ShardJob<CapfiltModels> {
    private static final long serialVersionUID = 1L;
    /** How a config names an ensemble of captioners or filters: the models' names joined by this. */
    public static final String ENSEMBLE_SEPARATOR = " + ";
    private static final String ENSEMBLE_SEPARATOR_REGEX = " \\+ ";

    private final String captioner;
    private final String filter;
    private final String device;
    private final int threads;
    private final String out;
    private final String prompt;
    private final double threshold;
    private final int batchSize;
    private final FilterRule filterRule;
    private final GenerationSpec generation;

    /**
     * @param device engine device on the workers ("cpu", "gpu:0")
     * @param threads intra-op threads per worker JVM (0: libtorch's default); set before its engine starts
     */
    public CapfiltJob(CapfiltConfig config, CapfiltOptions options, String device, int threads) {
        this.captioner = config.captioner();
        this.filter = config.filter();
        this.device = Objects.requireNonNull(device, "device");
        this.threads = threads;
        this.out = config.out().toAbsolutePath().normalize().toString();
        this.prompt = options.prompt();
        this.threshold = options.threshold();
        this.batchSize = options.batchSize();
        this.filterRule = options.filterRule();
        this.generation = new GenerationSpec(options.generation());
    }

    public CapfiltOptions options() {
        return new CapfiltOptions(generation.options(), prompt, threshold, batchSize, filterRule);
    }

    public Path out() {
        return Path.of(out);
    }

    /** Which models (and engine settings) this job needs: workers keep one loaded copy per distinct value. */
    @Override
    public String resourceKey() {
        return captioner + "\n" + filter + "\n" + device + "\n" + threads;
    }

    /** Configures the engine (first call in a JVM wins) and loads the models; the caller keeps them. */
    @Override
    public CapfiltModels open() throws IOException {
        Engines.configure(threads);
        ModelOptions mo = new ModelOptions(device, null, null, null, null);
        // an ensemble is recorded as its models joined by ENSEMBLE_SEPARATOR; each distinct model is loaded once
        Map<String, Blip> loaded = new HashMap<>();
        List<Blip> captioners = new ArrayList<>();
        for (String spec : captioner.split(ENSEMBLE_SEPARATOR_REGEX)) {
            captioners.add(load(loaded, spec, mo));
        }
        List<Blip> filters = new ArrayList<>();
        for (String spec : filter.split(ENSEMBLE_SEPARATOR_REGEX)) {
            filters.add(load(loaded, spec, mo));
        }
        return new CapfiltModels(captioners, filters);
    }

    private static Blip load(Map<String, Blip> loaded, String spec, ModelOptions mo) throws IOException {
        Blip b = loaded.get(spec);
        if (b == null) {
            b = Blip.load(spec, mo);
            loaded.put(spec, b);
        }
        return b;
    }

    @Override
    public Path partsDir() {
        return out().resolve(PartStore.DIR);
    }

    @Override
    public int computeSlice(Path shard, int from, int to, Path file, CapfiltModels models) throws IOException {
        return ShardParts.compute(shard, from, to, file, models, options(), n -> { });
    }

    @Override
    public int samples(Path shard) throws IOException {
        return org.blip4j.data.WebDatasetReader.create().readSamples(shard).size();
    }
}
