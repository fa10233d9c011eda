package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * GradCheck's tolerance is inclusive, as {@code torch.allclose}'s {@code |a - b| <= atol + rtol |b|}: an error of
 * exactly the tolerance passes, one ulp more fails. The functions below are constant (finite differences give
 * exactly 0) with a backward that returns a chosen gradient, so the error is known exactly.
 */
class GradCheckToleranceBoundaryTest {

    /** Forward ignores its input; backward returns {@code gradient} whatever the output's gradient. */
    private static GradCheck.Fn constantWithGradient(double gradient) {
        return in -> new Function() {
            @Override
            protected Tensor forward(FunctionContext ctx, Tensor... inputs) {
                return Tensor.zeros(DType.FLOAT64, 1);
            }

            @Override
            protected Tensor[] backward(FunctionContext ctx, Tensor g) {
                return new Tensor[] {Tensor.of(new double[] {gradient}, 1)};
            }
        }.apply(in[0]);
    }

    private static Tensor input() {
        return Tensor.of(new double[] {0.25}, 1).requiresGrad(true);
    }

    @Test
    void fullCheckPassesAtExactlyTheAbsoluteTolerance() {
        double atol = 0.125;
        GradCheck.Result atBound = GradCheck.check(constantWithGradient(atol), GradCheck.EPS, atol, 0.5, input());
        assertTrue(atBound.passed(), atBound.report());
        assertEquals(0.0, atBound.worstError(), 0.0);
        GradCheck.Result above = GradCheck.check(constantWithGradient(Math.nextUp(atol)), GradCheck.EPS, atol, 0.5,
                input());
        assertFalse(above.passed(), above.report());
    }

    /**
     * The directional check's error is {@code |<J^T u, t>|} here, with {@code u} and {@code t} drawn from the seed
     * (u for the output, then t for the input: the order GradCheck draws them in): a gradient of
     * {@code ATOL / (u t)}, nudged by ulps until the product is exactly ATOL, sits on the boundary.
     */
    @Test
    void directionalCheckPassesAtExactlyTheTolerance() {
        for (long seed = 1; seed < 200; seed++) {
            SplittableRandom rng = new SplittableRandom(seed);
            Tensor.randn(rng, DType.FLOAT64, 1);   // u, drawn first
            double t = Tensor.randn(rng, DType.FLOAT64, 1).toDoubleArray()[0];
            Double onBound = gradientGivingExactly(GradCheck.ATOL, t);
            if (onBound == null) {
                continue;
            }
            // the custom backward ignores u: the analytical side is gradient * t
            GradCheck.Result at = GradCheck.checkDirectional(constantWithGradient(onBound), seed, input());
            assertTrue(at.passed(), "seed " + seed + ": " + at.report());
            assertEquals(GradCheck.ATOL, at.worstError(), 0.0);
            double beyond = nextAway(onBound);
            GradCheck.Result over = GradCheck.checkDirectional(constantWithGradient(beyond), seed, input());
            if (Math.abs(beyond * t) > GradCheck.ATOL) {
                assertFalse(over.passed(), "seed " + seed + ": " + over.report());
                return;
            }
        }
        throw new AssertionError("no seed below 200 gave a gradient whose product with t is exactly ATOL");
    }

    private static double nextAway(double v) {
        return v > 0 ? Math.nextUp(v) : Math.nextDown(v);
    }

    /** A gradient g with {@code |g * t| == target} exactly in double arithmetic, or null if none is near. */
    private static Double gradientGivingExactly(double target, double t) {
        double g = target / t;
        for (int step = 0; step < 8; step++) {
            for (double candidate : new double[] {g, -g}) {
                if (Math.abs(candidate * t) == target) {
                    return candidate;
                }
            }
            g = Math.abs(g * t) < target ? nextAway(g) : Math.nextAfter(g, 0.0);
        }
        return null;
    }
}
