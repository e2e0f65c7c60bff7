package org.blip4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.blip4j.nn.Parameter;
import org.blip4j.nn.ParameterSet;

/**
 * From-scratch initialisation (orig {@code models/vit.py} {@code _init_weights}, BERT-style): weights and embeddings
 * N(0, 0.02) (timm truncates at ±2 absolute, which at std 0.02 never bites), biases 0, LayerNorm weights 1, temp 0.07.
 * Seeded through the engine's RNG.
 */
public final class ModelInitializer {
    private ModelInitializer() {
    }

    /**
     * Seeded: the same seed gives the same weights. The seed goes to torch's generator, which is shared by the whole
     * engine, so use {@link #initialize(ParameterSet, NDManager, double)} where the caller owns that generator.
     */
    public static void initialize(ParameterSet params, NDManager manager, double std, long seed) {
        ai.djl.engine.Engine.getEngine("PyTorch").setRandomSeed((int) seed);
        initialize(params, manager, std);
    }

    /** Draws from torch's generator as it stands, without reseeding it. */
    public static void initialize(ParameterSet params, NDManager manager, double std) {
        for (Parameter p : params.parameters().values()) {
            if (!p.hasArray()) {
                p.set(create(p, manager, std));
            }
        }
    }

    private static NDArray create(Parameter p, NDManager manager, double std) {
        return switch (p.init()) {
            case NORMAL -> manager.randomNormal(0f, (float) std, p.shape(), DataType.FLOAT32);
            case ZEROS -> manager.zeros(p.shape(), DataType.FLOAT32);
            case ONES -> manager.ones(p.shape(), DataType.FLOAT32);
            case CONSTANT -> manager.full(p.shape(), p.initValue(), DataType.FLOAT32);
        };
    }

    /** A model of the given parts with fresh weights. */
    public static BlipModel create(BlipConfig config, java.util.Set<Part> parts, int decoderCrossWidth,
            NDManager manager, long seed) {
        BlipModel model = new BlipModel(config, parts, decoderCrossWidth, manager);
        initialize(model.parameters(), manager, config.text().initializerRange(), seed);
        return model;
    }
}
