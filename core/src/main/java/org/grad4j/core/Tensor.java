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

    public static Tensor zeros(int... shape) {
        return full(0, DType.FLOAT32, shape);
    }

    public static Tensor zeros(DType dtype, int... shape) {
        return full(0, dtype, shape);
    }

    public static Tensor ones(int... shape) {
        return full(1, DType.FLOAT32, shape);
    }

    public static Tensor ones(DType dtype, int... shape) {
        return full(1, dtype, shape);
    }

    public static Tensor full(double value, int... shape) {
        return full(value, DType.FLOAT32, shape);
    }

    /** A tensor of {@code shape} filled with {@code value}, converted to {@code dtype}. */
    public static Tensor full(double value, DType dtype, int... shape) {
        Shapes.checkShape("full", shape);
        Args.notNull(dtype, "full", "dtype");
        Tensor t = empty(dtype, shape.clone());
        if (value != 0) {
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
        double[] v = toDoubleArray();
        for (double x : v) {
            if (!Double.isFinite(x)) {
                return true;
            }
        }
        return false;
    }

    /** Element-wise closeness as {@code torch.allclose}: {@code |a - b| <= atol + rtol * |b|}, same shape. */
    public boolean allClose(Tensor other, double rtol, double atol) {
        Args.notNull(other, "allClose", "other");
        if (!Arrays.equals(shape, other.shape)) {
            return false;
        }
        double[] a = toDoubleArray();
        double[] b = other.toDoubleArray();
        for (int i = 0; i < a.length; i++) {
            if (!(Math.abs(a[i] - b[i]) <= atol + rtol * Math.abs(b[i])) && !(a[i] == b[i])) {
                return false;
            }
        }
        return true;
    }

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
            gradFn.retained = this;
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

    public Tensor square() {
        return mul(this);
    }

    public Tensor exp() {
        return Pointwise.exp(this);
    }

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

    public Tensor sqrt() {
        return Pointwise.sqrt(this);
    }

    /** {@code 1 / sqrt(x)}. */
    public Tensor rsqrt() {
        return sqrt().reciprocal();
    }

    public Tensor reciprocal() {
        return Pointwise.reciprocal(this);
    }

    public Tensor abs() {
        return Pointwise.abs(this);
    }

    /** -1, 0 or 1; not differentiable (its gradient is zero almost everywhere), so it records nothing. */
    public Tensor sign() {
        return Pointwise.map(org.grad4j.core.kernel.UnaryOp.SIGN, this);
    }

    public Tensor sin() {
        return Pointwise.sin(this);
    }

    public Tensor cos() {
        return Pointwise.cos(this);
    }

    /** The Gauss error function (used by the exact GELU). */
    public Tensor erf() {
        return Pointwise.erf(this);
    }

    public Tensor tanh() {
        return Pointwise.tanh(this);
    }

    /** {@code 1 / (1 + exp(-x))}, exact 0 or 1 at the extremes, never NaN. */
    public Tensor sigmoid() {
        return Pointwise.sigmoid(this);
    }

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

    public Tensor clampMin(double min) {
        return clamp(min, Double.POSITIVE_INFINITY);
    }

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

    public Tensor gt(double value) {
        return gt(constant(value));
    }

    /** Comparison with a long, exact for int64 values beyond 2^53. */
    public Tensor gt(long value) {
        return gt(scalar(value, Promotion.withLong(dtype())));
    }

    public Tensor ge(Tensor other) {
        return Pointwise.compare("ge", org.grad4j.core.kernel.BinaryOp.GE, this, other);
    }

    public Tensor ge(double value) {
        return ge(constant(value));
    }

    /** Comparison with a long, exact for int64 values beyond 2^53. */
    public Tensor ge(long value) {
        return ge(scalar(value, Promotion.withLong(dtype())));
    }

    public Tensor lt(Tensor other) {
        return Pointwise.compare("lt", org.grad4j.core.kernel.BinaryOp.LT, this, other);
    }

    public Tensor lt(double value) {
        return lt(constant(value));
    }

    /** Comparison with a long, exact for int64 values beyond 2^53. */
    public Tensor lt(long value) {
        return lt(scalar(value, Promotion.withLong(dtype())));
    }

    public Tensor le(Tensor other) {
        return Pointwise.compare("le", org.grad4j.core.kernel.BinaryOp.LE, this, other);
    }

    public Tensor le(double value) {
        return le(constant(value));
    }

    /** Comparison with a long, exact for int64 values beyond 2^53. */
    public Tensor le(long value) {
        return le(scalar(value, Promotion.withLong(dtype())));
    }

    public Tensor eq(Tensor other) {
        return Pointwise.compare("eq", org.grad4j.core.kernel.BinaryOp.EQ, this, other);
    }

    public Tensor eq(double value) {
        return eq(constant(value));
    }

    /** Comparison with a long, exact for int64 values beyond 2^53. */
    public Tensor eq(long value) {
        return eq(scalar(value, Promotion.withLong(dtype())));
    }

    public Tensor ne(Tensor other) {
        return Pointwise.compare("ne", org.grad4j.core.kernel.BinaryOp.NE, this, other);
    }

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

    public Tensor sum(int dim) {
        return sum(new int[] {dim}, false);
    }

    public Tensor sum(int dim, boolean keepDim) {
        return sum(new int[] {dim}, keepDim);
    }

    public Tensor sum(int[] dims, boolean keepDim) {
        return Reductions.sum(this, Shapes.dims("sum", dims, shape.length), keepDim);
    }

    /** Mean of all elements (0-d). */
    public Tensor mean() {
        return mean(new int[0], false);
    }

    public Tensor mean(int dim) {
        return mean(new int[] {dim}, false);
    }

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

    /** Largest values along a dim (the values of {@code torch.max(x, dim)}; indices: {@link #argmax(int, boolean)}). */
    public Tensor max(int dim, boolean keepDim) {
        return amax(new int[] {dim}, keepDim);
    }

    public Tensor amax(int[] dims, boolean keepDim) {
        return Reductions.extremum("amax", this, Shapes.dims("amax", dims, shape.length), keepDim, true);
    }

    public Tensor min() {
        return amin(new int[0], false);
    }

    public Tensor min(int dim, boolean keepDim) {
        return amin(new int[] {dim}, keepDim);
    }

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

    public Tensor argmin(int dim, boolean keepDim) {
        return Reductions.argExtremum(this, Shapes.dim("argmin", dim, shape.length), keepDim, false);
    }

    /** Unbiased variance of all elements (Bessel's correction, as {@code torch.var}). */
    public Tensor var() {
        return var(new int[0], 1, false);
    }

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

    /** {@code max(dim, false)}: largest values along {@code dim}, e.g. {@code logits.max(1)} is {@code [batch]}. */
    public Tensor max(int dim) {
        return max(dim, false);
    }

    /** {@code min(dim, false)}: smallest values along {@code dim}. */
    public Tensor min(int dim) {
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
            if (gradFn.hooks == null) {
                gradFn.hooks = new Hooks(this);
            }
            return gradFn.hooks.add(hook);
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

    public Tensor addInPlace(double value) {
        return addInPlace(constant(value));
    }

    public Tensor subInPlace(Tensor other) {
        return InPlace.apply("subInPlace", this, org.grad4j.core.kernel.BinaryOp.SUB, other);
    }

    public Tensor mulInPlace(Tensor other) {
        return InPlace.apply("mulInPlace", this, org.grad4j.core.kernel.BinaryOp.MUL, other);
    }

    public Tensor mulInPlace(double value) {
        return mulInPlace(constant(value));
    }

    public Tensor divInPlace(Tensor other) {
        return InPlace.apply("divInPlace", this, org.grad4j.core.kernel.BinaryOp.DIV, other);
    }

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

    public Tensor sqrtInPlace() {
        return InPlace.map("sqrtInPlace", this, org.grad4j.core.kernel.UnaryOp.SQRT);
    }

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
        return Pooling.avgPool2dChecked(this, kernelSize, stride, padding, countIncludePad);
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
