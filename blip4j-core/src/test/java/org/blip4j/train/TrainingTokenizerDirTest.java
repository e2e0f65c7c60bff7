package org.blip4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a training run finds its tokenizer when the config names none. */
class TrainingTokenizerDirTest {
    @TempDir
    Path tmp;

    @Test
    void theShippedPresetWithoutAModelSaysWhatIsMissingAndHowToGiveIt() throws IOException {
        TrainConfig cfg = TrainConfig.load("pretrain");
        IOException e = assertThrows(IOException.class, () -> TrainingModel.tokenizerDir(cfg, tmp, null));
        assertTrue(e.getMessage().contains("no tokenizer") && e.getMessage().contains("--set tokenizer=DIR")
                && e.getMessage().contains("init_from"), e.getMessage());
    }

    @Test
    void theTokenizerBesideANamedModelIsUsed() throws IOException {
        Path model = Files.createDirectories(tmp.resolve("model"));
        Files.writeString(model.resolve("config.json"), "{}");
        Files.writeString(model.resolve("vocab.txt"), "[PAD]\n");
        TrainConfig byConfigFile = TrainConfig.load("pretrain").with(List.of("model_config=model/config.json"));
        assertEquals(model.toAbsolutePath(), TrainingModel.tokenizerDir(byConfigFile, tmp, null).toAbsolutePath());
        TrainConfig byVision = TrainConfig.load("pretrain").with(List.of("init_vision_from=model"));
        assertEquals(model, TrainingModel.tokenizerDir(byVision, tmp, null));
        assertEquals(model, TrainingModel.tokenizerDir(TrainConfig.load("pretrain"), tmp, model), "init_from");
        TrainConfig given = TrainConfig.load("pretrain").with(List.of("tokenizer=tok"));
        assertEquals(tmp.resolve("tok"), TrainingModel.tokenizerDir(given, tmp, model), "an explicit one wins");
    }

    @Test
    void aNamedModelWithoutTokenizerFilesIsNamedInTheError() throws IOException {
        Path model = Files.createDirectories(tmp.resolve("bare"));
        TrainConfig cfg = TrainConfig.load("pretrain").with(List.of("init_vision_from=bare"));
        IOException e = assertThrows(IOException.class, () -> TrainingModel.tokenizerDir(cfg, tmp, null));
        assertTrue(e.getMessage().contains(model.toString()), e.getMessage());
    }
}
