package org.grad4j.nn;

import org.grad4j.core.Tensor;

/**
 * {@link Losses#klDiv} as a module, as {@code nn.KLDivLoss}: the input holds log-probabilities. With
 * {@code batchMean} the summed divergence is divided by the batch size (PyTorch's {@code 'batchmean'}, the true KL
 * divergence per sample); otherwise the given reduction applies element-wise.
 */
public class KLDivLoss extends Loss {
    private final boolean logTarget;
    private final boolean batchMean;

    /** Mean over elements, probabilities as targets (PyTorch's defaults). */
    public KLDivLoss() {
        this(Reduction.MEAN, false, false);
    }

    /** Every option; {@code batchMean} overrides the reduction. */
    public KLDivLoss(Reduction reduction, boolean batchMean, boolean logTarget) {
        super(reduction);
        this.batchMean = batchMean;
        this.logTarget = logTarget;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        Args.notNull(input, "KLDivLoss.forward", "input");
        Args.notNull(target, "KLDivLoss.forward", "target");
        return batchMean ? Losses.klDivBatchMean(input, target, logTarget)
                : Losses.klDiv(input, target, reduction(), logTarget);
    }

    @Override
    protected String extraRepr() {
        return (batchMean ? "reduction=batchmean" : super.extraRepr()) + ", logTarget=" + logTarget;
    }
}
