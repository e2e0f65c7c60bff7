package org.blip4j.checkpoint;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;
import net.razorvine.pickle.objects.ByteArrayConstructor;
import net.razorvine.pickle.objects.SetConstructor;

/**
 * The pickle side of PyTorch checkpoints: an unpickler whose persistent ids become {@link StorageRef}s and whose
 * {@code _rebuild_tensor_v2} calls become {@link TensorRef}s. Nothing is read from storages here, so a checkpoint
 * that also holds an optimizer state costs no memory for it until its tensors are materialized.
 *
 * <p>Checkpoints are untrusted, so this is the Java side of {@code torch.load(weights_only=True)}: a global is
 * resolved only from {@link #ALLOWED} (torch tensor, parameter and storage rebuild functions, storage and dtype
 * names, {@code collections.OrderedDict}, the set/bytes helpers of plain containers); any other global
 * ({@code os.system}, {@code builtins.eval}, a model class) is refused naming its module and name, before anything
 * is called. Opcodes that build instances of classes named inline ({@code INST}, {@code OBJ}) or through the
 * extension registry are refused, and no length read from the pickle can make it allocate more than the bytes that
 * are actually left in the pickle. razorvine's own global constructor registry is not used at all.
 */
final class TorchPickle {
    /** Bound on the pickle of a checkpoint whose size is not known (zip entries without a recorded size). */
    static final long MAX_UNKNOWN_PICKLE_BYTES = 1L << 30;

    private TorchPickle() {
    }

    /** A storage named by a persistent id; {@code key} is the zip entry name (or legacy root key). */
    record StorageRef(String key, DType dtype, long numel) {
        StorageRef {
            if (numel < 0) {
                throw new PickleException("storage '" + key + "' has a negative element count " + numel);
            }
        }
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

    /** A tensor class named as the type of {@code _rebuild_from_type_v2}; a marker only, never constructed. */
    record TensorType(String name) implements IObjectConstructor {
        @Override
        public Object construct(Object[] args) {
            throw new PickleException(name + " cannot be constructed directly");
        }
    }

    /** {@code collections.OrderedDict}; state dicts carry {@code _metadata} as pickled instance state, ignored here. */
    public static final class OrderedDict extends LinkedHashMap<Object, Object> {
        public void __setstate__(HashMap<String, Object> state) {
            // _metadata holds module versions only; tensors do not depend on it
        }
    }

    /** The only globals a checkpoint pickle may name, as {@code module.name}. */
    static final Map<String, IObjectConstructor> ALLOWED;

    static {
        Map<String, IObjectConstructor> allowed = new HashMap<>();
        String[][] storages = {
            {"FloatStorage", "F32"}, {"HalfStorage", "F16"}, {"BFloat16Storage", "BF16"}, {"DoubleStorage", "F64"},
            {"LongStorage", "I64"}, {"IntStorage", "I32"}, {"ShortStorage", "I16"}, {"CharStorage", "I8"},
            {"ByteStorage", "U8"}, {"BoolStorage", "BOOL"}, {"UntypedStorage", "U8"},
        };
        for (String[] st : storages) {
            allowed.put("torch." + st[0], new StorageType(st[0], DType.valueOf(st[1])));
        }
        for (String d : List.of("float32", "float", "float16", "half", "bfloat16", "float64", "double", "int64",
                "long", "int32", "int", "int16", "short", "int8", "uint8", "bool")) {
            allowed.put("torch." + d, new TorchDtype(d));
        }
        allowed.put("torch._utils._rebuild_tensor_v2", TorchPickle::rebuildTensor);
        allowed.put("torch._utils._rebuild_tensor", TorchPickle::rebuildTensor);
        // Parameters wrap a tensor: (data, requires_grad, backward_hooks[, state])
        allowed.put("torch._utils._rebuild_parameter", TorchPickle::firstArgument);
        allowed.put("torch._utils._rebuild_parameter_with_state", TorchPickle::firstArgument);
        // (func, new_type, args, state): tensor subclasses; the payload is func(*args)
        allowed.put("torch._tensor._rebuild_from_type_v2", TorchPickle::rebuildFromType);
        allowed.put("torch.nn.parameter.Parameter", new TensorType("torch.nn.parameter.Parameter"));
        allowed.put("torch.Tensor", new TensorType("torch.Tensor"));
        allowed.put("collections.OrderedDict", TorchPickle::orderedDict);
        // plain containers and bytes as protocol 2 writes them (python 3 bytes go through _codecs.encode)
        allowed.put("builtins.set", new SetConstructor());
        allowed.put("__builtin__.set", new SetConstructor());
        allowed.put("builtins.bytearray", new ByteArrayConstructor());
        allowed.put("__builtin__.bytearray", new ByteArrayConstructor());
        allowed.put("_codecs.encode", new ByteArrayConstructor());
        ALLOWED = Map.copyOf(allowed);
    }

    private static Object firstArgument(Object[] args) {
        if (args.length < 1) {
            throw new PickleException("_rebuild_parameter: no tensor argument");
        }
        return args[0];
    }

    private static Object rebuildFromType(Object[] args) {
        if (args.length < 3 || !(args[0] instanceof IObjectConstructor func) || !(args[2] instanceof Object[] a)) {
            throw new PickleException("_rebuild_from_type_v2: unexpected arguments");
        }
        if (!(args[1] instanceof TensorType)) {
            throw new PickleException("_rebuild_from_type_v2: unsupported tensor type " + describe(args[1]));
        }
        return func.construct(a);
    }

    private static Object rebuildTensor(Object[] args) {
        if (args.length < 4 || !(args[0] instanceof StorageRef storage)) {
            throw new PickleException("_rebuild_tensor_v2: unexpected arguments (not a storage-backed tensor)");
        }
        if (!(args[1] instanceof Number offset) || !(args[2] instanceof Object[]) || !(args[3] instanceof Object[])) {
            throw new PickleException("_rebuild_tensor_v2: offset, size and stride must be a number and two tuples");
        }
        return new TensorRef(storage, offset.longValue(), longs(args[2]), longs(args[3]));
    }

    private static long[] longs(Object tuple) {
        Object[] t = (Object[]) tuple;
        long[] out = new long[t.length];
        for (int i = 0; i < t.length; i++) {
            if (!(t[i] instanceof Number n)) {
                throw new PickleException("tensor size/stride holds " + describe(t[i]) + ", expected integers");
            }
            out[i] = n.longValue();
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object orderedDict(Object[] args) {
        OrderedDict d = new OrderedDict();
        if (args.length > 0 && args[0] instanceof List<?> items) {
            for (Object item : items) {
                Object[] kv = item instanceof List<?> l ? l.toArray() : item instanceof Object[] a ? a : null;
                if (kv == null || kv.length != 2) {
                    throw new PickleException("OrderedDict: items must be (key, value) pairs");
                }
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

    /**
     * Unpickles one pickle from {@code in} (reading no further than its STOP opcode). {@code maxBytes} bounds what
     * the pickle may still occupy in {@code in} (the entry or file size): no length field can make the unpickler
     * allocate more. Every malformed input ends in a {@link PickleException}.
     */
    static Object load(InputStream in, long maxBytes, StorageResolver resolver) throws IOException {
        CountingInput counted = new CountingInput(in, maxBytes);
        try {
            return new AllowListUnpickler(counted, resolver).load(counted);
        } catch (PickleException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new PickleException("malformed pickle: " + e);
        } catch (StackOverflowError e) {
            throw new PickleException("malformed pickle: structure nested too deeply or referring to itself");
        }
    }

    /** The allow-list unpickler: globals from {@link #ALLOWED} only, lengths bounded by the input left. */
    private static final class AllowListUnpickler extends Unpickler {
        private final CountingInput counted;
        private final StorageResolver resolver;

        AllowListUnpickler(CountingInput counted, StorageResolver resolver) {
            this.counted = counted;
            this.resolver = resolver;
        }

        @Override
        protected Object persistentLoad(Object pid) {
            if (!(pid instanceof Object[] tuple) || tuple.length < 5 || !"storage".equals(tuple[0])) {
                throw new PickleException("unsupported persistent id " + describe(pid)
                        + " (only tensor storages are supported; whole pickled modules are not)");
            }
            return resolver.resolve(tuple);
        }

        @Override
        protected Object dispatch(short key) throws IOException {
            switch (key) {
                case Opcodes.GLOBAL -> {
                    String module = PickleUtils.readline(input);
                    String name = PickleUtils.readline(input);
                    stack.add(allowed(module, name));
                }
                case Opcodes.STACK_GLOBAL -> {
                    Object name = stack.pop();
                    Object module = stack.pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw new PickleException("STACK_GLOBAL without a module and name string");
                    }
                    stack.add(allowed(m, n));
                }
                case Opcodes.INST -> {
                    String module = PickleUtils.readline(input);
                    String name = PickleUtils.readline(input);
                    throw refused(module, name, "INST");
                }
                case Opcodes.OBJ -> throw new PickleException("refusing opcode OBJ (builds an instance of a class"
                        + " named on the stack); checkpoints do not need it");
                case Opcodes.EXT1, Opcodes.EXT2, Opcodes.EXT4 -> throw new PickleException("refusing opcode EXT"
                        + " (globals from the copyreg extension registry are not allowed)");
                case Opcodes.NEXT_BUFFER, Opcodes.READONLY_BUFFER -> throw new PickleException("refusing"
                        + " out-of-band pickle buffers");
                case Opcodes.BINSTRING -> stack.add(PickleUtils.rawStringFromBytes(counted.lengthPrefixed(4)));
                case Opcodes.BINBYTES -> stack.add(counted.lengthPrefixed(4));
                case Opcodes.BINUNICODE -> stack.add(new String(counted.lengthPrefixed(4), StandardCharsets.UTF_8));
                case Opcodes.BINUNICODE8 -> stack.add(new String(counted.lengthPrefixed(8), StandardCharsets.UTF_8));
                case Opcodes.BINBYTES8, Opcodes.BYTEARRAY8 -> stack.add(counted.lengthPrefixed(8));
                case Opcodes.LONG4 -> stack.add(PickleUtils.decode_long(counted.lengthPrefixed(4)));
                default -> {
                    return super.dispatch(key);
                }
            }
            return NO_RETURN_VALUE;
        }

        private static IObjectConstructor allowed(String module, String name) {
            IObjectConstructor c = ALLOWED.get(module + "." + name);
            if (c == null) {
                throw refused(module, name, "global");
            }
            return c;
        }

        private static PickleException refused(String module, String name, String what) {
            return new PickleException("refusing " + what + " " + HubAnswer.quote(module + "." + name) + " (module "
                    + HubAnswer.quote(module) + ", name " + HubAnswer.quote(name) + "): not on the checkpoint"
                    + " allow-list (torch tensor/storage rebuild functions, collections.OrderedDict, plain"
                    + " containers); a checkpoint that needs it is not loaded");
        }
    }

    /** Counts what the unpickler consumed, so a length field can be checked against what is left. */
    private static final class CountingInput extends FilterInputStream {
        private final long limit;
        private long consumed;

        CountingInput(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            if (consumed >= limit) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                consumed++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (consumed >= limit) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, limit - consumed));
            if (n > 0) {
                consumed += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(Math.min(n, limit - consumed));
            consumed += Math.max(0, s);
            return s;
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        @Override
        public void close() {
            // the unpickler must not close the caller's stream (legacy files hold several pickles)
        }

        /** A little-endian {@code width}-byte length, then that many bytes, refused if longer than what is left. */
        byte[] lengthPrefixed(int width) throws IOException {
            byte[] lenBytes = readNBytes(width);
            if (lenBytes.length != width) {
                throw new PickleException("pickle truncated in a length field");
            }
            long len = width == 4 ? PickleUtils.bytes_to_integer(lenBytes) : PickleUtils.bytes_to_long(lenBytes, 0);
            if (len < 0 || len > limit - consumed || len > Integer.MAX_VALUE - 8) {
                throw new PickleException("pickle item of " + len + " bytes where only " + (limit - consumed)
                        + " bytes are left");
            }
            byte[] data = readNBytes((int) len);
            if (data.length != len) {
                throw new PickleException("pickle truncated inside an item of " + len + " bytes");
            }
            return data;
        }
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
