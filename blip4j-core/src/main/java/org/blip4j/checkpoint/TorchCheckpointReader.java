package org.blip4j.checkpoint;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import net.razorvine.pickle.PickleException;
import org.blip4j.checkpoint.TorchPickle.StorageRef;
import org.blip4j.checkpoint.TorchPickle.TensorRef;

/**
 * Reads the state dict of a PyTorch checkpoint written by {@code torch.save}: the zip format (torch ≥ 1.6:
 * {@code .pth}, {@code pytorch_model.bin}) and the legacy stream format. Every tensor comes back contiguous, in
 * its stored dtype, under its state-dict key.
 */
public final class TorchCheckpointReader {
    private static final long MAX_STORAGE_BYTES = Integer.MAX_VALUE - 8;
    // torch/serialization.py MAGIC_NUMBER, pickled first in the legacy format
    private static final java.math.BigInteger LEGACY_MAGIC = new java.math.BigInteger("1950a86a20f9469cfc6c", 16);

    private TorchCheckpointReader() {
    }

    /**
     * The state dict of {@code file}: {@code checkpoint['model']} (original BLIP), {@code checkpoint['state_dict']},
     * or the checkpoint itself when it is a dict of tensors. Non-tensor entries are skipped.
     */
    public static Map<String, RawTensor> readStateDict(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such checkpoint file");
        }
        try {
            return isZip(file) ? readZip(file) : readLegacy(file);
        } catch (PickleException | ClassCastException | IllegalArgumentException | ArithmeticException
                | IndexOutOfBoundsException | NullPointerException e) {
            throw new IOException(file + ": not a readable PyTorch checkpoint: " + e.getMessage(), e);
        } catch (StackOverflowError e) {
            throw new IOException(file + ": not a readable PyTorch checkpoint: structure nested too deeply", e);
        }
    }

    private static boolean isZip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] sig = in.readNBytes(4);
            return sig.length == 4 && sig[0] == 'P' && sig[1] == 'K' && sig[2] == 3 && sig[3] == 4;
        }
    }

    private static Map<String, RawTensor> readZip(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry pkl = findDataPkl(zip, file);
            String prefix = pkl.getName().substring(0, pkl.getName().length() - "data.pkl".length());
            ZipEntry order = zip.getEntry(prefix + "byteorder");
            if (order != null) {
                String bo = new String(zip.getInputStream(order).readAllBytes(), StandardCharsets.US_ASCII).trim();
                if (!bo.equals("little")) {
                    throw new IOException(file + ": big-endian checkpoints are not supported (byteorder=" + bo + ")");
                }
            }
            Object root;
            try (InputStream in = new BufferedInputStream(zip.getInputStream(pkl))) {
                root = TorchPickle.load(in, pickleBound(pkl), TorchCheckpointReader::zipStorage);
            }
            Map<String, TensorRef> refs = stateDict(root, file);
            return materialize(refs, file, storage -> {
                ZipEntry e = zip.getEntry(prefix + "data/" + storage.key());
                if (e == null) {
                    throw new IOException(file + ": storage '" + storage.key() + "' missing from the archive");
                }
                try (InputStream in = zip.getInputStream(e)) {
                    return readStorage(in, storage, e.getSize(), file);
                }
            });
        } catch (ZipException e) {
            throw new IOException(file + ": corrupt checkpoint archive: " + e.getMessage(), e);
        }
    }

    /** A persistent id {@code ('storage', storage_type, key, location, numel)} of the zip format. */
    private static StorageRef zipStorage(Object[] pid) {
        if (!(pid[4] instanceof Number numel)) {
            throw new PickleException("persistent id without an element count: " + java.util.Arrays.toString(pid));
        }
        return new StorageRef(String.valueOf(pid[2]), TorchPickle.storageDtype(pid[1]), numel.longValue());
    }

    private static long pickleBound(ZipEntry pkl) {
        return pkl.getSize() >= 0 ? pkl.getSize() : TorchPickle.MAX_UNKNOWN_PICKLE_BYTES;
    }

    private static ZipEntry findDataPkl(ZipFile zip, Path file) throws IOException {
        for (Enumeration<? extends ZipEntry> it = zip.entries(); it.hasMoreElements(); ) {
            ZipEntry e = it.nextElement();
            if (e.getName().endsWith("data.pkl") && e.getName().indexOf('/') == e.getName().lastIndexOf('/')) {
                return e;
            }
        }
        throw new IOException(file + ": zip file without <archive>/data.pkl, not a torch.save checkpoint");
    }

    /**
     * Legacy format (torch < 1.6): magic, protocol and sys-info pickles, the object pickle, the list of storage
     * keys, then each storage as an int64 element count followed by its bytes, in that list's order.
     */
    private static Map<String, RawTensor> readLegacy(Path file) throws IOException {
        long fileSize = Files.size(file);
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            InputStream in = new FilterInputStream(raw) {
                @Override
                public void close() {
                    // the unpickler must not close the stream between pickles
                }
            };
            Object magic;
            try {
                magic = TorchPickle.load(in, fileSize, pid -> null);
            } catch (PickleException | IOException e) {
                throw new IOException(file + ": neither a zip nor a legacy PyTorch checkpoint", e);
            }
            if (!(magic instanceof Number n) || !new java.math.BigInteger(n.toString()).equals(LEGACY_MAGIC)) {
                throw new IOException(file + ": neither a zip nor a legacy PyTorch checkpoint (bad magic number)");
            }
            TorchPickle.load(in, fileSize, pid -> null); // protocol version
            Object sysInfo = TorchPickle.load(in, fileSize, pid -> null);
            if (sysInfo instanceof Map<?, ?> info && Boolean.FALSE.equals(info.get("little_endian"))) {
                throw new IOException(file + ": big-endian legacy checkpoints are not supported");
            }
            Map<String, StorageRef> roots = new HashMap<>();
            Object root = TorchPickle.load(in, fileSize, pid -> {
                if (pid.length > 5 && pid[5] != null) {
                    throw new PickleException("legacy storage views are not supported; re-save the checkpoint with"
                            + " a current torch.save");
                }
                return roots.computeIfAbsent(String.valueOf(pid[2]), k -> zipStorage(pid));
            });
            Object keys = TorchPickle.load(in, fileSize, pid -> null);
            if (!(keys instanceof List<?> keyList)) {
                throw new IOException(file + ": legacy checkpoint without its list of storage keys");
            }
            Map<String, ByteBuffer> data = new HashMap<>();
            DataInputStream din = new DataInputStream(in);
            for (Object k : keyList) {
                StorageRef s = roots.get(keyString(k));
                if (s == null) {
                    throw new IOException(file + ": storage '" + k + "' listed but never referenced");
                }
                long numel = Long.reverseBytes(din.readLong());
                if (numel != s.numel() || data.containsKey(s.key())) {
                    throw new IOException(file + ": storage '" + k + "' has " + numel + " elements, expected "
                            + s.numel() + (data.containsKey(s.key()) ? " (listed twice)" : ""));
                }
                data.put(s.key(), readStorage(din, s, numel * s.dtype().bytes(), file));
            }
            return materialize(stateDict(root, file), file, s -> {
                ByteBuffer b = data.get(s.key());
                if (b == null) {
                    throw new IOException(file + ": storage '" + s.key() + "' is referenced but not stored");
                }
                return b;
            });
        } catch (java.io.EOFException e) {
            throw new IOException(file + ": truncated legacy PyTorch checkpoint", e);
        }
    }

    private static ByteBuffer readStorage(InputStream in, StorageRef s, long entrySize, Path file) throws IOException {
        if (s.numel() > MAX_STORAGE_BYTES / s.dtype().bytes()) {
            throw new IOException(file + ": storage '" + s.key() + "' is larger than 2 GiB, not supported");
        }
        long bytes = s.numel() * s.dtype().bytes();
        if (entrySize >= 0 && entrySize < bytes) {
            throw new IOException(file + ": storage '" + s.key() + "' holds " + entrySize + " bytes, expected " + bytes);
        }
        byte[] b = in.readNBytes((int) bytes);
        if (b.length != bytes) {
            throw new IOException(file + ": storage '" + s.key() + "' is truncated");
        }
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static Map<String, TensorRef> stateDict(Object root, Path file) throws IOException {
        Map<?, ?> top = TorchPickle.asMap(root);
        if (top == null) {
            throw new IOException(file + ": checkpoint holds a " + typeName(root) + ", expected a dict of tensors");
        }
        for (String wrapper : List.of("model", "state_dict")) {
            if (top.get(wrapper) instanceof Map<?, ?> inner) {
                return tensorsOf(inner);
            }
        }
        Map<String, TensorRef> bare = tensorsOf(top);
        if (bare.isEmpty()) {
            throw new IOException(file + ": no tensors found; top-level keys are " + describeKeys(top.keySet())
                    + " (expected 'model', 'state_dict' or a state dict)");
        }
        return bare;
    }

    private static Map<String, TensorRef> tensorsOf(Map<?, ?> dict) {
        Map<String, TensorRef> out = new LinkedHashMap<>();
        dict.forEach((k, v) -> {
            if (v instanceof TensorRef t) {
                out.put(keyString(k), t);
            }
        });
        return out;
    }

    /** Keys for a message: strings and numbers as they are, other (possibly self-nesting) values by type only. */
    private static String describeKeys(java.util.Set<?> keys) {
        List<String> out = new ArrayList<>();
        for (Object k : keys) {
            if (out.size() == 20) {
                out.add("... (" + keys.size() + " keys)");
                break;
            }
            out.add(keyString(k));
        }
        return out.toString();
    }

    /** A dict key as text; only strings and numbers are printed (a hostile key may be a self-nesting list). */
    private static String keyString(Object k) {
        return k instanceof String || k instanceof Number ? String.valueOf(k) : "<" + typeName(k) + ">";
    }

    private static String typeName(Object o) {
        return o == null ? "None" : o.getClass().getSimpleName();
    }

    @FunctionalInterface
    private interface StorageLoader {
        ByteBuffer load(StorageRef storage) throws IOException;
    }

    private static Map<String, RawTensor> materialize(Map<String, TensorRef> refs, Path file, StorageLoader loader)
            throws IOException {
        Map<String, RawTensor> out = new LinkedHashMap<>();
        // keep only the latest storage: tensors sharing one (ties, views) are usually adjacent in the pickle
        StorageRef cachedRef = null;
        ByteBuffer cached = null;
        for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
            TensorRef t = e.getValue();
            if (!t.storage().equals(cachedRef)) {
                cached = loader.load(t.storage());
                cachedRef = t.storage();
            }
            try {
                out.put(e.getKey(), StridedCopy.contiguous(t, cached));
            } catch (IllegalArgumentException ex) {
                throw new IOException(file + ": tensor '" + e.getKey() + "': " + ex.getMessage(), ex);
            }
        }
        return out;
    }

    /** Lists the top-level keys of a checkpoint without reading any storage, e.g. to report what a file holds. */
    public static List<String> topLevelKeys(Path file) throws IOException {
        if (!isZip(file)) {
            throw new IOException(file + ": listing keys is only supported for zip checkpoints");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry pkl = findDataPkl(zip, file);
            try (InputStream in = new BufferedInputStream(zip.getInputStream(pkl))) {
                Object root = TorchPickle.load(in, pickleBound(pkl), TorchCheckpointReader::zipStorage);
                Map<?, ?> top = TorchPickle.asMap(root);
                List<String> keys = new ArrayList<>();
                if (top != null) {
                    top.keySet().forEach(k -> keys.add(keyString(k)));
                }
                return keys;
            }
        } catch (PickleException e) {
            throw new IOException(file + ": not a readable PyTorch checkpoint: " + e.getMessage(), e);
        }
    }
}
