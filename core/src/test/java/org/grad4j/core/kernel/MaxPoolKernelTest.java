package org.grad4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The 2x2 max pooling kernel: the SIMD kernels against the scalar twin bit for bit and both against a naive loop
 * written from the definition (the first tap, row by row, equal to the maximum; the last NaN when there is one),
 * over output widths around the lane counts, odd input widths (a last column no window reads), planes at an offset
 * that end right after the last row read, and values drawn from a small set so that ties, -0.0 against 0.0, NaN
 * and infinities (whose sum is NaN) all occur. Repeated so the JIT compiles the loops.
 */
class MaxPoolKernelTest {
    private static final float[] VALUES = {-2f, -1f, -0.0f, 0.0f, 1f, 2f, 3f, Float.NaN, Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY};
    private static final Kernels SCALAR = KernelProvider.scalar();
    private static Kernels vector;

    @BeforeAll
    static void loadVectorKernels() {
        vector = SimdKernelsForTests.loadOrSkip();
    }

    @Test
    void maxPool2x2TakesTheFirstLargestTapOrTheLastNaNOfEachWindow() {
        SplittableRandom rng = new SplittableRandom(11);
        int[] widths = {1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 24, 31, 32, 33, 40};
        for (int round = 0; round < 300; round++) {
            for (int ow : widths) {
                int oh = 1 + rng.nextInt(3);
                int w = 2 * ow + rng.nextInt(2);
                int sOff = rng.nextInt(3);
                int dOff = rng.nextInt(3);
                // special values in some rounds only, so that most vectors take the SIMD path
                int kinds = round % 3 == 0 ? VALUES.length : 7;
                float[] src = new float[sOff + 2 * oh * w];
                for (int i = 0; i < src.length; i++) {
                    src[i] = rng.nextInt(4) == 0 ? (float) rng.nextDouble() : VALUES[rng.nextInt(kinds)];
                }
                float[] expected = new float[dOff + oh * ow];
                int[] expectedIdx = new int[expected.length];
                naive(src, sOff, w, oh, ow, expected, expectedIdx, dOff);
                for (Kernels k : new Kernels[] {SCALAR, vector}) {
                    float[] out = new float[expected.length];
                    int[] idx = new int[expected.length];
                    k.maxPool2x2(src, sOff, w, oh, ow, out, idx, dOff);
                    String where = k.name() + " ow " + ow + " w " + w + " oh " + oh;
                    assertArrayEquals(expectedIdx, idx, where);
                    for (int i = 0; i < out.length; i++) {
                        assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(out[i]),
                                where + " at " + i);
                    }
                }
            }
        }
    }

    /** Straight from the definition: taps in row order, the first strictly larger or NaN-after-NaN replaces. */
    static void naive(float[] src, int sOff, int w, int oh, int ow, float[] dst, int[] idx, int dOff) {
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                int best = -1;
                boolean nan = false;
                for (int dy = 0; dy < 2; dy++) {
                    for (int dx = 0; dx < 2; dx++) {
                        int p = (2 * oy + dy) * w + 2 * ox + dx;
                        float v = src[sOff + p];
                        if (Float.isNaN(v)) {
                            best = p;
                            nan = true;
                        } else if (!nan && (best < 0 || v > src[sOff + best])) {
                            best = p;
                        }
                    }
                }
                idx[dOff + oy * ow + ox] = best;
                dst[dOff + oy * ow + ox] = src[sOff + best];
            }
        }
    }
}
