package org.grad4j.nn.data;

/**
 * Stops training when the validation loss has not improved by more than {@code minDelta} for {@code patience}
 * epochs, and remembers the best epoch (keep a copy of the weights there, e.g. with {@code module.stateDict()}).
 * <pre>{@code
 * var stopper = new EarlyStopping(5, 1e-4);
 * for (int epoch = 0; ; epoch++) {
 *     double validationLoss = ...;
 *     if (stopper.improved(validationLoss)) best = copyOf(model.stateDict());
 *     if (stopper.shouldStop()) break;
 * }
 * }</pre>
 */
public final class EarlyStopping {
    private final int patience;
    private final double minDelta;
    private double best = Double.POSITIVE_INFINITY;
    private int bestEpoch = -1;
    private int epoch = -1;
    private int epochsWithoutImprovement;

    /** Stops after {@code patience} (>= 1) epochs whose loss is not below the best by more than {@code minDelta}. */
    public EarlyStopping(int patience, double minDelta) {
        if (patience < 1 || !(minDelta >= 0)) {
            throw new IllegalArgumentException("EarlyStopping: need patience >= 1 and minDelta >= 0, got patience="
                    + patience + ", minDelta=" + minDelta);
        }
        this.patience = patience;
        this.minDelta = minDelta;
    }

    /** Records one epoch's validation loss; true when it is the best so far (by more than minDelta). */
    public boolean improved(double validationLoss) {
        if (Double.isNaN(validationLoss)) {
            throw new IllegalArgumentException("EarlyStopping: validation loss is NaN at epoch " + (epoch + 1)
                    + "; training diverged (try a smaller learning rate)");
        }
        epoch++;
        if (validationLoss < best - minDelta) {
            best = validationLoss;
            bestEpoch = epoch;
            epochsWithoutImprovement = 0;
            return true;
        }
        epochsWithoutImprovement++;
        return false;
    }

    /** Whether {@code patience} epochs have passed without improvement. */
    public boolean shouldStop() {
        return epochsWithoutImprovement >= patience;
    }

    /** The best validation loss so far (+infinity before the first call). */
    public double bestLoss() {
        return best;
    }

    /** The epoch (counted from 0) with the best loss, or -1 before the first call. */
    public int bestEpoch() {
        return bestEpoch;
    }
}
