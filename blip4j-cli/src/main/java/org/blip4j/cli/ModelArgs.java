package org.blip4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.blip4j.task.Blip;
import org.blip4j.task.ModelOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code --model} and the options an original .pth needs (the same as {@code blip convert}). */
public final class ModelArgs {
    @Option(names = "--model", required = true,
            description = "model directory (HF layout), original .pth, hub id ORG/NAME, or builtin:NAME")
    String model;

    @Option(names = "--tokenizer", description = "directory with vocab.txt or tokenizer.json (for a .pth)")
    Path tokenizer;

    @Option(names = "--med-config", description = "original med_config.json (for a .pth)")
    Path medConfig;

    @Option(names = "--vision-heads", description = "ViT attention heads (for a .pth; default width/64)")
    Integer visionHeads;

    @Option(names = "--text-heads", description = "text attention heads (for a .pth; default width/64)")
    Integer textHeads;

    @Mixin
    EngineOptions engine;

    /** An NLVR2 model (two images + a sentence). */
    public org.blip4j.task.Nlvr loadNlvr() throws IOException {
        engine.start();
        return org.blip4j.task.Nlvr.load(model, options());
    }

    ModelOptions options() {
        return new ModelOptions(engine.device, tokenizer, medConfig, visionHeads, textHeads);
    }

    public Blip load() throws IOException {
        engine.start();
        return Blip.load(model, new ModelOptions(engine.device, tokenizer, medConfig, visionHeads, textHeads));
    }
}
