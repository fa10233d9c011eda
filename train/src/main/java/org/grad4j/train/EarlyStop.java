package org.grad4j.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.grad4j.core.Grad;
import org.grad4j.core.Tensor;

/**
 * Stops training when a monitored value (by default {@code val_loss}) has not improved by more than
 * {@code minDelta} for {@code patience} epochs, as Keras's {@code EarlyStopping}; with {@code restoreBest} the
 * model gets the weights of its best epoch back at the end (kept as a copy in memory).
 * <pre>{@code
 * Trainer.builder(model, optimizer, loss).callbacks(EarlyStop.onValidationLoss(5).restoreBest(true))...
 * }</pre>
 * Lower is better for losses and errors, higher for everything else ({@link Trainer#higherIsBetter(String)}).
 */
public final class EarlyStop implements Callback {
    private final String monitor;
    private final int patience;
    private double minDelta;
    private boolean restoreBest = true;
    private double best = Double.NaN;
    private int bestEpoch = -1;
    private int waited;
    private Map<String, Tensor> bestState;

    /** Stops after {@code patience} epochs without improvement of {@code monitor}; restores the best weights. */
    public EarlyStop(String monitor, int patience) {
        if (patience < 1) {
            throw new IllegalArgumentException("EarlyStop: patience must be >= 1, got " + patience);
        }
        this.monitor = monitor;
        this.patience = patience;
    }

    /** Monitors {@code val_loss}. */
    public static EarlyStop onValidationLoss(int patience) {
        return new EarlyStop("val_loss", patience);
    }

    /** An improvement must exceed this (default 0). */
    public EarlyStop minDelta(double minDelta) {
        if (!(minDelta >= 0)) {
            throw new IllegalArgumentException("EarlyStop: minDelta must be >= 0, got " + minDelta);
        }
        this.minDelta = minDelta;
        return this;
    }

    /** Whether the best epoch's weights are put back when training ends (default true). */
    public EarlyStop restoreBest(boolean restoreBest) {
        this.restoreBest = restoreBest;
        return this;
    }

    @Override
    public void onTrainBegin(TrainingContext context) {
        best = Double.NaN;
        bestEpoch = -1;
        waited = 0;
        bestState = null;
    }

    @Override
    public void onEpochEnd(TrainingContext context, int epoch, Map<String, Double> values) {
        Double value = values.get(monitor);
        if (value == null) {
            throw new IllegalStateException("EarlyStop: '" + monitor + "' was not measured; measured are "
                    + values.keySet() + (monitor.startsWith("val_") ? " (give the trainer validation data)" : ""));
        }
        if (Double.isNaN(value)) {
            context.stop("early stopping: " + monitor + " is NaN at epoch " + epoch + " (training diverged; try a"
                    + " smaller learning rate)");
            return;
        }
        boolean higher = Trainer.higherIsBetter(monitor);
        boolean improved = bestEpoch < 0 || (higher ? value > best + minDelta : value < best - minDelta);
        if (improved) {
            best = value;
            bestEpoch = epoch;
            waited = 0;
            if (restoreBest) {
                bestState = copy(context.model().stateDict());
            }
            return;
        }
        waited++;
        if (waited >= patience) {
            context.stop("early stopping: " + monitor + " has not improved for " + patience + " epochs (best "
                    + Trainer.format(best) + " at epoch " + bestEpoch + ")");
        }
    }

    @Override
    public void onTrainEnd(TrainingContext context) {
        if (restoreBest && bestState != null && bestEpoch != context.history().size()) {
            context.model().loadStateDict(bestState);
            context.log("restored the weights of epoch " + bestEpoch + " (" + monitor + " " + Trainer.format(best)
                    + ")");
        }
    }

    /** The best epoch so far (from 1), or -1. */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** The best monitored value so far, or NaN. */
    public double best() {
        return best;
    }

    static Map<String, Tensor> copy(Map<String, Tensor> state) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        Grad.noGrad(() -> state.forEach((name, t) -> out.put(name, t.copy())));
        return out;
    }
}
