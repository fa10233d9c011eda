package org.grad4j.nn;

/** How a loss combines per-element (or per-sample) values, as PyTorch's {@code reduction} argument. */
public enum Reduction {
    /** The average (a weighted average where the loss has class weights); the default. */
    MEAN,
    /** The sum. */
    SUM,
    /** No reduction: one value per element (per sample for class losses). */
    NONE
}
