package org.grad4j.nn.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Mini-batches of a {@link TensorDataset}, one epoch per {@code for} loop. With shuffling on, every epoch visits
 * the samples in a new random order drawn from the loader's generator, so a seeded loader gives the same sequence
 * of epochs on every run.
 * <pre>{@code
 * var loader = new DataLoader(train, 32, true, 42);
 * for (int epoch = 0; epoch < 20; epoch++) {
 *     for (var batch : loader) {           // reshuffled each epoch
 *         ...
 *     }
 * }
 * }</pre>
 */
public final class DataLoader implements Iterable<TensorDataset.Batch> {
    private final TensorDataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final RandomGenerator rng;

    /** Batches of {@code batchSize} (the last one may be smaller), shuffled each epoch when {@code shuffle}. */
    public DataLoader(TensorDataset dataset, int batchSize, boolean shuffle, long seed) {
        this(dataset, batchSize, shuffle, false, new SplittableRandom(seed));
    }

    /** Full form: {@code dropLast} skips a final batch smaller than {@code batchSize}. */
    public DataLoader(TensorDataset dataset, int batchSize, boolean shuffle, boolean dropLast, RandomGenerator rng) {
        Args.notNull(dataset, "DataLoader", "dataset");
        Args.notNull(rng, "DataLoader", "rng (the random generator; pass new SplittableRandom(seed))");
        if (batchSize <= 0) {
            throw new IllegalArgumentException("DataLoader: batchSize must be positive, got " + batchSize);
        }
        this.dataset = dataset;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.dropLast = dropLast;
        this.rng = rng;
    }

    /**
     * Number of batches in one epoch. A batch size at least the dataset's size (up to {@code Integer.MAX_VALUE}, the
     * "whole set as one batch" idiom) gives one batch, or none with {@code dropLast} when the set is smaller.
     */
    public int batchesPerEpoch() {
        long n = dataset.size();
        return (int) (dropLast ? n / batchSize : (n + batchSize - 1) / batchSize);   // long: no overflow near MAX
    }

    /** One epoch; the order is drawn when the epoch starts. */
    @Override
    public Iterator<TensorDataset.Batch> iterator() {
        int[] order = new int[dataset.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        if (shuffle) {
            shuffleInPlace(order, rng);
        }
        int batches = batchesPerEpoch();
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < batches;
            }

            @Override
            public TensorDataset.Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("DataLoader: the epoch has " + batches + " batches");
                }
                int start = (int) ((long) next++ * batchSize);
                int end = (int) Math.min((long) start + batchSize, order.length);
                return dataset.batch(java.util.Arrays.copyOfRange(order, start, end));
            }
        };
    }

    /** Fisher-Yates: every permutation equally likely. */
    static void shuffleInPlace(int[] values, RandomGenerator rng) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
    }
}
