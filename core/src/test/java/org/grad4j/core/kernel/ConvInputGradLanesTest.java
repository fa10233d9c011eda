package org.grad4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code convInputGradLanes}: the SIMD kernel against the scalar twin bit for bit, and both against a naive loop of
 * fmas written from the definition (same order, so exact), for lane counts around one and two vectors of floats and
 * doubles (the two-vector, one-vector and scalar-remainder paths), channel counts with and without a remainder after
 * blocks of eight, empty and full tap lists, lane strides wider than the lanes, offsets, and values salted with NaN,
 * infinities, -0.0 and subnormals; and {@code transpose} (the interleaving of a block of images) at sizes around
 * the 8 and 16 lanes of its tiles; and {@code reluBackward}. Repeated so the JIT compiles the loops.
 */
class ConvInputGradLanesTest {
    private static final Kernels SCALAR = KernelProvider.scalar();
    private static Kernels vector;

    @BeforeAll
    static void loadVectorKernels() {
        vector = SimdKernelsForTests.loadOrSkip();
    }

    /** Random tap tables and buffers for one call. */
    private record Case(int gOff, int gPlane, int wOff, int coutG, int cinG, int[] rowStart, int[] rowG, int[] rowW,
            int[] colStart, int[] colG, int[] colW, int dxOff, int h, int width, int lanes, int laneStride,
            int gLen, int wLen, int dxLen) {
        static Case random(SplittableRandom rng) {
            int lanes = 1 + rng.nextInt(40);
            int laneStride = lanes + rng.nextInt(3);
            int cinG = 1 + rng.nextInt(20);
            int coutG = 1 + rng.nextInt(4);
            int h = 1 + rng.nextInt(4);
            int width = 1 + rng.nextInt(4);
            int positions = 1 + rng.nextInt(6);
            int taps = 1 + rng.nextInt(4);
            int gPlane = positions * laneStride;
            int gOff = rng.nextInt(3);
            int wOff = rng.nextInt(3);
            int[][] rows = table(rng, h, taps, positions, laneStride, coutG * cinG);
            int[][] cols = table(rng, width, taps, 1, 0, 0);
            // columns add nothing to g's position here beyond the rows' (kept in range), and a further w offset
            for (int q = 0; q < cols[1].length; q++) cols[1][q] = 0;
            for (int q = 0; q < cols[2].length; q++) cols[2][q] = rng.nextInt(2) * taps * coutG * cinG;
            int dxOff = rng.nextInt(3);
            return new Case(gOff, gPlane, wOff, coutG, cinG, rows[0], rows[1], rows[2], cols[0], cols[1], cols[2],
                    dxOff, h, width, lanes, laneStride, gOff + coutG * gPlane, wOff + 2 * taps * taps * coutG * cinG,
                    dxOff + cinG * h * width * laneStride);
        }

        /** {start, gAt, wAt}: for each of {@code size} outputs 0 to {@code taps} taps (0 at times, all at others). */
        private static int[][] table(SplittableRandom rng, int size, int taps, int positions, int gStep, int wStep) {
            int[] start = new int[size + 1];
            int[] gAt = new int[size * taps];
            int[] wAt = new int[size * taps];
            int n = 0;
            for (int y = 0; y < size; y++) {
                start[y] = n;
                int count = rng.nextInt(taps + 1);
                for (int t = 0; t < count; t++, n++) {
                    gAt[n] = rng.nextInt(positions) * gStep;
                    wAt[n] = t * taps * wStep;
                }
            }
            start[size] = n;
            return new int[][] {start, gAt, wAt};
        }
    }

    @Test
    void simdMatchesScalarAndTheDefinition() {
        SplittableRandom rng = new SplittableRandom(9);
        for (int round = 0; round < 400; round++) {
            Case c = Case.random(rng);
            float[] g = floats(rng, c.gLen);
            float[] w = floats(rng, c.wLen);
            double[] gD = doubles(rng, c.gLen);
            double[] wD = doubles(rng, c.wLen);
            float[] expected = new float[c.dxLen];
            double[] expectedD = new double[c.dxLen];
            for (int ch = 0; ch < c.cinG; ch++) {
                for (int y = 0; y < c.h; y++) {
                    for (int x = 0; x < c.width; x++) {
                        for (int l = 0; l < c.lanes; l++) {
                            float s = 0;
                            double sD = 0;
                            for (int r = c.rowStart[y]; r < c.rowStart[y + 1]; r++) {
                                for (int q = c.colStart[x]; q < c.colStart[x + 1]; q++) {
                                    for (int co = 0; co < c.coutG; co++) {
                                        int ga = c.gOff + c.rowG[r] + c.colG[q] + co * c.gPlane + l;
                                        int wa = c.wOff + c.rowW[r] + c.colW[q] + co * c.cinG + ch;
                                        s = Math.fma(w[wa], g[ga], s);
                                        sD = Math.fma(wD[wa], gD[ga], sD);
                                    }
                                }
                            }
                            int at = c.dxOff + ((ch * c.h + y) * c.width + x) * c.laneStride + l;
                            expected[at] = s;
                            expectedD[at] = sD;
                        }
                    }
                }
            }
            for (Kernels k : new Kernels[] {SCALAR, vector}) {
                float[] dx = new float[c.dxLen];
                double[] dxD = new double[c.dxLen];
                k.convInputGradLanes(g, c.gOff, c.gPlane, w, c.wOff, c.coutG, c.cinG, c.rowStart, c.rowG, c.rowW,
                        c.colStart, c.colG, c.colW, dx, c.dxOff, c.h, c.width, c.lanes, c.laneStride);
                k.convInputGradLanes(gD, c.gOff, c.gPlane, wD, c.wOff, c.coutG, c.cinG, c.rowStart, c.rowG, c.rowW,
                        c.colStart, c.colG, c.colW, dxD, c.dxOff, c.h, c.width, c.lanes, c.laneStride);
                String what = k.name() + " round " + round + " lanes " + c.lanes + " cinG " + c.cinG;
                assertArrayEquals(expected, dx, what);
                assertArrayEquals(expectedD, dxD, what);
            }
        }
    }

    @Test
    void aChainThatNeverStartsHoldsNoNegativeZero() {
        // +0.0 from the start: a product of -0.0 added to it gives +0.0, in every lane path
        float[] g = new float[64];
        float[] w = new float[8];
        java.util.Arrays.fill(g, -0.0f);
        java.util.Arrays.fill(w, 1f);
        int[] start = {0, 1};
        int[] zero = {0};
        for (Kernels k : new Kernels[] {SCALAR, vector}) {
            float[] dx = new float[8 * 40];
            java.util.Arrays.fill(dx, Float.NaN);
            k.convInputGradLanes(g, 0, 0, w, 0, 1, 8, start, zero, zero, start, zero, zero, dx, 0, 1, 1, 40, 40);
            for (float v : dx) assertEquals(0x0, Float.floatToRawIntBits(v), k.name());
        }
    }

    @Test
    void transposeMovesEveryElementAndNothingElse() {
        SplittableRandom rng = new SplittableRandom(4);
        int[] sizes = {0, 1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 70};
        for (int round = 0; round < 3; round++) {
            for (int rows : sizes) {
                for (int cols : sizes) {
                    int sStride = cols + rng.nextInt(3);
                    int dStride = rows + rng.nextInt(3);
                    int sOff = rng.nextInt(3);
                    int dOff = rng.nextInt(3);
                    int sLen = sOff + rows * sStride;
                    int dLen = dOff + cols * dStride + 1;
                    float[] src = floats(rng, sLen);
                    double[] srcD = doubles(rng, sLen);
                    float[] expected = new float[dLen];
                    double[] expectedD = new double[dLen];
                    java.util.Arrays.fill(expected, 7f);
                    java.util.Arrays.fill(expectedD, 7.0);
                    for (int r = 0; r < rows; r++) {
                        for (int c = 0; c < cols; c++) {
                            expected[dOff + c * dStride + r] = src[sOff + r * sStride + c];
                            expectedD[dOff + c * dStride + r] = srcD[sOff + r * sStride + c];
                        }
                    }
                    for (Kernels k : new Kernels[] {SCALAR, vector}) {
                        float[] dst = new float[dLen];
                        double[] dstD = new double[dLen];
                        java.util.Arrays.fill(dst, 7f);
                        java.util.Arrays.fill(dstD, 7.0);
                        k.transpose(src, sOff, sStride, rows, cols, dst, dOff, dStride);
                        k.transpose(srcD, sOff, sStride, rows, cols, dstD, dOff, dStride);
                        String what = k.name() + " " + rows + " x " + cols;
                        assertArrayEquals(expected, dst, what);
                        assertArrayEquals(expectedD, dstD, what);
                    }
                }
            }
        }
    }

    @Test
    void reluBackwardTakesGWherePositiveAndPlusZeroElsewhere() {
        SplittableRandom rng = new SplittableRandom(6);
        for (int n : new int[] {0, 1, 7, 8, 15, 16, 17, 33, 100}) {
            float[] y = floats(rng, n + 2);
            float[] g = floats(rng, n + 1);
            double[] yD = doubles(rng, n + 2);
            double[] gD = doubles(rng, n + 1);
            float[] expected = new float[n + 3];
            double[] expectedD = new double[n + 3];
            for (int i = 0; i < n; i++) {
                expected[3 + i] = y[2 + i] > 0 ? g[1 + i] : 0f;
                expectedD[3 + i] = yD[2 + i] > 0 ? gD[1 + i] : 0.0;
            }
            for (Kernels k : new Kernels[] {SCALAR, vector}) {
                float[] out = new float[n + 3];
                double[] outD = new double[n + 3];
                k.reluBackward(g, 1, y, 2, out, 3, n);
                k.reluBackward(gD, 1, yD, 2, outD, 3, n);
                assertArrayEquals(expected, out, k.name() + " n " + n);
                assertArrayEquals(expectedD, outD, k.name() + " n " + n);
            }
        }
    }

    private static float[] floats(SplittableRandom rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = special(rng, (float) rng.nextGaussian());
        return a;
    }

    private static double[] doubles(SplittableRandom rng, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = special(rng, rng.nextGaussian());
        return a;
    }

    private static float special(SplittableRandom rng, float v) {
        return switch (rng.nextInt(60)) {
            case 0 -> Float.NaN;
            case 1 -> Float.POSITIVE_INFINITY;
            case 2 -> -0.0f;
            case 3 -> Float.MIN_VALUE;
            default -> v;
        };
    }

    private static double special(SplittableRandom rng, double v) {
        return switch (rng.nextInt(60)) {
            case 0 -> Double.NaN;
            case 1 -> Double.NEGATIVE_INFINITY;
            case 2 -> -0.0;
            case 3 -> Double.MIN_VALUE;
            default -> v;
        };
    }
}
