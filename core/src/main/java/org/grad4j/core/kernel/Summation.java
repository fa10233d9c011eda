package org.grad4j.core.kernel;

import java.util.Arrays;

/**
 * The one order in which every kernel sums, so that a sum does not depend on the vector width, on SIMD versus
 * scalar code, or on where a run starts. Fewer than {@link #LANES} elements are added left to right. Longer runs
 * are dealt round-robin into {@code LANES} partial sums (element i goes to partial i mod LANES; the partials start
 * at +0.0), which a SIMD loop keeps in LANES / (vector length) accumulators and a scalar loop in an array; the
 * partials are then added as a balanced binary tree of adjacent pairs. Floats are widened to double first.
 */
final class Summation {
    private Summation() {
    }

    /** Partial sums of a long run; 32 = 4 accumulators of 8 doubles on AVX-512, 8 of 4 at 256 bits. */
    static final int LANES = 32;

    private static final ThreadLocal<double[]> PARTIALS = ThreadLocal.withInitial(() -> new double[LANES]);

    /** This thread's {@code LANES} partials, zeroed. */
    static double[] partials() {
        double[] p = PARTIALS.get();
        Arrays.fill(p, 0.0);
        return p;
    }

    /** ((p0 + p1) + (p2 + p3)) + ...: the partials summed as a balanced tree; overwrites p. */
    static double tree(double[] p) {
        for (int width = LANES; width > 1; width /= 2) {
            for (int j = 0; j < width / 2; j++) p[j] = p[2 * j] + p[2 * j + 1];
        }
        return p[0];
    }
}
