package org.blip4j.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The protobuf wire format, as much of it as an ONNX model needs (varints, length-delimited fields, 32-bit floats).
 * ONNX models are built here from our own module definitions, so no protobuf runtime or generated classes are
 * needed. A message is a list of byte pieces: embedding a child message appends its pieces instead of copying them,
 * so hundreds of MB of weights are copied once, into the final array.
 */
final class ProtoWriter {
    private final List<byte[]> pieces = new ArrayList<>();
    private ByteArrayOutputStream small = new ByteArrayOutputStream();
    private long size;

    ProtoWriter varint(int field, long value) {
        tag(field, 0);
        rawVarint(value);
        return this;
    }

    ProtoWriter float32(int field, float value) {
        tag(field, 5);
        int bits = Float.floatToRawIntBits(value);
        for (int i = 0; i < 4; i++) {
            write(bits >>> (8 * i));
        }
        return this;
    }

    ProtoWriter string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    ProtoWriter bytes(int field, byte[] value) {
        tag(field, 2);
        rawVarint(value.length);
        append(value);
        return this;
    }

    ProtoWriter message(int field, ProtoWriter child) {
        tag(field, 2);
        rawVarint(child.size());
        child.flushSmall();
        for (byte[] piece : child.pieces) {
            append(piece);
        }
        return this;
    }

    long size() {
        return size;
    }

    byte[] toByteArray() {
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("ONNX model of " + size + " bytes is over protobuf's 2 GiB limit");
        }
        flushSmall();
        byte[] all = new byte[(int) size];
        int at = 0;
        for (byte[] piece : pieces) {
            System.arraycopy(piece, 0, all, at, piece.length);
            at += piece.length;
        }
        return all;
    }

    private void append(byte[] piece) {
        if (piece.length < 4096) {
            small.write(piece, 0, piece.length);
        } else {
            flushSmall();
            pieces.add(piece);
        }
        size += piece.length;
    }

    private void flushSmall() {
        if (small.size() > 0) {
            pieces.add(small.toByteArray());
            small = new ByteArrayOutputStream();
        }
    }

    private void write(int b) {
        small.write(b);
        size++;
    }

    private void tag(int field, int wireType) {
        rawVarint(((long) field << 3) | wireType);
    }

    private void rawVarint(long value) {
        while ((value & ~0x7FL) != 0) {
            write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        write((int) value);
    }
}
