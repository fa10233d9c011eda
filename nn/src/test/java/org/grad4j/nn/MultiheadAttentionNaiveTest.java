package org.grad4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.grad4j.core.DType;
import org.grad4j.core.DTypeMismatchException;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * {@link MultiheadAttention} against a naive loop over plain doubles that uses the module's own parameters: the
 * projections, the split into heads, appended learnt and zero keys, both masks, head-averaged and per-head weights;
 * plus its printed settings, accessors and argument checks.
 */
class MultiheadAttentionNaiveTest {

    private static double[] draw(long seed, int count) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[count];
        for (int i = 0; i < count; i++) v[i] = r.nextDouble(-1, 1);
        return v;
    }

    /** y = x W^T + b for one row; {@code w [out, in]} row-major, b may be null (offset into b). */
    private static double[] linear(double[] x, double[] w, int out, double[] b, int bOffset) {
        int in = x.length;
        double[] y = new double[out];
        for (int o = 0; o < out; o++) {
            double s = b == null ? 0 : b[bOffset + o];
            for (int i = 0; i < in; i++) s += w[o * in + i] * x[i];
            y[o] = s;
        }
        return y;
    }

    private static double[] rows(double[] w, int from, int count, int width) {
        return java.util.Arrays.copyOfRange(w, from * width, (from + count) * width);
    }

    /**
     * One batch element: q [L][E], k [S][kdim], v [S][vdim]; extraKeys are the appended (projected) keys and values
     * (bias_k/bias_v, then zeros), attended by every query; mask [L][S] additive over the real keys (may be null).
     * Returns {output [L][E], weights [heads][L][S + extra]}.
     */
    private static double[][][] naive(MultiheadAttention m, int heads, boolean zeroAttn, double[][] q, double[][] k,
                                      double[][] v, double[][] mask, boolean causal) {
        Map<String, Tensor> p = m.namedParameters();
        int e = q[0].length;
        int hd = e / heads;
        double[] wq;
        double[] wk;
        double[] wv;
        if (p.containsKey("in_proj_weight")) {
            double[] w = p.get("in_proj_weight").toDoubleArray();
            wq = rows(w, 0, e, e);
            wk = rows(w, e, e, e);
            wv = rows(w, 2 * e, e, e);
        } else {
            wq = p.get("q_proj_weight").toDoubleArray();
            wk = p.get("k_proj_weight").toDoubleArray();
            wv = p.get("v_proj_weight").toDoubleArray();
        }
        double[] b = p.containsKey("in_proj_bias") ? p.get("in_proj_bias").toDoubleArray() : null;
        int l = q.length;
        int s = k.length;
        double[][] qp = new double[l][];
        for (int i = 0; i < l; i++) qp[i] = linear(q[i], wq, e, b, 0);
        java.util.List<double[]> kp = new java.util.ArrayList<>();
        java.util.List<double[]> vp = new java.util.ArrayList<>();
        for (int j = 0; j < s; j++) {
            kp.add(linear(k[j], wk, e, b, e));
            vp.add(linear(v[j], wv, e, b, 2 * e));
        }
        if (m.biasK() != null) {
            kp.add(m.biasK().toDoubleArray());
            vp.add(m.biasV().toDoubleArray());
        }
        if (zeroAttn) {
            kp.add(new double[e]);
            vp.add(new double[e]);
        }
        int keys = kp.size();
        double[][] concat = new double[l][e];
        double[][][] weights = new double[heads][l][keys];
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < l; i++) {
                double[] score = new double[keys];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < keys; j++) {
                    double dot = 0;
                    for (int c = 0; c < hd; c++) dot += qp[i][h * hd + c] * kp.get(j)[h * hd + c];
                    score[j] = dot / Math.sqrt(hd);
                    if (j < s && mask != null) score[j] += mask[i][j];
                    if (causal && j > i) score[j] = Double.NEGATIVE_INFINITY;
                    max = Math.max(max, score[j]);
                }
                double sum = 0;
                for (int j = 0; j < keys; j++) sum += Math.exp(score[j] - max);
                for (int j = 0; j < keys; j++) {
                    double w = Math.exp(score[j] - max) / sum;
                    weights[h][i][j] = w;
                    for (int c = 0; c < hd; c++) concat[i][h * hd + c] += w * vp.get(j)[h * hd + c];
                }
            }
        }
        double[] wo = p.get("out_proj.weight").toDoubleArray();
        double[] bo = p.containsKey("out_proj.bias") ? p.get("out_proj.bias").toDoubleArray() : null;
        double[][] out = new double[l][];
        for (int i = 0; i < l; i++) out[i] = linear(concat[i], wo, e, bo, 0);
        double[][][] result = new double[1 + heads][][];
        result[0] = out;
        System.arraycopy(weights, 0, result, 1, heads);
        return result;
    }

    private static double[][] matrix(double[] flat, int rows, int cols) {
        double[][] m = new double[rows][cols];
        for (int r = 0; r < rows; r++) System.arraycopy(flat, r * cols, m[r], 0, cols);
        return m;
    }

    /** Gives the biases non-zero values, so that every bias shows in the output. */
    private static void randomiseBiases(MultiheadAttention m, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        try (var off = org.grad4j.core.Grad.disabled()) {
            for (Map.Entry<String, Tensor> e : m.namedParameters().entrySet()) {
                if (e.getKey().contains("bias")) {
                    Tensor t = e.getValue();
                    t.copyFrom(Tensor.of(r.doubles(t.numel(), -0.5, 0.5).toArray(), t.shape()).to(t.dtype()));
                }
            }
        }
    }

    @Test
    void packedProjectionsWithMasksAndBothAppendedKeys() {
        int e = 6;
        int heads = 3;
        int l = 3;
        int s = 4;
        int n = 2;
        MultiheadAttention m = new MultiheadAttention(e, heads, MultiheadAttention.options().dtype(DType.FLOAT64)
                .rng(new SplittableRandom(1)).addBiasKv(true).addZeroAttn(true));
        randomiseBiases(m, 2);
        double[] q = draw(3, l * n * e);
        double[] k = draw(4, s * n * e);
        double[] v = draw(5, s * n * e);
        boolean[] padding = {false, false, true, false, false, true, false, false};   // [N, S], true = padding
        double[] attn = draw(6, l * s);
        Tensor[] r = m.forward(Tensor.of(q, l, n, e), Tensor.of(k, s, n, e), Tensor.of(v, s, n, e),
                MultiheadAttention.Mask.of(Tensor.of(padding, n, s), Tensor.of(attn, l, s), false), true, false);
        assertArrayEquals(new int[] {l, n, e}, r[0].shape());
        assertArrayEquals(new int[] {n, heads, l, s + 2}, r[1].shape());
        for (int b = 0; b < n; b++) {
            double[][] qb = new double[l][e];
            double[][] kb = new double[s][e];
            double[][] vb = new double[s][e];
            for (int i = 0; i < l; i++) System.arraycopy(q, (i * n + b) * e, qb[i], 0, e);
            for (int j = 0; j < s; j++) {
                System.arraycopy(k, (j * n + b) * e, kb[j], 0, e);
                System.arraycopy(v, (j * n + b) * e, vb[j], 0, e);
            }
            double[][] mask = new double[l][s];
            for (int i = 0; i < l; i++) {
                for (int j = 0; j < s; j++) {
                    mask[i][j] = attn[i * s + j] + (padding[b * s + j] ? Double.NEGATIVE_INFINITY : 0);
                }
            }
            double[][][] ref = naive(m, heads, true, qb, kb, vb, mask, false);
            for (int i = 0; i < l; i++) {
                for (int c = 0; c < e; c++) assertEquals(ref[0][i][c], r[0].get(i, b, c), 1e-12);
                for (int h = 0; h < heads; h++) {
                    for (int j = 0; j < s + 2; j++) assertEquals(ref[1 + h][i][j], r[1].get(b, h, i, j), 1e-12);
                }
            }
        }
    }

    @Test
    void separateProjectionsBatchFirstCausalAndAveragedWeights() {
        int e = 4;
        int heads = 2;
        int kdim = 3;
        int vdim = 5;
        int l = 4;
        int s = 4;
        MultiheadAttention m = new MultiheadAttention(e, heads, MultiheadAttention.options().dtype(DType.FLOAT64)
                .rng(new SplittableRandom(7)).kdim(kdim).vdim(vdim).batchFirst(true));
        randomiseBiases(m, 8);
        assertEquals(List.of("q_proj_weight", "k_proj_weight", "v_proj_weight", "in_proj_bias", "out_proj.weight",
                "out_proj.bias"), List.copyOf(m.namedParameters().keySet()));
        assertArrayEquals(new int[] {e, kdim}, m.namedParameters().get("k_proj_weight").shape());
        assertArrayEquals(new int[] {e, vdim}, m.namedParameters().get("v_proj_weight").shape());
        double[] q = draw(9, l * e);
        double[] k = draw(10, s * kdim);
        double[] v = draw(11, s * vdim);
        Tensor[] r = m.forward(Tensor.of(q, 1, l, e), Tensor.of(k, 1, s, kdim), Tensor.of(v, 1, s, vdim),
                MultiheadAttention.Mask.of(null, null, true), true);
        double[][][] ref = naive(m, heads, false, matrix(q, l, e), matrix(k, s, kdim), matrix(v, s, vdim), null,
                true);
        assertArrayEquals(new int[] {1, l, e}, r[0].shape());
        assertArrayEquals(new int[] {1, l, s}, r[1].shape());
        for (int i = 0; i < l; i++) {
            for (int c = 0; c < e; c++) assertEquals(ref[0][i][c], r[0].get(0, i, c), 1e-12);
            for (int j = 0; j < s; j++) {
                assertEquals((ref[1][i][j] + ref[2][i][j]) / 2, r[1].get(0, i, j), 1e-12, "averaged over heads");
            }
        }
        // unbatched: the same numbers without the batch dim; a 1-d key padding mask
        Tensor[] u = m.forward(Tensor.of(q, l, e), Tensor.of(k, s, kdim), Tensor.of(v, s, vdim),
                MultiheadAttention.Mask.of(Tensor.of(new boolean[] {false, false, false, false}, s), null, true),
                true);
        assertArrayEquals(new int[] {l, e}, u[0].shape());
        assertArrayEquals(new int[] {l, s}, u[1].shape());
        assertArrayEquals(r[0].toDoubleArray(), u[0].toDoubleArray(), 1e-12);
        assertArrayEquals(r[1].toDoubleArray(), u[1].toDoubleArray(), 1e-12);
        assertNull(m.forward(Tensor.of(q, l, e), Tensor.of(k, s, kdim), Tensor.of(v, s, vdim), null, false)[1]);
    }

    @Test
    void perHeadAttnMaskAndFloatKeyPaddingWithoutBiases() {
        int e = 4;
        int heads = 2;
        int l = 2;
        int s = 3;
        int n = 2;
        MultiheadAttention m = new MultiheadAttention(e, heads, MultiheadAttention.options().dtype(DType.FLOAT64)
                .rng(new SplittableRandom(12)).bias(false).batchFirst(true).addZeroAttn(true));
        assertEquals(List.of("in_proj_weight", "out_proj.weight"), List.copyOf(m.namedParameters().keySet()));
        double[] q = draw(13, n * l * e);
        double[] k = draw(14, n * s * e);
        double[] attn = draw(15, n * heads * l * s);   // [N * heads, L, S]
        double[] pad = draw(16, n * s);
        Tensor[] r = m.forward(Tensor.of(q, n, l, e), Tensor.of(k, n, s, e), Tensor.of(k, n, s, e),
                MultiheadAttention.Mask.of(Tensor.of(pad, n, s), Tensor.of(attn, n * heads, l, s), false), true,
                false);
        for (int b = 0; b < n; b++) {
            double[][] qb = matrix(java.util.Arrays.copyOfRange(q, b * l * e, (b + 1) * l * e), l, e);
            double[][] kb = matrix(java.util.Arrays.copyOfRange(k, b * s * e, (b + 1) * s * e), s, e);
            for (int h = 0; h < heads; h++) {
                double[][] mask = new double[l][s];
                for (int i = 0; i < l; i++) {
                    for (int j = 0; j < s; j++) mask[i][j] = attn[((b * heads + h) * l + i) * s + j] + pad[b * s + j];
                }
                double[][][] ref = naive(m, heads, true, qb, kb, kb, mask, false);
                for (int i = 0; i < l; i++) {
                    for (int j = 0; j < s + 1; j++) {
                        assertEquals(ref[1 + h][i][j], r[1].get(b, h, i, j), 1e-12, "b " + b + " h " + h);
                    }
                }
            }
        }
    }

    @Test
    void dropoutOnlyWhileTraining() {
        MultiheadAttention m = new MultiheadAttention(4, 2, MultiheadAttention.options().dtype(DType.FLOAT64)
                .rng(new SplittableRandom(1)).dropout(0.5));
        Tensor x = Tensor.of(draw(2, 3 * 4), 3, 1, 4);
        m.eval();
        Tensor[] evalOut = m.forward(x, x, x, null, true);
        double[][][] ref = naive(m, 2, false, matrix(x.toDoubleArray(), 3, 4), matrix(x.toDoubleArray(), 3, 4),
                matrix(x.toDoubleArray(), 3, 4), null, false);
        for (int i = 0; i < 3; i++) {
            for (int c = 0; c < 4; c++) assertEquals(ref[0][i][c], evalOut[0].get(i, 0, c), 1e-12);
        }
        m.train();
        assertTrue(!java.util.Arrays.equals(evalOut[0].toDoubleArray(), m.forward(x, x, x).toDoubleArray()),
                "dropout on the weights in training");
    }

    @Test
    void settingsAccessorsAndChecks() {
        MultiheadAttention plain = new MultiheadAttention(8, 2);
        assertEquals("embedDim=8, numHeads=2, dropout=0.0, batchFirst=false", plain.extraRepr());
        MultiheadAttention all = new MultiheadAttention(8, 4, MultiheadAttention.options().kdim(3).vdim(5)
                .dropout(0.1).batchFirst(true).addBiasKv(true).addZeroAttn(true));
        assertEquals("embedDim=8, numHeads=4, kdim=3, vdim=5, dropout=0.1, batchFirst=true, addBiasKv=true,"
                + " addZeroAttn=true", all.extraRepr());
        assertEquals("embedDim=8, numHeads=2, vdim=3, dropout=0.0, batchFirst=false",
                new MultiheadAttention(8, 2, MultiheadAttention.options().vdim(3)).extraRepr());
        assertEquals("embedDim=8, numHeads=2, kdim=3, dropout=0.0, batchFirst=false",
                new MultiheadAttention(8, 2, MultiheadAttention.options().kdim(3)).extraRepr());
        assertNull(plain.biasK());
        assertNull(plain.biasV());
        assertArrayEquals(new int[] {1, 1, 8}, all.biasK().shape());
        assertArrayEquals(new int[] {1, 1, 8}, all.biasV().shape());
        assertSame(plain.namedChildren().get("out_proj"), plain.outProj());
        assertEquals(List.of("q_proj_weight", "k_proj_weight", "v_proj_weight", "in_proj_bias", "bias_k", "bias_v",
                "out_proj.weight", "out_proj.bias"), List.copyOf(all.namedParameters().keySet()));
        assertArrayEquals(new double[8], plain.outProj().bias().toDoubleArray(), "out_proj.bias starts at zero");
        assertArrayEquals(new double[24], plain.namedParameters().get("in_proj_bias").toDoubleArray());
        for (int[] bad : new int[][] {{0, 1}, {4, 0}, {6, 4}, {-4, 2}}) {
            assertThrows(IllegalArgumentException.class, () -> new MultiheadAttention(bad[0], bad[1]),
                    java.util.Arrays.toString(bad));
        }
        new MultiheadAttention(1, 1);
        Tensor x = Tensor.zeros(3, 2, 8);
        assertEquals("MultiheadAttention.forward takes (query, key, value), got 2 tensors",
                assertThrows(IllegalArgumentException.class, () -> plain.forward(x, x)).getMessage());
        assertArrayEquals(new int[] {3, 2, 8}, plain.forward(new Tensor[] {x, x, x}).shape());
        assertArrayEquals(new int[] {3, 2, 8}, plain.forward(x).shape());
        assertThrows(IllegalArgumentException.class, () -> plain.forward(Tensor.zeros(8)));
        assertThrows(IllegalArgumentException.class, () -> plain.forward(Tensor.zeros(1, 3, 2, 8)));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> plain.forward(x, Tensor.zeros(3, 2, 7), x))
                .getMessage().startsWith("MultiheadAttention: key must have 8 features in its last dim"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> plain.forward(Tensor.zeros(3, 2, 7), x, x))
                .getMessage().startsWith("MultiheadAttention: query must have 8 features"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> plain.forward(x, x, Tensor.zeros(3, 2, 7)))
                .getMessage().startsWith("MultiheadAttention: value must have 8 features"));
        for (Tensor[] kv : new Tensor[][] {{Tensor.zeros(4, 2, 8), x}, {x, Tensor.zeros(4, 2, 8)},
            {Tensor.zeros(3, 1, 8), Tensor.zeros(3, 1, 8)}, {x, Tensor.zeros(3, 1, 8)}}) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> plain.forward(x, kv[0], kv[1]))
                    .getMessage().startsWith("MultiheadAttention: key and value must have the same batch and length"));
        }
        assertArrayEquals(new int[] {3, 2, 8}, plain.forward(x, Tensor.zeros(5, 2, 8), Tensor.zeros(5, 2, 8))
                .shape());
        for (Tensor badPad : new Tensor[] {Tensor.zeros(DType.BOOL, 2, 4), Tensor.zeros(DType.BOOL, 1, 3),
            Tensor.zeros(DType.BOOL, 3), Tensor.zeros(DType.BOOL, 2, 3, 1)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> plain.forward(x, x, x,
                    MultiheadAttention.Mask.of(badPad, null, false), false));
            assertTrue(e.getMessage().startsWith("MultiheadAttention: keyPadding mask must be [N, S] = [2, 3]"),
                    e.getMessage());
        }
        DTypeMismatchException d = assertThrows(DTypeMismatchException.class, () -> plain.forward(x, x, x,
                MultiheadAttention.Mask.of(null, Tensor.zeros(DType.INT64, 3, 3), false), false));
        assertTrue(d.getMessage().startsWith("MultiheadAttention: attn mask must be bool or floating point"),
                d.getMessage());
        // a uint8 mask counts as bool: 1 blocks
        Tensor byteMask = Tensor.of(new byte[] {0, 1, 0, 0, 0, 1}, 2, 3);
        Tensor boolMask = Tensor.of(new boolean[] {false, true, false, false, false, true}, 2, 3);
        assertArrayEquals(plain.forward(x, x, x, MultiheadAttention.Mask.of(boolMask, null, false), false)[0]
                .toDoubleArray(), plain.forward(x, x, x, MultiheadAttention.Mask.of(byteMask, null, false), false)[0]
                .toDoubleArray(), 0);
    }
}
