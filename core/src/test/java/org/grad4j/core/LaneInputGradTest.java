package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The input gradient with images in vector lanes ({@link LaneInputGrad}): against a naive float64 loop written from
 * the definition over generated shapes, strides, paddings, dilations and groups (batches of 16 to 40: whole and
 * partial blocks of lanes), float32 and float64; its bits independent of the thread count and of the other images in
 * the batch (an image's lanes are its own); finite differences; and the batches and channel counts it does not take
 * still going the GEMM way.
 */
@ExtendWith(SplitSettingsRestored.class)
class LaneInputGradTest {
    @Property(tries = 60)
    void matchesTheDefinition(@ForAll @IntRange(min = 16, max = 40) int batch,
            @ForAll @IntRange(min = 1, max = 2) int groups, @ForAll @IntRange(min = 1, max = 2) int cinBlocks,
            @ForAll @IntRange(min = 1, max = 5) int coutPerGroup, @ForAll @IntRange(min = 1, max = 4) int kh,
            @ForAll @IntRange(min = 1, max = 3) int kw, @ForAll @IntRange(min = 1, max = 3) int sh,
            @ForAll @IntRange(min = 1, max = 2) int sw, @ForAll @IntRange(min = 0, max = 2) int ph,
            @ForAll @IntRange(min = 0, max = 1) int pw, @ForAll @IntRange(min = 1, max = 2) int dh,
            @ForAll @IntRange(min = 1, max = 2) int dw, @ForAll @IntRange(min = 1, max = 9) int h,
            @ForAll @IntRange(min = 1, max = 9) int w, @ForAll boolean float64, @ForAll long seed) {
        int cinPerGroup = 8 * cinBlocks;
        int oh = (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1;
        int ow = (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1;
        if (h + 2 * ph - dh * (kh - 1) - 1 < 0 || w + 2 * pw - dw * (kw - 1) - 1 < 0) {
            return;
        }
        DType dtype = float64 ? DType.FLOAT64 : DType.FLOAT32;
        SplittableRandom rng = new SplittableRandom(seed);
        int cin = groups * cinPerGroup;
        int cout = groups * coutPerGroup;
        Tensor x = Tensor.randn(rng, dtype, batch, cin, h, w).requiresGrad(true);
        Tensor weight = Tensor.randn(rng, dtype, cout, cinPerGroup, kh, kw);
        int[] s = {sh, sw};
        int[] p = {ph, pw};
        int[] d = {dh, dw};
        Tensor y = x.conv2d(weight, null, s, p, d, groups);
        assertArrayEquals(new int[] {batch, cout, oh, ow}, y.shape());
        Convolution.Conv c = new Convolution.Conv(x.shape(), cout, groups,
                new Convolution.Geometry(kh, kw, sh, sw, ph, pw, dh, dw), oh, ow);
        assertTrue(LaneInputGrad.applies(c));
        Tensor g = Tensor.randn(rng, dtype, y.shape());
        y.backward(g);
        double[] expected = naiveInputGrad(g.toDoubleArray(), weight.toDoubleArray(), batch, cin, h, w, cout, groups,
                kh, kw, s, p, d, oh, ow);
        double[] actual = x.grad().toDoubleArray();
        // float32: each element a chain of at most 5 * 4 * 3 = 60 products of unit normals
        double tol = float64 ? 1e-12 : 2e-5;
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol * (1 + Math.abs(expected[i])), "element " + i);
        }
    }

    /** dx[n, c, y, x] = sum over co of the group, taps (i, j) with y = oy sh - ph + i dh (same for x) of w g. */
    static double[] naiveInputGrad(double[] g, double[] w, int batch, int cin, int h, int width, int cout, int groups,
            int kh, int kw, int[] s, int[] p, int[] d, int oh, int ow) {
        int cinG = cin / groups;
        int coutG = cout / groups;
        double[] dx = new double[batch * cin * h * width];
        for (int n = 0; n < batch; n++) {
            for (int co = 0; co < cout; co++) {
                int grp = co / coutG;
                for (int ci = 0; ci < cinG; ci++) {
                    int c = grp * cinG + ci;
                    for (int oy = 0; oy < oh; oy++) {
                        for (int ox = 0; ox < ow; ox++) {
                            double gv = g[((n * cout + co) * oh + oy) * ow + ox];
                            for (int i = 0; i < kh; i++) {
                                int y = oy * s[0] - p[0] + i * d[0];
                                if (y < 0 || y >= h) continue;
                                for (int j = 0; j < kw; j++) {
                                    int x = ox * s[1] - p[1] + j * d[1];
                                    if (x < 0 || x >= width) continue;
                                    dx[((n * cin + c) * h + y) * width + x] +=
                                            w[((co * cinG + ci) * kh + i) * kw + j] * gv;
                                }
                            }
                        }
                    }
                }
            }
        }
        return dx;
    }

    private static Tensor inputGrad(Tensor x, Tensor weight, Tensor g, int[] s, int[] p, int groups) {
        Tensor xs = x.detach().requiresGrad(true);
        xs.conv2d(weight, null, s, p, new int[] {1, 1}, groups).backward(g);
        return xs.grad();
    }

    @Test
    void bitsDoNotDependOnTheThreadsOrOnTheOtherImages() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            SplittableRandom rng = new SplittableRandom(11);
            // LeNet's second layer at batch 70: two whole float blocks and a partial one, four and a half doubles'
            Tensor x = Tensor.randn(rng, dtype, 70, 16, 14, 14);
            Tensor weight = Tensor.randn(rng, dtype, 32, 16, 5, 5);
            Tensor g = Tensor.randn(rng, dtype, 70, 32, 10, 10);
            int[] one = {1, 1};
            int[] zero = {0, 0};
            Convolution.minParallelWork = 0;
            Convolution.threads = 1;
            double[] reference = inputGrad(x, weight, g, one, zero, 1).toDoubleArray();
            for (int threads : new int[] {2, 3}) {
                Convolution.threads = threads;
                assertArrayEquals(reference, inputGrad(x, weight, g, one, zero, 1).toDoubleArray(), 0.0,
                        dtype + " threads " + threads);
            }
            // images 7..30 alone: other lanes, other blocks, the same bits
            Tensor part = inputGrad(x.narrow(0, 7, 24), weight, g.narrow(0, 7, 24), one, zero, 1);
            double[] expected = Arrays.copyOfRange(reference, 7 * 16 * 14 * 14, 31 * 16 * 14 * 14);
            assertArrayEquals(expected, part.toDoubleArray(), 0.0, dtype + " images 7..30");
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(5);
        Tensor x = Tensor.randn(rng, DType.FLOAT64, 16, 8, 5, 4).requiresGrad(true);
        Tensor weight = Tensor.randn(rng, DType.FLOAT64, 6, 4, 3, 2).requiresGrad(true);
        int[] s = {2, 1};
        int[] p = {1, 1};
        int[] d = {1, 2};
        GradCheck.Fn f = t -> t[0].conv2d(t[1], null, s, p, d, 2);
        GradCheck.Result r = GradCheck.check(f, x, weight);
        assertTrue(r.passed(), r::report);
        // no block of 8 input channels per group: the GEMM way, against finite differences all the same
        Tensor x2 = Tensor.randn(rng, DType.FLOAT64, 16, 3, 5, 4).requiresGrad(true);
        Tensor w2 = Tensor.randn(rng, DType.FLOAT64, 2, 3, 3, 2).requiresGrad(true);
        GradCheck.Result r2 = GradCheck.check(t -> t[0].conv2d(t[1], null, s, p, d, 1), x2, w2);
        assertTrue(r2.passed(), r2::report);
    }

    @Test
    void transposedConvolutionWithOutputPaddingMatchesTheDefinition() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            SplittableRandom rng = new SplittableRandom(17);
            // [17, 6, 4, 5] -> [17, 16, 12, 12] with groups 2: 8 output channels per group, the lanes path
            Tensor x = Tensor.randn(rng, dtype, 17, 6, 4, 5);
            Tensor weight = Tensor.randn(rng, dtype, 6, 8, 3, 2);
            int[] s = {3, 2};
            int[] p = {1, 0};
            int[] op = {2, 1};
            int[] d = {1, 2};
            Tensor y = x.convTranspose2d(weight, null, s, p, op, d, 2);
            int h = (4 - 1) * 3 - 2 + 2 + 2 + 1;
            int w = (5 - 1) * 2 - 0 + 2 + 1 + 1;
            assertArrayEquals(new int[] {17, 16, h, w}, y.shape());
            double[] expected = naiveInputGrad(x.toDoubleArray(), weight.toDoubleArray(), 17, 16, h, w, 6, 2, 3, 2, s,
                    p, d, 4, 5);
            double[] actual = y.toDoubleArray();
            double tol = dtype == DType.FLOAT64 ? 1e-12 : 2e-5;
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], tol * (1 + Math.abs(expected[i])), dtype + " element " + i);
            }
        }
    }

    @Test
    void takesOnlyBatchesOfSixteenAndWholeBlocksOfEightChannels() {
        Convolution.Geometry g = new Convolution.Geometry(3, 3, 1, 1, 1, 1, 1, 1);
        assertTrue(LaneInputGrad.applies(new Convolution.Conv(new int[] {16, 16, 8, 8}, 4, 1, g, 8, 8)));
        assertTrue(LaneInputGrad.applies(new Convolution.Conv(new int[] {64, 16, 8, 8}, 4, 2, g, 8, 8)));
        assertTrue(!LaneInputGrad.applies(new Convolution.Conv(new int[] {15, 16, 8, 8}, 4, 1, g, 8, 8)));
        assertTrue(!LaneInputGrad.applies(new Convolution.Conv(new int[] {64, 12, 8, 8}, 4, 1, g, 8, 8)));
        assertTrue(!LaneInputGrad.applies(new Convolution.Conv(new int[] {64, 16, 8, 8}, 4, 4, g, 8, 8)));
    }
}
