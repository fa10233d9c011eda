package org.grad4j.nn;

import org.grad4j.core.Tensor;

/**
 * Negative log-likelihood on log-probabilities, {@link Losses#nll(Tensor, Tensor, Tensor, int, Reduction)} as a
 * module; {@code LogSoftmax} followed by {@code NLLLoss} equals {@link CrossEntropyLoss}.
 */
public class NLLLoss extends Loss {
    @Buffer
    private final Tensor weight;
    private final int ignoreIndex;

    /** Mean reduction. */
    public NLLLoss() {
        this(null, Losses.DEFAULT_IGNORE_INDEX, Reduction.MEAN);
    }

    /** With the given reduction (mean, sum or none). */
    public NLLLoss(Reduction reduction) {
        this(null, Losses.DEFAULT_IGNORE_INDEX, reduction);
    }

    /**
     * @param weight      per-class weights {@code [C]}, or null
     * @param ignoreIndex class index to ignore ({@link Losses#DEFAULT_IGNORE_INDEX} ignores nothing)
     */
    public NLLLoss(Tensor weight, int ignoreIndex, Reduction reduction) {
        super(reduction);
        this.weight = weight;
        this.ignoreIndex = ignoreIndex;
    }

    @Override
    public Tensor forward(Tensor logProbs, Tensor target) {
        return Losses.nll(logProbs, target, weight, ignoreIndex, reduction());
    }

    /** Class indices as ints, row-major in the input's shape without the class dim. */
    public Tensor forward(Tensor logProbs, int[] target) {
        return forward(logProbs, Losses.indexTensor("nll", logProbs, target));
    }

    @Override
    protected String extraRepr() {
        return (ignoreIndex != Losses.DEFAULT_IGNORE_INDEX ? "ignoreIndex=" + ignoreIndex + ", " : "")
                + super.extraRepr();
    }
}
