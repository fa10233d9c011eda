package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The float64 paths of {@code log2}, {@code asinh}, {@code acosh} and {@code atanh} (grad4j's own formulas, one per
 * range) on both sides of every range boundary, against closed forms evaluated with {@link Math} and exact values.
 */
class StrictFunctionsFloat64Test {

    private static double apply(UnaryOperator<Tensor> op, double x) {
        return op.apply(Tensor.of(new double[] {x})).toDoubleArray()[0];
    }

    private static void assertNear(UnaryOperator<Tensor> op, DoubleUnaryOperator reference, String name, double... xs) {
        for (double x : xs) {
            double expected = reference.applyAsDouble(x);
            double actual = apply(op, x);
            assertEquals(expected, actual, 4 * Math.ulp(expected), name + "(" + x + ")");
        }
    }

    @Test
    void log2AcrossBinadesSubnormalsAndItsSpecialValues() {
        assertNear(Tensor::log2, x -> Math.log(x) / Math.log(2), "log2", 3, 1.1, 0.7, 1.4142135623730951,
                1.4142135623730954, 1e-3, 12345.678, 1e300, 5e-310, Double.MIN_NORMAL * 1.5);
        for (int e = -1074; e <= 1023; e += 97) {
            assertEquals(e, apply(Tensor::log2, Math.scalb(1.0, e)), "log2(2^" + e + ")");
        }
        assertEquals(-1022, apply(Tensor::log2, Double.MIN_NORMAL));
        assertEquals(Double.NEGATIVE_INFINITY, apply(Tensor::log2, 0.0));
        assertEquals(Double.POSITIVE_INFINITY, apply(Tensor::log2, Double.POSITIVE_INFINITY));
        assertEquals(Double.NaN, apply(Tensor::log2, -1.0));
        assertEquals(Double.NaN, apply(Tensor::log2, Double.NaN));
    }

    @Test
    void inverseHyperbolicsOnEachSideOfTheirRangeBoundaries() {
        double tiny = 0x1p-28;
        double huge = 0x1p28;
        // asinh(x) = ln(x + sqrt(x^2 + 1)); for small x the series x - x^3/6 avoids the cancellation
        assertNear(Tensor::asinh, x -> Math.abs(x) < 1e-3 ? x - x * x * x / 6 : Math.copySign(Math.log(Math.abs(x)
                + Math.sqrt(x * x + 1)), x), "asinh", 0.5, -0.5, 1.9, 2.0, 2.1, -3, 1e-5, -1e-5, tiny, 2 * tiny, 100);
        assertNear(Tensor::asinh, x -> Math.copySign(Math.log(2 * Math.abs(x)), x), "asinh", huge, 2 * huge, -1e20);
        assertEquals(-0.0, apply(Tensor::asinh, -0.0));
        assertEquals(0.5 * tiny, apply(Tensor::asinh, 0.5 * tiny));
        assertEquals(Double.NEGATIVE_INFINITY, apply(Tensor::asinh, Double.NEGATIVE_INFINITY));
        // acosh(x) = ln(x + sqrt(x^2 - 1))
        assertNear(Tensor::acosh, x -> Math.log(x + Math.sqrt(x * x - 1)), "acosh", 1.5, 1.9, 2.0, 2.1, 10, 1e6);
        assertNear(Tensor::acosh, x -> Math.log(2 * x), "acosh", huge, 4 * huge, 1e100);
        assertEquals(0.0, apply(Tensor::acosh, 1.0));
        assertEquals(Double.NaN, apply(Tensor::acosh, 0.999));
        assertEquals(Double.POSITIVE_INFINITY, apply(Tensor::acosh, Double.POSITIVE_INFINITY));
        // atanh(x) = ln((1 + x) / (1 - x)) / 2
        assertNear(Tensor::atanh, x -> 0.5 * Math.log((1 + x) / (1 - x)), "atanh", 0.25, 0.4999, 0.5, 0.5001, 0.9,
                -0.9, -0.3, 0.999999);
        assertNear(Tensor::atanh, x -> x + x * x * x / 3, "atanh", 1e-6, -1e-6, 2 * tiny);
        assertEquals(tiny / 2, apply(Tensor::atanh, tiny / 2));
        assertEquals(Double.POSITIVE_INFINITY, apply(Tensor::atanh, 1.0));
        assertEquals(Double.NEGATIVE_INFINITY, apply(Tensor::atanh, -1.0));
        assertEquals(Double.NaN, apply(Tensor::atanh, 1.0000000000000002));
        assertEquals(Double.NaN, apply(Tensor::atanh, Double.NaN));
    }
}
