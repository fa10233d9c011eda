package org.grad4j.nn;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;

/**
 * The shared body of {@link RNNCell}, {@link LSTMCell} and {@link GRUCell}: one time step, parameters
 * {@code weight_ih [gates * H, in]}, {@code weight_hh [gates * H, H]}, {@code bias_ih}, {@code bias_hh}, initialised
 * {@code U(-1/sqrt(H), 1/sqrt(H))} as PyTorch. Inputs {@code [N, in]} (or {@code [in]}), states {@code [N, H]}.
 */
public abstract class RecurrentCell extends Module {
    private final Recurrent.Kind kind;
    private final boolean relu;
    private final int inputSize;
    private final int hiddenSize;
    private final Tensor weight_ih;
    private final Tensor weight_hh;
    private final Tensor bias_ih;
    private final Tensor bias_hh;

    RecurrentCell(Recurrent.Kind kind, int inputSize, int hiddenSize, boolean bias, boolean relu, DType dtype,
            RandomGenerator rng) {
        Args.notNull(dtype, getClass().getSimpleName(), "dtype");
        if (inputSize <= 0 || hiddenSize <= 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": inputSize and hiddenSize must be"
                    + " positive, got " + inputSize + " and " + hiddenSize);
        }
        this.kind = kind;
        this.relu = relu;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        RandomGenerator r = rng == null ? Init.generator() : rng;
        double bound = 1 / Math.sqrt(hiddenSize);
        weight_ih = Recurrent.uniform(dtype, bound, r, kind.gates * hiddenSize, inputSize);
        weight_hh = Recurrent.uniform(dtype, bound, r, kind.gates * hiddenSize, hiddenSize);
        bias_ih = bias ? Recurrent.uniform(dtype, bound, r, kind.gates * hiddenSize) : null;
        bias_hh = bias ? Recurrent.uniform(dtype, bound, r, kind.gates * hiddenSize) : null;
    }

    /** One step from a zero state; returns the new hidden state. */
    @Override
    public Tensor forward(Tensor x) {
        Args.notNull(x, "RecurrentCell.forward", "x");
        return step(x, null, null)[0];
    }

    Tensor[] step(Tensor x, Tensor h, Tensor c) {
        boolean unbatched = x.dim() == 1;
        if ((x.dim() != 2 && !unbatched) || x.size(-1) != inputSize) {
            throw new IllegalArgumentException(name() + ": expects input [N, " + inputSize + "] or [" + inputSize
                    + "], got " + Arrays.toString(x.shape()));
        }
        Tensor xb = unbatched ? x.unsqueeze(0) : x;
        int[] stateShape = {xb.size(0), hiddenSize};
        Tensor hb = state("h", h, unbatched, stateShape, x.dtype());
        Tensor cb = kind == Recurrent.Kind.LSTM ? state("c", c, unbatched, stateShape, x.dtype()) : null;
        Tensor xw = xb.matmul(weight_ih.t());
        if (bias_ih != null) {
            xw = xw.add(bias_ih);
        }
        Tensor[] next = Recurrent.step(kind, relu, xw, hb, cb, weight_hh, bias_hh, hiddenSize);
        if (unbatched) {
            next[0] = next[0].squeeze(0);
            if (next[1] != null) next[1] = next[1].squeeze(0);
        }
        return next;
    }

    private Tensor state(String what, Tensor given, boolean unbatched, int[] shape, DType dtype) {
        if (given == null) {
            return Tensor.zeros(dtype, shape);
        }
        Tensor s = unbatched && given.dim() == 1 ? given.unsqueeze(0) : given;
        if (!Arrays.equals(s.shape(), shape)) {
            throw new IllegalArgumentException(name() + ": state " + what + " must have shape "
                    + Arrays.toString(shape) + ", got " + Arrays.toString(given.shape()));
        }
        return s;
    }

    @Override
    protected String extraRepr() {
        return inputSize + ", " + hiddenSize + (bias_ih == null ? ", bias=false" : "")
                + (relu ? ", nonlinearity=relu" : "");
    }
}
