package org.grad4j.nn;

import org.grad4j.core.Tensor;

/** {@link Activations#leakyRelu(Tensor, double)} as a module; the default slope is 0.01, as PyTorch. */
public class LeakyReLU extends Module {
    private final double negativeSlope;

    /** Negative slope 0.01, as PyTorch's default. */
    public LeakyReLU() {
        this(0.01);
    }

    /** {@code x} for {@code x >= 0}, {@code negativeSlope * x} below. */
    public LeakyReLU(double negativeSlope) {
        this.negativeSlope = negativeSlope;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Activations.leakyRelu(x, negativeSlope);
    }

    /** The slope for negative inputs. */
    public double negativeSlope() {
        return negativeSlope;
    }

    @Override
    protected String extraRepr() {
        return "negativeSlope=" + negativeSlope;
    }
}
