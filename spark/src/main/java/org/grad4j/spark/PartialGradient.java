package org.grad4j.spark;

import java.io.Serializable;

/**
 * What one partition contributes to a step: its gradient weighted by its share of the global batch, so the
 * partitions' contributions add up to the gradient of the mean loss over the global batch; likewise the loss.
 */
final class PartialGradient implements Serializable {
    private static final long serialVersionUID = 1L;

    final double[] vector;
    double loss;
    long examples;

    PartialGradient(double[] vector, double loss, long examples) {
        this.vector = vector;
        this.loss = loss;
        this.examples = examples;
    }

    /** Adds {@code other} into this one (both were made by tasks, so neither is shared) and returns this. */
    static PartialGradient sum(PartialGradient a, PartialGradient b) {
        if (a.vector == null) {
            return b;
        }
        if (b.vector != null) {
            double[] x = a.vector;
            double[] y = b.vector;
            for (int i = 0; i < x.length; i++) {
                x[i] += y[i];
            }
        }
        a.loss += b.loss;
        a.examples += b.examples;
        return a;
    }
}
