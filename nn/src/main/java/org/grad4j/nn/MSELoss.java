package org.grad4j.nn;

import org.grad4j.core.Tensor;

/**
 * Mean squared error, {@link Losses#mse(Tensor, Tensor, Reduction)} as a module:
 * {@code new MSELoss().forward(prediction, target)}.
 */
public class MSELoss extends Loss {
    /** Mean reduction. */
    public MSELoss() {
        this(Reduction.MEAN);
    }

    /** With the given reduction (mean, sum or none). */
    public MSELoss(Reduction reduction) {
        super(reduction);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.mse(input, target, reduction());
    }
}
