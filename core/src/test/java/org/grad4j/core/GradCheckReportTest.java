package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * What GradCheck reports besides pass/fail: the worst element's excess over the tolerance (with a relative part),
 * which element is named on a tie (the first), NaN on both sides as agreement, the float64 requirement on inputs
 * and output, and the directional check's verdict both ways.
 */
class GradCheckReportTest {
    /** {@code 2x} element-wise with a deliberately wrong derivative {@code 2.5}. */
    private static final class Skewed extends Function {
        @Override
        protected Tensor forward(FunctionContext ctx, Tensor... in) {
            return in[0].mul(2);
        }

        @Override
        protected Tensor[] backward(FunctionContext ctx, Tensor grad) {
            return new Tensor[] {grad.mul(2.5)};
        }
    }

    private static final GradCheck.Fn SKEWED = in -> new Skewed().apply(in[0]);

    /** {@code 2000 x} with the derivative {@code 2000.5}: wrong by 0.025%, inside the relative tolerance of 0.1%. */
    private static final class SlightlyOff extends Function {
        @Override
        protected Tensor forward(FunctionContext ctx, Tensor... in) {
            return in[0].mul(2000);
        }

        @Override
        protected Tensor[] backward(FunctionContext ctx, Tensor grad) {
            return new Tensor[] {grad.mul(2000.5)};
        }
    }

    @Test
    void theWorstErrorIsTheExcessOverAbsoluteAndRelativeTolerance() {
        Tensor x = Tensor.of(new double[] {0.0}).requiresGrad(true);
        // error 0.5 (analytical 2.5, numerical exactly 2); tolerance 0.25 + 0.125 * 2 = 0.5 passes, 0.25 + 0.1 * 2 not
        GradCheck.Result failed = GradCheck.check(SKEWED, 1e-6, 0.25, 0.1, x);
        assertFalse(failed.passed());
        assertEquals(0.5 - (0.25 + 0.1 * 2), failed.worstError(), 1e-15);
        assertEquals(failed.report(), failed.toString());
        assertTrue(failed.report().startsWith("GradCheck FAILED (eps=1.0E-6, atol=0.25, rtol=0.1)"), failed.report());
    }

    @Test
    void onATieTheFirstWorstElementIsReported() {
        Tensor x = Tensor.of(new double[] {0.0, 0.0}).requiresGrad(true);
        GradCheck.Result r = GradCheck.check(SKEWED, 1e-6, 0.0, 0.0, x);
        assertTrue(r.report().contains("element [0], output element [0]: analytical 2.5"), r.report());
    }

    @Test
    void nanOnBothSidesAgreesAndNanOnOneSideDoesNot() {
        Tensor negative = Tensor.of(new double[] {-1.0}).requiresGrad(true);
        GradCheck.Result bothNan = GradCheck.check(in -> in[0].sqrt(), negative);
        assertTrue(bothNan.passed(), bothNan.report());
        GradCheck.Result oneNan = GradCheck.check(in -> in[0].mul(2).add(in[0].detach().sqrt().mul(0)), negative);
        assertFalse(oneNan.passed(), "analytical 2, numerical NaN: " + oneNan.report());
    }

    @Test
    void inputsAndOutputMustBeFloat64() {
        Tensor x64 = Tensor.of(new double[] {1.0}).requiresGrad(true);
        Tensor x32 = Tensor.of(new float[] {1f}).requiresGrad(true);
        assertThrows(DTypeMismatchException.class, () -> GradCheck.check(in -> in[0], x32));
        assertThrows(DTypeMismatchException.class, () -> GradCheck.checkDirectional(in -> in[0], 1, x32));
        assertThrows(DTypeMismatchException.class, () -> GradCheck.check(in -> in[0].to(DType.FLOAT32), x64));
        assertThrows(DTypeMismatchException.class,
                () -> GradCheck.checkDirectional(in -> in[0].to(DType.FLOAT32), 1, x64));
    }

    @Test
    void theDirectionalCheckPassesARightRuleAndFailsAWrongOne() {
        Tensor x = Tensor.of(new double[] {0.5, -1.5, 2.0}).requiresGrad(true);
        GradCheck.Result right = GradCheck.checkDirectional(in -> in[0].mul(2), 7, x);
        assertTrue(right.passed(), right.report());
        assertTrue(right.report().startsWith("directional GradCheck passed"), right.report());
        GradCheck.Result relative = GradCheck.checkDirectional(in -> new SlightlyOff().apply(in[0]), 7, x);
        assertTrue(relative.passed(), "the relative part of the tolerance scales with |<u, J t>|: " + relative.report());
        GradCheck.Result wrong = GradCheck.checkDirectional(SKEWED, 7, x);
        assertFalse(wrong.passed(), wrong.report());
        assertTrue(wrong.report().startsWith("directional GradCheck FAILED"), wrong.report());
    }
}
