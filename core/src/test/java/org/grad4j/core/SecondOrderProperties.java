package org.grad4j.core;

import static org.grad4j.core.TensorArbitraries.anyValues;
import static org.grad4j.core.TensorArbitraries.append;
import static org.grad4j.core.TensorArbitraries.broadcastShapes;
import static org.grad4j.core.TensorArbitraries.dimCases;
import static org.grad4j.core.TensorArbitraries.distinctTensors;
import static org.grad4j.core.TensorArbitraries.nonZeroValues;
import static org.grad4j.core.TensorArbitraries.positiveValues;
import static org.grad4j.core.TensorArbitraries.reductions;
import static org.grad4j.core.TensorArbitraries.shapes;
import static org.grad4j.core.TensorArbitraries.tensors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.grad4j.core.TensorArbitraries.DimCase;
import org.grad4j.core.TensorArbitraries.GatherCase;
import org.grad4j.core.TensorArbitraries.MatMulCase;
import org.grad4j.core.TensorArbitraries.ReductionCase;
import org.grad4j.core.TensorArbitraries.TensorData;

/**
 * Second derivatives: every rule below is written with tensor ops, so differentiating the gradient (built with
 * createGraph) must agree with finite differences of the gradient ({@link GradCheck#checkSecondOrder}). Linear ops
 * are composed with a non-linear one, since their own second derivative is zero and would prove little. Inputs have
 * at most 16 elements: each check differentiates a whole backward pass once per input element.
 */
class SecondOrderProperties {
    private static final int TRIES = 25;

    private static void assertSecondOrder(long seed, GradCheck.Fn f, Tensor... inputs) {
        GradCheck.Result result = GradCheck.checkSecondOrder(f, seed, inputs);
        assertTrue(result.passed(), result::report);
    }

    private static Arbitrary<int[]> smallShapes() {
        return shapes(0, 3, 4, 16);
    }

    @Provide
    Arbitrary<TensorData> anyTensor() {
        return tensors(smallShapes(), anyValues());
    }

    @Provide
    Arbitrary<TensorData> positiveTensor() {
        return tensors(smallShapes(), positiveValues());
    }

    @Provide
    Arbitrary<TensorData> nonZeroTensor() {
        return tensors(smallShapes(), nonZeroValues(0.3, 2));
    }

    // ============================================================================================ element-wise

    @Property(tries = TRIES)
    void exp(@ForAll("anyTensor") TensorData x, @ForAll long seed) {
        assertSecondOrder(seed, in -> in[0].exp(), x.leaf());
    }

    @Property(tries = TRIES)
    void log(@ForAll("positiveTensor") TensorData x, @ForAll long seed) {
        assertSecondOrder(seed, in -> in[0].log(), x.leaf());
    }

    @Property(tries = TRIES)
    void log1pAndExpm1(@ForAll("positiveTensor") TensorData x, @ForAll long seed) {
        assertSecondOrder(seed, in -> in[0].log1p(), x.leaf());
        assertSecondOrder(seed, in -> in[0].expm1(), x.leaf());
    }

    @Property(tries = TRIES)
    void sigmoid(@ForAll("anyTensor") TensorData x, @ForAll long seed) {
        assertSecondOrder(seed, in -> in[0].sigmoid(), x.leaf());
    }

    @Property(tries = TRIES)
    void tanh(@ForAll("anyTensor") TensorData x, @ForAll long seed) {
        assertSecondOrder(seed, in -> in[0].tanh(), x.leaf());
    }

    @Property(tries = TRIES)
    void sqrtAndRsqrt(@ForAll("positiveTensor") TensorData x, @ForAll long seed) {
        assertSecondOrder(seed, in -> in[0].sqrt(), x.leaf());
        assertSecondOrder(seed, in -> in[0].rsqrt(), x.leaf());
    }

    @Property(tries = TRIES)
    void reciprocal(@ForAll("nonZeroTensor") TensorData x, @ForAll long seed) {
        assertSecondOrder(seed, in -> in[0].reciprocal(), x.leaf());
    }

    @Property(tries = TRIES)
    void sinAndCos(@ForAll("anyTensor") TensorData x, @ForAll long seed) {
        assertSecondOrder(seed, in -> in[0].sin(), x.leaf());
        assertSecondOrder(seed, in -> in[0].cos(), x.leaf());
    }

    @Property(tries = TRIES)
    void erf(@ForAll("anyTensor") TensorData x, @ForAll long seed) {
        assertSecondOrder(seed, in -> in[0].mul(1.5).erf(), x.leaf());
    }

    /** Kinked ops have zero curvature away from the kinks, but their gradients must still be differentiable. */
    @Property(tries = TRIES)
    void piecewiseLinearOpsTimesInput(@ForAll("nonZeroTensor") TensorData x, @ForAll long seed) {
        assertSecondOrder(seed, in -> in[0].abs().mul(in[0]), x.leaf());
        assertSecondOrder(seed, in -> in[0].relu().mul(in[0]), x.leaf());
        assertSecondOrder(seed, in -> in[0].clamp(-1.05, 0.95).square(), x.leaf());
    }

    record PowCase(TensorData base, double exponent) {
    }

    @Provide
    Arbitrary<PowCase> powScalarCase() {
        Arbitrary<PowCase> integral = Combinators.combine(nonZeroTensor(), Arbitraries.of(-2.0, -1.0, 2.0, 3.0))
                .as(PowCase::new);
        Arbitrary<PowCase> fractional = Combinators.combine(positiveTensor(), Arbitraries.of(-0.5, 0.5, 1.5, 2.5))
                .as(PowCase::new);
        return Arbitraries.oneOf(integral, fractional);
    }

    @Property(tries = TRIES)
    void powScalar(@ForAll("powScalarCase") PowCase c, @ForAll long seed) {
        assertSecondOrder(seed, in -> in[0].pow(c.exponent()), c.base().leaf());
    }

    private static Arbitrary<List<TensorData>> smallPairs(Arbitrary<Double> first, Arbitrary<Double> second) {
        return broadcastShapes(2, 3, 4, 16).flatMap(s -> tensors(s, List.of(first, second)));
    }

    @Provide
    Arbitrary<List<TensorData>> anyPair() {
        return smallPairs(anyValues(), anyValues());
    }

    @Provide
    Arbitrary<List<TensorData>> divisionPair() {
        return smallPairs(anyValues(), nonZeroValues(0.5, 2));
    }

    @Provide
    Arbitrary<List<TensorData>> powerPair() {
        return smallPairs(Arbitraries.doubles().between(0.5, 2).ofScale(4), anyValues());
    }

    @Property(tries = TRIES)
    void mul(@ForAll("anyPair") List<TensorData> p, @ForAll long seed) {
        assertSecondOrder(seed, in -> in[0].mul(in[1]), p.get(0).leaf(), p.get(1).leaf());
        assertSecondOrder(seed, in -> in[0].mul(in[1]).mul(in[0]), p.get(0).leaf(), p.get(1).tensor());
    }

    @Property(tries = TRIES)
    void div(@ForAll("divisionPair") List<TensorData> p, @ForAll long seed) {
        assertSecondOrder(seed, in -> in[0].div(in[1]), p.get(0).leaf(), p.get(1).leaf());
    }

    @Property(tries = TRIES)
    void powTensor(@ForAll("powerPair") List<TensorData> p, @ForAll long seed) {
        assertSecondOrder(seed, in -> in[0].pow(in[1]), p.get(0).leaf(), p.get(1).leaf());
    }

    @Provide
    Arbitrary<List<TensorData>> tieFreePair() {
        return broadcastShapes(2, 3, 4, 16).flatMap(TensorArbitraries::distinctTensors);
    }

    @Property(tries = TRIES)
    void maximumAndWhereOfProducts(@ForAll("tieFreePair") List<TensorData> p, @ForAll long seed) {
        assertSecondOrder(seed, in -> in[0].maximum(in[1]).square(), p.get(0).leaf(), p.get(1).leaf());
        assertSecondOrder(seed, in -> in[0].minimum(in[1]).square(), p.get(0).leaf(), p.get(1).leaf());
        Tensor condition = p.get(0).tensor().gt(0);
        assertSecondOrder(seed, in -> Tensor.where(condition, in[0].square(), in[1].mul(in[0])),
                p.get(0).leaf(), p.get(1).leaf());
    }

    // ============================================================================================ reductions

    @Provide
    Arbitrary<ReductionCase> reduction() {
        return reductions(anyTensor());
    }

    @Provide
    Arbitrary<ReductionCase> tieFreeReduction() {
        return reductions(distinctTensors(smallShapes()));
    }

    @Property(tries = TRIES)
    void sumAndMean(@ForAll("reduction") ReductionCase c, @ForAll long seed) {
        assertSecondOrder(seed, in -> in[0].sum(c.dims(), c.keepDim()).square(), c.x().leaf());
        assertSecondOrder(seed, in -> in[0].mean(c.dims(), c.keepDim()).exp(), c.x().leaf());
        assertSecondOrder(seed, in -> in[0].square().sum(c.dims(), c.keepDim()), c.x().leaf());
    }

    @Property(tries = TRIES)
    void amaxAndAminOfSquares(@ForAll("tieFreeReduction") ReductionCase c, @ForAll long seed) {
        assertSecondOrder(seed, in -> in[0].amax(c.dims(), c.keepDim()).square(), c.x().leaf());
        assertSecondOrder(seed, in -> in[0].exp().amin(c.dims(), c.keepDim()), c.x().leaf());
    }

    @Property(tries = TRIES)
    void varAndStd(@ForAll("tieFreeReduction") ReductionCase c, @ForAll long seed) {
        assertSecondOrder(seed, in -> in[0].var(c.dims(), 0, c.keepDim()), c.x().leaf());
        assertSecondOrder(seed, in -> in[0].std(c.dims(), 0, c.keepDim()).add(0.1).log(),
                c.x().leaf());
    }

    @Provide
    Arbitrary<DimCase> singleDim() {
        return dimCases(tensors(smallShapes(), Arbitraries.doubles().between(-4, 4).ofScale(4)));
    }

    @Property(tries = TRIES)
    void softmax(@ForAll("singleDim") DimCase c, @ForAll long seed) {
        assertSecondOrder(seed, in -> in[0].softmax(c.dim()), c.x().leaf());
    }

    @Property(tries = TRIES)
    void logSoftmax(@ForAll("singleDim") DimCase c, @ForAll long seed) {
        assertSecondOrder(seed, in -> in[0].logSoftmax(c.dim()), c.x().leaf());
    }

    @Property(tries = TRIES)
    void logSumExp(@ForAll("singleDim") DimCase c, @ForAll long seed) {
        assertSecondOrder(seed, in -> in[0].logSumExp(c.dim(), c.keepDim()), c.x().leaf());
    }

    // ============================================================================================ matmul

    /** Matrix, vector and batched operands (batch dims broadcast), all at most 3 per dim. */
    @Provide
    Arbitrary<MatMulCase> matmulCase() {
        return TensorArbitraries.matmulCases(2, 2, 2, 3, 4, (batch, m, k, n, form) -> switch (form) {
            case 0 -> new int[][] {{m, k}, {k, n}};
            case 1 -> new int[][] {{k}, append(batch[1], k, n)};
            case 2 -> new int[][] {append(batch[0], m, k), {k}};
            default -> new int[][] {append(batch[0], m, k), append(batch[1], k, n)};
        });
    }

    @Property(tries = TRIES)
    void matmul(@ForAll("matmulCase") MatMulCase c, @ForAll long seed) {
        assertSecondOrder(seed, in -> in[0].matmul(in[1]), c.a().leaf(), c.b().leaf());
        assertSecondOrder(seed, in -> in[0].matmul(in[1]).tanh(), c.a().leaf(), c.b().leaf());
    }

    // ============================================================================================ views, indexing

    /** Index sizes up to the input's outside dim, up to 4 along dim. */
    @Provide
    Arbitrary<GatherCase> gatherCase() {
        return TensorArbitraries.gatherCases(anyTensor(), 4);
    }

    @Property(tries = TRIES)
    void gather(@ForAll("gatherCase") GatherCase c, @ForAll long seed) {
        Tensor index = c.indexTensor();
        assertSecondOrder(seed, in -> in[0].gather(c.dim(), index).square(), c.x().leaf());
        assertSecondOrder(seed, in -> in[0].exp().gather(c.dim(), index), c.x().leaf());
    }

    @Provide
    Arbitrary<TensorData> atLeastVector() {
        return tensors(shapes(1, 3, 4, 16), anyValues());
    }

    @Property(tries = TRIES)
    void indexSelectAndConcat(@ForAll("atLeastVector") TensorData x, @ForAll long seed,
                              @ForAll @IntRange(min = 0, max = 100) int choice) {
        int size = x.shape()[0];
        int[] indices = {choice % size, (choice / 7) % size, choice % size};
        assertSecondOrder(seed, in -> in[0].indexSelect(0, indices).square(), x.leaf());
        assertSecondOrder(seed, in -> Tensor.concat(0, in[0].sin(), in[0].square()).exp(), x.leaf());
    }

    @Property(tries = TRIES)
    void throughViews(@ForAll("atLeastVector") TensorData x, @ForAll long seed) {
        int rank = x.rank();
        int[] expanded = new int[rank + 1];
        Arrays.fill(expanded, -1);
        expanded[0] = 2;
        assertSecondOrder(seed, in -> in[0].transpose(0, -1).unsqueeze(0).expand(expanded)
                .slice(-1, 0, Integer.MAX_VALUE, 2).reshape(-1).square(), x.leaf());
    }

    // ============================================================================================ Hessian-vector

    /**
     * For {@code f(x) = x^T A x}: the gradient is {@code (A + A^T) x} and the Hessian-vector product
     * {@code (A + A^T) v}, computed by differentiating {@code <grad f, v>} again and checked by hand.
     */
    @Property(tries = TRIES)
    void hessianVectorProductOfQuadraticForm(@ForAll @IntRange(min = 1, max = 6) int n, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor a = Tensor.randn(rng, DType.FLOAT64, n, n);
        Tensor x = Tensor.randn(rng, DType.FLOAT64, n).requiresGrad(true);
        Tensor v = Tensor.randn(rng, DType.FLOAT64, n);

        Tensor f = x.matmul(a.matmul(x));
        Tensor gradient = Autograd.grad(f, x, true);
        Tensor hvp = Autograd.grad(gradient.mul(v).sum(), x, false);

        double[][] av = new double[n][];
        for (int i = 0; i < n; i++) av[i] = a.select(0, i).toDoubleArray();
        double[] xs = x.toDoubleArray();
        double[] vs = v.toDoubleArray();
        double[] g = gradient.toDoubleArray();
        double[] h = hvp.toDoubleArray();
        for (int i = 0; i < n; i++) {
            double expectedGradient = 0;
            double expectedHvp = 0;
            for (int j = 0; j < n; j++) {
                expectedGradient += (av[i][j] + av[j][i]) * xs[j];
                expectedHvp += (av[i][j] + av[j][i]) * vs[j];
            }
            assertEquals(expectedGradient, g[i], 1e-12 * (1 + Math.abs(expectedGradient)), "gradient " + i);
            assertEquals(expectedHvp, h[i], 1e-12 * (1 + Math.abs(expectedHvp)), "Hessian-vector product " + i);
        }
    }
}
