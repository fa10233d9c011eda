package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Convolution cases the naive-loop suites do not reach, each against an independent reference: a grouped
 * convolution whose output rows have a multiple of 16 positions (no padded column rows), second derivatives with
 * respect to the output gradient (of {@code unfold}'s gradient and of the weight gradient), the size limit of the
 * column matrix, and the argument checks of convTranspose2d and conv2d where only one of the two spatial dims is at
 * the boundary, and a kernel size or dilation of exactly 0.
 */
class ConvolutionEdgesTest {
    private static final int[] ONE = {1, 1};
    private static final int[] ZERO = {0, 0};

    /** Quarters in [-2, 2]: exact in float32, so sums of a few products are exact in both dtypes. */
    private static double[] quarters(SplittableRandom rng, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = rng.nextInt(-8, 9) / 4.0;
        return v;
    }

    /** Naive conv2d without padding or dilation, stride 1: {@code out [n, o, oh, ow]}. */
    private static double[] naiveConv(double[] x, int n, int c, int h, int w, double[] wt, int o, int kh, int kw,
            int groups) {
        int cg = c / groups;
        int og = o / groups;
        int oh = h - kh + 1;
        int ow = w - kw + 1;
        double[] out = new double[n * o * oh * ow];
        for (int b = 0; b < n; b++) {
            for (int oc = 0; oc < o; oc++) {
                for (int y = 0; y < oh; y++) {
                    for (int xo = 0; xo < ow; xo++) {
                        double s = 0;
                        for (int ci = 0; ci < cg; ci++) {
                            int cin = oc / og * cg + ci;
                            for (int ky = 0; ky < kh; ky++) {
                                for (int kx = 0; kx < kw; kx++) {
                                    s += x[((b * c + cin) * h + y + ky) * w + xo + kx]
                                            * wt[((oc * cg + ci) * kh + ky) * kw + kx];
                                }
                            }
                        }
                        out[((b * o + oc) * oh + y) * ow + xo] = s;
                    }
                }
            }
        }
        return out;
    }

    @Test
    void groupedConvolutionWithSixteenPositionsPerImage() {
        // 3 images, 4 -> 6 channels in 2 groups, 7x7 input, 4x4 kernel: 4x4 = 16 output positions
        int n = 3, c = 4, h = 7, w = 7, o = 6, kh = 4, kw = 4, groups = 2;
        int oh = 4, ow = 4;
        SplittableRandom rng = new SplittableRandom(3);
        double[] x = quarters(rng, n * c * h * w);
        double[] wt = quarters(rng, o * (c / groups) * kh * kw);
        double[] g = quarters(rng, n * o * oh * ow);
        double[] expected = naiveConv(x, n, c, h, w, wt, o, kh, kw, groups);
        // dx by the adjoint: dx[x] = sum over outputs of g * w; dW[w] = sum of g * x
        double[] dx = new double[x.length];
        double[] dw = new double[wt.length];
        int cg = c / groups, og = o / groups;
        for (int b = 0; b < n; b++) {
            for (int oc = 0; oc < o; oc++) {
                for (int y = 0; y < oh; y++) {
                    for (int xo = 0; xo < ow; xo++) {
                        double gv = g[((b * o + oc) * oh + y) * ow + xo];
                        for (int ci = 0; ci < cg; ci++) {
                            int cin = oc / og * cg + ci;
                            for (int ky = 0; ky < kh; ky++) {
                                for (int kx = 0; kx < kw; kx++) {
                                    int xi = ((b * c + cin) * h + y + ky) * w + xo + kx;
                                    int wi = ((oc * cg + ci) * kh + ky) * kw + kx;
                                    dx[xi] += gv * wt[wi];
                                    dw[wi] += gv * x[xi];
                                }
                            }
                        }
                    }
                }
            }
        }
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor xt = Tensor.of(x, n, c, h, w).to(dtype).requiresGrad(true);
            Tensor wtt = Tensor.of(wt, o, c / groups, kh, kw).to(dtype).requiresGrad(true);
            Tensor y = xt.conv2d(wtt, null, ONE, ZERO, ONE, groups);
            assertArrayEquals(new int[] {n, o, oh, ow}, y.shape());
            assertArrayEquals(expected, y.toDoubleArray(), 0.0, dtype + " forward");
            y.backward(Tensor.of(g, n, o, oh, ow).to(dtype));
            assertArrayEquals(dx, xt.grad().toDoubleArray(), 0.0, dtype + " input gradient");
            assertArrayEquals(dw, wtt.grad().toDoubleArray(), 0.0, dtype + " weight gradient");
        }
    }

    @Test
    void unfoldGradientDifferentiatedByTheOutputGradientIsUnfold() {
        // d/dgy <unfold^T(gy), v> = unfold(v): the derivative of col2im is im2col
        SplittableRandom rng = new SplittableRandom(5);
        int[] k = {2, 3};
        int[] stride = {2, 1};
        int[] padding = {1, 1};
        int[] dilation = {1, 2};
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor x = Tensor.of(quarters(rng, 2 * 3 * 5 * 6), 2, 3, 5, 6).to(dtype).requiresGrad(true);
            Tensor cols = x.unfold(k, stride, padding, dilation);
            Tensor gy = Tensor.of(quarters(rng, cols.numel()), cols.shape()).to(dtype).requiresGrad(true);
            Tensor dx = Autograd.grad(List.of(cols), List.of(x), List.of(gy), true, true, false).get(0);
            Tensor v = Tensor.of(quarters(rng, x.numel()), x.shape()).to(dtype);
            dx.mul(v).sum().backward();
            Tensor expected = v.unfold(k, stride, padding, dilation);
            assertArrayEquals(expected.toDoubleArray(), gy.grad().toDoubleArray(), 0.0, dtype.toString());
        }
    }

    @Test
    void weightGradientDifferentiatedByTheOutputGradientIsAConvolution() {
        // dW = sum_n gy_n cols(x_n)^T is linear in gy: d/dgy <dW, v> = conv2d(x, v)
        SplittableRandom rng = new SplittableRandom(6);
        int n = 2, c = 2, h = 5, w = 6, o = 3, kh = 2, kw = 3;
        double[] x = quarters(rng, n * c * h * w);
        double[] v = quarters(rng, o * c * kh * kw);
        double[] expected = naiveConv(x, n, c, h, w, v, o, kh, kw, 1);
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor xt = Tensor.of(x, n, c, h, w).to(dtype);
            Tensor wt = Tensor.of(quarters(rng, v.length), o, c, kh, kw).to(dtype).requiresGrad(true);
            Tensor y = xt.conv2d(wt, null, ONE, ZERO, ONE, 1);
            Tensor gy = Tensor.of(quarters(rng, y.numel()), y.shape()).to(dtype).requiresGrad(true);
            Tensor dw = Autograd.grad(List.of(y), List.of(wt), List.of(gy), true, true, false).get(0);
            dw.mul(Tensor.of(v, o, c, kh, kw).to(dtype)).sum().backward();
            assertArrayEquals(expected, gy.grad().toDoubleArray(), 0.0, dtype.toString());
        }
    }

    @Test
    void unfoldRefusesAColumnMatrixLargerThanOneArray() {
        // 2 x 2 channels of 400 x 400 with a 200 x 200 kernel: 2 * 2 * 40,000 * 201 * 201 = 6,464,160,000 elements
        Tensor x = Tensor.zeros(2, 2, 400, 400);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> x.unfold(new int[] {200, 200}, ONE, ZERO, ONE));
        assertTrue(e.getMessage().startsWith("im2col: the column matrix of 6464160000 elements is too large"),
                e.getMessage());
    }

    private static void refused(Class<? extends RuntimeException> type, String part, Executable call) {
        RuntimeException e = assertThrows(type, call);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    @Test
    void convTransposeOutputPaddingEqualToTheStrideOrDilationOfOneDimIsRefused() {
        Tensor x = Tensor.ones(1, 1, 3, 3);
        Tensor w = Tensor.ones(1, 1, 2, 2);
        // per dim: refused when outputPadding >= stride and >= dilation; each case has one dim at equality
        int[][][] refusedCases = {
            // stride, outputPadding, dilation
            {{2, 1}, {2, 0}, {1, 1}},
            {{1, 1}, {2, 0}, {2, 1}},
            {{1, 2}, {0, 2}, {1, 1}},
            {{1, 1}, {0, 2}, {1, 2}},
        };
        for (int[][] c : refusedCases) {
            refused(IllegalArgumentException.class, "outputPadding",
                    () -> x.convTranspose2d(w, null, c[0], ZERO, c[1], c[2], 1));
        }
        // one below: (3 - 1) * 2 + 1 + 1 + 1 = 7 rows, (3 - 1) + 2 * 1 + 1 + 1 = 6 columns
        assertArrayEquals(new int[] {1, 1, 7, 6},
                x.convTranspose2d(w, null, new int[] {2, 1}, ZERO, new int[] {1, 1}, new int[] {1, 2}, 1).shape());
    }

    @Test
    void convTransposeWithOneOutputDimOfSizeZeroIsRefused() {
        // oh = (1 - 1) * 1 - 2 * 1 + 1 * (2 - 1) + 0 + 1 = 0 while ow = 4, and the other way round
        refused(ShapeMismatchException.class, "would be 0x4",
                () -> Tensor.ones(1, 1, 1, 3).convTranspose2d(Tensor.ones(1, 1, 2, 2), null, ONE,
                        new int[] {1, 0}, ZERO, ONE, 1));
        refused(ShapeMismatchException.class, "would be 4x0",
                () -> Tensor.ones(1, 1, 3, 1).convTranspose2d(Tensor.ones(1, 1, 2, 2), null, ONE,
                        new int[] {0, 1}, ZERO, ONE, 1));
    }

    @Test
    void aKernelSizeOrDilationOfZeroIsRefused() {
        Tensor x = Tensor.ones(1, 1, 4, 4);
        for (int[][] c : new int[][][] {{{0, 2}, ONE}, {{2, 0}, ONE}, {{2, 2}, {0, 1}}, {{2, 2}, {1, 0}}}) {
            refused(IllegalArgumentException.class, "kernel size, stride and dilation must be positive",
                    () -> x.unfold(c[0], ONE, ZERO, c[1]));
        }
    }

    @Test
    void conv2dNamesTheInputChannelsTheGroupedWeightExpects() {
        // weight [4, 1, 1, 1] in 2 groups reads 1 * 2 = 2 input channels; the input has 4
        Tensor x = Tensor.ones(1, 4, 3, 3);
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class,
                () -> x.conv2d(Tensor.ones(4, 1, 1, 1), null, ONE, ZERO, ONE, 2));
        assertTrue(e.getMessage().contains("with groups=2 expects 2 input channels"), e.getMessage());
        assertEquals(4, x.shape()[1]);
    }
}
