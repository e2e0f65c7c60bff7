package org.blip4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.blip4j.checkpoint.BlipCheckpointConverter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Converts an original Salesforce .pth into an HF-layout model directory. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Convert an original BLIP .pth checkpoint into an HF-layout directory.")
public final class ConvertCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true) Path checkpoint;
    @Option(names = "--out", required = true) Path out;
    @Option(names = "--med-config", description = "original med_config.json") Path medConfig;
    @Option(names = "--vision-heads") Integer visionHeads;
    @Option(names = "--text-heads") Integer textHeads;
    @Option(names = "--tokenizer", description = "directory with tokenizer files to copy") Path tokenizer;
    @Option(names = "--image-size", description = "resize position embeddings to this image size") Integer imageSize;

    @Override
    public Integer call() throws Exception {
        var r = BlipCheckpointConverter.convert(new BlipCheckpointConverter.Options(checkpoint, out, medConfig,
                visionHeads, textHeads, tokenizer, imageSize));
        System.err.printf("wrote %s: %d tensors, architectures %s; left out %s%n", r.out(), r.tensors(),
                r.config().path("architectures"), r.dropped());
        return 0;
    }
}
