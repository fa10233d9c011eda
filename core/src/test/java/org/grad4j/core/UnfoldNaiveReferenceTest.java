package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@code unfold} (im2col) and its gradient (col2im) against naive loops, in float32 and float64: stride 1 (the
 * gradient's whole-rectangle copy, which convolutions do not reach since their input gradient folds rows instead),
 * padding wider than the kernel's reach so that some kernel taps read only padding, dilation, strides per axis,
 * and a non-contiguous input. Exact: both sides add the same few products in the same order.
 */
class UnfoldNaiveReferenceTest {

    @Test
    void unfoldAndItsGradientMatchNaiveLoops() {
        // n, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw
        int[][] cases = {
            {2, 3, 5, 6, 3, 3, 1, 1, 0, 0, 1, 1},
            {1, 2, 4, 4, 3, 2, 1, 1, 1, 1, 1, 1},
            {2, 1, 2, 2, 3, 3, 3, 3, 2, 2, 1, 1},   // the middle tap of each axis reads padding only
            {1, 2, 3, 5, 2, 3, 1, 2, 3, 3, 2, 1},
            {3, 2, 7, 6, 2, 2, 2, 1, 0, 1, 1, 2},
            {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
        };
        SplittableRandom rng = new SplittableRandom(11);
        for (int[] c : cases) {
            for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                for (boolean transposedInput : new boolean[] {false, true}) {
                    check(rng, dtype, c, transposedInput);
                }
            }
        }
    }

    private static void check(SplittableRandom rng, DType dtype, int[] c, boolean transposedInput) {
        int n = c[0], ch = c[1], h = c[2], w = c[3], kh = c[4], kw = c[5], sh = c[6], sw = c[7];
        int ph = c[8], pw = c[9], dh = c[10], dw = c[11];
        int oh = (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1;
        int ow = (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1;
        int l = oh * ow;
        double[] x = new double[n * ch * h * w];
        for (int i = 0; i < x.length; i++) x[i] = rng.nextInt(-8, 9) / 4.0;   // exact in float32
        double[] g = new double[n * ch * kh * kw * l];
        for (int i = 0; i < g.length; i++) g[i] = rng.nextInt(-8, 9) / 4.0;
        double[] cols = new double[g.length];
        double[] dx = new double[x.length];
        for (int in = 0; in < n; in++) {
            for (int ci = 0; ci < ch; ci++) {
                for (int ky = 0; ky < kh; ky++) {
                    for (int kx = 0; kx < kw; kx++) {
                        int row = (ci * kh + ky) * kw + kx;
                        for (int oy = 0; oy < oh; oy++) {
                            for (int ox = 0; ox < ow; ox++) {
                                int iy = oy * sh - ph + ky * dh;
                                int ix = ox * sw - pw + kx * dw;
                                int at = (in * ch * kh * kw + row) * l + oy * ow + ox;
                                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                                int xi = ((in * ch + ci) * h + iy) * w + ix;
                                cols[at] = x[xi];
                                dx[xi] += g[at];
                            }
                        }
                    }
                }
            }
        }
        Tensor xt;
        if (transposedInput) {   // the same values through a view with swapped H/W strides
            double[] swapped = new double[x.length];
            for (int in = 0; in < n * ch; in++) {
                for (int y = 0; y < h; y++) {
                    for (int xx = 0; xx < w; xx++) swapped[(in * w + xx) * h + y] = x[(in * h + y) * w + xx];
                }
            }
            xt = Tensor.of(swapped, n, ch, w, h).to(dtype).requiresGrad(true);
        } else {
            xt = Tensor.of(x, n, ch, h, w).to(dtype).requiresGrad(true);
        }
        Tensor input = transposedInput ? xt.transpose(2, 3) : xt;
        Tensor y = input.unfold(new int[] {kh, kw}, new int[] {sh, sw}, new int[] {ph, pw}, new int[] {dh, dw});
        String what = java.util.Arrays.toString(c) + " " + dtype + (transposedInput ? " transposed input" : "");
        assertArrayEquals(new int[] {n, ch * kh * kw, l}, y.shape(), what);
        assertArrayEquals(cols, y.toDoubleArray(), 0.0, what + " forward");
        y.backward(Tensor.of(g, n, ch * kh * kw, l).to(dtype));
        Tensor grad = transposedInput ? xt.grad().transpose(2, 3) : xt.grad();
        assertArrayEquals(dx, grad.contiguous().toDoubleArray(), 0.0, what + " gradient");
        assertEquals(dtype, xt.grad().dtype(), what);
    }
}
