package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The forward and the weight gradient on {@code Kernels.convRows} tiles (no column matrix): the same bits as im2col
 * and the GEMM, and the values of naive float64 loops, over batches, channels, output channels around one and two
 * vectors, image sizes whose output rows are and are not multiples of the tile's ten positions, kernel sizes,
 * strides, paddings, dilations, groups (which take the GEMM path) and transposed inputs, in float32 and float64. The
 * thresholds are lowered so that every convolution the tiles can serve takes them.
 */
class ConvolutionTilesTest {

    private record Results(Tensor y, Tensor dx, Tensor dw, Tensor db) {
    }

    private static Results run(long seed, DType dtype, int[] c, boolean transposed, boolean tiles) {
        boolean savedTiles = Convolution.tilesEnabled;
        int savedRows = Convolution.forwardTilesMinRows;
        int savedChannels = Convolution.weightGradTilesMinChannels;
        try {
            Convolution.tilesEnabled = tiles;
            Convolution.forwardTilesMinRows = 1;
            Convolution.weightGradTilesMinChannels = 1;
            SplittableRandom rng = new SplittableRandom(seed);
            // {batch, cin, h, w, cout, kh, kw, stride, padding, dilation, groups}
            Tensor x = transposed
                    ? Tensor.randn(rng, dtype, c[0], c[1], c[3], c[2]).transpose(2, 3)
                    : Tensor.randn(rng, dtype, c[0], c[1], c[2], c[3]);
            x.requiresGrad(true);
            Tensor w = Tensor.randn(rng, dtype, c[4], c[1] / c[10], c[5], c[6]).requiresGrad(true);
            Tensor b = Tensor.randn(rng, dtype, c[4]).requiresGrad(true);
            Tensor y = x.conv2d(w, b, new int[] {c[7], c[7]}, new int[] {c[8], c[8]}, new int[] {c[9], c[9]}, c[10]);
            Tensor g = Tensor.randn(rng, dtype, y.shape());
            y.backward(g);
            return new Results(y.detach(), x.grad(), w.grad(), b.grad());
        } finally {
            Convolution.tilesEnabled = savedTiles;
            Convolution.forwardTilesMinRows = savedRows;
            Convolution.weightGradTilesMinChannels = savedChannels;
        }
    }

    @Property(tries = 80)
    void tilesGiveTheBitsOfTheGemmPathAndTheValuesOfNaiveLoops(
            @ForAll @IntRange(min = 1, max = 3) int batch, @ForAll @IntRange(min = 1, max = 12) int cin,
            @ForAll @IntRange(min = 1, max = 36) int cout, @ForAll @IntRange(min = 3, max = 24) int h,
            @ForAll @IntRange(min = 3, max = 26) int w, @ForAll @IntRange(min = 1, max = 5) int kh,
            @ForAll @IntRange(min = 1, max = 5) int kw, @ForAll @IntRange(min = 1, max = 2) int stride,
            @ForAll @IntRange(min = 0, max = 2) int padding, @ForAll @IntRange(min = 1, max = 2) int dilation,
            @ForAll boolean twoGroups, @ForAll boolean transposed, @ForAll boolean float64,
            @ForAll @IntRange(min = 0, max = 1 << 20) int seed) {
        int groups = twoGroups && cin % 2 == 0 && cout % 2 == 0 ? 2 : 1;
        int oh = (h + 2 * padding - dilation * (kh - 1) - 1) / stride + 1;
        int ow = (w + 2 * padding - dilation * (kw - 1) - 1) / stride + 1;
        Assume.that(h + 2 * padding - dilation * (kh - 1) - 1 >= 0 && w + 2 * padding - dilation * (kw - 1) - 1 >= 0);
        int[] c = {batch, cin, h, w, cout, kh, kw, stride, padding, dilation, groups};
        DType dtype = float64 ? DType.FLOAT64 : DType.FLOAT32;
        Results tiles = run(seed, dtype, c, transposed, true);
        Results gemm = run(seed, dtype, c, transposed, false);
        assertArrayEquals(gemm.y.toDoubleArray(), tiles.y.toDoubleArray(), "forward");
        assertArrayEquals(gemm.dw.toDoubleArray(), tiles.dw.toDoubleArray(), "weight gradient");
        assertArrayEquals(gemm.dx.toDoubleArray(), tiles.dx.toDoubleArray(), "input gradient");
        assertArrayEquals(gemm.db.toDoubleArray(), tiles.db.toDoubleArray(), "bias gradient");
        assertEquals(oh, tiles.y.shape()[2]);
        assertEquals(ow, tiles.y.shape()[3]);
        checkAgainstNaiveLoops(seed, dtype, c, transposed, tiles, float64 ? 1e-10 : 2e-4);
    }

    /** The forward and the weight gradient of {@code c} recomputed in float64 loops from the definitions. */
    private static void checkAgainstNaiveLoops(long seed, DType dtype, int[] c, boolean transposed,
            Results r, double tol) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor xt = transposed
                ? Tensor.randn(rng, dtype, c[0], c[1], c[3], c[2]).transpose(2, 3)
                : Tensor.randn(rng, dtype, c[0], c[1], c[2], c[3]);
        Tensor wt = Tensor.randn(rng, dtype, c[4], c[1] / c[10], c[5], c[6]);
        Tensor bt = Tensor.randn(rng, dtype, c[4]);
        int oh = r.y.shape()[2];
        int ow = r.y.shape()[3];
        Tensor gt = Tensor.randn(rng, dtype, c[0], c[4], oh, ow);
        double[] x = xt.contiguous().toDoubleArray();
        double[] w = wt.toDoubleArray();
        double[] b = bt.toDoubleArray();
        double[] g = gt.toDoubleArray();
        int n = c[0], cin = c[1], h = c[2], wd = c[3], cout = c[4], kh = c[5], kw = c[6];
        int s = c[7], p = c[8], d = c[9], groups = c[10];
        int cinG = cin / groups;
        int coutG = cout / groups;
        double[] y = new double[n * cout * oh * ow];
        double[] dw = new double[cout * cinG * kh * kw];
        for (int in = 0; in < n; in++) {
            for (int co = 0; co < cout; co++) {
                int grp = co / coutG;
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        int yi = ((in * cout + co) * oh + oy) * ow + ox;
                        double sum = b[co];
                        for (int ci = 0; ci < cinG; ci++) {
                            for (int i = 0; i < kh; i++) {
                                for (int j = 0; j < kw; j++) {
                                    int iy = oy * s - p + i * d;
                                    int ix = ox * s - p + j * d;
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= wd) {
                                        continue;
                                    }
                                    double xv = x[((in * cin + grp * cinG + ci) * h + iy) * wd + ix];
                                    int wi = ((co * cinG + ci) * kh + i) * kw + j;
                                    sum += xv * w[wi];
                                    dw[wi] += xv * g[yi];
                                }
                            }
                        }
                        y[yi] = sum;
                    }
                }
            }
        }
        assertClose(y, r.y.toDoubleArray(), tol, "forward");
        assertClose(dw, r.dw.toDoubleArray(), tol, "weight gradient");
    }

    private static void assertClose(double[] expected, double[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            double scale = Math.max(1, Math.abs(expected[i]));
            assertTrue(Math.abs(expected[i] - actual[i]) <= tol * scale * 10,
                    what + " at " + i + ": expected " + expected[i] + ", got " + actual[i]);
        }
    }

    /**
     * LeNet's two layers at batch 64 with the default thresholds (the second layer's forward and weight gradient on
     * tiles, the first layer's on the GEMM): the same bits either way.
     */
    @Test
    void lenetLayersGiveTheGemmPathsBits() {
        int[][] layers = {{64, 16, 14, 14, 32, 5, 5, 1, 0, 1, 1}, {64, 1, 28, 28, 16, 5, 5, 1, 2, 1, 1}};
        for (int[] c : layers) {
            for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                Results tiles = runDefault(dtype, c, true);
                Results gemm = runDefault(dtype, c, false);
                assertArrayEquals(gemm.y.toDoubleArray(), tiles.y.toDoubleArray());
                assertArrayEquals(gemm.dw.toDoubleArray(), tiles.dw.toDoubleArray());
                assertArrayEquals(gemm.dx.toDoubleArray(), tiles.dx.toDoubleArray());
            }
        }
    }

    /**
     * Threads take whole images of the forward and whole parts of the weight gradient on tiles as on the GEMM path:
     * 1, 2 and 3 threads give the same bits (an odd batch, so the parts differ in size).
     */
    @Test
    void tilesGiveTheSameBitsWithOneTwoAndThreeThreads() {
        int savedThreads = Convolution.threads;
        long savedWork = Convolution.minParallelWork;
        try {
            Convolution.minParallelWork = 0;
            int[] c = {7, 9, 12, 13, 20, 5, 5, 1, 1, 1, 1};
            for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                Convolution.threads = 1;
                Results one = run(3, dtype, c, false, true);
                for (int threads = 2; threads <= 3; threads++) {
                    Convolution.threads = threads;
                    Results more = run(3, dtype, c, false, true);
                    assertArrayEquals(one.y.toDoubleArray(), more.y.toDoubleArray(), threads + " threads");
                    assertArrayEquals(one.dw.toDoubleArray(), more.dw.toDoubleArray(), threads + " threads");
                    assertArrayEquals(one.dx.toDoubleArray(), more.dx.toDoubleArray(), threads + " threads");
                }
            }
        } finally {
            Convolution.threads = savedThreads;
            Convolution.minParallelWork = savedWork;
        }
    }

    private static Results runDefault(DType dtype, int[] c, boolean tiles) {
        boolean saved = Convolution.tilesEnabled;
        try {
            Convolution.tilesEnabled = tiles;
            SplittableRandom rng = new SplittableRandom(5);
            Tensor x = Tensor.randn(rng, dtype, c[0], c[1], c[2], c[3]).requiresGrad(true);
            Tensor w = Tensor.randn(rng, dtype, c[4], c[1], c[5], c[6]).requiresGrad(true);
            Tensor y = x.conv2d(w, null, new int[] {1, 1}, new int[] {c[8], c[8]}, new int[] {1, 1}, 1);
            y.backward(Tensor.randn(rng, dtype, y.shape()));
            return new Results(y.detach(), x.grad(), w.grad(), null);
        } finally {
            Convolution.tilesEnabled = saved;
        }
    }
}
