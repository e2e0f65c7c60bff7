package org.blip4j.ort;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;

/** Copies between DJL arrays / Java arrays and ONNX Runtime tensors. */
final class OrtTensors {
    private OrtTensors() {
    }

    static OnnxTensor floats(NDArray x) {
        return floats(x.toType(DataType.FLOAT32, false).toFloatArray(), x.getShape().getShape());
    }

    static OnnxTensor floats(float[] data, long... shape) {
        try {
            return OnnxTensor.createTensor(OrtSessions.environment(), FloatBuffer.wrap(data), shape);
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    static OnnxTensor longs(NDArray x) {
        return longs(x.toType(DataType.INT64, false).toLongArray(), x.getShape().getShape());
    }

    static OnnxTensor longs(long[] data, long... shape) {
        try {
            return OnnxTensor.createTensor(OrtSessions.environment(), LongBuffer.wrap(data), shape);
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    static NDArray toArray(OnnxValue value, NDManager manager) {
        OnnxTensor t = (OnnxTensor) value;
        long[] shape = t.getInfo().getShape();
        return manager.create(t.getFloatBuffer(), new Shape(shape));
    }
}
