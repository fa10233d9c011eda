package org.grad4j.nn;

import org.grad4j.core.Tensor;

/**
 * Binary cross-entropy on logits, {@link Losses#bceWithLogits(Tensor, Tensor, Tensor, Tensor, Reduction)} as a
 * module; stable for any logit.
 * <pre>{@code
 * var loss = new BCEWithLogitsLoss(null, Tensor.of(new float[] {3f}), Reduction.MEAN);   // positives weigh 3x
 * }</pre>
 */
public class BCEWithLogitsLoss extends Loss {
    @Buffer
    private final Tensor weight;
    @Buffer
    private final Tensor posWeight;

    /** Mean reduction. */
    public BCEWithLogitsLoss() {
        this(null, null, Reduction.MEAN);
    }

    /** With the given reduction (mean, sum or none). */
    public BCEWithLogitsLoss(Reduction reduction) {
        this(null, null, reduction);
    }

    /**
     * @param weight    rescaling broadcast to the input's shape, or null
     * @param posWeight weight of positive examples broadcast along the last dim ({@code [classes]}), or null
     */
    public BCEWithLogitsLoss(Tensor weight, Tensor posWeight, Reduction reduction) {
        super(reduction);
        this.weight = weight;
        this.posWeight = posWeight;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.bceWithLogits(input, target, weight, posWeight, reduction());
    }
}
