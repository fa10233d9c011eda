package org.grad4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SIMD GEMM's edge tiles against the scalar GEMM, bit for bit, in both dtypes: sizes around the micro-tiles
 * (floats 8 rows x 2 vectors, doubles 6 rows x 4 vectors, so row remainders 1-5 and last panels of 1, 2 or 3
 * vectors), row-major and transposed operands, k spanning several k blocks, more than one row block, and a product
 * split across threads. The doubles are also held to a naive loop, to within the sum's condition bound.
 */
class GemmTileEdgesTest {
    /** Around 6 (double rows), 8 (float rows, double lanes), 16 and 32 (float lanes, double panel) and beyond. */
    private static final int[] EDGES = {1, 5, 6, 7, 13, 15, 17, 31, 33, 65, 127};

    private static final Kernels SCALAR = KernelProvider.scalar();
    private static Kernels vector;

    @BeforeAll
    static void loadVectorKernels() {
        vector = SimdKernelsForTests.loadOrSkip();
    }

    @Test
    void rowAndColumnRemaindersOfTheMicroTilesAgree() {
        SplittableRandom rng = new SplittableRandom(31);
        for (int m : EDGES) {
            for (int n : EDGES) {
                for (int k : new int[] {1, 7, 33}) {
                    for (boolean aT : new boolean[] {false, true}) {
                        for (boolean bT : new boolean[] {false, true}) {
                            check(rng, m, n, k, aT, bT);
                        }
                    }
                }
            }
        }
    }

    @Test
    void productsSpanningSeveralKBlocksAndRowBlocksAgree() {
        SplittableRandom rng = new SplittableRandom(32);
        int[][] shapes = {{13, 65, 600}, {127, 33, 1030}, {257, 127, 513}, {7, 257, 257}, {65, 15, 2100},
            {520, 40, 300}, {1, 1, 1025}};
        for (int[] s : shapes) {
            for (boolean aT : new boolean[] {false, true}) {
                for (boolean bT : new boolean[] {false, true}) {
                    check(rng, s[0], s[1], s[2], aT, bT);
                }
            }
        }
        // Above the threading threshold (2^24 multiply-adds), with a row remainder in every part.
        check(rng, 257, 263, 257, false, true);
    }

    private static void check(SplittableRandom rng, int m, int n, int k, boolean aTransposed, boolean bTransposed) {
        String where = "gemm " + m + "x" + n + "x" + k + (aTransposed ? " A^T" : " A") + (bTransposed ? " B^T" : " B");
        double[] a = new double[m * k + 2];
        double[] b = new double[k * n + 1];
        for (int i = 0; i < a.length; i++) a[i] = rng.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = rng.nextGaussian();
        int aRs = aTransposed ? 1 : k;
        int aCs = aTransposed ? m : 1;
        int bRs = bTransposed ? 1 : n;
        int bCs = bTransposed ? k : 1;
        float[] af = new float[a.length];
        float[] bf = new float[b.length];
        for (int i = 0; i < a.length; i++) af[i] = (float) a[i];
        for (int i = 0; i < b.length; i++) bf[i] = (float) b[i];

        double[] expected = new double[m * n + 1];
        double[] actual = new double[m * n + 1];
        expected[m * n] = actual[m * n] = Double.NaN;   // C's end must not be written past
        SCALAR.gemm(m, n, k, a, 2, aRs, aCs, b, 1, bRs, bCs, expected, 0);
        vector.gemm(m, n, k, a, 2, aRs, aCs, b, 1, bRs, bCs, actual, 0);
        float[] expectedF = new float[m * n + 1];
        float[] actualF = new float[m * n + 1];
        expectedF[m * n] = actualF[m * n] = Float.NaN;
        SCALAR.gemm(m, n, k, af, 2, aRs, aCs, bf, 1, bRs, bCs, expectedF, 0);
        vector.gemm(m, n, k, af, 2, aRs, aCs, bf, 1, bRs, bCs, actualF, 0);

        assertEquals(Double.NaN, actual[m * n], where + ": wrote past C");
        assertEquals(Float.NaN, actualF[m * n], where + ": wrote past C");
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int at = i * n + j;
                String cell = where + " at C[" + i + "][" + j + "]";
                assertEquals(Double.doubleToRawLongBits(expected[at]), Double.doubleToRawLongBits(actual[at]),
                        () -> "double " + cell + ": " + expected[at] + " vs " + actual[at]);
                assertEquals(Float.floatToRawIntBits(expectedF[at]), Float.floatToRawIntBits(actualF[at]),
                        () -> "float " + cell + ": " + expectedF[at] + " vs " + actualF[at]);
                NaiveGemm.assertElement(actual[at], i, j, k, a, 2, aRs, aCs, b, 1, bRs, bCs, "double " + cell);
            }
        }
    }
}
