package org.blip4j.train.nlvr;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.blip4j.train.TrainConfig;

/** The keys of an NLVR2 fine-tuning config ({@code blip4j/configs/nlvr.yaml}); an unknown key is an error. */
public record NlvrTrainConfig(List<Path> trainFiles, List<Path> valFiles, Path imageRoot, String initFrom,
                              String modelConfig, Path tokenizer, int mergeLayerStart, int imageSize, int batchSize,
                              double weightDecay, double initLr, double minLr, int maxEpoch, double minScale,
                              boolean randAugment, boolean hflip, double dropout, double dropPathRate,
                              double initRange, long seed) {
    static final Set<String> KEYS = Set.of("task", "train_file", "val_file", "image_root", "init_from",
            "model_config", "tokenizer", "nlvr_merge_layer_start", "image_size", "batch_size_train", "weight_decay",
            "init_lr", "min_lr", "max_epoch", "min_scale", "randaugment", "hflip", "dropout", "drop_path_rate",
            "init_range", "seed");

    /** Reads the config; relative paths are resolved against {@code baseDir}. */
    public static NlvrTrainConfig of(TrainConfig c, Path baseDir) {
        Set<String> unknown = new TreeSet<>();
        c.json().fieldNames().forEachRemaining(k -> {
            if (!KEYS.contains(k)) {
                unknown.add(k);
            }
        });
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(c.source() + ": unknown keys " + unknown + " for an nlvr config (known: "
                    + new TreeSet<>(KEYS) + ")");
        }
        String task = c.string("task", "nlvr");
        if (!task.equals("nlvr")) {
            throw new IllegalArgumentException(c.source() + " is a '" + task + "' config, not nlvr");
        }
        List<Path> train = c.strings("train_file").stream().map(baseDir::resolve).toList();
        if (train.isEmpty()) {
            throw new IllegalArgumentException(c.source() + ": train_file lists no NLVR2 annotation file");
        }
        String tok = c.string("tokenizer", null);
        NlvrTrainConfig cfg = new NlvrTrainConfig(train,
                c.has("val_file") ? c.strings("val_file").stream().map(baseDir::resolve).toList() : List.of(),
                baseDir.resolve(c.string("image_root", ".")), c.string("init_from", null),
                modelConfig(c.string("model_config", "base"), baseDir), tok == null ? null : baseDir.resolve(tok),
                c.integer("nlvr_merge_layer_start", 6), c.integer("image_size", 384),
                c.integer("batch_size_train", 16), c.number("weight_decay", 0.05), c.number("init_lr", 3e-5),
                c.number("min_lr", 0), c.integer("max_epoch", 15), c.number("min_scale", 0.5),
                c.bool("randaugment", true), c.bool("hflip", true), c.number("dropout", 0.1),
                c.number("drop_path_rate", 0.1), c.number("init_range", 0.02), c.integer("seed", 42));
        if (cfg.batchSize <= 0 || cfg.maxEpoch <= 0 || cfg.imageSize <= 0) {
            throw new IllegalArgumentException(c.source() + ": batch_size_train, max_epoch and image_size must be > 0");
        }
        return cfg;
    }

    /** A preset name, or the absolute path of a {@code config.json} file named relative to the config. */
    private static String modelConfig(String given, Path baseDir) {
        Path file = baseDir.resolve(given);
        return java.nio.file.Files.isRegularFile(file) ? file.toAbsolutePath().toString() : given;
    }
}
