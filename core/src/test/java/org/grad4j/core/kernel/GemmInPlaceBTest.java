package org.grad4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SIMD GEMM reads a small row-major B in place (its full panels, a row stride apart) instead of packing it: held
 * bit for bit to the scalar GEMM for a B that is a column window of a wider matrix (row stride above n, an offset
 * into the array), n over two column blocks with a narrow last panel, k over several k blocks, products on both sides
 * of the in-place size limit, and a product split across threads (each part reads its own columns in place).
 */
class GemmInPlaceBTest {
    private static final Kernels SCALAR = KernelProvider.scalar();
    private static Kernels vector;

    @BeforeAll
    static void loadVectorKernels() {
        vector = SimdKernelsForTests.loadOrSkip();
    }

    @Test
    void windowsOfAWiderBAgreeWithTheScalarGemm() {
        SplittableRandom rng = new SplittableRandom(41);
        // m, n, k, extra columns of B's row beyond n
        int[][] shapes = {{64, 64, 64, 0}, {13, 96, 40, 7}, {7, 600, 100, 3}, {65, 531, 90, 1}, {6, 32, 600, 32},
            {31, 100, 520, 5}, {64, 256, 256, 0}, {64, 500, 256, 0}, {64, 512, 256, 0}, {3, 1030, 70, 9},
            {5, 600, 260, 2}};
        for (int[] s : shapes) {
            check(rng, s[0], s[1], s[2], s[3]);
        }
        // Above the threading threshold (2^24 multiply-adds) with B in place (512 KB of doubles): the
        // parts split n, each reading its own columns in place; then a split along m.
        check(rng, 257, 2048, 32, 0);
        check(rng, 4100, 64, 64, 11);
    }

    /**
     * Doubles over several column blocks with a B too large to read in place pack A once per k block for all column
     * blocks, at most 2048 rows at a time: row-major and transposed operands, more rows than one packing holds.
     */
    @Test
    void doublesOverSeveralColumnBlocksAgreeWithTheScalarGemm() {
        SplittableRandom rng = new SplittableRandom(42);
        int[][] shapes = {{13, 1030, 300}, {2053, 520, 260}};
        for (int[] s : shapes) {
            for (boolean aT : new boolean[] {false, true}) {
                for (boolean bT : new boolean[] {false, true}) {
                    checkLayouts(rng, s[0], s[1], s[2], aT, bT);
                }
            }
        }
    }

    private static void checkLayouts(SplittableRandom rng, int m, int n, int k, boolean aT, boolean bT) {
        String where = "gemm " + m + "x" + n + "x" + k + (aT ? " A^T" : " A") + (bT ? " B^T" : " B");
        double[] a = new double[m * k];
        double[] b = new double[k * n];
        for (int i = 0; i < a.length; i++) a[i] = rng.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = rng.nextGaussian();
        int aRs = aT ? 1 : k;
        int aCs = aT ? m : 1;
        int bRs = bT ? 1 : n;
        int bCs = bT ? k : 1;
        double[] expected = new double[m * n];
        double[] actual = new double[m * n];
        SCALAR.gemm(m, n, k, a, 0, aRs, aCs, b, 0, bRs, bCs, expected, 0);
        vector.gemm(m, n, k, a, 0, aRs, aCs, b, 0, bRs, bCs, actual, 0);
        for (int at = 0; at < m * n; at++) {
            int cell = at;
            assertEquals(Double.doubleToRawLongBits(expected[at]), Double.doubleToRawLongBits(actual[at]),
                    () -> where + " at C[" + cell / n + "][" + cell % n + "]");
        }
        for (int i = 0; i < m; i += Math.max(1, m / 5)) {
            for (int j = 0; j < n; j += Math.max(1, n / 7)) {
                NaiveGemm.assertElement(actual[i * n + j], i, j, k, a, 0, aRs, aCs, b, 0, bRs, bCs, where);
            }
        }
    }

    private static void check(SplittableRandom rng, int m, int n, int k, int extra) {
        String where = "gemm " + m + "x" + n + "x" + k + " B row stride " + (n + extra);
        int bRs = n + extra;
        int bOff = 3 + extra / 2;
        double[] a = new double[m * k];
        double[] b = new double[bOff + k * bRs];
        for (int i = 0; i < a.length; i++) a[i] = rng.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = rng.nextGaussian();
        float[] af = new float[a.length];
        float[] bf = new float[b.length];
        for (int i = 0; i < a.length; i++) af[i] = (float) a[i];
        for (int i = 0; i < b.length; i++) bf[i] = (float) b[i];

        double[] expected = new double[m * n];
        double[] actual = new double[m * n];
        SCALAR.gemm(m, n, k, a, 0, k, 1, b, bOff, bRs, 1, expected, 0);
        vector.gemm(m, n, k, a, 0, k, 1, b, bOff, bRs, 1, actual, 0);
        float[] expectedF = new float[m * n];
        float[] actualF = new float[m * n];
        SCALAR.gemm(m, n, k, af, 0, k, 1, bf, bOff, bRs, 1, expectedF, 0);
        vector.gemm(m, n, k, af, 0, k, 1, bf, bOff, bRs, 1, actualF, 0);
        for (int at = 0; at < m * n; at++) {
            int cell = at;
            assertEquals(Double.doubleToRawLongBits(expected[at]), Double.doubleToRawLongBits(actual[at]),
                    () -> "double " + where + " at C[" + cell / n + "][" + cell % n + "]");
            assertEquals(Float.floatToRawIntBits(expectedF[at]), Float.floatToRawIntBits(actualF[at]),
                    () -> "float " + where + " at C[" + cell / n + "][" + cell % n + "]");
        }
        // Against a naive loop too, so that a shared misreading of B's stride cannot pass.
        for (int i = 0; i < m; i += Math.max(1, m / 5)) {
            for (int j = 0; j < n; j += Math.max(1, n / 7)) {
                NaiveGemm.assertElement(actual[i * n + j], i, j, k, a, 0, k, 1, b, bOff, bRs, 1, where);
            }
        }
    }
}
