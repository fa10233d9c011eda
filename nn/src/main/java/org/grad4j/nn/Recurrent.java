package org.grad4j.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;

/**
 * The shared body of {@link RNN}, {@link LSTM} and {@link GRU}, as PyTorch's {@code RNNBase}: parameters
 * {@code weight_ih_l{k}[_reverse] [gates * H, in]}, {@code weight_hh_l{k}[_reverse] [gates * H, H]},
 * {@code bias_ih_l{k}[_reverse]}, {@code bias_hh_l{k}[_reverse]}, all initialised {@code U(-1/sqrt(H), 1/sqrt(H))};
 * gate order as PyTorch (LSTM: input, forget, cell, output; GRU: reset, update, new). Each layer projects the whole
 * input sequence with one matrix product, then steps through time with the hidden-to-hidden product; gradients
 * flow back through time by autograd (each step is composed of core ops).
 */
public abstract class Recurrent extends Module {
    /** The cell type. */
    enum Kind {
        RNN(1), LSTM(4), GRU(3);

        final int gates;

        Kind(int gates) {
            this.gates = gates;
        }
    }

    /**
     * The output sequence and the final states.
     *
     * @param output every step's last-layer hidden state, {@code [L, N, D * H]} (batch-first: {@code [N, L, D * H]})
     * @param h      the final hidden states, {@code [D * layers, N, H]}
     * @param c      the final cell states of an LSTM (null otherwise)
     */
    public record Result(Tensor output, Tensor h, Tensor c) {
    }

    private final Kind kind;
    private final int inputSize;
    private final int hiddenSize;
    private final int numLayers;
    private final boolean batchFirst;
    private final double dropout;
    private final boolean bidirectional;
    private final boolean relu;
    private final transient List<Tensor[]> weights = new ArrayList<>();
    private final transient RandomGenerator rng;

    Recurrent(Kind kind, int inputSize, int hiddenSize, RecurrentOptions o) {
        Args.notNull(o, getClass().getSimpleName(), "options");
        Args.notNull(o.dtype, getClass().getSimpleName(), "dtype");
        if (inputSize <= 0 || hiddenSize <= 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": inputSize and hiddenSize must be"
                    + " positive, got " + inputSize + " and " + hiddenSize);
        }
        if (o.relu && kind != Kind.RNN) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": relu applies to RNN only");
        }
        this.kind = kind;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.numLayers = o.numLayers;
        this.batchFirst = o.batchFirst;
        this.dropout = o.dropout;
        this.bidirectional = o.bidirectional;
        this.relu = o.relu;
        this.rng = o.rng;
        RandomGenerator r = o.rng == null ? Init.generator() : o.rng;
        double bound = 1 / Math.sqrt(hiddenSize);
        int directions = bidirectional ? 2 : 1;
        for (int layer = 0; layer < numLayers; layer++) {
            int in = layer == 0 ? inputSize : hiddenSize * directions;
            for (int d = 0; d < directions; d++) {
                String suffix = "_l" + layer + (d == 1 ? "_reverse" : "");
                Tensor[] w = new Tensor[4];
                w[0] = registerParameter("weight_ih" + suffix, uniform(o.dtype, bound, r, kind.gates * hiddenSize, in));
                w[1] = registerParameter("weight_hh" + suffix,
                        uniform(o.dtype, bound, r, kind.gates * hiddenSize, hiddenSize));
                if (o.bias) {
                    w[2] = registerParameter("bias_ih" + suffix, uniform(o.dtype, bound, r, kind.gates * hiddenSize));
                    w[3] = registerParameter("bias_hh" + suffix, uniform(o.dtype, bound, r, kind.gates * hiddenSize));
                }
                weights.add(w);
            }
        }
    }

    static Tensor uniform(DType dtype, double bound, RandomGenerator r, int... shape) {
        return Init.uniform(Tensor.zeros(dtype, shape), -bound, bound, r).requiresGrad(true);
    }

    /** The output sequence for zero initial states. */
    @Override
    public Tensor forward(Tensor input) {
        Args.notNull(input, "Recurrent.forward", "input");
        return forward(input, null, null).output();
    }

    /**
     * The output sequence {@code [L, N, D * H]} ({@code [N, L, D * H]} batch-first, {@code [L, D * H]} unbatched)
     * and the final states {@code [D * layers, N, H]}; {@code h0} (and {@code c0} for LSTM) may be null for zeros.
     */
    public Result forward(Tensor input, Tensor h0, Tensor c0) {
        Args.notNull(input, "Recurrent.forward", "input");
        boolean unbatched = input.dim() == 2;
        if ((input.dim() != 3 && !unbatched) || input.size(-1) != inputSize) {
            throw new IllegalArgumentException(name() + ": expects input " + (batchFirst ? "[N, L, " : "[L, N, ")
                    + inputSize + "] (or [L, " + inputSize + "] unbatched), got " + Arrays.toString(input.shape()));
        }
        if (c0 != null && kind != Kind.LSTM) {
            throw new IllegalArgumentException(name() + ": only an LSTM has a cell state c0");
        }
        Tensor x = unbatched ? input.unsqueeze(1) : batchFirst ? input.transpose(0, 1) : input;
        int batch = x.size(1);
        int directions = bidirectional ? 2 : 1;
        int[] stateShape = {numLayers * directions, batch, hiddenSize};
        Tensor h = state("h0", h0, unbatched, stateShape, x.dtype());
        Tensor c = kind == Kind.LSTM ? state("c0", c0, unbatched, stateShape, x.dtype()) : null;
        List<Tensor> hn = new ArrayList<>();
        List<Tensor> cn = new ArrayList<>();
        Tensor layerInput = x;
        for (int layer = 0; layer < numLayers; layer++) {
            List<Tensor> outs = new ArrayList<>();
            for (int d = 0; d < directions; d++) {
                int index = layer * directions + d;
                Tensor[] state = run(layerInput, weights.get(index), h.select(0, index),
                        c == null ? null : c.select(0, index), d == 1);
                outs.add(state[0]);
                hn.add(state[1]);
                if (c != null) cn.add(state[2]);
            }
            layerInput = directions == 1 ? outs.get(0) : Tensor.concat(2, outs.get(0), outs.get(1));
            if (layer < numLayers - 1 && dropout > 0 && isTraining()) {
                layerInput = Activations.dropout(layerInput, dropout, true, rng == null ? Init.generator() : rng);
            }
        }
        Tensor out = unbatched ? layerInput.squeeze(1) : batchFirst ? layerInput.transpose(0, 1) : layerInput;
        Tensor hOut = Tensor.stack(hn, 0);
        Tensor cOut = c == null ? null : Tensor.stack(cn, 0);
        if (unbatched) {
            hOut = hOut.squeeze(1);
            cOut = cOut == null ? null : cOut.squeeze(1);
        }
        return new Result(out, hOut, cOut);
    }

    private Tensor state(String what, Tensor given, boolean unbatched, int[] shape, DType dtype) {
        if (given == null) {
            return Tensor.zeros(dtype, shape);
        }
        Tensor s = unbatched && given.dim() == 2 ? given.unsqueeze(1) : given;
        if (!Arrays.equals(s.shape(), shape)) {
            throw new IllegalArgumentException(name() + ": " + what + " must have shape " + Arrays.toString(shape)
                    + " (layers * directions, batch, hidden), got " + Arrays.toString(given.shape()));
        }
        return s;
    }

    /** One layer in one direction over {@code x [L, N, in]}: {@code {outputs [L, N, H], h, c}}. */
    private Tensor[] run(Tensor x, Tensor[] w, Tensor h, Tensor c, boolean reverse) {
        int steps = x.size(0);
        Tensor projected = x.matmul(w[0].t());
        if (w[2] != null) {
            projected = projected.add(w[2]);
        }
        Tensor[] outs = new Tensor[steps];
        for (int i = 0; i < steps; i++) {
            int t = reverse ? steps - 1 - i : i;
            Tensor[] next = step(kind, relu, projected.select(0, t), h, c, w[1], w[3], hiddenSize);
            h = next[0];
            c = next[1];
            outs[t] = h;
        }
        return new Tensor[] {Tensor.stack(0, outs), h, c};
    }

    /**
     * One time step given the input's projection {@code xw = x W_ih^T + b_ih} ({@code [N, gates * H]}): the new
     * {@code {h, c}}. Shared with the cells.
     */
    static Tensor[] step(Kind kind, boolean relu, Tensor xw, Tensor h, Tensor c, Tensor whh, Tensor bhh, int hidden) {
        Tensor hw = h.matmul(whh.t());
        if (bhh != null) {
            hw = hw.add(bhh);
        }
        switch (kind) {
            case RNN -> {
                Tensor z = xw.add(hw);
                return new Tensor[] {relu ? z.relu() : z.tanh(), null};
            }
            case LSTM -> {
                Tensor gates = xw.add(hw);
                Tensor i = gates.narrow(1, 0, hidden).sigmoid();
                Tensor f = gates.narrow(1, hidden, hidden).sigmoid();
                Tensor g = gates.narrow(1, 2 * hidden, hidden).tanh();
                Tensor o = gates.narrow(1, 3 * hidden, hidden).sigmoid();
                Tensor cNext = f.mul(c).add(i.mul(g));
                return new Tensor[] {o.mul(cNext.tanh()), cNext};
            }
            default -> {
                Tensor r = xw.narrow(1, 0, hidden).add(hw.narrow(1, 0, hidden)).sigmoid();
                Tensor z = xw.narrow(1, hidden, hidden).add(hw.narrow(1, hidden, hidden)).sigmoid();
                Tensor n = xw.narrow(1, 2 * hidden, hidden).add(r.mul(hw.narrow(1, 2 * hidden, hidden))).tanh();
                return new Tensor[] {z.rsub(1).mul(n).add(z.mul(h)), null};
            }
        }
    }

    /** Features of each input step. */
    public int inputSize() {
        return inputSize;
    }

    /** Size of the hidden state. */
    public int hiddenSize() {
        return hiddenSize;
    }

    @Override
    protected String extraRepr() {
        return inputSize + ", " + hiddenSize + ", numLayers=" + numLayers + ", batchFirst=" + batchFirst
                + (dropout > 0 ? ", dropout=" + dropout : "") + (bidirectional ? ", bidirectional=true" : "")
                + (relu ? ", nonlinearity=relu" : "") + (weights.get(0)[2] == null ? ", bias=false" : "");
    }
}
