package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A convolution's images split across threads: the forward, the input gradient and the weight gradient give the same
 * bits with 1, 2 and 3 threads (the weight gradient sums its images in fixed parts whatever the thread count), for
 * groups, strides, dilations, paddings, batches smaller and larger than the number of parts, and positions that do
 * and do not fill the GEMM's panels; the weight gradient also against a naive float64 loop. Max pooling splits its
 * planes the same way.
 */
@ExtendWith(SplitSettingsRestored.class)
class ConvolutionThreadsTest {
    /** {batch, cin, h, w, cout, k, stride, padding, dilation, groups}. */
    private static final int[][] CASES = {
        {1, 1, 5, 5, 2, 3, 1, 0, 1, 1},
        {3, 2, 7, 6, 4, 3, 1, 1, 1, 2},
        {5, 3, 9, 8, 3, 3, 2, 1, 1, 1},
        {6, 4, 12, 11, 6, 3, 1, 1, 1, 2},
        {7, 2, 10, 9, 4, 2, 1, 2, 2, 1},
        {9, 1, 28, 28, 4, 5, 1, 2, 1, 1},
        {4, 4, 14, 14, 4, 5, 1, 0, 1, 4},
        {2, 3, 40, 37, 2, 3, 1, 1, 1, 1},
    };

    private record Results(Tensor y, Tensor dx, Tensor dw) {
    }

    private static Results run(int[] c, DType dtype, int threads) {
        Convolution.threads = threads;
        Convolution.minParallelWork = 0;
        SplittableRandom rng = new SplittableRandom(c[0] * 31L + c[1]);
        Tensor x = Tensor.randn(rng, dtype, c[0], c[1], c[2], c[3]).requiresGrad(true);
        Tensor w = Tensor.randn(rng, dtype, c[4], c[1] / c[9], c[5], c[5]).requiresGrad(true);
        int[] s = {c[6], c[6]};
        int[] p = {c[7], c[7]};
        int[] d = {c[8], c[8]};
        Tensor y = x.conv2d(w, null, s, p, d, c[9]);
        Tensor g = Tensor.randn(rng, dtype, y.shape());
        y.backward(g);
        return new Results(y.detach(), x.grad(), w.grad());
    }

    @Test
    void resultsAreBitIdenticalWithOneTwoAndThreeThreads() {
        for (int[] c : CASES) {
            for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                Results one = run(c, dtype, 1);
                for (int threads : new int[] {2, 3}) {
                    Results many = run(c, dtype, threads);
                    String what = java.util.Arrays.toString(c) + " " + dtype + " threads " + threads;
                    assertArrayEquals(one.y.toDoubleArray(), many.y.toDoubleArray(), 0.0, what);
                    assertArrayEquals(one.dx.toDoubleArray(), many.dx.toDoubleArray(), 0.0, what);
                    assertArrayEquals(one.dw.toDoubleArray(), many.dw.toDoubleArray(), 0.0, what);
                }
            }
        }
    }

    @Test
    void weightGradientMatchesTheDefinitionForEveryBatchSplit() {
        for (int[] c : CASES) {
            for (int threads : new int[] {1, 2}) {
                Results r = run(c, DType.FLOAT64, threads);
                SplittableRandom rng = new SplittableRandom(c[0] * 31L + c[1]);
                Tensor x = Tensor.randn(rng, DType.FLOAT64, c[0], c[1], c[2], c[3]);
                Tensor.randn(rng, DType.FLOAT64, c[4], c[1] / c[9], c[5], c[5]);
                Tensor g = Tensor.randn(rng, DType.FLOAT64, r.y.shape());
                double[] expected = naiveWeightGrad(x, g, c);
                assertArrayEquals(expected, r.dw.toDoubleArray(), 1e-9, java.util.Arrays.toString(c));
                assertEquals(expected.length, r.dw.numel());
            }
        }
    }

    @Test
    void maxPoolingAndItsGradientAreBitIdenticalWithOneAndTwoThreads() {
        int[][] shapes = {{64, 16, 28, 28}, {3, 5, 7, 9}, {2, 3, 10, 11}};
        for (int[] shape : shapes) {
            for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                double[][] results = new double[2][];
                double[][] grads = new double[2][];
                for (int threads = 1; threads <= 2; threads++) {
                    Convolution.threads = threads;
                    Convolution.minParallelWork = 0;
                    Tensor x = Tensor.randn(new SplittableRandom(shape[0]), dtype, shape).requiresGrad(true);
                    Tensor[] y = x.maxPool2dWithIndices(new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0},
                            new int[] {1, 1}, false);
                    y[0].backward(Tensor.randn(new SplittableRandom(7), dtype, y[0].shape()));
                    results[threads - 1] = concat(y[0].detach().toDoubleArray(), y[1].toDoubleArray());
                    grads[threads - 1] = x.grad().toDoubleArray();
                }
                String what = java.util.Arrays.toString(shape) + " " + dtype;
                assertArrayEquals(results[0], results[1], 0.0, what);
                assertArrayEquals(grads[0], grads[1], 0.0, what);
            }
        }
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** {@code dW[o, c, i, j] = sum_n,y,x g[n, o, y, x] x[n, group(o) cpg + c, y s - p + i d, x s - p + j d]}. */
    private static double[] naiveWeightGrad(Tensor x, Tensor g, int[] c) {
        int cout = c[4];
        int groups = c[9];
        int cpg = c[1] / groups;
        int opg = cout / groups;
        int k = c[5];
        double[] dw = new double[cout * cpg * k * k];
        for (int o = 0; o < cout; o++) {
            for (int ch = 0; ch < cpg; ch++) {
                for (int i = 0; i < k; i++) {
                    for (int j = 0; j < k; j++) {
                        double acc = 0;
                        for (int n = 0; n < c[0]; n++) {
                            for (int y = 0; y < g.size(2); y++) {
                                for (int xx = 0; xx < g.size(3); xx++) {
                                    int iy = y * c[6] - c[7] + i * c[8];
                                    int ix = xx * c[6] - c[7] + j * c[8];
                                    if (iy >= 0 && iy < c[2] && ix >= 0 && ix < c[3]) {
                                        acc += g.get(n, o, y, xx) * x.get(n, o / opg * cpg + ch, iy, ix);
                                    }
                                }
                            }
                        }
                        dw[((o * cpg + ch) * k + i) * k + j] = acc;
                    }
                }
            }
        }
        return dw;
    }
}
