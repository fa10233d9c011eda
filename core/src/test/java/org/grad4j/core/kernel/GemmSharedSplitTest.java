package org.grad4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A product split along m with one packed B shared by its threads ({@code sharedRowSplit}: the threads claim B's
 * blocks to pack, then row chunks of C), called directly with 2 and 3 threads whatever this machine's thread count
 * and below the threading threshold, held bit for bit to the scalar GEMM in both dtypes: row-major and transposed
 * operands, B packed and B read in place (with a narrow last panel), several column blocks and k blocks, row counts
 * that leave a remainder in the last chunk, an offset into C's array; and the doubles to a naive loop.
 */
class GemmSharedSplitTest {
    private static final Kernels SCALAR = KernelProvider.scalar();

    @BeforeAll
    static void needsTheVectorApi() {
        assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "run with --add-modules jdk.incubator.vector (the build's surefire configuration does)");
        StringBuilder why = new StringBuilder();
        assumeTrue(KernelProvider.vector(why) != null, why::toString);
    }

    @Test
    void sharedSplitsAgreeWithTheScalarGemmBitForBit() {
        SplittableRandom rng = new SplittableRandom(43);
        // m, n, k: an MLP layer's forward and weight gradient (small batch), several column blocks with a narrow
        // last panel, several k blocks (784 = 4 x 196), rows that are not a multiple of any tile, one-column B,
        // chunks of a whole row block (more rows than 4 chunks per thread of MC).
        int[][] shapes = {{128, 256, 784}, {256, 784, 32}, {61, 1030, 70}, {97, 40, 600}, {23, 1, 300},
            {300, 33, 257}, {13, 520, 5}, {2100, 70, 40}};
        for (int[] s : shapes) {
            for (int threads : new int[] {2, 3}) {
                for (boolean aT : new boolean[] {false, true}) {
                    for (boolean bT : new boolean[] {false, true}) {
                        check(rng, s[0], s[1], s[2], aT, bT, threads);
                    }
                }
            }
        }
    }

    @Test
    void aBTooLargeToShareOrTooFewRowsAreLeftToTheCaller() {
        double[] c = {7};
        assertFalse(VectorGemmD.sharedRowSplit(1, 1, 1, new double[] {2}, 0, 1, 1, new double[] {3}, 0, 1, 1, c, 0,
                2), "one row is one chunk");
        assertEquals(7, c[0], "untouched when not split");
        int k = 2048;
        int n = 1024;
        assertFalse(VectorGemmF.sharedRowSplit(64, n, k, new float[64 * k], 0, k, 1, new float[k * n], 0, n, 1,
                new float[64 * n], 0, 2), "2^21 packed floats are above the shared limit");
        assertTrue(VectorGemmF.sharedRowSplit(64, 64, 64, new float[64 * 64], 0, 64, 1, new float[64 * 64], 0, 64,
                1, new float[64 * 64], 0, 2));
    }

    private static void check(SplittableRandom rng, int m, int n, int k, boolean aT, boolean bT, int threads) {
        String where = "shared split " + m + "x" + n + "x" + k + (aT ? " A^T" : " A") + (bT ? " B^T" : " B")
                + ", " + threads + " threads";
        double[] a = new double[m * k];
        double[] b = new double[k * n];
        for (int i = 0; i < a.length; i++) a[i] = rng.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = rng.nextGaussian();
        float[] af = new float[a.length];
        float[] bf = new float[b.length];
        for (int i = 0; i < a.length; i++) af[i] = (float) a[i];
        for (int i = 0; i < b.length; i++) bf[i] = (float) b[i];
        int aRs = aT ? 1 : k;
        int aCs = aT ? m : 1;
        int bRs = bT ? 1 : n;
        int bCs = bT ? k : 1;
        int cOff = 5;
        double[] expected = new double[cOff + m * n];
        double[] actual = new double[cOff + m * n];
        float[] expectedF = new float[cOff + m * n];
        float[] actualF = new float[cOff + m * n];
        SCALAR.gemm(m, n, k, a, 0, aRs, aCs, b, 0, bRs, bCs, expected, cOff);
        SCALAR.gemm(m, n, k, af, 0, aRs, aCs, bf, 0, bRs, bCs, expectedF, cOff);
        assertTrue(VectorGemmD.sharedRowSplit(m, n, k, a, 0, aRs, aCs, b, 0, bRs, bCs, actual, cOff, threads), where);
        assertTrue(VectorGemmF.sharedRowSplit(m, n, k, af, 0, aRs, aCs, bf, 0, bRs, bCs, actualF, cOff, threads),
                where);
        for (int at = 0; at < cOff + m * n; at++) {
            String cell = at < cOff ? "before C" : "C[" + (at - cOff) / n + "][" + (at - cOff) % n + "]";
            assertEquals(Double.doubleToRawLongBits(expected[at]), Double.doubleToRawLongBits(actual[at]),
                    () -> "double " + where + " at " + cell);
            assertEquals(Float.floatToRawIntBits(expectedF[at]), Float.floatToRawIntBits(actualF[at]),
                    () -> "float " + where + " at " + cell);
        }
        for (int i = 0; i < m; i += Math.max(1, m / 5)) {
            for (int j = 0; j < n; j += Math.max(1, n / 7)) {
                NaiveGemm.assertElement(actual[cOff + i * n + j], i, j, k, a, 0, aRs, aCs, b, 0, bRs, bCs, where);
            }
        }
    }
}
