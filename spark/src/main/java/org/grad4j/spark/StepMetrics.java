package org.grad4j.spark;

/**
 * What one synchronous step reports on the driver.
 *
 * @param step     the number of steps done after this one (1 after the first step)
 * @param epoch    the epoch the step belonged to (from 0)
 * @param loss     the mean loss over the step's global batch, before the update
 * @param examples the examples the step used (the global batch size; times the local steps with local steps)
 * @param millis   the step's wall-clock time on the driver
 */
public record StepMetrics(long step, long epoch, double loss, long examples, double millis) {
}
