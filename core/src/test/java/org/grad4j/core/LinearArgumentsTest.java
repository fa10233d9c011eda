package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@code Tensor.linear}'s refusals name linear and the user's shapes, and its result is {@code x W^T + b}. */
class LinearArgumentsTest {
    private final SplittableRandom rng = new SplittableRandom(3);
    private final Tensor weight = Tensor.randn(rng, DType.FLOAT64, 4, 3);
    private final Tensor bias = Tensor.randn(rng, DType.FLOAT64, 4);

    @Test
    void anInputWhoseLastDimIsNotTheInFeaturesIsRefusedNamingLinear() {
        Tensor x = Tensor.randn(rng, DType.FLOAT64, 2, 5);
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> Tensor.linear(x, weight, bias));
        assertTrue(e.getMessage().startsWith("linear: "), e.getMessage());
        assertTrue(e.getMessage().contains("[4, 3]") && e.getMessage().contains("[2, 5]"), e.getMessage());
        Tensor scalar = Tensor.scalar(1.0, DType.FLOAT64);
        assertTrue(assertThrows(ShapeMismatchException.class, () -> Tensor.linear(scalar, weight, null))
                .getMessage().startsWith("linear: "));
    }

    @Test
    void aBiasOfAnotherSizeIsRefusedNamingLinear() {
        Tensor x = Tensor.randn(rng, DType.FLOAT64, 2, 3);
        Tensor wrongBias = Tensor.zeros(DType.FLOAT64, 3);
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class,
                () -> Tensor.linear(x, weight, wrongBias));
        assertTrue(e.getMessage().startsWith("linear: ") && e.getMessage().contains("bias shape [3]"),
                e.getMessage());
    }

    @Test
    void theResultIsTheProductWithTheTransposedWeightPlusTheBias() {
        for (int[] shape : new int[][] {{2, 3}, {3}, {2, 2, 3}}) {
            Tensor x = Tensor.randn(rng, DType.FLOAT64, shape);
            double[] expected = naive(x.toDoubleArray(), weight.toDoubleArray(), bias.toDoubleArray());
            assertArrayEquals(expected, Tensor.linear(x, weight, bias).toDoubleArray(), 1e-12);
        }
    }

    private static double[] naive(double[] x, double[] w, double[] b) {
        int rows = x.length / 3;
        double[] out = new double[rows * 4];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < 4; o++) {
                double sum = b[o];
                for (int i = 0; i < 3; i++) {
                    sum += x[r * 3 + i] * w[o * 3 + i];
                }
                out[r * 4 + o] = sum;
            }
        }
        return out;
    }
}
