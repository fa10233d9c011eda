package org.grad4j.nn;

import org.grad4j.core.Tensor;

/**
 * Binary cross-entropy on probabilities, {@link Losses#bce(Tensor, Tensor, Tensor, Reduction)} as a module. Prefer
 * {@link BCEWithLogitsLoss} on raw scores.
 * <pre>{@code
 * Tensor loss = new BCELoss().forward(model.forward(x).sigmoid(), labels);
 * }</pre>
 */
public class BCELoss extends Loss {
    @Buffer
    private final Tensor weight;

    /** Mean reduction. */
    public BCELoss() {
        this(null, Reduction.MEAN);
    }

    /** With the given reduction (mean, sum or none). */
    public BCELoss(Reduction reduction) {
        this(null, reduction);
    }

    /** @param weight rescaling broadcast to the input's shape, or null */
    public BCELoss(Tensor weight, Reduction reduction) {
        super(reduction);
        this.weight = weight;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.bce(input, target, weight, reduction());
    }
}
