package org.grad4j.nn;

import java.util.random.RandomGenerator;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;

/** One step of {@link RNN}, as {@code nn.RNNCell}: {@code h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh)} (or ReLU). */
public class RNNCell extends RecurrentCell {
    /** tanh, biases, float32. */
    public RNNCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true, false, DType.FLOAT32, null);
    }

    /** Every option; a null generator means {@link Init#generator()}. */
    public RNNCell(int inputSize, int hiddenSize, boolean bias, boolean relu, DType dtype, RandomGenerator rng) {
        super(Recurrent.Kind.RNN, inputSize, hiddenSize, bias, relu, dtype, rng);
    }

    /** The next hidden state; {@code h} may be null for zeros. */
    public Tensor forward(Tensor x, Tensor h) {
        Args.notNull(x, "RNNCell.forward", "x");
        return step(x, h, null)[0];
    }
}
