package org.grad4j.nn;

import org.grad4j.core.Tensor;

/** {@link Activations#celu(Tensor, double)} as a module, as {@code nn.CELU} (alpha 1 by default). */
public class CELU extends Module {
    private final double alpha;

    /** alpha = 1. */
    public CELU() {
        this(1);
    }

    /** {@code alpha (exp(x / alpha) - 1)} below 0; alpha must be non-zero. */
    public CELU(double alpha) {
        if (alpha == 0 || Double.isNaN(alpha)) {
            throw new IllegalArgumentException("CELU: alpha must be non-zero, got " + alpha);
        }
        this.alpha = alpha;
    }

    @Override
    public Tensor forward(Tensor x) {
        Args.notNull(x, "CELU.forward", "x");
        return Activations.celu(x, alpha);
    }

    @Override
    protected String extraRepr() {
        return "alpha=" + alpha;
    }
}
