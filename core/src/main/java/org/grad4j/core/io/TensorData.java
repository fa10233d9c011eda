package org.grad4j.core.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor as stored in a safetensors file: a dtype name, a row-major shape and the raw
 * little-endian bytes of its elements.
 *
 * <p>Only {@value #F32} and {@value #F64} are supported. A shape of {@code []} is a scalar (one
 * element); a shape with a zero dimension holds no elements and no bytes.
 *
 * <p>Instances are immutable: the shape is copied, and the constructor keeps a read-only view of
 * the buffer's remaining bytes (not a copy, so the caller should not change those bytes
 * afterwards). {@link #data()} returns a fresh little-endian view positioned at 0 on every call.
 * {@code equals} and {@code hashCode} compare dtype, shape and bytes, so two tensors with the
 * same bits are equal even where the float values are NaN.
 *
 * @param dtype {@value #F32} or {@value #F64}
 * @param shape dimensions, outermost first; none may be negative
 * @param data  exactly {@code numel() * elementSize} bytes, little-endian
 */
public record TensorData(String dtype, int[] shape, ByteBuffer data) {

    /** 32-bit IEEE 754 floats. */
    public static final String F32 = "F32";
    /** 64-bit IEEE 754 floats. */
    public static final String F64 = "F64";

    /**
     * Checks that the buffer's remaining bytes fit the dtype and shape exactly.
     *
     * @throws IllegalArgumentException on an unsupported dtype, a negative dimension, or a byte
     *                                  count that does not match
     */
    public TensorData {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        int elementSize = elementSize(dtype);
        if (elementSize == 0) {
            throw new IllegalArgumentException("unsupported dtype " + dtype + ": TensorData holds F32 or F64");
        }
        shape = shape.clone();
        long bytes = numel(shape) * elementSize;
        if (data.remaining() != bytes) {
            throw new IllegalArgumentException("dtype " + dtype + " and shape " + Arrays.toString(shape)
                    + " need " + bytes + " bytes, but the buffer has " + data.remaining() + " remaining");
        }
        data = data.slice().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** An {@value #F32} tensor holding a copy of {@code values}, which must fill {@code shape} exactly (no dims: a scalar). */
    public static TensorData ofFloats(float[] values, int... shape) {
        ByteBuffer bytes = ByteBuffer.allocate(Math.multiplyExact(checkCount(values.length, shape), 4)).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return new TensorData(F32, shape, bytes);
    }

    /** An {@value #F64} tensor holding a copy of {@code values}, which must fill {@code shape} exactly (no dims: a scalar). */
    public static TensorData ofDoubles(double[] values, int... shape) {
        ByteBuffer bytes = ByteBuffer.allocate(Math.multiplyExact(checkCount(values.length, shape), 8)).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asDoubleBuffer().put(values);
        return new TensorData(F64, shape, bytes);
    }

    /** The dimensions (a copy). */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** A read-only little-endian view of the element bytes, positioned at 0. */
    @Override
    public ByteBuffer data() {
        return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Number of elements: the product of the dimensions (1 for a scalar). */
    public long numel() {
        return numel(shape);
    }

    /** Number of data bytes. */
    public int byteSize() {
        return data.remaining();
    }

    /**
     * The elements as floats, bit for bit (NaN payloads included).
     *
     * @throws IllegalStateException if the dtype is not {@value #F32}
     */
    public float[] toFloatArray() {
        if (!F32.equals(dtype)) {
            throw new IllegalStateException("tensor dtype is " + dtype + ", not F32; use toDoubleArray()");
        }
        float[] values = new float[data.remaining() / 4];
        data().asFloatBuffer().get(values);
        return values;
    }

    /**
     * The elements as doubles, bit for bit (NaN payloads included).
     *
     * @throws IllegalStateException if the dtype is not {@value #F64}
     */
    public double[] toDoubleArray() {
        if (!F64.equals(dtype)) {
            throw new IllegalStateException("tensor dtype is " + dtype + ", not F64; use toFloatArray()");
        }
        double[] values = new double[data.remaining() / 8];
        data().asDoubleBuffer().get(values);
        return values;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorData other
                && dtype.equals(other.dtype)
                && Arrays.equals(shape, other.shape)
                && data.equals(other.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dtype, Arrays.hashCode(shape), data);
    }

    @Override
    public String toString() {
        return "TensorData[dtype=" + dtype + ", shape=" + Arrays.toString(shape) + ", " + data.remaining() + " bytes]";
    }

    /** Bytes per element of a supported dtype, or 0 if grad4j does not hold that dtype. */
    static int elementSize(String dtype) {
        return switch (dtype) {
            case F32 -> 4;
            case F64 -> 8;
            default -> 0;
        };
    }

    /**
     * The product of the dimensions: 0 if any is 0 (however large the others), else at most
     * {@code Long.MAX_VALUE / 8} so the byte count cannot overflow either.
     */
    static long numel(int[] shape) {
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            if (d == 0) {
                return 0;
            }
        }
        long n = 1;
        for (int d : shape) {
            if (n > Long.MAX_VALUE / 8 / d) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has too many elements");
            }
            n *= d;
        }
        return n;
    }

    private static int checkCount(int count, int[] shape) {
        long numel = numel(shape);
        if (numel != count) {
            throw new IllegalArgumentException(count + " values do not fill shape " + Arrays.toString(shape) + " (" + numel + " elements)");
        }
        return count;
    }
}
