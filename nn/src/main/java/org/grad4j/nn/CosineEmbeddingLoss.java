package org.grad4j.nn;

import org.grad4j.core.Tensor;

/**
 * {@link Losses#cosineEmbedding} as a module, as {@code nn.CosineEmbeddingLoss}: three inputs, {@code forward(x1, x2, y)}.
 */
public class CosineEmbeddingLoss extends Loss {
    private final double margin;

    /** margin 0, mean reduction. */
    public CosineEmbeddingLoss() {
        this(0, Reduction.MEAN);
    }

    /** Every option. */
    public CosineEmbeddingLoss(double margin, Reduction reduction) {
        super(reduction);
        this.margin = margin;
    }

    /** {@code forward(x1, x2, y)}. */
    public Tensor forward(Tensor x1, Tensor x2, Tensor y) {
        Args.notNull(x1, "CosineEmbeddingLoss.forward", "x1");
        Args.notNull(x2, "CosineEmbeddingLoss.forward", "x2");
        Args.notNull(y, "CosineEmbeddingLoss.forward", "y");
        return Losses.cosineEmbedding(x1, x2, y, margin, reduction());
    }

    /** Needs three inputs: always throws; call {@link #forward(Tensor, Tensor, Tensor)}. */
    @Override
    public Tensor forward(Tensor input, Tensor target) {
        Args.notNull(input, "CosineEmbeddingLoss.forward", "input");
        Args.notNull(target, "CosineEmbeddingLoss.forward", "target");
        throw new IllegalArgumentException(name() + " takes (x1, x2, y): call forward(x1, x2, y)");
    }

    /** {@code forward(x1, x2, y)} from three inputs. */
    @Override
    public Tensor forward(Tensor... inputs) {
        Args.notNull(inputs, "CosineEmbeddingLoss.forward", "inputs");
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
