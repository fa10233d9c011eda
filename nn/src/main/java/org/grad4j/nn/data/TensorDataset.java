package org.grad4j.nn.data;

import java.util.Arrays;
import org.grad4j.core.ShapeMismatchException;
import org.grad4j.core.Tensor;

/**
 * Samples stored as rows: {@code features[i]} and {@code targets[i]} belong together (as
 * {@code torch.utils.data.TensorDataset}).
 * <pre>{@code
 * var data = new TensorDataset(x, labels);             // x [n, 64], labels [n]
 * Batch first = data.batch(new int[] {0, 1, 2});      // rows 0..2 of both
 * }</pre>
 */
public final class TensorDataset implements Dataset {
    private final Tensor features;
    private final Tensor targets;

    /** Rows of {@code features} paired with rows of {@code targets}; both need the same size in dim 0. */
    public TensorDataset(Tensor features, Tensor targets) {
        Args.notNull(features, "TensorDataset", "features");
        Args.notNull(targets, "TensorDataset", "targets");
        if (features.dim() == 0 || targets.dim() == 0 || features.size(0) != targets.size(0)) {
            throw new ShapeMismatchException("TensorDataset: features " + Arrays.toString(features.shape())
                    + " and targets " + Arrays.toString(targets.shape()) + " must have the same number of rows"
                    + " (dimension 0)");
        }
        this.features = features;
        this.targets = targets;
    }

    /** Number of samples. */
    @Override
    public int size() {
        return features.size(0);
    }

    /** All features, {@code [samples, ...]}. */
    public Tensor features() {
        return features;
    }

    /** All targets, {@code [samples, ...]}. */
    public Tensor targets() {
        return targets;
    }

    /** Row {@code index} of the features and of the targets. */
    @Override
    public Sample get(int index) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException("TensorDataset: index " + index + " is out of range for " + size()
                    + " samples");
        }
        return new Sample(features.select(0, index), targets.select(0, index));
    }

    /** The samples at the given row indices, in that order. */
    @Override
    public Batch batch(int[] rows) {
        Args.notNull(rows, "TensorDataset.batch", "rows");
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] < 0 || rows[i] >= size()) {
                throw new IllegalArgumentException("TensorDataset.batch: row " + rows[i] + " (position " + i
                        + ") is out of range for " + size() + " samples");
            }
        }
        return new Batch(features.indexSelect(0, rows), targets.indexSelect(0, rows));
    }

    /** The samples at the given row indices as a dataset of their own (a copy). */
    public TensorDataset subset(int[] rows) {
        Batch b = batch(rows);
        return new TensorDataset(b.features(), b.targets());
    }

    /** The same targets with features replaced, e.g. after normalisation. */
    public TensorDataset withFeatures(Tensor newFeatures) {
        Args.notNull(newFeatures, "TensorDataset.withFeatures", "newFeatures");
        return new TensorDataset(newFeatures, targets);
    }

    /**
     * One mini-batch: features and targets of the same rows.
     *
     * @param features {@code [batch, ...]}
     * @param targets {@code [batch, ...]}
     */
    public record Batch(Tensor features, Tensor targets) {
        /** Number of samples in the batch. */
        public int size() {
            return features.size(0);
        }
    }
}
