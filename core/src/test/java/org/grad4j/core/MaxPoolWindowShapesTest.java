package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Max pooling against a naive loop for windows next to the shapes the 2x2 fast paths take (2x2 windows at stride 2
 * of a dense input): 3x3 windows at stride 2 without padding (windows starting at even rows, like 2x2 ones), 2x2
 * windows dilated, padded, at stride 1, 1x1 and 2x3 windows, and inputs whose rows are not {@code w} elements
 * apart or whose columns are not adjacent (a column-narrowed input, overlapping windows of a 1-d tensor, a
 * transposed one). Values, indices and the gradient, float32 and float64; inputs are small integers, so windows
 * have ties and the first maximal tap must win. Also the third derivative, whose rule is the second one's dual.
 */
class MaxPoolWindowShapesTest {

    /** The input: contiguous, or with the same values in another layout. */
    private enum Layout { DENSE, NARROWED_COLUMNS, COLUMN_STEP_2, TRANSPOSED }

    private static Tensor laidOut(double[] x, DType dtype, int n, int c, int h, int w, Layout layout) {
        switch (layout) {
            case DENSE:
                return Tensor.of(x, n, c, h, w).to(dtype);
            case NARROWED_COLUMNS: {
                // rows w + 3 elements apart
                double[] wide = new double[n * c * h * (w + 3)];
                for (int p = 0; p < n * c * h; p++) System.arraycopy(x, p * w, wide, p * (w + 3) + 1, w);
                Tensor t = Tensor.of(wide, n, c, h, w + 3).to(dtype).narrow(3, 1, w);
                assertArrayEquals(new int[] {w + 3, 1}, new int[] {t.strides()[2], t.strides()[3]}, "strides");
                return t;
            }
            case COLUMN_STEP_2: {
                // one plane: rows w apart, columns 2 apart (overlapping windows of a 1-d tensor, then every second
                // column): row r, column j at r w + 2 j, distinct positions for an odd w
                double[] flat = new double[(h - 1) * w + 2 * w];
                for (int r = 0; r < h; r++) {
                    for (int j = 0; j < w; j++) flat[r * w + 2 * j] = x[r * w + j];
                }
                Tensor t = Tensor.of(flat).to(dtype).unfold(0, 2 * w, w).slice(1, 0, 2 * w, 2).unsqueeze(0)
                        .unsqueeze(0);
                int[] strides = t.strides();
                assertArrayEquals(new int[] {w, 2}, new int[] {strides[2], strides[3]}, "row and column strides");
                return t;
            }
            default: {
                double[] t = new double[x.length];
                for (int p = 0; p < n * c; p++) {
                    for (int r = 0; r < h; r++) {
                        for (int j = 0; j < w; j++) t[(p * w + j) * h + r] = x[(p * h + r) * w + j];
                    }
                }
                return Tensor.of(t, n, c, w, h).to(dtype).transpose(2, 3);
            }
        }
    }

    private static void check(int[] c, Layout layout, long seed) {
        int n = c[0], ch = c[1], h = c[2], w = c[3], kh = c[4], kw = c[5], sh = c[6], sw = c[7];
        int ph = c[8], pw = c[9], dh = c[10], dw = c[11];
        int oh = (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1;
        int ow = (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1;
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[n * ch * h * w];
        for (int i = 0; i < x.length; i++) x[i] = rng.nextInt(-3, 4);
        double[] g = new double[n * ch * oh * ow];
        for (int i = 0; i < g.length; i++) g[i] = rng.nextInt(-8, 9) / 4.0;
        double[] out = new double[g.length];
        long[] idx = new long[g.length];
        double[] dx = new double[x.length];
        for (int plane = 0; plane < n * ch; plane++) {
            for (int y = 0; y < oh; y++) {
                for (int xo = 0; xo < ow; xo++) {
                    int at = (plane * oh + y) * ow + xo;
                    double best = Double.NEGATIVE_INFINITY;
                    int where = -1;
                    for (int ky = 0; ky < kh; ky++) {
                        int iy = y * sh - ph + ky * dh;
                        for (int kx = 0; kx < kw; kx++) {
                            int ix = xo * sw - pw + kx * dw;
                            if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                            double v = x[(plane * h + iy) * w + ix];
                            if (where < 0 || v > best) {
                                best = v;
                                where = iy * w + ix;
                            }
                        }
                    }
                    out[at] = best;
                    idx[at] = where;
                    dx[plane * h * w + where] += g[at];
                }
            }
        }
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            String what = java.util.Arrays.toString(c) + " " + layout + " " + dtype;
            Tensor input = laidOut(x, dtype, n, ch, h, w, layout).detach().requiresGrad(true);
            assertArrayEquals(x, input.toDoubleArray(), 0.0, what + " input");
            Tensor[] r = input.maxPool2dWithIndices(new int[] {kh, kw}, new int[] {sh, sw}, new int[] {ph, pw},
                    new int[] {dh, dw}, false);
            assertArrayEquals(new int[] {n, ch, oh, ow}, r[0].shape(), what);
            assertArrayEquals(out, r[0].toDoubleArray(), 0.0, what + " values");
            assertArrayEquals(idx, r[1].toLongArray(), what + " indices");
            r[0].backward(Tensor.of(g, n, ch, oh, ow).to(dtype));
            assertArrayEquals(dx, input.grad().toDoubleArray(), 0.0, what + " gradient");
        }
    }

    @Test
    void windowsNextToTheTwoByTwoShapesPoolAsTheNaiveLoop() {
        // n, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw
        int[][] cases = {
            {2, 2, 7, 9, 3, 3, 2, 2, 0, 0, 1, 1},   // windows start at 0, 2, 4...: even, but not pairs
            {1, 2, 6, 8, 2, 2, 2, 2, 0, 0, 2, 2},   // taps 2 apart
            {1, 1, 7, 8, 2, 2, 2, 2, 0, 0, 2, 1},   // rows dilated only
            {1, 1, 6, 7, 2, 2, 2, 2, 0, 0, 1, 2},   // columns dilated only
            {2, 1, 1, 1, 2, 2, 2, 2, 1, 1, 1, 1},   // one window, half of it padding
            {1, 2, 3, 3, 2, 2, 2, 2, 1, 1, 1, 1},   // padded windows at stride 2
            {1, 1, 5, 6, 2, 2, 1, 1, 0, 0, 1, 1},   // pairs at stride 1: not at even starts
            {1, 1, 6, 6, 2, 2, 2, 1, 0, 0, 1, 1},   // pairs, even rows, odd columns
            {1, 1, 6, 6, 2, 2, 1, 2, 0, 0, 1, 1},   // pairs, odd rows, even columns
            {1, 2, 4, 5, 1, 1, 1, 1, 0, 0, 1, 1},   // single taps
            {1, 1, 6, 8, 2, 3, 2, 2, 0, 0, 1, 1},   // pairs of rows, triples of columns
            {1, 1, 8, 6, 3, 2, 2, 2, 0, 0, 1, 1},   // triples of rows, pairs of columns
            {1, 1, 6, 8, 2, 2, 2, 2, 0, 0, 1, 1},   // LeNet's 2x2 at stride 2
            {1, 1, 6, 7, 2, 2, 2, 2, 0, 0, 1, 1},   // the same with an odd width (the last column unread)
        };
        long seed = 1;
        for (int[] c : cases) {
            for (Layout layout : new Layout[] {Layout.DENSE, Layout.NARROWED_COLUMNS, Layout.TRANSPOSED}) {
                check(c, layout, seed++);
            }
            if (c[0] == 1 && c[1] == 1 && c[3] % 2 == 1) {   // an odd width: rows 2 apart in w never overlap
                check(c, Layout.COLUMN_STEP_2, seed++);
            }
        }
    }

    @Test
    void thirdDerivativeTakesTheSelectedElementsBack() {
        // y = maxpool(x); dx = scatter(gy) (recorded); d<dx, u>/dgy = take(u) (recorded); d<take(u), z>/du =
        // scatter(z): z added at each window's selected position
        int h = 4, w = 6;
        SplittableRandom rng = new SplittableRandom(21);
        double[] x = new double[2 * h * w];
        for (int i = 0; i < x.length; i++) x[i] = rng.nextInt(-3, 4);
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int[] k : new int[][] {{2, 2}, {3, 2}}) {
                Tensor xt = Tensor.of(x, 1, 2, h, w).to(dtype).requiresGrad(true);
                Tensor[] r = xt.maxPool2dWithIndices(k, new int[] {2, 2}, new int[] {0, 0}, new int[] {1, 1}, false);
                int[] pooled = r[0].shape();
                Tensor gy = Tensor.ones(pooled).to(dtype).requiresGrad(true);
                Tensor dx = Autograd.grad(List.of(r[0]), List.of(xt), List.of(gy), true, true, false).get(0);
                Tensor u = Tensor.zeros(xt.shape()).to(dtype).requiresGrad(true);
                Tensor dgy = Autograd.grad(List.of(dx.mul(u).sum()), List.of(gy), null, true, true, false).get(0);
                double[] z = new double[r[0].numel()];
                for (int i = 0; i < z.length; i++) z[i] = i + 0.25;
                dgy.backward(Tensor.of(z, pooled).to(dtype));
                double[] expected = new double[x.length];
                long[] idx = r[1].toLongArray();
                int perPlane = z.length / 2;
                for (int q = 0; q < z.length; q++) expected[q / perPlane * h * w + (int) idx[q]] += z[q];
                assertArrayEquals(expected, u.grad().toDoubleArray(), 0.0, dtype + " " + k[0] + "x" + k[1]);
            }
        }
    }
}
