package org.grad4j.spark;

/** Progress callbacks, called on the driver after every step and at the end of every epoch. */
public interface TrainingListener {
    /** After each step. */
    default void onStep(StepMetrics metrics) {
    }

    /** After each epoch (and its validation, when there is one). */
    default void onEpoch(EpochMetrics metrics) {
    }
}
