package org.grad4j.nn.data;

import java.util.ArrayList;
import java.util.List;
import org.grad4j.core.Tensor;

/**
 * Samples a {@link DataLoader} can batch, as {@code torch.utils.data.Dataset}: a size and the sample at an index.
 * Implement it for data that is not one tensor in memory (files read lazily, samples generated on the fly):
 * <pre>{@code
 * Dataset squares = new Dataset() {
 *     public int size() { return 1000; }
 *     public Sample get(int i) {
 *         return new Sample(Tensor.of(new float[] {i}), Tensor.of(new float[] {i * i}));
 *     }
 * };
 * for (var batch : new DataLoader(squares, 32, true)) { ... }   // batch.features() is [32, 1]
 * }</pre>
 * {@link #batch(int[])} stacks samples by default; {@link TensorDataset} overrides it with one gather.
 */
public interface Dataset {
    /** Number of samples. */
    int size();

    /** The sample at {@code index}, in {@code [0, size())}. */
    Sample get(int index);

    /**
     * The samples at the given indices, stacked along a new first dim. All samples must have the same shapes.
     */
    default TensorDataset.Batch batch(int[] indices) {
        Args.notNull(indices, "Dataset.batch", "indices");
        if (indices.length == 0) {
            throw new IllegalArgumentException("Dataset.batch: no indices (a batch needs at least one sample)");
        }
        List<Tensor> features = new ArrayList<>(indices.length);
        List<Tensor> targets = new ArrayList<>(indices.length);
        for (int i : indices) {
            if (i < 0 || i >= size()) {
                throw new IndexOutOfBoundsException("Dataset: index " + i + " is out of range for " + size()
                        + " samples");
            }
            Sample s = get(i);
            features.add(s.features());
            targets.add(s.target());
        }
        return new TensorDataset.Batch(Tensor.stack(features, 0), Tensor.stack(targets, 0));
    }

    /**
     * One sample: its features and its target (a class index as a 0-d tensor, a vector of regression targets...).
     *
     * @param features the input of the model for this sample
     * @param target what the model should predict for it
     */
    record Sample(Tensor features, Tensor target) {
    }
}
