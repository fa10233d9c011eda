package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * relu's derivative rule above the one-pass limit of 4,096 elements, which runs the SIMD kernel
 * {@code reluBackward} (split across threads from {@code grad4j.parallel.minElements}): the bits of its tensor-op form
 * {@code where(y > 0, g, 0)} for inputs salted with NaN, infinities, -0.0 and exact zeros, gradients with NaN and
 * -0.0, float32 and float64, contiguous gradients at an offset, 1, 2 and 3 threads; and with createGraph, the
 * tensor-op form itself.
 */
@ExtendWith(SplitSettingsRestored.class)
class ReluBackwardLargeTest {
    private static double salt(SplittableRandom rng) {
        return switch (rng.nextInt(12)) {
            case 0 -> Double.NaN;
            case 1 -> Double.POSITIVE_INFINITY;
            case 2 -> Double.NEGATIVE_INFINITY;
            case 3 -> -0.0;
            case 4 -> 0.0;
            case 5 -> Double.MIN_VALUE;
            default -> rng.nextGaussian();
        };
    }

    @Test
    void matchesWhereBitForBitOnAnyThreadCount() {
        long defaultMinElements = ParallelParts.minElements;
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int n : new int[] {4097, 5000, 70_003}) {
                SplittableRandom rng = new SplittableRandom(n);
                double[] xs = new double[n];
                double[] gs = new double[n + 3];
                for (int i = 0; i < n; i++) xs[i] = salt(rng);
                for (int i = 0; i < n + 3; i++) gs[i] = salt(rng);
                Tensor xd = Tensor.of(xs, n).to(dtype);
                // g at an offset of 3 in its storage: a contiguous view
                Tensor g = Tensor.of(gs, n + 3).to(dtype).narrow(0, 3, n);
                double[] expected = Tensor.where(xd.relu().gt(0), g, Tensor.scalar(0, dtype)).toDoubleArray();
                for (int threads : new int[] {1, 2, 3}) {
                    ParallelParts.threads = threads;
                    ParallelParts.minElements = threads == 1 ? defaultMinElements : 0;
                    Tensor x = xd.detach().requiresGrad(true);
                    x.relu().backward(g);
                    double[] actual = x.grad().toDoubleArray();
                    String what = dtype + " n " + n + " threads " + threads;
                    assertEquals(expected.length, actual.length, what);
                    for (int i = 0; i < n; i++) {
                        assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(actual[i]),
                                what + " element " + i + ": " + expected[i] + " vs " + actual[i]);
                    }
                }
            }
        }
    }

    @Test
    void withCreateGraphTheRuleStaysDifferentiable() {
        SplittableRandom rng = new SplittableRandom(2);
        Tensor x = Tensor.randn(rng, DType.FLOAT64, 5000).requiresGrad(true);
        Tensor y = x.relu();
        Tensor g = Tensor.randn(rng, DType.FLOAT64, 5000).requiresGrad(true);
        Tensor x2 = x.detach().requiresGrad(true);
        x2.relu().backward(g, false, true);
        Tensor dx = x2.grad();
        // d(sum(dx)) / dg = the mask y > 0, through the recorded rule
        dx.sum().backward();
        double[] mask = y.detach().gt(0).to(DType.FLOAT64).toDoubleArray();
        assertArrayEquals(mask, g.grad().toDoubleArray(), 0.0);
        assertArrayEquals(Tensor.where(y.detach().gt(0), g.detach(), Tensor.scalar(0, DType.FLOAT64))
                .toDoubleArray(), dx.detach().toDoubleArray(), 0.0);
    }
}
