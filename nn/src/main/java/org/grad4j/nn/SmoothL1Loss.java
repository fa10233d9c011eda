package org.grad4j.nn;

import org.grad4j.core.Tensor;

/** {@link Losses#smoothL1} as a module, as {@code nn.SmoothL1Loss}; {@code beta} defaults to 1. */
public class SmoothL1Loss extends Loss {
    private final double beta;

    /** beta = 1, mean reduction. */
    public SmoothL1Loss() {
        this(1.0, Reduction.MEAN);
    }

    /** Quadratic below {@code beta}, linear above. */
    public SmoothL1Loss(double beta, Reduction reduction) {
        super(reduction);
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("SmoothL1Loss: beta must be >= 0 and finite, got " + beta);
        }
        this.beta = beta;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        Args.notNull(input, "SmoothL1Loss.forward", "input");
        Args.notNull(target, "SmoothL1Loss.forward", "target");
        return Losses.smoothL1(input, target, beta, reduction());
    }

    @Override
    protected String extraRepr() {
        return "beta=" + beta + ", " + super.extraRepr();
    }
}
