package org.grad4j.nn;

import java.util.random.RandomGenerator;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;

/** One step of {@link GRU}, as {@code nn.GRUCell}. */
public class GRUCell extends RecurrentCell {
    /** Biases, float32. */
    public GRUCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true, DType.FLOAT32, null);
    }

    /** Every option; a null generator means {@link Init#generator()}. */
    public GRUCell(int inputSize, int hiddenSize, boolean bias, DType dtype, RandomGenerator rng) {
        super(Recurrent.Kind.GRU, inputSize, hiddenSize, bias, false, dtype, rng);
    }

    /** The next hidden state; {@code h} may be null for zeros. */
    public Tensor forward(Tensor x, Tensor h) {
        Args.notNull(x, "GRUCell.forward", "x");
        return step(x, h, null)[0];
    }
}
