package org.grad4j.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * An n-dimensional array of float32, float64, int64, int32, uint8 or bool values ({@link DType}) that records the
 * operations applied to it, so that {@link #backward()} can compute gradients, as a PyTorch tensor does.
 *
 * <pre>{@code
 * Tensor w = Tensor.of(new float[] {0.5f, -1f}, 2).requiresGrad(true);
 * Tensor x = Tensor.of(new float[] {2f, 3f}, 2);
 * Tensor loss = w.mul(x).sum().tanh();
 * loss.backward();
 * System.out.println(w.grad());   // tensor([0.8399, 1.2598])
 * }</pre>
 *
 * <p>A tensor is a view of a flat {@link Storage} through a shape, strides and an offset: {@link #reshape},
 * {@link #transpose}, {@link #permute}, {@link #expand}, {@link #narrow}, {@link #select} and friends share the
 * storage and copy nothing. Binary ops broadcast as NumPy does and promote dtypes as PyTorch does ({@link Promotion});
 * dims may be negative, counting from the end. Tensors are not thread-safe; grad mode ({@link Grad}) is per thread.
 */
public final class Tensor {
    final Storage storage;
    final int[] shape;
    final int[] strides;
    final int offset;
    private boolean requiresGrad;
    Node gradFn;
    private Tensor grad;

    Tensor(Storage storage, int[] shape, int[] strides, int offset) {
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
    }

    static Tensor empty(DType dtype, int[] shape) {
        return new Tensor(Storage.allocate(dtype, Shapes.numel(shape)), shape, Shapes.contiguousStrides(shape), 0);
    }

    // ------------------------------------------------------------------------------------------------ creation

    /**
     * A float32 tensor holding a copy of {@code data} with the given shape; with no shape, a 1-d tensor (as
     * {@code torch.tensor([...])}). For an exact shape that may be 0-d, use {@link #ofShape(float[], int[])}.
     */
    public static Tensor of(float[] data, int... shape) {
        checkArrays("Tensor.of", data, shape);
        int[] s = shape.length == 0 ? new int[] {data.length} : shape.clone();
        checkData("Tensor.of", data.length, s);
        return new Tensor(Storage.wrap(data.clone()), s, Shapes.contiguousStrides(s), 0);
    }

    /** A float64 tensor holding a copy of {@code data} with the given shape (1-d when no shape is given). */
    public static Tensor of(double[] data, int... shape) {
        checkArrays("Tensor.of", data, shape);
        int[] s = shape.length == 0 ? new int[] {data.length} : shape.clone();
        checkData("Tensor.of", data.length, s);
        return new Tensor(Storage.wrap(data.clone()), s, Shapes.contiguousStrides(s), 0);
    }

    /**
     * A float32 tensor of exactly {@code shape}, holding a copy of {@code data}; unlike {@link #of(float[], int...)}
     * an empty shape means a 0-d scalar, so {@code ofShape(t.toFloatArray(), t.shape())} round-trips any tensor.
     */
    public static Tensor ofShape(float[] data, int[] shape) {
        checkArrays("Tensor.ofShape", data, shape);
        checkData("Tensor.ofShape", data.length, shape);
        return new Tensor(Storage.wrap(data.clone()), shape.clone(), Shapes.contiguousStrides(shape), 0);
    }

    /** The float64 form of {@link #ofShape(float[], int[])}. */
    public static Tensor ofShape(double[] data, int[] shape) {
        checkArrays("Tensor.ofShape", data, shape);
        checkData("Tensor.ofShape", data.length, shape);
        return new Tensor(Storage.wrap(data.clone()), shape.clone(), Shapes.contiguousStrides(shape), 0);
    }

    /** An int64 tensor holding a copy of {@code data} with the given shape (1-d when no shape is given). */
    public static Tensor of(long[] data, int... shape) {
        checkArrays("Tensor.of", data, shape);
        int[] s = shape.length == 0 ? new int[] {data.length} : shape.clone();
        checkData("Tensor.of", data.length, s);
        return new Tensor(Storage.wrap(data.clone()), s, Shapes.contiguousStrides(s), 0);
    }

    /** An int32 tensor holding a copy of {@code data} with the given shape (1-d when no shape is given). */
    public static Tensor of(int[] data, int... shape) {
        checkArrays("Tensor.of", data, shape);
        int[] s = shape.length == 0 ? new int[] {data.length} : shape.clone();
        checkData("Tensor.of", data.length, s);
        return new Tensor(Storage.wrap(data.clone()), s, Shapes.contiguousStrides(s), 0);
    }

    /**
     * A uint8 tensor holding a copy of {@code data} with the given shape (1-d when no shape is given). Java bytes are
     * signed: {@code (byte) 200} is stored and read back as 200.
     */
    public static Tensor of(byte[] data, int... shape) {
        checkArrays("Tensor.of", data, shape);
        int[] s = shape.length == 0 ? new int[] {data.length} : shape.clone();
        checkData("Tensor.of", data.length, s);
        return new Tensor(Storage.wrap(data.clone(), DType.UINT8), s, Shapes.contiguousStrides(s), 0);
    }

    /** A bool tensor holding {@code data} with the given shape (1-d when no shape is given). */
    public static Tensor of(boolean[] data, int... shape) {
        checkArrays("Tensor.of", data, shape);
        int[] s = shape.length == 0 ? new int[] {data.length} : shape.clone();
        checkData("Tensor.of", data.length, s);
        return new Tensor(Storage.wrap(boolBytes(data), DType.BOOL), s, Shapes.contiguousStrides(s), 0);
    }

    /** The int64 form of {@link #ofShape(float[], int[])}. */
    public static Tensor ofShape(long[] data, int[] shape) {
        checkArrays("Tensor.ofShape", data, shape);
        checkData("Tensor.ofShape", data.length, shape);
        return new Tensor(Storage.wrap(data.clone()), shape.clone(), Shapes.contiguousStrides(shape), 0);
    }

    /** The int32 form of {@link #ofShape(float[], int[])}. */
    public static Tensor ofShape(int[] data, int[] shape) {
        checkArrays("Tensor.ofShape", data, shape);
        checkData("Tensor.ofShape", data.length, shape);
        return new Tensor(Storage.wrap(data.clone()), shape.clone(), Shapes.contiguousStrides(shape), 0);
    }

    /** The uint8 form of {@link #ofShape(float[], int[])}. */
    public static Tensor ofShape(byte[] data, int[] shape) {
        checkArrays("Tensor.ofShape", data, shape);
        checkData("Tensor.ofShape", data.length, shape);
        return new Tensor(Storage.wrap(data.clone(), DType.UINT8), shape.clone(), Shapes.contiguousStrides(shape), 0);
    }

    /** The bool form of {@link #ofShape(float[], int[])}. */
    public static Tensor ofShape(boolean[] data, int[] shape) {
        checkArrays("Tensor.ofShape", data, shape);
        checkData("Tensor.ofShape", data.length, shape);
        return new Tensor(Storage.wrap(boolBytes(data), DType.BOOL), shape.clone(), Shapes.contiguousStrides(shape),
                0);
    }

    private static byte[] boolBytes(boolean[] data) {
        byte[] bytes = new byte[data.length];
        for (int i = 0; i < data.length; i++) bytes[i] = data[i] ? (byte) 1 : 0;
        return bytes;
    }

    /** A float32 matrix from rows of equal length. */
    public static Tensor of(float[][] rows) {
        Args.noNulls(rows, "Tensor.of", "rows");
        int cols = rows.length == 0 ? 0 : rows[0].length;
        float[] data = new float[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            checkRow(i, rows[i].length, cols);
            System.arraycopy(rows[i], 0, data, i * cols, cols);
        }
        return new Tensor(Storage.wrap(data), new int[] {rows.length, cols}, new int[] {cols, 1}, 0);
    }

    /** A float64 matrix from rows of equal length. */
    public static Tensor of(double[][] rows) {
        Args.noNulls(rows, "Tensor.of", "rows");
        int cols = rows.length == 0 ? 0 : rows[0].length;
        double[] data = new double[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            checkRow(i, rows[i].length, cols);
            System.arraycopy(rows[i], 0, data, i * cols, cols);
        }
        return new Tensor(Storage.wrap(data), new int[] {rows.length, cols}, new int[] {cols, 1}, 0);
    }

    private static void checkRow(int row, int length, int expected) {
        if (length != expected) {
            throw new ShapeMismatchException("Tensor.of: row " + row + " has " + length + " values but row 0 has "
                    + expected + "; all rows of a matrix must have the same length");
        }
    }

    private static void checkArrays(String op, Object data, int[] shape) {
        Args.notNull(data, op, "data");
        Args.notNull(shape, op, "shape");
    }

    private static void checkData(String op, int length, int[] shape) {
        Shapes.checkShape(op, shape);
        if (Shapes.numel(shape) != length) {
            throw new ShapeMismatchException(op + ": " + length + " values cannot fill shape " + Shapes.str(shape)
                    + " (" + Shapes.numel(shape) + " elements)");
        }
    }

    /** A 0-d float32 tensor. */
    public static Tensor scalar(double value) {
        return scalar(value, DType.FLOAT32);
    }

    /** A 0-d tensor of the given dtype ({@code value} converted as {@link #to(DType)} converts). */
    public static Tensor scalar(double value, DType dtype) {
        Args.notNull(dtype, "scalar", "dtype");
        Tensor t = empty(dtype, Shapes.SCALAR);
        t.storage.set(0, value);
        return t;
    }

    /** A 0-d tensor of the given dtype, exact for any long in int64 (wrapped to narrower integer dtypes). */
    public static Tensor scalar(long value, DType dtype) {
        Args.notNull(dtype, "scalar", "dtype");
        Tensor t = empty(dtype, Shapes.SCALAR);
        t.storage.setLong(0, value);
        return t;
    }

    /** A float32 tensor of zeros, as {@code torch.zeros}: {@code Tensor.zeros(2, 3)}. */
    public static Tensor zeros(int... shape) {
        return full(0, DType.FLOAT32, shape);
    }

    /** A tensor of zeros of the given dtype: {@code Tensor.zeros(DType.INT64, 4)}. */
    public static Tensor zeros(DType dtype, int... shape) {
        return full(0, dtype, shape);
    }

    /** A float32 tensor of ones, as {@code torch.ones}: {@code Tensor.ones(2, 3)}. */
    public static Tensor ones(int... shape) {
        return full(1, DType.FLOAT32, shape);
    }

    /** A tensor of ones of the given dtype: {@code Tensor.ones(DType.FLOAT64, 3)}. */
    public static Tensor ones(DType dtype, int... shape) {
        return full(1, dtype, shape);
    }

    /** A float32 tensor filled with {@code value}, as {@code torch.full}: {@code Tensor.full(0.5, 2, 2)}. */
    public static Tensor full(double value, int... shape) {
        return full(value, DType.FLOAT32, shape);
    }

    /** A tensor of {@code shape} filled with {@code value}, converted to {@code dtype}. */
    public static Tensor full(double value, DType dtype, int... shape) {
        Shapes.checkShape("full", shape);
        Args.notNull(dtype, "full", "dtype");
        Tensor t = empty(dtype, shape.clone());
        if (Double.doubleToRawLongBits(value) != 0) {   // -0.0 must be written: the new storage holds +0.0
            t.storage.fill(value);
        }
        return t;
    }

    /** A tensor of {@code shape} filled with {@code value}: exact for int64 beyond 2^53. */
    public static Tensor full(long value, DType dtype, int... shape) {
        Shapes.checkShape("full", shape);
        Args.notNull(dtype, "full", "dtype");
        Tensor t = empty(dtype, shape.clone());
        if (value != 0) {
            t.storage.fillLong(value);
        }
        return t;
    }

    /** Zeros with this tensor's shape and dtype. */
    public Tensor zerosLike() {
        return zeros(dtype(), shape);
    }

    /** Ones with this tensor's shape and dtype. */
    public Tensor onesLike() {
        return ones(dtype(), shape);
    }

    /** {@code [0, 1, ..., end-1]} as int64, as {@code torch.arange(end)}. */
    public static Tensor arange(int end) {
        return arange(0, end, 1, DType.INT64);
    }

    /** Integer steps from {@code start} (inclusive) to {@code end} (exclusive), exact in any dtype that holds them. */
    public static Tensor arange(long start, long end, long step, DType dtype) {
        Args.notNull(dtype, "arange", "dtype");
        if (step == 0) {
            throw new IllegalArgumentException("arange: need a non-zero step, got start=" + start + ", end=" + end
                    + ", step=" + step);
        }
        double approximate = Math.ceil(((double) end - start) / step);
        if (approximate > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("arange: [" + start + ", " + end + ") by " + step + " has " + approximate
                    + " elements; a tensor holds at most " + (Integer.MAX_VALUE - 8));
        }
        int n = (int) Math.max(0, step > 0 ? (end > start ? (end - start - 1) / step + 1 : 0)
                : (start > end ? (start - end - 1) / -step + 1 : 0));
        Tensor t = empty(dtype, new int[] {n});
        for (int i = 0; i < n; i++) {
            t.storage.setLong(i, start + i * step);
        }
        return t;
    }

    /** Values from {@code start} (inclusive) to {@code end} (exclusive) by {@code step}, as {@code torch.arange}. */
    public static Tensor arange(double start, double end, double step, DType dtype) {
        Args.notNull(dtype, "arange", "dtype");
        if (step == 0 || Double.isNaN(step) || !Double.isFinite(start) || !Double.isFinite(end)) {
            throw new IllegalArgumentException("arange: need finite start and end and a non-zero step, got start="
                    + start + ", end=" + end + ", step=" + step);
        }
        double count = Math.max(0, Math.ceil((end - start) / step));
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("arange: [" + start + ", " + end + ") by " + step + " has " + count
                    + " elements; a tensor holds at most " + (Integer.MAX_VALUE - 8));
        }
        int n = (int) count;
        Tensor t = empty(dtype, new int[] {n});
        for (int i = 0; i < n; i++) {
            t.storage.set(i, start + i * step);
        }
        return t;
    }

    /** The n x n identity matrix (float32). */
    public static Tensor eye(int n) {
        return eye(n, DType.FLOAT32);
    }

    /** The n x n identity matrix of the given dtype: {@code Tensor.eye(3, DType.FLOAT64)}. */
    public static Tensor eye(int n, DType dtype) {
        Args.notNull(dtype, "eye", "dtype");
        Tensor t = zeros(dtype, n, n);
        for (int i = 0; i < n; i++) {
            t.storage.set(i * n + i, 1);
        }
        return t;
    }

    /** Uniform values in [0, 1), reproducible from the seed. */
    public static Tensor rand(long seed, int... shape) {
        return rand(new SplittableRandom(seed), DType.FLOAT32, shape);
    }

    /** Uniform values in [0, 1) drawn from {@code rng}; {@code dtype} must be float32 or float64. */
    public static Tensor rand(RandomGenerator rng, DType dtype, int... shape) {
        Shapes.checkShape("rand", shape);
        checkFloating("rand", dtype);
        Tensor t = empty(dtype, shape.clone());
        if (dtype == DType.FLOAT32) {
            // nextFloat, not (float) nextDouble: rounding a double near 1 to float can give exactly 1.0f.
            for (int i = 0; i < t.storage.floats().length; i++) t.storage.floats()[i] = rng.nextFloat();
        } else {
            for (int i = 0; i < t.storage.doubles().length; i++) t.storage.doubles()[i] = rng.nextDouble();
        }
        return t;
    }

    /** Standard normal values, reproducible from the seed. */
    public static Tensor randn(long seed, int... shape) {
        return randn(new SplittableRandom(seed), DType.FLOAT32, shape);
    }

    /** Standard normal values drawn from {@code rng}; {@code dtype} must be float32 or float64. */
    public static Tensor randn(RandomGenerator rng, DType dtype, int... shape) {
        Shapes.checkShape("randn", shape);
        checkFloating("randn", dtype);
        Tensor t = empty(dtype, shape.clone());
        for (int i = 0; i < t.storage.length(); i++) {
            t.storage.set(i, rng.nextGaussian());
        }
        return t;
    }

    private static void checkFloating(String op, DType dtype) {
        Args.notNull(dtype, op, "dtype");
        if (!dtype.isFloatingPoint()) {
            throw new DTypeMismatchException(op + ": draws floating-point values, so dtype must be FLOAT32 or FLOAT64,"
                    + " got " + dtype);
        }
    }

    /**
     * One-hot rows: {@code [labels.length, numClasses]} with a 1 at each label, as {@code F.one_hot}.
     */
    public static Tensor oneHot(int[] labels, int numClasses, DType dtype) {
        return Indexing.oneHot(labels, numClasses, dtype);
    }

    /**
     * One-hot int64 rows from an int64 or int32 tensor of class indices (any shape; adds a last dim), as
     * {@code F.one_hot}. Convert with {@code .to(DType.FLOAT32)} to use it as a probability target.
     */
    public static Tensor oneHot(Tensor labels, int numClasses) {
        int[] idx = Indexing.toIndices("oneHot", labels, numClasses);
        return Indexing.oneHot(idx, numClasses, DType.INT64)
                .reshape(Indexing.append(labels.shape, numClasses));
    }

    // ------------------------------------------------------------------------------------------------ read-out

    /** The element type, e.g. {@link DType#FLOAT32}. */
    public DType dtype() {
        return storage.dtype;
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    /** Size of one dim (negative counts from the end). */
    public int size(int dim) {
        return shape[Shapes.existingDim("size", dim, shape.length)];
    }

    /** Number of dims; 0 for a scalar. */
    public int dim() {
        return shape.length;
    }

    /** Number of elements (the product of the shape; 1 for a 0-d tensor), as {@code torch.numel}. */
    public int numel() {
        return Shapes.numel(shape);
    }

    /** The single value of a tensor with one element, as a double (int64 beyond 2^53 rounds: use itemLong). */
    public double item() {
        return storage.get(itemIndex("item"));
    }

    /** The single value as a long: exact for integer dtypes; floats truncate toward zero; bool gives 0 or 1. */
    public long itemLong() {
        return storage.getLong(itemIndex("itemLong"));
    }

    /** The single value as a boolean ({@code value != 0}, as {@code bool(tensor)} in PyTorch). */
    public boolean itemBoolean() {
        return storage.get(itemIndex("itemBoolean")) != 0;
    }

    private int itemIndex(String op) {
        if (numel() != 1) {
            throw new ShapeMismatchException(op + ": only a tensor with one element can be converted to a number,"
                    + " this one has shape " + Shapes.str(shape) + "; use toDoubleArray() or select an element");
        }
        return offset;
    }

    /** The element at the given index (one int per dim, negative counts from the end), as a double. */
    public double get(int... index) {
        return storage.get(flatIndex("get", index));
    }

    /** The element at the given index as a long (exact for integer dtypes; see {@link #itemLong()}). */
    public long getLong(int... index) {
        return storage.getLong(flatIndex("getLong", index));
    }

    /** The element at the given index as a boolean ({@code value != 0}). */
    public boolean getBoolean(int... index) {
        return storage.get(flatIndex("getBoolean", index)) != 0;
    }

    int flatIndex(String op, int[] index) {
        Args.notNull(index, op, "index");
        if (index.length != shape.length) {
            throw new ShapeMismatchException(op + ": " + index.length + " indices given for a tensor of shape "
                    + Shapes.str(shape));
        }
        int pos = offset;
        for (int d = 0; d < shape.length; d++) {
            int i = index[d] < 0 ? index[d] + shape[d] : index[d];
            if (i < 0 || i >= shape[d]) {
                throw new ShapeMismatchException(op + ": index " + index[d] + " is out of bounds for dimension " + d
                        + " with size " + shape[d] + " (shape " + Shapes.str(shape) + ")");
            }
            pos += i * strides[d];
        }
        return pos;
    }

    /** The values in row-major order, as float (converted if the tensor is float64). */
    public float[] toFloatArray() {
        Tensor c = contiguousData(DType.FLOAT32);
        return ownsWholeStorage(c) ? c.storage.floats() : Arrays.copyOfRange(c.storage.floats(), c.offset,
                c.offset + c.numel());
    }

    /** The values in row-major order, as double (converted if the tensor is float32). */
    public double[] toDoubleArray() {
        Tensor c = contiguousData(DType.FLOAT64);
        return ownsWholeStorage(c) ? c.storage.doubles() : Arrays.copyOfRange(c.storage.doubles(), c.offset,
                c.offset + c.numel());
    }

    /** The values in row-major order as longs (converted as {@link #to(DType)} converts to int64). */
    public long[] toLongArray() {
        Tensor c = contiguousData(DType.INT64);
        return ownsWholeStorage(c) ? c.storage.longs() : Arrays.copyOfRange(c.storage.longs(), c.offset,
                c.offset + c.numel());
    }

    /** The values in row-major order as ints (converted as {@link #to(DType)} converts to int32). */
    public int[] toIntArray() {
        Tensor c = contiguousData(DType.INT32);
        return ownsWholeStorage(c) ? c.storage.ints() : Arrays.copyOfRange(c.storage.ints(), c.offset,
                c.offset + c.numel());
    }

    /** The values in row-major order as uint8 bytes (converted as {@link #to(DType)} converts to uint8). */
    public byte[] toByteArray() {
        Tensor c = contiguousData(DType.UINT8);
        return ownsWholeStorage(c) ? c.storage.bytes() : Arrays.copyOfRange(c.storage.bytes(), c.offset,
                c.offset + c.numel());
    }

    /** The values in row-major order as booleans ({@code value != 0}). */
    public boolean[] toBooleanArray() {
        Tensor c = contiguousData(DType.BOOL);
        byte[] bytes = c.storage.bytes();
        boolean[] out = new boolean[c.numel()];
        for (int i = 0; i < out.length; i++) out[i] = bytes[c.offset + i] != 0;
        return out;
    }

    /** Whether {@code c} is a fresh copy made for read-out, whose array can be handed out without copying again. */
    private boolean ownsWholeStorage(Tensor c) {
        return c.storage != storage && c.offset == 0 && c.storage.length() == c.numel();
    }

    private Tensor contiguousData(DType dtype) {
        Tensor t;
        try (Grad.Scope off = Grad.disabled()) {
            t = dtype() == dtype ? this : to(dtype);
            return t.isContiguous() ? t : t.copy();
        }
    }

    /** Whether the elements are laid out densely in row-major order (so a reshape needs no copy). */
    public boolean isContiguous() {
        int expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && strides[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }

    /** Whether this tensor and {@code other} share storage (one is a view of the other, or both of a third). */
    public boolean sharesStorageWith(Tensor other) {
        return storage == Args.notNull(other, "sharesStorageWith", "other").storage;
    }

    /** The strides, in elements, of each dim (a copy). */
    public int[] strides() {
        return strides.clone();
    }

    boolean hasNonFinite() {
        if (!dtype().isFloatingPoint()) {
            return false;
        }
        if (dtype() == DType.FLOAT32) {
            // read in float32: a conversion to float64 is an op, whose anomaly check would call this again
            for (float x : toFloatArray()) {
                if (!Float.isFinite(x)) {
                    return true;
                }
            }
            return false;
        }
        double[] v = toDoubleArray();
        for (double x : v) {
            if (!Double.isFinite(x)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Element-wise closeness as {@code torch.allclose}: {@code |a - b| <= atol + rtol * |b|}, same shape; an infinity
     * is close only to itself and NaN to nothing.
     */
    public boolean allClose(Tensor other, double rtol, double atol) {
        Args.notNull(other, "allClose", "other");
        if (!Arrays.equals(shape, other.shape)) {
            return false;
        }
        double[] a = toDoubleArray();
        double[] b = other.toDoubleArray();
        for (int i = 0; i < a.length; i++) {
            double error = Math.abs(a[i] - b[i]);
            // the finiteness test, as torch's isclose: inf <= atol + rtol * inf would call 1 close to inf
            if (!(a[i] == b[i]) && !(Double.isFinite(error) && error <= atol + rtol * Math.abs(b[i]))) {
                return false;
            }
        }
        return true;
    }

    /** The values in PyTorch's format ({@code tensor([[1., 2.]])}), truncated for large tensors, with the shape. */
    @Override
    public String toString() {
        return TensorFormatter.format(this);
    }

    /** {@link #toString()} with {@code precision} decimals instead of 4 (as {@code torch.set_printoptions}). */
    public String toString(int precision) {
        if (precision < 0 || precision > 17) {
            throw new IllegalArgumentException("toString: precision must be in [0, 17], got " + precision);
        }
        return TensorFormatter.format(this, precision);
    }

    // ------------------------------------------------------------------------------------------------ autograd

    /**
     * Marks a leaf so that ops on it are recorded and {@link #backward()} fills its {@link #grad()}. Only float32 and
     * float64 tensors can require grad.
     */
    public Tensor requiresGrad(boolean requiresGrad) {
        if (requiresGrad && !dtype().isFloatingPoint()) {
            throw new AutogradException("requiresGrad: only tensors of a floating-point dtype can require gradients,"
                    + " this one is " + dtype() + " (shape " + Shapes.str(shape) + "); convert it with"
                    + " .to(DType.FLOAT32) first");
        }
        if (gradFn != null) {
            throw new AutogradException("requiresGrad: can only change the flag of leaf tensors; this tensor was"
                    + " produced by '" + gradFn.op + "'. Use detach() to get a leaf that shares its data.");
        }
        this.requiresGrad = requiresGrad;
        return this;
    }

    /** Whether ops on this tensor are recorded for {@link #backward()} (a leaf marked so, or a result of one). */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Whether this tensor was created by the user rather than by a recorded op. */
    public boolean isLeaf() {
        return gradFn == null;
    }

    /** The accumulated gradient; null until a backward reaches this tensor (non-leaves: see {@link #retainGrad}). */
    public Tensor grad() {
        return grad;
    }

    /** Replaces the gradient, e.g. to load one or to set it to null; shape and dtype must match. */
    public void setGrad(Tensor g) {
        if (g != null && (!Arrays.equals(g.shape, shape) || g.dtype() != dtype())) {
            throw new ShapeMismatchException("setGrad: gradient of shape " + Shapes.str(g.shape) + " and dtype "
                    + g.dtype() + " does not match the tensor's " + Shapes.str(shape) + " " + dtype());
        }
        this.grad = g;
    }

    void setGradInternal(Tensor g) {
        this.grad = g;
    }

    /** Clears the gradient (sets it to null, as PyTorch's {@code zero_grad(set_to_none=True)}). */
    public void zeroGrad() {
        this.grad = null;
    }

    /** Asks the next backward to keep this non-leaf's gradient in {@link #grad()}. No effect on leaves. */
    public Tensor retainGrad() {
        if (gradFn != null) {
            gradFn.retain(this);
        }
        return this;
    }

    /** The name of the op that produced this tensor, or null for a leaf. */
    public String gradFnName() {
        return gradFn == null ? null : gradFn.op;
    }

    void attach(Node node) {
        this.gradFn = node;
        this.requiresGrad = true;
    }

    /** Backward from a scalar: fills the {@code grad()} of every leaf that requires grad and contributed to it. */
    public void backward() {
        backward(null, false, false);
    }

    /** Backward from a non-scalar with the gradient of some scalar with respect to this tensor. */
    public void backward(Tensor gradient) {
        backward(gradient, false, false);
    }

    /**
     * Full form. {@code gradient} may be null for a scalar. {@code retainGraph} keeps the saved tensors so a second
     * backward can run; {@code createGraph} records the backward pass itself, so the gradients are differentiable.
     */
    public void backward(Tensor gradient, boolean retainGraph, boolean createGraph) {
        Tensor g = Autograd.rootGradient("backward", this, gradient);
        Engine.run(new Tensor[] {this}, new Tensor[] {g}, retainGraph || createGraph, createGraph, null);
    }

    /** A leaf sharing this tensor's storage, outside any graph. */
    public Tensor detach() {
        return new Tensor(storage, shape, strides, offset);
    }

    /** Graphviz DOT of the graph that {@code backward()} would walk from this tensor. */
    public String toDot() {
        return GraphExport.toDot(this);
    }

    // ------------------------------------------------------------------------------------------------ element-wise

    /** {@code this + other}, broadcasting and promoting dtypes as {@code torch.add}: {@code x.add(bias)}. */
    public Tensor add(Tensor other) {
        return Pointwise.add(this, other);
    }

    /** {@code add} with a Java number: a double is a float scalar (an integer tensor gives float32). */
    public Tensor add(double value) {
        return Pointwise.add(this, constant(value));
    }

    /** {@code add} with a Java long: keeps an integer tensor's dtype (a bool tensor gives int64), as a Python int. */
    public Tensor add(long value) {
        return Pointwise.add(this, scalar(value, Promotion.withLong(dtype())));
    }

    /** {@code this - other}, broadcasting and promoting dtypes as {@code torch.sub}. */
    public Tensor sub(Tensor other) {
        return Pointwise.sub(this, other);
    }

    /** {@code sub} with a Java number: a double is a float scalar (an integer tensor gives float32). */
    public Tensor sub(double value) {
        return Pointwise.sub(this, constant(value));
    }

    /** {@code sub} with a Java long: keeps an integer tensor's dtype (a bool tensor gives int64), as a Python int. */
    public Tensor sub(long value) {
        return Pointwise.sub(this, scalar(value, Promotion.withLong(dtype())));
    }

    /** {@code this * other} element by element (not a matrix product: see {@link #matmul}), broadcasting. */
    public Tensor mul(Tensor other) {
        return Pointwise.mul(this, other);
    }

    /** {@code mul} with a Java number: a double is a float scalar (an integer tensor gives float32). */
    public Tensor mul(double value) {
        return Pointwise.mul(this, constant(value));
    }

    /** {@code mul} with a Java long: keeps an integer tensor's dtype (a bool tensor gives int64), as a Python int. */
    public Tensor mul(long value) {
        return Pointwise.mul(this, scalar(value, Promotion.withLong(dtype())));
    }

    /** {@code this / other}, broadcasting; true division, so integer tensors give float32 (as {@code torch.div}). */
    public Tensor div(Tensor other) {
        return Pointwise.div(this, other);
    }

    /** True division by a number; integer tensors divide in float32. */
    public Tensor div(double value) {
        return Pointwise.div(this, constant(value));
    }

    /**
     * {@code floor(this / other)}, as {@code torch.floor_divide} (and Python's {@code //}): integers stay integers,
     * rounding toward negative infinity; integer division by zero throws (PyTorch: ZeroDivisionError). Not
     * differentiable (records nothing), as in PyTorch.
     */
    public Tensor floorDivide(Tensor other) {
        return Pointwise.floorDivide("floorDivide", this, other, false);
    }

    /** {@link #floorDivide(Tensor)} by a long (keeps an integer dtype). */
    public Tensor floorDivide(long value) {
        return floorDivide(scalar(value, Promotion.withLong(dtype())));
    }

    /**
     * {@code this - other * floor(this / other)}: the remainder with the divisor's sign, as {@code torch.remainder}
     * (Python's {@code %}); integer division by zero throws. Differentiable for floating-point operands.
     */
    public Tensor remainder(Tensor other) {
        return Pointwise.floorDivide("remainder", this, other, true);
    }

    /** {@link #remainder(Tensor)} by a long (keeps an integer dtype). */
    public Tensor remainder(long value) {
        return remainder(scalar(value, Promotion.withLong(dtype())));
    }

    /** {@code value - this}. */
    public Tensor rsub(double value) {
        return constant(value).sub(this);
    }

    /** {@code -this}. */
    public Tensor neg() {
        return Pointwise.neg(this);
    }

    /** Element-wise power with a tensor exponent (broadcast). */
    public Tensor pow(Tensor exponent) {
        return Pointwise.pow(this, exponent);
    }

    /** Element-wise power with a constant exponent (an integer tensor gives float32, as {@code x ** 2.0}). */
    public Tensor pow(double exponent) {
        return Pointwise.powScalar(this, exponent);
    }

    /**
     * Element-wise power with an integer exponent: an integer tensor stays integral (wrapping on overflow; negative
     * exponents refused), as {@code x ** 2} in PyTorch; a float tensor behaves as {@link #pow(double)}.
     */
    public Tensor pow(long exponent) {
        return dtype().isFloatingPoint() ? pow((double) exponent)
                : Pointwise.pow(this, scalar(exponent, Promotion.withLong(dtype())));
    }

    /** {@code this * this}: {@code x.sub(y).square().mean()} is a squared error. */
    public Tensor square() {
        return mul(this);
    }

    /** e to the power of each element (within 1 ulp; the same bits on every kernel path). */
    public Tensor exp() {
        return Pointwise.exp(this);
    }

    /** Natural logarithm of each element; {@code log(0) = -inf}, negative inputs give NaN, as {@code torch.log}. */
    public Tensor log() {
        return Pointwise.log(this);
    }

    /** {@code log(1 + x)}, accurate for small x. */
    public Tensor log1p() {
        return Pointwise.log1p(this);
    }

    /** {@code exp(x) - 1}, accurate for small x. */
    public Tensor expm1() {
        return Pointwise.expm1(this);
    }

    /** Square root of each element; negative inputs give NaN. */
    public Tensor sqrt() {
        return Pointwise.sqrt(this);
    }

    /** {@code 1 / sqrt(x)}. */
    public Tensor rsqrt() {
        return sqrt().reciprocal();
    }

    /** {@code 1 / this}; {@code 1 / 0 = inf}. */
    public Tensor reciprocal() {
        return Pointwise.reciprocal(this);
    }

    /** Absolute value of each element (the gradient at 0 is 0, as in PyTorch). */
    public Tensor abs() {
        return Pointwise.abs(this);
    }

    /** -1, 0 or 1; not differentiable (its gradient is zero almost everywhere), so it records nothing. */
    public Tensor sign() {
        return Pointwise.map(org.grad4j.core.kernel.UnaryOp.SIGN, this);
    }

    /** Sine of each element (radians). */
    public Tensor sin() {
        return Pointwise.sin(this);
    }

    /** Cosine of each element (radians). */
    public Tensor cos() {
        return Pointwise.cos(this);
    }

    /** The Gauss error function (used by the exact GELU). */
    public Tensor erf() {
        return Pointwise.erf(this);
    }

    // ------------------------------------------------------------------------ more element-wise functions (issue 8)

    /** The tangent; integer tensors give float32. {@code tan' = 1 + tan^2}. */
    public Tensor tan() {
        return ElementwiseFunctions.tan(this);
    }

    /** The arcsine, in {@code [-pi/2, pi/2]}; NaN outside {@code [-1, 1]}, as {@code torch.asin}. */
    public Tensor asin() {
        return ElementwiseFunctions.asin(this);
    }

    /** The arccosine, in {@code [0, pi]}; NaN outside {@code [-1, 1]}, as {@code torch.acos}. */
    public Tensor acos() {
        return ElementwiseFunctions.acos(this);
    }

    /** The arctangent, in {@code (-pi/2, pi/2)}. */
    public Tensor atan() {
        return ElementwiseFunctions.atan(this);
    }

    /**
     * The angle of the point {@code (other, this)} in {@code [-pi, pi]}, as {@code torch.atan2(this, other)}
     * (broadcasting; integers give float32). Differentiable in both arguments (NaN at the origin, as PyTorch).
     */
    public Tensor atan2(Tensor other) {
        return ElementwiseFunctions.atan2(this, other);
    }

    /** The hyperbolic sine (accurate near 0). */
    public Tensor sinh() {
        return ElementwiseFunctions.sinh(this);
    }

    /** The hyperbolic cosine. */
    public Tensor cosh() {
        return ElementwiseFunctions.cosh(this);
    }

    /** The inverse hyperbolic sine (accurate near 0, no overflow for large values). */
    public Tensor asinh() {
        return ElementwiseFunctions.asinh(this);
    }

    /** The inverse hyperbolic cosine: {@code acosh(1) = 0}, NaN below 1. */
    public Tensor acosh() {
        return ElementwiseFunctions.acosh(this);
    }

    /** The inverse hyperbolic tangent: {@code atanh(+-1) = +-inf}, NaN outside {@code [-1, 1]}. */
    public Tensor atanh() {
        return ElementwiseFunctions.atanh(this);
    }

    /** The base-2 logarithm, exact at powers of two: {@code log2(0) = -inf}, NaN for negatives. */
    public Tensor log2() {
        return ElementwiseFunctions.log2(this);
    }

    /** The base-10 logarithm: {@code log10(0) = -inf}, NaN for negatives. */
    public Tensor log10() {
        return ElementwiseFunctions.log10(this);
    }

    /** {@code 2^x}, exact at integers; integer tensors give float32. */
    public Tensor exp2() {
        return ElementwiseFunctions.exp2(this);
    }

    /**
     * Rounds down. Integer tensors are returned unchanged (a copy), bool is refused, as in PyTorch; the gradient is
     * zero.
     */
    public Tensor floor() {
        return ElementwiseFunctions.floor(this);
    }

    /** Rounds up; integer tensors unchanged, zero gradient (see {@link #floor()}). */
    public Tensor ceil() {
        return ElementwiseFunctions.ceil(this);
    }

    /** Rounds to the nearest integer, halves to even ({@code 0.5 -> 0, 1.5 -> 2}), as {@code torch.round}. */
    public Tensor round() {
        return ElementwiseFunctions.round(this);
    }

    /**
     * Rounds to {@code decimals} decimal places (negative: to tens, hundreds...), halves to even, as
     * {@code torch.round(x, decimals=d)}: computed as {@code rint(x * 10^d) / 10^d} in the tensor's dtype, so
     * results match PyTorch's bit for bit. Floating-point tensors only; zero gradient.
     */
    public Tensor round(int decimals) {
        return ElementwiseFunctions.round(this, decimals);
    }

    /** Rounds toward zero; integer tensors unchanged, zero gradient (see {@link #floor()}). */
    public Tensor trunc() {
        return ElementwiseFunctions.trunc(this);
    }

    /** {@code x - trunc(x)}, with x's sign ({@code frac(-1.5) = -0.5}); floating-point tensors only. */
    public Tensor frac() {
        return ElementwiseFunctions.frac(this);
    }

    /**
     * {@code this - other * trunc(this / other)}: the remainder with the dividend's sign, as {@code torch.fmod} (C's
     * {@code fmod}; {@link #remainder(Tensor)} takes the divisor's sign). Integers stay integral and an integer
     * divisor of 0 throws; float division by 0 gives NaN. Differentiable for floating-point operands.
     */
    public Tensor fmod(Tensor other) {
        return ElementwiseFunctions.fmod(this, other);
    }

    /** {@link #fmod(Tensor)} by a number (an integer tensor gives float32). */
    public Tensor fmod(double value) {
        return ElementwiseFunctions.fmod(this, constant(value));
    }

    /** {@link #fmod(Tensor)} by a long (keeps an integer dtype). */
    public Tensor fmod(long value) {
        return ElementwiseFunctions.fmod(this, scalar(value, Promotion.withLong(dtype())));
    }

    /** {@link #remainder(Tensor)} by a number (an integer tensor gives float32). */
    public Tensor remainder(double value) {
        return remainder(constant(value));
    }

    /**
     * {@code this + weight * (end - this)}, as {@code torch.lerp} (its formula, exact at weight 0 and 1);
     * broadcasting and promoting, integers computed in float32.
     */
    public Tensor lerp(Tensor end, double weight) {
        return ElementwiseFunctions.lerp(this, end, weight);
    }

    /** {@link #lerp(Tensor, double)} with a tensor weight (all three broadcast); differentiable in all three. */
    public Tensor lerp(Tensor end, Tensor weight) {
        return ElementwiseFunctions.lerp(this, end, weight);
    }

    /** {@code log(exp(this) + exp(other))}, stable for any magnitude, as {@code torch.logaddexp}. */
    public Tensor logAddExp(Tensor other) {
        return ElementwiseFunctions.logAddExp(this, other);
    }

    /** {@code log2(2^this + 2^other)}, stable, as {@code torch.logaddexp2}. */
    public Tensor logAddExp2(Tensor other) {
        return ElementwiseFunctions.logAddExp2(this, other);
    }

    /** {@code sqrt(this^2 + other^2)} without overflow or underflow, as {@code torch.hypot}. */
    public Tensor hypot(Tensor other) {
        return ElementwiseFunctions.hypot(this, other);
    }

    /**
     * Clamps between tensor bounds, {@code min(max(x, min), max)}, as {@code torch.clamp(x, min, max)}: either
     * bound may be null (not both), all three broadcast and promote together, a NaN anywhere gives NaN, and where
     * {@code min > max} the result is max. Gradients go to x inside the bounds and to the bound that was applied,
     * as in PyTorch.
     */
    public Tensor clamp(Tensor min, Tensor max) {
        return ElementwiseFunctions.clamp(this, min, max);
    }

    /**
     * {@code maximum(x, min)} as {@code torch.clamp_min} with a tensor bound (gradient to min where
     * {@code x < min}).
     */
    public Tensor clampMin(Tensor min) {
        return ElementwiseFunctions.clampMin(this, min);
    }

    /**
     * {@code minimum(x, max)} as {@code torch.clamp_max} with a tensor bound (gradient to max where
     * {@code x > max}).
     */
    public Tensor clampMax(Tensor max) {
        return ElementwiseFunctions.clampMax(this, max);
    }

    /**
     * Replaces NaN by 0, +inf by the dtype's largest finite value and -inf by its lowest, as
     * {@code torch.nan_to_num}; integer and bool tensors are returned unchanged (a copy). The gradient passes where
     * the input is finite.
     */
    public Tensor nanToNum() {
        return ElementwiseFunctions.nanToNum(this, 0, null, null);
    }

    /** {@link #nanToNum()} with NaN replaced by {@code nan}. */
    public Tensor nanToNum(double nan) {
        return ElementwiseFunctions.nanToNum(this, nan, null, null);
    }

    /**
     * {@link #nanToNum()} with the given replacements (rounded to the dtype, so {@code 1e300} is inf in float32, as
     * in PyTorch); a null {@code posInf} or {@code negInf} keeps the dtype's largest or lowest finite value.
     */
    public Tensor nanToNum(double nan, Double posInf, Double negInf) {
        return ElementwiseFunctions.nanToNum(this, nan, posInf, negInf);
    }

    /** A bool mask of the NaN elements (all false for integer and bool tensors); records nothing. */
    public Tensor isNan() {
        return ElementwiseFunctions.isNan(this);
    }

    /** A bool mask of the +-inf elements (all false for integer and bool tensors). */
    public Tensor isInf() {
        return ElementwiseFunctions.isInf(this);
    }

    /** A bool mask of the finite elements, neither NaN nor +-inf (all true for integer and bool tensors). */
    public Tensor isFinite() {
        return ElementwiseFunctions.isFinite(this);
    }

    /** A bool mask of the +inf elements. */
    public Tensor isPosInf() {
        return ElementwiseFunctions.isPosInf(this);
    }

    /** A bool mask of the -inf elements. */
    public Tensor isNegInf() {
        return ElementwiseFunctions.isNegInf(this);
    }

    /** Hyperbolic tangent of each element; its gradient is computed from the saved output, {@code 1 - y^2}. */
    public Tensor tanh() {
        return Pointwise.tanh(this);
    }

    /** {@code 1 / (1 + exp(-x))}, exact 0 or 1 at the extremes, never NaN. */
    public Tensor sigmoid() {
        return Pointwise.sigmoid(this);
    }

    /** {@code max(x, 0)}, as {@code torch.relu} (NaN stays NaN; the gradient at 0 is 0). */
    public Tensor relu() {
        return Pointwise.relu(this);
    }

    /** Clamps into {@code [min, max]}; the gradient passes where {@code min <= x <= max}, as in PyTorch. */
    public Tensor clamp(double min, double max) {
        if (min > max || Double.isNaN(min) || Double.isNaN(max)) {
            throw new IllegalArgumentException("clamp: need min <= max, got min=" + min + ", max=" + max);
        }
        return Pointwise.clamp(this, min, max);
    }

    /** {@code max(x, min)}, as {@code torch.clamp(x, min=min)}. */
    public Tensor clampMin(double min) {
        return clamp(min, Double.POSITIVE_INFINITY);
    }

    /** {@code min(x, max)}, as {@code torch.clamp(x, max=max)}. */
    public Tensor clampMax(double max) {
        return clamp(Double.NEGATIVE_INFINITY, max);
    }

    /** Element-wise maximum (NaN propagates; on ties each side gets half the gradient, as in PyTorch). */
    public Tensor maximum(Tensor other) {
        return Pointwise.maximum(this, other);
    }

    /** Element-wise minimum (NaN propagates; on ties each side gets half the gradient). */
    public Tensor minimum(Tensor other) {
        return Pointwise.minimum(this, other);
    }

    /**
     * {@code condition ? a : b}, broadcasting all three; the condition must be bool, a and b are promoted. The
     * gradient flows to a and b, not the condition.
     */
    public static Tensor where(Tensor condition, Tensor a, Tensor b) {
        return Pointwise.where(condition, a, b);
    }

    /** {@code this ? a : b} for a bool tensor. */
    public Tensor where(Tensor a, Tensor b) {
        return Pointwise.where(this, a, b);
    }

    /**
     * A copy with {@code value} (converted to this dtype) where the bool {@code mask} (broadcast to this shape) is
     * true, as {@code masked_fill}. The gradient flows to the elements that were kept.
     */
    public Tensor maskedFill(Tensor mask, double value) {
        return Masks.maskedFill(this, mask, scalar(value, dtype()));
    }

    /** {@link #maskedFill(Tensor, double)} with a long, exact for int64. */
    public Tensor maskedFill(Tensor mask, long value) {
        return Masks.maskedFill(this, mask, scalar(value, dtype()));
    }

    /**
     * The elements where the bool {@code mask} is true (both broadcast), as a 1-d tensor in row-major order, as
     * {@code masked_select}. Differentiable.
     */
    public Tensor maskedSelect(Tensor mask) {
        return Masks.maskedSelect(this, mask);
    }

    /** Element-wise logical and of the truth values ({@code != 0}) of both tensors; bool. */
    public Tensor logicalAnd(Tensor other) {
        return Masks.logical("logicalAnd", this, other);
    }

    /** Element-wise logical or; bool. */
    public Tensor logicalOr(Tensor other) {
        return Masks.logical("logicalOr", this, other);
    }

    /** Element-wise logical exclusive or; bool. */
    public Tensor logicalXor(Tensor other) {
        return Masks.logical("logicalXor", this, other);
    }

    /** Element-wise logical not ({@code == 0}); bool. */
    public Tensor logicalNot() {
        return Pointwise.compare("logicalNot", org.grad4j.core.kernel.BinaryOp.EQ, this, scalar(0L, dtype()));
    }

    /** Whether any element is true ({@code != 0}): a 0-d bool tensor, false for an empty tensor. */
    public Tensor any() {
        return Masks.truthCount(this, null, false).gt(0L);
    }

    /** Whether any element along {@code dim} is true: bool. */
    public Tensor any(int dim, boolean keepDim) {
        return Masks.truthCount(this, new int[] {dim}, keepDim).gt(0L);
    }

    /** Whether every element is true ({@code != 0}): a 0-d bool tensor, true for an empty tensor. */
    public Tensor all() {
        return Masks.truthCount(logicalNot(), null, false).eq(0L);
    }

    /** Whether every element along {@code dim} is true: bool. */
    public Tensor all(int dim, boolean keepDim) {
        return Masks.truthCount(logicalNot(), new int[] {dim}, keepDim).eq(0L);
    }

    /** Bool mask of {@code this > other}, compared in the promoted dtype. Masks record no graph. */
    public Tensor gt(Tensor other) {
        return Pointwise.compare("gt", org.grad4j.core.kernel.BinaryOp.GT, this, other);
    }

    /** Bool mask of {@code this > value}: {@code x.gt(0)}. */
    public Tensor gt(double value) {
        return gt(constant(value));
    }

    /** Comparison with a long, exact for int64 values beyond 2^53. */
    public Tensor gt(long value) {
        return gt(scalar(value, Promotion.withLong(dtype())));
    }

    /** Bool mask of {@code this >= other}, broadcasting, compared in the promoted dtype. */
    public Tensor ge(Tensor other) {
        return Pointwise.compare("ge", org.grad4j.core.kernel.BinaryOp.GE, this, other);
    }

    /** Bool mask of {@code this >= value}. */
    public Tensor ge(double value) {
        return ge(constant(value));
    }

    /** Comparison with a long, exact for int64 values beyond 2^53. */
    public Tensor ge(long value) {
        return ge(scalar(value, Promotion.withLong(dtype())));
    }

    /** Bool mask of {@code this < other}, broadcasting, compared in the promoted dtype. */
    public Tensor lt(Tensor other) {
        return Pointwise.compare("lt", org.grad4j.core.kernel.BinaryOp.LT, this, other);
    }

    /** Bool mask of {@code this < value}. */
    public Tensor lt(double value) {
        return lt(constant(value));
    }

    /** Comparison with a long, exact for int64 values beyond 2^53. */
    public Tensor lt(long value) {
        return lt(scalar(value, Promotion.withLong(dtype())));
    }

    /** Bool mask of {@code this <= other}, broadcasting, compared in the promoted dtype. */
    public Tensor le(Tensor other) {
        return Pointwise.compare("le", org.grad4j.core.kernel.BinaryOp.LE, this, other);
    }

    /** Bool mask of {@code this <= value}. */
    public Tensor le(double value) {
        return le(constant(value));
    }

    /** Comparison with a long, exact for int64 values beyond 2^53. */
    public Tensor le(long value) {
        return le(scalar(value, Promotion.withLong(dtype())));
    }

    /** Bool mask of {@code this == other}, broadcasting (NaN equals nothing): {@code pred.eq(labels).mean()}. */
    public Tensor eq(Tensor other) {
        return Pointwise.compare("eq", org.grad4j.core.kernel.BinaryOp.EQ, this, other);
    }

    /** Bool mask of {@code this == value}. */
    public Tensor eq(double value) {
        return eq(constant(value));
    }

    /** Comparison with a long, exact for int64 values beyond 2^53. */
    public Tensor eq(long value) {
        return eq(scalar(value, Promotion.withLong(dtype())));
    }

    /** Bool mask of {@code this != other}, broadcasting (NaN differs from everything). */
    public Tensor ne(Tensor other) {
        return Pointwise.compare("ne", org.grad4j.core.kernel.BinaryOp.NE, this, other);
    }

    /** Bool mask of {@code this != value}. */
    public Tensor ne(double value) {
        return ne(constant(value));
    }

    /** Comparison with a long, exact for int64 values beyond 2^53. */
    public Tensor ne(long value) {
        return ne(scalar(value, Promotion.withLong(dtype())));
    }

    /** Converts to another dtype (a copy; the same tensor when the dtype already matches). Differentiable. */
    public Tensor to(DType dtype) {
        return Pointwise.cast(this, dtype);
    }

    /** A Java double as an operand: this dtype if floating, else float32 (see {@link Promotion}). */
    private Tensor constant(double value) {
        return scalar(value, Promotion.withDouble(dtype()));
    }

    // ------------------------------------------------------------------------------------------------ reductions

    /** Sum of all elements (0-d). */
    public Tensor sum() {
        return Reductions.sum(this, Shapes.dims("sum", new int[0], shape.length), false);
    }

    /** Sum along one dim, which is removed: {@code x.sum(1)} of a 2 x 3 tensor has shape [2]. */
    public Tensor sum(int dim) {
        return sum(new int[] {dim}, false);
    }

    /** Sum along one dim, kept with size 1 when {@code keepDim}, as {@code torch.sum(x, dim, keepdim)}. */
    public Tensor sum(int dim, boolean keepDim) {
        return sum(new int[] {dim}, keepDim);
    }

    /** Sum over several dims (none: all), kept with size 1 when {@code keepDim}. */
    public Tensor sum(int[] dims, boolean keepDim) {
        return Reductions.sum(this, Shapes.dims("sum", dims, shape.length), keepDim);
    }

    /** Mean of all elements (0-d). */
    public Tensor mean() {
        return mean(new int[0], false);
    }

    /** Mean along one dim, which is removed: {@code x.mean(0)} averages over the batch. */
    public Tensor mean(int dim) {
        return mean(new int[] {dim}, false);
    }

    /** Mean along one dim, kept with size 1 when {@code keepDim}, as {@code torch.mean(x, dim, keepdim)}. */
    public Tensor mean(int dim, boolean keepDim) {
        return mean(new int[] {dim}, keepDim);
    }

    /** Composed: {@code sum(dims) / count}. Needs a floating-point tensor, as {@code torch.mean}. */
    public Tensor mean(int[] dims, boolean keepDim) {
        int[] d = Shapes.dims("mean", dims, shape.length);
        if (!dtype().isFloatingPoint()) {
            throw new DTypeMismatchException("mean: needs a floating-point tensor, got " + dtype() + " (shape "
                    + Shapes.str(shape) + "); convert with .to(DType.FLOAT32) or .to(DType.FLOAT64) first");
        }
        return sum(d, keepDim).div(Reductions.count(shape, d));
    }

    /** Largest element (0-d). Gradient: shared evenly among tied maxima, as {@code torch.amax}. */
    public Tensor max() {
        return amax(new int[0], false);
    }

    /**
     * Largest values along a dim and their int64 indices, as {@code torch.max(x, dim, keepdim)}: the first index
     * among equal values, NaN counts as largest. The gradient goes to the selected element only (use
     * {@link #amax(int, boolean)} to share it among ties). Refuses a dim of size 0.
     */
    public ValuesAndIndices max(int dim, boolean keepDim) {
        return Sorting.maxMin(this, dim, keepDim, true);
    }

    /** Largest values over several dims (none: all), as {@code torch.amax}; NaN if any is NaN. */
    public Tensor amax(int[] dims, boolean keepDim) {
        return Reductions.extremum("amax", this, Shapes.dims("amax", dims, shape.length), keepDim, true);
    }

    /** Smallest element (0-d); NaN if any is NaN, as {@code torch.min(x)}. */
    public Tensor min() {
        return amin(new int[0], false);
    }

    /** Smallest values along a dim and their int64 indices, as {@code torch.min(x, dim, keepdim)}; see {@link #max(int, boolean)}. */
    public ValuesAndIndices min(int dim, boolean keepDim) {
        return Sorting.maxMin(this, dim, keepDim, false);
    }

    /** Smallest values over several dims (none: all), as {@code torch.amin}; NaN if any is NaN. */
    public Tensor amin(int[] dims, boolean keepDim) {
        return Reductions.extremum("amin", this, Shapes.dims("amin", dims, shape.length), keepDim, false);
    }

    /** Flat index of the largest element (0-d int64; the first one on ties; NaN counts as largest). */
    public Tensor argmax() {
        return Reductions.argExtremum(reshape(-1), 0, false, true);
    }

    /** Flat index of the smallest element (0-d int64; the first one on ties; NaN counts as smallest). */
    public Tensor argmin() {
        return Reductions.argExtremum(reshape(-1), 0, false, false);
    }

    /** Index (int64) of the largest element along a dim (first on ties; NaN counts as largest). */
    public Tensor argmax(int dim, boolean keepDim) {
        return Reductions.argExtremum(this, Shapes.dim("argmax", dim, shape.length), keepDim, true);
    }

    /** Index (int64) of the smallest element along a dim (first on ties; NaN counts as smallest). */
    public Tensor argmin(int dim, boolean keepDim) {
        return Reductions.argExtremum(this, Shapes.dim("argmin", dim, shape.length), keepDim, false);
    }

    /** Unbiased variance of all elements (Bessel's correction, as {@code torch.var}). */
    public Tensor var() {
        return var(new int[0], 1, false);
    }

    /** Unbiased variance along a dim (Bessel's correction, as {@code torch.var(x, dim, keepdim)}). */
    public Tensor var(int dim, boolean keepDim) {
        return var(new int[] {dim}, 1, keepDim);
    }

    /** Composed: {@code sum((x - mean)^2) / (count - correction)}; correction 0 gives the population variance. */
    public Tensor var(int[] dims, int correction, boolean keepDim) {
        int[] d = Shapes.dims("var", dims, shape.length);
        if (!dtype().isFloatingPoint()) {
            throw new DTypeMismatchException("var: needs a floating-point tensor, got " + dtype() + " (shape "
                    + Shapes.str(shape) + "); convert with .to(DType.FLOAT32) or .to(DType.FLOAT64) first");
        }
        int n = Reductions.count(shape, d);
        if (correction < 0) {
            throw new IllegalArgumentException("var: correction must be >= 0, got " + correction);
        }
        Tensor centered = sub(mean(d, true));
        return centered.mul(centered).sum(d, keepDim).div(Math.max(n - correction, 0));
    }

    /** Unbiased standard deviation of all elements (as {@code torch.std}); its gradient is 0 where it is 0. */
    public Tensor std() {
        return std(new int[0], 1, false);
    }

    /** Unbiased standard deviation along {@code dim}. */
    public Tensor std(int dim, boolean keepDim) {
        return std(new int[] {dim}, 1, keepDim);
    }

    /** {@code sqrt(var(dims, correction, keepDim))}, with gradient 0 (not NaN) where the variance is 0. */
    public Tensor std(int[] dims, int correction, boolean keepDim) {
        Tensor v = var(dims, correction, keepDim);
        // sqrt'(0) is infinite and var's gradient there 0: route no gradient through a zero variance (PyTorch masks
        // it to 0 the same way), so the std of constant values has gradient 0, not NaN
        Tensor positive = v.gt(0);
        Tensor safe = where(positive, v, v.onesLike());
        return where(positive, safe.sqrt(), v);
    }

    /** Composed: {@code m + log(sum(exp(x - m)))} with {@code m} the detached max, so it cannot overflow. */
    public Tensor logSumExp(int dim, boolean keepDim) {
        int d = Shapes.dim("logSumExp", dim, shape.length);
        if (shape.length > 0 && shape[d] == 0) {   // the log of an empty sum: -inf, as PyTorch (no max to shift by)
            Tensor empty = exp().sum(new int[] {d}, true).log();
            return keepDim ? empty : empty.squeeze(d);
        }
        Tensor m = amax(new int[] {d}, true).detach();
        Tensor finiteMax = where(m.abs().lt(Double.POSITIVE_INFINITY), m, m.zerosLike());
        Tensor out = sub(finiteMax).exp().sum(new int[] {d}, true).log().add(finiteMax);
        return keepDim ? out : out.squeeze(d);
    }

    /** Composed: {@code exp(x - max) / sum(exp(x - max))} along {@code dim}, with the max detached. */
    public Tensor softmax(int dim) {
        int d = Shapes.dim("softmax", dim, shape.length);
        if (shape.length > 0 && shape[d] == 0) {
            return exp();   // empty in, empty out, as PyTorch
        }
        Tensor e = sub(amax(new int[] {d}, true).detach()).exp();
        return e.div(e.sum(new int[] {d}, true));
    }

    /** Composed: {@code x - logSumExp(x)} along {@code dim}. */
    public Tensor logSoftmax(int dim) {
        int d = Shapes.dim("logSoftmax", dim, shape.length);
        return sub(logSumExp(d, true));
    }

    // Short forms, as sum(dim) / mean(dim): one dim, keepDim false (PyTorch's defaults).

    /**
     * {@code max(dim, false)}: largest values along {@code dim} and their indices, e.g. {@code logits.max(1)} gives
     * {@code [batch]} values and predicted classes.
     */
    public ValuesAndIndices max(int dim) {
        return max(dim, false);
    }

    /** {@code min(dim, false)}: smallest values along {@code dim} and their indices. */
    public ValuesAndIndices min(int dim) {
        return min(dim, false);
    }

    /** Largest element (0-d), as {@link #max()}. */
    public Tensor amax() {
        return max();
    }

    /** {@code amax(new int[] {dim}, false)}. */
    public Tensor amax(int dim) {
        return amax(new int[] {dim}, false);
    }

    /** {@code amax(new int[] {dim}, keepDim)}. */
    public Tensor amax(int dim, boolean keepDim) {
        return amax(new int[] {dim}, keepDim);
    }

    /** Smallest element (0-d), as {@link #min()}. */
    public Tensor amin() {
        return min();
    }

    /** {@code amin(new int[] {dim}, false)}. */
    public Tensor amin(int dim) {
        return amin(new int[] {dim}, false);
    }

    /** {@code amin(new int[] {dim}, keepDim)}. */
    public Tensor amin(int dim, boolean keepDim) {
        return amin(new int[] {dim}, keepDim);
    }

    /** {@code argmax(dim, false)}: e.g. the predicted classes {@code logits.argmax(1)} of {@code [batch, classes]}. */
    public Tensor argmax(int dim) {
        return argmax(dim, false);
    }

    /** {@code argmin(dim, false)}. */
    public Tensor argmin(int dim) {
        return argmin(dim, false);
    }

    /** {@code var(dim, false)}: unbiased variance along {@code dim}. */
    public Tensor var(int dim) {
        return var(dim, false);
    }

    /** {@code std(dim, false)}: unbiased standard deviation along {@code dim}. */
    public Tensor std(int dim) {
        return std(dim, false);
    }

    /** {@code logSumExp(dim, false)}. */
    public Tensor logSumExp(int dim) {
        return logSumExp(dim, false);
    }

    // ------------------------------------------------------------- products, scans, norms, ordering (issue 8)

    /** Product of all elements (0-d); integer and bool tensors give int64, as {@code torch.prod}. */
    public Tensor prod() {
        return Scans.prod(reshape(-1), 0, false);
    }

    /** {@code prod(dim, false)}. */
    public Tensor prod(int dim) {
        return prod(dim, false);
    }

    /**
     * Product along {@code dim} (1 over a size-0 dim). Its gradient is exact with zeros in the input: with one zero,
     * that element gets the product of the others and the others 0; with several, all get 0.
     */
    public Tensor prod(int dim, boolean keepDim) {
        return Scans.prod(this, Shapes.dim("prod", dim, shape.length), keepDim);
    }

    /** Running sum along {@code dim}, as {@code torch.cumsum}; integer and bool tensors give int64. */
    public Tensor cumsum(int dim) {
        return Scans.cumsum(this, Shapes.dim("cumsum", dim, shape.length), false);
    }

    /** Running product along {@code dim}, as {@code torch.cumprod} (int64 for integers); exact gradient at zeros. */
    public Tensor cumprod(int dim) {
        return Scans.cumprod(this, Shapes.dim("cumprod", dim, shape.length), false);
    }

    /** {@code log(cumsum(exp(x)))} along {@code dim}, computed as a running log-add-exp: no overflow or underflow. */
    public Tensor logCumSumExp(int dim) {
        return Scans.logCumSumExp(this, Shapes.dim("logCumSumExp", dim, shape.length), false);
    }

    /** The 2-norm of all elements, as {@code torch.norm(x)}; its gradient at the zero vector is 0. */
    public Tensor norm() {
        return Norms.norm("norm", this, 2, new int[0], false);
    }

    /** The p-norm of all elements: any real p, {@code Double.POSITIVE_INFINITY} / {@code NEGATIVE_INFINITY}, 0. */
    public Tensor norm(double p) {
        return Norms.norm("norm", this, p, new int[0], false);
    }

    /**
     * The p-norm over {@code dims} (all when empty), as {@code torch.norm(x, p, dims, keepdim)}: p = infinity is
     * the largest magnitude, -infinity the smallest, 0 the number of non-zeros (in this dtype, gradient 0). Floating
     * point only. Gradients as PyTorch's, 0 where the norm is 0.
     */
    public Tensor norm(double p, int[] dims, boolean keepDim) {
        return Norms.norm("norm", this, p, dims, keepDim);
    }

    /** {@code norm(x, "fro", dims, keepDim)}: the 2-norm over {@code dims} (all when empty). */
    public Tensor norm(String p, int[] dims, boolean keepDim) {
        return Norms.norm(this, p, dims, keepDim);
    }

    /** The number of non-zero elements (NaN counts), a 0-d int64, as {@code torch.count_nonzero}. */
    public Tensor countNonzero() {
        return Masks.truthCount(this, null, false);
    }

    /** The number of non-zero elements over {@code dims} (all when empty), int64. */
    public Tensor countNonzero(int... dims) {
        return Norms.countNonzero(this, dims);
    }

    /** {@code any(dim, false)}. */
    public Tensor any(int dim) {
        return any(dim, false);
    }

    /** {@code all(dim, false)}. */
    public Tensor all(int dim) {
        return all(dim, false);
    }

    /** {@code sort(-1, false)}: ascending along the last dim. */
    public ValuesAndIndices sort() {
        return sort(-1, false);
    }

    /**
     * Sorted values along {@code dim} and the int64 indices that sort it, as {@code torch.sort}: NaN sorts as the
     * largest value; equal values come in PyTorch's (unstable) CPU order. The gradient flows back through the
     * indices.
     */
    public ValuesAndIndices sort(int dim, boolean descending) {
        return Sorting.sort(this, dim, descending, false);
    }

    /** {@link #sort(int, boolean)}, stable when asked: equal values keep their order. */
    public ValuesAndIndices sort(int dim, boolean descending, boolean stable) {
        return Sorting.sort(this, dim, descending, stable);
    }

    /** The indices of {@link #sort(int, boolean)} alone, as {@code torch.argsort}. */
    public Tensor argsort(int dim, boolean descending) {
        return argsort(dim, descending, false);
    }

    /** The indices of {@link #sort(int, boolean, boolean)} alone. */
    public Tensor argsort(int dim, boolean descending, boolean stable) {
        return Sorting.argsort(this, Shapes.dim("argsort", dim, shape.length), descending, stable);
    }

    /** {@code topk(k, -1, true, true)}: the k largest along the last dim, largest first. */
    public ValuesAndIndices topk(int k) {
        return topk(k, -1, true, true);
    }

    /**
     * The k largest (or smallest) values along {@code dim} and their int64 indices, as {@code torch.topk}; NaN is
     * the largest; ties resolved as PyTorch on the CPU. Refuses k outside [0, size]; not for bool.
     */
    public ValuesAndIndices topk(int k, int dim, boolean largest, boolean sorted) {
        return Sorting.topk(this, k, dim, largest, sorted);
    }

    /** {@code kthValue(k, -1, false)}. */
    public ValuesAndIndices kthValue(int k) {
        return kthValue(k, -1, false);
    }

    /** The k-th smallest value along {@code dim} (k from 1) and its index, as {@code torch.kthvalue}; not for bool. */
    public ValuesAndIndices kthValue(int k, int dim, boolean keepDim) {
        return Sorting.kthValue(this, k, dim, keepDim);
    }

    /**
     * The lower median of all elements (0-d), as {@code torch.median(x)}: NaN if any element is NaN (or there is
     * none); the gradient is shared evenly among the elements equal to it.
     */
    public Tensor median() {
        return Sorting.median(this);
    }

    /** {@code median(dim, false)}. */
    public ValuesAndIndices median(int dim) {
        return median(dim, false);
    }

    /**
     * The lower median along {@code dim} and its index (the first among equal values; a row with NaN gives its
     * first NaN), as {@code torch.median(x, dim)}.
     */
    public ValuesAndIndices median(int dim, boolean keepDim) {
        return Sorting.median(this, dim, keepDim);
    }

    /** {@code mode(-1, false)}. */
    public ValuesAndIndices mode() {
        return mode(-1, false);
    }

    /** {@code mode(dim, false)}. */
    public ValuesAndIndices mode(int dim) {
        return mode(dim, false);
    }

    /**
     * The most frequent value along {@code dim} (the smallest among equally frequent ones) and an index of it, as
     * {@code torch.mode} on the CPU.
     */
    public ValuesAndIndices mode(int dim, boolean keepDim) {
        return Sorting.mode(this, dim, keepDim);
    }

    /** Sums this gradient-like tensor down to {@code target}, undoing a broadcast (used by the engine). */
    Tensor sumToShape(int[] target) {
        int lead = shape.length - target.length;
        if (lead < 0) {
            throw new ShapeMismatchException("sumToShape: cannot reduce " + Shapes.str(shape) + " to "
                    + Shapes.str(target));
        }
        List<Integer> dims = new ArrayList<>();
        for (int i = 0; i < shape.length; i++) {
            if (i < lead) {
                dims.add(i);
            } else if (target[i - lead] == 1 && shape[i] != 1) {
                dims.add(i);
            } else if (target[i - lead] != shape[i]) {
                throw new ShapeMismatchException("sumToShape: cannot reduce " + Shapes.str(shape) + " to "
                        + Shapes.str(target));
            }
        }
        Tensor summed = dims.isEmpty() ? this
                : sum(dims.stream().mapToInt(Integer::intValue).toArray(), true);
        return summed.reshape(target);
    }

    // ------------------------------------------------------------------------------------------------ linear algebra

    /**
     * Matrix product with {@code torch.matmul}'s rules: 1-d x 1-d is a dot product, a 1-d operand is treated as a
     * row (left) or column (right) vector and that dim removed, and leading batch dims broadcast.
     */
    public Tensor matmul(Tensor other) {
        return MatMul.matmul(this, other);
    }

    // ---- linear layer as one op (issue 12: gradient buffers reused across steps)

    /**
     * {@code input W^T + bias}, as {@code torch.nn.functional.linear}: input {@code [..., in]}, weight
     * {@code [out, in]}, bias {@code [out]} or null. Same values as {@code input.matmul(weight.t()).add(bias)}; for
     * a 2-d input it is one op, whose backward writes the weight's gradient straight into a zeroed
     * {@code weight.grad()} (after {@code zeroGrad(false)}), so a training step need not allocate it.
     */
    public static Tensor linear(Tensor input, Tensor weight, Tensor bias) {
        return MatMul.linear(input, weight, bias);
    }

    // ---- fused linear and ReLU (issue 12)

    /**
     * {@code linear(input, weight, bias).relu()} in one op: the same values, gradients and higher-order gradients,
     * with the bias added and the ReLU applied in place on the product's output (no separate pre-activation array),
     * and, after {@code zeroGrad(false)}, the weight's gradient written into {@code weight.grad()} as {@link #linear}
     * does. One node for a 2-d input; other inputs {@code linear} accepts compose the two ops. {@code nn.Sequential}
     * uses it for a {@code Linear} followed by a {@code ReLU}.
     */
    public static Tensor linearRelu(Tensor input, Tensor weight, Tensor bias) {
        return MatMul.linearRelu(input, weight, bias);
    }

    // ------------------------------------------------------------------ products (composed: no rules of their own)

    /**
     * Batched matrix product of two 3-d tensors, as {@code torch.bmm}: {@code [b, n, m] x [b, m, p] -> [b, n, p]}.
     * Unlike {@link #matmul}, batch sizes must match exactly (no broadcasting).
     */
    public Tensor bmm(Tensor other) {
        Args.notNull(other, "bmm", "other");
        if (dim() != 3 || other.dim() != 3) {
            throw new ShapeMismatchException("bmm: expects two 3-d tensors [b, n, m] and [b, m, p], got shapes "
                    + Shapes.str(shape) + " and " + Shapes.str(other.shape) + "; use matmul for other ranks");
        }
        if (shape[0] != other.shape[0]) {
            throw new ShapeMismatchException("bmm: batch sizes differ, shapes " + Shapes.str(shape) + " and "
                    + Shapes.str(other.shape) + " (" + shape[0] + " != " + other.shape[0] + ")");
        }
        return matmul(other);
    }

    /** Outer product of two 1-d tensors, as {@code torch.outer}: {@code out[i][j] = this[i] * other[j]}. */
    public Tensor outer(Tensor other) {
        Args.notNull(other, "outer", "other");
        if (dim() != 1 || other.dim() != 1) {
            throw new ShapeMismatchException("outer: expects two 1-d tensors, got shapes " + Shapes.str(shape)
                    + " and " + Shapes.str(other.shape));
        }
        return unsqueeze(1).mul(other.unsqueeze(0));
    }

    /** Dot product of two 1-d tensors of equal length, as {@code torch.dot} (a 0-d result). */
    public Tensor dot(Tensor other) {
        Args.notNull(other, "dot", "other");
        if (dim() != 1 || other.dim() != 1) {
            throw new ShapeMismatchException("dot: expects two 1-d tensors, got shapes " + Shapes.str(shape)
                    + " and " + Shapes.str(other.shape));
        }
        if (shape[0] != other.shape[0]) {
            throw new ShapeMismatchException("dot: inconsistent tensor size, expected tensor [" + shape[0]
                    + "] and src [" + other.shape[0] + "] to have the same number of elements");
        }
        return matmul(other);
    }

    /** Matrix-vector product, as {@code torch.mv}: {@code [n, m] x [m] -> [n]}. */
    public Tensor mv(Tensor vector) {
        Args.notNull(vector, "mv", "vector");
        if (dim() != 2 || vector.dim() != 1) {
            throw new ShapeMismatchException("mv: expects a 2-d matrix and a 1-d vector, got shapes "
                    + Shapes.str(shape) + " and " + Shapes.str(vector.shape));
        }
        return matmul(vector);
    }

    /**
     * Kronecker product, as {@code torch.kron}: for shapes {@code a} and {@code b} (the shorter padded with leading
     * 1s) the result has shape {@code a[i] * b[i]} and {@code out[i * b + j] = this[i] * other[j]} in every dim.
     */
    public Tensor kron(Tensor other) {
        Args.notNull(other, "kron", "other");
        int r = Math.max(dim(), other.dim());
        int[] sa = new int[r];
        int[] sb = new int[r];
        Arrays.fill(sa, 1);
        Arrays.fill(sb, 1);
        System.arraycopy(shape, 0, sa, r - dim(), dim());
        System.arraycopy(other.shape, 0, sb, r - other.dim(), other.dim());
        int[] ia = new int[2 * r];
        int[] ib = new int[2 * r];
        int[] out = new int[r];
        for (int d = 0; d < r; d++) {
            ia[2 * d] = sa[d];
            ia[2 * d + 1] = 1;
            ib[2 * d] = 1;
            ib[2 * d + 1] = sb[d];
            out[d] = sa[d] * sb[d];
        }
        return reshape(ia).mul(other.reshape(ib)).reshape(out);
    }

    /**
     * Contracts the last {@code dims} dims of {@code a} with the first {@code dims} dims of {@code b}, as
     * {@code torch.tensordot(a, b, dims)}.
     */
    public static Tensor tensordot(Tensor a, Tensor b, int dims) {
        Args.notNull(a, "tensordot", "a");
        Args.notNull(b, "tensordot", "b");
        if (dims < 0 || dims > a.dim() || dims > b.dim()) {
            throw new ShapeMismatchException("tensordot: dims = " + dims + " must be in [0, min(rank a, rank b)] for"
                    + " shapes " + Shapes.str(a.shape) + " and " + Shapes.str(b.shape));
        }
        int[] da = new int[dims];
        int[] db = new int[dims];
        for (int i = 0; i < dims; i++) {
            da[i] = a.dim() - dims + i;
            db[i] = i;
        }
        return tensordot(a, b, da, db);
    }

    /**
     * Contracts dims {@code dimsA[i]} of {@code a} with {@code dimsB[i]} of {@code b}, as
     * {@code torch.tensordot(a, b, dims=(dimsA, dimsB))}: the result has a's free dims, then b's, in order. One
     * matmul of a permuted, reshaped {@code [free a, contracted]} by {@code [contracted, free b]}.
     */
    public static Tensor tensordot(Tensor a, Tensor b, int[] dimsA, int[] dimsB) {
        Args.notNull(a, "tensordot", "a");
        Args.notNull(b, "tensordot", "b");
        Args.notNull(dimsA, "tensordot", "dimsA");
        Args.notNull(dimsB, "tensordot", "dimsB");
        if (dimsA.length != dimsB.length) {
            throw new ShapeMismatchException("tensordot: both dim lists must have the same length, got "
                    + Arrays.toString(dimsA) + " and " + Arrays.toString(dimsB));
        }
        int[] ca = new int[dimsA.length];
        int[] cb = new int[dimsB.length];
        for (int i = 0; i < ca.length; i++) {
            ca[i] = Shapes.existingDim("tensordot", dimsA[i], a.dim());
            cb[i] = Shapes.existingDim("tensordot", dimsB[i], b.dim());
        }
        for (int i = 0; i < ca.length; i++) {
            if (a.shape[ca[i]] != b.shape[cb[i]]) {
                throw new ShapeMismatchException("tensordot: contracted dimensions need to match, but first has size "
                        + a.shape[ca[i]] + " in dim " + ca[i] + " and second has size " + b.shape[cb[i]] + " in dim "
                        + cb[i] + " (shapes " + Shapes.str(a.shape) + " and " + Shapes.str(b.shape) + ")");
            }
        }
        int[] freeA = freeDims(a.dim(), ca);
        int[] freeB = freeDims(b.dim(), cb);
        int[] orderA = new int[a.dim()];
        int[] orderB = new int[b.dim()];
        System.arraycopy(freeA, 0, orderA, 0, freeA.length);
        System.arraycopy(ca, 0, orderA, freeA.length, ca.length);
        System.arraycopy(cb, 0, orderB, 0, cb.length);
        System.arraycopy(freeB, 0, orderB, cb.length, freeB.length);
        int m = 1;
        int k = 1;
        int n = 1;
        int[] out = new int[freeA.length + freeB.length];
        for (int i = 0; i < freeA.length; i++) {
            m *= a.shape[freeA[i]];
            out[i] = a.shape[freeA[i]];
        }
        for (int d : ca) k *= a.shape[d];
        for (int i = 0; i < freeB.length; i++) {
            n *= b.shape[freeB[i]];
            out[freeA.length + i] = b.shape[freeB[i]];
        }
        Tensor product = a.permute(orderA).reshape(m, k).matmul(b.permute(orderB).reshape(k, n));
        return product.reshape(out);
    }

    private static int[] freeDims(int rank, int[] contracted) {
        boolean[] used = new boolean[rank];
        for (int d : contracted) {
            if (used[d]) {
                throw new ShapeMismatchException("tensordot: dim " + d + " appears multiple times in the list of dims");
            }
            used[d] = true;
        }
        return java.util.stream.IntStream.range(0, rank).filter(d -> !used[d]).toArray();
    }

    /**
     * Einstein summation, as {@code torch.einsum}: {@code einsum("bij,bjk->bik", a, b)} is a batched matrix
     * product, {@code "ii"} a trace, {@code "ii->i"} a diagonal, {@code "...ij->...ji"} a batched transpose,
     * {@code "i,j->ij"} an outer product. Subscripts are letters; {@code ...} broadcasts; repeated subscripts in one
     * operand take diagonals; subscripts absent from the output are summed; without {@code ->} the output holds the
     * subscripts used once, alphabetically. Contractions run as batched matrix products, pair by pair left to right.
     */
    public static Tensor einsum(String equation, Tensor... operands) {
        return Einsum.einsum(equation, operands);
    }

    // ------------------------------------------------------------------------------------- backward hooks

    /** This leaf's backward hooks (a non-leaf's live on its node); null when none were registered. */
    Hooks hooks;

    /**
     * Registers a hook called with this tensor's gradient whenever a backward (or {@link Autograd#grad}) computes
     * it, as {@code torch.Tensor.register_hook}: for a leaf once its gradient from this backward is complete, before
     * it is added into {@link #grad()}; for a non-leaf when the backward reaches it, before {@link #retainGrad()}
     * keeps it. The hook may return a replacement gradient of the same shape and dtype (which is then propagated),
     * or null to leave it unchanged; hooks run in registration order.
     * <pre>{@code
     * Tensor h = x.mul(w);
     * RemovableHandle handle = h.registerHook(g -> g.clamp(-1, 1));   // clip the gradient flowing through h
     * loss.backward();
     * handle.remove();
     * }</pre>
     */
    public RemovableHandle registerHook(java.util.function.UnaryOperator<Tensor> hook) {
        if (hook == null) {
            throw new IllegalArgumentException("registerHook: the hook is null");
        }
        if (!requiresGrad) {
            throw new AutogradException("registerHook: cannot register a hook on a tensor that does not require"
                    + " gradient (shape " + Shapes.str(shape) + "); call requiresGrad(true) on it (a leaf) first");
        }
        if (gradFn != null) {
            return gradFn.addHook(this, hook);
        }
        if (hooks == null) {
            hooks = new Hooks(this);
        }
        return hooks.add(hook);
    }

    // ------------------------------------------------------------------------------------------------ views

    /** The same data with a new shape (one entry may be -1); a view when the layout allows, else a copy. */
    public Tensor reshape(int... newShape) {
        return Views.reshape(this, newShape, false);
    }

    /** Like {@link #reshape} but never copies: fails when the strides do not allow a view. */
    public Tensor view(int... newShape) {
        return Views.reshape(this, newShape, true);
    }

    /** Flattens all dims into one. */
    public Tensor flatten() {
        return reshape(-1);
    }

    /** Flattens dims {@code startDim..endDim} (inclusive) into one. */
    public Tensor flatten(int startDim, int endDim) {
        return Views.flatten(this, startDim, endDim);
    }

    /** Swaps two dims (a view). */
    public Tensor transpose(int dim0, int dim1) {
        int r = shape.length;
        int[] order = new int[r];
        for (int i = 0; i < r; i++) order[i] = i;
        int a = Shapes.dim("transpose", dim0, r);
        int b = Shapes.dim("transpose", dim1, r);
        if (r == 0) {
            return this;
        }
        order[a] = b;
        order[b] = a;
        return permute(order);
    }

    /** Transpose of a matrix; a 0-d or 1-d tensor is returned as is (as {@code torch.t}). */
    public Tensor t() {
        if (shape.length > 2) {
            throw new ShapeMismatchException("t: expects a tensor with <= 2 dimensions, got shape " + Shapes.str(shape)
                    + "; use transpose(dim0, dim1) or mT()");
        }
        return shape.length < 2 ? this : transpose(0, 1);
    }

    /** Transposes the last two dims (a batch of matrices). */
    public Tensor mT() {
        if (shape.length < 2) {
            throw new ShapeMismatchException("mT: needs at least 2 dimensions, got shape " + Shapes.str(shape));
        }
        return transpose(-2, -1);
    }

    /** Reorders dims (a view): {@code out.shape[i] = shape[order[i]]}. */
    public Tensor permute(int... order) {
        return Views.permute(this, order);
    }

    /** Broadcasts size-1 dims to larger sizes without copying; -1 keeps a size; new dims may be prepended. */
    public Tensor expand(int... newShape) {
        return Views.expand(this, newShape);
    }

    /** Broadcasts to another tensor's shape. */
    public Tensor expandAs(Tensor other) {
        return expand(Args.notNull(other, "expandAs", "other").shape);
    }

    /** Removes all size-1 dims. */
    public Tensor squeeze() {
        int[] s = Arrays.stream(shape).filter(d -> d != 1).toArray();
        return reshape(s);
    }

    /** Removes one dim if its size is 1 (otherwise returns this tensor, as PyTorch does). */
    public Tensor squeeze(int dim) {
        if (shape.length == 0) {
            return this;
        }
        int d = Shapes.dim("squeeze", dim, shape.length);
        if (shape[d] != 1) {
            return this;
        }
        int[] s = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i != d) s[j++] = shape[i];
        }
        return reshape(s);
    }

    /** Inserts a size-1 dim at {@code dim} (in [-rank-1, rank]). */
    public Tensor unsqueeze(int dim) {
        int d = Shapes.dim("unsqueeze", dim, shape.length + 1);
        int[] s = new int[shape.length + 1];
        for (int i = 0, j = 0; i < s.length; i++) {
            s[i] = i == d ? 1 : shape[j++];
        }
        return reshape(s);
    }

    /** Elements {@code start, start+step, ...} below {@code end} along {@code dim} (a view; bounds are clipped). */
    public Tensor slice(int dim, int start, int end, int step) {
        return Views.slice(this, dim, start, end, step);
    }

    /** Elements {@code start..end-1} along {@code dim}, a view (as Python's {@code start:end}); bounds are clipped. */
    public Tensor slice(int dim, int start, int end) {
        return slice(dim, start, end, 1);
    }

    /** {@code length} elements from {@code start} along {@code dim} (a view; bounds are checked, not clipped). */
    public Tensor narrow(int dim, int start, int length) {
        return Views.narrow(this, dim, start, length);
    }

    /** The slice at {@code index} along {@code dim}, with that dim removed (a view). */
    public Tensor select(int dim, int index) {
        int d = Shapes.existingDim("select", dim, shape.length);
        int i = index < 0 ? index + shape[d] : index;
        if (i < 0 || i >= shape[d]) {
            throw new ShapeMismatchException("select: index " + index + " is out of range for dimension " + d
                    + " with size " + shape[d] + " (shape " + Shapes.str(shape) + ")");
        }
        return narrow(d, i, 1).squeeze(d);
    }

    /** This tensor if contiguous, else a contiguous copy. */
    public Tensor contiguous() {
        return isContiguous() ? this : copy();
    }

    /** A contiguous copy that stays in the graph (gradient flows back unchanged), as {@code torch.clone}. */
    public Tensor copy() {
        return Views.copy(this);
    }

    /** Same as {@link #copy()}, with PyTorch's name. */
    public Tensor cloneTensor() {
        return copy();
    }

    // ------------------------------------------------------------------------------------------------ joining, indexing

    /** Joins tensors along an existing dim. */
    public static Tensor concat(int dim, Tensor... tensors) {
        return Indexing.concat(dim, tensors);
    }

    /** Joins tensors along an existing dim, as {@code torch.cat(tensors, dim)}. */
    public static Tensor concat(List<Tensor> tensors, int dim) {
        return Indexing.concat(dim, Args.noNulls(tensors, "concat", "tensors").toArray(new Tensor[0]));
    }

    /** Joins tensors of equal shape along a new dim. */
    public static Tensor stack(int dim, Tensor... tensors) {
        Args.noNulls(tensors, "stack", "tensors");
        if (tensors.length == 0) {
            throw new IllegalArgumentException("stack: expects at least one tensor");
        }
        int d = Shapes.dim("stack", dim, tensors[0].shape.length + 1);
        Tensor[] expanded = new Tensor[tensors.length];
        for (int i = 0; i < tensors.length; i++) {
            if (!Arrays.equals(tensors[i].shape, tensors[0].shape)) {
                throw new ShapeMismatchException("stack: all tensors must have the same shape, but tensor 0 has "
                        + Shapes.str(tensors[0].shape) + " and tensor " + i + " has " + Shapes.str(tensors[i].shape));
            }
            expanded[i] = tensors[i].unsqueeze(d);
        }
        return Indexing.concat(d, expanded);
    }

    /** Stacks tensors of one shape along a new dim, as {@code torch.stack(tensors, dim)}. */
    public static Tensor stack(List<Tensor> tensors, int dim) {
        return stack(dim, Args.noNulls(tensors, "stack", "tensors").toArray(new Tensor[0]));
    }

    /** Views of consecutive pieces of {@code splitSize} along {@code dim} (the last may be smaller). */
    public List<Tensor> split(int splitSize, int dim) {
        int d = Shapes.existingDim("split", dim, shape.length);
        if (splitSize <= 0) {
            throw new IllegalArgumentException("split: splitSize must be positive, got " + splitSize);
        }
        List<Tensor> parts = new ArrayList<>();
        if (shape[d] == 0) {
            parts.add(this);   // as PyTorch: an empty dim splits into one empty piece
            return parts;
        }
        for (long start = 0; start < shape[d]; start += splitSize) {   // long: start + splitSize must not wrap
            parts.add(narrow(d, (int) start, (int) Math.min(splitSize, shape[d] - start)));
        }
        return parts;
    }

    /** Views of pieces with the given sizes along {@code dim}; the sizes must add up to the dim's size. */
    public List<Tensor> split(int[] sizes, int dim) {
        Args.notNull(sizes, "split", "sizes");
        int d = Shapes.existingDim("split", dim, shape.length);
        long total = Arrays.stream(sizes).asLongStream().sum();   // long: the sum must not wrap
        if (total != shape[d] || Arrays.stream(sizes).anyMatch(s -> s < 0)) {
            throw new ShapeMismatchException("split: sizes " + Arrays.toString(sizes) + " must be non-negative and"
                    + " add up to " + shape[d] + " (dimension " + d + " of shape " + Shapes.str(shape) + ")");
        }
        List<Tensor> parts = new ArrayList<>();
        int start = 0;
        for (int s : sizes) {
            parts.add(narrow(d, start, s));
            start += s;
        }
        return parts;
    }

    /**
     * {@code out[i][j] = this[i][index[i][j]]} for dim 1 (and likewise for any dim), as {@code torch.gather}.
     * {@code index} is int64 (or int32) with values in this tensor's range, has the same rank, and sizes no larger
     * than this tensor's outside {@code dim}. Picks class scores by label:
     * {@code logits.gather(1, labels.unsqueeze(1))}.
     */
    public Tensor gather(int dim, Tensor index) {
        return Indexing.gather(this, Shapes.dim("gather", dim, shape.length), index);
    }

    /**
     * A copy with {@code src}'s values written at the positions {@code index} names along {@code dim}, as
     * {@code torch.scatter}: {@code out[i][index[i][j]] = src[i][j]} for dim 1. {@code index} (int64 or int32) has
     * this tensor's rank and sizes no larger than {@code src}'s (and than this tensor's outside {@code dim}); src has
     * this dtype. Where an index repeats, one of the values wins. Differentiable in both this tensor and src.
     */
    public Tensor scatter(int dim, Tensor index, Tensor src) {
        return Indexing.scatter(this, Shapes.dim("scatter", dim, shape.length), index, src, false);
    }

    /** Like {@link #scatter} but adds {@code src}'s values (repeats accumulate), as {@code torch.scatter_add}. */
    public Tensor scatterAdd(int dim, Tensor index, Tensor src) {
        return Indexing.scatter(this, Shapes.dim("scatterAdd", dim, shape.length), index, src, true);
    }

    /**
     * A copy with the slices of {@code source} added at the positions {@code index} (1-d int64 or int32) names
     * along {@code dim}, as {@code torch.index_add}; source has this shape except {@code index.numel()} along dim.
     */
    public Tensor indexAdd(int dim, Tensor index, Tensor source) {
        return Indexing.indexAddPublic(this, Shapes.existingDim("indexAdd", dim, shape.length), index, source);
    }

    // ------------------------------------------------- indexing and shape ops (ShapeOps, ScatterReduce, Sets)

    /**
     * src's values reduced into a copy of this tensor at the positions {@code index} names along {@code dim}, as
     * {@code torch.scatter_reduce}: {@code reduce} is "sum", "prod", "mean", "amax" or "amin"; with
     * {@code includeSelf} false a position that receives values forgets its own. Index (int64 or int32) and src as in
     * {@link #scatter}. Integer means round toward minus infinity; gradients are PyTorch's (ties of amax / amin share
     * the gradient evenly, zeros in prod are handled exactly).
     */
    public Tensor scatterReduce(int dim, Tensor index, Tensor src, String reduce, boolean includeSelf) {
        return ScatterReduce.scatterReduce(this, Shapes.dim("scatterReduce", dim, shape.length), index, src, reduce,
                includeSelf);
    }

    /** {@link #scatterReduce(int, Tensor, Tensor, String, boolean)} with the input included, PyTorch's default. */
    public Tensor scatterReduce(int dim, Tensor index, Tensor src, String reduce) {
        return scatterReduce(dim, index, src, reduce, true);
    }

    /**
     * A copy with the slices of {@code source} written at the positions {@code index} (1-d int64 or int32) names along
     * {@code dim}, as {@code torch.index_copy}; a repeated index keeps its last slice, which alone gets the gradient
     * (the overwritten ones do not affect the result). Differentiable in both.
     */
    public Tensor indexCopy(int dim, Tensor index, Tensor source) {
        return ShapeOps.indexCopy(this, dim, index, source);
    }

    /**
     * {@code out[i][j] = this[i][indices[i][j]]} for dim 1 (and likewise for any dim), as {@code torch.take_along_dim}:
     * like {@link #gather} but this tensor and the indices broadcast against each other outside {@code dim}.
     */
    public Tensor takeAlongDim(Tensor indices, int dim) {
        return ShapeOps.takeAlongDim(this, indices, dim);
    }

    /** The flattened tensor's elements at the flat {@code indices}, as {@code torch.take_along_dim} without a dim. */
    public Tensor takeAlongDim(Tensor indices) {
        return ShapeOps.takeAlongDim(this, indices, null);
    }

    /** A copy with the order of elements reversed along each of {@code dims}, as {@code torch.flip}. */
    public Tensor flip(int... dims) {
        return ShapeOps.flip(this, dims);
    }

    /**
     * A copy with elements shifted along {@code dims} by {@code shifts} (pairwise), wrapping around, as
     * {@code torch.roll}; with no dims, one shift rolls the flattened tensor and the shape is restored.
     */
    public Tensor roll(int[] shifts, int... dims) {
        return ShapeOps.roll(this, shifts, dims);
    }

    /** {@link #roll(int[], int...)} by one shift along one dim. */
    public Tensor roll(int shift, int dim) {
        return ShapeOps.roll(this, new int[] {shift}, new int[] {dim});
    }

    /** The flattened tensor rolled by {@code shift}, in this shape (as {@code torch.roll(x, shift)}). */
    public Tensor roll(int shift) {
        return ShapeOps.roll(this, new int[] {shift}, new int[0]);
    }

    /**
     * This tensor repeated {@code repeats[i]} times along each dim, as {@code Tensor.repeat}: at least one repeat per
     * dim; extra leading repeats add leading dims. {@code [1, 2].repeat(2)} is {@code [1, 2, 1, 2]}.
     */
    public Tensor repeat(int... repeats) {
        return ShapeOps.repeat(this, repeats);
    }

    /** As {@link #repeat} but fewer repeats than dims are padded with leading 1s, as {@code torch.tile}. */
    public Tensor tile(int... reps) {
        return ShapeOps.tile(this, reps);
    }

    /** The flattened elements each repeated {@code repeats} times, as {@code torch.repeat_interleave(x, repeats)}. */
    public Tensor repeatInterleave(int repeats) {
        return ShapeOps.repeatInterleave(this, repeats, null);
    }

    /** Each slice along {@code dim} repeated {@code repeats} times: {@code [1, 2]} gives {@code [1, 1, 2, 2]}. */
    public Tensor repeatInterleave(int repeats, int dim) {
        return ShapeOps.repeatInterleave(this, repeats, dim);
    }

    /** The flattened elements, element i repeated {@code repeats[i]} times (int64 or int32; 0-d or one entry: all). */
    public Tensor repeatInterleave(Tensor repeats) {
        return ShapeOps.repeatInterleave(this, repeats, null);
    }

    /** Slice i along {@code dim} repeated {@code repeats[i]} times (int64 or int32; 0-d or one entry: all alike). */
    public Tensor repeatInterleave(Tensor repeats, int dim) {
        return ShapeOps.repeatInterleave(this, repeats, dim);
    }

    /** The lower triangle of each matrix in the last two dims (others zero), as {@code torch.tril}. */
    public Tensor tril() {
        return ShapeOps.triangle(this, 0, true);
    }

    /** Keeps {@code j - i <= diagonal} of each matrix (positive: above the main diagonal too), as {@code tril}. */
    public Tensor tril(int diagonal) {
        return ShapeOps.triangle(this, diagonal, true);
    }

    /** The upper triangle of each matrix in the last two dims (others zero), as {@code torch.triu}. */
    public Tensor triu() {
        return ShapeOps.triangle(this, 0, false);
    }

    /** Keeps {@code j - i >= diagonal} of each matrix (negative: below the main diagonal too), as {@code triu}. */
    public Tensor triu(int diagonal) {
        return ShapeOps.triangle(this, diagonal, false);
    }

    /** A 1-d tensor as a square matrix's diagonal, or a matrix's main diagonal as a 1-d copy, as {@code torch.diag}. */
    public Tensor diag() {
        return ShapeOps.diag(this, 0);
    }

    /** {@link #diag()} on the {@code diagonal}-th diagonal (positive: above the main one, negative: below). */
    public Tensor diag(int diagonal) {
        return ShapeOps.diag(this, diagonal);
    }

    /** The main diagonal of the first two dims, as a view (see {@link #diagonal(int, int, int)}). */
    public Tensor diagonal() {
        return ShapeOps.diagonal(this, 0, 0, 1);
    }

    /**
     * A view of the diagonal at {@code offset} of the matrices spanned by {@code dim1} and {@code dim2}, as
     * {@code torch.diagonal}: those dims are removed and the diagonal is appended as the last dim.
     */
    public Tensor diagonal(int offset, int dim1, int dim2) {
        return ShapeOps.diagonal(this, offset, dim1, dim2);
    }

    /** The sum of a matrix's main diagonal (0-d; integers sum to int64), as {@code torch.trace}. */
    public Tensor trace() {
        return ShapeOps.trace(this);
    }

    /**
     * Views of {@code chunks} pieces of equal size (the last may be smaller, and there may be fewer) along
     * {@code dim}, as {@code torch.chunk}.
     */
    public List<Tensor> chunk(int chunks, int dim) {
        return ShapeOps.chunk(this, chunks, dim);
    }

    /** The slices along {@code dim}, each without that dim (views), as {@code torch.unbind}. */
    public List<Tensor> unbind(int dim) {
        return ShapeOps.unbind(this, dim);
    }

    /** Moves dim {@code source} to position {@code destination}, the others keeping their order (a view). */
    public Tensor movedim(int source, int destination) {
        return ShapeOps.movedim(this, new int[] {source}, new int[] {destination});
    }

    /** Moves each of {@code source} to the matching {@code destination} position, as {@code torch.movedim}. */
    public Tensor movedim(int[] source, int[] destination) {
        return ShapeOps.movedim(this, source, destination);
    }

    /**
     * Sliding windows of {@code size} elements every {@code step} along {@code dim}, as a view, as
     * {@code Tensor.unfold}: that dim becomes the window count {@code (n - size) / step + 1} and a last dim of
     * {@code size} is appended. Overlapping windows add their gradients.
     */
    public Tensor unfold(int dim, int size, int step) {
        return ShapeOps.unfold(this, dim, size, step);
    }

    /** Zero padding of the last dims, as {@code F.pad(x, pads)}; see {@link #pad(int[], String, double)}. */
    public Tensor pad(int... pads) {
        return ShapeOps.pad(this, pads, "constant", 0);
    }

    /**
     * Pads the last dims, as {@code F.pad}: {@code pads} holds (before, after) pairs starting from the last dim
     * ({@code {left, right, top, bottom}} pads the last two); negative pads crop. {@code mode} is "constant" (with
     * {@code value}), "reflect" (pads smaller than the dim), "replicate" or "circular" (pads at most the dim), for
     * any number of padded dims and any dtype. Differentiable.
     */
    public Tensor pad(int[] pads, String mode, double value) {
        return ShapeOps.pad(this, pads, mode, value);
    }

    /** The multi-indices of the non-zero (true) elements, row-major, as int64 {@code [n, dim()]} ({@code nonzero}). */
    public Tensor nonzero() {
        return Sets.nonzero(this);
    }

    /** The positions of the non-zero elements as one 1-d int64 tensor per dim, as {@code nonzero(as_tuple=True)}. */
    public List<Tensor> nonzeroAsTuple() {
        return Sets.nonzeroAsTuple(this);
    }

    /** The distinct elements, sorted ascending, 1-d, as {@code torch.unique}. Not differentiable. */
    public Tensor unique() {
        return Sets.unique(this, true, false, false, null).values();
    }

    /**
     * The distinct elements with, on request, each element's position among them ({@code inverse}, this shape) and
     * their counts, as {@code torch.unique}. Sorted ascending (NaN last, each NaN distinct), or in order of first
     * occurrence when {@code sorted} is false.
     */
    public Unique unique(boolean sorted, boolean returnInverse, boolean returnCounts) {
        return Sets.unique(this, sorted, returnInverse, returnCounts, null);
    }

    /** {@link #unique(boolean, boolean, boolean)} over whole slices along {@code dim} (sorted lexicographically). */
    public Unique unique(boolean sorted, boolean returnInverse, boolean returnCounts, int dim) {
        return Sets.unique(this, sorted, returnInverse, returnCounts, dim);
    }

    /**
     * For each of {@code values}, where it would be inserted into {@code sortedSequence} to keep it sorted (before
     * equal entries), as int64, as {@code torch.searchsorted}; the sequence is 1-d or has the values' leading dims.
     */
    public static Tensor searchsorted(Tensor sortedSequence, Tensor values) {
        return Sets.searchsorted(sortedSequence, values, false, null, false);
    }

    /** {@link #searchsorted(Tensor, Tensor)}; with {@code right} true, after equal entries. */
    public static Tensor searchsorted(Tensor sortedSequence, Tensor values, boolean right) {
        return Sets.searchsorted(sortedSequence, values, right, null, false);
    }

    /**
     * {@link #searchsorted(Tensor, Tensor)} in full: {@code side} "left" or "right"; {@code sorter} (int64 or int32,
     * may be null) the positions that sort an unsorted sequence's rows; int32 results when {@code outInt32}.
     */
    public static Tensor searchsorted(Tensor sortedSequence, Tensor values, String side, Tensor sorter,
            boolean outInt32) {
        return Sets.searchsorted(sortedSequence, values, Sets.rightFromSide(side), sorter, outInt32);
    }

    /** {@link #searchsorted(Tensor, Tensor, boolean)} of one value: a 0-d int64 position. */
    public static Tensor searchsorted(Tensor sortedSequence, double value, boolean right) {
        Args.notNull(sortedSequence, "searchsorted", "sortedSequence");
        Tensor v = sortedSequence.dtype().isFloatingPoint() ? scalar(value, sortedSequence.dtype())
                : scalar(value, DType.FLOAT64);
        return Sets.searchsorted(sortedSequence, v, right, null, false);
    }

    /**
     * The index of the bucket of each element among the sorted 1-d {@code boundaries} (int64), as
     * {@code torch.bucketize}: {@code boundaries[i-1] < x <= boundaries[i]}, or {@code <= x <} when {@code right}.
     */
    public Tensor bucketize(Tensor boundaries, boolean right) {
        return Sets.bucketize(this, boundaries, right, false);
    }

    /** {@link #bucketize(Tensor, boolean)} with the choice of int32 results. */
    public Tensor bucketize(Tensor boundaries, boolean right, boolean outInt32) {
        return Sets.bucketize(this, boundaries, right, outInt32);
    }

    /** The slices at {@code indices} along {@code dim}, in that order (repeats allowed), as {@code index_select}. */
    public Tensor indexSelect(int dim, int... indices) {
        return Indexing.indexSelect(this, Shapes.existingDim("indexSelect", dim, shape.length), indices);
    }

    /** {@link #indexSelect(int, int...)} with the indices given as a 1-d int64 or int32 tensor. */
    public Tensor indexSelect(int dim, Tensor indices) {
        int d = Shapes.existingDim("indexSelect", dim, shape.length);
        if (Args.notNull(indices, "indexSelect", "indices").dim() != 1) {
            throw new ShapeMismatchException("indexSelect: indices must be 1-d, got shape " + Shapes.str(indices.shape));
        }
        return Indexing.indexSelect(this, d, Indexing.toIndices("indexSelect", indices, shape[d]));
    }

    // ------------------------------------------------------------------------------------------------ in place

    /** {@code this += other} (broadcast to this shape). In-place ops bump the version counter; see {@link Grad}. */
    public Tensor addInPlace(Tensor other) {
        return InPlace.apply("addInPlace", this, org.grad4j.core.kernel.BinaryOp.ADD, other);
    }

    /** {@code this += alpha * other}. */
    public Tensor addInPlace(Tensor other, double alpha) {
        return alpha == 1 ? addInPlace(other) : InPlace.addScaled(this, other, alpha);
    }

    /** {@code this += value}, as {@code add_}; returns this. */
    public Tensor addInPlace(double value) {
        return addInPlace(constant(value));
    }

    /** {@code this -= other} (broadcast to this tensor's shape), as {@code sub_}; returns this. */
    public Tensor subInPlace(Tensor other) {
        return InPlace.apply("subInPlace", this, org.grad4j.core.kernel.BinaryOp.SUB, other);
    }

    /** {@code this *= other} (broadcast to this tensor's shape), as {@code mul_}; returns this. */
    public Tensor mulInPlace(Tensor other) {
        return InPlace.apply("mulInPlace", this, org.grad4j.core.kernel.BinaryOp.MUL, other);
    }

    /** {@code this *= value}, as {@code mul_}: {@code grad.mulInPlace(0.5)}; returns this. */
    public Tensor mulInPlace(double value) {
        return mulInPlace(constant(value));
    }

    /** {@code this /= other} (broadcast to this tensor's shape), as {@code div_}; returns this. */
    public Tensor divInPlace(Tensor other) {
        return InPlace.apply("divInPlace", this, org.grad4j.core.kernel.BinaryOp.DIV, other);
    }

    /** {@code this /= value}, as {@code div_}; returns this. */
    public Tensor divInPlace(double value) {
        return divInPlace(constant(value));
    }

    /** {@code this = max(this, other)}. */
    public Tensor maximumInPlace(Tensor other) {
        return InPlace.apply("maximumInPlace", this, org.grad4j.core.kernel.BinaryOp.MAX, other);
    }

    /** {@code this += value * t1 * t2}, as {@code addcmul_}. */
    public Tensor addcmulInPlace(Tensor t1, Tensor t2, double value) {
        return InPlace.addcmul(this, t1, t2, value, false);
    }

    /** {@code this += value * t1 / t2}, as {@code addcdiv_}. */
    public Tensor addcdivInPlace(Tensor t1, Tensor t2, double value) {
        return InPlace.addcmul(this, t1, t2, value, true);
    }

    /** Replaces each element by its square root, as {@code sqrt_}; returns this. */
    public Tensor sqrtInPlace() {
        return InPlace.map("sqrtInPlace", this, org.grad4j.core.kernel.UnaryOp.SQRT);
    }

    /** Clamps each element into {@code [min, max]}, as {@code clamp_}; returns this. */
    public Tensor clampInPlace(double min, double max) {
        if (min > max || Double.isNaN(min) || Double.isNaN(max)) {
            throw new IllegalArgumentException("clampInPlace: need min <= max, got min=" + min + ", max=" + max);
        }
        InPlace.apply("clampInPlace", this, org.grad4j.core.kernel.BinaryOp.MAX, constant(min));
        return InPlace.apply("clampInPlace", this, org.grad4j.core.kernel.BinaryOp.MIN, constant(max));
    }

    /** Sets every element to {@code value}. */
    public Tensor fill(double value) {
        return InPlace.fill(this, value);
    }

    /** Sets every element to 0, as {@code zero_}; returns this. */
    public Tensor zero() {
        return fill(0);
    }

    /** Copies {@code source}'s values (broadcast to this shape, same dtype) into this tensor. */
    public Tensor copyFrom(Tensor source) {
        return InPlace.copyFrom(this, source);
    }

    /** Sets one element ({@code value} converted to this dtype). */
    public Tensor set(double value, int... index) {
        InPlace.checkAllowed("set", this, null);
        storage.set(flatIndex("set", index), value);
        storage.bumpVersion();
        return this;
    }

    /** Sets one element to a long, exact for int64. */
    public Tensor set(long value, int... index) {
        InPlace.checkAllowed("set", this, null);
        storage.setLong(flatIndex("set", index), value);
        storage.bumpVersion();
        return this;
    }

    /** Used by the engine to accumulate into a private gradient buffer it owns. */
    void addInPlaceUnchecked(Tensor g) {
        InPlace.applyUnchecked(this, org.grad4j.core.kernel.BinaryOp.ADD, g);
    }

    /** The version counter of this tensor's storage (bumped by in-place writes). */
    public int version() {
        return storage.version();
    }

    // ------------------------------------------------------------------------------------------------ convolution and pooling

    /**
     * 2-d convolution (cross-correlation) of this {@code [N, Cin, H, W]} input with {@code weight
     * [Cout, Cin / groups, kh, kw]} plus an optional {@code bias [Cout]} (null for none), as
     * {@code torch.nn.functional.conv2d}. {@code stride}, {@code padding} (zeros) and {@code dilation} are
     * {@code {height, width}}. Runs on the GEMM (im2col); its gradient is a convolution and a transposed convolution.
     */
    public Tensor conv2d(Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        return Convolution.conv2dChecked(this, weight, bias, stride, padding, dilation, groups);
    }

    /**
     * Transposed 2-d convolution of this {@code [N, Cin, H, W]} input with {@code weight [Cin, Cout / groups, kh, kw]},
     * as {@code torch.nn.functional.conv_transpose2d}: the gradient of {@link #conv2d} with respect to its input.
     * {@code outputPadding} (each smaller than the stride or the dilation) adds rows/columns at the bottom/right.
     */
    public Tensor convTranspose2d(Tensor weight, Tensor bias, int[] stride, int[] padding, int[] outputPadding,
            int[] dilation, int groups) {
        return Convolution.convTranspose2dChecked(this, weight, bias, stride, padding, outputPadding, dilation, groups);
    }

    // ---- fused convolution and ReLU (issue 9)

    /**
     * {@code conv2d(weight, bias, stride, padding, dilation, groups).relu()} in one op: the same values, gradients
     * and higher-order gradients, with the ReLU applied to each image's output inside the convolution's pass (on the
     * threads that compute it) and no separate pre-activation array. {@code nn.Sequential} uses it for a
     * {@code Conv2d} followed by a {@code ReLU}.
     */
    public Tensor conv2dRelu(Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        return Convolution.conv2dReluChecked(this, weight, bias, stride, padding, dilation, groups);
    }

    /**
     * {@code conv2dRelu(weight, bias, stride, padding, dilation, groups).maxPool2d(kernelSize, poolStride,
     * poolPadding, poolDilation, ceilMode)} in one op: the same values, gradients and higher-order gradients,
     * without the activation array between the ReLU and the pooling (each thread pools its images while they are
     * in cache) and with the pooling's and ReLU's backward in one pass. {@code nn.Sequential} uses it for a
     * {@code Conv2d}, a {@code ReLU} and a {@code MaxPool2d} in a row.
     */
    public Tensor conv2dReluMaxPool2d(Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation,
            int groups, int[] kernelSize, int[] poolStride, int[] poolPadding, int[] poolDilation, boolean ceilMode) {
        return Convolution.conv2dReluMaxPool2dChecked(this, weight, bias, stride, padding, dilation, groups,
                kernelSize, poolStride, poolPadding, poolDilation, ceilMode);
    }

    /**
     * Sliding windows of this {@code [N, C, H, W]} tensor as columns, {@code [N, C kh kw, L]} with {@code L} the number
     * of window positions, as {@code torch.nn.functional.unfold} (zero padding).
     */
    public Tensor unfold(int[] kernelSize, int[] stride, int[] padding, int[] dilation) {
        return Convolution.unfoldChecked(this, kernelSize, stride, padding, dilation);
    }

    /**
     * 2-d max pooling of this {@code [N, C, H, W]} tensor, as {@code torch.nn.functional.max_pool2d}: padding counts
     * as -infinity, {@code ceilMode} lets a last partial window in. Returns {@code {values, indices}} with the
     * indices (flat positions {@code y * W + x} in each input plane, int64) as
     * {@code return_indices=True}. The gradient goes to the first maximum of each window.
     */
    public Tensor[] maxPool2dWithIndices(int[] kernelSize, int[] stride, int[] padding, int[] dilation,
            boolean ceilMode) {
        return Pooling.maxPool2dChecked(this, kernelSize, stride, padding, dilation, ceilMode, true);
    }

    /** {@link #maxPool2dWithIndices} without the indices. */
    public Tensor maxPool2d(int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        return Pooling.maxPool2dChecked(this, kernelSize, stride, padding, dilation, ceilMode, false)[0];
    }

    /**
     * 2-d average pooling of this {@code [N, C, H, W]} tensor, as {@code torch.nn.functional.avg_pool2d}: zero padding,
     * counted in the divisor when {@code countIncludePad} (PyTorch's default).
     */
    public Tensor avgPool2d(int[] kernelSize, int[] stride, int[] padding, boolean countIncludePad) {
        return Pooling.avgPool2dChecked(this, kernelSize, stride, padding, false, countIncludePad);
    }

    /**
     * {@link #avgPool2d(int[], int[], int[], boolean)} with {@code ceilMode}: a last partial window is let in (if it
     * starts inside the input or its left padding), and each window is divided by its size clipped to the padded
     * input (to the input without {@code countIncludePad}), as PyTorch.
     */
    public Tensor avgPool2d(int[] kernelSize, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad) {
        return Pooling.avgPool2dChecked(this, kernelSize, stride, padding, ceilMode, countIncludePad);
    }

    /** Average over adaptive windows to an {@code [N, C, outH, outW]} output, as {@code adaptive_avg_pool2d}. */
    public Tensor adaptiveAvgPool2d(int outH, int outW) {
        return Pooling.adaptiveAvgPool2dChecked(this, outH, outW);
    }

    /** Max over adaptive windows, {@code {values, indices}}, as {@code adaptive_max_pool2d(return_indices=True)}. */
    public Tensor[] adaptiveMaxPool2dWithIndices(int outH, int outW) {
        return Pooling.adaptiveMaxPool2dChecked(this, outH, outW);
    }
}
