package org.blip4j.train;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TrainerDivergenceTest {

    @Test
    void aNonFiniteLossStopsTrainingNamingTheStepAndTheLoss() {
        Map<String, Double> losses = new LinkedHashMap<>();
        losses.put("loss_itc", 2.0);
        losses.put("loss_itm", Double.NaN);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Trainer.requireFinite(losses, 15, 0, Path.of("run")));
        assertTrue(e.getMessage().contains("step 15") && e.getMessage().contains("loss_itm = NaN"), e.getMessage());
        losses.put("loss_itm", 0.5);
        assertDoesNotThrow(() -> Trainer.requireFinite(losses, 15, 0, Path.of("run")));
    }

    @Test
    void nanNegativeWeightsAreReportedAsDivergence() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> NegativeSampler.multinomial(new Random(1)).choose(new float[][] {{0f, Float.NaN, 1f}}));
        assertTrue(e.getMessage().contains("diverged"), e.getMessage());
    }
}
