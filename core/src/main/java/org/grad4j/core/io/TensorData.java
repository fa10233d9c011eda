package org.grad4j.core.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor as stored in a safetensors file: a dtype name, a row-major shape and the raw
 * little-endian bytes of its elements.
 *
 * <p>Supported dtypes: {@value #F32}, {@value #F64}, {@value #I64}, {@value #I32}, {@value #U8}, {@value #BOOL}
 * (one byte, 0 or 1), and the 16-bit floats {@value #F16} (IEEE half) and {@value #BF16} (bfloat16), which are read
 * as float32 exactly ({@link #toFloatArray()}) and written from float32 rounding to nearest even
 * ({@link #ofHalfFloats}, {@link #ofBFloat16s}). A shape of {@code []} is a scalar (one element); a shape with a zero
 * dimension holds no elements and no bytes.
 *
 * <p>Instances are immutable: the shape is copied, and the constructor keeps a read-only view of
 * the buffer's remaining bytes (not a copy, so the caller should not change those bytes
 * afterwards). {@link #data()} returns a fresh little-endian view positioned at 0 on every call.
 * {@code equals} and {@code hashCode} compare dtype, shape and bytes, so two tensors with the
 * same bits are equal even where the float values are NaN.
 *
 * @param dtype one of the supported dtype names
 * @param shape dimensions, outermost first; none may be negative
 * @param data  exactly {@code numel() * elementSize} bytes, little-endian
 */
public record TensorData(String dtype, int[] shape, ByteBuffer data) {

    /** 32-bit IEEE 754 floats. */
    public static final String F32 = "F32";
    /** 64-bit IEEE 754 floats. */
    public static final String F64 = "F64";
    /** 64-bit signed integers. */
    public static final String I64 = "I64";
    /** 32-bit signed integers. */
    public static final String I32 = "I32";
    /** 8-bit unsigned integers. */
    public static final String U8 = "U8";
    /** Booleans, one byte each (0 or 1). */
    public static final String BOOL = "BOOL";
    /** 16-bit IEEE 754 half-precision floats. */
    public static final String F16 = "F16";
    /** 16-bit bfloat16 floats (the top half of a float32). */
    public static final String BF16 = "BF16";

    /**
     * Checks that the buffer's remaining bytes fit the dtype and shape exactly.
     *
     * @throws IllegalArgumentException on an unsupported dtype, a negative dimension, or a byte
     *                                  count that does not match
     */
    public TensorData {
        Args.notNull(dtype, "TensorData", "dtype");
        Args.notNull(shape, "TensorData", "shape");
        Args.notNull(data, "TensorData", "data");
        int elementSize = elementSize(dtype);
        if (elementSize == 0) {
            throw new IllegalArgumentException("unsupported dtype " + dtype + ": TensorData holds " + SUPPORTED);
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
        Args.notNull(values, "TensorData.ofFloats", "values");
        ByteBuffer bytes = littleEndianBuffer("TensorData.ofFloats", values.length, shape, 4);
        bytes.asFloatBuffer().put(values);
        return new TensorData(F32, shape, bytes);
    }

    /** An {@value #F64} tensor holding a copy of {@code values}, which must fill {@code shape} exactly (no dims: a scalar). */
    public static TensorData ofDoubles(double[] values, int... shape) {
        Args.notNull(values, "TensorData.ofDoubles", "values");
        ByteBuffer bytes = littleEndianBuffer("TensorData.ofDoubles", values.length, shape, 8);
        bytes.asDoubleBuffer().put(values);
        return new TensorData(F64, shape, bytes);
    }

    /** An {@value #I64} tensor holding a copy of {@code values}. */
    public static TensorData ofLongs(long[] values, int... shape) {
        Args.notNull(values, "TensorData.ofLongs", "values");
        ByteBuffer bytes = littleEndianBuffer("TensorData.ofLongs", values.length, shape, 8);
        bytes.asLongBuffer().put(values);
        return new TensorData(I64, shape, bytes);
    }

    /** An {@value #I32} tensor holding a copy of {@code values}. */
    public static TensorData ofInts(int[] values, int... shape) {
        Args.notNull(values, "TensorData.ofInts", "values");
        ByteBuffer bytes = littleEndianBuffer("TensorData.ofInts", values.length, shape, 4);
        bytes.asIntBuffer().put(values);
        return new TensorData(I32, shape, bytes);
    }

    /** A little-endian buffer for {@code count} elements of {@code elementSize} bytes that must fill {@code shape}. */
    private static ByteBuffer littleEndianBuffer(String operation, int count, int[] shape, int elementSize) {
        Args.notNull(shape, operation, "shape");
        return ByteBuffer.allocate(Math.multiplyExact(checkCount(count, shape), elementSize))
                .order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A {@value #U8} tensor holding a copy of {@code values} (read as unsigned). */
    public static TensorData ofBytes(byte[] values, int... shape) {
        Args.notNull(values, "TensorData.ofBytes", "values");
        Args.notNull(shape, "TensorData.ofBytes", "shape");
        return new TensorData(U8, shape, ByteBuffer.wrap(values.clone(), 0, checkCount(values.length, shape)));
    }

    /** A {@value #BOOL} tensor holding {@code values} as bytes 0 and 1. */
    public static TensorData ofBooleans(boolean[] values, int... shape) {
        Args.notNull(values, "TensorData.ofBooleans", "values");
        Args.notNull(shape, "TensorData.ofBooleans", "shape");
        byte[] bytes = new byte[checkCount(values.length, shape)];
        for (int i = 0; i < bytes.length; i++) bytes[i] = values[i] ? (byte) 1 : 0;
        return new TensorData(BOOL, shape, ByteBuffer.wrap(bytes));
    }

    /** An {@value #F16} tensor from float32 values, each rounded to the nearest half (ties to even; overflow to inf). */
    public static TensorData ofHalfFloats(float[] values, int... shape) {
        Args.notNull(values, "TensorData.ofHalfFloats", "values");
        ByteBuffer bytes = littleEndianBuffer("TensorData.ofHalfFloats", values.length, shape, 2);
        for (float v : values) bytes.putShort(Float.floatToFloat16(v));
        return new TensorData(F16, shape, bytes.flip());
    }

    /** A {@value #BF16} tensor from float32 values, each rounded to the nearest bfloat16 (ties to even). */
    public static TensorData ofBFloat16s(float[] values, int... shape) {
        Args.notNull(values, "TensorData.ofBFloat16s", "values");
        ByteBuffer bytes = littleEndianBuffer("TensorData.ofBFloat16s", values.length, shape, 2);
        for (float v : values) bytes.putShort(floatToBFloat16(v));
        return new TensorData(BF16, shape, bytes.flip());
    }

    /** float32 to bfloat16 bits, rounding to nearest even; NaN stays a (quiet) NaN with its sign. */
    static short floatToBFloat16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        int rounded = bits + 0x7FFF + ((bits >>> 16) & 1);
        return (short) (rounded >>> 16);
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
        if (F16.equals(dtype) || BF16.equals(dtype)) {
            float[] values = new float[data.remaining() / 2];
            ByteBuffer in = data();
            boolean half = F16.equals(dtype);
            for (int i = 0; i < values.length; i++) {
                short bits = in.getShort();
                values[i] = half ? Float.float16ToFloat(bits) : Float.intBitsToFloat((bits & 0xFFFF) << 16);
            }
            return values;
        }
        if (!F32.equals(dtype)) {
            throw new IllegalStateException("tensor dtype is " + dtype + ", not F32, F16 or BF16; use the "
                    + "read-out for " + dtype);
        }
        float[] values = new float[data.remaining() / 4];
        data().asFloatBuffer().get(values);
        return values;
    }

    /**
     * The elements of an {@value #I64} tensor.
     *
     * @throws IllegalStateException if the dtype is not {@value #I64}
     */
    public long[] toLongArray() {
        requireDtype(I64);
        long[] values = new long[data.remaining() / 8];
        data().asLongBuffer().get(values);
        return values;
    }

    /**
     * The elements of an {@value #I32} tensor.
     *
     * @throws IllegalStateException if the dtype is not {@value #I32}
     */
    public int[] toIntArray() {
        requireDtype(I32);
        int[] values = new int[data.remaining() / 4];
        data().asIntBuffer().get(values);
        return values;
    }

    /**
     * The raw bytes of a {@value #U8} or {@value #BOOL} tensor.
     *
     * @throws IllegalStateException for any other dtype
     */
    public byte[] toByteArray() {
        if (!U8.equals(dtype) && !BOOL.equals(dtype)) {
            throw new IllegalStateException("tensor dtype is " + dtype + ", not U8 or BOOL");
        }
        byte[] values = new byte[data.remaining()];
        data().get(values);
        return values;
    }

    private void requireDtype(String expected) {
        if (!expected.equals(dtype)) {
            throw new IllegalStateException("tensor dtype is " + dtype + ", not " + expected);
        }
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

    /** The dtype names grad4j reads, for messages. */
    static final String SUPPORTED = "F32, F64, I64, I32, U8, BOOL, F16 or BF16";

    /** Bytes per element of a supported dtype, or 0 if grad4j does not hold that dtype. */
    static int elementSize(String dtype) {
        return switch (dtype) {
            case F32, I32 -> 4;
            case F64, I64 -> 8;
            case F16, BF16 -> 2;
            case U8, BOOL -> 1;
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
