package org.grad4j.nn;

import org.grad4j.core.Tensor;

/** Mean absolute error (MAE, L1), {@link Losses#l1(Tensor, Tensor, Reduction)} as a module. */
public class L1Loss extends Loss {
    /** Mean reduction. */
    public L1Loss() {
        this(Reduction.MEAN);
    }

    /** With the given reduction (mean, sum or none). */
    public L1Loss(Reduction reduction) {
        super(reduction);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.l1(input, target, reduction());
    }
}
