package org.blip4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.blip4j.synth.SynthOptions;
import org.blip4j.synth.SynthResult;
import org.blip4j.synth.SyntheticWorld;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code blip synth}: writes the synthetic image-text world (web/human/test splits, VQA companion). */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = "Generate a synthetic captioned-image dataset with a controlled fraction of noisy web texts.")
public final class SynthCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output directory")
    Path out;

    @Option(names = "--seed", defaultValue = "" + SynthOptions.DEFAULT_SEED, description = "default ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--size", defaultValue = "" + SynthOptions.DEFAULT_SIZE,
            description = "web images (default ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--noise", defaultValue = "" + SynthOptions.DEFAULT_NOISE,
            description = "fraction of corrupted web texts (default ${DEFAULT-VALUE})")
    double noise;

    @Option(names = "--image-size", defaultValue = "" + SynthOptions.DEFAULT_IMAGE_SIZE, paramLabel = "PX",
            description = "square image side (default ${DEFAULT-VALUE})")
    int imageSize;

    @Option(names = "--human-size", defaultValue = "0", description = "clean multi-caption images (0: 10%% of --size, "
            + "at least 20)")
    int humanSize;

    @Option(names = "--human-captions", defaultValue = "" + SynthOptions.DEFAULT_HUMAN_CAPTIONS, paramLabel = "N",
            description = "captions per human image, 1-5 (default ${DEFAULT-VALUE})")
    int humanCaptions;

    @Option(names = "--test-size", defaultValue = "0", description = "test images (0: 10%% of --size, at least 20)")
    int testSize;

    @Option(names = "--vision-size", defaultValue = "0", paramLabel = "N", description = "labelled images for "
            + "pre-training the image encoder (blip pretrain-vision; 0: none, the default)")
    int visionSize;

    @Option(names = "--threads", description = "rendering threads (default: all cores; never changes the output)")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        SynthOptions o = SynthOptions.defaults(out).withSeed(seed).withSize(size).withNoise(noise)
                .withImageSize(imageSize).withSplitSizes(humanSize, testSize).withVisionSize(visionSize)
                .withHumanCaptions(humanCaptions);
        if (threads != null) {
            o = o.withThreads(threads);
        }
        SynthResult result = SyntheticWorld.generate(o);
        System.out.println(result.summary());
        System.out.println("tokenizer: " + org.blip4j.synth.SynthTokenizer.write(o.out()));
        return 0;
    }
}
