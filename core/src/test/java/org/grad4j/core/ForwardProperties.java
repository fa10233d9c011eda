package org.grad4j.core;

import static org.grad4j.core.TensorArbitraries.anyValues;
import static org.grad4j.core.TensorArbitraries.append;
import static org.grad4j.core.TensorArbitraries.broadcastShapes;
import static org.grad4j.core.TensorArbitraries.dimCases;
import static org.grad4j.core.TensorArbitraries.dims;
import static org.grad4j.core.TensorArbitraries.flatten;
import static org.grad4j.core.TensorArbitraries.numel;
import static org.grad4j.core.TensorArbitraries.reductions;
import static org.grad4j.core.TensorArbitraries.shapes;
import static org.grad4j.core.TensorArbitraries.tensors;
import static org.grad4j.core.TensorArbitraries.unflatten;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.ToDoubleFunction;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.grad4j.core.TensorArbitraries.DimCase;
import org.grad4j.core.TensorArbitraries.JoinCase;
import org.grad4j.core.TensorArbitraries.MatMulCase;
import org.grad4j.core.TensorArbitraries.PermuteCase;
import org.grad4j.core.TensorArbitraries.ReductionCase;
import org.grad4j.core.TensorArbitraries.TargetCase;
import org.grad4j.core.TensorArbitraries.TensorData;

/**
 * Forward values against naive reference loops written here, independent of the library's index arithmetic:
 * broadcasting, reductions over dim sets, batched matmul, views and chains of views, joining and indexing, and the
 * numerically delicate compositions at their extremes (softmax, logSumExp, sigmoid).
 */
class ForwardProperties {
    private static final int TRIES = 50;

    // ============================================================================================ reference model

    /** A row-major array with a shape: the reference side of every comparison. */
    record Naive(int[] shape, double[] values) {
        static Naive of(TensorData data) {
            return new Naive(data.shape(), data.values());
        }

        int rank() {
            return shape.length;
        }

        double at(int[] index) {
            return values[flatten(index, shape)];
        }

        /** Builds an array of the given shape from a function of the multi-index. */
        static Naive tabulate(int[] shape, ToDoubleFunction<int[]> f) {
            double[] v = new double[numel(shape)];
            for (int i = 0; i < v.length; i++) v[i] = f.applyAsDouble(unflatten(i, shape));
            return new Naive(shape, v);
        }

        @Override
        public String toString() {
            return Arrays.toString(shape) + " " + Arrays.toString(values);
        }
    }

    private static int normalize(int dim, int rank) {
        return dim < 0 ? dim + rank : dim;
    }

    private static int[] broadcastShape(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            out[i] = Math.max(da, db);
        }
        return out;
    }

    /** The element of a tensor of {@code shape} that a broadcast to the output index reads. */
    private static int[] broadcastSource(int[] outIndex, int[] shape) {
        int lead = outIndex.length - shape.length;
        int[] src = new int[shape.length];
        for (int i = 0; i < shape.length; i++) src[i] = shape[i] == 1 ? 0 : outIndex[lead + i];
        return src;
    }

    private static boolean close(double expected, double actual, double rtol, double atol) {
        if (Double.isNaN(expected) || Double.isNaN(actual)) {
            return Double.isNaN(expected) && Double.isNaN(actual);
        }
        if (Double.isInfinite(expected) || Double.isInfinite(actual)) {
            return expected == actual;
        }
        return Math.abs(expected - actual) <= atol + rtol * Math.abs(expected);
    }

    private static void assertMatches(Naive expected, Tensor actual, double rtol, double atol, String context) {
        assertArrayEquals(expected.shape(), actual.shape(), () -> context + ": shape");
        double[] got = actual.toDoubleArray();
        for (int i = 0; i < got.length; i++) {
            int at = i;
            assertTrue(close(expected.values()[i], got[i], rtol, atol), () -> context + ": element "
                    + Arrays.toString(unflatten(at, expected.shape())) + " expected " + expected.values()[at]
                    + " but was " + got[at] + "\n  expected " + expected + "\n  actual   " + Arrays.toString(got));
        }
    }

    private static void assertExact(Naive expected, Tensor actual, String context) {
        assertMatches(expected, actual, 0, 0, context);
    }

    @Provide
    Arbitrary<TensorData> anyTensor() {
        return tensors(shapes(0, 4), anyValues());
    }

    @Provide
    Arbitrary<DType> dtypes() {
        return Arbitraries.of(DType.FLOAT32, DType.FLOAT64);
    }

    /** The generated values as the dtype holds them, so float32 references start from the same inputs. */
    private static Naive rounded(TensorData data, DType dtype) {
        double[] v = data.values().clone();
        if (dtype == DType.FLOAT32) {
            for (int i = 0; i < v.length; i++) v[i] = (float) v[i];
        }
        return new Naive(data.shape(), v);
    }

    private static double roundTo(DType dtype, double value) {
        return dtype == DType.FLOAT32 ? (float) value : value;
    }

    // ============================================================================================ element-wise

    enum BinaryCase {
        ADD(Tensor::add, (a, b) -> a + b),
        SUB(Tensor::sub, (a, b) -> a - b),
        MUL(Tensor::mul, (a, b) -> a * b),
        DIV(Tensor::div, (a, b) -> a / b),
        POW(Tensor::pow, Math::pow),
        MAXIMUM(Tensor::maximum, (a, b) -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b)),
        MINIMUM(Tensor::minimum, (a, b) -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.min(a, b)),
        GT(Tensor::gt, (a, b) -> a > b ? 1 : 0),
        GE(Tensor::ge, (a, b) -> a >= b ? 1 : 0),
        LT(Tensor::lt, (a, b) -> a < b ? 1 : 0),
        LE(Tensor::le, (a, b) -> a <= b ? 1 : 0),
        EQ(Tensor::eq, (a, b) -> a == b ? 1 : 0),
        NE(Tensor::ne, (a, b) -> a != b ? 1 : 0);   // comparisons last: they return bool

        final BiFunction<Tensor, Tensor, Tensor> op;
        final DoubleBinaryOperator reference;

        BinaryCase(BiFunction<Tensor, Tensor, Tensor> op, DoubleBinaryOperator reference) {
            this.op = op;
            this.reference = reference;
        }
    }

    /** Values with repeats (so comparisons see ties), zeros and negatives (so pow and div see NaN and infinity). */
    @Provide
    Arbitrary<List<TensorData>> broadcastPair() {
        Arbitrary<Double> values = Arbitraries.oneOf(anyValues(), Arbitraries.of(-1.0, 0.0, 0.5, 2.0));
        return broadcastShapes(2).flatMap(s -> tensors(s, List.of(values, values)));
    }

    /**
     * Every float64 and float32 operation here is exactly one correctly rounded IEEE operation of the rounded
     * inputs, so the comparison is exact; only pow, which Math.pow computes to within 1 ulp, gets a tolerance.
     */
    @Property(tries = TRIES)
    void binaryOpsBroadcastLikeNaiveLoops(@ForAll("broadcastPair") List<TensorData> p, @ForAll BinaryCase op,
                                          @ForAll("dtypes") DType dtype) {
        Naive a = rounded(p.get(0), dtype);
        Naive b = rounded(p.get(1), dtype);
        Naive expected = Naive.tabulate(broadcastShape(a.shape(), b.shape()), i -> roundTo(dtype,
                op.reference.applyAsDouble(a.at(broadcastSource(i, a.shape())), b.at(broadcastSource(i, b.shape())))));
        Tensor actual = op.op.apply(p.get(0).tensor(dtype), p.get(1).tensor(dtype));
        boolean comparison = op.ordinal() >= BinaryCase.GT.ordinal();
        assertEquals(comparison ? DType.BOOL : dtype, actual.dtype());
        double rtol = op == BinaryCase.POW ? (dtype == DType.FLOAT32 ? 1e-6 : 1e-15) : 0;
        assertMatches(expected, actual, rtol, 0, op + " " + dtype);
    }

    @Provide
    Arbitrary<List<TensorData>> whereTriple() {
        Arbitrary<Double> masks = Arbitraries.of(0.0, 1.0, -2.0, 0.5);
        return broadcastShapes(3).flatMap(s -> tensors(s, List.of(masks, anyValues(), anyValues())));
    }

    /** The condition is a bool mask (here: the generated values != 0, from either float dtype). */
    @Property(tries = TRIES)
    void whereBroadcastsAllThree(@ForAll("whereTriple") List<TensorData> t, @ForAll("dtypes") DType maskType) {
        Naive c = Naive.of(t.get(0));
        Naive a = Naive.of(t.get(1));
        Naive b = Naive.of(t.get(2));
        int[] shape = broadcastShape(broadcastShape(c.shape(), a.shape()), b.shape());
        Naive expected = Naive.tabulate(shape, i -> c.at(broadcastSource(i, c.shape())) != 0
                ? a.at(broadcastSource(i, a.shape())) : b.at(broadcastSource(i, b.shape())));
        assertExact(expected, Tensor.where(t.get(0).tensor(maskType).ne(0), t.get(1).tensor(), t.get(2).tensor()),
                "where");
        assertExact(expected, t.get(0).tensor(maskType).ne(0).where(t.get(1).tensor(), t.get(2).tensor()),
                "mask.where");
    }

    enum UnaryCase {
        NEG(Tensor::neg, x -> -x),
        EXP(Tensor::exp, Math::exp),
        LOG(Tensor::log, Math::log),
        LOG1P(Tensor::log1p, Math::log1p),
        EXPM1(Tensor::expm1, Math::expm1),
        SQRT(Tensor::sqrt, Math::sqrt),
        RSQRT(Tensor::rsqrt, x -> 1 / Math.sqrt(x)),
        RECIPROCAL(Tensor::reciprocal, x -> 1 / x),
        ABS(Tensor::abs, Math::abs),
        SIGN(Tensor::sign, Math::signum),
        SIN(Tensor::sin, Math::sin),
        COS(Tensor::cos, Math::cos),
        TANH(Tensor::tanh, Math::tanh),
        SIGMOID(Tensor::sigmoid, x -> 1 / (1 + Math.exp(-x))),
        RELU(Tensor::relu, x -> x > 0 ? x : 0),
        SQUARE(Tensor::square, x -> x * x),
        ERF(Tensor::erf, ForwardProperties::erfBySimpson),
        CLAMP(x -> x.clamp(-0.5, 0.7), x -> Math.min(Math.max(x, -0.5), 0.7));

        final UnaryOperator<Tensor> op;
        final DoubleUnaryOperator reference;

        UnaryCase(UnaryOperator<Tensor> op, DoubleUnaryOperator reference) {
            this.op = op;
            this.reference = reference;
        }
    }

    /**
     * An independent erf: 2/sqrt(pi) times the integral of exp(-t^2) from 0 to x by composite Simpson with 4000
     * panels (error below 1e-13 on [0, 20]); exactly +-1 where the integrand has long vanished.
     */
    static double erfBySimpson(double x) {
        if (Double.isNaN(x) || Math.abs(x) > 20) {
            return Double.isNaN(x) ? x : Math.signum(x);
        }
        int panels = 4000;
        double h = x / panels;
        double sum = 1 + Math.exp(-x * x);
        for (int i = 1; i < panels; i++) {
            double t = i * h;
            sum += (i % 2 == 1 ? 4 : 2) * Math.exp(-t * t);
        }
        double value = 2 / Math.sqrt(Math.PI) * sum * h / 3;
        return Math.abs(value) > 1 ? Math.signum(value) : value;
    }

    /** Values well outside the smooth domains too: log and sqrt of negatives are NaN in both. */
    @Provide
    Arbitrary<TensorData> wideTensor() {
        Arbitrary<Double> values = Arbitraries.oneOf(Arbitraries.doubles().between(-20, 20).ofScale(4),
                Arbitraries.of(0.0, -1.0, 1.0));
        return tensors(shapes(0, 4), values);
    }

    /** Reference: java.lang.Math in double on the rounded input, rounded once more for float32. */
    @Property(tries = TRIES)
    void unaryOpsMatchJavaMath(@ForAll("wideTensor") TensorData x, @ForAll UnaryCase op,
                               @ForAll("dtypes") DType dtype) {
        Naive in = rounded(x, dtype);
        Naive expected = Naive.tabulate(in.shape(), i -> roundTo(dtype, op.reference.applyAsDouble(in.at(i))));
        double rtol = dtype == DType.FLOAT32 ? 1e-6 : 1e-14;
        double atol = op == UnaryCase.ERF ? (dtype == DType.FLOAT32 ? 1e-7 : 1e-13) : 1e-300;
        assertMatches(expected, op.op.apply(x.tensor(dtype)), rtol, atol, op + " " + dtype);
    }

    /** Through float32 and back rounds each value once; float32 through float64 and back changes nothing. */
    @Property(tries = TRIES)
    void castsRoundTrip(@ForAll("wideTensor") TensorData x) {
        Naive asFloat = rounded(x, DType.FLOAT32);
        Tensor viaFloat = x.tensor().to(DType.FLOAT32);
        assertEquals(DType.FLOAT32, viaFloat.dtype());
        assertExact(asFloat, viaFloat.to(DType.FLOAT64), "float64 -> float32 -> float64");
        assertExact(asFloat, x.tensor(DType.FLOAT32).to(DType.FLOAT64).to(DType.FLOAT32), "float32 -> 64 -> 32");
    }

    // ============================================================================================ reductions

    enum ReductionKind { SUM, MEAN, AMAX, AMIN, VAR_POPULATION, VAR_UNBIASED, STD_UNBIASED }

    @Provide
    Arbitrary<ReductionCase> reduction() {
        return reductions(anyTensor());
    }

    /** Sums, means, extrema and variances over a dim set, by grouping each element under its kept index. */
    private static Naive reduce(Naive x, int[] dims, boolean keepDim, ReductionKind kind) {
        int rank = x.rank();
        boolean[] reduced = new boolean[rank];
        if (dims.length == 0) {
            Arrays.fill(reduced, true);
        }
        for (int d : dims) {
            if (rank > 0) reduced[normalize(d, rank)] = true;
        }
        int[] kept = x.shape().clone();
        for (int d = 0; d < rank; d++) if (reduced[d]) kept[d] = 1;
        int groups = numel(kept);
        int count = x.values().length / Math.max(groups, 1);
        double[] sum = new double[groups];
        double[] max = new double[groups];
        double[] min = new double[groups];
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        int[] groupOf = new int[x.values().length];
        for (int i = 0; i < x.values().length; i++) {
            int[] index = unflatten(i, x.shape());
            for (int d = 0; d < rank; d++) if (reduced[d]) index[d] = 0;
            int g = flatten(index, kept);
            groupOf[i] = g;
            double v = x.values()[i];
            sum[g] += v;
            max[g] = Math.max(max[g], v);
            min[g] = Math.min(min[g], v);
        }
        double[] squares = new double[groups];
        for (int i = 0; i < x.values().length; i++) {
            double centered = x.values()[i] - sum[groupOf[i]] / count;
            squares[groupOf[i]] += centered * centered;
        }
        double[] out = new double[groups];
        for (int g = 0; g < groups; g++) {
            out[g] = switch (kind) {
                case SUM -> sum[g];
                case MEAN -> sum[g] / count;
                case AMAX -> max[g];
                case AMIN -> min[g];
                case VAR_POPULATION -> squares[g] / count;
                case VAR_UNBIASED -> squares[g] / (count - 1);
                case STD_UNBIASED -> Math.sqrt(squares[g] / (count - 1));
            };
        }
        if (keepDim) {
            return new Naive(kept, out);
        }
        int[] removed = IntStream.range(0, rank).filter(d -> !reduced[d]).map(d -> x.shape()[d])
                .toArray();
        return new Naive(removed, out);
    }

    private static Tensor apply(ReductionKind kind, Tensor x, int[] dims, boolean keepDim) {
        return switch (kind) {
            case SUM -> x.sum(dims, keepDim);
            case MEAN -> x.mean(dims, keepDim);
            case AMAX -> x.amax(dims, keepDim);
            case AMIN -> x.amin(dims, keepDim);
            case VAR_POPULATION -> x.var(dims, 0, keepDim);
            case VAR_UNBIASED -> x.var(dims, 1, keepDim);
            case STD_UNBIASED -> x.std(dims, 1, keepDim);
        };
    }

    @Property(tries = TRIES)
    void reductionsOverDimSetsMatchNaiveLoops(@ForAll("reduction") ReductionCase c, @ForAll ReductionKind kind,
                                              @ForAll("dtypes") DType dtype) {
        Naive expected = reduce(rounded(c.x(), dtype), c.dims(), c.keepDim(), kind);
        double rtol = dtype == DType.FLOAT32 ? 1e-5 : 1e-12;
        assertMatches(expected, apply(kind, c.x().tensor(dtype), c.dims(), c.keepDim()), rtol, rtol,
                kind + " " + dtype);
    }

    /** Few distinct values, so ties are common: argmax/argmin must pick the first. */
    @Provide
    Arbitrary<DimCase> tiedDim() {
        return dimCases(tensors(shapes(1, 4), Arbitraries.of(-1.0, 0.0, 1.0, 2.0)));
    }

    @Property(tries = TRIES)
    void argmaxAndArgminPickTheFirstExtremum(@ForAll("tiedDim") DimCase c) {
        Naive x = Naive.of(c.x());
        int d = normalize(c.dim(), x.rank());
        int[] kept = x.shape().clone();
        kept[d] = 1;
        for (boolean max : new boolean[] {true, false}) {
            Naive expected = Naive.tabulate(kept, index -> {
                int[] probe = index.clone();
                int best = 0;
                for (int j = 1; j < x.shape()[d]; j++) {
                    probe[d] = j;
                    double v = x.at(probe);
                    probe[d] = best;
                    double bestValue = x.at(probe);
                    if (max ? v > bestValue : v < bestValue) best = j;
                }
                return best;
            });
            if (!c.keepDim()) {
                int[] removed = new int[x.rank() - 1];
                for (int i = 0, j = 0; i < x.rank(); i++) if (i != d) removed[j++] = x.shape()[i];
                expected = new Naive(removed, expected.values());
            }
            Tensor t = c.x().tensor();
            assertExact(expected, max ? t.argmax(c.dim(), c.keepDim()) : t.argmin(c.dim(), c.keepDim()),
                    max ? "argmax" : "argmin");
        }
    }

    // ============================================================================================ matmul

    /** All operand forms: vector, matrix, batched with broadcasting batch dims (including size-1 batches). */
    @Provide
    Arbitrary<MatMulCase> matmulCase() {
        return TensorArbitraries.matmulCases(3, 3, 12, 6, 7, (batch, m, k, n, form) -> switch (form) {
            case 0 -> new int[][] {{k}, {k}};
            case 1 -> new int[][] {{m, k}, {k}};
            case 2 -> new int[][] {{k}, {k, n}};
            case 3 -> new int[][] {{k}, append(batch[1], k, n)};
            case 4 -> new int[][] {append(batch[0], m, k), {k}};
            default -> new int[][] {append(batch[0], m, k), append(batch[1], k, n)};
        });
    }

    /** torch.matmul's rules as loops: vectors become a row or a column, batch dims broadcast, then squeezed. */
    private static Naive matmul(Naive a, Naive b) {
        boolean aVector = a.rank() == 1;
        boolean bVector = b.rank() == 1;
        int[] as = aVector ? new int[] {1, a.shape()[0]} : a.shape();
        int[] bs = bVector ? new int[] {b.shape()[0], 1} : b.shape();
        int m = as[as.length - 2];
        int k = as[as.length - 1];
        int n = bs[bs.length - 1];
        int[] batchA = Arrays.copyOf(as, as.length - 2);
        int[] batchB = Arrays.copyOf(bs, bs.length - 2);
        int[] batch = broadcastShape(batchA, batchB);
        Naive a2 = new Naive(as, a.values());
        Naive b2 = new Naive(bs, b.values());
        Naive full = Naive.tabulate(append(batch, m, n), index -> {
            int[] batchIndex = Arrays.copyOf(index, batch.length);
            int[] ai = append(broadcastSource(batchIndex, batchA), index[batch.length], 0);
            int[] bi = append(broadcastSource(batchIndex, batchB), 0, index[batch.length + 1]);
            double s = 0;
            for (int p = 0; p < k; p++) {
                ai[ai.length - 1] = p;
                bi[bi.length - 2] = p;
                s += a2.at(ai) * b2.at(bi);
            }
            return s;
        });
        List<Integer> shape = new ArrayList<>();
        for (int s : batch) shape.add(s);
        if (!aVector) shape.add(m);
        if (!bVector) shape.add(n);
        return new Naive(shape.stream().mapToInt(Integer::intValue).toArray(), full.values());
    }

    @Property(tries = TRIES)
    void matmulMatchesTripleLoop(@ForAll("matmulCase") MatMulCase c, @ForAll("dtypes") DType dtype) {
        Naive expected = matmul(rounded(c.a(), dtype), rounded(c.b(), dtype));
        double rtol = dtype == DType.FLOAT32 ? 1e-5 : 1e-12;
        double atol = dtype == DType.FLOAT32 ? 1e-4 : 1e-12;
        assertMatches(expected, c.a().tensor(dtype).matmul(c.b().tensor(dtype)), rtol, atol, "matmul " + dtype);
    }

    // ============================================================================================ views

    @Provide
    Arbitrary<PermuteCase> permuteCase() {
        return TensorArbitraries.permuteCases(anyTensor());
    }

    private static Naive permute(Naive x, int[] order) {
        int[] shape = new int[order.length];
        for (int i = 0; i < order.length; i++) shape[i] = x.shape()[order[i]];
        return Naive.tabulate(shape, index -> {
            int[] src = new int[order.length];
            for (int i = 0; i < order.length; i++) src[order[i]] = index[i];
            return x.at(src);
        });
    }

    @Property(tries = TRIES)
    void permuteIsAViewWithPermutedIndices(@ForAll("permuteCase") PermuteCase c) {
        Tensor x = c.x().tensor();
        Tensor y = x.permute(c.order());
        assertExact(permute(Naive.of(c.x()), c.order()), y, "permute");
        assertTrue(y.sharesStorageWith(x), "permute copies nothing");
    }

    record SliceCase(TensorData x, int dim, int start, int end, int step) {
    }

    /** Any bounds, also negative, past the ends or crossed (an empty result). */
    @Provide
    Arbitrary<SliceCase> sliceCase() {
        return tensors(shapes(1, 4), anyValues()).flatMap(x -> dims(x.rank()).flatMap(dim -> {
            int size = x.shape()[normalize(dim, x.rank())];
            Arbitrary<Integer> bound = Arbitraries.integers().between(-size - 3, size + 3);
            return Combinators.combine(bound, bound, Arbitraries.integers().between(1, 4))
                    .as((start, end, step) -> new SliceCase(x, dim, start, end, step));
        }));
    }

    /** Python's slice semantics, written out. */
    private static int[] sliceIndices(int size, int start, int end, int step) {
        int s = Math.max(0, Math.min(size, start < 0 ? start + size : start));
        int e = Math.max(0, Math.min(size, end < 0 ? end + size : end));
        List<Integer> picked = new ArrayList<>();
        for (int i = s; i < e; i += step) picked.add(i);
        return picked.stream().mapToInt(Integer::intValue).toArray();
    }

    private static Naive slice(Naive x, int dim, int[] picked) {
        int[] shape = x.shape().clone();
        shape[dim] = picked.length;
        return Naive.tabulate(shape, index -> {
            int[] src = index.clone();
            src[dim] = picked[index[dim]];
            return x.at(src);
        });
    }

    @Property(tries = TRIES)
    void sliceWithStepPicksPythonsIndices(@ForAll("sliceCase") SliceCase c) {
        Naive x = Naive.of(c.x());
        int d = normalize(c.dim(), x.rank());
        int[] picked = sliceIndices(x.shape()[d], c.start(), c.end(), c.step());
        Tensor source = c.x().tensor();
        Tensor y = source.slice(c.dim(), c.start(), c.end(), c.step());
        assertExact(slice(x, d, picked), y, "slice");
        assertTrue(y.sharesStorageWith(source), "slice copies nothing");
        if (picked.length > 0 && c.step() == 1) {
            assertExact(slice(x, d, picked), source.narrow(c.dim(), picked[0], picked.length), "narrow");
        }
        for (int i = 0; i < picked.length; i++) {
            Naive row = slice(x, d, new int[] {picked[i]});
            int[] without = new int[x.rank() - 1];
            for (int a = 0, b = 0; a < x.rank(); a++) if (a != d) without[b++] = x.shape()[a];
            assertExact(new Naive(without, row.values()), source.select(c.dim(), picked[i]), "select");
        }
    }

    /** Up to rank 4, sizes up to 5 and 32 elements; size-1 dims grow to 1..4. */
    @Provide
    Arbitrary<TargetCase> expandCase() {
        return TensorArbitraries.expandCases(4, 5, 32, 4);
    }

    @Property(tries = TRIES)
    void expandRepeatsSizeOneDimsWithoutCopying(@ForAll("expandCase") TargetCase c) {
        Naive x = Naive.of(c.x());
        int lead = c.target().length - x.rank();
        int[] shape = c.target().clone();
        for (int d = 0; d < x.rank(); d++) if (shape[lead + d] == -1) shape[lead + d] = x.shape()[d];
        Naive expected = Naive.tabulate(shape, index -> x.at(broadcastSource(index, x.shape())));
        Tensor source = c.x().tensor();
        Tensor y = source.expand(c.target());
        assertExact(expected, y, "expand");
        assertTrue(y.sharesStorageWith(source), "expand copies nothing");
        assertExact(expected, y.mul(1.0), "an op reading the expanded view");
    }

    @Provide
    Arbitrary<TargetCase> reshapeCase() {
        return TensorArbitraries.reshapeCases(anyTensor());
    }

    private static int[] inferred(int[] target, int numel) {
        int[] shape = target.clone();
        int known = 1;
        for (int s : shape) if (s != -1) known *= s;
        for (int i = 0; i < shape.length; i++) if (shape[i] == -1) shape[i] = numel / known;
        return shape;
    }

    /**
     * reshape keeps row-major order whatever the layout; view gives the same values and shares the storage, or
     * refuses with a ShapeMismatchException (never on a contiguous tensor).
     */
    @Property(tries = TRIES)
    void reshapeAndViewKeepRowMajorOrder(@ForAll("reshapeCase") TargetCase c) {
        Naive expected = new Naive(inferred(c.target(), c.x().numel()), c.x().values());
        Tensor x = c.x().tensor();
        assertExact(expected, x.reshape(c.target()), "reshape");
        try {
            Tensor v = x.view(c.target());
            assertExact(expected, v, "view");
            assertTrue(v.sharesStorageWith(x), "view copies nothing");
        } catch (ShapeMismatchException e) {
            assertFalse(x.isContiguous(), "view refused a contiguous tensor: " + e.getMessage());
        }
        assertExact(new Naive(new int[] {c.x().numel()}, c.x().values()), x.flatten(), "flatten");
        Tensor copy = x.contiguous();
        assertTrue(copy.isContiguous());
        assertExact(Naive.of(c.x()), copy, "contiguous");
    }

    /**
     * A random chain of views (permute, transpose, strided slice, narrow, select, unsqueeze, squeeze, expand,
     * reshape, flatten) applied to a tensor and to the reference model in step; then an op and a reduction read
     * the resulting strided view.
     */
    @Property(tries = TRIES)
    void chainsOfViewsMatchTheReferenceModel(@ForAll("anyTensor") TensorData data,
                                             @ForAll("viewSteps") List<Integer> steps) {
        Tensor t = data.tensor();
        Naive n = Naive.of(data);
        StringBuilder trace = new StringBuilder(data.toString());
        for (int s = 0; s + 3 < steps.size(); s += 4) {
            int kind = steps.get(s);
            int p = steps.get(s + 1);
            int q = steps.get(s + 2);
            int r = steps.get(s + 3);
            int rank = n.rank();
            int[] shape = n.shape();
            if (rank == 0 && kind >= 1 && kind <= 5) {
                kind = 6;
            }
            switch (kind) {
                case 0 -> {
                    int[] order = permutation(rank, p);
                    trace.append(".permute(").append(Arrays.toString(order)).append(')');
                    t = t.permute(order);
                    n = permute(n, order);
                }
                case 1 -> {
                    int a = p % (2 * rank) - rank;
                    int b = q % (2 * rank) - rank;
                    int[] order = IntStream.range(0, rank).toArray();
                    order[normalize(a, rank)] = normalize(b, rank);
                    order[normalize(b, rank)] = normalize(a, rank);
                    trace.append(".transpose(").append(a).append(", ").append(b).append(')');
                    t = t.transpose(a, b);
                    n = permute(n, order);
                }
                case 2, 3 -> {
                    int d = p % rank;
                    int size = shape[d];
                    int start = q % size;
                    int end = start + 1 + r % (size - start + 1);
                    int step = kind == 3 ? 1 : 1 + (p / rank) % 3;
                    int[] picked = sliceIndices(size, start, end, step);
                    if (kind == 2) {
                        trace.append(".slice(").append(d).append(", ").append(start).append(", ").append(end)
                                .append(", ").append(step).append(')');
                        t = t.slice(d, start, end, step);
                    } else {
                        trace.append(".narrow(").append(d).append(", ").append(start).append(", ")
                                .append(picked.length).append(')');
                        t = t.narrow(d, start, picked.length);
                    }
                    n = slice(n, d, picked);
                }
                case 4 -> {
                    int d = p % rank;
                    int index = q % shape[d];
                    trace.append(".select(").append(d).append(", ").append(index).append(')');
                    t = t.select(d, index);
                    Naive picked = slice(n, d, new int[] {index});
                    int[] without = new int[rank - 1];
                    for (int a = 0, b = 0; a < rank; a++) if (a != d) without[b++] = shape[a];
                    n = new Naive(without, picked.values());
                }
                case 5 -> {
                    int start = p % rank;
                    int end = start + q % (rank - start);
                    trace.append(".flatten(").append(start).append(", ").append(end).append(')');
                    t = t.flatten(start, end);
                    int merged = 1;
                    for (int d = start; d <= end; d++) merged *= shape[d];
                    int[] out = new int[rank - (end - start)];
                    for (int d = 0, k = 0; d < rank; d++) {
                        if (d < start || d > end) out[k++] = shape[d];
                        else if (d == start) out[k++] = merged;
                    }
                    n = new Naive(out, n.values());
                }
                case 6 -> {
                    int d = p % (rank + 1);
                    trace.append(".unsqueeze(").append(d).append(')');
                    t = t.unsqueeze(d);
                    int[] out = new int[rank + 1];
                    for (int a = 0, b = 0; a <= rank; a++) out[a] = a == d ? 1 : shape[b++];
                    n = new Naive(out, n.values());
                }
                case 7 -> {
                    trace.append(".squeeze()");
                    t = t.squeeze();
                    n = new Naive(Arrays.stream(shape).filter(v -> v != 1).toArray(), n.values());
                }
                case 8 -> {
                    int[] target = new int[rank];
                    for (int d = 0; d < rank; d++) target[d] = shape[d] == 1 ? 1 + (p >> d) % 3 : -1;
                    if (numel(shape) * 3 > 4 * TensorArbitraries.MAX_NUMEL) {
                        continue;
                    }
                    trace.append(".expand(").append(Arrays.toString(target)).append(')');
                    t = t.expand(target);
                    int[] full = shape.clone();
                    for (int d = 0; d < rank; d++) if (target[d] != -1) full[d] = target[d];
                    Naive source = n;
                    n = Naive.tabulate(full, index -> source.at(broadcastSource(index, source.shape())));
                }
                default -> {
                    int[] target = factorization(numel(shape), p, q);
                    trace.append(".reshape(").append(Arrays.toString(target)).append(')');
                    t = t.reshape(target);
                    n = new Naive(target, n.values());
                }
            }
            assertExact(n, t, trace.toString());
        }
        Naive current = n;
        assertExact(Naive.tabulate(current.shape(), i -> current.at(i) * 2 + 1), t.mul(2).add(1),
                trace + ".mul(2).add(1)");
        assertMatches(reduce(current, new int[0], false, ReductionKind.SUM), t.sum(), 1e-12, 1e-12, trace + ".sum()");
        if (current.rank() > 0) {
            assertMatches(reduce(current, new int[] {0}, true, ReductionKind.AMAX), t.amax(new int[] {0}, true),
                    0, 0, trace + ".amax(0)");
        }
    }

    @Provide
    Arbitrary<List<Integer>> viewSteps() {
        return Arbitraries.integers().between(0, 9).flatMap(kind -> Arbitraries.integers().between(0, 1000)
                        .list().ofSize(3).map(params -> {
                            List<Integer> step = new ArrayList<>(params);
                            step.add(0, kind);
                            return step;
                        }))
                .list().ofMinSize(1).ofMaxSize(6)
                .map(list -> list.stream().flatMap(List::stream).toList());
    }

    /** The permutation with index {@code code mod rank!} (Lehmer code). */
    private static int[] permutation(int rank, int code) {
        List<Integer> left = new ArrayList<>();
        for (int d = 0; d < rank; d++) left.add(d);
        int[] order = new int[rank];
        for (int i = 0; i < rank; i++) {
            int pick = code % left.size();
            code /= left.size();
            order[i] = left.remove(pick);
        }
        return order;
    }

    private static int[] factorization(int numel, int p, int q) {
        List<Integer> dims = new ArrayList<>();
        int remaining = numel;
        int rank = 1 + p % 4;
        for (int d = 0; d < rank - 1; d++) {
            List<Integer> divisors = new ArrayList<>();
            for (int v = 1; v <= remaining; v++) if (remaining % v == 0) divisors.add(v);
            int size = divisors.get((q >> (2 * d)) % divisors.size());
            dims.add(size);
            remaining /= size;
        }
        dims.add(remaining);
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    // ============================================================================================ joining, indexing

    /** 1..4 parts of up to rank 4 (sizes up to 5, 32 elements), 0..4 long along dim. */
    @Provide
    Arbitrary<JoinCase> concatCase() {
        return TensorArbitraries.concatCases(shapes(1, 4, 5, 32), 0, 4, 4);
    }

    @Property(tries = TRIES)
    void concatAndSplitAreInverse(@ForAll("concatCase") JoinCase c) {
        List<Naive> parts = c.parts().stream().map(Naive::of).toList();
        int rank = parts.get(0).rank();
        int d = normalize(c.dim(), rank);
        int[] starts = new int[parts.size() + 1];
        for (int i = 0; i < parts.size(); i++) starts[i + 1] = starts[i] + parts.get(i).shape()[d];
        int[] shape = parts.get(0).shape().clone();
        shape[d] = starts[parts.size()];
        Naive expected = Naive.tabulate(shape, index -> {
            int part = 0;
            while (index[d] >= starts[part + 1]) part++;
            int[] src = index.clone();
            src[d] -= starts[part];
            return parts.get(part).at(src);
        });
        Tensor[] tensors = c.parts().stream().map(TensorData::tensor).toArray(Tensor[]::new);
        Tensor joined = Tensor.concat(c.dim(), tensors);
        assertExact(expected, joined, "concat");
        int[] sizes = parts.stream().mapToInt(part -> part.shape()[d]).toArray();
        List<Tensor> pieces = joined.split(sizes, c.dim());
        assertEquals(parts.size(), pieces.size());
        for (int i = 0; i < pieces.size(); i++) {
            assertExact(parts.get(i), pieces.get(i), "split piece " + i);
        }
    }

    @Property(tries = TRIES)
    void splitBySizeCoversTheDimInOrder(@ForAll("atLeastVector") TensorData data,
                                        @ForAll("splitSizes") int splitSize) {
        Naive x = Naive.of(data);
        int size = x.shape()[0];
        List<Tensor> pieces = data.tensor().split(splitSize, 0);
        assertEquals((size + splitSize - 1) / splitSize, pieces.size());
        for (int i = 0; i < pieces.size(); i++) {
            int[] picked = sliceIndices(size, i * splitSize, (i + 1) * splitSize, 1);
            assertExact(slice(x, 0, picked), pieces.get(i), "piece " + i);
        }
    }

    @Provide
    Arbitrary<TensorData> atLeastVector() {
        return tensors(shapes(1, 4), anyValues());
    }

    @Provide
    Arbitrary<Integer> splitSizes() {
        return Arbitraries.integers().between(1, 8);
    }

    @Provide
    Arbitrary<JoinCase> stackCase() {
        return TensorArbitraries.stackCases(shapes(0, 3, 5, 32), 4);
    }

    @Property(tries = TRIES)
    void stackAddsADim(@ForAll("stackCase") JoinCase c) {
        List<Naive> parts = c.parts().stream().map(Naive::of).toList();
        int rank = parts.get(0).rank();
        int d = normalize(c.dim(), rank + 1);
        int[] shape = new int[rank + 1];
        for (int a = 0, b = 0; a <= rank; a++) shape[a] = a == d ? parts.size() : parts.get(0).shape()[b++];
        Naive expected = Naive.tabulate(shape, index -> {
            int[] src = new int[rank];
            for (int a = 0, b = 0; a <= rank; a++) if (a != d) src[b++] = index[a];
            return parts.get(index[d]).at(src);
        });
        assertExact(expected, Tensor.stack(c.dim(), c.parts().stream().map(TensorData::tensor)
                .toArray(Tensor[]::new)), "stack");
    }

    record IndexCase(TensorData x, int dim, int[] indexShape, int[] index) {
        @Override
        public String toString() {
            return x + " dim " + dim + " index " + Arrays.toString(indexShape) + " " + Arrays.toString(index);
        }
    }

    @Provide
    Arbitrary<IndexCase> gatherCase() {
        return tensors(shapes(1, 4, 5, 64), anyValues()).flatMap(x -> dims(x.rank()).flatMap(dim -> {
            int d = normalize(dim, x.rank());
            int[] shape = x.shape();
            List<Arbitrary<Integer>> sizes = new ArrayList<>();
            for (int i = 0; i < x.rank(); i++) {
                sizes.add(Arbitraries.integers().between(1, i == d ? 6 : shape[i]));
            }
            return Combinators.combine(sizes).as(list -> list.stream().mapToInt(Integer::intValue).toArray())
                    .flatMap(indexShape -> Arbitraries.integers().between(0, shape[d] - 1)
                            .list().ofSize(numel(indexShape))
                            .map(values -> new IndexCase(x, dim, indexShape,
                                    values.stream().mapToInt(Integer::intValue).toArray())));
        }));
    }

    @Property(tries = TRIES)
    void gatherReadsAlongDim(@ForAll("gatherCase") IndexCase c) {
        Naive x = Naive.of(c.x());
        int d = normalize(c.dim(), x.rank());
        Naive expected = Naive.tabulate(c.indexShape(), index -> {
            int[] src = index.clone();
            src[d] = c.index()[flatten(index, c.indexShape())];
            return x.at(src);
        });
        long[] index = Arrays.stream(c.index()).asLongStream().toArray();
        assertExact(expected, c.x().tensor().gather(c.dim(), Tensor.of(index, c.indexShape())), "gather");
    }

    @Provide
    Arbitrary<IndexCase> indexSelectCase() {
        return tensors(shapes(1, 4), anyValues()).flatMap(x -> dims(x.rank()).flatMap(dim -> {
            int size = x.shape()[normalize(dim, x.rank())];
            return Arbitraries.integers().between(0, size - 1).list().ofMinSize(0).ofMaxSize(6)
                    .map(list -> {
                        int[] indices = list.stream().mapToInt(Integer::intValue).toArray();
                        return new IndexCase(x, dim, new int[] {indices.length}, indices);
                    });
        }));
    }

    @Property(tries = TRIES)
    void indexSelectPicksSlicesInOrder(@ForAll("indexSelectCase") IndexCase c) {
        Naive x = Naive.of(c.x());
        int d = normalize(c.dim(), x.rank());
        assertExact(slice(x, d, c.index()), c.x().tensor().indexSelect(c.dim(), c.index()), "indexSelect");
    }

    // ============================================================================================ extremes

    record SoftmaxCase(TensorData x, int dim, double shift) {
    }

    /** Rows of ordinary spread moved far out (+-1000), or spread wide (up to +-800 between elements). */
    @Provide
    Arbitrary<SoftmaxCase> softmaxCase() {
        Arbitrary<TensorData> spread = Arbitraries.oneOf(anyTensor(),
                tensors(shapes(0, 4), Arbitraries.doubles().between(-400, 400).ofScale(2)));
        return spread.flatMap(x -> Combinators.combine(dims(x.rank()), Arbitraries.of(0.0, 1000.0, -1000.0))
                .as((dim, shift) -> new SoftmaxCase(x, dim, shift)));
    }

    /** exp(x - max) / sum and max + log(sum(exp(x - max))) along one dim, in double. */
    private static Naive[] softmaxAndLogSumExp(Naive x, int dim) {
        int rank = x.rank();
        int d = rank == 0 ? -1 : normalize(dim, rank);
        int[] kept = x.shape().clone();
        if (d >= 0) kept[d] = 1;
        int length = d >= 0 ? x.shape()[d] : 1;
        Naive lse = Naive.tabulate(kept, index -> {
            int[] probe = index.clone();
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < length; j++) {
                if (d >= 0) probe[d] = j;
                max = Math.max(max, x.at(probe));
            }
            double sum = 0;
            for (int j = 0; j < length; j++) {
                if (d >= 0) probe[d] = j;
                sum += Math.exp(x.at(probe) - max);
            }
            return max + Math.log(sum);
        });
        Naive softmax = Naive.tabulate(x.shape(), index -> {
            int[] row = index.clone();
            if (d >= 0) row[d] = 0;
            return Math.exp(x.at(index) - lse.at(row));
        });
        return new Naive[] {softmax, lse};
    }

    private static TensorData shifted(TensorData x, double shift) {
        return new TensorData(x.shape(), Arrays.stream(x.values()).map(v -> v + shift).toArray(), x.layout());
    }

    @Property(tries = TRIES)
    void softmaxRowsSumToOneAndLogSumExpStaysFinite(@ForAll("softmaxCase") SoftmaxCase c) {
        TensorData data = shifted(c.x(), c.shift());
        Naive x = Naive.of(data);
        Naive[] reference = softmaxAndLogSumExp(x, c.dim());
        Tensor t = data.tensor();

        Tensor softmax = t.softmax(c.dim());
        assertMatches(reference[0], softmax, 1e-12, 1e-15, "softmax");
        Tensor rowSums = softmax.sum(new int[] {c.dim()}, false);
        for (double s : rowSums.toDoubleArray()) {
            assertEquals(1.0, s, 1e-12, "softmax row sum");
        }
        for (double p : softmax.toDoubleArray()) {
            assertTrue(p >= 0 && p <= 1, "softmax value " + p + " outside [0, 1]");
        }

        Tensor lse = t.logSumExp(c.dim(), true);
        assertMatches(reference[1], lse, 1e-14, 1e-12, "logSumExp");
        Naive logSoftmax = Naive.tabulate(x.shape(), index -> {
            int[] row = index.clone();
            if (x.rank() > 0) row[normalize(c.dim(), x.rank())] = 0;
            return x.at(index) - reference[1].at(row);
        });
        assertMatches(logSoftmax, t.logSoftmax(c.dim()), 1e-12, 1e-9, "logSoftmax");

        Tensor unshifted = c.x().tensor().logSumExp(c.dim(), true);
        assertMatches(new Naive(unshifted.shape(), Arrays.stream(unshifted.toDoubleArray()).map(v -> v + c.shift())
                .toArray()), lse, 1e-12, 1e-9, "logSumExp(x + c) = logSumExp(x) + c");
    }

    /** Magnitudes from 300 up to 1e6 (and infinity when {@code withInfinity}), either sign. */
    private static Arbitrary<TensorData> extremeTensors(int minRank, boolean withInfinity) {
        Arbitrary<Double> special = withInfinity ? Arbitraries.of(300.0, 1000.0, Double.POSITIVE_INFINITY)
                : Arbitraries.of(300.0, 1000.0);
        Arbitrary<Double> magnitude = Arbitraries.oneOf(Arbitraries.doubles().between(300, 1e6).ofScale(2), special);
        Arbitrary<Double> values = Combinators.combine(magnitude, Arbitraries.of(1.0, -1.0)).as((m, s) -> m * s);
        return tensors(shapes(minRank, 3, 4, 16), values);
    }

    @Provide
    Arbitrary<TensorData> extremeTensor() {
        return extremeTensors(0, true);
    }

    @Provide
    Arbitrary<TensorData> finiteExtremeRows() {
        return extremeTensors(1, false);
    }

    /**
     * sigmoid and tanh saturate to exactly 0, 1 or +-1 in float32 from |x| = 300 (and sigmoid in float64 at the
     * positive end, where 1 + e^-300 rounds to 1); float64 sigmoid(-300) is the representable e^-300. Values and
     * gradients are never NaN.
     */
    @Property(tries = TRIES)
    void sigmoidAndTanhSaturateWithoutNaN(@ForAll("extremeTensor") TensorData data, @ForAll("dtypes") DType dtype) {
        double[] x = data.values();
        Tensor input = data.tensor(dtype).requiresGrad(true);
        Tensor sigmoid = input.sigmoid();
        Tensor tanh = input.tanh();
        double[] s = sigmoid.toDoubleArray();
        double[] th = tanh.toDoubleArray();
        for (int i = 0; i < x.length; i++) {
            double expectedSigmoid = x[i] > 0 ? 1 : dtype == DType.FLOAT32 ? 0 : Math.exp(x[i]);
            assertEquals(expectedSigmoid, s[i], Math.abs(expectedSigmoid) * 1e-12, "sigmoid(" + x[i] + ")");
            assertEquals(Math.signum(x[i]), th[i], 0, "tanh(" + x[i] + ")");
        }
        sigmoid.add(tanh).sum().backward();
        for (double g : input.grad().toDoubleArray()) {
            assertFalse(Double.isNaN(g), "gradient at the extremes is NaN");
            assertTrue(g >= 0 && g < 1e-100, "gradient at the extremes should vanish, was " + g);
        }
    }

    @Property(tries = TRIES)
    void logSoftmaxOfExtremeRowsIsFinite(@ForAll("finiteExtremeRows") TensorData data,
                                         @ForAll("dtypes") DType dtype) {
        Tensor t = data.tensor(dtype);
        for (double v : t.logSoftmax(-1).toDoubleArray()) {
            assertTrue(Double.isFinite(v) || v == Double.NEGATIVE_INFINITY, "logSoftmax gave " + v);
            assertTrue(v <= 0, "logSoftmax gave a positive log-probability " + v);
        }
        for (double v : t.softmax(-1).toDoubleArray()) {
            assertFalse(Double.isNaN(v), "softmax gave NaN");
        }
        for (double v : t.logSumExp(-1, false).toDoubleArray()) {
            assertTrue(Double.isFinite(v), "logSumExp gave " + v);
        }
    }
}
