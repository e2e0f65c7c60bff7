package org.blip4j.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.blip4j.checkpoint.TorchPickle.TensorRef;

/** Turns a (storage, offset, size, stride) view into a contiguous row-major {@link RawTensor}. */
final class StridedCopy {
    private StridedCopy() {
    }

    static RawTensor contiguous(TensorRef t, ByteBuffer storage) {
        long[] size = t.size();
        long[] stride = t.stride();
        if (size.length != stride.length) {
            throw new IllegalArgumentException("size " + Arrays.toString(size) + " and stride "
                    + Arrays.toString(stride) + " differ in rank");
        }
        int elem = t.storage().dtype().bytes();
        long numel = RawTensor.numel(size); // rejects negative sizes and overflow
        if (numel == 0) {
            return new RawTensor(t.storage().dtype(), size, ByteBuffer.allocate(0));
        }
        long maxIndex = t.offset();
        for (int d = 0; d < size.length; d++) {
            if (stride[d] < 0) {
                throw new IllegalArgumentException("negative stride " + stride[d]);
            }
            try {
                maxIndex = Math.addExact(maxIndex, Math.multiplyExact(size[d] - 1, stride[d]));
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("view (size " + Arrays.toString(size) + ", stride "
                        + Arrays.toString(stride) + ") overflows");
            }
        }
        if (t.offset() < 0 || maxIndex >= t.storage().numel()) {
            throw new IllegalArgumentException("view (offset " + t.offset() + ", size " + Arrays.toString(size)
                    + ", stride " + Arrays.toString(stride) + ") exceeds its storage of " + t.storage().numel()
                    + " elements");
        }
        if (isContiguous(size, stride)) {
            int from = Math.toIntExact(t.offset() * elem);
            ByteBuffer slice = storage.duplicate().position(from).limit(Math.toIntExact(from + numel * elem)).slice();
            return new RawTensor(t.storage().dtype(), size, slice.asReadOnlyBuffer());
        }
        ByteBuffer in = storage.duplicate();
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(numel * elem)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] one = new byte[elem];
        long[] idx = new long[size.length];
        for (long i = 0; i < numel; i++) {
            long pos = t.offset();
            for (int d = 0; d < size.length; d++) {
                pos += idx[d] * stride[d];
            }
            in.get(Math.toIntExact(pos * elem), one);
            out.put(one);
            for (int d = size.length - 1; d >= 0; d--) { // odometer over the row-major index
                if (++idx[d] < size[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return new RawTensor(t.storage().dtype(), size, out.flip());
    }

    private static boolean isContiguous(long[] size, long[] stride) {
        long expected = 1;
        for (int d = size.length - 1; d >= 0; d--) {
            if (size[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= size[d];
        }
        return true;
    }
}
