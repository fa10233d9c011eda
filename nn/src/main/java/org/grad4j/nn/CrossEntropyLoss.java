package org.grad4j.nn;

import org.grad4j.core.Tensor;

/**
 * Cross-entropy from logits,
 * {@link Losses#crossEntropy(Tensor, Tensor, Tensor, int, double, Reduction)} as a module: class-index or
 * probability targets, optional class weights, {@code ignoreIndex} and label smoothing.
 * <pre>{@code
 * CrossEntropyLoss criterion = new CrossEntropyLoss(null, Losses.DEFAULT_IGNORE_INDEX, 0.1, Reduction.MEAN);
 * Tensor loss = criterion.forward(logits, new int[] {3, 1, 0});
 * }</pre>
 */
public class CrossEntropyLoss extends Loss {
    @Buffer
    private final Tensor weight;
    private final int ignoreIndex;
    private final double labelSmoothing;

    /** Mean reduction, no class weights, no ignore index, no label smoothing. */
    public CrossEntropyLoss() {
        this(null, Losses.DEFAULT_IGNORE_INDEX, 0, Reduction.MEAN);
    }

    /** With the given reduction (mean, sum or none) and otherwise the defaults. */
    public CrossEntropyLoss(Reduction reduction) {
        this(null, Losses.DEFAULT_IGNORE_INDEX, 0, reduction);
    }

    /**
     * @param weight         per-class weights {@code [C]}, or null
     * @param ignoreIndex    class index to ignore ({@link Losses#DEFAULT_IGNORE_INDEX} ignores nothing)
     * @param labelSmoothing in [0, 1]
     */
    public CrossEntropyLoss(Tensor weight, int ignoreIndex, double labelSmoothing, Reduction reduction) {
        super(reduction);
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("CrossEntropyLoss: labelSmoothing must be in [0, 1], got "
                    + labelSmoothing);
        }
        this.weight = weight;
        this.ignoreIndex = ignoreIndex;
        this.labelSmoothing = labelSmoothing;
    }

    /** Target of class indices (the logits' shape without the class dim) or of probabilities (the logits' shape). */
    @Override
    public Tensor forward(Tensor logits, Tensor target) {
        return Losses.crossEntropy(logits, target, weight, ignoreIndex, labelSmoothing, reduction());
    }

    /** Class indices as ints, row-major in the logits' shape without the class dim. */
    public Tensor forward(Tensor logits, int[] target) {
        return forward(logits, Losses.indexTensor("crossEntropy", logits, target));
    }

    @Override
    protected String extraRepr() {
        return (ignoreIndex != Losses.DEFAULT_IGNORE_INDEX ? "ignoreIndex=" + ignoreIndex + ", " : "")
                + (labelSmoothing != 0 ? "labelSmoothing=" + labelSmoothing + ", " : "") + super.extraRepr();
    }
}
