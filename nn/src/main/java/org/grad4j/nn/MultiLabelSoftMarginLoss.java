package org.grad4j.nn;

import org.grad4j.core.Tensor;

/** {@link Losses#multiLabelSoftMargin} as a module, as {@code nn.MultiLabelSoftMarginLoss}; optional class weights. */
public class MultiLabelSoftMarginLoss extends Loss {
    private final transient Tensor weight;

    /** No class weights, mean reduction. */
    public MultiLabelSoftMarginLoss() {
        this(null, Reduction.MEAN);
    }

    /** With class weights {@code [C]} (or null). */
    public MultiLabelSoftMarginLoss(Tensor weight, Reduction reduction) {
        super(reduction);
        this.weight = weight;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        Args.notNull(input, "MultiLabelSoftMarginLoss.forward", "input");
        Args.notNull(target, "MultiLabelSoftMarginLoss.forward", "target");
        return Losses.multiLabelSoftMargin(input, target, weight, reduction());
    }
}
