package org.grad4j.core;

import static org.grad4j.core.TensorArbitraries.anyValues;
import static org.grad4j.core.TensorArbitraries.broadcastShapes;
import static org.grad4j.core.TensorArbitraries.nonZeroValues;
import static org.grad4j.core.TensorArbitraries.positiveValues;
import static org.grad4j.core.TensorArbitraries.shapes;
import static org.grad4j.core.TensorArbitraries.tensors;
import static org.grad4j.core.TensorArbitraries.valuesAwayFrom;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.grad4j.core.TensorArbitraries.TensorData;

/**
 * First and second derivatives of the element-wise functions of issue 8 against float64 central differences
 * ({@link GradCheck}), over generated shapes, layouts (contiguous, permuted, strided) and values from each
 * function's smooth domain; binary and ternary ops over shapes that broadcast, with either operand a constant.
 * Second-order inputs are smaller (at most 16 elements), as in {@code SecondOrderProperties}.
 */
class ElementwiseGradientProperties {
    private static final int TRIES = 30;
    private static final int SECOND_TRIES = 15;

    private static void first(GradCheck.Fn f, Tensor... inputs) {
        GradCheck.assertGradients(f, inputs);
    }

    private static void second(long seed, GradCheck.Fn f, Tensor... inputs) {
        GradCheck.Result result = GradCheck.checkSecondOrder(f, seed, inputs);
        assertTrue(result.passed(), result::report);
    }

    /** Both orders: the first on the given inputs, the second on the same values (they are small enough). */
    private static void both(long seed, GradCheck.Fn f, Tensor... inputs) {
        first(f, inputs);
        if (numel(inputs) <= 24) {
            second(seed, f, inputs);
        }
    }

    private static int numel(Tensor... inputs) {
        int n = 0;
        for (Tensor t : inputs) n += t.numel();
        return n;
    }

    private static Tensor operand(TensorData data, boolean requiresGrad) {
        return requiresGrad ? data.leaf() : data.tensor();
    }

    private static Arbitrary<TensorData> unary(Arbitrary<Double> values) {
        return tensors(shapes(0, 3, 4, 24), values);
    }

    private static Arbitrary<List<TensorData>> pairs(Arbitrary<Double> a, Arbitrary<Double> b) {
        return broadcastShapes(2, 3, 4, 16).flatMap(s -> tensors(s, List.of(a, b)));
    }

    // ============================================================================================ unary

    @Provide
    Arbitrary<TensorData> anyTensor() {
        return unary(anyValues());
    }

    @Provide
    Arbitrary<TensorData> tanDomain() {
        return unary(Arbitraries.doubles().between(-1.2, 1.2).ofScale(4));
    }

    @Provide
    Arbitrary<TensorData> insideUnit() {
        return unary(Arbitraries.doubles().between(-0.9, 0.9).ofScale(4));
    }

    @Provide
    Arbitrary<TensorData> aboveOne() {
        return unary(Arbitraries.doubles().between(1.1, 4).ofScale(4));
    }

    @Provide
    Arbitrary<TensorData> positiveTensor() {
        return unary(positiveValues());
    }

    @Provide
    Arbitrary<TensorData> awayFromIntegers() {
        return unary(valuesAwayFrom(-2.9, 2.9, -2.5, -2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2, 2.5));
    }

    @Property(tries = TRIES)
    void tan(@ForAll("tanDomain") TensorData x, @ForAll long seed) {
        both(seed, in -> in[0].tan(), x.leaf());
    }

    @Property(tries = TRIES)
    void asinAcosAtanh(@ForAll("insideUnit") TensorData x, @ForAll long seed) {
        both(seed, in -> in[0].asin(), x.leaf());
        both(seed, in -> in[0].acos(), x.leaf());
        both(seed, in -> in[0].atanh(), x.leaf());
    }

    @Property(tries = TRIES)
    void atanSinhCoshAsinhExp2(@ForAll("anyTensor") TensorData x, @ForAll long seed) {
        both(seed, in -> in[0].atan(), x.leaf());
        both(seed, in -> in[0].sinh(), x.leaf());
        both(seed, in -> in[0].cosh(), x.leaf());
        both(seed, in -> in[0].asinh(), x.leaf());
        both(seed, in -> in[0].exp2(), x.leaf());
    }

    @Property(tries = TRIES)
    void acosh(@ForAll("aboveOne") TensorData x, @ForAll long seed) {
        both(seed, in -> in[0].acosh(), x.leaf());
    }

    @Property(tries = TRIES)
    void log2AndLog10(@ForAll("positiveTensor") TensorData x, @ForAll long seed) {
        both(seed, in -> in[0].log2(), x.leaf());
        both(seed, in -> in[0].log10(), x.leaf());
    }

    /**
     * Away from the integers (and halves, for round) the rounding ops are locally constant, so finite differences
     * see zero, and frac is x minus a constant; composed with square, their second derivatives are checked too.
     */
    @Property(tries = TRIES)
    void roundingAndFrac(@ForAll("awayFromIntegers") TensorData x, @ForAll long seed) {
        both(seed, in -> in[0].floor().add(in[0].square()), x.leaf());
        both(seed, in -> in[0].ceil().mul(in[0]), x.leaf());
        both(seed, in -> in[0].round().mul(in[0].sin()), x.leaf());
        both(seed, in -> in[0].trunc().add(in[0].exp()), x.leaf());
        both(seed, in -> in[0].round(-1).add(in[0].square()), x.leaf());
        both(seed, in -> in[0].frac().square(), x.leaf());
    }

    @Property(tries = TRIES)
    void nanToNumOnFiniteValues(@ForAll("anyTensor") TensorData x, @ForAll long seed) {
        both(seed, in -> in[0].square().nanToNum(), x.leaf());
        both(seed, in -> in[0].exp().nanToNum(0.5, 1.0, -1.0), x.leaf());
    }

    // ============================================================================================ binary

    @Provide
    Arbitrary<List<TensorData>> anyPair() {
        return pairs(anyValues(), anyValues());
    }

    @Provide
    Arbitrary<List<TensorData>> nonZeroPair() {
        return pairs(nonZeroValues(0.3, 2), nonZeroValues(0.3, 2));
    }

    /** |a / b| in [2.09, 2.8]: trunc(a / b) = +-2 all around, away from fmod's jumps. */
    @Provide
    Arbitrary<List<TensorData>> fmodPair() {
        return pairs(nonZeroValues(2.2, 2.8), nonZeroValues(1.0, 1.05));
    }

    @Property(tries = TRIES)
    void atan2(@ForAll("nonZeroPair") List<TensorData> p, @ForAll boolean both, @ForAll long seed) {
        both(seed, in -> in[0].atan2(in[1]), p.get(0).leaf(), operand(p.get(1), both));
        both(seed, in -> in[1].atan2(in[0]), p.get(0).leaf(), operand(p.get(1), both));
    }

    @Property(tries = TRIES)
    void hypot(@ForAll("nonZeroPair") List<TensorData> p, @ForAll boolean both, @ForAll long seed) {
        both(seed, in -> in[0].hypot(in[1]), p.get(0).leaf(), operand(p.get(1), both));
    }

    @Property(tries = TRIES)
    void logAddExp(@ForAll("anyPair") List<TensorData> p, @ForAll boolean both, @ForAll long seed) {
        both(seed, in -> in[0].logAddExp(in[1]), p.get(0).leaf(), operand(p.get(1), both));
        both(seed, in -> in[1].logAddExp2(in[0]), p.get(0).leaf(), operand(p.get(1), both));
    }

    @Property(tries = TRIES)
    void fmod(@ForAll("fmodPair") List<TensorData> p, @ForAll boolean both, @ForAll long seed) {
        both(seed, in -> in[0].fmod(in[1]).mul(in[1]), p.get(0).leaf(), operand(p.get(1), both));
        both(seed, in -> in[0].fmod(1.7).square(), p.get(0).leaf());
    }

    @Property(tries = TRIES)
    void lerpWithScalarWeight(@ForAll("anyPair") List<TensorData> p, @ForAll boolean both, @ForAll long seed) {
        for (double w : new double[] {-0.3, 0.25, 0.5, 0.9, 1.4}) {
            both(seed, in -> in[0].lerp(in[1], w).square(), p.get(0).leaf(), operand(p.get(1), both));
        }
    }

    // ============================================================================================ ternary

    @Provide
    Arbitrary<List<TensorData>> anyTriple() {
        return broadcastShapes(3, 3, 3, 12).flatMap(s -> tensors(s, List.of(anyValues(), anyValues(), anyValues())));
    }

    /** Pairwise distinct values across x and both bounds: no ties, so clamp is smooth near each point. */
    @Provide
    Arbitrary<List<TensorData>> distinctTriple() {
        return broadcastShapes(3, 3, 3, 12).flatMap(TensorArbitraries::distinctTensors);
    }

    @Property(tries = TRIES)
    void lerpWithTensorWeight(@ForAll("anyTriple") List<TensorData> p, @ForAll boolean constantEnd,
                              @ForAll long seed) {
        both(seed, in -> in[0].lerp(in[1], in[2]), p.get(0).leaf(), operand(p.get(1), !constantEnd),
                p.get(2).leaf());
    }

    /** Gradients routed to x, min and max as PyTorch's (min > max included: then max takes it). */
    @Property(tries = TRIES)
    void clampWithTensorBounds(@ForAll("distinctTriple") List<TensorData> p, @ForAll long seed) {
        Tensor x = p.get(0).leaf();
        Tensor lo = p.get(1).leaf();
        Tensor hi = p.get(2).leaf();
        both(seed, in -> in[0].clamp(in[1], in[2]).mul(in[0]), x, lo, hi);
        both(seed, in -> in[0].clamp(in[1], null).square(), x, lo);
        both(seed, in -> in[0].clamp(null, in[1]).exp(), x, hi);
        both(seed, in -> in[0].clampMin(in[1]).mul(in[1]), x, lo);
        both(seed, in -> in[0].clampMax(in[1]).sin(), x, hi);
    }
}
