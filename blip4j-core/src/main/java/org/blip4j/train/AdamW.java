package org.blip4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.blip4j.checkpoint.RawTensor;
import org.blip4j.model.BlipModelLoader;
import org.blip4j.model.BlipModelSaver;
import org.blip4j.nn.Parameter;

/**
 * AdamW exactly as torch.optim.AdamW: decoupled weight decay {@code p ← p·(1 − lr·wd)}, then the bias-corrected
 * Adam update. BLIP applies weight decay 0.05 to every parameter (orig {@code pretrain.py}:
 * {@code optim.AdamW(params=model.parameters(), …)}), so there is one group.
 */
public final class AdamW {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final Map<String, NDArray[]> state = new LinkedHashMap<>();
    private long steps;

    public AdamW(double beta1, double beta2, double eps, double weightDecay) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    public static AdamW withWeightDecay(double wd) {
        return new AdamW(0.9, 0.999, 1e-8, wd);
    }

    /**
     * Whether the updates of contiguous CPU tensors (this optimiser's, and the momentum encoders') run as native loops
     * rather than in Java ({@code NativeUpdates}); the same bits either way.
     */
    public static boolean updatesRunNatively() {
        return NativeUpdates.available();
    }

    public long steps() {
        return steps;
    }

    /** One update of every parameter from its accumulated gradient (gradients are left untouched). */
    public void step(List<Parameter> params, double lr, NDManager stateManager) {
        steps++;
        double bc1 = 1 - Math.pow(beta1, steps);
        double bc2 = 1 - Math.pow(beta2, steps);
        double stepSize = lr / bc1;
        double sqrtBc2 = Math.sqrt(bc2);
        HostUpdates.AdamWStep coefficients = new HostUpdates.AdamWStep((float) (1 - lr * weightDecay), (float) beta1,
                (float) (1 - beta1), (float) beta2, (float) (1 - beta2), (float) sqrtBc2, (float) eps,
                (float) stepSize);
        NoGrad.run(() -> {
            for (Parameter p : params) {
                NDArray w = p.array();
                // temporaries of the update are released per parameter; state arrays live on
                try (ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope(); NDArray g = w.getGradient()) {
                    scope.suppressNotUsedWarning();
                    NDArray[] mv = state.computeIfAbsent(p.name(), k -> {
                        NDArray[] fresh = {stateManager.zeros(w.getShape()), stateManager.zeros(w.getShape())};
                        ai.djl.ndarray.NDScope.unregister(fresh);
                        return fresh;
                    });
                    if (updateOnHost(w, g, mv, coefficients)) {
                        continue;
                    }
                    if (weightDecay != 0) {
                        w.muli(1 - lr * weightDecay);
                    }
                    mv[0].muli(beta1).addi(g.mul(1 - beta1));
                    mv[1].muli(beta2).addi(g.mul(g).muli(1 - beta2));
                    NDArray denom = mv[1].sqrt().divi(sqrtBc2).addi(eps);
                    w.subi(mv[0].div(denom).muli(stepSize));
                }
            }
        });
    }

    /** The whole update in one pass over the tensors' memory ({@link HostUpdates}) when all four expose it. */
    private static boolean updateOnHost(NDArray w, NDArray g, NDArray[] mv, HostUpdates.AdamWStep coefficients) {
        var wv = HostUpdates.view(w);
        var gv = wv == null ? null : HostUpdates.view(g);
        var mView = gv == null ? null : HostUpdates.view(mv[0]);
        var vView = mView == null ? null : HostUpdates.view(mv[1]);
        if (vView == null) {
            return false;
        }
        HostUpdates.adamw(wv, gv, mView, vView, coefficients);
        return true;
    }

    /** Optimiser state as tensors ({@code exp_avg.<name>}, {@code exp_avg_sq.<name>}) for checkpoints. */
    public Map<String, RawTensor> stateTensors() {
        Map<String, RawTensor> out = new LinkedHashMap<>();
        state.forEach((name, mv) -> {
            out.put("exp_avg." + name, BlipModelSaver.toRaw(mv[0]));
            out.put("exp_avg_sq." + name, BlipModelSaver.toRaw(mv[1]));
        });
        return out;
    }

    public void load(Map<String, RawTensor> tensors, long stepCount, NDManager m) {
        state.values().forEach(mv -> {
            mv[0].close();
            mv[1].close();
        });
        state.clear();
        for (Map.Entry<String, RawTensor> e : tensors.entrySet()) {
            if (e.getKey().startsWith("exp_avg.")) {
                String name = e.getKey().substring("exp_avg.".length());
                RawTensor sq = tensors.get("exp_avg_sq." + name);
                if (sq == null) {
                    throw new IllegalArgumentException("optimizer state lacks exp_avg_sq." + name);
                }
                state.put(name, new NDArray[] {BlipModelLoader.toNDArray(e.getValue(), m),
                    BlipModelLoader.toNDArray(sq, m)});
            }
        }
        steps = stepCount;
    }
}
