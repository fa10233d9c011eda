package org.grad4j.optim;

/**
 * Linear warm-up: the learning rate grows from {@code startFactor * baseLr} at epoch 0 to {@code baseLr} at epoch
 * {@code warmupSteps} and stays there, the closed form of {@code torch.optim.lr_scheduler.LinearLR} with
 * {@code end_factor = 1}: {@code lr = baseLr * (startFactor + (1 - startFactor) * min(epoch, warmupSteps) / warmupSteps)}.
 * Usually chained before a decay with {@link SequentialLR}.
 *
 * <pre>{@code
 * var warm = new LinearWarmup(opt, 0.1, 5);   // 10%, 28%, 46%, 64%, 82%, then 100% of the base rate
 * }</pre>
 */
public final class LinearWarmup extends LRScheduler {
    private final double startFactor;
    private final int warmupSteps;

    /** @param startFactor the fraction of the base rate at epoch 0, in [0, 1]; @param warmupSteps {@code >= 1} */
    public LinearWarmup(Optimizer optimizer, double startFactor, int warmupSteps) {
        super(optimizer);
        if (!(startFactor >= 0 && startFactor <= 1)) {
            throw invalid("LinearWarmup", "startFactor", startFactor, "0 <= startFactor <= 1");
        }
        if (warmupSteps < 1) {
            throw invalid("LinearWarmup", "warmupSteps", warmupSteps, "warmupSteps >= 1");
        }
        this.startFactor = startFactor;
        this.warmupSteps = warmupSteps;
        initialStep();
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = new double[baseLrs.length];
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = baseLrs[i] * (startFactor + (1 - startFactor) * Math.min(warmupSteps, lastEpoch) / warmupSteps);
        }
        return lrs;
    }
}
