package org.grad4j.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * An n-dimensional array of float32 or float64 values that records the operations applied to it, so that
 * {@link #backward()} can compute gradients, as a PyTorch tensor does.
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
 * storage and copy nothing. Binary ops broadcast as NumPy does; dims may be negative, counting from the end. Ops
 * never mix dtypes silently. Tensors are not thread-safe; grad mode ({@link Grad}) is per thread.
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
        int[] s = shape.length == 0 ? new int[] {data.length} : shape.clone();
        checkData("Tensor.of", data.length, s);
        return new Tensor(Storage.wrap(data.clone()), s, Shapes.contiguousStrides(s), 0);
    }

    /** A float64 tensor holding a copy of {@code data} with the given shape (1-d when no shape is given). */
    public static Tensor of(double[] data, int... shape) {
        int[] s = shape.length == 0 ? new int[] {data.length} : shape.clone();
        checkData("Tensor.of", data.length, s);
        return new Tensor(Storage.wrap(data.clone()), s, Shapes.contiguousStrides(s), 0);
    }

    /**
     * A float32 tensor of exactly {@code shape}, holding a copy of {@code data}; unlike {@link #of(float[], int...)}
     * an empty shape means a 0-d scalar, so {@code ofShape(t.toFloatArray(), t.shape())} round-trips any tensor.
     */
    public static Tensor ofShape(float[] data, int[] shape) {
        checkData("Tensor.ofShape", data.length, shape);
        return new Tensor(Storage.wrap(data.clone()), shape.clone(), Shapes.contiguousStrides(shape), 0);
    }

    /** The float64 form of {@link #ofShape(float[], int[])}. */
    public static Tensor ofShape(double[] data, int[] shape) {
        checkData("Tensor.ofShape", data.length, shape);
        return new Tensor(Storage.wrap(data.clone()), shape.clone(), Shapes.contiguousStrides(shape), 0);
    }

    /** A float32 matrix from rows of equal length. */
    public static Tensor of(float[][] rows) {
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

    /** A 0-d tensor of the given dtype. */
    public static Tensor scalar(double value, DType dtype) {
        Tensor t = empty(dtype, Shapes.SCALAR);
        t.storage.set(0, value);
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

    public static Tensor full(double value, DType dtype, int... shape) {
        Shapes.checkShape("full", shape);
        Tensor t = empty(dtype, shape.clone());
        if (value != 0) {
            if (t.storage.floats != null) {
                Arrays.fill(t.storage.floats, (float) value);
            } else {
                Arrays.fill(t.storage.doubles, value);
            }
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

    /** {@code [0, 1, ..., end-1]} as float32. */
    public static Tensor arange(int end) {
        return arange(0, end, 1, DType.FLOAT32);
    }

    /** Values from {@code start} (inclusive) to {@code end} (exclusive) by {@code step}, as {@code torch.arange}. */
    public static Tensor arange(double start, double end, double step, DType dtype) {
        if (step == 0 || Double.isNaN(step) || Double.isInfinite(start) || Double.isInfinite(end)) {
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

    /** Uniform values in [0, 1) drawn from {@code rng}. */
    public static Tensor rand(RandomGenerator rng, DType dtype, int... shape) {
        Shapes.checkShape("rand", shape);
        Tensor t = empty(dtype, shape.clone());
        if (t.storage.floats != null) {
            // nextFloat, not (float) nextDouble: rounding a double near 1 to float can give exactly 1.0f.
            for (int i = 0; i < t.storage.floats.length; i++) t.storage.floats[i] = rng.nextFloat();
        } else {
            for (int i = 0; i < t.storage.doubles.length; i++) t.storage.doubles[i] = rng.nextDouble();
        }
        return t;
    }

    /** Standard normal values, reproducible from the seed. */
    public static Tensor randn(long seed, int... shape) {
        return randn(new SplittableRandom(seed), DType.FLOAT32, shape);
    }

    /** Standard normal values drawn from {@code rng}. */
    public static Tensor randn(RandomGenerator rng, DType dtype, int... shape) {
        Shapes.checkShape("randn", shape);
        Tensor t = empty(dtype, shape.clone());
        for (int i = 0; i < t.storage.length(); i++) {
            t.storage.set(i, rng.nextGaussian());
        }
        return t;
    }

    /**
     * One-hot rows: {@code [labels.length, numClasses]} with a 1 at each label, as {@code F.one_hot}.
     */
    public static Tensor oneHot(int[] labels, int numClasses, DType dtype) {
        return Indexing.oneHot(labels, numClasses, dtype);
    }

    /** {@link #oneHot(int[], int, DType)} from a tensor of integral class indices (any shape); adds a last dim. */
    public static Tensor oneHot(Tensor labels, int numClasses) {
        int[] idx = Indexing.toIndices("oneHot", labels, numClasses);
        return Indexing.oneHot(idx, numClasses, labels.dtype())
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

    /** The single value of a tensor with one element. */
    public double item() {
        if (numel() != 1) {
            throw new ShapeMismatchException("item: only a tensor with one element can be converted to a number,"
                    + " this one has shape " + Shapes.str(shape) + "; use toDoubleArray() or select an element");
        }
        return storage.get(offset);
    }

    /** The element at the given index (one int per dim, negative counts from the end). */
    public double get(int... index) {
        return storage.get(flatIndex("get", index));
    }

    int flatIndex(String op, int[] index) {
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
        return ownsWholeStorage(c) ? c.storage.floats : Arrays.copyOfRange(c.storage.floats, c.offset,
                c.offset + c.numel());
    }

    /** The values in row-major order, as double (converted if the tensor is float32). */
    public double[] toDoubleArray() {
        Tensor c = contiguousData(DType.FLOAT64);
        return ownsWholeStorage(c) ? c.storage.doubles : Arrays.copyOfRange(c.storage.doubles, c.offset,
                c.offset + c.numel());
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
        return storage == other.storage;
    }

    /** The strides, in elements, of each dim (a copy). */
    public int[] strides() {
        return strides.clone();
    }

    boolean hasNonFinite() {
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

    /** Marks a leaf so that ops on it are recorded and {@link #backward()} fills its {@link #grad()}. */
    public Tensor requiresGrad(boolean requiresGrad) {
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

    public Tensor add(double value) {
        return Pointwise.add(this, constant(value));
    }

    public Tensor sub(Tensor other) {
        return Pointwise.sub(this, other);
    }

    public Tensor sub(double value) {
        return Pointwise.sub(this, constant(value));
    }

    public Tensor mul(Tensor other) {
        return Pointwise.mul(this, other);
    }

    public Tensor mul(double value) {
        return Pointwise.mul(this, constant(value));
    }

    public Tensor div(Tensor other) {
        return Pointwise.div(this, other);
    }

    public Tensor div(double value) {
        return Pointwise.div(this, constant(value));
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

    /** Element-wise power with a constant exponent. */
    public Tensor pow(double exponent) {
        return Pointwise.powScalar(this, exponent);
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

    /** {@code condition != 0 ? a : b}, broadcasting all three. The gradient flows to a and b, not the condition. */
    public static Tensor where(Tensor condition, Tensor a, Tensor b) {
        return Pointwise.where(condition, a, b);
    }

    /** {@code this != 0 ? a : b}. */
    public Tensor where(Tensor a, Tensor b) {
        return Pointwise.where(this, a, b);
    }

    /** Mask of {@code this > other}: 1 or 0 in this tensor's dtype. Masks record no graph. */
    public Tensor gt(Tensor other) {
        return Pointwise.compare("gt", org.grad4j.core.kernel.BinaryOp.GT, this, other);
    }

    public Tensor gt(double value) {
        return gt(constant(value));
    }

    public Tensor ge(Tensor other) {
        return Pointwise.compare("ge", org.grad4j.core.kernel.BinaryOp.GE, this, other);
    }

    public Tensor ge(double value) {
        return ge(constant(value));
    }

    public Tensor lt(Tensor other) {
        return Pointwise.compare("lt", org.grad4j.core.kernel.BinaryOp.LT, this, other);
    }

    public Tensor lt(double value) {
        return lt(constant(value));
    }

    public Tensor le(Tensor other) {
        return Pointwise.compare("le", org.grad4j.core.kernel.BinaryOp.LE, this, other);
    }

    public Tensor le(double value) {
        return le(constant(value));
    }

    public Tensor eq(Tensor other) {
        return Pointwise.compare("eq", org.grad4j.core.kernel.BinaryOp.EQ, this, other);
    }

    public Tensor eq(double value) {
        return eq(constant(value));
    }

    public Tensor ne(Tensor other) {
        return Pointwise.compare("ne", org.grad4j.core.kernel.BinaryOp.NE, this, other);
    }

    public Tensor ne(double value) {
        return ne(constant(value));
    }

    /** Converts to another dtype (a copy; the same tensor when the dtype already matches). Differentiable. */
    public Tensor to(DType dtype) {
        return Pointwise.cast(this, dtype);
    }

    private Tensor constant(double value) {
        return scalar(value, dtype());
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

    /** Composed: {@code sum(dims) / count}. */
    public Tensor mean(int[] dims, boolean keepDim) {
        int[] d = Shapes.dims("mean", dims, shape.length);
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

    /** Flat index of the largest element (0-d, in this tensor's dtype; the first one on ties). */
    public Tensor argmax() {
        return Reductions.argExtremum(reshape(-1), 0, false, true);
    }

    /** Index of the largest element along a dim, in this tensor's dtype (first on ties; NaN counts as largest). */
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
        int n = Reductions.count(shape, d);
        if (correction < 0) {
            throw new IllegalArgumentException("var: correction must be >= 0, got " + correction);
        }
        Tensor centered = sub(mean(d, true));
        return centered.mul(centered).sum(d, keepDim).div(Math.max(n - correction, 0));
    }

    public Tensor std(int[] dims, int correction, boolean keepDim) {
        return var(dims, correction, keepDim).sqrt();
    }

    /** Composed: {@code m + log(sum(exp(x - m)))} with {@code m} the detached max, so it cannot overflow. */
    public Tensor logSumExp(int dim, boolean keepDim) {
        int d = Shapes.dim("logSumExp", dim, shape.length);
        Tensor m = amax(new int[] {d}, true).detach();
        Tensor finiteMax = where(m.abs().lt(Double.POSITIVE_INFINITY), m, m.zerosLike());
        Tensor out = sub(finiteMax).exp().sum(new int[] {d}, true).log().add(finiteMax);
        return keepDim ? out : out.squeeze(d);
    }

    /** Composed: {@code exp(x - max) / sum(exp(x - max))} along {@code dim}, with the max detached. */
    public Tensor softmax(int dim) {
        int d = Shapes.dim("softmax", dim, shape.length);
        Tensor e = sub(amax(new int[] {d}, true).detach()).exp();
        return e.div(e.sum(new int[] {d}, true));
    }

    /** Composed: {@code x - logSumExp(x)} along {@code dim}. */
    public Tensor logSoftmax(int dim) {
        int d = Shapes.dim("logSoftmax", dim, shape.length);
        return sub(logSumExp(d, true));
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
        return expand(other.shape);
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
        return Indexing.concat(dim, tensors.toArray(new Tensor[0]));
    }

    /** Joins tensors of equal shape along a new dim. */
    public static Tensor stack(int dim, Tensor... tensors) {
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
        return stack(dim, tensors.toArray(new Tensor[0]));
    }

    /** Views of consecutive pieces of {@code splitSize} along {@code dim} (the last may be smaller). */
    public List<Tensor> split(int splitSize, int dim) {
        int d = Shapes.existingDim("split", dim, shape.length);
        if (splitSize <= 0) {
            throw new IllegalArgumentException("split: splitSize must be positive, got " + splitSize);
        }
        List<Tensor> parts = new ArrayList<>();
        for (int start = 0; start < shape[d]; start += splitSize) {
            parts.add(narrow(d, start, Math.min(splitSize, shape[d] - start)));
        }
        return parts;
    }

    /** Views of pieces with the given sizes along {@code dim}; the sizes must add up to the dim's size. */
    public List<Tensor> split(int[] sizes, int dim) {
        int d = Shapes.existingDim("split", dim, shape.length);
        int total = Arrays.stream(sizes).sum();
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
     * {@code index} holds integral values in this tensor's range, has the same rank, and sizes no larger than this
     * tensor's outside {@code dim}. Picks class scores by label: {@code logits.gather(1, labels.unsqueeze(1))}.
     */
    public Tensor gather(int dim, Tensor index) {
        return Indexing.gather(this, Shapes.dim("gather", dim, shape.length), index);
    }

    /** The slices at {@code indices} along {@code dim}, in that order (repeats allowed), as {@code index_select}. */
    public Tensor indexSelect(int dim, int... indices) {
        return Indexing.indexSelect(this, Shapes.existingDim("indexSelect", dim, shape.length), indices);
    }

    /** {@link #indexSelect(int, int...)} with the indices given as a 1-d tensor of integral values. */
    public Tensor indexSelect(int dim, Tensor indices) {
        int d = Shapes.existingDim("indexSelect", dim, shape.length);
        if (indices.dim() != 1) {
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

    /** Sets one element. */
    public Tensor set(double value, int... index) {
        InPlace.checkAllowed("set", this, null);
        storage.set(flatIndex("set", index), value);
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
     * indices (flat positions {@code y * W + x} in each input plane, in this tensor's dtype) as
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
