package org.grad4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SIMD GEMM's packing of a row-major A (vector copies of whole vectors, then the k block's last elements one by
 * one) against the scalar GEMM, bit for bit, in both dtypes: every k from 1 to 40 (each remainder modulo the 8 and
 * 16 lanes, and rows that are whole vectors), k blocks whose length is not a multiple of the lanes (k = 300 runs as
 * 2 x 150, k = 1030 as 5 x 206), and A as a window of a wider matrix at an offset, so that a row copy that read past
 * its row, or one element short, would change C. Above the small-product cut-off, so the packed path runs.
 */
class GemmPackedRowsTest {
    private static final Kernels SCALAR = KernelProvider.scalar();
    private static Kernels vector;

    @BeforeAll
    static void loadVectorKernels() {
        vector = SimdKernelsForTests.loadOrSkip();
    }

    @Test
    void everyRowLengthModuloTheLanesAgrees() {
        SplittableRandom rng = new SplittableRandom(41);
        for (int k = 1; k <= 40; k++) {
            check(rng, 13, 40, k, k);
            check(rng, 64, 64, k, k + 3);
        }
    }

    @Test
    void kBlocksOfOddLengthAndWideWindowsAgree() {
        SplittableRandom rng = new SplittableRandom(42);
        check(rng, 7, 33, 300, 300);
        check(rng, 19, 65, 300, 317);
        check(rng, 64, 64, 1030, 1030);
        check(rng, 130, 48, 521, 530);
    }

    /** C = A B with A {@code m x k} in rows {@code aRs >= k} apart from offset 5, the window's gaps holding NaN. */
    private static void check(SplittableRandom rng, int m, int n, int k, int aRs) {
        String where = "gemm " + m + "x" + n + "x" + k + " with A's rows " + aRs + " apart";
        double[] a = new double[5 + m * aRs];
        java.util.Arrays.fill(a, Double.NaN);   // outside the window: a copy that strays poisons C
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) a[5 + i * aRs + p] = rng.nextGaussian();
        }
        double[] b = new double[k * n];
        for (int i = 0; i < b.length; i++) b[i] = rng.nextGaussian();
        float[] af = new float[a.length];
        float[] bf = new float[b.length];
        for (int i = 0; i < a.length; i++) af[i] = (float) a[i];
        for (int i = 0; i < b.length; i++) bf[i] = (float) b[i];

        double[] expected = new double[m * n];
        double[] actual = new double[m * n];
        SCALAR.gemm(m, n, k, a, 5, aRs, 1, b, 0, n, 1, expected, 0);
        vector.gemm(m, n, k, a, 5, aRs, 1, b, 0, n, 1, actual, 0);
        float[] expectedF = new float[m * n];
        float[] actualF = new float[m * n];
        SCALAR.gemm(m, n, k, af, 5, aRs, 1, bf, 0, n, 1, expectedF, 0);
        vector.gemm(m, n, k, af, 5, aRs, 1, bf, 0, n, 1, actualF, 0);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int at = i * n + j;
                String cell = where + " at C[" + i + "][" + j + "]";
                assertEquals(Double.doubleToRawLongBits(expected[at]), Double.doubleToRawLongBits(actual[at]),
                        () -> "double " + cell + ": " + expected[at] + " vs " + actual[at]);
                assertEquals(Float.floatToRawIntBits(expectedF[at]), Float.floatToRawIntBits(actualF[at]),
                        () -> "float " + cell + ": " + expectedF[at] + " vs " + actualF[at]);
                NaiveGemm.assertElement(actual[at], i, j, k, a, 5, aRs, 1, b, 0, n, 1, "double " + cell);
            }
        }
    }
}
