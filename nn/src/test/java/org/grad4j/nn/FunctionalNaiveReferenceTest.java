package org.grad4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.grad4j.core.DType;
import org.grad4j.core.DTypeMismatchException;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * {@link Functional}'s attention, masks and normalisations against naive loops over plain doubles, on inputs chosen
 * so that the boundaries show: non-square causal masks, variances as small as eps, a batch of exactly two values per
 * channel.
 */
class FunctionalNaiveReferenceTest {

    private static double[] draw(long seed, int count) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[count];
        for (int i = 0; i < count; i++) v[i] = r.nextDouble(-2, 2);
        return v;
    }

    // ------------------------------------------------------------------------------------------------ masks

    @Test
    void causalMaskBlocksExactlyTheKeysAfterEachQuery() {
        for (int[] ls : new int[][] {{3, 5}, {4, 2}, {3, 3}, {1, 1}, {0, 4}, {2, 0}}) {
            int l = ls[0];
            int s = ls[1];
            Tensor m = Functional.causalMask(l, s, DType.FLOAT64);
            assertArrayEquals(new int[] {l, s}, m.shape());
            double[] got = m.toDoubleArray();
            for (int i = 0; i < l; i++) {
                for (int j = 0; j < s; j++) {
                    assertEquals(j > i ? Double.NEGATIVE_INFINITY : 0.0, got[i * s + j], l + "x" + s + " at " + i
                            + "," + j);
                }
            }
        }
        assertEquals(DType.FLOAT32, Functional.causalMask(2, 2, DType.FLOAT32).dtype());
    }

    @Test
    void causalMaskSizesAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> Functional.causalMask(-1, 2, DType.FLOAT32));
        assertThrows(IllegalArgumentException.class, () -> Functional.causalMask(2, -1, DType.FLOAT32));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Functional.causalMask(65536, 65536, DType.FLOAT32));
        assertEquals("causalMask: sizes must be non-negative with l * s within an array, got 65536 x 65536",
                e.getMessage());
        // l * s = Integer.MAX_VALUE - 7 is one past the limit; overflow of int must not hide it
        assertThrows(IllegalArgumentException.class, () -> Functional.causalMask(1, Integer.MAX_VALUE - 7,
                DType.FLOAT32));
        assertThrows(DTypeMismatchException.class, () -> Functional.causalMask(2, 2, DType.INT64));
    }

    @Test
    void maskFillTurnsBlockedEntriesIntoMinusInfinity() {
        Tensor blocked = Tensor.of(new double[] {0, 2, -1, 0}, 2, 2);
        assertArrayEquals(new double[] {0, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, 0},
                Functional.maskFill(blocked, DType.FLOAT64).toDoubleArray());
        Tensor bool = Tensor.of(new boolean[] {true, false}, 2);
        Tensor filled = Functional.maskFill(bool, DType.FLOAT32);
        assertEquals(DType.FLOAT32, filled.dtype());
        assertArrayEquals(new double[] {Double.NEGATIVE_INFINITY, 0}, filled.toDoubleArray());
        assertThrows(DTypeMismatchException.class, () -> Functional.maskFill(bool, DType.INT32));
    }

    // -------------------------------------------------------------------------------------------- attention

    /** softmax(q k^T / sqrt(E) + mask) v for one [L, E] x [S, E] x [S, Ev] head; mask [L, S] additive or null. */
    private static double[] naiveAttention(double[] q, double[] k, double[] v, double[] mask, int l, int s, int e,
                                           int ev, boolean causal) {
        double[] out = new double[l * ev];
        for (int i = 0; i < l; i++) {
            double[] score = new double[s];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < s; j++) {
                double dot = 0;
                for (int c = 0; c < e; c++) dot += q[i * e + c] * k[j * e + c];
                score[j] = dot / Math.sqrt(e) + (mask == null ? 0 : mask[i * s + j])
                        + (causal && j > i ? Double.NEGATIVE_INFINITY : 0);
                max = Math.max(max, score[j]);
            }
            double sum = 0;
            for (int j = 0; j < s; j++) {
                score[j] = Math.exp(score[j] - max);
                sum += score[j];
            }
            for (int j = 0; j < s; j++) {
                for (int c = 0; c < ev; c++) out[i * ev + c] += score[j] / sum * v[j * ev + c];
            }
        }
        return out;
    }

    @Test
    void causalAttentionWithMoreKeysThanQueries() {
        int l = 3;
        int s = 5;
        int e = 4;
        int ev = 2;
        double[] q = draw(1, l * e);
        double[] k = draw(2, s * e);
        double[] v = draw(3, s * ev);
        Tensor out = Functional.scaledDotProductAttention(Tensor.of(q, l, e), Tensor.of(k, s, e), Tensor.of(v, s, ev),
                null, 0, true, null);
        assertArrayEquals(naiveAttention(q, k, v, null, l, s, e, ev, true), out.toDoubleArray(), 1e-12);
        Tensor open = Functional.scaledDotProductAttention(Tensor.of(q, l, e), Tensor.of(k, s, e),
                Tensor.of(v, s, ev), null, 0, false, null);
        assertArrayEquals(naiveAttention(q, k, v, null, l, s, e, ev, false), open.toDoubleArray(), 1e-12);
    }

    @Test
    void attentionWithBoolAndFloatMasksAndBatchDims() {
        int b = 2;
        int l = 4;
        int s = 3;
        int e = 3;
        int ev = 5;
        double[] q = draw(4, b * l * e);
        double[] k = draw(5, b * s * e);
        double[] v = draw(6, b * s * ev);
        boolean[] allowed = {true, false, true, false, true, true, true, true, false, true, false, false};
        double[] additive = new double[l * s];
        for (int i = 0; i < l * s; i++) additive[i] = allowed[i] ? 0 : Double.NEGATIVE_INFINITY;
        double[] bias = draw(7, l * s);
        Tensor qt = Tensor.of(q, b, l, e);
        Tensor kt = Tensor.of(k, b, s, e);
        Tensor vt = Tensor.of(v, b, s, ev);
        double[] withBool = Functional.scaledDotProductAttention(qt, kt, vt, Tensor.of(allowed, l, s), 0, false, null)
                .toDoubleArray();
        double[] withFloat = Functional.scaledDotProductAttention(qt, kt, vt, Tensor.of(bias, l, s), 0, true, null)
                .toDoubleArray();
        for (int n = 0; n < b; n++) {
            double[] qn = java.util.Arrays.copyOfRange(q, n * l * e, (n + 1) * l * e);
            double[] kn = java.util.Arrays.copyOfRange(k, n * s * e, (n + 1) * s * e);
            double[] vn = java.util.Arrays.copyOfRange(v, n * s * ev, (n + 1) * s * ev);
            assertArrayEquals(naiveAttention(qn, kn, vn, additive, l, s, e, ev, false),
                    java.util.Arrays.copyOfRange(withBool, n * l * ev, (n + 1) * l * ev), 1e-12);
            assertArrayEquals(naiveAttention(qn, kn, vn, bias, l, s, e, ev, true),
                    java.util.Arrays.copyOfRange(withFloat, n * l * ev, (n + 1) * l * ev), 1e-12);
        }
        Tensor floatMask32 = Tensor.of(bias, l, s).to(DType.FLOAT32);
        assertEquals(DType.FLOAT64, Functional.scaledDotProductAttention(qt, kt, vt, floatMask32, 0, false, null)
                .dtype());
        DTypeMismatchException bad = assertThrows(DTypeMismatchException.class,
                () -> Functional.scaledDotProductAttention(qt, kt, vt, Tensor.zeros(DType.INT64, l, s), 0, false,
                        null));
        assertTrue(bad.getMessage().startsWith("scaledDotProductAttention: attnMask must be bool or floating point"),
                bad.getMessage());
    }

    @Test
    void attentionWeightsAreTheSoftmaxAndDropoutOnlyAbovePZero() {
        int l = 2;
        int s = 3;
        double[] q = draw(8, l * 2);
        double[] k = draw(9, s * 2);
        double[] v = {1, 0, 0, 0, 1, 0, 0, 0, 1};   // identity: the output is the weights
        Tensor[] r = Functional.attention(Tensor.of(q, l, 2), Tensor.of(k, s, 2), Tensor.of(v, s, s), null, 0, false,
                new SplittableRandom(1));
        assertArrayEquals(naiveAttention(q, k, v, null, l, s, 2, s, false), r[1].toDoubleArray(), 1e-12);
        assertArrayEquals(r[1].toDoubleArray(), r[0].toDoubleArray(), 1e-15);
        Tensor[] dropped = Functional.attention(Tensor.of(q, l, 2), Tensor.of(k, s, 2), Tensor.of(v, s, s), null,
                0.5, false, new SplittableRandom(3));
        double[] w = dropped[1].toDoubleArray();
        double[] o = dropped[0].toDoubleArray();
        int zeros = 0;
        for (int i = 0; i < o.length; i++) {
            if (o[i] == 0) {
                zeros++;
            } else {
                assertEquals(2 * w[i], o[i], 1e-12, "kept weights are scaled by 1 / (1 - p)");
            }
        }
        assertTrue(zeros > 0 && zeros < o.length, "some dropped, some kept: " + zeros);
    }

    @Test
    void attentionShapesAreChecked() {
        Tensor q = Tensor.ones(DType.FLOAT64, 2, 3);
        for (Tensor[] qkv : new Tensor[][] {
            {Tensor.ones(3), q, q}, {q, Tensor.ones(3), q}, {q, q, Tensor.ones(3)},
            {q, Tensor.ones(DType.FLOAT64, 2, 4), q}, {q, q, Tensor.ones(DType.FLOAT64, 3, 3)},
        }) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Functional.scaledDotProductAttention(qkv[0], qkv[1], qkv[2], null, 0, false, null));
            assertTrue(e.getMessage().startsWith("scaledDotProductAttention: expects q [..., L, E]"), e.getMessage());
        }
        assertArrayEquals(new int[] {2, 5}, Functional.scaledDotProductAttention(q, Tensor.ones(DType.FLOAT64, 4, 3),
                Tensor.ones(DType.FLOAT64, 4, 5), null, 0, false, null).shape());
    }

    // ---------------------------------------------------------------------------------------- normalisation

    /** Values whose variance (about 1e-6) is of the order of eps, so that eps shows in every result. */
    private static double[] tiny(long seed, int count) {
        double[] v = draw(seed, count);
        for (int i = 0; i < count; i++) v[i] = 3 + v[i] * 1e-3;
        return v;
    }

    @Test
    void batchNormTrainingUsesBatchStatisticsAndUpdatesRunningOnes() {
        int n = 2;
        int c = 3;
        int hw = 1;   // two values per channel: the smallest batch training accepts
        double[] x = tiny(10, n * c * hw);
        double[] rm = {0.5, -1, 2};
        double[] rv = {1, 2, 0.5};
        double[] w = {1.5, -0.5, 2};
        double[] bias = {0.1, 0.2, -0.3};
        double momentum = 0.25;
        double eps = 1e-6;
        Tensor runningMean = Tensor.of(rm.clone(), c);
        Tensor runningVar = Tensor.of(rv.clone(), c);
        Tensor y = Functional.batchNorm(Tensor.of(x, n, c), runningMean, runningVar, Tensor.of(w, c),
                Tensor.of(bias, c), true, momentum, eps);
        double[] expected = new double[n * c];
        for (int ch = 0; ch < c; ch++) {
            double mean = (x[ch] + x[c + ch]) / 2;
            double var = ((x[ch] - mean) * (x[ch] - mean) + (x[c + ch] - mean) * (x[c + ch] - mean)) / 2;
            for (int i = 0; i < n; i++) {
                expected[i * c + ch] = (x[i * c + ch] - mean) / Math.sqrt(var + eps) * w[ch] + bias[ch];
            }
            assertEquals((1 - momentum) * rm[ch] + momentum * mean, runningMean.get(ch), 1e-12);
            assertEquals((1 - momentum) * rv[ch] + momentum * var * 2, runningVar.get(ch), 1e-12,
                    "the running variance takes the unbiased batch variance");
        }
        assertArrayEquals(expected, y.toDoubleArray(), 1e-9);
    }

    @Test
    void batchNormEvalUsesRunningStatisticsOverSpatialDims() {
        int n = 2;
        int c = 2;
        int h = 2;
        int wd = 3;
        double[] x = draw(11, n * c * h * wd);
        double[] rm = {0.5, -1};
        double[] rv = {1e-6, 4};
        double eps = 1e-6;
        Tensor y = Functional.batchNorm(Tensor.of(x, n, c, h, wd), Tensor.of(rm, c), Tensor.of(rv, c), null, null,
                false, 0.1, eps);
        double[] expected = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int ch = i / (h * wd) % c;
            expected[i] = (x[i] - rm[ch]) / Math.sqrt(rv[ch] + eps);
        }
        assertArrayEquals(expected, y.toDoubleArray(), 1e-9);
        // spatial dims are reduced with the batch when training without running statistics
        Tensor t = Functional.batchNorm(Tensor.of(x, n, c, h, wd), null, null, null, null, true, 0.1, 0);
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            double sq = 0;
            for (int i = 0; i < x.length; i++) {
                if (i / (h * wd) % c == ch) {
                    sum += t.toDoubleArray()[i];
                    sq += t.toDoubleArray()[i] * t.toDoubleArray()[i];
                }
            }
            assertEquals(0, sum, 1e-9);
            assertEquals(n * h * wd, sq, 1e-9, "unit biased variance over batch and positions");
        }
    }

    @Test
    void batchNormRefusesOneValuePerChannelOnlyWhenTraining() {
        Tensor one = Tensor.of(new double[] {1, 2, 3}, 1, 3);
        Tensor rm = Tensor.zeros(DType.FLOAT64, 3);
        Tensor rv = Tensor.ones(DType.FLOAT64, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Functional.batchNorm(one, rm, rv, null, null, true, 0.1, 1e-5));
        assertEquals("batchNorm: expected more than 1 value per channel when training, got input shape [1, 3]; use a"
                + " larger batch or eval()", e.getMessage());
        assertArrayEquals(new double[] {1 / Math.sqrt(2), 2 / Math.sqrt(2), 3 / Math.sqrt(2)},
                Functional.batchNorm(one, rm, rv, null, null, false, 0.1, 1).toDoubleArray(), 1e-12);
        assertThrows(IllegalArgumentException.class,
                () -> Functional.batchNorm(Tensor.ones(3), null, null, null, null, false, 0.1, 1e-5));
        // without running statistics, even eval uses the batch's (no error for one value per channel)
        assertArrayEquals(new double[] {0, 0, 0},
                Functional.batchNorm(one, null, null, null, null, false, 0.1, 1e-5).toDoubleArray(), 1e-12);
    }

    @Test
    void layerNormAndGroupNormWithEpsOfTheOrderOfTheVariance() {
        int n = 2;
        int c = 4;
        int len = 3;
        double[] x = tiny(12, n * c * len);
        double eps = 2e-6;
        double[] w = draw(13, len);
        double[] b = draw(14, len);
        Tensor ln = Functional.layerNorm(Tensor.of(x, n, c, len), new int[] {len}, Tensor.of(w, len),
                Tensor.of(b, len), eps);
        double[] expected = new double[x.length];
        for (int r = 0; r < n * c; r++) {
            double mean = 0;
            for (int j = 0; j < len; j++) mean += x[r * len + j] / len;
            double var = 0;
            for (int j = 0; j < len; j++) var += (x[r * len + j] - mean) * (x[r * len + j] - mean) / len;
            for (int j = 0; j < len; j++) {
                expected[r * len + j] = (x[r * len + j] - mean) / Math.sqrt(var + eps) * w[j] + b[j];
            }
        }
        assertArrayEquals(expected, ln.toDoubleArray(), 1e-8);
        // over the last two dims
        Tensor ln2 = Functional.layerNorm(Tensor.of(x, n, c, len), new int[] {c, len}, null, null, eps);
        for (int s = 0; s < n; s++) {
            double mean = 0;
            for (int j = 0; j < c * len; j++) mean += x[s * c * len + j] / (c * len);
            double var = 0;
            for (int j = 0; j < c * len; j++) {
                var += (x[s * c * len + j] - mean) * (x[s * c * len + j] - mean) / (c * len);
            }
            for (int j = 0; j < c * len; j++) {
                assertEquals((x[s * c * len + j] - mean) / Math.sqrt(var + eps), ln2.toDoubleArray()[s * c * len + j],
                        1e-8);
            }
        }
        int groups = 2;
        double[] gw = {1, 2, 3, 4};
        double[] gb = {-1, 0, 1, 2};
        Tensor gn = Functional.groupNorm(Tensor.of(x, n, c, len), groups, Tensor.of(gw, c), Tensor.of(gb, c), eps);
        int per = c / groups * len;
        for (int s = 0; s < n; s++) {
            for (int g = 0; g < groups; g++) {
                int start = (s * groups + g) * per;
                double mean = 0;
                for (int j = 0; j < per; j++) mean += x[start + j] / per;
                double var = 0;
                for (int j = 0; j < per; j++) var += (x[start + j] - mean) * (x[start + j] - mean) / per;
                for (int j = 0; j < per; j++) {
                    int ch = (start + j) / len % c;
                    assertEquals((x[start + j] - mean) / Math.sqrt(var + eps) * gw[ch] + gb[ch],
                            gn.toDoubleArray()[start + j], 1e-7);
                }
            }
        }
    }

    @Test
    void rmsNormDefaultsEpsToTheMachineEpsilonOfTheDtype() {
        double[] x = {1e-8, -2e-8, 3e-8, 1, 2, 3};
        for (double eps : new double[] {0, -1, Double.NaN, 1e-15}) {
            double e = eps > 0 ? eps : Math.ulp(1.0);
            Tensor y = Functional.rmsNorm(Tensor.of(x, 2, 3), new int[] {3}, null, eps);
            for (int r = 0; r < 2; r++) {
                double ms = 0;
                for (int j = 0; j < 3; j++) ms += x[r * 3 + j] * x[r * 3 + j] / 3;
                for (int j = 0; j < 3; j++) {
                    assertEquals(x[r * 3 + j] / Math.sqrt(ms + e), y.toDoubleArray()[r * 3 + j],
                            1e-9 * Math.abs(x[r * 3 + j] / Math.sqrt(ms + e)), "eps " + eps);
                }
            }
        }
        float[] xf = {1e-4f, -2e-4f, 3e-4f};
        Tensor yf = Functional.rmsNorm(Tensor.of(xf, 1, 3), new int[] {3}, Tensor.of(new float[] {1, 2, 3}, 3), 0);
        double ms = (1e-8 + 4e-8 + 9e-8) / 3;
        double e32 = Math.ulp(1.0f);
        assertArrayEquals(new double[] {1e-4 / Math.sqrt(ms + e32), -4e-4 / Math.sqrt(ms + e32),
            9e-4 / Math.sqrt(ms + e32)}, yf.toDoubleArray(), 1e-5);
    }

    @Test
    void normalisedShapesAndGroupsAreChecked() {
        Tensor x = Tensor.ones(DType.FLOAT64, 2, 4, 3);
        for (int[] shape : new int[][] {{}, {4}, {2, 4, 3, 1}, {1, 2, 4, 3}, {5, 3}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Functional.layerNorm(x, shape, null, null, 1e-5), java.util.Arrays.toString(shape));
            assertTrue(e.getMessage().startsWith("layerNorm: normalizedShape "), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Functional.rmsNorm(x, shape, null, 1e-5));
        }
        assertArrayEquals(new int[] {2, 4, 3}, Functional.layerNorm(x, new int[] {2, 4, 3}, null, null, 1e-5).shape());
        for (int groups : new int[] {0, -2, 3, 8}) {
            assertThrows(IllegalArgumentException.class, () -> Functional.groupNorm(x, groups, null, null, 1e-5),
                    "groups " + groups);
        }
        assertThrows(IllegalArgumentException.class, () -> Functional.groupNorm(Tensor.ones(4), 1, null, null, 1e-5));
        assertArrayEquals(new int[] {2, 4, 3}, Functional.groupNorm(x, 4, null, null, 1e-5).shape());
        assertArrayEquals(new int[] {2, 4}, Functional.groupNorm(Tensor.ones(DType.FLOAT64, 2, 4), 1, null, null,
                1e-5).shape());
    }

    // ---------------------------------------------------------------------------------------------- dropout2d

    @Test
    void dropout2dZeroesWholeChannels() {
        int n = 3;
        int c = 8;
        double[] x = draw(15, n * c * 2 * 2);
        Tensor y = Functional.dropout2d(Tensor.of(x, n, c, 2, 2), 0.5, true, new SplittableRandom(4));
        double[] out = y.toDoubleArray();
        int dropped = 0;
        for (int p = 0; p < n * c; p++) {
            boolean zero = out[p * 4] == 0;
            if (zero) dropped++;
            for (int j = 0; j < 4; j++) {
                assertEquals(zero ? 0 : 2 * x[p * 4 + j], out[p * 4 + j], 1e-12, "plane " + p);
            }
        }
        assertTrue(dropped > 0 && dropped < n * c, "dropped " + dropped);
        Tensor unbatched = Tensor.of(x, n * c, 2, 2);
        assertSame(unbatched, Functional.dropout2d(unbatched, 0.5, false, new SplittableRandom(1)));
        assertSame(unbatched, Functional.dropout2d(unbatched, 0, true, new SplittableRandom(1)));
        double[] u = Functional.dropout2d(unbatched, 0.5, true, new SplittableRandom(4)).toDoubleArray();
        for (int p = 0; p < n * c; p++) {
            for (int j = 1; j < 4; j++) assertEquals(u[p * 4] == 0, u[p * 4 + j] == 0, "whole plane " + p);
        }
        assertThrows(IllegalArgumentException.class,
                () -> Functional.dropout2d(Tensor.ones(2, 2), 0.5, true, new SplittableRandom(1)));
        assertThrows(IllegalArgumentException.class,
                () -> Functional.dropout2d(Tensor.ones(1, 1, 1, 1, 1), 0.5, true, new SplittableRandom(1)));
    }

    // ---------------------------------------------------------------------------------------------- distances

    private static double pNorm(double[] v, double p) {
        if (Double.isInfinite(p)) {
            double m = 0;
            for (double d : v) m = Math.max(m, Math.abs(d));
            return m;
        }
        double s = 0;
        for (double d : v) s += Math.pow(Math.abs(d), p);
        return Math.pow(s, 1 / p);
    }

    @Test
    void normalizeAndDistancesForEveryKindOfNorm() {
        double[] a = {3, -4, 0.5};
        double[] b = {-1, 2, 2.5};
        for (double p : new double[] {1, 2, 3, 0.5, Double.POSITIVE_INFINITY}) {
            double na = pNorm(a, p);
            double[] expected = {a[0] / na, a[1] / na, a[2] / na};
            assertArrayEquals(expected, Functional.normalize(Tensor.of(a, 1, 3), p, 1, 1e-12).toDoubleArray(), 1e-12,
                    "p " + p);
            double[] diff = {a[0] - b[0] + 1e-6, a[1] - b[1] + 1e-6, a[2] - b[2] + 1e-6};
            assertEquals(pNorm(diff, p), Functional.pairwiseDistance(Tensor.of(a, 3), Tensor.of(b, 3), p, 1e-6, false)
                    .item(), 1e-12, "p " + p);
        }
        assertArrayEquals(new double[] {0, 0, 0}, Functional.normalize(Tensor.zeros(DType.FLOAT64, 3)).toDoubleArray());
        assertArrayEquals(new double[] {0.3, 0.4}, Functional.normalize(Tensor.of(new double[] {3e-3, 4e-3}, 2), 2,
                0, 1e-2).toDoubleArray(), 1e-12, "a norm below eps divides by eps");
        assertArrayEquals(new double[] {0.6, -0.8}, Functional.normalize(Tensor.of(new double[] {3, -4}, 2))
                .toDoubleArray(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Functional.normalize(Tensor.ones(2), 0, 0, 1e-12));
        assertThrows(IllegalArgumentException.class, () -> Functional.normalize(Tensor.ones(2), -1, 0, 1e-12));
        double cos = (a[0] * b[0] + a[1] * b[1] + a[2] * b[2]) / (pNorm(a, 2) * pNorm(b, 2));
        assertEquals(cos, Functional.cosineSimilarity(Tensor.of(a, 3), Tensor.of(b, 3), 0, 1e-8).item(), 1e-12);
        assertArrayEquals(new int[] {1, 1}, Functional.pairwiseDistance(Tensor.of(a, 1, 3), Tensor.of(b, 1, 3), 2,
                1e-6, true).shape());
    }

    @Test
    void aZeroVectorHasNormZeroAndGradientZero() {
        for (double p : new double[] {2, 3}) {
            Tensor x = Tensor.zeros(DType.FLOAT64, 3).requiresGrad(true);
            Tensor d = Functional.pairwiseDistance(x, Tensor.zeros(DType.FLOAT64, 3), p, 0, false);
            assertEquals(0, d.item());
            d.backward();
            assertArrayEquals(new double[] {0, 0, 0}, x.grad().toDoubleArray(), "p " + p);
        }
    }
}
