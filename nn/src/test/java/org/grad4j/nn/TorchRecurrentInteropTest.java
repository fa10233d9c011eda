package org.grad4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RNN, LSTM, GRU and their cells against real PyTorch 1.13 modules: strictly loaded state dicts (PyTorch's names
 * {@code weight_ih_l0}, {@code weight_hh_l1_reverse}, ...), inputs, initial states, outputs and final states from
 * {@code layers/make_torch_recurrent.py}.
 */
class TorchRecurrentInteropTest {
    private static final double TOL = 1e-12;

    @TempDir
    Path dir;

    private Map<String, Tensor> read(String name) throws Exception {
        Path file = dir.resolve(name + ".safetensors");
        try (InputStream in = getClass().getResourceAsStream("layers/" + name + ".safetensors")) {
            Files.copy(in, file);
        }
        return StateDicts.load(file).tensors();
    }

    private static void load(Module m, Map<String, Tensor> t, String prefix) {
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (String key : m.stateDict().keySet()) state.put(key, t.get(prefix + key));
        m.loadStateDict(state);
    }

    private static void assertSame(Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape());
        assertArrayEquals(expected.toDoubleArray(), actual.toDoubleArray(), TOL);
    }

    private void check(String name, Recurrent model) throws Exception {
        Map<String, Tensor> t = read(name);
        Map<String, Tensor> state = new LinkedHashMap<>();
        t.forEach((k, v) -> {
            if (k.startsWith("model.")) state.put(k.substring(6), v);
        });
        model.loadStateDict(state);
        model.eval();
        Recurrent.Result r = model.forward(t.get("x"), t.get("h0"), t.get("c0"));
        assertSame(t.get("y"), r.output());
        assertSame(t.get("h"), r.h());
        if (t.containsKey("c")) {
            assertSame(t.get("c"), r.c());
        }
    }

    private static RecurrentOptions f64() {
        return RecurrentOptions.create().dtype(DType.FLOAT64);
    }

    @Test
    void rnnWithReluAndTwoLayers() throws Exception {
        check("recurrent_rnn_relu_2layers", new RNN(3, 4, f64().numLayers(2).relu(true)));
    }

    @Test
    void bidirectionalBatchFirstLstmWithInitialStates() throws Exception {
        check("recurrent_lstm_bidirectional", new LSTM(3, 4, f64().numLayers(2).bidirectional(true).batchFirst(true)));
    }

    @Test
    void gru() throws Exception {
        check("recurrent_gru", new GRU(3, 4, f64().batchFirst(true)));
        check("recurrent_gru_unbatched_nobias", new GRU(3, 2, f64().bias(false).bidirectional(true)));
    }

    @Test
    void cells() throws Exception {
        Map<String, Tensor> t = read("recurrent_cells");
        Tensor x = t.get("x");
        Tensor h = t.get("h");
        var lstm = new LSTMCell(3, 4, true, DType.FLOAT64, null);
        load(lstm, t, "lstm.");
        Tensor[] hc = lstm.forward(x, h, t.get("c"));
        assertSame(t.get("lstm.h"), hc[0]);
        assertSame(t.get("lstm.c"), hc[1]);
        var gru = new GRUCell(3, 4, true, DType.FLOAT64, null);
        load(gru, t, "gru.");
        assertSame(t.get("gru.h"), gru.forward(x, h));
        var rnn = new RNNCell(3, 4, true, false, DType.FLOAT64, null);
        load(rnn, t, "rnn.");
        assertSame(t.get("rnn.h"), rnn.forward(x, h));
    }
}
