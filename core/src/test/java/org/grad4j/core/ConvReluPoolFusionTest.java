package org.grad4j.core;

import static org.grad4j.core.FusedOpChecks.assertSameBits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link Tensor#conv2dReluMaxPool2d} against {@code conv2d(...).relu().maxPool2d(...)}: the same bits in the output
 * and in every gradient (input, weight, bias) with 1, 2 and 3 threads, on both forward paths (im2col images, several
 * images per GEMM, and tiles), 2x2 pooling on its kernels (dense rows, gathered small planes) and general windows
 * (overlapping, padded, dilated, ceil mode, odd sizes), float32 and float64, exact zeros, -0 and NaN; second
 * derivatives (createGraph) bit for bit; float64 gradients against finite differences; a naive float64 loop; the
 * unfused ops under anomaly detection; argument errors naming the op.
 */
@ExtendWith(SplitSettingsRestored.class)
class ConvReluPoolFusionTest {
    /**
     * {batch, cin, h, w, cout, k, padding, stride, dilation, groups, bias, poolKernel, poolStride, poolPadding,
     * poolDilation, ceil}.
     */
    private static final int[][] CASES = {
        {8, 1, 28, 28, 16, 5, 2, 1, 1, 1, 1, 2, 2, 0, 1, 0},    // LeNet's first block: im2col, 2x2 dense rows
        {8, 16, 14, 14, 32, 5, 0, 1, 1, 1, 1, 2, 2, 0, 1, 0},   // LeNet's second block: tiles, gathered 5x5 planes
        {5, 16, 14, 14, 32, 5, 0, 1, 1, 1, 0, 2, 2, 0, 1, 0},   // tiles without bias, odd batch
        {7, 3, 11, 9, 5, 3, 0, 1, 1, 1, 1, 2, 2, 0, 1, 1},      // 9x7 activations, ceil mode: partial windows
        {3, 2, 9, 7, 3, 3, 1, 2, 1, 1, 1, 3, 1, 1, 1, 0},       // conv stride 2, overlapping padded 3x3 windows
        {4, 4, 10, 10, 6, 3, 2, 1, 2, 2, 1, 2, 2, 1, 2, 0},     // conv dilation and groups, dilated padded pooling
        {6, 2, 10, 6, 4, 3, 1, 1, 1, 1, 1, 2, 1, 0, 1, 0},      // 2x2 windows at stride 1 (pairs, not dense)
        {3, 1, 6, 14, 3, 1, 0, 1, 1, 1, 0, 2, 2, 0, 1, 0},      // 1x1 kernel, several images per GEMM
        {1, 1, 4, 4, 1, 3, 1, 1, 1, 1, 1, 4, 4, 0, 1, 0},       // one image, one channel, one window
    };

    private record Run(Tensor y, Tensor dx, Tensor dw, Tensor db) {
    }

    private static Tensor[] inputs(int[] c, DType dtype) {
        SplittableRandom rng = new SplittableRandom(Arrays.hashCode(c));
        Tensor x = Tensor.randn(rng, dtype, c[0], c[1], c[2], c[3]);
        // exact zeros and signed zeros in the input, so some activations are exactly 0 or -0 (ties in windows)
        x = x.mul(Tensor.randn(rng, dtype, x.shape()).gt(-1.5).to(dtype));
        Tensor w = Tensor.randn(rng, dtype, c[4], c[1] / c[9], c[5], c[5]).mul(0.3);
        Tensor b = c[10] == 1 ? Tensor.randn(rng, dtype, c[4]).mul(0.1) : null;
        Tensor g = Tensor.randn(rng, dtype, pooledShape(c));
        return new Tensor[] {x, w, b, g};
    }

    private static int convOut(int size, int[] c) {
        return (size + 2 * c[6] - c[8] * (c[5] - 1) - 1) / c[7] + 1;
    }

    private static int[] pooledShape(int[] c) {
        int h = Pooling.outSize(convOut(c[2], c), c[11], c[12], c[13], c[14], c[15] == 1);
        int w = Pooling.outSize(convOut(c[3], c), c[11], c[12], c[13], c[14], c[15] == 1);
        return new int[] {c[0], c[4], h, w};
    }

    private static Tensor apply(int[] c, Tensor x, Tensor w, Tensor b, boolean fused) {
        int[] s = {c[7], c[7]};
        int[] p = {c[6], c[6]};
        int[] d = {c[8], c[8]};
        int[] pk = {c[11], c[11]};
        int[] ps = {c[12], c[12]};
        int[] pp = {c[13], c[13]};
        int[] pd = {c[14], c[14]};
        boolean ceil = c[15] == 1;
        return fused ? x.conv2dReluMaxPool2d(w, b, s, p, d, c[9], pk, ps, pp, pd, ceil)
                : x.conv2d(w, b, s, p, d, c[9]).relu().maxPool2d(pk, ps, pp, pd, ceil);
    }

    private static Run run(int[] c, Tensor[] in, int threads, boolean fused) {
        Convolution.threads = threads;
        Convolution.minParallelWork = 0;
        Tensor x = in[0].detach().requiresGrad(true);
        Tensor w = in[1].detach().requiresGrad(true);
        Tensor b = in[2] == null ? null : in[2].detach().requiresGrad(true);
        Tensor y = apply(c, x, w, b, fused);
        y.backward(in[3]);
        return new Run(y.detach(), x.grad(), w.grad(), b == null ? null : b.grad());
    }

    private static void assertSameRuns(Run expected, Run actual, String what) {
        assertSameBits(expected.y, actual.y, what + " y");
        assertSameBits(expected.dx, actual.dx, what + " dx");
        assertSameBits(expected.dw, actual.dw, what + " dw");
        assertSameBits(expected.db, actual.db, what + " db");
    }

    @Test
    void valuesAndGradientsAreTheBitsOfConvReluPoolWithOneTwoAndThreeThreads() {
        for (int[] c : CASES) {
            for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                Tensor[] in = inputs(c, dtype);
                Run unfused = run(c, in, 1, false);
                for (int threads : new int[] {1, 2, 3}) {
                    assertSameRuns(unfused, run(c, in, threads, true),
                            Arrays.toString(c) + " " + dtype + " threads " + threads);
                }
            }
        }
    }

    /** The weight and bias gradients when x needs none (a first layer: streamed image by image, no dy array). */
    private static Tensor[] paramGrads(int[] c, Tensor[] in, int threads, boolean fused, boolean biasGrad) {
        Convolution.threads = threads;
        Convolution.minParallelWork = 0;
        Tensor w = in[1].detach().requiresGrad(true);
        Tensor b = in[2] == null ? null : in[2].detach().requiresGrad(biasGrad);
        Tensor y = apply(c, in[0], w, b, fused);
        y.backward(in[3]);
        return new Tensor[] {y.detach(), w.grad(), b == null || !biasGrad ? null : b.grad()};
    }

    @Test
    void weightAndBiasGradientsWithoutAnInputGradientAreTheBitsOfTheUnfusedOps() {
        int[][] cases = {CASES[0], CASES[3], CASES[4], CASES[5], CASES[6], CASES[7], CASES[8], CASES[1],
            {1, 2, 6, 6, 3, 3, 1, 1, 1, 1, 1, 2, 2, 0, 1, 0},   // one image: the bias takes the reduction
            {4, 3, 5, 5, 1, 3, 1, 1, 1, 1, 1, 2, 2, 0, 1, 0}};  // one output channel: the bias takes the reduction
        for (int[] c : cases) {
            for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                Tensor[] in = inputs(c, dtype);
                for (boolean biasGrad : new boolean[] {true, false}) {
                    Tensor[] unfused = paramGrads(c, in, 1, false, biasGrad);
                    for (int threads : new int[] {1, 2, 3}) {
                        Tensor[] fused = paramGrads(c, in, threads, true, biasGrad);
                        String what = Arrays.toString(c) + " " + dtype + " bias grad " + biasGrad + " threads "
                                + threads;
                        assertSameBits(unfused[0], fused[0], what + " y");
                        assertSameBits(unfused[1], fused[1], what + " dw");
                        assertSameBits(unfused[2], fused[2], what + " db");
                    }
                }
            }
        }
    }

    @Test
    void anEmptyBatchGivesWhatTheUnfusedOpsGive() {
        int[] withBias = {0, 2, 6, 6, 3, 3, 1, 1, 1, 1, 1, 2, 2, 0, 1, 0};
        int[] noBias = {0, 2, 6, 6, 3, 3, 1, 1, 1, 1, 0, 2, 2, 0, 1, 0};
        for (int[] c : new int[][] {withBias, noBias}) {
            Tensor[] in = inputs(c, DType.FLOAT32);
            assertSameRuns(run(c, in, 1, false), run(c, in, 2, true), "empty batch " + Arrays.toString(c));
            Tensor[] unfused = paramGrads(c, in, 1, false, true);
            Tensor[] fused = paramGrads(c, in, 2, true, true);
            for (int i = 0; i < 3; i++) assertSameBits(unfused[i], fused[i], "empty batch, first layer, " + i);
        }
    }

    @Test
    void theGemmPathGivesTheBitsOfTheTilesPath() {
        int[] c = CASES[1];
        Tensor[] in = inputs(c, DType.FLOAT32);
        Run unfused = run(c, in, 1, false);
        Convolution.tilesEnabled = false;
        assertSameRuns(unfused, run(c, in, 2, true), "tiles off");
    }

    @Test
    void nanZeroAndNegativeZeroActivationsMaskTheirWindowsAsReluDoes() {
        SplittableRandom rng = new SplittableRandom(11);
        Tensor x = Tensor.randn(rng, DType.FLOAT32, 3, 2, 8, 8);
        x = x.gt(1.2).where(Tensor.scalar(Double.NaN, DType.FLOAT32), x);
        x = x.lt(-1.0).where(Tensor.scalar(-0.0, DType.FLOAT32), x);
        Tensor w = Tensor.randn(rng, DType.FLOAT32, 4, 2, 1, 1);
        Tensor g = Tensor.randn(rng, DType.FLOAT32, 3, 4, 4, 4);
        // whole windows of -0 and 0 (relu gives +0; the max is 0, not > 0: no gradient) beside NaN windows
        int[] c = {3, 2, 8, 8, 4, 1, 0, 1, 1, 1, 0, 2, 2, 0, 1, 0};
        Tensor[] in = {x, w, null, g};
        Run unfused = run(c, in, 1, false);
        Run fused = run(c, in, 2, true);
        assertSameRuns(unfused, fused, "NaN and zeros");
        assertTrue(Arrays.stream(fused.y.toDoubleArray()).anyMatch(Double::isNaN), "some windows are NaN");
        assertTrue(Arrays.stream(fused.y.toDoubleArray()).anyMatch(v -> v == 0), "some windows are 0");
    }

    @Test
    void matchesNaiveFloat64Loops() {
        int[] c = {2, 2, 7, 6, 3, 3, 1, 1, 1, 1, 1, 2, 2, 0, 1, 1};
        Tensor[] in = inputs(c, DType.FLOAT64);
        Run fused = run(c, in, 2, true);
        double[] x = in[0].toDoubleArray();
        double[] w = in[1].toDoubleArray();
        double[] b = in[2].toDoubleArray();
        double[] g = in[3].toDoubleArray();
        int n = c[0];
        int cin = c[1];
        int h = c[2];
        int wd = c[3];
        int cout = c[4];
        int k = c[5];
        int oh = convOut(h, c);
        int ow = convOut(wd, c);
        double[] y = new double[n * cout * oh * ow];
        for (int i = 0; i < n; i++) {
            for (int co = 0; co < cout; co++) {
                for (int r = 0; r < oh; r++) {
                    for (int q = 0; q < ow; q++) {
                        double acc = b[co];
                        for (int ci = 0; ci < cin; ci++) {
                            for (int a = 0; a < k; a++) {
                                for (int e = 0; e < k; e++) {
                                    int yy = r - 1 + a;
                                    int xx = q - 1 + e;
                                    if (yy >= 0 && yy < h && xx >= 0 && xx < wd) {
                                        acc += x[((i * cin + ci) * h + yy) * wd + xx] * w[((co * cin + ci) * k + a) * k + e];
                                    }
                                }
                            }
                        }
                        y[((i * cout + co) * oh + r) * ow + q] = Math.max(acc, 0);
                    }
                }
            }
        }
        int[] ps = pooledShape(c);
        double[] pooled = new double[n * cout * ps[2] * ps[3]];
        double[] dy = new double[y.length];
        for (int plane = 0; plane < n * cout; plane++) {
            for (int r = 0; r < ps[2]; r++) {
                for (int q = 0; q < ps[3]; q++) {
                    double best = Double.NEGATIVE_INFINITY;
                    int at = -1;
                    for (int a = 0; a < 2; a++) {
                        for (int e = 0; e < 2; e++) {
                            int yy = 2 * r + a;
                            int xx = 2 * q + e;
                            if (yy < oh && xx < ow && y[(plane * oh + yy) * ow + xx] > best) {
                                best = y[(plane * oh + yy) * ow + xx];
                                at = (plane * oh + yy) * ow + xx;
                            }
                        }
                    }
                    int o = (plane * ps[2] + r) * ps[3] + q;
                    pooled[o] = best;
                    if (best > 0) {
                        dy[at] += g[o];
                    }
                }
            }
        }
        double[] db = new double[cout];
        for (int i = 0; i < dy.length; i++) db[i / (oh * ow) % cout] += dy[i];
        assertArrayEquals(pooled, fused.y.toDoubleArray(), 1e-12, "pooled values");
        assertArrayEquals(db, fused.db.toDoubleArray(), 1e-12, "bias gradient");
    }

    @Test
    void secondDerivativesWithCreateGraphAreTheBitsOfTheUnfusedOps() {
        for (int[] c : new int[][] {CASES[3], CASES[4], CASES[5], {3, 16, 8, 12, 16, 3, 1, 1, 1, 1, 1, 2, 2, 0, 1, 0}}) {
            for (int threads : new int[] {1, 2}) {
                Convolution.threads = threads;
                Convolution.minParallelWork = 0;
                Tensor[] in = inputs(c, DType.FLOAT64);
                List<double[]> results = new ArrayList<>();
                for (boolean fused : new boolean[] {false, true}) {
                    Tensor x = in[0].detach().requiresGrad(true);
                    Tensor w = in[1].detach().requiresGrad(true);
                    Tensor b = in[2] == null ? null : in[2].detach().requiresGrad(true);
                    Tensor y = apply(c, x, w, b, fused);
                    FusedOpChecks.addSecondDerivatives(y, in[3], x, w, b, results);
                }
                FusedOpChecks.assertHalvesSameBits(results, Arrays.toString(c) + " threads " + threads);
            }
        }
    }

    @Test
    void float64GradientsMatchFiniteDifferences() {
        for (int[] c : new int[][] {{2, 2, 6, 5, 3, 3, 1, 1, 1, 1, 1, 2, 2, 0, 1, 1}, {2, 4, 7, 7, 4, 3, 0, 2, 1, 2,
            0, 2, 1, 1, 1, 0}}) {
            Tensor[] in = inputs(c, DType.FLOAT64);
            GradCheck.Fn f = t -> apply(c, t[0], t[1], t.length > 2 ? t[2] : null, true);
            Tensor[] args = in[2] == null ? new Tensor[] {in[0].requiresGrad(true), in[1].requiresGrad(true)}
                    : new Tensor[] {in[0].requiresGrad(true), in[1].requiresGrad(true), in[2].requiresGrad(true)};
            GradCheck.Result r = GradCheck.check(f, args);
            assertTrue(r.passed(), r::report);
        }
    }

    @Test
    void recordsOneNodeAndUnderAnomalyDetectionTheOpsRunUnfused() {
        int[] c = CASES[4];
        Tensor[] in = inputs(c, DType.FLOAT32);
        Run expected = run(c, in, 1, false);
        Tensor x0 = in[0].detach().requiresGrad(true);
        assertEquals("conv2dReluMaxPool2d", apply(c, x0, in[1], in[2], true).gradFnName());
        Convolution.threads = 2;
        try (AnomalyMode.Scope on = AnomalyMode.enable()) {
            Tensor x = in[0].detach().requiresGrad(true);
            Tensor w = in[1].detach().requiresGrad(true);
            Tensor b = in[2].detach().requiresGrad(true);
            Tensor y = apply(c, x, w, b, true);
            assertEquals("maxPool2d", y.gradFnName(), "the graph has the pooling's own node");
            y.backward(in[3]);
            assertSameRuns(expected, new Run(y.detach(), x.grad(), w.grad(), b.grad()), "anomaly mode");
        }
    }

    @Test
    void aWindowEntirelyInThePaddingIsRejectedOnEveryThreadCount() {
        // a 1x1 plane, window 2 dilated by 2 with padding 1: the one window's taps are -1 and 1, both padding
        int[] k = {2, 2};
        int[] p = {1, 1};
        int[] d = {2, 2};
        int[] one = {1, 1};
        int[] zero = {0, 0};
        for (int threads : new int[] {1, 2, 3}) {
            Convolution.threads = threads;
            Convolution.minParallelWork = 0;
            Tensor plane = Tensor.ones(DType.FLOAT32, 4, 3, 1, 1);
            ShapeMismatchException pool = assertThrows(ShapeMismatchException.class,
                    () -> plane.maxPool2d(k, k, p, d, false));
            assertTrue(pool.getMessage().startsWith("maxPool2d: a window lies entirely in the padding"),
                    pool.getMessage());
            Tensor x = Tensor.ones(DType.FLOAT32, 4, 2, 3, 3);
            Tensor w = Tensor.ones(DType.FLOAT32, 3, 2, 3, 3);
            ShapeMismatchException fused = assertThrows(ShapeMismatchException.class,
                    () -> x.conv2dReluMaxPool2d(w, null, one, zero, one, 1, k, k, p, d, false));
            assertTrue(fused.getMessage().startsWith("conv2dReluMaxPool2d: a window lies entirely in the padding")
                    && fused.getMessage().contains("[4, 3, 1, 1]"), fused.getMessage());
        }
    }

    @Test
    void badArgumentsNameTheFusedOp() {
        Tensor x = Tensor.zeros(DType.FLOAT32, 1, 3, 8, 8);
        Tensor w = Tensor.zeros(DType.FLOAT32, 4, 3, 3, 3);
        int[] one = {1, 1};
        int[] zero = {0, 0};
        int[] two = {2, 2};
        ShapeMismatchException wrongWeight = assertThrows(ShapeMismatchException.class, () -> x.conv2dReluMaxPool2d(
                Tensor.zeros(DType.FLOAT32, 4, 2, 3, 3), null, one, one, one, 1, two, two, zero, one, false));
        assertTrue(wrongWeight.getMessage().startsWith("conv2dReluMaxPool2d:"), wrongWeight.getMessage());
        ShapeMismatchException tooSmall = assertThrows(ShapeMismatchException.class, () -> x.conv2dReluMaxPool2d(w,
                null, one, zero, one, 1, new int[] {7, 7}, null, zero, one, false));
        assertTrue(tooSmall.getMessage().startsWith("conv2dReluMaxPool2d:")
                && tooSmall.getMessage().contains("[1, 4, 6, 6]"), tooSmall.getMessage());
        IllegalArgumentException padding = assertThrows(IllegalArgumentException.class, () -> x.conv2dReluMaxPool2d(
                w, null, one, one, one, 1, two, two, new int[] {2, 2}, one, false));
        assertTrue(padding.getMessage().startsWith("conv2dReluMaxPool2d:"), padding.getMessage());
        assertThrows(IllegalArgumentException.class, () -> x.conv2dReluMaxPool2d(w, null, one, one, one, 1, null,
                two, zero, one, false));
        assertThrows(IllegalArgumentException.class, () -> x.conv2dReluMaxPool2d(w, null, one, one, one, 1, two,
                two, new int[] {0}, one, false));
        assertThrows(DTypeMismatchException.class, () -> x.conv2dReluMaxPool2d(
                Tensor.zeros(DType.FLOAT64, 4, 3, 3, 3), null, one, one, one, 1, two, two, zero, one, false));
    }
}
