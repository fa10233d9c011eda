package org.grad4j.train;

import java.util.ArrayList;
import java.util.List;
import org.grad4j.core.Tensor;

/**
 * Counts of (true class, predicted class) pairs, rows true and columns predicted, as scikit-learn's
 * {@code confusion_matrix}. Feed it batches of outputs ({@code [batch, classes]} scores) and class indices:
 * <pre>{@code
 * var cm = new ConfusionMatrix(10);
 * cm.update(model.forward(x), y);
 * cm.count(3, 5);       // samples of class 3 predicted as 5
 * cm.recall(3);         // correct share of class 3
 * Charts.writeConfusionMatrix(cm, classNames, Path.of("confusion.png"));
 * }</pre>
 */
public final class ConfusionMatrix {
    private final long[][] counts;

    /** An empty matrix for {@code classes} classes. */
    public ConfusionMatrix(int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("ConfusionMatrix: need at least 2 classes, got " + classes);
        }
        counts = new long[classes][classes];
    }

    /** Number of classes. */
    public int classes() {
        return counts.length;
    }

    /** Adds one batch: the highest-scoring class of each output row against the target class. */
    public void update(Tensor output, Tensor target) {
        double[][] rows = Metrics.scores("ConfusionMatrix", output);
        int width = rows.length == 0 ? 0 : rows[0].length;
        if (width != counts.length && !(width == 2 && counts.length == 2)) {
            throw new IllegalArgumentException("ConfusionMatrix: built for " + counts.length + " classes, the output"
                    + " has " + width + " columns");
        }
        int[] labels = Metrics.classIndices("ConfusionMatrix", target, rows.length, counts.length);
        for (int i = 0; i < rows.length; i++) {
            int best = 0;
            for (int c = 1; c < rows[i].length; c++) {
                if (rows[i][c] > rows[i][best]) best = c;
            }
            counts[labels[i]][best]++;
        }
    }

    /** Samples of class {@code actual} predicted as {@code predicted}. */
    public long count(int actual, int predicted) {
        return counts[actual][predicted];
    }

    /** Number of samples counted. */
    public long total() {
        long n = 0;
        for (long[] row : counts) for (long c : row) n += c;
        return n;
    }

    /** Share of all samples on the diagonal; NaN when empty. */
    public double accuracy() {
        long diagonal = 0;
        for (int i = 0; i < counts.length; i++) diagonal += counts[i][i];
        long n = total();
        return n == 0 ? Double.NaN : (double) diagonal / n;
    }

    /** Share of class {@code c}'s samples predicted as {@code c}; NaN when the class has none. */
    public double recall(int c) {
        long row = 0;
        for (long v : counts[c]) row += v;
        return row == 0 ? Double.NaN : (double) counts[c][c] / row;
    }

    /** Share of the predictions of class {@code c} that are right; NaN when {@code c} was never predicted. */
    public double precision(int c) {
        long column = 0;
        for (long[] row : counts) column += row[c];
        return column == 0 ? Double.NaN : (double) counts[c][c] / column;
    }

    /** A copy of the counts, {@code [actual][predicted]}. */
    public long[][] counts() {
        long[][] copy = new long[counts.length][];
        for (int i = 0; i < counts.length; i++) copy[i] = counts[i].clone();
        return copy;
    }

    /** The matrix as text, one row per true class. */
    @Override
    public String toString() {
        List<String> lines = new ArrayList<>();
        int width = 1;
        for (long[] row : counts) for (long c : row) width = Math.max(width, Long.toString(c).length());
        for (long[] row : counts) {
            StringBuilder line = new StringBuilder();
            for (long c : row) line.append(String.format("%" + (width + 1) + "d", c));
            lines.add(line.toString());
        }
        return "ConfusionMatrix (rows: true class, columns: predicted)\n" + String.join("\n", lines);
    }
}
