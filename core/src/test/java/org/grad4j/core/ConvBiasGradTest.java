package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A convolution's bias gradient computed by the rule itself, channels split across threads: the same bits as the
 * reduction {@code g.sum(0, 2, 3)} with 1, 2 and 3 threads (shapes that take the split and shapes that fall back:
 * one image, one channel, one position), values against a naive float64 loop, and with createGraph a gradient that
 * is itself differentiable (the second derivative through the bias is that of the reduction).
 */
@ExtendWith(SplitSettingsRestored.class)
class ConvBiasGradTest {
    /** {batch, cin, h, w, cout, k, padding}. */
    private static final int[][] CASES = {
        {4, 2, 6, 6, 3, 3, 1},
        {5, 1, 9, 7, 7, 3, 0},
        {1, 2, 5, 5, 4, 3, 1},
        {3, 2, 5, 5, 1, 3, 1},
        {6, 3, 3, 3, 5, 3, 0},
        {3, 2, 4, 1, 2, 1, 0},
        {64, 1, 28, 28, 16, 5, 2},
    };

    private static Tensor biasGrad(int[] c, DType dtype, int threads, Tensor[] gOut) {
        Convolution.threads = threads;
        Convolution.minParallelWork = 0;
        SplittableRandom rng = new SplittableRandom(c[0] * 131L + c[4]);
        Tensor x = Tensor.randn(rng, dtype, c[0], c[1], c[2], c[3]);
        Tensor w = Tensor.randn(rng, dtype, c[4], c[1], c[5], c[5]);
        Tensor b = Tensor.randn(rng, dtype, c[4]).requiresGrad(true);
        int[] one = {1, 1};
        Tensor y = x.conv2d(w, b, one, new int[] {c[6], c[6]}, one, 1);
        Tensor g = Tensor.randn(rng, dtype, y.shape());
        // large and mixed-sign values so that the order of the additions shows in the bits
        g = g.mul(Tensor.randn(rng, dtype, y.shape()).mul(8).exp());
        y.backward(g);
        gOut[0] = g;
        return b.grad();
    }

    @Test
    void bitsAreThoseOfTheReductionWithOneTwoAndThreeThreads() {
        for (int[] c : CASES) {
            for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                Tensor[] g = new Tensor[1];
                Tensor one = biasGrad(c, dtype, 1, g);
                Tensor reduction = g[0].sum(new int[] {0, 2, 3}, false);
                for (int threads : new int[] {1, 2, 3}) {
                    Tensor many = biasGrad(c, dtype, threads, g);
                    String what = Arrays.toString(c) + " " + dtype + " threads " + threads;
                    assertEquals(dtype, many.dtype(), what);
                    assertArrayEquals(new int[] {c[4]}, many.shape(), what);
                    assertArrayEquals(reduction.toDoubleArray(), many.toDoubleArray(), 0.0, what);
                    assertArrayEquals(one.toDoubleArray(), many.toDoubleArray(), 0.0, what);
                }
            }
        }
    }

    @Test
    void valuesMatchANaiveFloat64Loop() {
        for (int[] c : CASES) {
            Tensor[] g = new Tensor[1];
            Tensor got = biasGrad(c, DType.FLOAT64, 2, g);
            double[] gs = g[0].toDoubleArray();
            int channels = c[4];
            int positions = gs.length / c[0] / channels;
            for (int ch = 0; ch < channels; ch++) {
                double sum = 0;
                double scale = 0;
                for (int n = 0; n < c[0]; n++) {
                    for (int p = 0; p < positions; p++) {
                        double v = gs[(n * channels + ch) * positions + p];
                        sum += v;
                        scale += Math.abs(v);
                    }
                }
                assertEquals(sum, got.toDoubleArray()[ch], 1e-12 * scale, Arrays.toString(c) + " channel " + ch);
            }
        }
    }

    @Test
    void withCreateGraphTheBiasGradientIsDifferentiable() {
        Convolution.threads = 2;
        Convolution.minParallelWork = 0;
        SplittableRandom rng = new SplittableRandom(5);
        Tensor x = Tensor.randn(rng, DType.FLOAT64, 3, 2, 5, 5);
        Tensor w = Tensor.randn(rng, DType.FLOAT64, 4, 2, 3, 3);
        Tensor b = Tensor.randn(rng, DType.FLOAT64, 4).requiresGrad(true);
        int[] one = {1, 1};
        Tensor y = x.conv2d(w, b, one, one, one, 1);
        // loss = sum(y^2) / 2: d loss / d b = sum(y), and d/db of sum(d loss / d b) = positions * batch per channel
        Tensor loss = y.mul(y).sum().mul(0.5);
        Tensor first = Autograd.grad(loss, b, true);
        assertTrue(first.requiresGrad(), "the bias gradient under createGraph must be recorded");
        assertArrayEquals(y.detach().sum(new int[] {0, 2, 3}, false).toDoubleArray(), first.toDoubleArray(), 1e-9);
        Tensor second = Autograd.grad(first.sum(), b, false);
        double[] expected = new double[4];
        Arrays.fill(expected, 3 * 5 * 5);
        assertArrayEquals(expected, second.toDoubleArray(), 1e-9);
    }
}
