package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link FusedUpdates#adam} on operands that sit at different offsets of their storages (each of grad, expAvg and
 * expAvgSq misaligned alone, and all at once), longer than one chunk of the chunked path, with and without weight
 * decay, in both float dtypes, against a naive element loop that rounds each operation as the documented in-place
 * sequence does.
 */
class FusedAdamOffsetsTest {

    private static final int N = 4096 + 37;   // one whole chunk of the chunked path and a partial one

    /** A contiguous view of {@code n} elements at {@code offset} of a longer random storage (|values| for scale < 0). */
    private static Tensor view(DType dtype, long seed, int offset, int n, double scale) {
        Tensor whole = Tensor.randn(new SplittableRandom(seed), dtype, offset + n + 3).mul(scale);
        return (scale < 0 ? whole.abs() : whole).narrow(0, offset, n);
    }

    private static void referenceFloat(float[] p, float[] g, float[] m, float[] v, double beta1, double beta2,
                                       double step, double sbc2, double eps, double decay) {
        for (int i = 0; i < p.length; i++) {
            m[i] = m[i] * (float) beta1 + g[i] * (float) (1 - beta1);
            v[i] = v[i] * (float) beta2 + g[i] * (float) (1 - beta2) * g[i];
            float denom = (float) Math.sqrt(v[i]) / (float) sbc2 + (float) eps;
            float pi = decay != 1 ? p[i] * (float) decay : p[i];
            p[i] = pi + m[i] * (float) -step / denom;
        }
    }

    private static void referenceDouble(double[] p, double[] g, double[] m, double[] v, double beta1, double beta2,
                                        double step, double sbc2, double eps, double decay) {
        for (int i = 0; i < p.length; i++) {
            m[i] = m[i] * beta1 + g[i] * (1 - beta1);
            v[i] = v[i] * beta2 + g[i] * (1 - beta2) * g[i];
            double denom = Math.sqrt(v[i]) / sbc2 + eps;
            double pi = decay != 1 ? p[i] * decay : p[i];
            p[i] = pi + m[i] * -step / denom;
        }
    }

    @Test
    void everyMisalignmentMatchesTheNaiveLoop() {
        int[][] offsets = {{0, 0, 0, 0}, {5, 5, 5, 5}, {0, 3, 0, 0}, {0, 0, 3, 0}, {0, 0, 0, 3}, {1, 2, 3, 4}};
        try (Grad.Scope off = Grad.disabled()) {
            for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                for (int[] o : offsets) {
                    for (double decay : new double[] {1, 0.99}) {
                        Tensor p = view(dtype, 1, o[0], N, 1);
                        Tensor g = view(dtype, 2, o[1], N, 0.1);
                        Tensor m = view(dtype, 3, o[2], N, 0.01);
                        Tensor v = view(dtype, 4, o[3], N, -0.01);   // negative scale: absolute values, as a second moment has
                        String what = dtype + " offsets " + java.util.Arrays.toString(o) + " decay " + decay;
                        int[] versions = {p.version(), m.version(), v.version()};
                        double beta1 = 0.9;
                        double beta2 = 0.999;
                        double step = 0.01;
                        double sbc2 = 0.3;
                        double eps = 1e-8;
                        if (dtype == DType.FLOAT32) {
                            float[] pr = p.toFloatArray();
                            float[] mr = m.toFloatArray();
                            float[] vr = v.toFloatArray();
                            referenceFloat(pr, g.toFloatArray(), mr, vr, beta1, beta2, step, sbc2, eps, decay);
                            FusedUpdates.adam(p, g, m, v, beta1, beta2, step, sbc2, eps, decay);
                            assertArrayEquals(mr, m.toFloatArray(), what + " expAvg");
                            assertArrayEquals(vr, v.toFloatArray(), what + " expAvgSq");
                            assertArrayEquals(pr, p.toFloatArray(), what + " param");
                        } else {
                            double[] pr = p.toDoubleArray();
                            double[] mr = m.toDoubleArray();
                            double[] vr = v.toDoubleArray();
                            referenceDouble(pr, g.toDoubleArray(), mr, vr, beta1, beta2, step, sbc2, eps, decay);
                            FusedUpdates.adam(p, g, m, v, beta1, beta2, step, sbc2, eps, decay);
                            assertArrayEquals(mr, m.toDoubleArray(), what + " expAvg");
                            assertArrayEquals(vr, v.toDoubleArray(), what + " expAvgSq");
                            assertArrayEquals(pr, p.toDoubleArray(), what + " param");
                        }
                        // each updated tensor's storage records the write (a saved copy would now be stale)
                        assertEquals(versions[0] + 1, p.version(), what);
                        assertEquals(versions[1] + 1, m.version(), what);
                        assertEquals(versions[2] + 1, v.version(), what);
                    }
                }
            }
        }
    }
}
