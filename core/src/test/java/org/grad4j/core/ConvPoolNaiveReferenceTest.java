package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * conv2d, convTranspose2d, max pooling (values and indices) and average pooling, forward and backward, in float32
 * and float64, against naive loops over every output position and tap (they share nothing with the im2col/GEMM and
 * window-kernel implementation). The settings cover batches of several images, groups (depthwise too), padding,
 * strides and dilations that differ per axis, 1x1 and LeNet-like kernels, ceil mode and both average-pool divisors;
 * the max-pool inputs are small integers, so windows have ties and the first maximal tap must win.
 */
class ConvPoolNaiveReferenceTest {
    private static final DType[] DTYPES = {DType.FLOAT32, DType.FLOAT64};

    private static double tolerance(DType dtype) {
        return dtype == DType.FLOAT32 ? 2e-4 : 1e-11;
    }

    private static double[] random(SplittableRandom rng, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = rng.nextDouble(-1, 1);
        return v;
    }

    private static double[] smallIntegers(SplittableRandom rng, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = rng.nextInt(-2, 3);
        return v;
    }

    /** Rounds to the dtype, so the naive loops see the values the library sees. */
    private static double[] rounded(double[] v, DType dtype) {
        double[] r = v.clone();
        if (dtype == DType.FLOAT32) {
            for (int i = 0; i < r.length; i++) r[i] = (float) r[i];
        }
        return r;
    }

    private static Tensor leaf(double[] v, DType dtype, int... shape) {
        return Tensor.of(v, shape).to(dtype).requiresGrad(true);
    }

    private static void assertClose(double[] expected, Tensor actual, double tol, String what) {
        double[] a = actual.toDoubleArray();
        assertEquals(expected.length, a.length, what + ": length");
        for (int i = 0; i < a.length; i++) {
            assertEquals(expected[i], a[i], tol * (1 + Math.abs(expected[i])), what + " at " + i);
        }
    }

    private static int outSize(int in, int k, int s, int p, int d, boolean ceil) {
        int span = in + 2 * p - d * (k - 1) - 1;
        int out = (ceil ? Math.floorDiv(span + s - 1, s) : Math.floorDiv(span, s)) + 1;
        if (ceil && (out - 1) * s >= in + p) {
            out--;
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ conv2d

    @Test
    void conv2dMatchesNaiveLoops() {
        // n, c, h, w, o, kh, kw, sh, sw, ph, pw, dh, dw, groups, bias
        int[][] cases = {
            {2, 3, 7, 6, 4, 3, 3, 1, 1, 0, 0, 1, 1, 1, 1},
            {3, 4, 9, 8, 6, 3, 2, 2, 1, 1, 2, 1, 2, 2, 1},
            {2, 2, 5, 5, 3, 1, 1, 1, 1, 0, 0, 1, 1, 1, 0},
            {5, 1, 12, 12, 6, 5, 5, 1, 1, 0, 0, 1, 1, 1, 1},
            {2, 6, 6, 7, 6, 3, 3, 2, 2, 1, 1, 1, 1, 6, 1},
            {4, 3, 8, 8, 5, 2, 2, 2, 2, 0, 0, 1, 1, 1, 0},
            {3, 2, 6, 9, 4, 2, 3, 3, 2, 2, 0, 2, 1, 2, 1},
            // 10 x 10 and 9 x 9 positions: not a multiple of 16, so images share one GEMM and rows are padded
            {5, 3, 14, 14, 4, 5, 5, 1, 1, 0, 0, 1, 1, 1, 1},
            {3, 2, 11, 11, 3, 3, 3, 1, 1, 0, 0, 1, 1, 1, 0},
            {9, 2, 10, 10, 2, 3, 3, 1, 1, 1, 1, 1, 1, 2, 1},
        };
        SplittableRandom rng = new SplittableRandom(7);
        for (int[] c : cases) {
            for (DType dtype : DTYPES) {
                conv2dCase(rng, dtype, c);
            }
        }
    }

    private static void conv2dCase(SplittableRandom rng, DType dtype, int[] c) {
        int n = c[0], ch = c[1], h = c[2], w = c[3], o = c[4], kh = c[5], kw = c[6], sh = c[7], sw = c[8];
        int ph = c[9], pw = c[10], dh = c[11], dw = c[12], groups = c[13];
        boolean hasBias = c[14] == 1;
        int cg = ch / groups, og = o / groups;
        int oh = outSize(h, kh, sh, ph, dh, false), ow = outSize(w, kw, sw, pw, dw, false);
        double[] x = rounded(random(rng, n * ch * h * w), dtype);
        double[] wt = rounded(random(rng, o * cg * kh * kw), dtype);
        double[] b = rounded(random(rng, o), dtype);
        double[] g = rounded(random(rng, n * o * oh * ow), dtype);
        double[] out = new double[n * o * oh * ow];
        double[] dx = new double[x.length];
        double[] dwt = new double[wt.length];
        double[] db = new double[o];
        for (int in = 0; in < n; in++) {
            for (int oc = 0; oc < o; oc++) {
                int group = oc / og;
                for (int y = 0; y < oh; y++) {
                    for (int xo = 0; xo < ow; xo++) {
                        int at = ((in * o + oc) * oh + y) * ow + xo;
                        double s = hasBias ? b[oc] : 0;
                        db[oc] += g[at];
                        for (int ci = 0; ci < cg; ci++) {
                            int cin = group * cg + ci;
                            for (int ky = 0; ky < kh; ky++) {
                                int iy = y * sh - ph + ky * dh;
                                if (iy < 0 || iy >= h) continue;
                                for (int kx = 0; kx < kw; kx++) {
                                    int ix = xo * sw - pw + kx * dw;
                                    if (ix < 0 || ix >= w) continue;
                                    int xi = ((in * ch + cin) * h + iy) * w + ix;
                                    int wi = ((oc * cg + ci) * kh + ky) * kw + kx;
                                    s += x[xi] * wt[wi];
                                    dx[xi] += g[at] * wt[wi];
                                    dwt[wi] += g[at] * x[xi];
                                }
                            }
                        }
                        out[at] = s;
                    }
                }
            }
        }
        Tensor xt = leaf(x, dtype, n, ch, h, w);
        Tensor wtt = leaf(wt, dtype, o, cg, kh, kw);
        Tensor bt = hasBias ? leaf(b, dtype, o) : null;
        Tensor y = xt.conv2d(wtt, bt, new int[] {sh, sw}, new int[] {ph, pw}, new int[] {dh, dw}, groups);
        String what = "conv2d " + java.util.Arrays.toString(c) + " " + dtype;
        assertArrayEquals(new int[] {n, o, oh, ow}, y.shape(), what);
        assertEquals(dtype, y.dtype(), what);
        double tol = tolerance(dtype);
        assertClose(out, y, tol, what + " forward");
        y.backward(Tensor.of(g, n, o, oh, ow).to(dtype));
        assertClose(dx, xt.grad(), tol, what + " input grad");
        assertClose(dwt, wtt.grad(), tol, what + " weight grad");
        if (hasBias) {
            assertClose(db, bt.grad(), tol, what + " bias grad");
        }
    }

    // ------------------------------------------------------------------------------------------------ convTranspose2d

    @Test
    void convTranspose2dMatchesNaiveLoops() {
        // n, cin, h, w, cout, kh, kw, sh, sw, ph, pw, oph, opw, dh, dw, groups, bias
        int[][] cases = {
            {2, 4, 5, 4, 3, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1},
            {2, 4, 4, 5, 4, 2, 3, 1, 2, 0, 1, 0, 1, 2, 1, 2, 0},
            {3, 2, 3, 3, 2, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1},
        };
        SplittableRandom rng = new SplittableRandom(11);
        for (int[] c : cases) {
            for (DType dtype : DTYPES) {
                convTransposeCase(rng, dtype, c);
            }
        }
    }

    private static void convTransposeCase(SplittableRandom rng, DType dtype, int[] c) {
        int n = c[0], cin = c[1], h = c[2], w = c[3], cout = c[4], kh = c[5], kw = c[6], sh = c[7], sw = c[8];
        int ph = c[9], pw = c[10], oph = c[11], opw = c[12], dh = c[13], dw = c[14], groups = c[15];
        boolean hasBias = c[16] == 1;
        int cing = cin / groups, coutg = cout / groups;
        int oh = (h - 1) * sh - 2 * ph + dh * (kh - 1) + oph + 1;
        int ow = (w - 1) * sw - 2 * pw + dw * (kw - 1) + opw + 1;
        double[] x = rounded(random(rng, n * cin * h * w), dtype);
        double[] wt = rounded(random(rng, cin * coutg * kh * kw), dtype);
        double[] b = rounded(random(rng, cout), dtype);
        double[] g = rounded(random(rng, n * cout * oh * ow), dtype);
        double[] out = new double[n * cout * oh * ow];
        double[] dx = new double[x.length];
        double[] dwt = new double[wt.length];
        double[] db = new double[cout];
        for (int in = 0; in < n; in++) {
            for (int oc = 0; oc < cout; oc++) {
                for (int i = 0; i < oh * ow; i++) {
                    int at = (in * cout + oc) * oh * ow + i;
                    if (hasBias) out[at] += b[oc];
                    db[oc] += g[at];
                }
            }
            for (int ci = 0; ci < cin; ci++) {
                int group = ci / cing;
                for (int iy = 0; iy < h; iy++) {
                    for (int ix = 0; ix < w; ix++) {
                        int xi = ((in * cin + ci) * h + iy) * w + ix;
                        for (int co = 0; co < coutg; co++) {
                            int oc = group * coutg + co;
                            for (int ky = 0; ky < kh; ky++) {
                                int y = iy * sh - ph + ky * dh;
                                if (y < 0 || y >= oh) continue;
                                for (int kx = 0; kx < kw; kx++) {
                                    int xo = ix * sw - pw + kx * dw;
                                    if (xo < 0 || xo >= ow) continue;
                                    int at = ((in * cout + oc) * oh + y) * ow + xo;
                                    int wi = ((ci * coutg + co) * kh + ky) * kw + kx;
                                    out[at] += x[xi] * wt[wi];
                                    dx[xi] += g[at] * wt[wi];
                                    dwt[wi] += g[at] * x[xi];
                                }
                            }
                        }
                    }
                }
            }
        }
        Tensor xt = leaf(x, dtype, n, cin, h, w);
        Tensor wtt = leaf(wt, dtype, cin, coutg, kh, kw);
        Tensor bt = hasBias ? leaf(b, dtype, cout) : null;
        Tensor y = xt.convTranspose2d(wtt, bt, new int[] {sh, sw}, new int[] {ph, pw}, new int[] {oph, opw},
                new int[] {dh, dw}, groups);
        String what = "convTranspose2d " + java.util.Arrays.toString(c) + " " + dtype;
        assertArrayEquals(new int[] {n, cout, oh, ow}, y.shape(), what);
        double tol = tolerance(dtype);
        assertClose(out, y, tol, what + " forward");
        y.backward(Tensor.of(g, n, cout, oh, ow).to(dtype));
        assertClose(dx, xt.grad(), tol, what + " input grad");
        assertClose(dwt, wtt.grad(), tol, what + " weight grad");
        if (hasBias) {
            assertClose(db, bt.grad(), tol, what + " bias grad");
        }
    }

    // ------------------------------------------------------------------------------------------------ pooling

    @Test
    void maxPool2dMatchesNaiveLoopsWithTies() {
        // n, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, ceil
        int[][] cases = {
            {2, 3, 8, 8, 2, 2, 2, 2, 0, 0, 1, 1, 0},
            {2, 3, 7, 9, 2, 2, 1, 1, 0, 0, 1, 1, 0},
            {1, 2, 9, 8, 3, 3, 2, 2, 1, 1, 1, 1, 1},
            {2, 2, 10, 9, 3, 2, 2, 3, 1, 1, 2, 1, 0},
            {1, 1, 7, 7, 2, 2, 2, 2, 0, 0, 1, 1, 1},
            {3, 2, 6, 5, 2, 3, 1, 2, 1, 1, 1, 2, 1},
            // ceil mode's last window would start at exactly size + padding: dropped (3 x 3, not 4 x 4)
            {1, 1, 5, 5, 2, 2, 2, 2, 1, 1, 1, 1, 1},
        };
        SplittableRandom rng = new SplittableRandom(13);
        for (int[] c : cases) {
            for (DType dtype : DTYPES) {
                maxPoolCase(rng, dtype, c);
            }
        }
    }

    private static void maxPoolCase(SplittableRandom rng, DType dtype, int[] c) {
        int n = c[0], ch = c[1], h = c[2], w = c[3], kh = c[4], kw = c[5], sh = c[6], sw = c[7];
        int ph = c[8], pw = c[9], dh = c[10], dw = c[11];
        boolean ceil = c[12] == 1;
        int oh = outSize(h, kh, sh, ph, dh, ceil), ow = outSize(w, kw, sw, pw, dw, ceil);
        double[] x = smallIntegers(rng, n * ch * h * w);
        double[] g = rounded(random(rng, n * ch * oh * ow), dtype);
        double[] out = new double[n * ch * oh * ow];
        long[] idx = new long[out.length];
        double[] dx = new double[x.length];
        for (int plane = 0; plane < n * ch; plane++) {
            for (int y = 0; y < oh; y++) {
                for (int xo = 0; xo < ow; xo++) {
                    int at = (plane * oh + y) * ow + xo;
                    double best = Double.NEGATIVE_INFINITY;
                    int where = -1;
                    for (int ky = 0; ky < kh; ky++) {
                        int iy = y * sh - ph + ky * dh;
                        if (iy < 0 || iy >= h) continue;
                        for (int kx = 0; kx < kw; kx++) {
                            int ix = xo * sw - pw + kx * dw;
                            if (ix < 0 || ix >= w) continue;
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
        Tensor xt = leaf(x, dtype, n, ch, h, w);
        Tensor[] r = xt.maxPool2dWithIndices(new int[] {kh, kw}, new int[] {sh, sw}, new int[] {ph, pw},
                new int[] {dh, dw}, ceil);
        String what = "maxPool2d " + java.util.Arrays.toString(c) + " " + dtype;
        assertArrayEquals(new int[] {n, ch, oh, ow}, r[0].shape(), what);
        assertArrayEquals(out, r[0].toDoubleArray(), 0.0, what + " values");
        assertArrayEquals(idx, r[1].toLongArray(), what + " indices");
        r[0].backward(Tensor.of(g, n, ch, oh, ow).to(dtype));
        assertClose(dx, xt.grad(), tolerance(dtype), what + " grad");
        Tensor plain = leaf(x, dtype, n, ch, h, w);
        Tensor p = plain.maxPool2d(new int[] {kh, kw}, new int[] {sh, sw}, new int[] {ph, pw}, new int[] {dh, dw},
                ceil);
        assertArrayEquals(out, p.toDoubleArray(), 0.0, what + " values without indices");
        p.backward(Tensor.of(g, n, ch, oh, ow).to(dtype));
        assertClose(dx, plain.grad(), tolerance(dtype), what + " grad without indices");
    }

    @Test
    void avgPool2dMatchesNaiveLoops() {
        // n, c, h, w, kh, kw, sh, sw, ph, pw, ceil, countIncludePad
        int[][] cases = {
            {2, 3, 8, 8, 2, 2, 2, 2, 0, 0, 0, 1},
            {1, 2, 9, 7, 3, 3, 2, 2, 1, 1, 1, 1},
            {1, 2, 9, 7, 3, 3, 2, 2, 1, 1, 1, 0},
            {2, 2, 6, 9, 2, 3, 1, 2, 1, 1, 0, 0},
            {2, 1, 5, 5, 3, 2, 3, 3, 1, 0, 1, 1},
            {1, 1, 5, 5, 2, 2, 2, 2, 1, 1, 1, 0},
        };
        SplittableRandom rng = new SplittableRandom(17);
        for (int[] c : cases) {
            for (DType dtype : DTYPES) {
                avgPoolCase(rng, dtype, c);
            }
        }
    }

    private static void avgPoolCase(SplittableRandom rng, DType dtype, int[] c) {
        int n = c[0], ch = c[1], h = c[2], w = c[3], kh = c[4], kw = c[5], sh = c[6], sw = c[7];
        int ph = c[8], pw = c[9];
        boolean ceil = c[10] == 1, includePad = c[11] == 1;
        int oh = outSize(h, kh, sh, ph, 1, ceil), ow = outSize(w, kw, sw, pw, 1, ceil);
        double[] x = rounded(random(rng, n * ch * h * w), dtype);
        double[] g = rounded(random(rng, n * ch * oh * ow), dtype);
        double[] out = new double[n * ch * oh * ow];
        double[] dx = new double[x.length];
        for (int plane = 0; plane < n * ch; plane++) {
            for (int y = 0; y < oh; y++) {
                for (int xo = 0; xo < ow; xo++) {
                    int at = (plane * oh + y) * ow + xo;
                    int y0 = y * sh - ph, x0 = xo * sw - pw;
                    int y1 = Math.min(y0 + kh, h + ph), x1 = Math.min(x0 + kw, w + pw);
                    int padded = (y1 - y0) * (x1 - x0);
                    int ya = Math.max(y0, 0), xa = Math.max(x0, 0), yb = Math.min(y1, h), xb = Math.min(x1, w);
                    int divisor = includePad ? padded : (yb - ya) * (xb - xa);
                    double s = 0;
                    for (int iy = ya; iy < yb; iy++) {
                        for (int ix = xa; ix < xb; ix++) s += x[(plane * h + iy) * w + ix];
                    }
                    out[at] = s / divisor;
                    for (int iy = ya; iy < yb; iy++) {
                        for (int ix = xa; ix < xb; ix++) dx[(plane * h + iy) * w + ix] += g[at] / divisor;
                    }
                }
            }
        }
        Tensor xt = leaf(x, dtype, n, ch, h, w);
        Tensor y = xt.avgPool2d(new int[] {kh, kw}, new int[] {sh, sw}, new int[] {ph, pw}, ceil, includePad);
        String what = "avgPool2d " + java.util.Arrays.toString(c) + " " + dtype;
        assertArrayEquals(new int[] {n, ch, oh, ow}, y.shape(), what);
        assertClose(out, y, tolerance(dtype), what + " forward");
        y.backward(Tensor.of(g, n, ch, oh, ow).to(dtype));
        assertClose(dx, xt.grad(), tolerance(dtype), what + " grad");
    }
}
