package org.grad4j.spark;

/**
 * The model's loss (and accuracy, for class labels) over a whole distributed data set.
 *
 * @param loss     the mean loss per example
 * @param accuracy the fraction of examples whose arg-max output is the label ({@link Labels#CLASS_INDEX}), else NaN
 * @param examples the number of examples
 */
public record Evaluation(double loss, double accuracy, long examples) {
}
