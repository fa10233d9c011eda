package org.grad4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The recurrent layers' and cells' settings as printed (PyTorch's {@code extra_repr}), accessors, argument and state
 * checks, unbatched forms, and where dropout applies; the numerics themselves are held to PyTorch by
 * {@code TorchRecurrentInteropTest}, and here a two-layer bidirectional RNN is held to a naive loop.
 */
class RecurrentContractTest {

    private static RecurrentOptions f64(long seed) {
        return RecurrentOptions.create().dtype(DType.FLOAT64).rng(new SplittableRandom(seed));
    }

    @Test
    void settingsArePrintedAsPyTorchDoes() {
        assertEquals("3, 4, numLayers=1, batchFirst=false", new LSTM(3, 4).extraRepr());
        assertEquals("3, 4, numLayers=2, batchFirst=true, dropout=0.25, bidirectional=true, bias=false",
                new GRU(3, 4, RecurrentOptions.create().numLayers(2).batchFirst(true).dropout(0.25)
                        .bidirectional(true).bias(false)).extraRepr());
        assertEquals("2, 5, numLayers=1, batchFirst=false, nonlinearity=relu",
                new RNN(2, 5, RecurrentOptions.create().relu(true)).extraRepr());
        assertEquals("3, 4", new LSTMCell(3, 4).extraRepr());
        assertEquals("3, 4, bias=false", new GRUCell(3, 4, false, DType.FLOAT32, null).extraRepr());
        assertEquals("2, 6, nonlinearity=relu", new RNNCell(2, 6, true, true, DType.FLOAT32, null).extraRepr());
        assertEquals("2, 6, bias=false, nonlinearity=relu",
                new RNNCell(2, 6, false, true, DType.FLOAT32, null).extraRepr());
    }

    @Test
    void sizesAndParameterShapesFollowTheGates() {
        LSTM lstm = new LSTM(3, 4, RecurrentOptions.create().numLayers(2).bidirectional(true));
        assertEquals(3, lstm.inputSize());
        assertEquals(4, lstm.hiddenSize());
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
                "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse",
                "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1",
                "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse"),
                List.copyOf(lstm.namedParameters().keySet()));
        assertArrayEquals(new int[] {16, 3}, lstm.namedParameters().get("weight_ih_l0").shape());
        assertArrayEquals(new int[] {16, 8}, lstm.namedParameters().get("weight_ih_l1").shape());
        assertArrayEquals(new int[] {16, 4}, lstm.namedParameters().get("weight_hh_l1_reverse").shape());
        assertArrayEquals(new int[] {16}, lstm.namedParameters().get("bias_hh_l1_reverse").shape());
        GRU gru = new GRU(2, 5, RecurrentOptions.create().bias(false));
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0"), List.copyOf(gru.namedParameters().keySet()));
        assertArrayEquals(new int[] {15, 2}, gru.namedParameters().get("weight_ih_l0").shape());
        GRUCell cell = new GRUCell(2, 5);
        assertArrayEquals(new int[] {15, 5}, cell.namedParameters().get("weight_hh").shape());
        assertEquals(List.of("weight_ih", "weight_hh", "bias_ih", "bias_hh"),
                List.copyOf(new LSTMCell(1, 2).namedParameters().keySet()));
    }

    @Test
    void initialValuesLieWithinOneOverSqrtHidden() {
        for (Module m : List.of(new LSTM(3, 16, f64(1)), new GRUCell(3, 16, true, DType.FLOAT64,
                new SplittableRandom(2)))) {
            double max = 0;
            double lowest = 0;
            double highest = 0;
            for (Tensor p : m.parameters()) {
                max = Math.max(max, p.abs().amax().item());
                lowest = Math.min(lowest, p.amin().item());
                highest = Math.max(highest, p.amax().item());
                assertEquals(DType.FLOAT64, p.dtype());
            }
            assertTrue(max <= 0.25 && max > 0.2, "bound 1/sqrt(16) = 0.25, max drawn " + max);
            assertTrue(lowest < -0.2 && highest > 0.2, "drawn from both sides: " + lowest + " .. " + highest);
        }
    }

    @Test
    void constructorArgumentsAreChecked() {
        for (Runnable r : List.<Runnable>of(() -> new LSTM(0, 3), () -> new LSTM(3, 0), () -> new GRU(-1, 3),
                () -> new LSTM(2, 3, RecurrentOptions.create().relu(true)),
                () -> new GRU(2, 3, RecurrentOptions.create().relu(true)),
                () -> new RNNCell(0, 2), () -> new LSTMCell(2, 0), () -> RecurrentOptions.create().numLayers(0),
                () -> RecurrentOptions.create().dropout(1.5), () -> RecurrentOptions.create().dropout(-0.1))) {
            assertThrows(IllegalArgumentException.class, r::run);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LSTM(3, -2));
        assertEquals("LSTM: inputSize and hiddenSize must be positive, got 3 and -2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new GRUCell(0, 2));
        assertEquals("GRUCell: inputSize and hiddenSize must be positive, got 0 and 2", e.getMessage());
        assertEquals("LSTM: relu applies to RNN only", assertThrows(IllegalArgumentException.class,
                () -> new LSTM(2, 3, RecurrentOptions.create().relu(true))).getMessage());
        new RNN(1, 1, RecurrentOptions.create().relu(true).numLayers(1));
    }

    @Test
    void inputAndStateShapesAreChecked() {
        LSTM lstm = new LSTM(3, 4, f64(3).numLayers(2));
        Tensor x = Tensor.zeros(DType.FLOAT64, 5, 2, 3);
        for (Tensor bad : new Tensor[] {Tensor.zeros(DType.FLOAT64, 5, 2, 4), Tensor.zeros(DType.FLOAT64, 3),
            Tensor.zeros(DType.FLOAT64, 1, 5, 2, 3)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> lstm.forward(bad, null, null));
            assertTrue(e.getMessage().startsWith("LSTM: expects input [L, N, 3] (or [L, 3] unbatched)"),
                    e.getMessage());
        }
        GRU batchFirst = new GRU(3, 4, f64(4).batchFirst(true));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> batchFirst.forward(Tensor.zeros(2, 5, 2)))
                .getMessage().startsWith("GRU: expects input [N, L, 3]"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> lstm.forward(x, Tensor.zeros(DType.FLOAT64, 1, 2, 4), null));
        assertEquals("LSTM: h0 must have shape [2, 2, 4] (layers * directions, batch, hidden), got [1, 2, 4]",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> lstm.forward(x, null, Tensor.zeros(DType.FLOAT64, 2, 2, 3)));
        assertEquals("LSTM: c0 must have shape [2, 2, 4] (layers * directions, batch, hidden), got [2, 2, 3]",
                e.getMessage());
        GRU gru = new GRU(3, 4, f64(5));
        assertEquals("GRU: only an LSTM has a cell state c0", assertThrows(IllegalArgumentException.class,
                () -> gru.forward(x, null, Tensor.zeros(DType.FLOAT64, 1, 2, 4))).getMessage());
        // unbatched: [L, in] with states [layers, H]
        Recurrent.Result r = lstm.forward(Tensor.zeros(DType.FLOAT64, 5, 3), Tensor.zeros(DType.FLOAT64, 2, 4),
                Tensor.zeros(DType.FLOAT64, 2, 4));
        assertArrayEquals(new int[] {5, 4}, r.output().shape());
        assertArrayEquals(new int[] {2, 4}, r.h().shape());
        assertArrayEquals(new int[] {2, 4}, r.c().shape());
        assertNull(gru.forward(x, null, null).c());
        assertArrayEquals(new int[] {1, 4}, gru.forward(Tensor.zeros(DType.FLOAT64, 5, 3), null, null).h().shape());
    }

    @Test
    void cellInputAndStateShapesAreChecked() {
        LSTMCell cell = new LSTMCell(3, 4, true, DType.FLOAT64, new SplittableRandom(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> cell.forward(Tensor.zeros(DType.FLOAT64, 2, 2), null, null));
        assertEquals("LSTMCell: expects input [N, 3] or [3], got [2, 2]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> cell.forward(Tensor.zeros(DType.FLOAT64, 1, 2, 3), null,
                null));
        e = assertThrows(IllegalArgumentException.class,
                () -> cell.forward(Tensor.zeros(DType.FLOAT64, 2, 3), Tensor.zeros(DType.FLOAT64, 2, 5), null));
        assertEquals("LSTMCell: state h must have shape [2, 4], got [2, 5]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> cell.forward(Tensor.zeros(DType.FLOAT64, 2, 3), null, Tensor.zeros(DType.FLOAT64, 3, 4)));
        assertEquals("LSTMCell: state c must have shape [2, 4], got [3, 4]", e.getMessage());
        Tensor[] hc = cell.forward(Tensor.zeros(DType.FLOAT64, 3), Tensor.zeros(DType.FLOAT64, 4),
                Tensor.zeros(DType.FLOAT64, 4));
        assertArrayEquals(new int[] {4}, hc[0].shape());
        assertArrayEquals(new int[] {4}, hc[1].shape());
        GRUCell gru = new GRUCell(3, 4, true, DType.FLOAT64, new SplittableRandom(1));
        assertArrayEquals(new int[] {4}, gru.forward(Tensor.zeros(DType.FLOAT64, 3), null).shape());
        assertArrayEquals(new int[] {2, 4}, gru.forward(Tensor.zeros(DType.FLOAT64, 2, 3)).shape());
    }

    /** tanh(x W_ih^T + b_ih + h W_hh^T + b_hh) over time, forward or reversed, for one batch row. */
    private static double[][] naiveRnn(double[][] xs, Tensor wih, Tensor whh, Tensor bih, Tensor bhh, boolean reverse,
                                       boolean relu) {
        int steps = xs.length;
        int hidden = whh.size(0);
        double[][] out = new double[steps][];
        double[] h = new double[hidden];
        for (int i = 0; i < steps; i++) {
            int t = reverse ? steps - 1 - i : i;
            double[] next = new double[hidden];
            for (int j = 0; j < hidden; j++) {
                double z = (bih == null ? 0 : bih.get(j)) + (bhh == null ? 0 : bhh.get(j));
                for (int k = 0; k < xs[t].length; k++) z += wih.get(j, k) * xs[t][k];
                for (int k = 0; k < hidden; k++) z += whh.get(j, k) * h[k];
                next[j] = relu ? Math.max(0, z) : Math.tanh(z);
            }
            h = next;
            out[t] = h;
        }
        return out;
    }

    @Test
    void twoLayerBidirectionalRnnAgainstANaiveLoop() {
        int steps = 4;
        int in = 2;
        int hidden = 3;
        RNN rnn = new RNN(in, hidden, f64(7).numLayers(2).bidirectional(true).batchFirst(true).relu(true));
        double[][] xs = new double[steps][in];
        SplittableRandom r = new SplittableRandom(8);
        double[] flat = new double[steps * in];
        for (int t = 0; t < steps; t++) {
            for (int k = 0; k < in; k++) flat[t * in + k] = xs[t][k] = r.nextDouble(-1, 1);
        }
        var p = rnn.namedParameters();
        double[][] f0 = naiveRnn(xs, p.get("weight_ih_l0"), p.get("weight_hh_l0"), p.get("bias_ih_l0"),
                p.get("bias_hh_l0"), false, true);
        double[][] b0 = naiveRnn(xs, p.get("weight_ih_l0_reverse"), p.get("weight_hh_l0_reverse"),
                p.get("bias_ih_l0_reverse"), p.get("bias_hh_l0_reverse"), true, true);
        double[][] l1in = new double[steps][2 * hidden];
        for (int t = 0; t < steps; t++) {
            System.arraycopy(f0[t], 0, l1in[t], 0, hidden);
            System.arraycopy(b0[t], 0, l1in[t], hidden, hidden);
        }
        double[][] f1 = naiveRnn(l1in, p.get("weight_ih_l1"), p.get("weight_hh_l1"), p.get("bias_ih_l1"),
                p.get("bias_hh_l1"), false, true);
        double[][] b1 = naiveRnn(l1in, p.get("weight_ih_l1_reverse"), p.get("weight_hh_l1_reverse"),
                p.get("bias_ih_l1_reverse"), p.get("bias_hh_l1_reverse"), true, true);
        Recurrent.Result res = rnn.forward(Tensor.of(flat, 1, steps, in), null, null);
        assertArrayEquals(new int[] {1, steps, 2 * hidden}, res.output().shape());
        for (int t = 0; t < steps; t++) {
            for (int j = 0; j < hidden; j++) {
                assertEquals(f1[t][j], res.output().get(0, t, j), 1e-12);
                assertEquals(b1[t][j], res.output().get(0, t, hidden + j), 1e-12);
            }
        }
        assertArrayEquals(new int[] {4, 1, hidden}, res.h().shape());
        for (int j = 0; j < hidden; j++) {
            assertEquals(f0[steps - 1][j], res.h().get(0, 0, j), 1e-12);
            assertEquals(b0[0][j], res.h().get(1, 0, j), 1e-12, "the reverse direction ends at step 0");
            assertEquals(f1[steps - 1][j], res.h().get(2, 0, j), 1e-12);
            assertEquals(b1[0][j], res.h().get(3, 0, j), 1e-12);
        }
        // RNNCell: the same step
        RNNCell cell = new RNNCell(in, hidden, false, false, DType.FLOAT64, new SplittableRandom(9));
        var cp = cell.namedParameters();
        double[][] one = naiveRnn(new double[][] {xs[0]}, cp.get("weight_ih"), cp.get("weight_hh"), null, null, false,
                false);
        assertArrayEquals(one[0], cell.forward(Tensor.of(xs[0], in)).toDoubleArray(), 1e-12);
    }

    @Test
    void dropoutActsBetweenLayersOnlyWhileTraining() {
        Tensor x = Tensor.of(new SplittableRandom(3).doubles(5 * 2 * 3, -1, 1).toArray(), 5, 2, 3);
        GRU withDropout = new GRU(3, 4, f64(11).numLayers(2).dropout(0.5));
        GRU without = new GRU(3, 4, f64(11).numLayers(2));
        withDropout.eval();
        assertArrayEquals(without.forward(x).toDoubleArray(), withDropout.forward(x).toDoubleArray(), 0,
                "no dropout in eval mode");
        withDropout.train();
        assertTrue(!java.util.Arrays.equals(without.forward(x).toDoubleArray(), withDropout.forward(x)
                .toDoubleArray()), "dropout between the layers in training");
        // one layer: dropout would only follow the last layer, where PyTorch applies none
        GRU single = new GRU(3, 4, f64(12).dropout(0.5));
        GRU plain = new GRU(3, 4, f64(12));
        assertArrayEquals(plain.forward(x).toDoubleArray(), single.forward(x).toDoubleArray(), 0);
    }
}
