package org.grad4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A product above the threading threshold ({@code GemmThreads.MIN_WORK} multiply-adds, at most 2^24) with more column
 * tiles than row tiles is split along n: each thread's part starts {@code from} columns into B and C. The other GEMM
 * tests split along n only with a row-major B, where a column offset into B is {@code from} elements whatever way it
 * is computed; here B is transposed (a Linear layer's {@code W^T}, column stride k) and strided, so each part must
 * start {@code from * columnStride} elements in. Held to the scalar GEMM bit for bit in both dtypes (with one GEMM
 * thread the product is not split and the test still holds).
 */
class GemmColumnSplitTest {
    private static final Kernels SCALAR = KernelProvider.scalar();
    private static Kernels vector;

    @BeforeAll
    static void loadVectorKernels() {
        vector = SimdKernelsForTests.loadOrSkip();
    }

    @Test
    void columnSplitsWithTransposedAndStridedBAgreeWithTheScalarGemm() {
        SplittableRandom rng = new SplittableRandom(94);
        // 64 x 2048 x 128 is exactly 2^24 multiply-adds; 37 rows leave a remainder in the row tiles.
        int[][] shapes = {{64, 2048, 128}, {37, 2100, 220}};
        for (int[] s : shapes) {
            for (boolean strided : new boolean[] {false, true}) {
                check(rng, s[0], s[1], s[2], strided);
            }
        }
    }

    private static void check(SplittableRandom rng, int m, int n, int k, boolean strided) {
        String where = m + "x" + n + "x" + k + (strided ? " B strided" : " B^T");
        int bRs = strided ? 2 * n + 1 : 1;
        int bCs = strided ? 2 : k;
        double[] a = new double[m * k];
        double[] b = new double[1 + (k - 1) * bRs + (n - 1) * bCs + 1];
        for (int i = 0; i < a.length; i++) a[i] = rng.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = rng.nextGaussian();
        float[] af = new float[a.length];
        float[] bf = new float[b.length];
        for (int i = 0; i < a.length; i++) af[i] = (float) a[i];
        for (int i = 0; i < b.length; i++) bf[i] = (float) b[i];
        double[] expected = new double[m * n];
        double[] actual = new double[m * n];
        float[] expectedF = new float[m * n];
        float[] actualF = new float[m * n];
        SCALAR.gemm(m, n, k, a, 0, k, 1, b, 1, bRs, bCs, expected, 0);
        vector.gemm(m, n, k, a, 0, k, 1, b, 1, bRs, bCs, actual, 0);
        SCALAR.gemm(m, n, k, af, 0, k, 1, bf, 1, bRs, bCs, expectedF, 0);
        vector.gemm(m, n, k, af, 0, k, 1, bf, 1, bRs, bCs, actualF, 0);
        for (int at = 0; at < m * n; at++) {
            int cell = at;
            assertEquals(Double.doubleToRawLongBits(expected[at]), Double.doubleToRawLongBits(actual[at]),
                    () -> "double " + where + " at C[" + cell / n + "][" + cell % n + "]");
            assertEquals(Float.floatToRawIntBits(expectedF[at]), Float.floatToRawIntBits(actualF[at]),
                    () -> "float " + where + " at C[" + cell / n + "][" + cell % n + "]");
        }
        for (int j = 0; j < n; j += 97) {   // the doubles against a naive loop, across every part
            NaiveGemm.assertElement(actual[(m - 1) * n + j], m - 1, j, k, a, 0, k, 1, b, 1, bRs, bCs, where);
        }
    }
}
