package org.grad4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SIMD GEMM where C's last column panel is exactly one, two or three vectors wide (n = 8, 16, 24, 40, 48, 80:
 * a full-width tile of the narrow micro-kernels, stored straight from registers) and its last row tile is full or
 * one to three rows short, against the scalar GEMM bit for bit, with C between other data so that a store past a
 * tile's rows or columns shows. Sizes of the form 2^j + 1 (GemmTileEdgesTest) never end on a whole vector.
 */
class GemmWholeVectorPanelsTest {
    private static final Kernels SCALAR = KernelProvider.scalar();
    private static Kernels vector;

    @BeforeAll
    static void loadVectorKernels() {
        vector = SimdKernelsForTests.loadOrSkip();
    }

    @Test
    void lastPanelsOfWholeVectorsAgreeWithTheScalarGemm() {
        SplittableRandom rng = new SplittableRandom(81);
        for (int n : new int[] {4, 8, 16, 24, 40, 48, 80}) {
            for (int m : new int[] {4, 5, 7, 8, 13, 16}) {
                for (int k : m % 8 == 0 ? new int[] {9, 40, 300} : new int[] {9, 40}) {   // 300: two k blocks, C added to
                    for (boolean transposedB : new boolean[] {false, true}) {
                        check(rng, m, n, k, transposedB);
                    }
                }
            }
        }
    }

    private static void check(SplittableRandom rng, int m, int n, int k, boolean transposedB) {
        String where = m + "x" + n + "x" + k + (transposedB ? " B^T" : " B");
        double[] a = new double[m * k];
        double[] b = new double[k * n];
        for (int i = 0; i < a.length; i++) a[i] = rng.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = rng.nextGaussian();
        int bRs = transposedB ? 1 : n;
        int bCs = transposedB ? k : 1;
        float[] af = new float[a.length];
        float[] bf = new float[b.length];
        for (int i = 0; i < a.length; i++) af[i] = (float) a[i];
        for (int i = 0; i < b.length; i++) bf[i] = (float) b[i];
        // C sits at offset 3 of a longer array: 3 guards before, 2 rows' worth after
        int off = 3;
        int length = off + m * n + 2 * n + 3;
        double[] expected = new double[length];
        double[] actual = new double[length];
        float[] expectedF = new float[length];
        float[] actualF = new float[length];
        for (int i = 0; i < length; i++) {
            expected[i] = actual[i] = -(i + 0.5);
            expectedF[i] = actualF[i] = -(i + 0.5f);
        }
        SCALAR.gemm(m, n, k, a, 0, k, 1, b, 0, bRs, bCs, expected, off);
        vector.gemm(m, n, k, a, 0, k, 1, b, 0, bRs, bCs, actual, off);
        SCALAR.gemm(m, n, k, af, 0, k, 1, bf, 0, bRs, bCs, expectedF, off);
        vector.gemm(m, n, k, af, 0, k, 1, bf, 0, bRs, bCs, actualF, off);
        for (int i = 0; i < length; i++) {
            int at = i;
            assertEquals(Double.doubleToLongBits(expected[at]), Double.doubleToLongBits(actual[at]),
                    () -> "double " + where + " at " + at + ": " + expected[at] + " vs " + actual[at]);
            assertEquals(Float.floatToIntBits(expectedF[at]), Float.floatToIntBits(actualF[at]),
                    () -> "float " + where + " at " + at + ": " + expectedF[at] + " vs " + actualF[at]);
        }
    }
}
