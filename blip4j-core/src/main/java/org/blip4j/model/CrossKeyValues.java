package org.blip4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.blip4j.nn.Linear;
import org.blip4j.nn.Ops;

/**
 * The encoder side of every cross-attention layer: each layer's keys and values of a set of encoder states (images),
 * projected once per distinct encoder row, optionally with a row map saying which encoder row each text row attends
 * to.
 *
 * <p>Why: ITM with hard negatives pairs every image with several texts (orig {@code models/blip_pretrain.py}
 * {@code BLIP_Pretrain.forward} concatenates 3B image sequences), and in pre-training the decoder's cross-attention
 * weights are the encoder's ({@code tie_encoder_decoder_weights} skips only self-attention), so the LM pass needs the
 * same keys/values again. The original projects 4B image sequences per layer; this projects B. With a row map the
 * texts of one image are stacked as one longer query sequence against its keys/values (attention rows are
 * independent), so the keys/values are not copied per pair either. Same numbers up to float reassociation; autograd
 * sums the gradients of every use.
 */
public final class CrossKeyValues {
    private final NDArray states;
    private final List<Linear[]> projections;
    private final NDArray[] keys;
    private final NDArray[] values;
    private final RowPacking packing;
    private final int heads;

    private CrossKeyValues(NDArray states, List<Linear[]> projections, NDArray[] keys, NDArray[] values,
            RowPacking packing, int heads) {
        this.states = states;
        this.projections = projections;
        this.keys = keys;
        this.values = values;
        this.packing = packing;
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
     * The same projections seen by a batch of texts: text row r attends to encoder row {@code encoderRow[r]}.
     * Index arrays are created on the states' manager.
     */
    public CrossKeyValues rows(long[] encoderRow) {
        RowPacking p = new RowPacking(encoderRow, (int) states.getShape().get(0), states.getManager());
        return new CrossKeyValues(states, projections, keys, values, p, heads);
    }

    /** Number of text rows this serves: one per row-map entry, or one per encoder row. */
    long textRows() {
        return packing == null ? states.getShape().get(0) : packing.textRows();
    }

    /**
     * Cross-attention context of layer {@code layer}: softmax(q·kᵀ/√d + mask)·v for queries {@code q} (T, heads, L,
     * d). A layer whose key/value weights are not the ones projected here (an untied decoder) projects the states
     * itself.
     * @param mask additive (E, 1, 1, N) or null
     */
    NDArray attend(int layer, Linear key, Linear value, NDArray q, NDArray mask, double dropout, boolean training) {
        NDArray k;
        NDArray v;
        if (layer < keys.length && projections.get(layer)[0] == key && projections.get(layer)[1] == value) {
            k = keys[layer];
            v = values[layer];
        } else {
            k = Ops.splitHeads(key.forward(states), heads);
            v = Ops.splitHeads(value.forward(states), heads);
        }
        if (packing == null) {
            return Ops.attention(q, k, v, mask, dropout, training);
        }
        return packing.unpack(Ops.attention(packing.pack(q), k, v, mask, dropout, training), q.getShape());
    }

    /**
     * Stacks the query rows that share an encoder row: slot s of encoder row e holds text row
     * {@code slots[e·P + s]} (or a zero row, padding to the largest group P), so queries (T, H, L, d) become
     * (E, H, P·L, d). Padded queries' outputs are never read back, so they get no gradient.
     */
    private static final class RowPacking {
        private final int textRows;
        private final int perEncoderRow;
        private final NDArray slots;
        private final NDArray packedPosition;

        RowPacking(long[] encoderRow, int encoderRows, ai.djl.ndarray.NDManager m) {
            textRows = encoderRow.length;
            int[] count = new int[encoderRows];
            for (long e : encoderRow) {
                if (e < 0 || e >= encoderRows) {
                    throw new IllegalArgumentException("encoder row " + e + " outside 0.." + (encoderRows - 1));
                }
                count[(int) e]++;
            }
            int p = 1;
            for (int c : count) {
                p = Math.max(p, c);
            }
            perEncoderRow = p;
            long[] slot = new long[encoderRows * p];
            java.util.Arrays.fill(slot, textRows); // index of the appended zero row
            long[] position = new long[textRows];
            int[] used = new int[encoderRows];
            for (int r = 0; r < textRows; r++) {
                int e = (int) encoderRow[r];
                int at = e * p + used[e]++;
                slot[at] = r;
                position[r] = at;
            }
            slots = m.create(slot);
            packedPosition = m.create(position);
        }

        int textRows() {
            return textRows;
        }

        NDArray pack(NDArray q) {
            Shape s = q.getShape(); // (T, H, L, d)
            NDArray padded = NDArrays.concat(new NDList(q, q.getManager().zeros(new Shape(1, s.get(1), s.get(2),
                    s.get(3)), q.getDataType())), 0);
            long e = slots.getShape().get(0) / perEncoderRow;
            return padded.get(slots).reshape(e, perEncoderRow, s.get(1), s.get(2), s.get(3)).transpose(0, 2, 1, 3, 4)
                    .reshape(e, s.get(1), perEncoderRow * s.get(2), s.get(3));
        }

        NDArray unpack(NDArray ctx, Shape queryShape) {
            long e = ctx.getShape().get(0);
            long h = queryShape.get(1);
            long l = queryShape.get(2);
            long d = queryShape.get(3);
            NDArray perSlot = ctx.reshape(e, h, perEncoderRow, l, d).transpose(0, 2, 1, 3, 4)
                    .reshape(e * perEncoderRow, h, l, d);
            return perSlot.get(packedPosition);
        }
    }
}
