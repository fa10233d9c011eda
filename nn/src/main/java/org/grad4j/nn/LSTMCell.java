package org.grad4j.nn;

import java.util.random.RandomGenerator;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;

/** One step of {@link LSTM}, as {@code nn.LSTMCell}: {@code forward(x, h, c)} returns {@code {h', c'}}. */
public class LSTMCell extends RecurrentCell {
    /** Biases, float32. */
    public LSTMCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true, DType.FLOAT32, null);
    }

    /** Every option; a null generator means {@link Init#generator()}. */
    public LSTMCell(int inputSize, int hiddenSize, boolean bias, DType dtype, RandomGenerator rng) {
        super(Recurrent.Kind.LSTM, inputSize, hiddenSize, bias, false, dtype, rng);
    }

    /** {@code {h', c'}}; {@code h} and {@code c} may be null for zeros. */
    public Tensor[] forward(Tensor x, Tensor h, Tensor c) {
        Args.notNull(x, "LSTMCell.forward", "x");
        return step(x, h, c);
    }
}
