package org.blip4j.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds an ONNX model (opset 17 + Microsoft's contrib domain) node by node. Values are named by strings; every
 * {@code node} call returns its output's fresh name. Weights become initializers with raw little-endian data.
 * Field numbers are those of {@code onnx.proto} (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto,
 * ValueInfoProto).
 */
public final class OnnxGraph {
    public static final int FLOAT = 1;
    public static final int INT64 = 7;
    public static final int INT8 = 3;
    static final String CONTRIB = "com.microsoft";
    private static final int OPSET = 17;
    private static final int IR_VERSION = 8;

    private final String name;
    private final List<ProtoWriter> nodes = new ArrayList<>();
    private final List<ProtoWriter> initializers = new ArrayList<>();
    private final List<ProtoWriter> inputs = new ArrayList<>();
    private final List<ProtoWriter> outputs = new ArrayList<>();
    private final java.util.Map<Object, String> weights = new java.util.IdentityHashMap<>();
    private final java.util.Map<Object, String> transposed = new java.util.IdentityHashMap<>();
    private final java.util.Map<Object, String[]> int8 = new java.util.IdentityHashMap<>();
    private int counter;
    private boolean quantizeLinear;

    public OnnxGraph(String name) {
        this.name = name;
    }

    /**
     * Linear layers of this graph as int8 weights with dynamically quantised activations (ONNX Runtime's
     * DynamicQuantizeMatMul: u8·s8 integer products, AVX-512 VNNI where the CPU has it). Opt-in: it trades accuracy
     * for speed (docs/BENCHMARKS.md measures both).
     */
    public OnnxGraph quantizeLinear(boolean on) {
        quantizeLinear = on;
        return this;
    }

    public boolean quantizesLinear() {
        return quantizeLinear;
    }

    /** A 2-D parameter (out, in) as symmetric int8 (in, out) with one scale per output column; added once. */
    public String[] weightInt8(org.blip4j.nn.Parameter p) {
        String[] cached = int8.get(p);
        if (cached != null) {
            return cached;
        }
        int out = (int) p.shape().get(0);
        int in = (int) p.shape().get(1);
        float[] w = p.array().toFloatArray();
        float[] scale = new float[out];
        byte[] q = new byte[in * out];
        for (int n = 0; n < out; n++) {
            float max = 0f;
            for (int k = 0; k < in; k++) {
                max = Math.max(max, Math.abs(w[n * in + k]));
            }
            scale[n] = max == 0f ? 1f : max / 127f;
            for (int k = 0; k < in; k++) {
                q[k * out + n] = (byte) Math.round(w[n * in + k] / scale[n]);
            }
        }
        String[] names = {initializer("wq", INT8, q, in, out), floats("wq_scale", scale, out)};
        int8.put(p, names);
        return names;
    }

    /** A graph input; each dim is a Long (fixed) or a String (named, free). */
    public String input(String inputName, int elemType, Object... dims) {
        inputs.add(valueInfo(inputName, elemType, dims));
        return inputName;
    }

    /** Marks {@code value} as the graph output {@code outputName} (an Identity node renames it). */
    public void output(String value, String outputName, int elemType, Object... dims) {
        node("Identity", List.of(value), List.of(outputName), null);
        outputs.add(valueInfo(outputName, elemType, dims));
    }

    public String floats(String hint, float[] data, long... dims) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(data);
        return initializer(hint, FLOAT, bytes.array(), dims);
    }

    private final java.util.Map<String, String> memo = new java.util.HashMap<>();

    /** A value built once per graph under {@code key} (e.g. a transpose every layer uses). */
    public String memo(String key, java.util.function.Supplier<String> build) {
        String v = memo.get(key);
        if (v == null) {
            v = build.get();
            memo.put(key, v);
        }
        return v;
    }

    /** A parameter's current values as an initializer, added once however often (tied weights share it). */
    public String weight(org.blip4j.nn.Parameter p) {
        return weights.computeIfAbsent(p, k -> floats("w", p.array().toFloatArray(), p.shape().getShape()));
    }

    /** A 2-D parameter (out, in) transposed to (in, out), the right operand of MatMul; added once. */
    public String weightTransposed(org.blip4j.nn.Parameter p) {
        return transposed.computeIfAbsent(p, k -> floats("wt", p.array().transpose().toFloatArray(),
                p.shape().get(1), p.shape().get(0)));
    }

    /**
     * 2-D parameters (out_i, in) of the same input width, each transposed and placed side by side: (in, Σ out_i), the
     * right operand of one MatMul that computes all their products at once.
     */
    public String weightsTransposedSideBySide(org.blip4j.nn.Parameter... ps) {
        int in = (int) ps[0].shape().get(1);
        int total = 0;
        for (org.blip4j.nn.Parameter p : ps) {
            if (p.shape().get(1) != in) {
                throw new IllegalArgumentException(p.name() + " has input width " + p.shape().get(1) + ", not " + in);
            }
            total += (int) p.shape().get(0);
        }
        float[] out = new float[in * total];
        int offset = 0;
        for (org.blip4j.nn.Parameter p : ps) {
            int rows = (int) p.shape().get(0);
            float[] w = p.array().toFloatArray(); // (rows, in)
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < in; c++) {
                    out[c * total + offset + r] = w[r * in + c];
                }
            }
            offset += rows;
        }
        return floats("wt_side_by_side", out, in, total);
    }

    /** 1-D parameters end to end, one initializer. */
    public String concatenated(org.blip4j.nn.Parameter... ps) {
        int total = 0;
        for (org.blip4j.nn.Parameter p : ps) {
            total += (int) p.shape().size();
        }
        float[] out = new float[total];
        int offset = 0;
        for (org.blip4j.nn.Parameter p : ps) {
            float[] v = p.array().toFloatArray();
            System.arraycopy(v, 0, out, offset, v.length);
            offset += v.length;
        }
        return floats("concatenated", out, total);
    }

    public String longs(String hint, long... data) {
        ByteBuffer bytes = ByteBuffer.allocate(8 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asLongBuffer().put(data);
        return initializer(hint, INT64, bytes.array(), data.length);
    }

    /** A rank-0 int64 constant (e.g. a Gather index that drops the axis). */
    public String scalarLong(String hint, long value) {
        return initializer(hint, INT64, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
    }

    private String initializer(String hint, int elemType, byte[] raw, long... dims) {
        String n = fresh(hint);
        ProtoWriter t = new ProtoWriter();
        for (long d : dims) {
            t.varint(1, d);
        }
        t.varint(2, elemType).string(8, n).bytes(9, raw);
        initializers.add(t);
        return n;
    }

    /** One node of the default domain with one output. */
    public String op(String opType, Attr[] attrs, String... in) {
        String out = fresh(opType.toLowerCase());
        node(opType, List.of(in), List.of(out), null, attrs);
        return out;
    }

    public String op(String opType, String... in) {
        return op(opType, new Attr[0], in);
    }

    /** One node of Microsoft's contrib domain (fused kernels of ONNX Runtime) with one output. */
    public String contrib(String opType, Attr[] attrs, String... in) {
        String out = fresh(opType.toLowerCase());
        node(opType, List.of(in), List.of(out), CONTRIB, attrs);
        return out;
    }

    /** A node with several outputs ({@code ""} inputs are omitted optional inputs). */
    public List<String> opN(String opType, String domain, int outputCount, Attr[] attrs, String... in) {
        List<String> outs = new ArrayList<>();
        for (int i = 0; i < outputCount; i++) {
            outs.add(fresh(opType.toLowerCase()));
        }
        node(opType, List.of(in), outs, domain, attrs);
        return outs;
    }

    private void node(String opType, List<String> in, List<String> out, String domain, Attr... attrs) {
        ProtoWriter n = new ProtoWriter();
        in.forEach(i -> n.string(1, i));
        out.forEach(o -> n.string(2, o));
        n.string(3, "n" + nodes.size()).string(4, opType);
        for (Attr a : attrs) {
            n.message(5, a.proto());
        }
        if (domain != null) {
            n.string(7, domain);
        }
        nodes.add(n);
    }

    private String fresh(String hint) {
        return hint + "_" + (counter++);
    }

    private static ProtoWriter valueInfo(String valueName, int elemType, Object... dims) {
        ProtoWriter shape = new ProtoWriter();
        for (Object d : dims) {
            ProtoWriter dim = new ProtoWriter();
            if (d instanceof String s) {
                dim.string(2, s);
            } else {
                dim.varint(1, ((Number) d).longValue());
            }
            shape.message(1, dim);
        }
        ProtoWriter tensorType = new ProtoWriter().varint(1, elemType).message(2, shape);
        ProtoWriter type = new ProtoWriter().message(1, tensorType);
        return new ProtoWriter().string(1, valueName).message(2, type);
    }

    /** The serialised ModelProto. */
    public byte[] toModel() {
        ProtoWriter graph = new ProtoWriter();
        nodes.forEach(n -> graph.message(1, n));
        graph.string(2, name);
        initializers.forEach(t -> graph.message(5, t));
        inputs.forEach(i -> graph.message(11, i));
        outputs.forEach(o -> graph.message(12, o));
        ProtoWriter model = new ProtoWriter().varint(1, IR_VERSION).string(2, "blip4j");
        model.message(7, graph);
        model.message(8, new ProtoWriter().string(1, "").varint(2, OPSET));
        model.message(8, new ProtoWriter().string(1, CONTRIB).varint(2, 1));
        return model.toByteArray();
    }

    /** A node attribute (AttributeProto with its type tag). */
    public record Attr(String name, Object value) {
        public static Attr i(String name, long v) {
            return new Attr(name, v);
        }

        public static Attr f(String name, float v) {
            return new Attr(name, v);
        }

        public static Attr ints(String name, long... v) {
            return new Attr(name, v);
        }

        ProtoWriter proto() {
            ProtoWriter a = new ProtoWriter().string(1, name);
            if (value instanceof Long l) {
                a.varint(3, l).varint(20, 2);
            } else if (value instanceof Float f) {
                a.float32(2, f).varint(20, 1);
            } else if (value instanceof long[] ls) {
                for (long l : ls) {
                    a.varint(8, l);
                }
                a.varint(20, 7);
            } else if (value instanceof String s) {
                a.string(4, s).varint(20, 3);
            } else {
                throw new IllegalArgumentException("attribute " + name + ": unsupported value " + value);
            }
            return a;
        }
    }
}
