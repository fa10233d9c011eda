package org.grad4j.nn;

import org.grad4j.core.Tensor;

/**
 * {@link Losses#tripletMargin} as a module, as {@code nn.TripletMarginLoss}: {@code forward(anchor, positive,
 * negative)}; defaults margin 1, p 2, eps 1e-6, no swap.
 */
public class TripletMarginLoss extends Loss {
    private final double margin;
    private final double p;
    private final double eps;
    private final boolean swap;

    /** PyTorch's defaults. */
    public TripletMarginLoss() {
        this(1, 2, 1e-6, false, Reduction.MEAN);
    }

    /** Every option. */
    public TripletMarginLoss(double margin, double p, double eps, boolean swap, Reduction reduction) {
        super(reduction);
        this.margin = margin;
        this.p = p;
        this.eps = eps;
        this.swap = swap;
    }

    /** {@code forward(anchor, positive, negative)}. */
    public Tensor forward(Tensor anchor, Tensor positive, Tensor negative) {
        Args.notNull(anchor, "TripletMarginLoss.forward", "anchor");
        Args.notNull(positive, "TripletMarginLoss.forward", "positive");
        Args.notNull(negative, "TripletMarginLoss.forward", "negative");
        return Losses.tripletMargin(anchor, positive, negative, margin, p, eps, swap, reduction());
    }

    /** Needs three inputs: always throws; call {@link #forward(Tensor, Tensor, Tensor)}. */
    @Override
    public Tensor forward(Tensor input, Tensor target) {
        Args.notNull(input, "TripletMarginLoss.forward", "input");
        Args.notNull(target, "TripletMarginLoss.forward", "target");
        throw new IllegalArgumentException(name() + " takes (anchor, positive, negative)");
    }

    /** {@code forward(anchor, positive, negative)} from three inputs. */
    @Override
    public Tensor forward(Tensor... inputs) {
        Args.notNull(inputs, "TripletMarginLoss.forward", "inputs");
        if (inputs.length != 3) {
            throw new IllegalArgumentException(name() + ".forward takes (anchor, positive, negative), got "
                    + (inputs == null ? "null" : inputs.length) + " tensors");
        }
        return forward(inputs[0], inputs[1], inputs[2]);
    }

    @Override
    protected String extraRepr() {
        return "margin=" + margin + ", p=" + p + ", swap=" + swap + ", " + super.extraRepr();
    }
}
