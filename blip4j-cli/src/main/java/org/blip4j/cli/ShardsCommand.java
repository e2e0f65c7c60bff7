package org.blip4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.blip4j.capfilt.ShardExport;
import org.blip4j.data.ShardManifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Writes a BLIP JSON dataset as webdataset shards in img2dataset's layout (input for capfilt on Spark). */
@Command(name = "shards", mixinStandardHelpOptions = true,
        description = "Write a BLIP JSON dataset as webdataset shards (img2dataset layout: OUT/00000.tar, ...).")
public final class ShardsCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, description = "BLIP JSON [{image, caption}]")
    Path data;

    @Option(names = "--images", required = true, description = "root the image paths are relative to")
    Path images;

    @Option(names = "--out", required = true, description = "output directory for the shards")
    Path out;

    @Option(names = "--per-shard", defaultValue = "1000", description = "samples per shard (default 1000)")
    int perShard;

    @Override
    public Integer call() throws Exception {
        ShardManifest m = ShardExport.export(data, images, out, perShard);
        System.out.printf("%d samples in %d shards: %s/{00000..%05d}.tar%n", m.samples(), m.shards().size(), out,
                Math.max(0, m.shards().size() - 1));
        return 0;
    }
}
