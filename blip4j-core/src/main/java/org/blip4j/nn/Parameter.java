package org.blip4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * One named weight of a model. The name is the checkpoint key (HF BLIP layout), so loading and saving are
 * lookups. The array is replaced on load; modules read it through {@link #array()} at forward time.
 */
public final class Parameter {
    private final String name;
    private final Shape shape;
    private final Init init;
    private final float initValue;
    private NDArray array;

    Parameter(String name, Shape shape, Init init, float initValue) {
        this.name = name;
        this.shape = shape;
        this.init = init;
        this.initValue = initValue;
    }

    public String name() {
        return name;
    }

    public Shape shape() {
        return shape;
    }

    public Init init() {
        return init;
    }

    public float initValue() {
        return initValue;
    }

    public NDArray array() {
        if (array == null) {
            throw new IllegalStateException("parameter '" + name + "' has no value (model not loaded/initialised)");
        }
        return array;
    }

    public boolean hasArray() {
        return array != null;
    }

    /** Replaces the value; the previous array is closed. The shape must match. */
    public void set(NDArray value) {
        if (!value.getShape().equals(shape)) {
            throw new IllegalArgumentException("parameter '" + name + "' expects shape " + shape + " but got "
                    + value.getShape());
        }
        if (array != null && array != value) {
            array.close();
        }
        array = value;
    }

    @Override
    public String toString() {
        return name + " " + shape;
    }
}
