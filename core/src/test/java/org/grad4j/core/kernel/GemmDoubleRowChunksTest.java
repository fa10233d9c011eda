package org.grad4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Doubles over several column blocks with B packed (not read in place) pack A once per k block for every column
 * block, at most 2048 rows at a time. On a machine with two or more GEMM threads a product that large is normally
 * split first (and a row split shares B instead), so the one-thread path with more rows than one packing of A is
 * reached only below the threading threshold ({@code GemmThreads.MIN_WORK} multiply-adds, 2^22 or more): m = 2049 to
 * 2053 rows, n just over one column block, k of 2 or 3, B transposed or strided (never read in place). Held to the
 * scalar GEMM bit for bit, and to a naive loop on the rows of the last packing.
 */
class GemmDoubleRowChunksTest {
    private static final Kernels SCALAR = KernelProvider.scalar();
    private static Kernels vector;

    @BeforeAll
    static void loadVectorKernels() {
        vector = SimdKernelsForTests.loadOrSkip();
    }

    @Test
    void moreRowsThanOnePackingOfAAgreeWithTheScalarGemm() {
        SplittableRandom rng = new SplittableRandom(93);
        // m, n, k, B's layout: 0 transposed, 1 strided (every other element of a wider row-major matrix)
        int[][] cases = {{2049, 513, 3, 0}, {2053, 520, 2, 1}, {2050, 600, 3, 0}};
        for (int[] s : cases) {
            assertTrue((long) s[0] * s[1] * s[2] < GemmThreads.MIN_WORK || GemmThreads.COUNT == 1,
                    "the product must stay on one thread");
            check(rng, s[0], s[1], s[2], s[3] == 1);
        }
    }

    private static void check(SplittableRandom rng, int m, int n, int k, boolean stridedB) {
        String where = m + "x" + n + "x" + k + (stridedB ? " B strided" : " B^T");
        int bRs = stridedB ? 2 * n + 1 : 1;
        int bCs = stridedB ? 2 : k;
        double[] a = new double[m * k + 1];
        double[] b = new double[1 + (k - 1) * bRs + (n - 1) * bCs + 1];
        for (int i = 0; i < a.length; i++) a[i] = rng.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = rng.nextGaussian();
        double[] expected = new double[m * n + 1];
        double[] actual = new double[m * n + 1];
        actual[m * n] = Double.NaN;   // C's end must not be written past
        SCALAR.gemm(m, n, k, a, 1, k, 1, b, 1, bRs, bCs, expected, 0);
        vector.gemm(m, n, k, a, 1, k, 1, b, 1, bRs, bCs, actual, 0);
        assertEquals(Double.NaN, actual[m * n], where + ": wrote past C");
        for (int at = 0; at < m * n; at++) {
            int cell = at;
            assertEquals(Double.doubleToRawLongBits(expected[at]), Double.doubleToRawLongBits(actual[at]),
                    () -> where + " at C[" + cell / n + "][" + cell % n + "]");
        }
        for (int i = 2040; i < m; i++) {
            for (int j = 0; j < n; j += 37) {
                NaiveGemm.assertElement(actual[i * n + j], i, j, k, a, 1, k, 1, b, 1, bRs, bCs, where);
            }
        }
    }
}
