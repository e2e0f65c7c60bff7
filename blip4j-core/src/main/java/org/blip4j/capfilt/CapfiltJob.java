package org.blip4j.capfilt;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Objects;
import org.blip4j.engine.Engines;
import org.blip4j.generate.GenerationOptions;
import org.blip4j.task.Blip;
import org.blip4j.task.ModelOptions;

/**
 * Everything a remote worker needs to compute shard parts of a CapFilt run, as plain serializable values (the
 * models are named, never shipped: each worker JVM loads them once). Built on the driver from the run's config
 * and options; {@link #options()} rebuilds equal options on the worker.
 */
public final class CapfiltJob implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String captioner;
    private final String filter;
    private final String device;
    private final int threads;
    private final String out;
    private final String prompt;
    private final double threshold;
    private final int batchSize;
    private final String strategy;
    private final int numBeams;
    private final int maxLength;
    private final int minLength;
    private final double repetitionPenalty;
    private final double lengthPenalty;
    private final boolean earlyStopping;
    private final double topP;
    private final int topK;
    private final double temperature;
    private final int numReturnSequences;
    private final long seed;
    private final boolean suppressEos;

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
        GenerationOptions g = options.generation();
        this.strategy = g.strategy().name();
        this.numBeams = g.numBeams();
        this.maxLength = g.maxLength();
        this.minLength = g.minLength();
        this.repetitionPenalty = g.repetitionPenalty();
        this.lengthPenalty = g.lengthPenalty();
        this.earlyStopping = g.earlyStopping();
        this.topP = g.topP();
        this.topK = g.topK();
        this.temperature = g.temperature();
        this.numReturnSequences = g.numReturnSequences();
        this.seed = g.seed();
        this.suppressEos = g.suppressEos();
    }

    public CapfiltOptions options() {
        GenerationOptions g = new GenerationOptions(GenerationOptions.Strategy.valueOf(strategy), numBeams,
                maxLength, minLength, repetitionPenalty, lengthPenalty, earlyStopping, topP, topK, temperature,
                numReturnSequences, seed, suppressEos);
        return new CapfiltOptions(g, prompt, threshold, batchSize);
    }

    public Path out() {
        return Path.of(out);
    }

    /** Which models (and engine settings) this job needs: workers keep one loaded copy per distinct value. */
    public String modelKey() {
        return captioner + "\n" + filter + "\n" + device + "\n" + threads;
    }

    /** Configures the engine (first call in a JVM wins) and loads the models; the caller keeps them. */
    public CapfiltModels openModels() throws IOException {
        Engines.configure(threads);
        ModelOptions mo = new ModelOptions(device, null, null, null, null);
        Blip c = Blip.load(captioner, mo);
        Blip f = filter.equals(captioner) ? c : Blip.load(filter, mo);
        return new CapfiltModels(c, f);
    }

    /** Computes one shard's part with models this JVM opened; returns the samples read. */
    public int computeShard(String shard, CapfiltModels models) throws IOException {
        return ShardParts.compute(Path.of(shard), out(), models, options(), n -> { });
    }
}
