package org.grad4j.train;

import java.util.Arrays;
import org.grad4j.core.ShapeMismatchException;
import org.grad4j.core.Tensor;

/**
 * The usual metrics: classification {@link #accuracy()} and {@link #topK(int)}, regression {@link #mae()} and
 * {@link #rmse()}. Classification metrics take logits or probabilities {@code [batch, classes]} and class indices
 * {@code [batch]}; a single output column ({@code [batch]} or {@code [batch, 1]}) is a binary classifier's logit,
 * predicted positive when above 0. Regression metrics take outputs and targets with the same number of elements.
 * <pre>{@code
 * Trainer.builder(model, optimizer, new CrossEntropyLoss()).metrics(Metrics.accuracy(), Metrics.topK(3))...
 * }</pre>
 */
public final class Metrics {
    private Metrics() {
    }

    /** Fraction of samples whose highest-scoring class is the target ({@code "accuracy"}). */
    public static Metric accuracy() {
        return new TopK(1, "accuracy");
    }

    /** Fraction of samples whose target is among the {@code k} highest-scoring classes ({@code "top<k>"}). */
    public static Metric topK(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("Metrics.topK: k must be >= 1, got " + k);
        }
        return new TopK(k, "top" + k);
    }

    /** Mean absolute error over all elements ({@code "mae"}). */
    public static Metric mae() {
        return new Regression(false);
    }

    /** Root of the mean squared error over all elements ({@code "rmse"}). */
    public static Metric rmse() {
        return new Regression(true);
    }

    /** Class indices of a 1-d target, checked to be whole numbers in range. */
    static int[] classIndices(String who, Tensor target, int rows, int classes) {
        if (target.numel() != rows) {
            throw new ShapeMismatchException(who + ": expects one class index per sample, got targets of shape "
                    + Arrays.toString(target.shape()) + " for " + rows + " samples");
        }
        double[] t = target.toDoubleArray();
        int[] out = new int[t.length];
        int limit = Math.max(classes, 2);
        for (int i = 0; i < t.length; i++) {
            if (t[i] != Math.rint(t[i]) || t[i] < 0 || t[i] >= limit) {
                throw new IllegalArgumentException(who + ": target " + i + " is " + t[i] + ", expected a class index"
                        + " in 0.." + (limit - 1));
            }
            out[i] = (int) t[i];
        }
        return out;
    }

    /** Scores as {@code [rows][classes]} rows, or for one column, binary: {@code {-x, x}} so argmax is x > 0. */
    static double[][] scores(String who, Tensor output) {
        int[] shape = output.shape();
        double[] v = output.toDoubleArray();
        if (shape.length == 1 || (shape.length == 2 && shape[1] == 1)) {
            double[][] rows = new double[shape[0]][];
            for (int i = 0; i < rows.length; i++) rows[i] = new double[] {0, v[i]};
            return rows;
        }
        if (shape.length != 2) {
            throw new ShapeMismatchException(who + ": expects outputs [batch, classes] (or [batch] for a binary"
                    + " classifier), got shape " + Arrays.toString(shape));
        }
        double[][] rows = new double[shape[0]][shape[1]];
        for (int i = 0; i < shape[0]; i++) System.arraycopy(v, i * shape[1], rows[i], 0, shape[1]);
        return rows;
    }

    private static final class TopK implements Metric {
        private final int k;
        private final String name;
        private long correct;
        private long total;

        TopK(int k, String name) {
            this.k = k;
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void reset() {
            correct = 0;
            total = 0;
        }

        @Override
        public void update(Tensor output, Tensor target) {
            double[][] rows = scores(name, output);
            int[] labels = classIndices(name, target, rows.length, rows.length == 0 ? 0 : rows[0].length);
            for (int i = 0; i < rows.length; i++) {
                double own = rows[i][labels[i]];
                int better = 0;
                for (int c = 0; c < rows[i].length; c++) {
                    // ties with lower indices rank first, as argmax's "first on ties"
                    if (rows[i][c] > own || (rows[i][c] == own && c < labels[i])) better++;
                }
                if (better < k) correct++;
            }
            total += rows.length;
        }

        @Override
        public double result() {
            return total == 0 ? Double.NaN : (double) correct / total;
        }
    }

    private static final class Regression implements Metric {
        private final boolean squared;
        private double sum;
        private long count;

        Regression(boolean squared) {
            this.squared = squared;
        }

        @Override
        public String name() {
            return squared ? "rmse" : "mae";
        }

        @Override
        public void reset() {
            sum = 0;
            count = 0;
        }

        @Override
        public void update(Tensor output, Tensor target) {
            if (output.numel() != target.numel()) {
                throw new ShapeMismatchException(name() + ": output " + Arrays.toString(output.shape())
                        + " and target " + Arrays.toString(target.shape()) + " have different numbers of elements");
            }
            double[] o = output.toDoubleArray();
            double[] t = target.toDoubleArray();
            for (int i = 0; i < o.length; i++) {
                double d = o[i] - t[i];
                sum += squared ? d * d : Math.abs(d);
            }
            count += o.length;
        }

        @Override
        public double result() {
            if (count == 0) return Double.NaN;
            return squared ? Math.sqrt(sum / count) : sum / count;
        }

        @Override
        public boolean higherIsBetter() {
            return false;
        }
    }
}
