package org.grad4j.nn;

import org.grad4j.core.Tensor;

/** {@link Losses#huber(Tensor, Tensor, double, Reduction)} as a module; {@code delta} defaults to 1, as PyTorch. */
public class HuberLoss extends Loss {
    private final double delta;

    /** {@code delta} 1 and mean reduction, as PyTorch's defaults. */
    public HuberLoss() {
        this(1.0, Reduction.MEAN);
    }

    /** Quadratic below {@code delta}, linear above; mean reduction. */
    public HuberLoss(double delta) {
        this(delta, Reduction.MEAN);
    }

    /** Quadratic below {@code delta}, linear above, with the given reduction. */
    public HuberLoss(double delta, Reduction reduction) {
        super(reduction);
        if (!(delta > 0) || Double.isInfinite(delta)) {
            throw new IllegalArgumentException("HuberLoss: delta must be positive and finite, got " + delta);
        }
        this.delta = delta;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.huber(input, target, delta, reduction());
    }

    /** Where the loss turns from quadratic to linear. */
    public double delta() {
        return delta;
    }

    @Override
    protected String extraRepr() {
        return "delta=" + delta + ", " + super.extraRepr();
    }
}
