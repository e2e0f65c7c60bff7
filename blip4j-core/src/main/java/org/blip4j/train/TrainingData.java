package org.blip4j.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.blip4j.data.AnnotationReader;
import org.blip4j.data.CaptionMode;
import org.blip4j.data.ImageIdMode;
import org.blip4j.data.Sample;
import org.blip4j.data.WebDatasetReader;

/**
 * The training samples a config names: {@code train_file} entries that are BLIP/Karpathy JSON files (images under
 * {@code image_root}) or webdataset shards ({@code .tar}, brace patterns). One sample per caption, as BLIP's
 * datasets do; retrieval fine-tuning numbers distinct images consecutively (its ITC positives and ITM exclusions).
 * VQA reads BLIP's question files ({@link VqaTrainingFile}): one sample per question, with its weighted answers.
 */
public final class TrainingData {
    private TrainingData() {
    }

    /** Where the original downloads its annotation files from (its data/*_dataset.py). */
    static final String ANNOTATION_URL = "https://storage.googleapis.com/sfr-vision-language-research/datasets/";

    public static TrainingSet load(TrainConfig cfg, TrainingTask task, Path baseDir) throws IOException {
        return load(cfg, task, baseDir, List.of());
    }

    /** With extra annotation files for this epoch (pre-training's LAION shard, {@code LaionShards}). */
    public static TrainingSet load(TrainConfig cfg, TrainingTask task, Path baseDir, List<Path> extra)
            throws IOException {
        List<String> files = new ArrayList<>(trainFiles(cfg, task, baseDir));
        extra.forEach(p -> files.add(p.toString()));
        if (files.isEmpty()) {
            throw new IllegalArgumentException(cfg.source() + ": train_file is empty" + (task == TrainingTask.PRETRAIN
                    ? "" : " and no ann_root is given"));
        }
        Path imageRoot = baseDir.resolve(cfg.string("image_root", "."));
        List<Path> jsons = new ArrayList<>();
        List<String> shards = new ArrayList<>();
        for (String f : files) {
            if (f.endsWith(".tar") || f.contains("{")) {
                shards.add(f);
            } else {
                jsons.add(baseDir.resolve(f));
            }
        }
        if (task == TrainingTask.VQA) {
            if (!shards.isEmpty()) {
                throw new IllegalArgumentException(cfg.source() + ": VQA trains on question files, not shards "
                        + shards);
            }
            // the original joins vqa_root / vg_root with each record's image by its "dataset"
            Path vqaRoot = cfg.has("vqa_root") ? baseDir.resolve(cfg.string("vqa_root", ".")) : imageRoot;
            Path vgRoot = cfg.has("vg_root") ? baseDir.resolve(cfg.string("vg_root", ".")) : imageRoot;
            return nonEmpty(VqaTrainingFile.read(jsons, vqaRoot, vgRoot), cfg, files);
        }
        List<Sample> samples = new ArrayList<>();
        if (!jsons.isEmpty()) {
            AnnotationReader reader = (task == TrainingTask.RETRIEVAL ? AnnotationReader.karpathy(imageRoot)
                    .imageIds(ImageIdMode.CONSECUTIVE) : AnnotationReader.blip(imageRoot)).captions(CaptionMode.EXPAND);
            samples.addAll(reader.read(jsons));
        }
        if (!shards.isEmpty()) {
            samples.addAll(WebDatasetReader.create().read(WebDatasetReader.shards(baseDir, shards)));
        }
        return nonEmpty(TrainingSet.of(samples), cfg, files);
    }

    /**
     * {@code train_file} when given; else the original's annotation files under {@code ann_root}: captioning
     * {@code coco_karpathy_train.json}; retrieval {@code coco_karpathy_train.json} or {@code flickr30k_train.json}
     * by {@code dataset}; VQA {@code <name>.json} for each of {@code train_files} (default vqa_train, vqa_val,
     * vg_qa). A missing file is an error naming it and where the original downloads it from.
     */
    static List<String> trainFiles(TrainConfig cfg, TrainingTask task, Path baseDir) {
        List<String> given = cfg.strings("train_file");
        if (!given.isEmpty() || !cfg.has("ann_root") || task == TrainingTask.PRETRAIN) {
            return given;
        }
        List<String> names = switch (task) {
            case CAPTION -> List.of("coco_karpathy_train");
            case RETRIEVAL -> List.of(cfg.string("dataset", "coco").equals("flickr") ? "flickr30k_train"
                    : "coco_karpathy_train");
            case VQA -> cfg.has("train_files") ? cfg.strings("train_files")
                    : List.of("vqa_train", "vqa_val", "vg_qa");
            default -> List.of();
        };
        Path annRoot = baseDir.resolve(cfg.string("ann_root", "."));
        List<String> out = new ArrayList<>();
        for (String name : names) {
            if (!name.matches("[A-Za-z0-9_.-]+")) {
                throw new IllegalArgumentException(cfg.source() + ": train_files entry '" + name
                        + "' is not a plain file name");
            }
            Path f = annRoot.resolve(name + ".json");
            if (!Files.isRegularFile(f)) {
                throw new IllegalArgumentException(cfg.source() + ": ann_root " + annRoot + " has no " + name
                        + ".json (the original downloads it from " + ANNOTATION_URL + name + ".json; blip4j reads "
                        + "no network during training: download it there first)");
            }
            out.add(f.toString());
        }
        return out;
    }

    private static TrainingSet nonEmpty(TrainingSet set, TrainConfig cfg, List<String> files) {
        if (set.samples().isEmpty()) {
            throw new IllegalArgumentException(cfg.source() + ": train_file " + files + " holds no samples");
        }
        return set;
    }
}
