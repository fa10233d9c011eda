package org.grad4j.nn;

import org.grad4j.core.Tensor;

/**
 * {@link Losses#marginRanking} as a module, as {@code nn.MarginRankingLoss}: three inputs, {@code forward(x1, x2, y)}.
 */
public class MarginRankingLoss extends Loss {
    private final double margin;

    /** margin 0, mean reduction. */
    public MarginRankingLoss() {
        this(0, Reduction.MEAN);
    }

    /** Every option. */
    public MarginRankingLoss(double margin, Reduction reduction) {
        super(reduction);
        this.margin = margin;
    }

    /** {@code forward(x1, x2, y)}. */
    public Tensor forward(Tensor x1, Tensor x2, Tensor y) {
        Args.notNull(x1, "MarginRankingLoss.forward", "x1");
        Args.notNull(x2, "MarginRankingLoss.forward", "x2");
        Args.notNull(y, "MarginRankingLoss.forward", "y");
        return Losses.marginRanking(x1, x2, y, margin, reduction());
    }

    /** Needs three inputs: always throws; call {@link #forward(Tensor, Tensor, Tensor)}. */
    @Override
    public Tensor forward(Tensor input, Tensor target) {
        Args.notNull(input, "MarginRankingLoss.forward", "input");
        Args.notNull(target, "MarginRankingLoss.forward", "target");
        throw new IllegalArgumentException(name() + " takes (x1, x2, y): call forward(x1, x2, y)");
    }

    /** {@code forward(x1, x2, y)} from three inputs. */
    @Override
    public Tensor forward(Tensor... inputs) {
        Args.notNull(inputs, "MarginRankingLoss.forward", "inputs");
        if (inputs.length != 3) {
            throw new IllegalArgumentException(name() + ".forward takes (x1, x2, y), got " + inputs.length
                    + " tensors");
        }
        return forward(inputs[0], inputs[1], inputs[2]);
    }

    @Override
    protected String extraRepr() {
        return "margin=" + margin + ", " + super.extraRepr();
    }
}
