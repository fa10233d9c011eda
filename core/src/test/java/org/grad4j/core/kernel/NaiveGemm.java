package org.grad4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The GEMM tests' independent reference: one element of C = A B by a plain loop over k, and the bound a float64
 * product must stay within, 2.3e-16 (k + 1) times the sum of the terms' magnitudes (k + 1 roundings of at most 2^-53
 * relative each, on either side).
 */
final class NaiveGemm {
    private NaiveGemm() {
    }

    /** Asserts that {@code actual} is C[i][j] of A B (A's element (i, p) at aOff + i aRs + p aCs, B's likewise). */
    static void assertElement(double actual, int i, int j, int k, double[] a, int aOff, int aRs, int aCs, double[] b,
                              int bOff, int bRs, int bCs, String where) {
        double naive = 0;
        double bound = 0;
        for (int p = 0; p < k; p++) {
            double term = a[aOff + i * aRs + p * aCs] * b[bOff + p * bRs + j * bCs];
            naive += term;
            bound += Math.abs(term);
        }
        assertEquals(naive, actual, 2.3e-16 * (k + 1) * bound, where + " vs a naive loop");
    }
}
