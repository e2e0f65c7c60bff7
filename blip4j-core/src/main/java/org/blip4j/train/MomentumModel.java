package org.blip4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.EnumSet;
import java.util.Map;
import org.blip4j.checkpoint.RawTensor;
import org.blip4j.model.BlipModel;
import org.blip4j.model.BlipModelLoader;
import org.blip4j.model.Part;
import org.blip4j.nn.Parameter;

/**
 * The momentum encoders of ITC (orig {@code models/blip_pretrain.py} {@code copy_params}, {@code _momentum_update}): a
 * copy of the online ViT, text encoder and projections that never receives gradients and follows the online weights by
 * p_m ← m·p_m + (1−m)·p.
 */
public final class MomentumModel implements AutoCloseable {
    public static final EnumSet<Part> PARTS = EnumSet.of(Part.VISION, Part.TEXT_ENCODER, Part.VISION_PROJ,
            Part.TEXT_PROJ);
    private final BlipModel model;
    private final BlipModel online;
    private final double momentum;

    /** A fresh copy of the online model's weights (copy_params). */
    public MomentumModel(BlipModel online, double momentum, NDManager manager) {
        this.online = online;
        this.momentum = momentum;
        this.model = new BlipModel(online.config(), PARTS, online.config().text().encoderHiddenSize(), manager);
        NoGrad.run(() -> {
            for (Parameter p : model.parameters().parameters().values()) {
                p.set(online.parameters().get(p.name()).array().duplicate());
            }
        });
    }

    public BlipModel model() {
        return model;
    }

    /** p_m ← m·p_m + (1 − m)·p for every momentum parameter. */
    public void update() {
        NoGrad.run(() -> {
            for (Parameter p : model.parameters().parameters().values()) {
                try (ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope()) {
                    scope.suppressNotUsedWarning();
                    NDArray src = online.parameters().get(p.name()).array();
                    var target = HostUpdates.view(p.array());
                    var source = target == null ? null : HostUpdates.view(src);
                    if (source != null) {
                        HostUpdates.movingAverage(target, source, (float) momentum, (float) (1 - momentum));
                    } else {
                        p.array().muli(momentum).addi(src.mul(1 - momentum));
                    }
                }
            }
        });
    }

    /** Restores momentum weights from a checkpoint ({@code <name>} keys of the online layout). */
    public void load(Map<String, RawTensor> tensors, NDManager m) {
        for (Parameter p : model.parameters().parameters().values()) {
            RawTensor t = tensors.get(p.name());
            if (t == null) {
                throw new IllegalArgumentException("momentum state lacks " + p.name());
            }
            p.set(BlipModelLoader.toNDArray(t, m));
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
