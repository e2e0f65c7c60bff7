package org.blip4j.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;

/**
 * The pickle side of PyTorch checkpoints: an unpickler whose persistent ids become {@link StorageRef}s and whose
 * {@code _rebuild_tensor_v2} calls become {@link TensorRef}s. Nothing is read from storages here, so a checkpoint
 * that also holds an optimizer state costs no memory for it until its tensors are materialized.
 */
final class TorchPickle {
    private TorchPickle() {
    }

    /** A storage named by a persistent id; {@code key} is the zip entry name (or legacy root key). */
    record StorageRef(String key, DType dtype, long numel) {
    }

    /** A tensor view on a storage, in elements, exactly as {@code _rebuild_tensor_v2} receives it. */
    record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {
    }

    /** A storage class global ({@code torch.FloatStorage}, ...); pickle puts the constructor object itself in the id. */
    record StorageType(String name, DType dtype) implements IObjectConstructor {
        @Override
        public Object construct(Object[] args) {
            throw new PickleException("storage type " + name + " cannot be constructed directly");
        }
    }

    /** A dtype global ({@code torch.float32}, ...), used by some newer pickles as a plain value. */
    record TorchDtype(String name) implements IObjectConstructor {
        @Override
        public Object construct(Object[] args) {
            throw new PickleException("torch." + name + " is not callable");
        }
    }

    /** {@code collections.OrderedDict}; state dicts carry {@code _metadata} as pickled instance state, ignored here. */
    public static final class OrderedDict extends LinkedHashMap<Object, Object> {
        public void __setstate__(HashMap<String, Object> state) {
            // _metadata holds module versions only; tensors do not depend on it
        }
    }

    static {
        String[][] storages = {
            {"FloatStorage", "F32"}, {"HalfStorage", "F16"}, {"BFloat16Storage", "BF16"}, {"DoubleStorage", "F64"},
            {"LongStorage", "I64"}, {"IntStorage", "I32"}, {"ShortStorage", "I16"}, {"CharStorage", "I8"},
            {"ByteStorage", "U8"}, {"BoolStorage", "BOOL"}, {"UntypedStorage", "U8"},
        };
        for (String[] s : storages) {
            Unpickler.registerConstructor("torch", s[0], new StorageType(s[0], DType.valueOf(s[1])));
        }
        for (String d : List.of("float32", "float", "float16", "half", "bfloat16", "float64", "double", "int64",
                "long", "int32", "int", "int16", "short", "int8", "uint8", "bool")) {
            Unpickler.registerConstructor("torch", d, new TorchDtype(d));
        }
        Unpickler.registerConstructor("torch._utils", "_rebuild_tensor_v2", TorchPickle::rebuildTensor);
        Unpickler.registerConstructor("torch._utils", "_rebuild_tensor", TorchPickle::rebuildTensor);
        // Parameters wrap a tensor: (data, requires_grad, backward_hooks[, state])
        Unpickler.registerConstructor("torch._utils", "_rebuild_parameter", args -> args[0]);
        Unpickler.registerConstructor("torch._utils", "_rebuild_parameter_with_state", args -> args[0]);
        // (func, new_type, args, state): tensor subclasses; the payload is func(*args)
        Unpickler.registerConstructor("torch._tensor", "_rebuild_from_type_v2",
                args -> ((IObjectConstructor) args[0]).construct((Object[]) args[2]));
        Unpickler.registerConstructor("collections", "OrderedDict", TorchPickle::orderedDict);
    }

    private static Object rebuildTensor(Object[] args) {
        if (args.length < 4 || !(args[0] instanceof StorageRef storage)) {
            throw new PickleException("_rebuild_tensor_v2: unexpected arguments (not a storage-backed tensor)");
        }
        return new TensorRef(storage, ((Number) args[1]).longValue(), longs(args[2]), longs(args[3]));
    }

    private static long[] longs(Object tuple) {
        Object[] t = (Object[]) tuple;
        long[] out = new long[t.length];
        for (int i = 0; i < t.length; i++) {
            out[i] = ((Number) t[i]).longValue();
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object orderedDict(Object[] args) {
        OrderedDict d = new OrderedDict();
        if (args.length > 0 && args[0] instanceof List<?> items) {
            for (Object item : items) {
                Object[] kv = item instanceof List<?> l ? l.toArray() : (Object[]) item;
                d.put(kv[0], kv[1]);
            }
        }
        return d;
    }

    /** Resolves a persistent id tuple to a storage. */
    @FunctionalInterface
    interface StorageResolver {
        StorageRef resolve(Object[] persistentId);
    }

    /** Unpickles one pickle from {@code in} (reading no further than its STOP opcode). */
    static Object load(InputStream in, StorageResolver resolver) throws IOException {
        Unpickler u = new Unpickler() {
            @Override
            protected Object persistentLoad(Object pid) {
                if (!(pid instanceof Object[] tuple) || tuple.length < 5 || !"storage".equals(tuple[0])) {
                    throw new PickleException("unsupported persistent id " + describe(pid)
                            + " (only tensor storages are supported; whole pickled modules are not)");
                }
                return resolver.resolve(tuple);
            }
        };
        return u.load(in);
    }

    /** The dtype of the storage class in a persistent id. */
    static DType storageDtype(Object storageType) {
        if (storageType instanceof StorageType st) {
            return st.dtype();
        }
        if (storageType instanceof TorchDtype) {
            throw new PickleException("typed storage with dtype " + storageType + " is not supported");
        }
        throw new PickleException("unsupported storage type " + describe(storageType));
    }

    private static String describe(Object o) {
        if (o instanceof Object[] a) {
            return java.util.Arrays.deepToString(a);
        }
        return String.valueOf(o);
    }

    static Map<?, ?> asMap(Object o) {
        return o instanceof Map<?, ?> m ? m : null;
    }
}
