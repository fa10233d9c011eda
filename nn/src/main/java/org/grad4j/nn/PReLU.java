package org.grad4j.nn;

import org.grad4j.core.DType;
import org.grad4j.core.Tensor;

/**
 * Leaky ReLU with a learned slope, as {@code nn.PReLU}: parameter {@code weight} of {@code numParameters} elements
 * (1, shared, or one per channel), initialised to 0.25. Functional form: {@link Activations#prelu}.
 */
public class PReLU extends Module {
    private final Tensor weight;

    /** One shared slope, initially 0.25. */
    public PReLU() {
        this(1, 0.25, DType.FLOAT32);
    }

    /** {@code numParameters} slopes (1 or the channel count), initially {@code init}. */
    public PReLU(int numParameters, double init, DType dtype) {
        Args.notNull(dtype, "PReLU", "dtype");
        if (numParameters <= 0) {
            throw new IllegalArgumentException("PReLU: numParameters must be positive, got " + numParameters);
        }
        this.weight = Tensor.full(init, dtype, numParameters).requiresGrad(true);
    }

    @Override
    public Tensor forward(Tensor x) {
        Args.notNull(x, "PReLU.forward", "x");
        return Activations.prelu(x, weight);
    }

    /** The slopes. */
    public Tensor weight() {
        return weight;
    }

    @Override
    protected String extraRepr() {
        return "numParameters=" + weight.numel();
    }
}
