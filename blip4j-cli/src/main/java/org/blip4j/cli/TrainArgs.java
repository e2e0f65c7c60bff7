package org.blip4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options shared by pretrain and finetune. */
public final class TrainArgs {
    @Option(names = "--config", required = true,
            description = "YAML/JSON config (the original BLIP configs/*.yaml work as they are; keys it lacks come "
                    + "from the task's preset), or a preset: pretrain, caption_coco, retrieval_coco, vqa, nlvr")
    String config;

    @Option(names = "--out", description = "run directory (model/, checkpoints/, metrics.jsonl); required to train")
    Path out;

    @Option(names = "--print-config", description = "print the resolved configuration as JSON (each key's value "
            + "and source: preset, file or set; the model's vision_config and text_config) and exit without "
            + "reading data, tokenizer, checkpoint or network")
    boolean printConfig;

    @Option(names = "--set", description = "override a config key: KEY=VALUE (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--resume", description = "continue from the latest checkpoint in --out")
    boolean resume;

    @Mixin
    EngineOptions engine;
}
