package org.blip4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.blip4j.demo.ShapesModel;
import org.blip4j.model.BlipConfig;
import org.blip4j.model.BlipConfigJson;
import org.blip4j.model.TextConfig;
import org.blip4j.model.VisionConfig;
import org.blip4j.synth.SynthOptions;
import org.blip4j.synth.SyntheticWorld;
import org.blip4j.text.VocabularyBuilder;

/** A small synthetic world, its vocabulary and a very small model config, for training tests. */
final class TinyWorld {
    final Path dir;

    TinyWorld(Path dir, int size, long seed) throws IOException {
        this(dir, size, seed, 0);
    }

    /** With {@code visionSize} labelled images for image-encoder pre-training. */
    TinyWorld(Path dir, int size, long seed, int visionSize) throws IOException {
        this.dir = dir;
        SyntheticWorld.generate(SynthOptions.defaults(dir).withSize(size).withSeed(seed).withImageSize(64)
                .withSplitSizes(20, 20).withVisionSize(visionSize).withThreads(1));
        JsonNode world = new ObjectMapper().readTree(dir.resolve("world.json").toFile());
        List<String> words = new ArrayList<>();
        world.path("vocabulary").forEach(w -> words.add(w.asText()));
        if (words.isEmpty()) {
            throw new IllegalStateException("world.json has no vocabulary: " + world.fieldNames());
        }
        VocabularyBuilder.write(dir.resolve("tokenizer"), words);
        ShapesModel.writeFor(dir.resolve("shapes_model.json"), 64, dir.resolve("tokenizer"));
        VisionConfig v = new VisionConfig(64, 128, 2, 4, 64, 16, 3, 1e-6, 0.0, 0.0, 0.02);
        TextConfig t = TextConfig.builder().vocabSize(1000).hiddenSize(64).intermediateSize(128).numHiddenLayers(2)
                .numAttentionHeads(4).maxPositionEmbeddings(40).encoderHiddenSize(64).bosTokenId(0).sepTokenId(0)
                .eosTokenId(0).initializerRange(0.125).build();
        BlipConfigJson.write(dir.resolve("model_config.json"), new BlipConfig(t, v, 32, List.of()));
    }

    TrainConfig config(String preset, String... overrides) throws IOException {
        List<String> sets = new ArrayList<>(List.of("tokenizer=tokenizer", "model_config=model_config.json",
                "image_root=.", "image_size=64", "batch_size_train=8", "num_workers=1",
                "save_every_steps=0", "warmup_steps=5", "randaugment=false", "dropout=0.0", "hflip=false"));
        if (preset.startsWith("pretrain") || preset.startsWith("retrieval")) {
            sets.add("queue_size=32");
        }
        sets.addAll(List.of(overrides));
        return TrainConfig.load(preset).with(sets);
    }
}
