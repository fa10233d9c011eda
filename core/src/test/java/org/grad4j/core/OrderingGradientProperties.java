package org.grad4j.core;

import static org.grad4j.core.TensorArbitraries.anyValues;
import static org.grad4j.core.TensorArbitraries.distinctTensors;
import static org.grad4j.core.TensorArbitraries.nonZeroValues;
import static org.grad4j.core.TensorArbitraries.shapes;
import static org.grad4j.core.TensorArbitraries.tensors;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.grad4j.core.TensorArbitraries.TensorData;

/**
 * First and second derivatives of the reductions, scans, norms and ordering ops against float64 finite
 * differences ({@link GradCheck}): ordering ops on tie-free values (a finite-difference step cannot reorder them),
 * prod and cumprod on values where zeros are common (their gradients are exact polynomials there, and so are the
 * second derivatives), norms on non-zero values for each kind of p.
 */
class OrderingGradientProperties {
    private static final int TRIES = 30;

    private static void first(GradCheck.Fn f, Tensor... inputs) {
        GradCheck.assertGradients(f, inputs);
    }

    private static void second(long seed, GradCheck.Fn f, Tensor... inputs) {
        GradCheck.Result result = GradCheck.checkSecondOrder(f, seed, inputs);
        assertTrue(result.passed(), result::report);
    }

    /** A tensor and a dim of it. */
    record DimOf(TensorData x, int dim) {
        int size() {
            return x.rank() == 0 ? 1 : x.shape()[dim < 0 ? dim + x.rank() : dim];
        }
    }

    private static Arbitrary<DimOf> withDim(Arbitrary<TensorData> tensors) {
        return tensors.flatMap(x -> TensorArbitraries.dims(x.rank()).map(d -> new DimOf(x, d)));
    }

    @Provide
    Arbitrary<DimOf> distinct() {
        return withDim(distinctTensors(shapes(0, 3, 6, 24)));
    }

    @Provide
    Arbitrary<DimOf> distinctSmall() {
        return withDim(distinctTensors(shapes(0, 3, 4, 12)));
    }

    /** Values where 0 comes up often, and two zeros in one row too. */
    private static Arbitrary<Double> zeroHeavy() {
        return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(0.0)),
                Tuple.of(3, nonZeroValues(0.3, 1.8)));
    }

    @Provide
    Arbitrary<DimOf> withZeros() {
        return withDim(tensors(shapes(0, 3, 5, 20), zeroHeavy()));
    }

    @Provide
    Arbitrary<DimOf> withZerosSmall() {
        return withDim(tensors(shapes(0, 3, 4, 12), zeroHeavy()));
    }

    @Provide
    Arbitrary<DimOf> any() {
        return withDim(tensors(shapes(0, 3, 6, 24), anyValues()));
    }

    @Provide
    Arbitrary<DimOf> anySmall() {
        return withDim(tensors(shapes(0, 3, 4, 12), anyValues()));
    }

    // ------------------------------------------------------------------------------------------------ ordering

    @Property(tries = TRIES)
    void maxMinSortTopkFirstOrder(@ForAll("distinct") DimOf c, @ForAll boolean keepDim, @ForAll boolean flag) {
        int d = c.dim();
        first(in -> in[0].max(d, keepDim).values(), c.x().leaf());
        first(in -> in[0].min(d, keepDim).values(), c.x().leaf());
        first(in -> in[0].sort(d, flag).values(), c.x().leaf());
        first(in -> in[0].sort(d, flag, true).values(), c.x().leaf());
        int k = Math.max(1, c.size() / 2);
        first(in -> in[0].topk(k, d, flag, true).values(), c.x().leaf());
    }

    @Property(tries = TRIES)
    void kthMedianModeFirstOrder(@ForAll("distinct") DimOf c, @ForAll boolean keepDim) {
        int d = c.dim();
        int k = (c.size() + 1) / 2;
        first(in -> in[0].kthValue(k, d, keepDim).values(), c.x().leaf());
        first(in -> in[0].median(d, keepDim).values(), c.x().leaf());
        first(in -> in[0].mode(d, keepDim).values(), c.x().leaf());
        first(in -> in[0].median(), c.x().leaf());
    }

    @Property(tries = TRIES)
    void orderingSecondOrder(@ForAll("distinctSmall") DimOf c, @ForAll long seed) {
        int d = c.dim();
        second(seed, in -> in[0].max(d).values().square(), c.x().leaf());
        second(seed, in -> in[0].sort(d, true).values().mul(in[0]), c.x().leaf());
        second(seed, in -> in[0].topk(1, d, false, true).values().exp(), c.x().leaf());
        second(seed, in -> in[0].median(d, true).values().mul(in[0]), c.x().leaf());
        second(seed, in -> in[0].median().square(), c.x().leaf());
    }

    // ------------------------------------------------------------------------------------------------ scans, prod

    @Property(tries = TRIES)
    void scansFirstOrder(@ForAll("withZeros") DimOf z, @ForAll("any") DimOf a) {
        first(in -> in[0].cumsum(z.dim()), z.x().leaf());
        first(in -> in[0].cumprod(z.dim()), z.x().leaf());
        first(in -> in[0].logCumSumExp(a.dim()), a.x().leaf());
    }

    @Property(tries = TRIES)
    void prodFirstOrderWithZeros(@ForAll("withZeros") DimOf z, @ForAll boolean keepDim) {
        first(in -> in[0].prod(z.dim(), keepDim), z.x().leaf());
        first(in -> in[0].prod(), z.x().leaf());
    }

    @Property(tries = TRIES)
    void scansAndProdSecondOrderWithZeros(@ForAll("withZerosSmall") DimOf z, @ForAll long seed) {
        second(seed, in -> in[0].cumprod(z.dim()), z.x().leaf());
        second(seed, in -> in[0].prod(z.dim()), z.x().leaf());
        second(seed, in -> in[0].prod(), z.x().leaf());
        second(seed, in -> in[0].cumsum(z.dim()).square(), z.x().leaf());
    }

    @Property(tries = TRIES)
    void logCumSumExpSecondOrder(@ForAll("anySmall") DimOf a, @ForAll long seed) {
        second(seed, in -> in[0].logCumSumExp(a.dim()), a.x().leaf());
    }

    // ------------------------------------------------------------------------------------------------ norms

    @Provide
    Arbitrary<TensorData> nonZero() {
        return tensors(shapes(0, 3, 5, 20), nonZeroValues(0.2, 2));
    }

    /** Magnitudes pairwise apart, so that the infinity norms have a single maximum / minimum. */
    @Provide
    Arbitrary<TensorData> distinctMagnitudes() {
        return distinctTensors(shapes(0, 3, 5, 20)).filter(x -> {
            double[] m = Arrays.stream(x.values()).map(Math::abs).sorted().toArray();
            for (int i = 1; i < m.length; i++) if (m[i] - m[i - 1] < 1e-3) return false;
            return m.length == 0 || m[0] > 1e-3;
        });
    }

    @Provide
    Arbitrary<Double> finiteOrders() {
        return Arbitraries.of(1.0, 2.0, 3.0, 0.5, 1.5, -1.0, -2.5, 0.0, 4.0);
    }

    @Provide
    Arbitrary<int[]> normDims() {
        return Arbitraries.of(new int[0], new int[] {0}, new int[] {-1}, new int[] {0, -1});
    }

    @Property(tries = TRIES)
    void normsFirstOrder(@ForAll("nonZero") TensorData x, @ForAll("finiteOrders") double p, @ForAll boolean keep,
                         @ForAll("normDims") int[] dims) {
        int[] d = x.rank() == 0 ? new int[0] : (x.rank() == 1 && dims.length == 2 ? new int[] {0} : dims);
        first(in -> in[0].norm(p, d, keep), x.leaf());
    }

    @Property(tries = TRIES)
    void infinityNormsFirstOrder(@ForAll("distinctMagnitudes") TensorData x, @ForAll boolean keep) {
        int[] d = x.rank() == 0 ? new int[0] : new int[] {-1};
        first(in -> in[0].norm(Double.POSITIVE_INFINITY, d, keep), x.leaf());
        first(in -> in[0].norm(Double.NEGATIVE_INFINITY, d, keep), x.leaf());
    }

    @Property(tries = TRIES)
    void normsSecondOrder(@ForAll("nonZero") TensorData x, @ForAll("finiteOrders") double p, @ForAll long seed) {
        int[] d = x.rank() == 0 ? new int[0] : new int[] {-1};
        second(seed, in -> in[0].norm(p, d, false), x.leaf());
        second(seed, in -> in[0].norm(), x.leaf());
    }

    @Property(tries = 10)
    void theTwoNormHasGradientZeroAtTheZeroVector(@ForAll("normDims") int[] dims) {
        Tensor zero = Tensor.zeros(DType.FLOAT64, 2, 3).requiresGrad(true);
        Tensor g = Autograd.grad(zero.norm(2, dims, false).sum(), zero, false);
        assertTrue(Arrays.stream(g.toDoubleArray()).allMatch(v -> v == 0), Arrays.toString(g.toDoubleArray()));
    }
}
