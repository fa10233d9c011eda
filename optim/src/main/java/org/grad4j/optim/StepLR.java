package org.grad4j.optim;

/**
 * Multiplies each group's learning rate by {@code gamma} every {@code stepSize} epochs, as
 * {@code torch.optim.lr_scheduler.StepLR}: {@code lr = baseLr * gamma^(epoch / stepSize)} when nothing else changes
 * the rate (the update itself multiplies the current rate, so it composes with manual changes as PyTorch's does).
 *
 * <pre>{@code
 * var sched = new StepLR(opt, 30, 0.1);   // lr 0.05 for epochs 0-29, 0.005 for 30-59, ...
 * }</pre>
 */
public final class StepLR extends LRScheduler {
    private final int stepSize;
    private final double gamma;

    /** @param stepSize epochs between decays ({@code >= 1}); @param gamma decay factor ({@code >= 0}) */
    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        super(optimizer);
        if (stepSize < 1) {
            throw invalid("StepLR", "stepSize", stepSize, "stepSize >= 1");
        }
        if (!(gamma >= 0 && gamma < Double.POSITIVE_INFINITY)) {
            throw invalid("StepLR", "gamma", gamma, "a finite gamma >= 0");
        }
        this.stepSize = stepSize;
        this.gamma = gamma;
        initialStep();
    }

    /** {@link #StepLR(Optimizer, int, double)} with PyTorch's default gamma 0.1. */
    public StepLR(Optimizer optimizer, int stepSize) {
        this(optimizer, stepSize, 0.1);
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = currentLrs();
        if (lastEpoch != 0 && lastEpoch % stepSize == 0) {
            for (int i = 0; i < lrs.length; i++) {
                lrs[i] *= gamma;
            }
        }
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lrs = baseLrs.clone();
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = baseLrs[i] * Math.pow(gamma, lastEpoch / stepSize);
        }
        return lrs;
    }
}
