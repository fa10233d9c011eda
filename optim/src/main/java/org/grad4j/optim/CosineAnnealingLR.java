package org.grad4j.optim;

/**
 * Cosine annealing from each group's base rate down to {@code etaMin} over {@code tMax} epochs, in the closed form
 * of {@code torch.optim.lr_scheduler.CosineAnnealingLR}:
 * {@code lr = etaMin + (baseLr - etaMin) * (1 + cos(pi * epoch / tMax)) / 2}. Past {@code tMax} the rate follows the
 * cosine back up, as PyTorch's does. (PyTorch's {@code step()} uses an equivalent recursive form whose results
 * differ from this one only by rounding.)
 *
 * <pre>{@code
 * var sched = new CosineAnnealingLR(opt, 100, 1e-5);
 * }</pre>
 */
public final class CosineAnnealingLR extends LRScheduler {
    private final int tMax;
    private final double etaMin;

    /** @param tMax epochs of one half cosine ({@code >= 1}); @param etaMin the lowest rate ({@code >= 0}) */
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        super(optimizer);
        if (tMax < 1) {
            throw invalid("CosineAnnealingLR", "tMax", tMax, "tMax >= 1");
        }
        if (!(etaMin >= 0 && etaMin < Double.POSITIVE_INFINITY)) {
            throw invalid("CosineAnnealingLR", "etaMin", etaMin, "a finite etaMin >= 0");
        }
        this.tMax = tMax;
        this.etaMin = etaMin;
        initialStep();
    }

    /** Annealing down to 0. */
    public CosineAnnealingLR(Optimizer optimizer, int tMax) {
        this(optimizer, tMax, 0);
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = new double[baseLrs.length];
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = etaMin + (baseLrs[i] - etaMin) * (1 + Math.cos(Math.PI * lastEpoch / tMax)) / 2;
        }
        return lrs;
    }
}
