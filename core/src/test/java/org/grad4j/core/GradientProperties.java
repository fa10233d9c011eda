package org.grad4j.core;

import static org.grad4j.core.TensorArbitraries.anyValues;
import static org.grad4j.core.TensorArbitraries.append;
import static org.grad4j.core.TensorArbitraries.broadcastShapes;
import static org.grad4j.core.TensorArbitraries.dimCases;
import static org.grad4j.core.TensorArbitraries.dims;
import static org.grad4j.core.TensorArbitraries.distinctTensors;
import static org.grad4j.core.TensorArbitraries.matmulOf;
import static org.grad4j.core.TensorArbitraries.nonZeroValues;
import static org.grad4j.core.TensorArbitraries.positiveValues;
import static org.grad4j.core.TensorArbitraries.reductions;
import static org.grad4j.core.TensorArbitraries.shapes;
import static org.grad4j.core.TensorArbitraries.shapesWithOnes;
import static org.grad4j.core.TensorArbitraries.tensors;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.grad4j.core.TensorArbitraries.DimCase;
import org.grad4j.core.TensorArbitraries.GatherCase;
import org.grad4j.core.TensorArbitraries.JoinCase;
import org.grad4j.core.TensorArbitraries.Layout;
import org.grad4j.core.TensorArbitraries.MatMulCase;
import org.grad4j.core.TensorArbitraries.PermuteCase;
import org.grad4j.core.TensorArbitraries.ReductionCase;
import org.grad4j.core.TensorArbitraries.TargetCase;
import org.grad4j.core.TensorArbitraries.TensorData;

/**
 * The first derivative of every differentiable op, compared with float64 central finite differences by
 * {@link GradCheck} (full Jacobians, PyTorch's tolerances) over generated shapes, values, memory layouts and
 * broadcasts. Inputs are drawn from each op's smooth domain; larger compositions use the directional check.
 */
class GradientProperties {
    private static final int TRIES = 40;
    private static final int FEW_TRIES = 15;

    private static void assertGradients(GradCheck.Fn f, Tensor... inputs) {
        GradCheck.assertGradients(f, inputs);
    }

    private static void assertDirectional(GradCheck.Fn f, long seed, Tensor... inputs) {
        GradCheck.Result result = GradCheck.checkDirectional(f, seed, inputs);
        assertTrue(result.passed(), result::report);
    }

    /** The second operand either requires grad or is a constant, so both branches of each rule run. */
    private static Tensor second(TensorData data, boolean requiresGrad) {
        return requiresGrad ? data.leaf() : data.tensor();
    }

    // ============================================================================================ element-wise, unary

    @Provide
    Arbitrary<TensorData> anyTensor() {
        return tensors(shapes(0, 4), anyValues());
    }

    @Provide
    Arbitrary<TensorData> positiveTensor() {
        return tensors(shapes(0, 4), positiveValues());
    }

    @Provide
    Arbitrary<TensorData> nonZeroTensor() {
        return tensors(shapes(0, 4), nonZeroValues());
    }

    @Property(tries = TRIES)
    void neg(@ForAll("anyTensor") TensorData x) {
        assertGradients(in -> in[0].neg(), x.leaf());
    }

    @Property(tries = TRIES)
    void exp(@ForAll("anyTensor") TensorData x) {
        assertGradients(in -> in[0].exp(), x.leaf());
    }

    @Property(tries = TRIES)
    void log(@ForAll("positiveTensor") TensorData x) {
        assertGradients(in -> in[0].log(), x.leaf());
    }

    @Provide
    Arbitrary<TensorData> aboveMinusOneTensor() {
        return tensors(shapes(0, 4), Arbitraries.doubles().between(-0.6, 2).ofScale(4));
    }

    @Property(tries = TRIES)
    void log1p(@ForAll("aboveMinusOneTensor") TensorData x) {
        assertGradients(in -> in[0].log1p(), x.leaf());
    }

    @Property(tries = TRIES)
    void expm1(@ForAll("anyTensor") TensorData x) {
        assertGradients(in -> in[0].expm1(), x.leaf());
    }

    @Property(tries = TRIES)
    void sqrt(@ForAll("positiveTensor") TensorData x) {
        assertGradients(in -> in[0].sqrt(), x.leaf());
    }

    @Property(tries = TRIES)
    void rsqrt(@ForAll("positiveTensor") TensorData x) {
        assertGradients(in -> in[0].rsqrt(), x.leaf());
    }

    @Property(tries = TRIES)
    void reciprocal(@ForAll("nonZeroTensor") TensorData x) {
        assertGradients(in -> in[0].reciprocal(), x.leaf());
    }

    @Property(tries = TRIES)
    void abs(@ForAll("nonZeroTensor") TensorData x) {
        assertGradients(in -> in[0].abs(), x.leaf());
    }

    @Property(tries = TRIES)
    void sin(@ForAll("anyTensor") TensorData x) {
        assertGradients(in -> in[0].sin(), x.leaf());
    }

    @Property(tries = TRIES)
    void cos(@ForAll("anyTensor") TensorData x) {
        assertGradients(in -> in[0].cos(), x.leaf());
    }

    @Property(tries = TRIES)
    void tanh(@ForAll("anyTensor") TensorData x) {
        assertGradients(in -> in[0].tanh(), x.leaf());
    }

    /** Wide enough to cross the kernel's switch from series to continued fraction at |x| = 2.5. */
    @Provide
    Arbitrary<TensorData> erfTensor() {
        return tensors(shapes(0, 4), Arbitraries.doubles().between(-3.5, 3.5).ofScale(4));
    }

    @Property(tries = TRIES)
    void erf(@ForAll("erfTensor") TensorData x) {
        assertGradients(in -> in[0].erf(), x.leaf());
    }

    @Property(tries = TRIES)
    void sigmoid(@ForAll("anyTensor") TensorData x) {
        assertGradients(in -> in[0].sigmoid(), x.leaf());
    }

    @Property(tries = TRIES)
    void relu(@ForAll("nonZeroTensor") TensorData x) {
        assertGradients(in -> in[0].relu(), x.leaf());
    }

    @Provide
    Arbitrary<TensorData> awayFromClampBounds() {
        return tensors(shapes(0, 4), TensorArbitraries.valuesAwayFrom(-2, 2, -0.5, 0.7));
    }

    @Property(tries = TRIES)
    void clamp(@ForAll("awayFromClampBounds") TensorData x) {
        assertGradients(in -> in[0].clamp(-0.5, 0.7), x.leaf());
        assertGradients(in -> in[0].clampMin(-0.5), x.leaf());
        assertGradients(in -> in[0].clampMax(0.7), x.leaf());
    }

    @Property(tries = TRIES)
    void square(@ForAll("anyTensor") TensorData x) {
        assertGradients(in -> in[0].square(), x.leaf());
    }

    record PowCase(TensorData base, double exponent) {
    }

    /** Integer exponents take bases of either sign; fractional ones need positive bases. */
    @Provide
    Arbitrary<PowCase> powScalarCase() {
        Arbitrary<PowCase> integral = Combinators.combine(
                tensors(shapes(0, 4), nonZeroValues(0.3, 2)), Arbitraries.of(-2.0, -1.0, 0.0, 1.0, 2.0, 3.0))
                .as(PowCase::new);
        Arbitrary<PowCase> fractional = Combinators.combine(
                tensors(shapes(0, 4), positiveValues()), Arbitraries.of(-1.5, -0.5, 0.5, 1.5, 2.5))
                .as(PowCase::new);
        return Arbitraries.oneOf(integral, fractional);
    }

    @Property(tries = TRIES)
    void powScalar(@ForAll("powScalarCase") PowCase c) {
        assertGradients(in -> in[0].pow(c.exponent()), c.base().leaf());
    }

    @Provide
    Arbitrary<List<TensorData>> sameShapePair() {
        return shapes(0, 4).flatMap(s -> tensors(new int[][] {s, s}, List.of(anyValues(), anyValues())));
    }

    /**
     * The float32 detour rounds the input, so the step is 1e-2 instead of 1e-6 (a float32 ulp near 2 is 2.4e-7);
     * the function is linear, so the larger step adds no truncation error.
     */
    @Property(tries = TRIES)
    void float32RoundTrip(@ForAll("sameShapePair") List<TensorData> pair) {
        Tensor weight = pair.get(1).tensor(DType.FLOAT32);
        GradCheck.Result result = GradCheck.check(
                in -> in[0].to(DType.FLOAT32).mul(weight).to(DType.FLOAT64), 1e-2, 1e-4, 1e-3, pair.get(0).leaf());
        assertTrue(result.passed(), result::report);
    }

    @Property(tries = TRIES)
    void scalarOperandOverloads(@ForAll("anyTensor") TensorData x,
                                @ForAll("nonZeroScalar") double c) {
        assertGradients(in -> in[0].mul(c).add(c).sub(2 * c).div(c).rsub(c), x.leaf());
    }

    @Provide
    Arbitrary<Double> nonZeroScalar() {
        return nonZeroValues(0.5, 3);
    }

    // ============================================================================================ element-wise, binary

    @Provide
    Arbitrary<List<TensorData>> broadcastPair() {
        return broadcastShapes(2).flatMap(s -> tensors(s, List.of(anyValues(), anyValues())));
    }

    @Provide
    Arbitrary<List<TensorData>> divisionPair() {
        return broadcastShapes(2).flatMap(s -> tensors(s, List.of(anyValues(), nonZeroValues(0.5, 2))));
    }

    @Provide
    Arbitrary<List<TensorData>> powerPair() {
        Arbitrary<Double> base = Arbitraries.doubles().between(0.5, 2).ofScale(4);
        return broadcastShapes(2).flatMap(s -> tensors(s, List.of(base, anyValues())));
    }

    @Provide
    Arbitrary<List<TensorData>> tieFreePair() {
        return broadcastShapes(2).flatMap(TensorArbitraries::distinctTensors);
    }

    @Property(tries = TRIES)
    void add(@ForAll("broadcastPair") List<TensorData> p, @ForAll boolean both) {
        assertGradients(in -> in[0].add(in[1]), p.get(0).leaf(), second(p.get(1), both));
    }

    @Property(tries = TRIES)
    void sub(@ForAll("broadcastPair") List<TensorData> p, @ForAll boolean both) {
        assertGradients(in -> in[0].sub(in[1]), p.get(0).leaf(), second(p.get(1), both));
        assertGradients(in -> in[1].sub(in[0]), p.get(0).leaf(), second(p.get(1), both));
    }

    @Property(tries = TRIES)
    void mul(@ForAll("broadcastPair") List<TensorData> p, @ForAll boolean both) {
        assertGradients(in -> in[0].mul(in[1]), p.get(0).leaf(), second(p.get(1), both));
    }

    @Property(tries = TRIES)
    void div(@ForAll("divisionPair") List<TensorData> p, @ForAll boolean both) {
        assertGradients(in -> in[0].div(in[1]), p.get(0).leaf(), second(p.get(1), both));
        assertGradients(in -> in[1].div(in[0].abs().add(0.5)), p.get(0).leaf(), second(p.get(1), both));
    }

    @Property(tries = TRIES)
    void powTensor(@ForAll("powerPair") List<TensorData> p, @ForAll boolean both) {
        assertGradients(in -> in[0].pow(in[1]), p.get(0).leaf(), second(p.get(1), both));
        assertGradients(in -> in[0].pow(in[1]), p.get(0).tensor(), p.get(1).leaf());
    }

    @Provide
    Arbitrary<List<TensorData>> zeroBasePair() {
        Arbitrary<Double> bases = Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just(0.0)),
                Tuple.of(1, Arbitraries.doubles().between(0.5, 2).ofScale(4)));
        Arbitrary<Double> exponents = Arbitraries.of(1.0, 2.0, 3.0);
        return broadcastShapes(2).flatMap(s -> tensors(s, List.of(bases, exponents)));
    }

    /**
     * At a zero base with integer exponents >= 1, a^b is smooth in a and constant (0) in b nearby, so GradCheck
     * applies; this checks the rule's zero-base conventions (d/db taken as 0 there).
     */
    @Property(tries = TRIES)
    void powAtZeroBase(@ForAll("zeroBasePair") List<TensorData> p) {
        assertGradients(in -> in[0].pow(in[1]), p.get(0).leaf(), p.get(1).leaf());
        for (double exponent : new double[] {1, 2, 3}) {
            assertGradients(in -> in[0].pow(exponent), p.get(0).leaf());
        }
    }

    @Property(tries = TRIES)
    void maximum(@ForAll("tieFreePair") List<TensorData> p, @ForAll boolean both) {
        assertGradients(in -> in[0].maximum(in[1]), p.get(0).leaf(), second(p.get(1), both));
    }

    @Property(tries = TRIES)
    void minimum(@ForAll("tieFreePair") List<TensorData> p, @ForAll boolean both) {
        assertGradients(in -> in[0].minimum(in[1]), p.get(0).leaf(), second(p.get(1), both));
    }

    @Provide
    Arbitrary<List<TensorData>> whereTriple() {
        Arbitrary<Double> bits = Arbitraries.of(0.0, 1.0);
        return broadcastShapes(3).flatMap(s -> tensors(s, List.of(bits, anyValues(), anyValues())));
    }

    @Property(tries = TRIES)
    void where(@ForAll("whereTriple") List<TensorData> t, @ForAll boolean both) {
        Tensor condition = t.get(0).tensor().ne(0);
        assertGradients(in -> Tensor.where(condition, in[0], in[1]), t.get(1).leaf(), second(t.get(2), both));
        assertGradients(in -> condition.where(in[1], in[0]), t.get(1).leaf(), second(t.get(2), both));
    }

    // ============================================================================================ reductions

    @Provide
    Arbitrary<ReductionCase> reduction() {
        return reductions(anyTensor());
    }

    @Provide
    Arbitrary<ReductionCase> tieFreeReduction() {
        return reductions(distinctTensors(shapes(0, 4)));
    }

    /** Tie-free values over at least two reduced elements, so the standard deviation is positive. */
    @Provide
    Arbitrary<ReductionCase> spreadReduction() {
        return tieFreeReduction().filter(c -> c.count() >= 2);
    }

    @Property(tries = TRIES)
    void sum(@ForAll("reduction") ReductionCase c) {
        assertGradients(in -> in[0].sum(c.dims(), c.keepDim()), c.x().leaf());
    }

    @Property(tries = TRIES)
    void mean(@ForAll("reduction") ReductionCase c) {
        assertGradients(in -> in[0].mean(c.dims(), c.keepDim()), c.x().leaf());
    }

    @Property(tries = TRIES)
    void amax(@ForAll("tieFreeReduction") ReductionCase c) {
        assertGradients(in -> in[0].amax(c.dims(), c.keepDim()), c.x().leaf());
    }

    @Property(tries = TRIES)
    void amin(@ForAll("tieFreeReduction") ReductionCase c) {
        assertGradients(in -> in[0].amin(c.dims(), c.keepDim()), c.x().leaf());
    }

    @Property(tries = TRIES)
    void var(@ForAll("spreadReduction") ReductionCase c) {
        assertGradients(in -> in[0].var(c.dims(), 0, c.keepDim()), c.x().leaf());
        assertGradients(in -> in[0].var(c.dims(), 1, c.keepDim()), c.x().leaf());
    }

    @Property(tries = TRIES)
    void std(@ForAll("spreadReduction") ReductionCase c) {
        assertGradients(in -> in[0].std(c.dims(), 0, c.keepDim()), c.x().leaf());
        assertGradients(in -> in[0].std(c.dims(), 1, c.keepDim()), c.x().leaf());
    }

    @Provide
    Arbitrary<TensorData> spreadTensor() {
        return distinctTensors(shapes(1, 4)).filter(x -> x.numel() >= 2);
    }

    /** The whole-tensor and single-dim forms: sum(), mean(), max(), min(), var(), sum(dim), max(dim, keepDim)... */
    @Property(tries = TRIES)
    void reductionOverloads(@ForAll("spreadTensor") TensorData x, @ForAll boolean keepDim) {
        assertGradients(in -> Tensor.stack(0, in[0].sum(), in[0].mean(), in[0].max(), in[0].min(), in[0].var()),
                x.leaf());
        assertGradients(in -> Tensor.concat(0, in[0].sum(0, keepDim).reshape(-1), in[0].mean(-1).reshape(-1),
                in[0].max(0, keepDim).values().reshape(-1), in[0].min(-1, keepDim).values().reshape(-1)), x.leaf());
    }

    @Provide
    Arbitrary<DimCase> singleDim() {
        return dimCases(tensors(shapes(0, 4), Arbitraries.doubles().between(-5, 5).ofScale(4)));
    }

    @Property(tries = TRIES)
    void softmax(@ForAll("singleDim") DimCase c) {
        assertGradients(in -> in[0].softmax(c.dim()), c.x().leaf());
    }

    @Property(tries = TRIES)
    void logSoftmax(@ForAll("singleDim") DimCase c) {
        assertGradients(in -> in[0].logSoftmax(c.dim()), c.x().leaf());
    }

    @Property(tries = TRIES)
    void logSumExp(@ForAll("singleDim") DimCase c) {
        assertGradients(in -> in[0].logSumExp(c.dim(), c.keepDim()), c.x().leaf());
    }

    // ============================================================================================ matmul

    private static Arbitrary<Integer> size() {
        return Arbitraries.integers().between(1, 6);
    }

    @Provide
    Arbitrary<MatMulCase> vectorVector() {
        return size().flatMap(k -> matmulOf(new int[] {k}, new int[] {k}));
    }

    @Provide
    Arbitrary<MatMulCase> matrixVector() {
        return Combinators.combine(size(), size()).as((m, k) -> new int[] {m, k})
                .flatMap(mk -> matmulOf(mk, new int[] {mk[1]}));
    }

    @Provide
    Arbitrary<MatMulCase> vectorMatrix() {
        return Combinators.combine(size(), size()).as((k, n) -> new int[] {k, n})
                .flatMap(kn -> matmulOf(new int[] {kn[0]}, kn));
    }

    @Provide
    Arbitrary<MatMulCase> matrixMatrix() {
        return Combinators.combine(size(), size(), size()).as((m, k, n) -> new int[] {m, k, n})
                .flatMap(mkn -> matmulOf(new int[] {mkn[0], mkn[1]}, new int[] {mkn[1], mkn[2]}));
    }

    /**
     * Batch dims that broadcast (up to rank 3, at most 6 batches), matrices up to 3x3; now and then one side is a
     * plain vector, which matmul treats as a row or column.
     */
    @Provide
    Arbitrary<MatMulCase> batched() {
        return TensorArbitraries.matmulCases(3, 3, 6, 3, 5, (batch, m, k, n, vectorSide) -> {
            int[] a = vectorSide == 1 ? new int[] {k} : append(batch[0], m, k);
            int[] b = vectorSide == 2 ? new int[] {k} : append(batch[1], k, n);
            return new int[][] {a, b};
        });
    }

    private static void assertMatMulGradients(MatMulCase c, boolean both) {
        assertGradients(in -> in[0].matmul(in[1]), c.a().leaf(), second(c.b(), both));
        assertGradients(in -> in[0].matmul(in[1]), c.a().tensor(), c.b().leaf());
    }

    @Property(tries = TRIES)
    void matmulVectorVector(@ForAll("vectorVector") MatMulCase c, @ForAll boolean both) {
        assertMatMulGradients(c, both);
    }

    @Property(tries = TRIES)
    void matmulMatrixVector(@ForAll("matrixVector") MatMulCase c, @ForAll boolean both) {
        assertMatMulGradients(c, both);
    }

    @Property(tries = TRIES)
    void matmulVectorMatrix(@ForAll("vectorMatrix") MatMulCase c, @ForAll boolean both) {
        assertMatMulGradients(c, both);
    }

    @Property(tries = TRIES)
    void matmulMatrixMatrix(@ForAll("matrixMatrix") MatMulCase c, @ForAll boolean both) {
        assertMatMulGradients(c, both);
    }

    @Property(tries = TRIES)
    void matmulBatchedWithBroadcastBatchDims(@ForAll("batched") MatMulCase c, @ForAll boolean both) {
        assertMatMulGradients(c, both);
    }

    // ============================================================================================ views

    @Provide
    Arbitrary<TargetCase> reshapeCase() {
        return TensorArbitraries.reshapeCases(anyTensor());
    }

    @Property(tries = TRIES)
    void reshape(@ForAll("reshapeCase") TargetCase c) {
        assertGradients(in -> in[0].reshape(c.target()), c.x().leaf());
    }

    /** view needs a compatible layout, so the input is contiguous here (ForwardProperties covers the rest). */
    @Property(tries = TRIES)
    void view(@ForAll("reshapeCase") TargetCase c) {
        assertGradients(in -> in[0].view(c.target()), c.x().withLayout(Layout.CONTIGUOUS).leaf());
    }

    record FlattenCase(TensorData x, int startDim, int endDim) {
    }

    @Provide
    Arbitrary<FlattenCase> flattenCase() {
        return tensors(shapes(1, 4), anyValues()).flatMap(x -> {
            int r = x.rank();
            return Combinators.combine(Arbitraries.integers().between(0, r - 1), Arbitraries.integers().between(0, r - 1),
                    Arbitraries.of(false, true)).as((a, b, negative) -> {
                        int start = Math.min(a, b);
                        int end = Math.max(a, b);
                        return negative ? new FlattenCase(x, start - r, end - r) : new FlattenCase(x, start, end);
                    });
        });
    }

    @Property(tries = TRIES)
    void flatten(@ForAll("flattenCase") FlattenCase c) {
        assertGradients(in -> in[0].flatten(c.startDim(), c.endDim()), c.x().leaf());
        assertGradients(in -> in[0].flatten(), c.x().leaf());
    }

    @Provide
    Arbitrary<PermuteCase> permuteCase() {
        return TensorArbitraries.permuteCases(anyTensor());
    }

    @Property(tries = TRIES)
    void permute(@ForAll("permuteCase") PermuteCase c) {
        assertGradients(in -> in[0].permute(c.order()), c.x().leaf());
    }

    record TransposeCase(TensorData x, int dim0, int dim1) {
    }

    @Provide
    Arbitrary<TransposeCase> transposeCase() {
        return anyTensor().flatMap(x -> Combinators.combine(dims(x.rank()), dims(x.rank()))
                .as((a, b) -> new TransposeCase(x, a, b)));
    }

    @Property(tries = TRIES)
    void transpose(@ForAll("transposeCase") TransposeCase c) {
        assertGradients(in -> in[0].transpose(c.dim0(), c.dim1()), c.x().leaf());
    }

    @Provide
    Arbitrary<TensorData> atMostMatrix() {
        return tensors(shapes(0, 2), anyValues());
    }

    @Property(tries = TRIES)
    void t(@ForAll("atMostMatrix") TensorData x) {
        assertGradients(in -> in[0].t(), x.leaf());
    }

    @Provide
    Arbitrary<TensorData> batchOfMatrices() {
        return tensors(shapes(2, 4), anyValues());
    }

    @Property(tries = TRIES)
    void mT(@ForAll("batchOfMatrices") TensorData x) {
        assertGradients(in -> in[0].mT(), x.leaf());
    }

    /** Up to rank 3, sizes up to 4 and 16 elements; size-1 dims grow to 1..3, 0..2 new leading dims. */
    @Provide
    Arbitrary<TargetCase> expandCase() {
        return TensorArbitraries.expandCases(3, 4, 16, 3);
    }

    @Property(tries = TRIES)
    void expand(@ForAll("expandCase") TargetCase c) {
        assertGradients(in -> in[0].expand(c.target()), c.x().leaf());
    }

    record DimOnlyCase(TensorData x, int dim) {
    }

    @Provide
    Arbitrary<DimOnlyCase> squeezeCase() {
        return tensors(shapesWithOnes(0, 4, 7, 64), anyValues())
                .flatMap(x -> dims(x.rank()).map(d -> new DimOnlyCase(x, d)));
    }

    @Property(tries = TRIES)
    void squeeze(@ForAll("squeezeCase") DimOnlyCase c) {
        assertGradients(in -> in[0].squeeze(), c.x().leaf());
        assertGradients(in -> in[0].squeeze(c.dim()), c.x().leaf());
    }

    @Provide
    Arbitrary<DimOnlyCase> unsqueezeCase() {
        return anyTensor().flatMap(x -> Arbitraries.integers().between(-x.rank() - 1, x.rank())
                .map(d -> new DimOnlyCase(x, d)));
    }

    @Property(tries = TRIES)
    void unsqueeze(@ForAll("unsqueezeCase") DimOnlyCase c) {
        assertGradients(in -> in[0].unsqueeze(c.dim()), c.x().leaf());
    }

    record SliceCase(TensorData x, int dim, int start, int end, int step) {
    }

    /** Non-empty slices; start and end sometimes negative, end sometimes past the size (it is clipped). */
    @Provide
    Arbitrary<SliceCase> sliceCase() {
        return tensors(shapes(1, 4), anyValues()).flatMap(x -> dims(x.rank()).flatMap(dim -> {
            int size = x.shape()[dim < 0 ? dim + x.rank() : dim];
            return Combinators.combine(Arbitraries.integers().between(0, size - 1),
                    Arbitraries.integers().between(1, size + 2), Arbitraries.integers().between(1, 3),
                    Arbitraries.of(false, true), Arbitraries.of(false, true))
                    .as((start, length, step, negativeStart, negativeEnd) -> {
                        int end = start + length;
                        int s = negativeStart ? start - size : start;
                        int e = negativeEnd && end < size ? end - size : end;
                        return new SliceCase(x, dim, s, e, step);
                    });
        }));
    }

    @Property(tries = TRIES)
    void sliceWithStep(@ForAll("sliceCase") SliceCase c) {
        assertGradients(in -> in[0].slice(c.dim(), c.start(), c.end(), c.step()), c.x().leaf());
    }

    record NarrowCase(TensorData x, int dim, int start, int length) {
    }

    @Provide
    Arbitrary<NarrowCase> narrowCase() {
        return tensors(shapes(1, 4), anyValues()).flatMap(x -> dims(x.rank()).flatMap(dim -> {
            int size = x.shape()[dim < 0 ? dim + x.rank() : dim];
            return Arbitraries.integers().between(0, size - 1).flatMap(start ->
                    Combinators.combine(Arbitraries.integers().between(1, size - start), Arbitraries.of(false, true))
                            .as((length, negative) -> new NarrowCase(x, dim, negative ? start - size : start,
                                    length)));
        }));
    }

    @Property(tries = TRIES)
    void narrow(@ForAll("narrowCase") NarrowCase c) {
        assertGradients(in -> in[0].narrow(c.dim(), c.start(), c.length()), c.x().leaf());
    }

    record SelectCase(TensorData x, int dim, int index) {
    }

    @Provide
    Arbitrary<SelectCase> selectCase() {
        return tensors(shapes(1, 4), anyValues()).flatMap(x -> dims(x.rank()).flatMap(dim -> {
            int size = x.shape()[dim < 0 ? dim + x.rank() : dim];
            return Arbitraries.integers().between(-size, size - 1).map(i -> new SelectCase(x, dim, i));
        }));
    }

    @Property(tries = TRIES)
    void select(@ForAll("selectCase") SelectCase c) {
        assertGradients(in -> in[0].select(c.dim(), c.index()), c.x().leaf());
    }

    @Property(tries = TRIES)
    void contiguousCopyAndClone(@ForAll("anyTensor") TensorData x) {
        assertGradients(in -> in[0].contiguous(), x.leaf());
        assertGradients(in -> in[0].copy(), x.leaf());
        assertGradients(in -> in[0].cloneTensor().mul(in[0]), x.leaf());
    }

    // ============================================================================================ joining, indexing

    private static Tensor[] leaves(List<TensorData> parts) {
        return parts.stream().map(TensorData::leaf).toArray(Tensor[]::new);
    }

    /** 1..3 tensors whose sizes differ only along dim (1..4 there). */
    @Provide
    Arbitrary<JoinCase> concatCase() {
        return TensorArbitraries.concatCases(shapes(1, 3, 4, 16), 1, 4, 3);
    }

    @Property(tries = TRIES)
    void concat(@ForAll("concatCase") JoinCase c) {
        assertGradients(in -> Tensor.concat(c.dim(), in), leaves(c.parts()));
        assertGradients(in -> Tensor.concat(List.of(in), c.dim()), leaves(c.parts()));
    }

    @Provide
    Arbitrary<JoinCase> stackCase() {
        return TensorArbitraries.stackCases(shapes(0, 3, 4, 16), 3);
    }

    @Property(tries = TRIES)
    void stack(@ForAll("stackCase") JoinCase c) {
        assertGradients(in -> Tensor.stack(c.dim(), in), leaves(c.parts()));
    }

    record SplitCase(TensorData x, int dim, int splitSize, int[] sizes) {
        @Override
        public String toString() {
            return x + " dim " + dim + " splitSize " + splitSize + " sizes " + Arrays.toString(sizes);
        }
    }

    /** A split size up to one past the dim's size, and a list of sizes (some may be 0) adding up to it. */
    @Provide
    Arbitrary<SplitCase> splitCase() {
        return tensors(shapes(1, 4), anyValues()).flatMap(x -> dims(x.rank()).flatMap(dim -> {
            int size = x.shape()[dim < 0 ? dim + x.rank() : dim];
            Arbitrary<int[]> sizes = Arbitraries.integers().between(0, size).list().ofMinSize(0).ofMaxSize(3)
                    .map(cuts -> {
                        int[] points = cuts.stream().mapToInt(Integer::intValue).sorted().toArray();
                        int[] out = new int[points.length + 1];
                        int previous = 0;
                        for (int i = 0; i < points.length; i++) {
                            out[i] = points[i] - previous;
                            previous = points[i];
                        }
                        out[points.length] = size - previous;
                        return out;
                    });
            return Combinators.combine(Arbitraries.integers().between(1, size + 1), sizes)
                    .as((splitSize, s) -> new SplitCase(x, dim, splitSize, s));
        }));
    }

    /** Each piece is scaled by a different factor, so a gradient routed to the wrong piece shows. */
    private static Tensor weightedPieces(List<Tensor> pieces) {
        Tensor[] flat = new Tensor[pieces.size()];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = pieces.get(i).mul(i + 1.0).reshape(-1);
        }
        return Tensor.concat(0, flat);
    }

    @Property(tries = TRIES)
    void split(@ForAll("splitCase") SplitCase c) {
        assertGradients(in -> weightedPieces(in[0].split(c.splitSize(), c.dim())), c.x().leaf());
        assertGradients(in -> weightedPieces(in[0].split(c.sizes(), c.dim())), c.x().leaf());
    }

    /** Index sizes up to the input's outside dim, up to 5 along dim; repeated indices are common. */
    @Provide
    Arbitrary<GatherCase> gatherCase() {
        return TensorArbitraries.gatherCases(tensors(shapes(0, 3, 5, 32), anyValues()), 5);
    }

    @Property(tries = TRIES)
    void gather(@ForAll("gatherCase") GatherCase c) {
        Tensor index = c.indexTensor();
        assertGradients(in -> in[0].gather(c.dim(), index), c.x().leaf());
    }

    record IndexSelectCase(TensorData x, int dim, int[] indices) {
        @Override
        public String toString() {
            return x + " dim " + dim + " indices " + Arrays.toString(indices);
        }
    }

    @Provide
    Arbitrary<IndexSelectCase> indexSelectCase() {
        return tensors(shapes(1, 3, 5, 32), anyValues()).flatMap(x -> dims(x.rank()).flatMap(dim -> {
            int size = x.shape()[dim < 0 ? dim + x.rank() : dim];
            return Arbitraries.integers().between(0, size - 1).list().ofMinSize(1).ofMaxSize(5)
                    .map(list -> new IndexSelectCase(x, dim, list.stream().mapToInt(Integer::intValue).toArray()));
        }));
    }

    @Property(tries = TRIES)
    void indexSelect(@ForAll("indexSelectCase") IndexSelectCase c) {
        assertGradients(in -> in[0].indexSelect(c.dim(), c.indices()), c.x().leaf());
        Tensor indexTensor = Tensor.of(Arrays.stream(c.indices()).asLongStream().toArray());
        assertGradients(in -> in[0].indexSelect(c.dim(), indexTensor), c.x().leaf());
    }

    // ============================================================================================ compositions

    record TransposedProductCase(TensorData x, TensorData y, int start, int step) {
    }

    /** x is [k, m]; y has enough rows that slice(0, start, ..., step) picks exactly k of them. */
    @Provide
    Arbitrary<TransposedProductCase> transposedProductCase() {
        Arbitrary<Integer> small = Arbitraries.integers().between(1, 4);
        return Combinators.combine(small, small, small, Arbitraries.integers().between(0, 2),
                        Arbitraries.integers().between(1, 3))
                .as((k, m, n, start, step) -> new int[] {k, m, n, start, step})
                .flatMap(p -> {
                    int rows = p[3] + (p[0] - 1) * p[4] + 1 + p[3];
                    return tensors(new int[][] {{p[0], p[1]}, {rows, p[2]}}, List.of(anyValues(), anyValues()))
                            .map(t -> new TransposedProductCase(t.get(0), t.get(1), p[3], p[4]));
                });
    }

    @Property(tries = TRIES)
    void transposedTimesSlicedView(@ForAll("transposedProductCase") TransposedProductCase c) {
        int k = c.x().shape()[0];
        int end = c.start() + (k - 1) * c.step() + 1;
        assertGradients(in -> in[0].t().matmul(in[1].slice(0, c.start(), end, c.step())), c.x().leaf(), c.y().leaf());
    }

    record ExpandedProductCase(TargetCase expand, TensorData y) {
    }

    /** y has the expanded shape, so the product's gradient for x sums over every copy expand made. */
    @Provide
    Arbitrary<ExpandedProductCase> expandedProductCase() {
        return expandCase().flatMap(c -> {
            int[] full = c.target().clone();
            int lead = full.length - c.x().rank();
            for (int d = 0; d < c.x().rank(); d++) {
                if (full[lead + d] == -1) full[lead + d] = c.x().shape()[d];
            }
            return tensors(full, anyValues()).map(y -> new ExpandedProductCase(c, y));
        });
    }

    @Property(tries = TRIES)
    void expandedTimesTensor(@ForAll("expandedProductCase") ExpandedProductCase c) {
        int[] target = c.expand().target();
        assertGradients(in -> in[0].expand(target).mul(in[1]), c.expand().x().leaf(), c.y().leaf());
    }

    /** A chain of views between two non-linear ops: permute, unsqueeze, expand, strided slice, reshape. */
    @Property(tries = TRIES)
    void chainOfViews(@ForAll("permuteCase") PermuteCase c) {
        int rank = c.x().rank();
        int[] expanded = new int[rank + 1];
        Arrays.fill(expanded, -1);
        expanded[0] = 2;
        assertGradients(in -> in[0].tanh().permute(c.order()).unsqueeze(0).expand(expanded)
                .slice(-1, 0, Integer.MAX_VALUE, 2).reshape(-1).exp(), c.x().leaf());
    }

    /** An input reached along two paths (a transpose and a select) gets the sum of both gradients. */
    @Property(tries = TRIES)
    void inputUsedThroughTwoViews(@ForAll("batchOfMatrices") TensorData x) {
        assertGradients(in -> in[0].mT().matmul(in[0]), x.leaf());
        assertGradients(in -> in[0].mul(in[0].select(0, 0)), x.leaf());
    }

    /** Each op's backward receives a gradient that is an expanded (stride-0) view, made by the reduction after it. */
    @Property(tries = TRIES)
    void gradientsArrivingAsExpandedViews(@ForAll("matrixMatrix") MatMulCase c) {
        int rows = c.a().shape()[0];
        int cols = c.a().shape()[1];
        assertGradients(in -> in[0].matmul(in[1]).sum(0), c.a().leaf(), c.b().leaf());
        assertGradients(in -> in[0].matmul(in[1]).mean(-1, true), c.a().leaf(), c.b().leaf());
        assertGradients(in -> in[0].indexSelect(0, 0, rows - 1, 0).slice(1, 0, cols, 2).sum(0), c.a().leaf());
        assertGradients(in -> Tensor.concat(0, in[0], in[0].exp()).gather(0, Tensor.zeros(DType.INT64, 1, cols))
                .sum(), c.a().leaf());
    }

    /** x op x: the engine sums the two contributions (for maximum and minimum, the tie halves add up to 1). */
    @Property(tries = TRIES)
    void sameTensorAsBothOperands(@ForAll("positiveTensor") TensorData x) {
        assertGradients(in -> in[0].add(in[0]), x.leaf());
        assertGradients(in -> in[0].sub(in[0]), x.leaf());
        assertGradients(in -> in[0].mul(in[0]), x.leaf());
        assertGradients(in -> in[0].div(in[0]), x.leaf());
        assertGradients(in -> in[0].pow(in[0]), x.leaf());
        assertGradients(in -> in[0].maximum(in[0]), x.leaf());
        assertGradients(in -> in[0].minimum(in[0]), x.leaf());
    }

    /**
     * Over a retained graph a second backward computes bit-for-bit the same gradients, and accumulating two of
     * them doubles the gradient (up to the order of the additions: a reaches the loss along two paths).
     */
    @Property(tries = TRIES)
    void backwardTwiceGivesTheSameGradient(@ForAll("batched") MatMulCase c) {
        Tensor a = c.a().leaf();
        Tensor b = c.b().leaf();
        Tensor loss = a.matmul(b).tanh().reshape(-1).softmax(0).log().mul(a.sum()).sum();
        List<Tensor> first = Autograd.grad(List.of(loss), List.of(a, b), null, true, false, false);
        List<Tensor> second = Autograd.grad(List.of(loss), List.of(a, b), null, true, false, false);
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(first.get(i).toDoubleArray(), second.get(i).toDoubleArray(), "input " + i);
        }
        loss.backward(null, true, false);
        loss.backward(null, true, false);
        Tensor[] leaves = {a, b};
        for (int i = 0; i < 2; i++) {
            double[] once = first.get(i).toDoubleArray();
            double[] twice = leaves[i].grad().toDoubleArray();
            for (int j = 0; j < once.length; j++) {
                assertEquals(2 * once[j], twice[j], 1e-12 * (1 + Math.abs(once[j])), "input " + i + " element " + j);
            }
        }
    }

    @Provide
    Arbitrary<ReductionCase> tiedReduction() {
        return reductions(tensors(shapes(0, 4), Arbitraries.of(0.0, 1.0, 2.0)));
    }

    /**
     * At ties (not differentiable, so not for GradCheck) amax and amin share the gradient evenly among the tied
     * extrema, as torch.amax does.
     */
    @Property(tries = TRIES)
    void amaxAndAminShareTheGradientAmongTies(@ForAll("tiedReduction") ReductionCase c, @ForAll boolean max) {
        Tensor x = c.x().leaf();
        (max ? x.amax(c.dims(), c.keepDim()) : x.amin(c.dims(), c.keepDim())).sum().backward();
        int[] shape = c.x().shape();
        int rank = shape.length;
        boolean[] reduced = new boolean[rank];
        for (int d = 0; d < rank; d++) reduced[d] = c.dims().length == 0;
        for (int d : c.dims()) if (rank > 0) reduced[d < 0 ? d + rank : d] = true;
        double[] values = c.x().values();
        double[] grad = x.grad().toDoubleArray();
        for (int i = 0; i < values.length; i++) {
            int[] index = TensorArbitraries.unflatten(i, shape);
            double extremum = max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            int ties = 0;
            for (int j = 0; j < values.length; j++) {
                if (sameGroup(index, TensorArbitraries.unflatten(j, shape), reduced)) {
                    extremum = max ? Math.max(extremum, values[j]) : Math.min(extremum, values[j]);
                }
            }
            for (int j = 0; j < values.length; j++) {
                if (sameGroup(index, TensorArbitraries.unflatten(j, shape), reduced) && values[j] == extremum) ties++;
            }
            double expected = values[i] == extremum ? 1.0 / ties : 0;
            assertEquals(expected, grad[i], 1e-15, "element " + Arrays.toString(index));
        }
    }

    private static boolean sameGroup(int[] a, int[] b, boolean[] reduced) {
        for (int d = 0; d < a.length; d++) {
            if (!reduced[d] && a[d] != b[d]) return false;
        }
        return true;
    }

    /** Ops whose float32 backward must agree with float64 up to float32 rounding (domains adapted inside). */
    enum Float32Case {
        EXP(x -> x.exp()),
        LOG(x -> x.abs().add(0.5).log()),
        SQRT(x -> x.abs().add(0.5).sqrt()),
        RSQRT(x -> x.abs().add(0.5).rsqrt()),
        RECIPROCAL(x -> x.abs().add(0.5).reciprocal()),
        POW(x -> x.abs().add(0.5).pow(2.5)),
        POW_TENSOR(x -> x.abs().add(0.5).pow(x)),
        DIV(x -> x.div(x.abs().add(0.5))),
        SIGMOID(x -> x.sigmoid()),
        TANH(x -> x.tanh()),
        SIN_COS(x -> x.sin().mul(x.cos())),
        ERF(x -> x.erf()),
        LOG1P_EXPM1(x -> x.abs().log1p().add(x.expm1())),
        RELU_CLAMP(x -> x.relu().add(x.clamp(-0.5, 0.7))),
        MAXIMUM(x -> x.maximum(x.mul(0.5)).add(x.minimum(x.mul(-0.5)))),
        SOFTMAX(x -> x.softmax(-1)),
        LOG_SOFTMAX(x -> x.logSoftmax(0)),
        LOG_SUM_EXP(x -> x.logSumExp(-1, true)),
        MEAN_VAR(x -> x.mean(new int[] {0}, true).add(x.var(new int[] {-1}, 0, true))
                .add(x.var(new int[0], 0, false))),
        MATMUL(x -> x.dim() >= 2 ? x.matmul(x.mT()) : x.matmul(x)),
        WHERE(x -> Tensor.where(x.gt(0), x.square(), x.neg())),
        VIEWS(x -> x.transpose(0, -1).unsqueeze(0).expand(2, -1, -1, -1, -1).reshape(-1).exp());

        final UnaryOperator<Tensor> op;

        Float32Case(UnaryOperator<Tensor> op) {
            this.op = op;
        }
    }

    @Provide
    Arbitrary<TensorData> atMostRank4Vector() {
        return tensors(shapes(1, 4), anyValues());
    }

    /** Same values, same upstream gradient, float32 and float64: the gradients differ by rounding only. */
    @Property(tries = TRIES)
    void float32GradientsMatchFloat64(@ForAll("atMostRank4Vector") TensorData data, @ForAll Float32Case op,
                                      @ForAll long seed) {
        Float32Case c = op == Float32Case.VIEWS && data.rank() != 4 ? Float32Case.EXP : op;
        Tensor x64 = data.leaf();
        Tensor x32 = data.tensor(DType.FLOAT32).requiresGrad(true);
        Tensor y64 = c.op.apply(x64);
        Tensor y32 = c.op.apply(x32);
        assertEquals(DType.FLOAT32, y32.dtype());
        Tensor upstream = Tensor.randn(new SplittableRandom(seed), DType.FLOAT64, y64.shape());
        y64.backward(upstream);
        y32.backward(upstream.to(DType.FLOAT32));
        assertEquals(DType.FLOAT32, x32.grad().dtype());
        double[] expected = x64.grad().toDoubleArray();
        double[] actual = x32.grad().toDoubleArray();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-4 * (1 + Math.abs(expected[i])), c + " element " + i);
        }
    }

    // ============================================================================================ larger, directional

    private static Tensor randn(SplittableRandom rng, int... shape) {
        return Tensor.randn(rng, DType.FLOAT64, shape).requiresGrad(true);
    }

    @Property(tries = FEW_TRIES)
    void denseLayerWithLogSoftmax(@ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor x = randn(rng, 12, 20);
        Tensor w = randn(rng, 20, 8);
        Tensor b = randn(rng, 8);
        assertDirectional(in -> in[0].matmul(in[1]).add(in[2]).tanh().logSoftmax(-1), seed, x, w, b);
    }

    @Property(tries = FEW_TRIES)
    void attentionWithBroadcastValues(@ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor q = randn(rng, 2, 5, 6);
        Tensor k = randn(rng, 2, 7, 6);
        Tensor v = randn(rng, 7, 4);
        assertDirectional(in -> in[0].matmul(in[1].mT()).div(Math.sqrt(6)).softmax(-1).matmul(in[2]), seed, q, k, v);
    }

    @Property(tries = FEW_TRIES)
    void normalisationOverStridedView(@ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor x = randn(rng, 30, 6);
        Tensor gamma = randn(rng, 30);
        assertDirectional(in -> {
            Tensor rows = in[0].t();
            Tensor centered = rows.sub(rows.mean(1, true));
            return centered.div(rows.std(new int[] {1}, 1, true).add(1e-5)).mul(in[1]).sigmoid().sum(0);
        }, seed, x, gamma);
    }
}
