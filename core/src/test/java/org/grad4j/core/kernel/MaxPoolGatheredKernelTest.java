package org.grad4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The 2x2 max pooling kernel on planes whose rows of pairs fill less than a vector, which the SIMD kernels gather
 * across rows: against the scalar twin bit for bit and against the definition, for every output width below half
 * a vector, heights that give one, several and partial vectors, planes at offsets, ties, signed zeros, NaN and
 * infinities; plane shapes alternate so that the cached window corners are rebuilt, and two threads alternating
 * shapes at once share the cache.
 */
class MaxPoolGatheredKernelTest {
    private static final float[] VALUES = {-2f, -1f, -0.0f, 0.0f, 1f, 2f, 3f, Float.NaN, Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY};
    private static final Kernels SCALAR = KernelProvider.scalar();
    private static Kernels vector;

    @BeforeAll
    static void loadVectorKernels() {
        vector = SimdKernelsForTests.loadOrSkip();
    }

    @Test
    void narrowPlanesGiveTheScalarTwinsBitsAndTheDefinition() {
        check(new SplittableRandom(3), 200);
    }

    @Test
    void twoThreadsAlternatingPlaneShapesAgree() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> a = pool.submit(() -> check(new SplittableRandom(17), 100));
            Future<?> b = pool.submit(() -> check(new SplittableRandom(19), 100));
            a.get();
            b.get();
        } finally {
            pool.shutdown();
        }
    }

    private static void check(SplittableRandom rng, int rounds) {
        for (int round = 0; round < rounds; round++) {
            for (int ow = 1; ow <= 8; ow++) {
                int oh = 1 + rng.nextInt(13);
                int w = 2 * ow + rng.nextInt(2);
                int extraRow = rng.nextInt(2);
                int sOff = rng.nextInt(3);
                int dOff = rng.nextInt(3);
                int kinds = round % 3 == 0 ? VALUES.length : 7;
                float[] src = new float[sOff + (2 * oh + extraRow) * w];
                for (int i = 0; i < src.length; i++) {
                    src[i] = rng.nextInt(4) == 0 ? (float) rng.nextDouble() : VALUES[rng.nextInt(kinds)];
                }
                float[] expected = new float[dOff + oh * ow];
                int[] expectedIdx = new int[expected.length];
                MaxPoolKernelTest.naive(src, sOff, w, oh, ow, expected, expectedIdx, dOff);
                float[] scalarOut = new float[expected.length];
                int[] scalarIdx = new int[expected.length];
                SCALAR.maxPool2x2(src, sOff, w, oh, ow, scalarOut, scalarIdx, dOff);
                float[] out = new float[expected.length];
                int[] idx = new int[expected.length];
                vector.maxPool2x2(src, sOff, w, oh, ow, out, idx, dOff);
                String where = "ow " + ow + " w " + w + " oh " + oh + " sOff " + sOff + " dOff " + dOff;
                assertArrayEquals(expectedIdx, idx, where);
                assertArrayEquals(scalarIdx, idx, where);
                for (int i = 0; i < out.length; i++) {
                    assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(out[i]),
                            where + " at " + i);
                    assertEquals(Float.floatToRawIntBits(scalarOut[i]), Float.floatToRawIntBits(out[i]),
                            where + " at " + i);
                }
            }
        }
    }
}
