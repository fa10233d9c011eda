package org.grad4j.spark;

/**
 * What one epoch reports on the driver.
 *
 * @param epoch      the epoch (from 0)
 * @param trainLoss  the mean of the epoch's step losses
 * @param validation the evaluation on the validation data, or null when none was given
 * @param millis     the epoch's wall-clock time, evaluation included
 */
public record EpochMetrics(long epoch, double trainLoss, Evaluation validation, double millis) {
}
