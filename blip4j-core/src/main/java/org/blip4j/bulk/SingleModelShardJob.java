package org.blip4j.bulk;

import java.io.IOException;
import java.nio.file.Path;
import org.blip4j.engine.Engines;
import org.blip4j.task.Blip;
import org.blip4j.task.ModelOptions;

/**
 * A shard job that runs one model (bulk captioning, bulk embedding): the model is named, never shipped, and each
 * worker JVM loads it once per distinct {@link #resourceKey()}.
 */
abstract class SingleModelShardJob implements ShardJob<Blip> {
    private static final long serialVersionUID = 1L;

    final String model;
    final String device;
    final int threads;
    final String out;
    final int batchSize;

    /**
     * @param device engine device on the workers ("cpu", "gpu:0")
     * @param threads intra-op threads per worker JVM (0: libtorch's default); set before its engine starts
     */
    SingleModelShardJob(String model, String device, int threads, Path out, int batchSize) {
        this.model = model;
        this.device = device;
        this.threads = threads;
        this.out = out.toAbsolutePath().normalize().toString();
        this.batchSize = batchSize;
    }

    /** What the job does ("caption", "embed"): jobs of different kinds never share a loaded model entry. */
    abstract String kind();

    @Override
    public String resourceKey() {
        return kind() + "\n" + model + "\n" + device + "\n" + threads;
    }

    @Override
    public int samples(Path shard) throws IOException {
        return ShardPartWriter.reader().readSamples(shard).size();
    }

    /** Configures the engine (first call in a JVM wins) and loads the model; the caller keeps it. */
    @Override
    public Blip open() throws IOException {
        Engines.configure(threads);
        return Blip.load(model, new ModelOptions(device, null, null, null, null));
    }
}
