package org.blip4j.train;

import java.io.IOException;
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

    public static TrainingSet load(TrainConfig cfg, TrainingTask task, Path baseDir) throws IOException {
        List<String> files = cfg.strings("train_file");
        if (files.isEmpty()) {
            throw new IllegalArgumentException(cfg.source() + ": train_file is empty");
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
            return nonEmpty(VqaTrainingFile.read(jsons, imageRoot), cfg, files);
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

    private static TrainingSet nonEmpty(TrainingSet set, TrainConfig cfg, List<String> files) {
        if (set.samples().isEmpty()) {
            throw new IllegalArgumentException(cfg.source() + ": train_file " + files + " holds no samples");
        }
        return set;
    }
}
