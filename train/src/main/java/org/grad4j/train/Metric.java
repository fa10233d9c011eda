package org.grad4j.train;

import org.grad4j.core.Tensor;

/**
 * A quantity accumulated over the batches of an epoch, e.g. accuracy. The {@link Trainer} calls {@link #reset()},
 * then {@link #update} once per batch with the model's output and the targets (detached, never recording), then
 * {@link #result()}; once for the training pass and once for validation (there reported as {@code val_<name>}).
 * Implementations: {@link Metrics}. A custom one:
 * <pre>{@code
 * Metric meanOutput = new Metric() {
 *     double sum; long n;
 *     public String name() { return "mean_output"; }
 *     public void reset() { sum = 0; n = 0; }
 *     public void update(Tensor output, Tensor target) { sum += output.sum().item(); n += output.numel(); }
 *     public double result() { return sum / n; }
 * };
 * }</pre>
 */
public interface Metric {
    /** The name in the history and the progress lines, e.g. {@code "accuracy"}. */
    String name();

    /** Forgets everything accumulated, before an epoch's pass. */
    void reset();

    /** Accumulates one batch: {@code output} as the model produced it, {@code target} as the loader gave it. */
    void update(Tensor output, Tensor target);

    /** The value over everything accumulated since {@link #reset()}; NaN before any update. */
    double result();

    /** Whether larger values are better (accuracy) or smaller ones (errors); decides what "best" means. */
    default boolean higherIsBetter() {
        return true;
    }
}
