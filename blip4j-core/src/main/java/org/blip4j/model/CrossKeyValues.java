package org.blip4j.model;

import ai.djl.ndarray.NDArray;
import java.util.List;
import org.blip4j.nn.Linear;
import org.blip4j.nn.Ops;

/**
 * The encoder side of every cross-attention layer: each layer's keys and values of a set of encoder states (images),
 * projected once per distinct encoder row, optionally with a row index saying which encoder row each text row
 * attends to.
 *
 * <p>Why: ITM with hard negatives pairs every image with several texts (orig {@code models/blip_pretrain.py}
 * {@code BLIP_Pretrain.forward} concatenates 3B image sequences), and in pre-training the decoder's cross-attention
 * weights are the encoder's ({@code tie_encoder_decoder_weights} skips only self-attention), so the LM pass needs the
 * same keys/values again. The original projects 4B image sequences per layer; this projects B and gathers. Same
 * numbers up to float reassociation; autograd sums the gradients of every use.
 */
public final class CrossKeyValues {
    private final NDArray states;
    private final List<Linear[]> projections;
    private final NDArray[] keys;
    private final NDArray[] values;
    private final NDArray rows;
    private final int heads;

    private CrossKeyValues(NDArray states, List<Linear[]> projections, NDArray[] keys, NDArray[] values, NDArray rows,
            int heads) {
        this.states = states;
        this.projections = projections;
        this.keys = keys;
        this.values = values;
        this.rows = rows;
        this.heads = heads;
    }

    /** Projects {@code states} (E, N, width) with each layer's {key, value} Linear pair, in the caller's scope. */
    static CrossKeyValues project(NDArray states, List<Linear[]> projections, int heads) {
        NDArray[] k = new NDArray[projections.size()];
        NDArray[] v = new NDArray[projections.size()];
        for (int i = 0; i < k.length; i++) {
            k[i] = Ops.splitHeads(projections.get(i)[0].forward(states), heads);
            v[i] = Ops.splitHeads(projections.get(i)[1].forward(states), heads);
        }
        return new CrossKeyValues(states, projections, k, v, null, heads);
    }

    /**
     * The same projections seen by a batch of texts: text row r attends to encoder row {@code index[r]}.
     * @param index (T) int64 encoder row per text row
     */
    public CrossKeyValues rows(NDArray index) {
        return new CrossKeyValues(states, projections, keys, values, index, heads);
    }

    /** Number of text rows this serves: the index length, or one per encoder row. */
    long textRows() {
        return rows == null ? states.getShape().get(0) : rows.getShape().get(0);
    }

    /**
     * Layer {@code layer}'s keys and values (T, heads, N, d) for the text rows. A layer whose key/value weights are
     * not the ones projected here (an untied decoder) projects the states itself.
     */
    NDArray[] forLayer(int layer, Linear key, Linear value) {
        NDArray k;
        NDArray v;
        if (layer < keys.length && projections.get(layer)[0] == key && projections.get(layer)[1] == value) {
            k = keys[layer];
            v = values[layer];
        } else {
            k = Ops.splitHeads(key.forward(states), heads);
            v = Ops.splitHeads(value.forward(states), heads);
        }
        return rows == null ? new NDArray[] {k, v} : new NDArray[] {k.get(rows), v.get(rows)};
    }
}
