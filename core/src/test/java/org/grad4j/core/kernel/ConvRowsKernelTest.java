package org.grad4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code Kernels.convRows} and {@code Kernels.transpose}: the SIMD kernels and the scalar twins against naive loops
 * written from the definitions (convRows: each result one fma chain over q from +0.0, stored or added), bit for bit;
 * convRows over column counts around one and two vectors of floats and doubles, empty and one-step q ranges, offsets
 * in any order, rows of the destination wider than the columns, and arrays that end right after the last element
 * read or written, repeated so the JIT compiles the kernels; the transpose over sizes around the lane counts, with
 * strides and offsets.
 */
class ConvRowsKernelTest {
    private static final int[] COLS = {1, 3, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 40, 47, 48, 64, 65};
    private static final int ROWS = Kernels.CONV_ROWS;
    private static final Kernels SCALAR = KernelProvider.scalar();
    private static Kernels vector;

    @BeforeAll
    static void loadVectorKernels() {
        vector = SimdKernelsForTests.loadOrSkip();
    }

    @Test
    void eachResultIsOneFmaChainInQOrderStoredOrAdded() {
        SplittableRandom rng = new SplittableRandom(11);
        for (int round = 0; round < 60; round++) {
            for (int cols : COLS) {
                int steps = rng.nextInt(4) == 0 ? rng.nextInt(2) : 1 + rng.nextInt(70);
                int from = rng.nextInt(3);
                int to = from + steps;
                int[] offsets = new int[to + rng.nextInt(3)];
                int srcLen = ROWS + rng.nextInt(50);
                for (int q = 0; q < offsets.length; q++) offsets[q] = rng.nextInt(srcLen - ROWS + 1);
                int base = 0;
                int ldw = cols + rng.nextInt(5);
                int wOff = rng.nextInt(4);
                int ldd = cols + rng.nextInt(5);
                int dOff = rng.nextInt(4);
                int wLen = wOff + Math.max(0, to - 1) * ldw + cols;
                int dLen = dOff + (ROWS - 1) * ldd + cols;
                float[] src = floats(rng, srcLen);
                float[] w = floats(rng, Math.max(wLen, 1));
                float[] dst = floats(rng, dLen);
                double[] srcD = doubles(rng, srcLen);
                double[] wD = doubles(rng, Math.max(wLen, 1));
                double[] dstD = doubles(rng, dLen);
                for (boolean add : new boolean[] {false, true}) {
                    float[] expected = dst.clone();
                    double[] expectedD = dstD.clone();
                    for (int r = 0; r < ROWS; r++) {
                        for (int j = 0; j < cols; j++) {
                            float s = 0;
                            double sD = 0;
                            for (int q = from; q < to; q++) {
                                s = Math.fma(src[base + offsets[q] + r], w[wOff + q * ldw + j], s);
                                sD = Math.fma(srcD[base + offsets[q] + r], wD[wOff + q * ldw + j], sD);
                            }
                            int d = dOff + r * ldd + j;
                            expected[d] = add ? expected[d] + s : s;
                            expectedD[d] = add ? expectedD[d] + sD : sD;
                        }
                    }
                    for (Kernels k : new Kernels[] {SCALAR, vector}) {
                        float[] out = dst.clone();
                        k.convRows(src, base, offsets, from, to, w, wOff, ldw, cols, out, dOff, ldd, add);
                        String what = k.name() + " cols " + cols + " steps " + steps + " add " + add;
                        assertArrayEquals(expected, out, what);
                        double[] outD = dstD.clone();
                        k.convRows(srcD, base, offsets, from, to, wD, wOff, ldw, cols, outD, dOff, ldd, add);
                        assertArrayEquals(expectedD, outD, what + " (doubles)");
                    }
                }
            }
        }
    }

    @Test
    void transposeMovesEveryElementOnceAndNothingElse() {
        SplittableRandom rng = new SplittableRandom(12);
        int[] sizes = {0, 1, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 49};
        for (int rows : sizes) {
            for (int cols : sizes) {
                int lds = cols + rng.nextInt(4);
                int ldd = rows + rng.nextInt(4);
                int sOff = rng.nextInt(3);
                int dOff = rng.nextInt(3);
                float[] src = floats(rng, sOff + rows * lds + 1);
                double[] srcD = doubles(rng, sOff + rows * lds + 1);
                float[] dst = floats(rng, dOff + cols * ldd + 1);
                double[] dstD = doubles(rng, dOff + cols * ldd + 1);
                float[] expected = dst.clone();
                double[] expectedD = dstD.clone();
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < cols; j++) {
                        expected[dOff + j * ldd + i] = src[sOff + i * lds + j];
                        expectedD[dOff + j * ldd + i] = srcD[sOff + i * lds + j];
                    }
                }
                for (Kernels k : new Kernels[] {SCALAR, vector}) {
                    float[] out = dst.clone();
                    k.transpose(src, sOff, lds, rows, cols, out, dOff, ldd);
                    assertArrayEquals(expected, out, k.name() + " " + rows + " x " + cols);
                    double[] outD = dstD.clone();
                    k.transpose(srcD, sOff, lds, rows, cols, outD, dOff, ldd);
                    assertArrayEquals(expectedD, outD, k.name() + " " + rows + " x " + cols + " (doubles)");
                }
            }
        }
    }

    private static float[] floats(SplittableRandom rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (rng.nextDouble() * 4 - 2);
        return a;
    }

    private static double[] doubles(SplittableRandom rng, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = rng.nextDouble() * 4 - 2;
        return a;
    }
}
