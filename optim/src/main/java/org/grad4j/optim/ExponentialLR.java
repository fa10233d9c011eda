package org.grad4j.optim;

/**
 * Multiplies each group's learning rate by {@code gamma} every epoch, as
 * {@code torch.optim.lr_scheduler.ExponentialLR}: {@code lr = baseLr * gamma^epoch} when nothing else changes the
 * rate.
 *
 * <pre>{@code
 * var sched = new ExponentialLR(opt, 0.95);
 * }</pre>
 */
public final class ExponentialLR extends LRScheduler {
    private final double gamma;

    /** @param gamma decay factor per epoch ({@code >= 0}) */
    public ExponentialLR(Optimizer optimizer, double gamma) {
        super(optimizer);
        if (!(gamma >= 0 && gamma < Double.POSITIVE_INFINITY)) {
            throw invalid("ExponentialLR", "gamma", gamma, "a finite gamma >= 0");
        }
        this.gamma = gamma;
        initialStep();
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = currentLrs();
        if (lastEpoch != 0) {
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
            lrs[i] = baseLrs[i] * Math.pow(gamma, lastEpoch);
        }
        return lrs;
    }
}
