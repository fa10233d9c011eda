package org.grad4j.optim;

import java.util.Arrays;

/**
 * Multiplies each group's learning rate by {@code gamma} at each milestone epoch, as
 * {@code torch.optim.lr_scheduler.MultiStepLR}: {@code lr = baseLr * gamma^(number of milestones <= epoch)} when
 * nothing else changes the rate (a milestone listed twice decays twice; the update multiplies the current rate, so it
 * composes with manual changes as PyTorch's does).
 *
 * <pre>{@code
 * var sched = new MultiStepLR(opt, new int[] {30, 80}, 0.1);   // lr 0.05 until 29, 0.005 until 79, then 0.0005
 * }</pre>
 */
public final class MultiStepLR extends LRScheduler {
    private final int[] milestones;
    private final double gamma;

    /** @param milestones epochs at which to decay (any order, {@code >= 0}); @param gamma decay factor ({@code >= 0}) */
    public MultiStepLR(Optimizer optimizer, int[] milestones, double gamma) {
        super(optimizer);
        if (milestones == null) {
            throw invalid("MultiStepLR", "milestones", null, "an array of epochs");
        }
        for (int m : milestones) {
            if (m < 0) {
                throw invalid("MultiStepLR", "milestones", Arrays.toString(milestones), "epochs >= 0");
            }
        }
        if (!(gamma >= 0 && gamma < Double.POSITIVE_INFINITY)) {
            throw invalid("MultiStepLR", "gamma", gamma, "a finite gamma >= 0");
        }
        this.milestones = milestones.clone();
        Arrays.sort(this.milestones);
        this.gamma = gamma;
        initialStep();
    }

    /** {@link #MultiStepLR(Optimizer, int[], double)} with PyTorch's default gamma 0.1. */
    public MultiStepLR(Optimizer optimizer, int... milestones) {
        this(optimizer, milestones, 0.1);
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = currentLrs();
        int hits = 0;
        for (int m : milestones) {
            hits += m == lastEpoch ? 1 : 0;
        }
        if (hits > 0) {
            double factor = Math.pow(gamma, hits);
            for (int i = 0; i < lrs.length; i++) {
                lrs[i] *= factor;
            }
        }
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        int passed = 0;
        for (int m : milestones) {
            passed += m <= lastEpoch ? 1 : 0;
        }
        double[] lrs = new double[baseLrs.length];
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = baseLrs[i] * Math.pow(gamma, passed);
        }
        return lrs;
    }
}
