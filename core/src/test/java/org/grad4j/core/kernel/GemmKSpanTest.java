package org.grad4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The float64 GEMM packs several of GemmOrder's k blocks at once (a k span) and runs a tile's blocks one after the
 * other, each block's sum from +0.0 added to C in block order. Held to the scalar GEMM bit for bit and to a naive
 * loop: k of 2, 3 and 5 blocks (a span of two blocks, a whole span then a single block, a block shorter than the
 * others), through each path that packs A per span: B read in place, B packed with one or several column blocks,
 * A transposed (packed by in-register transposes), and the shared-B row split with 2 and 3
 * threads.
 */
class GemmKSpanTest {
    private static final Kernels SCALAR = KernelProvider.scalar();
    private static Kernels vector;

    @BeforeAll
    static void loadVectorKernels() {
        vector = SimdKernelsForTests.loadOrSkip();
    }

    /**
     * k = 300 (one span of 2 blocks of 150), 601 (spans of 201 + 201 and 199), 1100 (5 blocks of 220: 2 + 2 + 1),
     * 1027 (206 x 4 + 203: 2 + 2 + 1).
     */
    private static final int[] SPANNING_K = {300, 601, 1100, 1027};

    @Test
    void theKValuesSpanSeveralBlocks() {
        for (int k : SPANNING_K) {
            int block = GemmOrder.kBlock(k);
            assertTrue(block < k && VectorGemmD.span(block) >= 2 * block, "k = " + k + " must put 2+ blocks in a span");
        }
    }

    @Test
    void oneThreadAgreesWithTheScalarGemm() {
        SplittableRandom rng = new SplittableRandom(71);
        // m, n: B in place (k n below 1 MB) with a narrow last panel; B packed, one column block; B packed, two
        // column blocks (the float64 path that packs A once per span for all of them).
        int[][] shapes = {{13, 70}, {40, 512}, {19, 545}};
        for (int k : SPANNING_K) {
            for (int[] s : shapes) {
                for (boolean aT : new boolean[] {false, true}) {
                    for (boolean bT : new boolean[] {false, true}) {
                        check(rng, s[0], s[1], k, aT, bT, 1);
                    }
                }
            }
        }
    }

    @Test
    void sharedRowSplitsAgreeWithTheScalarGemm() {
        SplittableRandom rng = new SplittableRandom(72);
        for (int k : new int[] {601, 1100}) {
            for (int threads : new int[] {2, 3}) {
                for (boolean aT : new boolean[] {false, true}) {
                    check(rng, 97, 40, k, aT, true, threads);
                    check(rng, 50, 33, k, aT, false, threads);
                }
            }
        }
    }

    private static void check(SplittableRandom rng, int m, int n, int k, boolean aT, boolean bT, int threads) {
        String where = m + "x" + n + "x" + k + (aT ? " A^T" : " A") + (bT ? " B^T" : " B") + ", " + threads
                + " thread(s)";
        double[] a = new double[m * k + 1];
        double[] b = new double[k * n + 2];
        for (int i = 0; i < a.length; i++) a[i] = rng.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = rng.nextGaussian();
        int aRs = aT ? 1 : k;
        int aCs = aT ? m : 1;
        int bRs = bT ? 1 : n;
        int bCs = bT ? k : 1;
        double[] expected = new double[m * n + 1];
        double[] actual = new double[m * n + 1];
        actual[m * n] = Double.NaN;   // C's end must not be written past
        SCALAR.gemm(m, n, k, a, 1, aRs, aCs, b, 2, bRs, bCs, expected, 0);
        if (threads == 1) {
            vector.gemm(m, n, k, a, 1, aRs, aCs, b, 2, bRs, bCs, actual, 0);
        } else {
            assertTrue(VectorGemmD.sharedRowSplit(m, n, k, a, 1, aRs, aCs, b, 2, bRs, bCs, actual, 0, threads), where);
        }
        assertEquals(Double.NaN, actual[m * n], where + ": wrote past C");
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int at = i * n + j;
                assertEquals(Double.doubleToRawLongBits(expected[at]), Double.doubleToRawLongBits(actual[at]),
                        () -> where + " at C[" + at / n + "][" + at % n + "]");
            }
        }
        for (int i = 0; i < m; i += 3) {
            for (int j = 0; j < n; j += 5) {
                NaiveGemm.assertElement(actual[i * n + j], i, j, k, a, 1, aRs, aCs, b, 2, bRs, bCs, where);
            }
        }
    }
}
