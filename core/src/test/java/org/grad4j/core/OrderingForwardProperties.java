package org.grad4j.core;

import static org.grad4j.core.TensorArbitraries.numel;
import static org.grad4j.core.TensorArbitraries.shapes;
import static org.grad4j.core.TensorArbitraries.tensors;
import static org.grad4j.core.TensorArbitraries.unflatten;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.grad4j.core.TensorArbitraries.TensorData;

/**
 * The reductions, scans and ordering ops of {@code Scans}, {@code Norms} and {@code Sorting} against naive loops
 * over generated shapes, dims, memory layouts and values full of ties and NaN, in float64 and the integer dtypes.
 * Where PyTorch's order among ties comes from an unstable algorithm, the properties check what any correct answer
 * satisfies (sorted values, indices pointing at them) and {@link OrderingTorchReferenceTest} pins the exact indices.
 */
class OrderingForwardProperties {
    private static final int TRIES = 60;
    private static final DType[] INTEGERS = {DType.INT64, DType.INT32, DType.UINT8};

    /** A tensor, one of its dims and keepDim. */
    record Case(TensorData x, int dim, boolean keepDim) {
        int d() {
            return x.rank() == 0 ? 0 : (dim < 0 ? dim + x.rank() : dim);
        }

        /** The values along dim, one row per output position (row-major over the other dims). */
        List<double[]> rows() {
            int[] shape = x.shape();
            List<double[]> out = new ArrayList<>();
            if (shape.length == 0) {
                out.add(new double[] {x.values()[0]});
                return out;
            }
            int d = d();
            int[] outer = shape.clone();
            outer[d] = 1;
            for (int o = 0; o < numel(outer); o++) {
                int[] index = unflatten(o, outer);
                double[] row = new double[shape[d]];
                for (int j = 0; j < row.length; j++) {
                    index[d] = j;
                    row[j] = x.at(index);
                }
                out.add(row);
            }
            return out;
        }

        /** The multi-index of element j of row o in a result shaped as x with {@code size} along dim. */
        int[] at(int o, int j, int size) {
            int[] shape = x.shape();
            if (shape.length == 0) {
                return new int[0];
            }
            int[] outer = shape.clone();
            outer[d()] = 1;
            int[] index = unflatten(o, outer);
            index[d()] = j;
            return index;
        }

        @Override
        public String toString() {
            return x + " dim " + dim + " keepDim " + keepDim;
        }
    }

    /** Small integers (many ties), sometimes NaN, sometimes infinite. */
    private static Arbitrary<Double> tieValues() {
        return Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.integers().between(-2, 3).map(Integer::doubleValue)),
                Tuple.of(2, Arbitraries.just(Double.NaN)),
                Tuple.of(1, Arbitraries.of(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0)));
    }

    private static Arbitrary<Double> integerValues() {
        return Arbitraries.integers().between(0, 6).map(Integer::doubleValue);
    }

    private static Arbitrary<Case> cases(Arbitrary<Double> values) {
        return tensors(shapes(0, 3, 20, 60), values).flatMap(x -> Combinators.combine(
                TensorArbitraries.dims(x.rank()), Arbitraries.of(false, true)).as((dim, keep) -> new Case(x, dim, keep)));
    }

    @Provide
    Arbitrary<Case> withTies() {
        return cases(tieValues());
    }

    @Provide
    Arbitrary<Case> integers() {
        return cases(integerValues());
    }

    @Provide
    Arbitrary<DType> integerDtype() {
        return Arbitraries.of(INTEGERS);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** PyTorch's order: a before b when a < b, NaN after every number. */
    private static int ascending(double a, double b) {
        boolean na = Double.isNaN(a);
        boolean nb = Double.isNaN(b);
        if (na || nb) {
            return na == nb ? 0 : (na ? 1 : -1);
        }
        return a < b ? -1 : (a > b ? 1 : 0);
    }

    private static boolean same(double a, double b) {
        return Double.isNaN(a) ? Double.isNaN(b) : a == b;
    }

    private static void assertSame(double expected, double actual, String what) {
        assertTrue(same(expected, actual), what + ": expected " + expected + ", got " + actual);
    }

    /** Positions of the row in stable order. */
    private static Integer[] stableOrder(double[] row, boolean descending) {
        Integer[] order = IntStream.range(0, row.length).boxed().toArray(Integer[]::new);
        Comparator<Integer> by = (i, j) -> ascending(row[i], row[j]);
        Arrays.sort(order, descending ? (i, j) -> by.compare(j, i) : by);   // Arrays.sort on objects is stable
        return order;
    }

    private static int[] outShape(Case c, int size) {
        int[] shape = c.x().shape();
        if (shape.length == 0) {
            return shape;
        }
        int[] out = shape.clone();
        out[c.d()] = size;
        return out;
    }

    private static int[] reducedShape(Case c) {
        int[] shape = c.x().shape();
        if (shape.length == 0) {
            return shape;
        }
        if (c.keepDim()) {
            return outShape(c, 1);
        }
        int[] out = new int[shape.length - 1];
        for (int i = 0, k = 0; i < shape.length; i++) {
            if (i != c.d()) out[k++] = shape[i];
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ max / min

    @Property(tries = TRIES)
    void maxAndMinOverADimAreTheFirstExtremumOrTheFirstNaN(@ForAll("withTies") Case c) {
        Tensor x = c.x().tensor();
        for (boolean max : new boolean[] {true, false}) {
            ValuesAndIndices r = max ? x.max(c.dim(), c.keepDim()) : x.min(c.dim(), c.keepDim());
            assertArrayEquals(reducedShape(c), r.values().shape());
            assertArrayEquals(reducedShape(c), r.indices().shape());
            assertEquals(DType.INT64, r.indices().dtype());
            double[] values = r.values().toDoubleArray();
            long[] indices = r.indices().toLongArray();
            List<double[]> rows = c.rows();
            for (int o = 0; o < rows.size(); o++) {
                double[] row = rows.get(o);
                int best = 0;
                for (int j = 1; j < row.length && !Double.isNaN(row[best]); j++) {
                    if (Double.isNaN(row[j]) || (max ? row[j] > row[best] : row[j] < row[best])) best = j;
                }
                assertEquals(best, indices[o], "index of row " + o);
                assertSame(row[best], values[o], "value of row " + o);
            }
        }
    }

    @Property(tries = TRIES)
    void integerMaxMinKeepTheDtype(@ForAll("integers") Case c, @ForAll("integerDtype") DType dtype) {
        Tensor x = c.x().tensor(dtype);
        ValuesAndIndices r = x.max(c.dim(), c.keepDim());
        assertEquals(dtype, r.values().dtype());
        long[] values = r.values().toLongArray();
        long[] indices = r.indices().toLongArray();
        List<double[]> rows = c.rows();
        for (int o = 0; o < rows.size(); o++) {
            double[] row = rows.get(o);
            int best = 0;
            for (int j = 1; j < row.length; j++) if (row[j] > row[best]) best = j;
            assertEquals(best, indices[o]);
            assertEquals((long) row[best], values[o]);
        }
    }

    // ------------------------------------------------------------------------------------------------ sort

    @Property(tries = TRIES)
    void stableSortIsTheStableOrder(@ForAll("withTies") Case c, @ForAll boolean descending) {
        Tensor x = c.x().tensor();
        ValuesAndIndices r = x.sort(c.dim(), descending, true);
        List<double[]> rows = c.rows();
        for (int o = 0; o < rows.size(); o++) {
            double[] row = rows.get(o);
            Integer[] order = stableOrder(row, descending);
            for (int j = 0; j < row.length; j++) {
                int[] at = c.at(o, j, row.length);
                assertEquals((long) order[j], r.indices().getLong(at), "row " + o + " position " + j);
                assertSame(row[order[j]], r.values().get(at), "row " + o + " position " + j);
            }
        }
        assertArrayEquals(r.indices().toLongArray(), x.argsort(c.dim(), descending, true).toLongArray());
    }

    @Property(tries = TRIES)
    void unstableSortGivesSortedValuesAndAPermutationPointingAtThem(@ForAll("withTies") Case c,
                                                                    @ForAll boolean descending) {
        Tensor x = c.x().tensor();
        ValuesAndIndices r = x.sort(c.dim(), descending);
        List<double[]> rows = c.rows();
        for (int o = 0; o < rows.size(); o++) {
            double[] row = rows.get(o);
            Integer[] order = stableOrder(row, descending);
            boolean[] seen = new boolean[row.length];
            for (int j = 0; j < row.length; j++) {
                int[] at = c.at(o, j, row.length);
                int index = (int) r.indices().getLong(at);
                assertTrue(!seen[index], "index " + index + " twice in row " + o);
                seen[index] = true;
                assertSame(row[order[j]], r.values().get(at), "sorted value, row " + o + " position " + j);
                assertSame(row[index], r.values().get(at), "value at the index, row " + o + " position " + j);
            }
        }
    }

    @Property(tries = TRIES)
    void integerSortsAreExact(@ForAll("integers") Case c, @ForAll("integerDtype") DType dtype,
                              @ForAll boolean descending) {
        Tensor x = c.x().tensor(dtype);
        ValuesAndIndices r = x.sort(c.dim(), descending, true);
        assertEquals(dtype, r.values().dtype());
        List<double[]> rows = c.rows();
        for (int o = 0; o < rows.size(); o++) {
            double[] row = rows.get(o);
            Integer[] order = stableOrder(row, descending);
            for (int j = 0; j < row.length; j++) {
                int[] at = c.at(o, j, row.length);
                assertEquals((long) order[j], r.indices().getLong(at));
                assertEquals((long) row[order[j]], r.values().getLong(at));
            }
        }
    }

    @Provide
    Arbitrary<Case> bits() {
        return cases(Arbitraries.of(0.0, 1.0));
    }

    @Property(tries = TRIES)
    void boolTensorsSortTakeTheirMaxAndModeAsZeroOne(@ForAll("bits") Case c, @ForAll boolean descending) {
        Tensor b = c.x().tensor(DType.BOOL);
        Tensor asInt = c.x().tensor(DType.INT64);
        ValuesAndIndices sorted = b.sort(c.dim(), descending, true);
        assertEquals(DType.BOOL, sorted.values().dtype());
        assertArrayEquals(asInt.sort(c.dim(), descending, true).indices().toLongArray(),
                sorted.indices().toLongArray());
        assertArrayEquals(asInt.sort(c.dim(), descending, true).values().toLongArray(),
                sorted.values().to(DType.INT64).toLongArray());
        for (ValuesAndIndices[] pair : new ValuesAndIndices[][] {
            {b.max(c.dim(), c.keepDim()), asInt.max(c.dim(), c.keepDim())},
            {b.min(c.dim(), c.keepDim()), asInt.min(c.dim(), c.keepDim())},
            {b.mode(c.dim(), c.keepDim()), asInt.mode(c.dim(), c.keepDim())}}) {
            assertEquals(DType.BOOL, pair[0].values().dtype());
            assertArrayEquals(pair[1].indices().toLongArray(), pair[0].indices().toLongArray());
            assertArrayEquals(pair[1].values().toLongArray(), pair[0].values().to(DType.INT64).toLongArray());
        }
    }

    /** float32 orders and selects exactly as float64; scans and prod accumulate in double, then round once. */
    @Property(tries = TRIES)
    void float32AgreesWithFloat64(@ForAll("withTies") Case c, @ForAll boolean flag) {
        Tensor x64 = c.x().tensor();
        Tensor x32 = c.x().tensor(DType.FLOAT32);
        int d = c.dim();
        int n = c.x().rank() == 0 ? 1 : c.x().shape()[c.d()];
        List<ValuesAndIndices[]> pairs = List.of(
                new ValuesAndIndices[] {x32.max(d, flag), x64.max(d, flag)},
                new ValuesAndIndices[] {x32.sort(d, flag), x64.sort(d, flag)},
                new ValuesAndIndices[] {x32.topk((n + 1) / 2, d, flag, true), x64.topk((n + 1) / 2, d, flag, true)},
                new ValuesAndIndices[] {x32.kthValue((n + 1) / 2, d, flag), x64.kthValue((n + 1) / 2, d, flag)},
                new ValuesAndIndices[] {x32.median(d, flag), x64.median(d, flag)},
                new ValuesAndIndices[] {x32.mode(d, flag), x64.mode(d, flag)});
        for (ValuesAndIndices[] pair : pairs) {
            assertEquals(DType.FLOAT32, pair[0].values().dtype());
            assertArrayEquals(pair[1].indices().toLongArray(), pair[0].indices().toLongArray());
            assertArrayEquals(pair[1].values().toFloatArray(), pair[0].values().toFloatArray());
        }
        assertArrayEquals(x64.cumsum(d).toFloatArray(), x32.cumsum(d).toFloatArray());
        assertArrayEquals(x64.cumprod(d).toFloatArray(), x32.cumprod(d).toFloatArray());
        assertArrayEquals(x64.prod(d, flag).toFloatArray(), x32.prod(d, flag).toFloatArray());
    }

    // ------------------------------------------------------------------------------------------------ topk, kth

    @Property(tries = TRIES)
    void topkHoldsTheKLargestOrSmallest(@ForAll("withTies") Case c, @ForAll boolean largest,
                                        @ForAll("fractions") double fraction) {
        Tensor x = c.x().tensor();
        int n = c.x().rank() == 0 ? 1 : c.x().shape()[c.d()];
        int k = (int) Math.round(fraction * n);
        ValuesAndIndices r = x.topk(k, c.dim(), largest, true);
        assertArrayEquals(c.x().rank() == 0 && k == 0 ? new int[] {0} : outShape(c, k), r.values().shape());
        List<double[]> rows = c.rows();
        for (int o = 0; o < rows.size(); o++) {
            double[] row = rows.get(o);
            Integer[] order = stableOrder(row, largest);
            boolean[] seen = new boolean[row.length];
            for (int j = 0; j < k; j++) {
                int[] at = c.at(o, j, k);
                int index = (int) r.indices().getLong(at);
                assertTrue(!seen[index], "index " + index + " twice");
                seen[index] = true;
                assertSame(row[order[j]], r.values().get(at), "row " + o + " rank " + j);
                assertSame(row[index], r.values().get(at), "value at the index");
            }
        }
    }

    @Provide
    Arbitrary<Double> fractions() {
        return Arbitraries.doubles().between(0, 1);
    }

    @Property(tries = TRIES)
    void kthValueIsTheKthSmallest(@ForAll("withTies") Case c, @ForAll("fractions") double fraction) {
        Tensor x = c.x().tensor();
        int n = c.x().rank() == 0 ? 1 : c.x().shape()[c.d()];
        int k = 1 + (int) Math.floor(fraction * (n - 1));
        ValuesAndIndices r = x.kthValue(k, c.dim(), c.keepDim());
        assertArrayEquals(reducedShape(c), r.values().shape());
        double[] values = r.values().toDoubleArray();
        long[] indices = r.indices().toLongArray();
        List<double[]> rows = c.rows();
        for (int o = 0; o < rows.size(); o++) {
            double[] row = rows.get(o);
            Integer[] order = stableOrder(row, false);
            assertSame(row[order[k - 1]], values[o], "k = " + k + ", row " + o);
            assertSame(row[(int) indices[o]], values[o], "value at the index, row " + o);
        }
    }

    // ------------------------------------------------------------------------------------------------ median, mode

    @Property(tries = TRIES)
    void medianIsTheLowerMedianWithTheFirstIndexOrTheFirstNaN(@ForAll("withTies") Case c) {
        Tensor x = c.x().tensor();
        ValuesAndIndices r = x.median(c.dim(), c.keepDim());
        double[] values = r.values().toDoubleArray();
        long[] indices = r.indices().toLongArray();
        List<double[]> rows = c.rows();
        for (int o = 0; o < rows.size(); o++) {
            double[] row = rows.get(o);
            int firstNaN = IntStream.range(0, row.length).filter(j -> Double.isNaN(row[j])).findFirst().orElse(-1);
            int expected = firstNaN >= 0 ? firstNaN : stableOrder(row, false)[(row.length - 1) / 2];
            assertEquals(expected, indices[o], "row " + o + " " + Arrays.toString(row));
            assertSame(row[expected], values[o], "row " + o);
        }
        double[] all = c.x().values();
        boolean anyNaN = Arrays.stream(all).anyMatch(Double::isNaN);
        double expected = anyNaN ? Double.NaN : Arrays.stream(all).sorted().toArray()[(all.length - 1) / 2];
        assertSame(expected, x.median().item(), "median of all");
    }

    @Property(tries = TRIES)
    void modeIsTheSmallestMostFrequentValue(@ForAll("integers") Case c, @ForAll("integerDtype") DType dtype,
                                            @ForAll boolean asFloat) {
        Tensor x = asFloat ? c.x().tensor() : c.x().tensor(dtype);
        ValuesAndIndices r = x.mode(c.dim(), c.keepDim());
        double[] values = r.values().toDoubleArray();
        long[] indices = r.indices().toLongArray();
        List<double[]> rows = c.rows();
        for (int o = 0; o < rows.size(); o++) {
            double[] row = rows.get(o);
            double best = Double.NaN;
            long bestCount = 0;
            for (double v : Arrays.stream(row).sorted().distinct().toArray()) {
                long count = Arrays.stream(row).filter(w -> w == v).count();
                if (count > bestCount) {
                    best = v;
                    bestCount = count;
                }
            }
            assertEquals(best, values[o], "row " + o + " " + Arrays.toString(row));
            assertEquals(best, row[(int) indices[o]], "value at the index");
            if (row.length <= 16) {   // insertion sort (stable): PyTorch reports the last occurrence
                double mode = best;
                int last = IntStream.range(0, row.length).filter(j -> row[j] == mode).max().orElseThrow();
                assertEquals(last, indices[o], "last occurrence in " + Arrays.toString(row));
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ scans, prod

    @Property(tries = TRIES)
    void scansAreRunningSumsProductsAndLogSumExps(@ForAll("withTies") Case c) {
        Tensor x = c.x().tensor();
        Tensor sum = x.cumsum(c.dim());
        Tensor product = x.cumprod(c.dim());
        Tensor lse = x.logCumSumExp(c.dim());
        List<double[]> rows = c.rows();
        for (int o = 0; o < rows.size(); o++) {
            double[] row = rows.get(o);
            double s = 0;
            double p = 1;
            double l = Double.NEGATIVE_INFINITY;
            boolean nan = false;
            for (int j = 0; j < row.length; j++) {
                s += row[j];
                p *= row[j];
                nan |= Double.isNaN(row[j]);
                double terms = 0;
                double m = Double.NEGATIVE_INFINITY;
                for (int i = 0; i <= j; i++) m = Math.max(m, row[i]);
                for (int i = 0; i <= j; i++) terms += Math.exp(row[i] - m);
                l = nan ? Double.NaN : (Double.isInfinite(m) ? m : m + Math.log(terms));
                int[] at = c.at(o, j, row.length);
                assertClose(s, sum.get(at), "cumsum");
                assertClose(p, product.get(at), "cumprod");
                assertClose(l, lse.get(at), "logCumSumExp");
            }
        }
    }

    private static void assertClose(double expected, double actual, String what) {
        assertTrue(same(expected, actual) || Math.abs(expected - actual) <= 1e-12 * Math.max(1, Math.abs(expected)),
                what + ": expected " + expected + ", got " + actual);
    }

    @Property(tries = TRIES)
    void prodIsTheProductAndIntegersGiveInt64(@ForAll("withTies") Case c, @ForAll("integerDtype") DType dtype) {
        Tensor x = c.x().tensor();
        double[] values = x.prod(c.dim(), c.keepDim()).toDoubleArray();
        assertArrayEquals(reducedShape(c), x.prod(c.dim(), c.keepDim()).shape());
        List<double[]> rows = c.rows();
        for (int o = 0; o < rows.size(); o++) {
            double p = 1;
            for (double v : rows.get(o)) p *= v;
            assertClose(p, values[o], "prod of row " + o);
        }
        double all = 1;
        for (double v : c.x().values()) all *= v;
        assertClose(all, x.prod().item(), "prod of all");
        Tensor integer = c.x().withLayout(c.x().layout()).tensor(dtype).clampMin(0).to(dtype);
        assertEquals(DType.INT64, integer.prod().dtype());
        assertEquals(DType.INT64, integer.cumsum(c.dim()).dtype());
        assertEquals(DType.INT64, integer.cumprod(c.dim()).dtype());
    }

    @Property(tries = TRIES)
    void integerProductsAndSumsWrapAsInt64(@ForAll("integers") Case c) {
        Tensor x = c.x().tensor(DType.INT64).mul(1_000_003L);
        long[] cumsum = x.cumsum(c.dim()).toLongArray();
        long[] prod = x.prod(c.dim(), true).toLongArray();
        List<double[]> rows = c.rows();
        int n = rows.get(0).length;
        for (int o = 0; o < rows.size(); o++) {
            long s = 0;
            long p = 1;
            for (int j = 0; j < n; j++) {
                long v = (long) rows.get(o)[j] * 1_000_003L;
                s += v;
                p *= v;
                assertEquals(s, x.cumsum(c.dim()).getLong(c.at(o, j, n)));
            }
            assertEquals(p, prod[o]);
        }
        assertEquals(rows.size() * n, cumsum.length);
    }

    // ------------------------------------------------------------------------------------------------ norm, count

    @Provide
    Arbitrary<Double> orders() {
        return Arbitraries.of(1.0, 2.0, 3.0, 0.5, 1.5, -1.0, -2.5, 0.0, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY);
    }

    @Property(tries = TRIES)
    void normIsThePNormOfEachRow(@ForAll("finiteValues") Case c, @ForAll("orders") double p) {
        Tensor x = c.x().tensor();
        double[] values = x.norm(p, new int[] {c.dim()}, c.keepDim()).toDoubleArray();
        List<double[]> rows = c.rows();
        for (int o = 0; o < rows.size(); o++) {
            assertClose(naiveNorm(rows.get(o), p), values[o], "norm p = " + p + " of " + Arrays.toString(rows.get(o)));
        }
        assertClose(naiveNorm(c.x().values(), p), x.norm(p).item(), "norm of all");
        assertClose(naiveNorm(c.x().values(), 2), x.norm("fro", new int[0], false).item(), "fro");
    }

    @Provide
    Arbitrary<Case> finiteValues() {
        return cases(Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(0.0)),
                Tuple.of(4, Arbitraries.doubles().between(-3, 3).ofScale(3))));
    }

    private static double naiveNorm(double[] v, double p) {
        if (p == Double.POSITIVE_INFINITY) return Arrays.stream(v).map(Math::abs).max().orElseThrow();
        if (p == Double.NEGATIVE_INFINITY) return Arrays.stream(v).map(Math::abs).min().orElseThrow();
        if (p == 0) return Arrays.stream(v).filter(a -> a != 0).count();
        double s = 0;
        for (double a : v) s += Math.pow(Math.abs(a), p);
        return Math.pow(s, 1 / p);
    }

    @Property(tries = TRIES)
    void countNonzeroCountsAsNeDoes(@ForAll("withTies") Case c) {
        Tensor x = c.x().tensor();
        long expected = Arrays.stream(c.x().values()).filter(v -> v != 0).count();   // NaN != 0
        assertEquals(DType.INT64, x.countNonzero().dtype());
        assertEquals(expected, x.countNonzero().itemLong());
        long[] perRow = x.countNonzero(c.dim()).toLongArray();
        List<double[]> rows = c.rows();
        for (int o = 0; o < rows.size(); o++) {
            assertEquals(Arrays.stream(rows.get(o)).filter(v -> v != 0).count(), perRow[o]);
        }
    }
}
