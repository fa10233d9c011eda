package org.grad4j.nn;

import org.grad4j.core.Tensor;

/**
 * {@link Activations#softplus(Tensor, double, double)} as a module; defaults {@code beta = 1, threshold = 20} as
 * PyTorch (linear above the threshold).
 */
public class Softplus extends Module {
    private final double beta;
    private final double threshold;

    /** {@code beta} 1 and {@code threshold} 20, as PyTorch's defaults. */
    public Softplus() {
        this(1, 20);
    }

    /** {@code log(1 + exp(beta x)) / beta}, linear where {@code beta x > threshold}. */
    public Softplus(double beta, double threshold) {
        if (!(beta > 0) || Double.isInfinite(beta) || Double.isNaN(threshold)) {
            throw new IllegalArgumentException("Softplus: beta must be positive and finite and threshold a number,"
                    + " got beta=" + beta + ", threshold=" + threshold);
        }
        this.beta = beta;
        this.threshold = threshold;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Activations.softplus(x, beta, threshold);
    }

    @Override
    protected String extraRepr() {
        return "beta=" + beta + ", threshold=" + threshold;
    }
}
