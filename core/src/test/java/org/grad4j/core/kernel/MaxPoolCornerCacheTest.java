package org.grad4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SIMD 2x2 max pooling of narrow planes caches the window corners of the last plane shape (row width w, output
 * height and width). Consecutive calls here change exactly one of the three (and sometimes none), so a cache that
 * ignored any one of them would gather the corners of the previous shape; every call is checked against the
 * definition and the scalar twin, values and indices. {@code MaxPoolGatheredKernelTest} changes the output width
 * between every two calls, which the cache's first two checks never see alone.
 */
class MaxPoolCornerCacheTest {
    private static final Kernels SCALAR = KernelProvider.scalar();
    private static Kernels vector;

    @BeforeAll
    static void loadVectorKernels() {
        vector = SimdKernelsForTests.loadOrSkip();
    }

    @Test
    void changingOneOfWidthHeightAndOutputWidthRebuildsTheCorners() {
        // {ow, oh, w}: each row differs from the one before in one field (or none); 2 ow stays below 8 lanes and
        // oh ow at least 4, so the gathered path runs at 256 and at 512 bits
        int[][] shapes = {
            {3, 5, 6}, {3, 5, 7}, {3, 5, 7}, {3, 6, 7}, {2, 6, 7}, {2, 6, 5}, {2, 9, 5}, {3, 9, 6}, {3, 9, 9},
            {3, 4, 9}, {1, 4, 9}, {1, 12, 9}, {1, 12, 2}, {3, 12, 6}, {3, 12, 6}, {3, 3, 6}, {2, 3, 6}, {2, 3, 4}
        };
        SplittableRandom rng = new SplittableRandom(23);
        for (int round = 0; round < 4; round++) {
            for (int[] s : shapes) {
                check(rng, s[0], s[1], s[2]);
            }
        }
    }

    private static void check(SplittableRandom rng, int ow, int oh, int w) {
        int sOff = rng.nextInt(3);
        float[] src = new float[sOff + 2 * oh * w];
        for (int i = 0; i < src.length; i++) src[i] = (float) rng.nextGaussian();
        float[] expected = new float[oh * ow];
        int[] expectedIdx = new int[oh * ow];
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                int best = 2 * oy * w + 2 * ox;
                for (int p : new int[] {best + 1, best + w, best + w + 1}) {
                    if (src[sOff + p] > src[sOff + best]) best = p;
                }
                expected[oy * ow + ox] = src[sOff + best];
                expectedIdx[oy * ow + ox] = best;
            }
        }
        for (Kernels k : new Kernels[] {SCALAR, vector}) {
            float[] out = new float[oh * ow];
            int[] idx = new int[oh * ow];
            k.maxPool2x2(src, sOff, w, oh, ow, out, idx, 0);
            String where = k.name() + " ow " + ow + " oh " + oh + " w " + w;
            assertArrayEquals(expectedIdx, idx, where);
            for (int i = 0; i < out.length; i++) {
                assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(out[i]), where);
            }
        }
    }
}
