package org.grad4j.nn;

import static org.grad4j.nn.TestTensors.assertAllFinite;
import static org.grad4j.nn.TestTensors.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Loss values against formulas computed element by element in this test (from PyTorch's documented definitions)
 * and against reference numbers from PyTorch 1.13; gradients against PyTorch where the formula has a subtlety;
 * extreme logits; input validation.
 */
class LossesTest {

    // Fixtures shared with the PyTorch reference script (values below were produced offline with PyTorch 1.13.1
    // from Debian's python3-torch, in float64, by e.g. F.cross_entropy(X, Y, weight=W, label_smoothing=0.2)).
    static final double[][] X = {{0.2, -1.3, 2.1, 0.0}, {1.5, 0.7, -0.4, -2.2}, {-0.9, 3.0, 0.1, 1.1}};
    static final int[] Y = {2, 0, 3};
    static final double[] W = {0.5, 2.0, 1.0, 1.5};
    static final double[][] P = {{0.1, 0.2, 0.3, 0.4}, {1.0, 0.0, 0.0, 0.0}, {0.25, 0.25, 0.25, 0.25}};

    private static Tensor x() {
        return Tensor.of(X).requiresGrad(true);
    }

    private static Tensor w() {
        return Tensor.of(W.clone());
    }

    // ------------------------------------------------------------------------------------------- independent formulas

    private static double[] logSoftmaxRow(double[] row) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : row) max = Math.max(max, v);
        double z = 0;
        for (double v : row) z += Math.exp(v - max);
        double lse = max + Math.log(z);
        double[] out = new double[row.length];
        for (int i = 0; i < row.length; i++) out[i] = row[i] - lse;
        return out;
    }

    /** PyTorch's documented cross-entropy with class indices, weights and label smoothing, per sample. */
    private static double[] crossEntropyPerSample(double[][] x, int[] y, double[] w, double eps) {
        double[] out = new double[x.length];
        int c = x[0].length;
        for (int n = 0; n < x.length; n++) {
            double[] lp = logSoftmaxRow(x[n]);
            double nll = -w[y[n]] * lp[y[n]];
            double smooth = 0;
            for (int k = 0; k < c; k++) smooth -= w[k] * lp[k];
            out[n] = (1 - eps) * nll + eps / c * smooth;
        }
        return out;
    }

    @Test
    void crossEntropyMatchesItsFormula() {
        double[] ones = {1, 1, 1, 1};
        for (double eps : new double[] {0, 0.1, 0.7}) {
            for (double[] weights : new double[][] {ones, W}) {
                double[] per = crossEntropyPerSample(X, Y, weights, eps);
                double sum = per[0] + per[1] + per[2];
                double weightSum = weights[Y[0]] + weights[Y[1]] + weights[Y[2]];
                Tensor wt = weights == ones ? null : Tensor.of(weights.clone());
                Tensor target = Tensor.of(new long[] {2, 0, 3});
                assertClose(per, Losses.crossEntropy(x(), target, wt, -100, eps, Reduction.NONE), 1e-13);
                assertClose(sum, Losses.crossEntropy(x(), target, wt, -100, eps, Reduction.SUM), 1e-13);
                assertClose(sum / weightSum, Losses.crossEntropy(x(), target, wt, -100, eps, Reduction.MEAN), 1e-13);
            }
        }
    }

    @Test
    void crossEntropyMatchesPytorch() {
        assertClose(0.9513240823789882, Losses.crossEntropy(x(), Y), 1e-13);
        assertClose(2.853972247136965, Losses.crossEntropy(x(), Tensor.of(new long[] {2, 0, 3}), Reduction.SUM),
                1e-13);
        assertClose(new double[] {0.2665082182921059, 0.4846589077521079, 2.102805121092751},
                new CrossEntropyLoss(Reduction.NONE).forward(x(), Y), 1e-13);
        assertClose(1.221015117935762, new CrossEntropyLoss(w(), -100, 0, Reduction.MEAN).forward(x(), Y), 1e-13);
        assertClose(1.075490749045655, new CrossEntropyLoss(null, -100, 0.1, Reduction.MEAN).forward(x(), Y), 1e-13);
        assertClose(new double[] {0.8248336292067112, 0.7675282900388701, 2.959067425584489},
                new CrossEntropyLoss(w(), -100, 0.2, Reduction.NONE).forward(x(), Y), 1e-13);
    }

    @Test
    void crossEntropyGradientWithWeightsAndSmoothingMatchesPytorch() {
        Tensor logits = x();
        Tensor loss = new CrossEntropyLoss(w(), -100, 0.2, Reduction.MEAN).forward(logits, Y);
        assertClose(1.5171431149433565, loss, 1e-13);
        loss.backward();
        assertClose(new double[] {0.031768615649369475, -0.0243853790345587, -0.015215935505313812,
            0.007832698890503087, -0.0082200975394672, 0.026628075337588403, 0.0032927524176864817,
            -0.02170073021580771, -0.0003456447785813599, 0.3612780439636269, 0.005046121983105914,
            -0.36597852116815144}, logits.grad(), 1e-12);
    }

    @Test
    void crossEntropyIgnoreIndexMatchesPytorch() {
        // Samples whose target is the ignored class count for nothing, in the loss and in the weighted mean.
        assertClose(0.2665082182921059, new CrossEntropyLoss(w(), 0, 0, Reduction.MEAN).forward(x(),
                new int[] {2, 0, 0}), 1e-13);
        assertClose(0.6804918082012156, new CrossEntropyLoss(w(), 0, 0.3, Reduction.MEAN).forward(x(),
                new int[] {2, 0, 1}), 1e-13);
        Tensor none = new CrossEntropyLoss(null, 0, 0, Reduction.NONE).forward(x(), new int[] {2, 0, 0});
        assertEquals(0.0, none.get(1));
        assertEquals(0.0, none.get(2));
    }

    @Test
    void crossEntropyWithProbabilityTargetsMatchesFormulaAndPytorch() {
        // Formula: -sum_c w[c] q[c] logp[c] with q = (1 - eps) p + eps / C; MEAN divides by the number of samples.
        double eps = 0.1;
        double[] per = new double[3];
        for (int n = 0; n < 3; n++) {
            double[] lp = logSoftmaxRow(X[n]);
            for (int c = 0; c < 4; c++) per[n] -= W[c] * ((1 - eps) * P[n][c] + eps / 4) * lp[c];
        }
        Tensor target = Tensor.of(P);
        assertClose(per, Losses.crossEntropy(x(), target, w(), -100, eps, Reduction.NONE), 1e-13);
        assertClose(new double[] {3.073121012511422, 0.504928871957462, 2.1785064013659388},
                Losses.crossEntropy(x(), target, w(), -100, eps, Reduction.NONE), 1e-13);
        assertClose(1.9188520952782744, Losses.crossEntropy(x(), target, w(), -100, eps, Reduction.MEAN), 1e-13);
        assertClose(1.612990749045655, Losses.crossEntropy(x(), target), 1e-13);
    }

    @Test
    void crossEntropyWithSpatialDimsMatchesPytorch() {
        // logits [N=2, C=3, L=2], targets [2, 2]
        Tensor logits = Tensor.of(new double[] {0.5, -1.0, 2.0, 0.1, -0.3, 0.7, 1.2, 0.0, -2.0, 0.4, 0.9, -0.6},
                2, 3, 2);
        int[] targets = {1, 2, 0, 1};
        assertClose(new double[] {0.2801958735626877, 0.5489852896769708, 0.5775008493950919, 0.7120668138213547},
                Losses.crossEntropy(logits, Losses.indexTensor("t", logits, targets), Reduction.NONE), 1e-13);
        assertEquals(2, Losses.crossEntropy(logits, Losses.indexTensor("t", logits, targets), Reduction.NONE).dim());
        Tensor w3 = Tensor.of(new double[] {1.0, 0.5, 2.0});
        assertClose(0.6562407979042071, new CrossEntropyLoss(w3, -100, 0.1, Reduction.MEAN).forward(logits, targets),
                1e-13);
    }

    @Test
    void unbatchedCrossEntropy() {
        Tensor logits = Tensor.of(X[0].clone());
        Tensor loss = Losses.crossEntropy(logits, Tensor.scalar(2, DType.INT64), Reduction.NONE);
        assertEquals(0, loss.dim());
        assertClose(-logSoftmaxRow(X[0])[2], loss, 1e-14);
        assertClose(-logSoftmaxRow(X[0])[2], Losses.crossEntropy(logits, new int[] {2}), 1e-14);
    }

    @Test
    void nllMatchesFormulaAndPytorch() {
        Tensor logp = Activations.logSoftmax(x(), 1);
        double num = 0;
        double den = 0;
        for (int n = 0; n < 3; n++) {
            num -= W[Y[n]] * logSoftmaxRow(X[n])[Y[n]];
            den += W[Y[n]];
        }
        assertClose(num / den, new NLLLoss(w(), -100, Reduction.MEAN).forward(logp, Y), 1e-13);
        assertClose(1.221015117935762, new NLLLoss(w(), -100, Reduction.MEAN).forward(logp, Y), 1e-13);
        assertClose(3.663045353807286, Losses.nll(logp, Losses.indexTensor("t", logp, Y), w(), -100, Reduction.SUM),
                1e-13);
        assertClose(Losses.crossEntropy(x(), Y).item(), Losses.nll(logp, Y), 1e-14);
        assertClose(Losses.crossEntropy(x(), Y).item(),
                new NLLLoss().forward(new Sequential(new LogSoftmax(1)).forward(x()), Y), 1e-14);
    }

    @Test
    void mseL1AndHuberMatchTheirFormulas() {
        double[] in = {0.0, 0.3, -0.7, 2.5, -4.0, 1.0};
        double[] tg = {0.1, -0.2, 0.0, 0.0, 1.0, 1.0};
        double[] sq = new double[6];
        double[] ab = new double[6];
        double[] hu = new double[6];
        double delta = 0.5;
        for (int i = 0; i < 6; i++) {
            double d = in[i] - tg[i];
            sq[i] = d * d;
            ab[i] = Math.abs(d);
            hu[i] = Math.abs(d) < delta ? 0.5 * d * d : delta * (Math.abs(d) - 0.5 * delta);
        }
        Tensor a = Tensor.of(in.clone());
        Tensor b = Tensor.of(tg.clone());
        assertClose(sq, Losses.mse(a, b, Reduction.NONE), 1e-15);
        assertClose(mean(sq), Losses.mse(a, b), 1e-15);
        assertClose(mean(sq), new MSELoss().forward(a, b), 1e-15);
        assertClose(6 * mean(sq), new MSELoss(Reduction.SUM).forward(a, b), 1e-15);
        assertClose(ab, Losses.l1(a, b, Reduction.NONE), 1e-15);
        assertClose(mean(ab), new L1Loss().forward(a, b), 1e-15);
        assertClose(mean(ab), Losses.mae(a, b, Reduction.MEAN), 1e-15);
        assertClose(hu, Losses.huber(a, b, delta, Reduction.NONE), 1e-15);
        assertClose(mean(hu), new HuberLoss(delta).forward(a, b), 1e-15);
        // PyTorch 1.13: F.huber_loss(in, tg, reduction='none', delta=1.0) and F.huber_loss(in, tg, delta=0.5)
        assertClose(new double[] {0.005000000000000001, 0.125, 0.24499999999999997, 2.0, 4.5, 0.0},
                Losses.huber(a, b, 1.0, Reduction.NONE), 1e-15);
        assertClose(0.6425, new HuberLoss(0.5, Reduction.MEAN).forward(a, b), 1e-15);
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    @Test
    void bceMatchesFormulaAndPytorchIncludingTheClampAtMinus100() {
        double[] p = {0.1, 0.9, 0.5, 0.0, 1.0, 0.3, 0.0, 1.0};
        double[] t = {0.0, 1.0, 0.3, 0.0, 1.0, 1.0, 1.0, 0.0};
        double[] expected = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            double logP = Math.max(Math.log(p[i]), -100);
            double log1mP = Math.max(Math.log(1 - p[i]), -100);
            expected[i] = -(t[i] * logP + (1 - t[i]) * log1mP);
        }
        Tensor in = Tensor.of(p.clone()).requiresGrad(true);
        Tensor tg = Tensor.of(t.clone());
        assertClose(expected, Losses.bce(in, tg, null, Reduction.NONE), 1e-15);
        // PyTorch: F.binary_cross_entropy(p, t, reduction='none'); p = 0 with t = 1 costs exactly 100.
        assertClose(new double[] {0.10536051565782628, 0.10536051565782628, 0.6931471805599453, 0.0, -0.0,
            1.2039728043259361, 100.0, 100.0}, Losses.bce(in, tg, null, Reduction.NONE), 1e-15);
        Tensor loss = new BCELoss().forward(in, tg);
        assertClose(25.26348012702519, loss, 1e-14);
        loss.backward();
        assertAllFinite(in.grad(), "bce gradient at p in {0, 1}");
        Tensor bw = Tensor.of(new double[] {1.0, 2.0, 0.5, 1.0, 1.0, 3.0, 1.0, 1.0});
        assertClose(204.27457355023125, new BCELoss(bw, Reduction.SUM).forward(in, tg), 1e-14);
    }

    @Test
    void bceWithLogitsMatchesFormulaAndPytorch() {
        double[][] xs = {{-3.0, -0.5, 0.0}, {0.5, 3.0, 1000.0}, {-1000.0, 0.0, 2.0}};
        double[][] ts = {{0.0, 1.0, 0.5}, {1.0, 0.0, 0.0}, {1.0, 1.0, 0.2}};
        double[] pw = {1.0, 2.0, 0.5};
        double[] plain = new double[9];
        double[] weighted = new double[9];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                double x = xs[r][c];
                double t = ts[r][c];
                // log(1 + exp(-|x|)) + max(-x, 0) = -log(sigmoid(x)), written without overflow
                double logSigNeg = Math.log1p(Math.exp(-Math.abs(x))) + Math.max(-x, 0);
                plain[r * 3 + c] = t * logSigNeg + (1 - t) * (logSigNeg + x);
                weighted[r * 3 + c] = pw[c] * t * logSigNeg + (1 - t) * (logSigNeg + x);
            }
        }
        Tensor x = Tensor.of(xs).requiresGrad(true);
        Tensor t = Tensor.of(ts);
        Tensor posWeight = Tensor.of(pw.clone());
        assertClose(plain, Losses.bceWithLogits(x, t, null, null, Reduction.NONE), 1e-14);
        assertClose(weighted, Losses.bceWithLogits(x, t, null, posWeight, Reduction.NONE), 1e-14);
        // PyTorch: F.binary_cross_entropy_with_logits(x, t[, pos_weight=pw]) and its gradient
        Tensor loss = new BCEWithLogitsLoss().forward(x, t);
        assertClose(223.0731723381856, loss, 1e-14);
        loss.backward();
        assertClose(new double[] {0.005269541464174087, -0.06916214791131718, 0.0, -0.04194896319979394,
            0.10584156964693704, 0.1111111111111111, -0.1111111111111111, -0.05555555555555555, 0.07564411977532025},
                x.grad(), 1e-13);
        x.zeroGrad();
        Tensor pwLoss = new BCEWithLogitsLoss(null, posWeight, Reduction.MEAN).forward(x, t);
        assertClose(223.23775506801852, pwLoss, 1e-14);
        pwLoss.backward();
        assertClose(new double[] {0.005269541464174087, -0.13832429582263436, 0.013888888888888888,
            -0.04194896319979394, 0.10584156964693704, 0.1111111111111111, -0.1111111111111111, -0.1111111111111111,
            0.07696859668667715}, x.grad(), 1e-13);
    }

    @Test
    void bceWithLogitsGradientAtZeroIsSigmoidMinusTarget() {
        // The kinks of max(x, 0) and |x| cancel at 0; the gradient must be sigmoid(0) - t = 0.5 - t.
        Tensor x = Tensor.zeros(DType.FLOAT64, 3).requiresGrad(true);
        Losses.bceWithLogits(x, Tensor.of(new double[] {0, 0.25, 1}), null, null, Reduction.SUM).backward();
        assertClose(new double[] {0.5, 0.25, -0.5}, x.grad(), 1e-15);
    }

    @Test
    void everyLossIsFiniteWithFiniteGradientsAtExtremeLogits() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            double[][] big = {{1000, -1000, 0}, {-1000, 1000, 1000}};
            Tensor weight = Tensor.of(new double[] {1, 2, 0.5}).to(dtype);
            Tensor probs = Tensor.of(new double[][] {{0, 1, 0}, {0.5, 0.25, 0.25}}).to(dtype);
            Tensor binaryTargets = Tensor.of(new double[][] {{0, 1, 1}, {1, 0, 0.5}}).to(dtype);
            java.util.List<java.util.function.Function<Tensor, Tensor>> losses = java.util.List.of(
                    l -> Losses.crossEntropy(l, new int[] {1, 0}),
                    l -> Losses.crossEntropy(l, Losses.indexTensor("t", l, new int[] {1, 0}), weight, -100, 0.1,
                            Reduction.MEAN),
                    l -> Losses.crossEntropy(l, probs, weight, -100, 0.2, Reduction.SUM),
                    l -> Losses.nll(l.logSoftmax(1), new int[] {1, 2}),
                    l -> Losses.bceWithLogits(l, binaryTargets),
                    l -> Losses.bceWithLogits(l, binaryTargets, null, weight, Reduction.SUM),
                    l -> Losses.bce(l.sigmoid(), binaryTargets),
                    l -> Losses.mse(l, binaryTargets),
                    l -> Losses.l1(l, binaryTargets),
                    l -> Losses.huber(l, binaryTargets));
            for (int i = 0; i < losses.size(); i++) {
                Tensor logits = Tensor.of(big).to(dtype).requiresGrad(true);
                Tensor loss = losses.get(i).apply(logits);
                assertAllFinite(loss, dtype + " loss #" + i);
                loss.backward();
                assertAllFinite(logits.grad(), dtype + " loss #" + i + " gradient");
            }
            // the wrong class at 2000 logits of distance costs 2000, exactly representable
            assertClose(2000, Losses.crossEntropy(Tensor.of(new double[][] {{1000, -1000}}).to(dtype),
                    new int[] {1}), 0);
        }
    }

    // ------------------------------------------------------------------------------------------- validation

    private static String message(Executable e) {
        return assertThrows(IllegalArgumentException.class, e).getMessage();
    }

    @Test
    void invalidInputsAreExplained() {
        Tensor a = Tensor.zeros(3, 1);
        String m = message(() -> Losses.mse(a, Tensor.zeros(3)));
        assertTrue(m.contains("mse") && m.contains("[3]") && m.contains("[3, 1]"), m);
        m = message(() -> Losses.mse(Tensor.zeros(3), Tensor.zeros(DType.FLOAT64, 3)));
        assertTrue(m.contains("float64") && m.contains("float32"), m);
        m = message(() -> Losses.crossEntropy(Tensor.zeros(2, 4), new int[] {1, 4}));
        assertTrue(m.contains("crossEntropy") && m.contains("class index 4") && m.contains("4 classes"), m);
        m = message(() -> Losses.crossEntropy(Tensor.zeros(2, 4), new int[] {1, -1}));
        assertTrue(m.contains("class index -1"), m);
        m = message(() -> Losses.crossEntropy(Tensor.zeros(2, 4), Tensor.of(new float[] {0, 1})));
        assertTrue(m.contains("class-index targets must be int64 or int32, got a float32") && m.contains(".to(DType.INT64)"),
                m);
        m = message(() -> Losses.crossEntropy(Tensor.zeros(2, 4), new int[] {1, 2, 3}));
        assertTrue(m.contains("3 class indices") && m.contains("[2, 4]"), m);
        m = message(() -> Losses.crossEntropy(Tensor.zeros(2, 4), Tensor.zeros(3)));
        assertTrue(m.contains("target shape [3]") && m.contains("[2]"), m);
        m = message(() -> Losses.crossEntropy(Tensor.zeros(2, 4), Tensor.zeros(2, 3)));
        assertTrue(m.contains("neither class indices") && m.contains("[2, 4]"), m);
        m = message(() -> new CrossEntropyLoss(Tensor.ones(3), -100, 0, Reduction.MEAN)
                .forward(Tensor.zeros(2, 4), new int[] {0, 1}));
        assertTrue(m.contains("weight must have shape [4]"), m);
        m = message(() -> new CrossEntropyLoss(null, -100, 1.5, Reduction.MEAN));
        assertTrue(m.contains("labelSmoothing"), m);
        m = message(() -> Losses.bce(Tensor.of(new float[] {0.5f, 1.5f}), Tensor.zeros(2)));
        assertTrue(m.contains("bce") && m.contains("[0, 1]") && m.contains("1.5") && m.contains("bceWithLogits"), m);
        m = message(() -> Losses.bce(Tensor.of(new float[] {0.5f, Float.NaN}), Tensor.zeros(2)));
        assertTrue(m.contains("NaN"), m);
        m = message(() -> Losses.bce(Tensor.of(new float[] {0.5f}), Tensor.of(new float[] {2f})));
        assertTrue(m.contains("target"), m);
        m = message(() -> Losses.bceWithLogits(Tensor.zeros(2, 3), Tensor.zeros(2, 3), null, Tensor.ones(2),
                Reduction.MEAN));
        assertTrue(m.contains("posWeight") && m.contains("[2]") && m.contains("[2, 3]"), m);
        m = message(() -> Losses.nll(Tensor.zeros(2, 3), Tensor.zeros(2, 3)));
        assertTrue(m.contains("nll") && m.contains("[2]"), m);
        m = message(() -> new HuberLoss(0));
        assertTrue(m.contains("delta"), m);
        m = message(() -> new MSELoss().forward(Tensor.zeros(2)));
        assertTrue(m.contains("MSELoss needs a target"), m);
    }

    @Test
    void lossModulesTakeTwoInputsThroughTheVarargsForward() {
        Tensor a = Tensor.of(new float[] {1, 2});
        Tensor b = Tensor.of(new float[] {0, 0});
        assertClose(2.5, new MSELoss().forward(new Tensor[] {a, b}), 0);
        assertThrows(IllegalArgumentException.class, () -> new MSELoss().forward(a, b, b));
        assertEquals("CrossEntropyLoss(labelSmoothing=0.1, reduction=MEAN)",
                new CrossEntropyLoss(null, -100, 0.1, Reduction.MEAN).toString());
    }

    @Test
    void classWeightsAreBuffersOfTheLossModule() {
        CrossEntropyLoss loss = new CrossEntropyLoss(w(), -100, 0, Reduction.MEAN);
        assertEquals(java.util.List.of("weight"), java.util.List.copyOf(loss.stateDict().keySet()));
        assertTrue(loss.parameters().isEmpty());
        assertEquals(java.util.List.of("weight", "posWeight"), java.util.List.copyOf(
                new BCEWithLogitsLoss(Tensor.ones(2), Tensor.ones(2), Reduction.SUM).namedBuffers().keySet()));
    }
}
