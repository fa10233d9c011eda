package org.grad4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The scalar GEMM's choice of orientation, a speed decision that no value can show (both orientations give
 * {@link GemmOrder}'s bits, as {@code ScalarGemmTest} checks): the vectorised loop must run along the long side
 * when the other is one element or ten, whichever operand layout.
 */
class ScalarGemmOrientationTest {
    private static boolean transposedF(int m, int n, int k, int aRs, int bCs) {
        return ScalarGemmF.transposedIsCheaper(m, n, k, aRs, bCs);
    }

    private static boolean transposedD(int m, int n, int k, int aRs, int bCs) {
        return ScalarGemmD.transposedIsCheaper(m, n, k, aRs, bCs);
    }

    @Test
    void aMatrixTimesAVectorLoopsOverTheMatrixRows() {
        // C (1000 x 1) = A (1000 x 100) b: a loop of length 1 across C's columns would pay a loop's fixed cost per fma
        for (int[] layout : new int[][] {{100, 1}, {1, 1}, {100, 100}}) {
            assertTrue(transposedF(1000, 1, 100, layout[0], layout[1]));
            assertTrue(transposedD(1000, 1, 100, layout[0], layout[1]));
        }
    }

    @Test
    void aRowVectorTimesAMatrixLoopsOverTheMatrixColumns() {
        for (int[] layout : new int[][] {{100, 1}, {1, 1}, {100, 100}}) {
            assertFalse(transposedF(1, 1000, 100, layout[0], layout[1]));
            assertFalse(transposedD(1, 1000, 100, layout[0], layout[1]));
        }
    }

    @Test
    void tenLogitsOfABatchLoopOverTheBatch() {
        // a classifier's last layer: x (256 x 128) W^T (128 x 10), W row-major so W^T has column stride 128
        assertTrue(transposedF(256, 10, 128, 128, 128));
        assertTrue(transposedD(256, 10, 128, 128, 128));
        // and a large square product keeps C's rows as the vectorised loop (no strided writes of C)
        assertFalse(transposedF(512, 512, 512, 512, 1));
        assertFalse(transposedD(512, 512, 512, 512, 1));
    }
}
