package org.grad4j.nn;

import org.grad4j.core.Tensor;

/** {@link Activations#elu(Tensor, double)} as a module, as {@code nn.ELU} (alpha 1 by default). */
public class ELU extends Module {
    private final double alpha;

    /** alpha = 1. */
    public ELU() {
        this(1);
    }

    /** {@code alpha (exp(x) - 1)} below 0. */
    public ELU(double alpha) {
        this.alpha = alpha;
    }

    @Override
    public Tensor forward(Tensor x) {
        Args.notNull(x, "ELU.forward", "x");
        return Activations.elu(x, alpha);
    }

    @Override
    protected String extraRepr() {
        return "alpha=" + alpha;
    }
}
