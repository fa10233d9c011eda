package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Convolution and pooling against naive loops written from the definitions (float64), and their gradients, including
 * second derivatives, against finite differences over generated shapes and options.
 */
class ConvolutionPoolingTest {
    private static final int TRIES = 15;

    private static Tensor randn(long seed, int... shape) {
        return Tensor.randn(new SplittableRandom(seed), DType.FLOAT64, shape);
    }

    /** {@code out[n, o, y, x] = b[o] + sum_{c in group, i, j} in[n, c, y s - p + i d, x s - p + j d] w[o, c', i, j]}. */
    private static double[] naiveConv(Tensor x, Tensor w, Tensor b, int[] s, int[] p, int[] d, int groups, int oh,
            int ow) {
        int n = x.size(0);
        int cin = x.size(1);
        int h = x.size(2);
        int wd = x.size(3);
        int cout = w.size(0);
        int cpg = cin / groups;
        int opg = cout / groups;
        double[] out = new double[n * cout * oh * ow];
        int k = 0;
        for (int bi = 0; bi < n; bi++) {
            for (int o = 0; o < cout; o++) {
                int grp = o / opg;
                for (int y = 0; y < oh; y++) {
                    for (int xx = 0; xx < ow; xx++) {
                        double acc = b == null ? 0 : b.get(o);
                        for (int c = 0; c < cpg; c++) {
                            for (int i = 0; i < w.size(2); i++) {
                                for (int j = 0; j < w.size(3); j++) {
                                    int iy = y * s[0] - p[0] + i * d[0];
                                    int ix = xx * s[1] - p[1] + j * d[1];
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < wd) {
                                        acc += x.get(bi, grp * cpg + c, iy, ix) * w.get(o, c, i, j);
                                    }
                                }
                            }
                        }
                        out[k++] = acc;
                    }
                }
            }
        }
        return out;
    }

    @Property(tries = TRIES)
    void conv2dMatchesTheDefinitionAndItsGradients(@ForAll @IntRange(min = 1, max = 2) int batch,
            @ForAll @IntRange(min = 1, max = 2) int groups, @ForAll @IntRange(min = 1, max = 2) int cinPerGroup,
            @ForAll @IntRange(min = 1, max = 2) int coutPerGroup, @ForAll @IntRange(min = 1, max = 3) int kh,
            @ForAll @IntRange(min = 1, max = 2) int stride, @ForAll @IntRange(min = 0, max = 2) int padding,
            @ForAll @IntRange(min = 1, max = 2) int dilation, @ForAll boolean bias, @ForAll long seed) {
        int h = 5;
        int w = 4;
        Tensor x = randn(seed, batch, groups * cinPerGroup, h, w).requiresGrad(true);
        Tensor weight = randn(seed + 1, groups * coutPerGroup, cinPerGroup, kh, 2).requiresGrad(true);
        Tensor b = bias ? randn(seed + 2, groups * coutPerGroup).requiresGrad(true) : null;
        int[] s = {stride, 1};
        int[] p = {padding, 1};
        int[] d = {dilation, 1};
        int oh = (h + 2 * p[0] - d[0] * (kh - 1) - 1) / s[0] + 1;
        if (oh <= 0) {
            assertThrows(ShapeMismatchException.class, () -> x.conv2d(weight, b, s, p, d, groups));
            return;
        }
        Tensor y = x.conv2d(weight, b, s, p, d, groups);
        int ow = (w + 2 - 2) + 1;
        assertArrayEquals(new int[] {batch, groups * coutPerGroup, oh, ow}, y.shape());
        assertArrayEquals(naiveConv(x, weight, b, s, p, d, groups, oh, ow), y.toDoubleArray(), 1e-12);
        Tensor[] inputs = b == null ? new Tensor[] {x, weight} : new Tensor[] {x, weight, b};
        GradCheck.Fn f = t -> t[0].conv2d(t[1], t.length > 2 ? t[2] : null, s, p, d, groups);
        assertTrue(GradCheck.check(f, inputs).passed(), () -> GradCheck.check(f, inputs).report());
        GradCheck.Result second = GradCheck.checkSecondOrder(f, seed, x, weight);
        assertTrue(second.passed(), second::report);
    }

    @Property(tries = TRIES)
    void convTransposeIsTheAdjointOfConv(@ForAll @IntRange(min = 1, max = 2) int groups,
            @ForAll @IntRange(min = 1, max = 3) int k, @ForAll @IntRange(min = 1, max = 3) int stride,
            @ForAll @IntRange(min = 0, max = 1) int padding, @ForAll @IntRange(min = 1, max = 2) int dilation,
            @ForAll long seed) {
        int[] s = {stride, stride};
        int[] p = {padding, padding};
        int[] d = {dilation, dilation};
        int cin = 2 * groups;
        int cout = groups;
        // <conv(x, W), y> == <x, convT(y, W)> for the convolution whose input-shape is x's
        Tensor x = randn(seed, 2, cin, 6, 5);
        Tensor weight = randn(seed + 1, cout, cin / groups, k, k);
        Tensor conv = x.conv2d(weight, null, s, p, d, groups);
        Tensor y = randn(seed + 2, conv.shape());
        int[] outPad = {(6 + 2 * padding - dilation * (k - 1) - 1) % stride, (5 + 2 * padding - dilation * (k - 1) - 1) % stride};
        Tensor back = y.convTranspose2d(weight, null, s, p, outPad, d, groups);
        assertArrayEquals(x.shape(), back.shape());
        assertEquals(conv.mul(y).sum().item(), x.mul(back).sum().item(), 1e-9);
        Tensor bias = randn(seed + 3, cin).requiresGrad(true);
        GradCheck.Fn f = t -> t[0].convTranspose2d(t[1], t[2], s, p, outPad, d, groups);
        GradCheck.Result r = GradCheck.check(f, y.requiresGrad(true), weight.requiresGrad(true), bias);
        assertTrue(r.passed(), r::report);
    }

    @Test
    void unfoldHasTorchsLayout() {
        Tensor x = Tensor.arange(0, 2 * 9, 1, DType.FLOAT64).reshape(1, 2, 3, 3);
        Tensor u = x.unfold(new int[] {2, 2}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1});
        assertArrayEquals(new int[] {1, 8, 4}, u.shape());
        // row (c=1, i=0, j=1) at window (1, 0): x[0, 1, 1, 1] = 13
        assertEquals(13, u.get(0, 5, 2));
        assertEquals(0, u.get(0, 0, 0));
        assertEquals(8, u.get(0, 3, 3));
    }

    private static double[] naiveMaxPool(Tensor x, int k, int s, int p, int d, int oh, int ow) {
        double[] out = new double[x.size(0) * x.size(1) * oh * ow];
        int at = 0;
        for (int n = 0; n < x.size(0); n++) {
            for (int c = 0; c < x.size(1); c++) {
                for (int y = 0; y < oh; y++) {
                    for (int xx = 0; xx < ow; xx++) {
                        double best = Double.NEGATIVE_INFINITY;
                        for (int i = 0; i < k; i++) {
                            for (int j = 0; j < k; j++) {
                                int iy = y * s - p + i * d;
                                int ix = xx * s - p + j * d;
                                if (iy >= 0 && iy < x.size(2) && ix >= 0 && ix < x.size(3)) {
                                    best = Math.max(best, x.get(n, c, iy, ix));
                                }
                            }
                        }
                        out[at++] = best;
                    }
                }
            }
        }
        return out;
    }

    @Property(tries = TRIES)
    void maxPoolMatchesTheDefinition(@ForAll @IntRange(min = 1, max = 3) int k,
            @ForAll @IntRange(min = 1, max = 3) int stride, @ForAll @IntRange(min = 0, max = 1) int padding,
            @ForAll @IntRange(min = 1, max = 2) int dilation, @ForAll boolean ceil, @ForAll long seed) {
        Tensor x = randn(seed, 2, 2, 5, 6).requiresGrad(true);
        int[] ks = {k, k};
        int[] s = {stride, stride};
        int[] p = {padding, padding};
        int[] d = {dilation, dilation};
        if (2 * padding > k) {
            assertThrows(IllegalArgumentException.class, () -> x.maxPool2d(ks, s, p, d, ceil));
            return;
        }
        int oh = Pooling.outSize(5, k, stride, padding, dilation, ceil);
        int ow = Pooling.outSize(6, k, stride, padding, dilation, ceil);
        Tensor[] r = x.maxPool2dWithIndices(ks, s, p, d, ceil);
        assertArrayEquals(new int[] {2, 2, oh, ow}, r[0].shape());
        assertArrayEquals(naiveMaxPool(x, k, stride, padding, dilation, oh, ow), r[0].toDoubleArray(), 0);
        // the indices are int64, as PyTorch's, and point at the values
        assertEquals(DType.INT64, r[1].dtype());
        Tensor taken = x.reshape(2, 2, 30).gather(2, r[1].reshape(2, 2, oh * ow)).reshape(2, 2, oh, ow);
        assertArrayEquals(r[0].toDoubleArray(), taken.toDoubleArray(), 0);
        GradCheck.Fn f = t -> t[0].maxPool2d(ks, s, p, d, ceil);
        assertTrue(GradCheck.check(f, x).passed());
        assertTrue(GradCheck.checkSecondOrder(t -> f.apply(t).square(), seed, x).passed());
    }

    @Test
    void maxPoolCeilModeMatchesTorch() {
        // torch: F.max_pool2d(torch.zeros(1,1,5,5), 2, 2, ceil_mode=True).shape == (1, 1, 3, 3); with padding 1 and
        // stride 2 on 4: (4 + 2 - 2) / 2 + 1 = 3 windows, and ceil mode does not start a 4th in the padding
        assertEquals(3, Pooling.outSize(5, 2, 2, 0, 1, true));
        assertEquals(2, Pooling.outSize(5, 2, 2, 0, 1, false));
        assertEquals(3, Pooling.outSize(4, 2, 2, 1, 1, true));
    }

    @Test
    void maxPoolGradientGoesToTheFirstMaximumAndNaNPropagates() {
        Tensor x = Tensor.of(new double[] {1, 1, 0, 1}, 1, 1, 2, 2).requiresGrad(true);
        x.maxPool2d(new int[] {2, 2}, null, new int[] {0, 0}, new int[] {1, 1}, false).sum().backward();
        assertArrayEquals(new double[] {1, 0, 0, 0}, x.grad().toDoubleArray());
        Tensor nan = Tensor.of(new double[] {1, Double.NaN, 5, 2}, 1, 1, 2, 2);
        assertTrue(Double.isNaN(nan.maxPool2d(new int[] {2, 2}, null, new int[] {0, 0}, new int[] {1, 1}, false)
                .item()));
    }

    @Property(tries = TRIES)
    void avgPoolMatchesTheDefinition(@ForAll @IntRange(min = 1, max = 3) int k,
            @ForAll @IntRange(min = 1, max = 2) int stride, @ForAll @IntRange(min = 0, max = 1) int padding,
            @ForAll boolean countIncludePad, @ForAll long seed) {
        Assume.that(2 * padding <= k);
        Tensor x = randn(seed, 2, 3, 5, 4).requiresGrad(true);
        int[] ks = {k, k};
        int[] s = {stride, stride};
        int[] p = {padding, padding};
        Tensor y = x.avgPool2d(ks, s, p, countIncludePad);
        int oh = (5 + 2 * padding - k) / stride + 1;
        int ow = (4 + 2 * padding - k) / stride + 1;
        assertArrayEquals(new int[] {2, 3, oh, ow}, y.shape());
        for (int n = 0; n < 2; n++) {
            for (int c = 0; c < 3; c++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        double sum = 0;
                        int count = 0;
                        for (int i = 0; i < k; i++) {
                            for (int j = 0; j < k; j++) {
                                int iy = oy * stride - padding + i;
                                int ix = ox * stride - padding + j;
                                if (iy >= 0 && iy < 5 && ix >= 0 && ix < 4) {
                                    sum += x.get(n, c, iy, ix);
                                    count++;
                                }
                            }
                        }
                        assertEquals(sum / (countIncludePad ? k * k : count), y.get(n, c, oy, ox), 1e-12);
                    }
                }
            }
        }
        assertTrue(GradCheck.check(t -> t[0].avgPool2d(ks, s, p, countIncludePad), x).passed());
    }

    @Property(tries = TRIES)
    void adaptivePoolsUseTorchsWindows(@ForAll @IntRange(min = 1, max = 7) int h,
            @ForAll @IntRange(min = 1, max = 5) int w, @ForAll @IntRange(min = 1, max = 4) int oh,
            @ForAll @IntRange(min = 1, max = 3) int ow, @ForAll long seed) {
        Tensor x = randn(seed, 1, 2, h, w).requiresGrad(true);
        Tensor avg = x.adaptiveAvgPool2d(oh, ow);
        Tensor max = x.adaptiveMaxPool2dWithIndices(oh, ow)[0];
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < oh; i++) {
                int y0 = i * h / oh;
                int y1 = ((i + 1) * h + oh - 1) / oh;
                for (int j = 0; j < ow; j++) {
                    int x0 = j * w / ow;
                    int x1 = ((j + 1) * w + ow - 1) / ow;
                    double sum = 0;
                    double best = Double.NEGATIVE_INFINITY;
                    for (int a = y0; a < y1; a++) {
                        for (int b = x0; b < x1; b++) {
                            sum += x.get(0, c, a, b);
                            best = Math.max(best, x.get(0, c, a, b));
                        }
                    }
                    assertEquals(sum / ((y1 - y0) * (x1 - x0)), avg.get(0, c, i, j), 1e-12);
                    assertEquals(best, max.get(0, c, i, j), 0);
                }
            }
        }
        assertTrue(GradCheck.check(t -> t[0].adaptiveAvgPool2d(oh, ow), x).passed());
        assertTrue(GradCheck.check(t -> t[0].adaptiveMaxPool2dWithIndices(oh, ow)[0], x).passed());
    }

    @Test
    void convolutionErrorsNameTheOperationAndTheFix() {
        Tensor x = Tensor.zeros(1, 3, 8, 8);
        int[] one = {1, 1};
        int[] zero = {0, 0};
        var e = assertThrows(ShapeMismatchException.class,
                () -> x.conv2d(Tensor.zeros(4, 2, 3, 3), null, one, zero, one, 1));
        assertTrue(e.getMessage().contains("conv2d") && e.getMessage().contains("[1, 3, 8, 8]"), e.getMessage());
        var g = assertThrows(IllegalArgumentException.class,
                () -> x.conv2d(Tensor.zeros(4, 1, 3, 3), null, one, zero, one, 2));
        assertTrue(g.getMessage().contains("groups"), g.getMessage());
        var r = assertThrows(ShapeMismatchException.class,
                () -> Tensor.zeros(3, 8, 8).conv2d(Tensor.zeros(4, 3, 3, 3), null, one, zero, one, 1));
        assertTrue(r.getMessage().contains("unsqueeze(0)"), r.getMessage());
        assertThrows(DTypeMismatchException.class,
                () -> x.conv2d(Tensor.zeros(DType.FLOAT64, 4, 3, 3, 3), null, one, zero, one, 1));
        assertThrows(ShapeMismatchException.class,
                () -> x.conv2d(Tensor.zeros(4, 3, 9, 9), null, one, zero, one, 1));
        assertThrows(IllegalArgumentException.class,
                () -> x.conv2d(Tensor.zeros(4, 3, 3, 3), null, new int[] {0, 1}, zero, one, 1));
        Tensor ints = Tensor.zeros(DType.INT64, 1, 3, 8, 8);
        var i = assertThrows(DTypeMismatchException.class,
                () -> ints.maxPool2d(new int[] {2, 2}, null, zero, one, false));
        assertTrue(i.getMessage().contains("maxPool2d") && i.getMessage().contains(".to(DType.FLOAT32)"),
                i.getMessage());
    }

    @Property(tries = 2)
    void convolutionsWithManyOutputPositionsMatchTheDefinitionAndTheirGradients(
            @ForAll @IntRange(min = 1, max = 2) int groups) {
        // 12 x 11 = 132 output positions: the column buffer is padded to 144 for the GEMM (below 64 it is not);
        // with one group the weight gradient's 36 column rows are padded to 48
        Tensor x = randn(11, 2, 4, 12, 11).requiresGrad(true);
        Tensor w = randn(12, 6, 4 / groups, 3, 3).requiresGrad(true);
        Tensor b = randn(13, 6).requiresGrad(true);
        int[] one = {1, 1};
        Tensor y = x.conv2d(w, b, one, one, one, groups);
        assertArrayEquals(naiveConv(x, w, b, one, one, one, groups, 12, 11), y.toDoubleArray(), 1e-12);
        GradCheck.Fn f = t -> t[0].conv2d(t[1], t[2], one, one, one, groups);
        GradCheck.Result r = GradCheck.checkDirectional(f, 3, x, w, b);
        assertTrue(r.passed(), r::report);
        GradCheck.Result second = GradCheck.checkDirectional(t -> {
            Tensor out = f.apply(t);
            return Autograd.grad(java.util.List.of(out), java.util.List.of(t[0], t[1]),
                    java.util.List.of(out.detach().mul(0).add(1)), true, true, false).get(1);
        }, 4, x, w, b);
        assertTrue(second.passed(), second::report);
        Tensor y32 = x.detach().to(DType.FLOAT32).conv2d(w.detach().to(DType.FLOAT32), b.detach().to(DType.FLOAT32),
                one, one, one, groups);
        assertTrue(y32.to(DType.FLOAT64).allClose(y.detach(), 1e-4, 1e-4));
    }

    @Test
    void float32TwoByTwoPoolingAgreesWithFloat64IncludingTiesSignedZerosAndNaN() {
        Tensor x = randn(21, 3, 2, 8, 10);
        double[] v = x.toDoubleArray();
        v[0] = 0.5;
        v[1] = 0.5;                 // a tie: the first wins
        v[10] = -5;
        v[11] = -5;
        v[2] = -0.0;
        v[3] = 0.0;
        v[12] = -0.0;
        v[13] = 0.0;                // max(-0.0, 0.0, -0.0, 0.0): the first, -0.0
        v[24] = Double.NaN;
        v[25] = Double.NaN;         // two NaNs: the last one's index, as torch
        Tensor x64 = Tensor.of(v, 3, 2, 8, 10);
        int[] two = {2, 2};
        Tensor[] r64 = x64.maxPool2dWithIndices(two, two, new int[] {0, 0}, new int[] {1, 1}, false);
        Tensor[] r32 = x64.to(DType.FLOAT32).maxPool2dWithIndices(two, two, new int[] {0, 0}, new int[] {1, 1}, false);
        assertArrayEquals(r64[1].toLongArray(), r32[1].toLongArray());
        double[] a = r64[0].toDoubleArray();
        double[] b = r32[0].to(DType.FLOAT64).toDoubleArray();
        for (int i = 0; i < a.length; i++) {
            assertEquals(Double.doubleToLongBits((float) a[i]), Double.doubleToLongBits(b[i]), "element " + i);
        }
        assertEquals(0, r32[1].getLong(0, 0, 0, 0));
        assertEquals(Double.doubleToLongBits(-0.0), Double.doubleToLongBits(b[1]));
        assertEquals(25, r32[1].getLong(0, 0, 1, 2));
        assertEquals(2, r32[1].getLong(0, 0, 0, 1));
        Tensor g = x64.to(DType.FLOAT32).requiresGrad(true);
        g.maxPool2d(two, two, new int[] {0, 0}, new int[] {1, 1}, false).sum().backward();
        assertEquals(3 * 2 * 4 * 5, g.grad().sum().item(), 0);
    }

    @Test
    void float32AgreesWithFloat64() {
        Tensor x = randn(5, 2, 3, 9, 7);
        Tensor w = randn(6, 4, 3, 3, 3);
        int[] one = {1, 1};
        Tensor y64 = x.conv2d(w, null, new int[] {2, 1}, one, one, 1);
        Tensor y32 = x.to(DType.FLOAT32).conv2d(w.to(DType.FLOAT32), null, new int[] {2, 1}, one, one, 1);
        assertTrue(y32.to(DType.FLOAT64).allClose(y64, 1e-5, 1e-5));
    }

    @Test
    void emptyBatchesAndChannelsAndNullWeightsAreHandled() {
        int[] one = {1, 1};
        int[] zero = {0, 0};
        Tensor empty = Tensor.zeros(0, 2, 5, 5);
        assertArrayEquals(new int[] {0, 3, 3, 3}, empty.conv2d(Tensor.ones(3, 2, 3, 3), Tensor.ones(3), one, zero,
                one, 1).shape());
        assertArrayEquals(new int[] {0, 2, 2, 2}, empty.maxPool2d(new int[] {2, 2}, null, zero, one, false).shape());
        Tensor noChannels = Tensor.zeros(1, 0, 4, 4);
        Tensor y = noChannels.conv2d(Tensor.zeros(2, 0, 3, 3), Tensor.ones(2), one, zero, one, 1);
        assertArrayEquals(new double[8], y.sub(1).toDoubleArray());
        assertThrows(IllegalArgumentException.class, () -> empty.conv2d(null, null, one, zero, one, 1));
        assertThrows(IllegalArgumentException.class, () -> empty.conv2d(Tensor.ones(3, 2, 3, 3), null, null, zero,
                one, 1));
        assertThrows(ShapeMismatchException.class, () -> Tensor.zeros(1, 1, 0, 4).maxPool2d(new int[] {2, 2}, null,
                zero, one, false));
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(1, 1, 4, 4).adaptiveAvgPool2d(0, 2));
    }

    @Test
    void hugeKernelsAreTooLargeRatherThanOverflowing() {
        Tensor x = Tensor.zeros(1, 1, 4, 4);
        int big = Integer.MAX_VALUE;
        assertThrows(ShapeMismatchException.class, () -> x.maxPool2d(new int[] {1, big}, new int[] {1, 1},
                new int[] {0, 0}, new int[] {1, 1}, false));
        assertThrows(ShapeMismatchException.class, () -> x.unfold(new int[] {2, 2}, new int[] {1, 1},
                new int[] {0, 0}, new int[] {big, 1}));
        assertEquals(0, Pooling.outSize(4, big, 1, 0, 2, true));
    }
}
