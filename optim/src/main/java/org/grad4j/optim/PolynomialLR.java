package org.grad4j.optim;

/**
 * Decays each group's learning rate polynomially to 0 over {@code totalIters} epochs, as
 * {@code torch.optim.lr_scheduler.PolynomialLR}: {@code lr = baseLr * (1 - min(epoch, totalIters) / totalIters)^power}
 * when nothing else changes the rate (each step multiplies the current rate by the ratio of consecutive factors, as
 * PyTorch's does, so the two forms differ only by rounding).
 *
 * <pre>{@code
 * var sched = new PolynomialLR(opt, 100, 2.0);   // quadratic decay to 0 at epoch 100, then 0
 * }</pre>
 */
public final class PolynomialLR extends LRScheduler {
    private final int totalIters;
    private final double power;

    /** @param totalIters epochs until the rate is 0 ({@code >= 1}); @param power the exponent ({@code >= 0}) */
    public PolynomialLR(Optimizer optimizer, int totalIters, double power) {
        super(optimizer);
        if (totalIters < 1) {
            throw invalid("PolynomialLR", "totalIters", totalIters, "totalIters >= 1");
        }
        if (!(power >= 0 && power < Double.POSITIVE_INFINITY)) {
            throw invalid("PolynomialLR", "power", power, "a finite power >= 0");
        }
        this.totalIters = totalIters;
        this.power = power;
        initialStep();
    }

    /** PyTorch's defaults: linear decay over 5 epochs. */
    public PolynomialLR(Optimizer optimizer) {
        this(optimizer, 5, 1.0);
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = currentLrs();
        if (lastEpoch == 0 || lastEpoch > totalIters) {
            return lrs;
        }
        double factor = Math.pow((1.0 - (double) lastEpoch / totalIters)
                / (1.0 - (double) (lastEpoch - 1) / totalIters), power);
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] *= factor;
        }
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lrs = new double[baseLrs.length];
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = baseLrs[i] * Math.pow(1.0 - (double) Math.min(totalIters, lastEpoch) / totalIters, power);
        }
        return lrs;
    }
}
