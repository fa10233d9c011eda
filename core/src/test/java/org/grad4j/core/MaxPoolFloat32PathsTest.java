package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * float32 2x2 max pooling off the dense kernel (a transposed input takes {@code Pooling}'s own 2x2 loop) with NaNs
 * in every window position, and the float32 gradient of max pooling's gradient (the pooled-gradient's rule picks the
 * selected elements plane by plane), against naive loops.
 */
class MaxPoolFloat32PathsTest {

    /** Naive 2x2 stride-2 pooling of a [planes, h, w] array: value and flat in-plane index (last NaN wins). */
    private static void naive(float[] x, int planes, int h, int w, float[] values, long[] indices) {
        int oh = h / 2;
        int ow = w / 2;
        for (int p = 0; p < planes; p++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    float best = Float.NEGATIVE_INFINITY;
                    int at = -1;
                    for (int dy = 0; dy < 2; dy++) {
                        for (int dx = 0; dx < 2; dx++) {
                            int pos = (2 * oy + dy) * w + 2 * ox + dx;
                            float v = x[p * h * w + pos];
                            if (v > best || Float.isNaN(v) || at < 0) {
                                if (!(Float.isNaN(best) && !Float.isNaN(v))) {
                                    best = v;
                                    at = pos;
                                }
                            }
                        }
                    }
                    int k = (p * oh + oy) * ow + ox;
                    values[k] = best;
                    indices[k] = at;
                }
            }
        }
    }

    @Test
    void aTransposedFloat32InputWithNaNsPoolsAsTheNaiveLoop() {
        SplittableRandom rng = new SplittableRandom(5);
        int planes = 3;
        int h = 6;
        int w = 8;
        for (int trial = 0; trial < 20; trial++) {
            float[] x = new float[planes * h * w];
            for (int i = 0; i < x.length; i++) {
                x[i] = rng.nextInt(10) == 0 ? Float.NaN : rng.nextInt(-4, 5);   // ties and NaNs anywhere
            }
            float[] values = new float[planes * (h / 2) * (w / 2)];
            long[] indices = new long[values.length];
            naive(x, planes, h, w, values, indices);
            float[] transposed = new float[x.length];   // stored [planes, w, h], read back through transpose(2, 3)
            for (int p = 0; p < planes; p++) {
                for (int y = 0; y < h; y++) {
                    for (int xx = 0; xx < w; xx++) transposed[(p * w + xx) * h + y] = x[(p * h + y) * w + xx];
                }
            }
            Tensor input = Tensor.of(transposed, 1, planes, w, h).transpose(2, 3);
            Tensor[] r = input.maxPool2dWithIndices(new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0},
                    new int[] {1, 1}, false);
            float[] got = r[0].contiguous().toFloatArray();
            for (int k = 0; k < values.length; k++) {
                assertEquals(Float.floatToIntBits(values[k]), Float.floatToIntBits(got[k]), "trial " + trial + " at " + k);
            }
            assertArrayEquals(indices, r[1].contiguous().toLongArray(), "trial " + trial);
        }
    }

    @Test
    void theGradientOfTheFloat32PoolingGradientPicksTheSelectedElements() {
        SplittableRandom rng = new SplittableRandom(9);
        int planes = 2;
        int h = 4;
        int w = 6;
        float[] x = new float[planes * h * w];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        float[] values = new float[planes * (h / 2) * (w / 2)];
        long[] indices = new long[values.length];
        naive(x, planes, h, w, values, indices);
        float[] r = new float[x.length];
        for (int i = 0; i < r.length; i++) r[i] = i - 7.5f;
        Tensor xt = Tensor.of(x, 1, planes, h, w).requiresGrad(true);
        Tensor y = xt.maxPool2d(new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0}, new int[] {1, 1}, false);
        Tensor g = Tensor.ones(1, planes, h / 2, w / 2).requiresGrad(true);
        Tensor dx = Autograd.grad(List.of(y), List.of(xt), List.of(g), true, true, false).get(0);
        dx.mul(Tensor.of(r, 1, planes, h, w)).sum().backward();
        float[] expected = new float[values.length];
        int perPlane = (h / 2) * (w / 2);
        for (int k = 0; k < expected.length; k++) expected[k] = r[k / perPlane * h * w + (int) indices[k]];
        assertArrayEquals(expected, g.grad().toFloatArray(), 0f);
        assertEquals(DType.FLOAT32, g.grad().dtype());
    }
}
