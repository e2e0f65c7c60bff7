package org.blip4j.train.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.blip4j.model.ModelInitializer;
import org.blip4j.nn.Linear;
import org.blip4j.nn.Parameter;
import org.blip4j.nn.ParameterSet;
import org.blip4j.train.ContrastiveLoss;
import org.blip4j.train.MatchingLoss;

/**
 * The classification heads of vision pre-training, thrown away afterwards like ImageNet's: an object head reads
 * the patch token under each object's centre (so the patch tokens, which BLIP's cross-attention reads, learn what
 * is drawn where); an image head reads the [CLS] token (which ITC reads) and predicts each image group's label
 * distribution.
 */
final class VisionHeads implements AutoCloseable {
    private final ParameterSet ps = new ParameterSet();
    private final LabelGroups objectGroups;
    private final LabelGroups imageGroups;
    private final Linear objectHead;
    private final Linear imageHead;
    private final int grid;

    VisionHeads(int width, int grid, LabelGroups objectGroups, LabelGroups imageGroups, NDManager m, double std,
            long seed) {
        this.objectGroups = objectGroups;
        this.imageGroups = imageGroups;
        this.grid = grid;
        objectHead = objectGroups.isEmpty() ? null : new Linear(ps, "object_head", width, objectGroups.width(), true);
        imageHead = imageGroups.isEmpty() ? null : new Linear(ps, "image_head", width, imageGroups.width(), true);
        ModelInitializer.initialize(ps, m, std, seed);
    }

    List<Parameter> parameters() {
        return new ArrayList<>(ps.parameters().values());
    }

    /** Row-major index of the patch holding point (x, y). */
    int patchOf(double x, double y) {
        int col = Math.min(grid - 1, (int) (x * grid));
        int row = Math.min(grid - 1, (int) (y * grid));
        return row * grid + col;
    }

    /** Summed loss over groups, or null when the batch carries no label; {@code embeds} (B, 1+N, D). */
    NDArray loss(NDArray embeds, List<VisionExample> batch, NDManager m) {
        NDArray total = null;
        if (objectHead != null) {
            NDArray logits = objectLogits(embeds, batch, m);
            if (logits != null) {
                for (String g : objectGroups.names()) {
                    long[] target = objectTargets(batch, g);
                    NDArray l = MatchingLoss.crossEntropy(slice(logits, objectGroups, g), m.create(target));
                    total = total == null ? l : total.add(l);
                }
            }
        }
        if (imageHead != null) {
            NDArray logits = imageHead.forward(embeds.get(":, 0, :"));
            for (String g : imageGroups.names()) {
                NDArray l = ContrastiveLoss.softCrossEntropy(slice(logits, imageGroups, g),
                        m.create(imageTargets(batch, g), new Shape(batch.size(), imageGroups.size(g))));
                total = total == null ? l : total.add(l);
            }
        }
        return total;
    }

    /** Correct predictions per group: objects by argmax, images by whether the argmax is among the labels. */
    void score(NDArray embeds, List<VisionExample> batch, NDManager m, Accuracy acc) {
        if (objectHead != null) {
            NDArray logits = objectLogits(embeds, batch, m);
            if (logits != null) {
                for (String g : objectGroups.names()) {
                    long[] pred = slice(logits, objectGroups, g).argMax(1).toLongArray();
                    long[] target = objectTargets(batch, g);
                    for (int i = 0; i < pred.length; i++) {
                        acc.add("object " + g, pred[i] == target[i]);
                    }
                }
            }
        }
        if (imageHead != null) {
            NDArray logits = imageHead.forward(embeds.get(":, 0, :"));
            for (String g : imageGroups.names()) {
                long[] pred = slice(logits, imageGroups, g).argMax(1).toLongArray();
                for (int i = 0; i < batch.size(); i++) {
                    List<String> labels = batch.get(i).labels().get(g);
                    if (labels != null && !labels.isEmpty()) {
                        acc.add("image " + g, labels.contains(imageGroups.classes().get(g).get((int) pred[i])));
                    }
                }
            }
        }
    }

    /** (objects in batch, width) logits, or null when the batch has no objects. */
    private NDArray objectLogits(NDArray embeds, List<VisionExample> batch, NDManager m) {
        int objects = batch.stream().mapToInt(e -> e.objects().size()).sum();
        if (objects == 0) {
            return null;
        }
        long b = embeds.getShape().get(0);
        long n = embeds.getShape().get(1) - 1;
        long d = embeds.getShape().get(2);
        // a one-hot selection matrix picks each object's patch token (a matmul keeps it differentiable)
        float[] select = new float[(int) (objects * b * n)];
        int o = 0;
        for (int i = 0; i < batch.size(); i++) {
            for (VisionExample.LabelledPoint p : batch.get(i).objects()) {
                select[(int) (o * b * n + i * n + patchOf(p.x(), p.y()))] = 1f;
                o++;
            }
        }
        NDArray tokens = embeds.get(":, 1:, :").reshape(b * n, d);
        return objectHead.forward(m.create(select, new Shape(objects, b * n)).matMul(tokens));
    }

    private long[] objectTargets(List<VisionExample> batch, String group) {
        List<Long> t = new ArrayList<>();
        for (VisionExample e : batch) {
            for (VisionExample.LabelledPoint p : e.objects()) {
                t.add((long) objectGroups.index(group, p.labels().get(group)));
            }
        }
        return t.stream().mapToLong(Long::longValue).toArray();
    }

    /** Each row: the group's label counts normalised to sum 1 (all zeros when the image has none). */
    private float[] imageTargets(List<VisionExample> batch, String group) {
        int k = imageGroups.size(group);
        float[] t = new float[batch.size() * k];
        for (int i = 0; i < batch.size(); i++) {
            List<String> labels = batch.get(i).labels().get(group);
            if (labels == null || labels.isEmpty()) {
                continue;
            }
            for (String v : labels) {
                t[i * k + imageGroups.index(group, v)] += 1f / labels.size();
            }
        }
        return t;
    }

    private static NDArray slice(NDArray logits, LabelGroups groups, String group) {
        int from = groups.offset(group);
        return logits.get(":, " + from + ":" + (from + groups.size(group)));
    }

    @Override
    public void close() {
        ps.close();
    }
}
