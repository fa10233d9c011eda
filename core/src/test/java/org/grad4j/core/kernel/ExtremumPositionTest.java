package org.grad4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The max/min reductions find the extreme wherever it is: at every position of arrays whose length is just below, at
 * and just above multiples of the lane counts (so the extreme sits alone in the first lane block, in the last full
 * block, or in the scalar tail), on the SIMD kernels and their scalar twin, contiguous and strided. A kernel that
 * skipped a block or the tail would miss it.
 */
class ExtremumPositionTest {
    private static final int[] SIZES = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 48, 49, 63, 64, 65, 127, 128,
        129};
    private static Kernels vector;

    @BeforeAll
    static void loadVectorKernels() {
        assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
        vector = KernelProvider.vector(new StringBuilder());
        assumeTrue(vector != null);
    }

    private static void findsEveryPosition(Kernels k, int stride) {
        for (int n : SIZES) {
            for (int at = 0; at < n; at++) {
                float[] f = new float[n * stride];
                double[] d = new double[n * stride];
                java.util.Arrays.fill(f, -5f);
                java.util.Arrays.fill(d, -5);
                f[at * stride] = 3f;
                d[at * stride] = 3;
                String where = k.name() + " n=" + n + " stride=" + stride + " extreme at " + at;
                assertEquals(3.0, k.max(f, 0, stride, n), 0.0, "float max " + where);
                assertEquals(3.0, k.max(d, 0, stride, n), 0.0, "double max " + where);
                java.util.Arrays.fill(f, 5f);
                java.util.Arrays.fill(d, 5);
                f[at * stride] = -3f;
                d[at * stride] = -3;
                assertEquals(-3.0, k.min(f, 0, stride, n), 0.0, "float min " + where);
                assertEquals(-3.0, k.min(d, 0, stride, n), 0.0, "double min " + where);
            }
        }
    }

    @Test
    void theVectorKernelsFindTheExtremeInEveryLaneBlockAndInTheTail() {
        findsEveryPosition(vector, 1);
        findsEveryPosition(vector, 2);
    }

    @Test
    void theScalarKernelsFindTheExtremeAnywhere() {
        findsEveryPosition(KernelProvider.scalar(), 1);
        findsEveryPosition(KernelProvider.scalar(), 3);
    }
}
