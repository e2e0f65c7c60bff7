package org.blip4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options shared by pretrain and finetune. */
public final class TrainArgs {
    @Option(names = "--config", required = true,
            description = "YAML/JSON config, or a preset: pretrain, caption_coco, retrieval_coco, vqa, nlvr")
    String config;

    @Option(names = "--out", required = true, description = "run directory (model/, checkpoints/, metrics.jsonl)")
    Path out;

    @Option(names = "--set", description = "override a config key: KEY=VALUE (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--resume", description = "continue from the latest checkpoint in --out")
    boolean resume;

    @Mixin
    EngineOptions engine;
}
