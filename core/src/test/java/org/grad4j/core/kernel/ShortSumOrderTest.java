package org.grad4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs shorter than {@code Summation.LANES} are summed left to right, longer ones as a tree of partials, on every
 * kernel. The data makes the two orders give different doubles: 2^53 followed by three ones stays 2^53 left to right
 * (each 2^53 + 1 rounds to even), while the tree adds 2^53 + 1 and 1 + 1 first and gets 2^53 + 2. Floats hold these
 * values exactly, so the float sums (widened to double) tell the orders apart too, which random data rarely does.
 */
class ShortSumOrderTest {
    private static final double BIG = 0x1.0p53;

    private static List<Kernels> kernels() {
        List<Kernels> all = new ArrayList<>();
        all.add(KernelProvider.scalar());
        if (KernelProvider.get() != KernelProvider.scalar()) all.add(KernelProvider.get());
        return all;
    }

    private static double leftToRight(double[] x, int off, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += x[off + i];
        return s;
    }

    /** Element i into partial i mod 32, then adjacent pairs, as Summation's javadoc defines the order. */
    private static double tree(double[] x, int off, int n) {
        double[] p = new double[32];
        for (int i = 0; i < n; i++) p[i % 32] += x[off + i];
        for (int width = 32; width > 1; width /= 2) {
            for (int j = 0; j < width / 2; j++) p[j] = p[2 * j] + p[2 * j + 1];
        }
        return p[0];
    }

    @Test
    void runsBelowThePartialCountAddLeftToRightAndLongerRunsAsATree() {
        assertEquals(32, Summation.LANES, "the references below assume 32 partials");
        for (Kernels k : kernels()) {
            for (int n = 4; n <= 70; n++) {
                for (int off = 0; off < 3; off++) {
                    double[] x = new double[off + n + 2];
                    x[off] = BIG;
                    x[off + 1] = 1;
                    x[off + 2] = 1;
                    x[off + 3] = 1;
                    x[off + n] = 1e300;   // just past the run: must not be read
                    float[] f = new float[x.length];
                    for (int i = 0; i < x.length; i++) f[i] = (float) x[i];
                    assertEquals(BIG, leftToRight(x, off, n), 0.0);
                    assertEquals(BIG + 2, tree(x, off, n), 0.0);
                    double expected = n < 32 ? BIG : BIG + 2;
                    String where = k.name() + " n=" + n + " off=" + off;
                    assertEquals(expected, k.sum(x, off, 1, n), 0.0, "double " + where);
                    assertEquals(expected, k.sum(f, off, 1, n), 0.0, "float " + where);
                }
            }
        }
    }
}
