package org.grad4j.nn.data;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.random.RandomGenerator;
import org.grad4j.core.Grad4j;
import org.grad4j.core.Tensor;

/**
 * Mini-batches of a {@link Dataset}, one epoch per {@code for} loop, as {@code torch.utils.data.DataLoader}. With
 * shuffling on, every epoch visits the samples in a new random order drawn from the loader's generator, so a seeded
 * loader gives the same sequence of epochs on every run; a loader built without a seed draws its seed from
 * {@link Grad4j#generator()}, so {@code Grad4j.manualSeed} makes it reproducible too.
 * <pre>{@code
 * var loader = new DataLoader(train, 32, true);
 * for (int epoch = 0; epoch < 20; epoch++) {
 *     for (var batch : loader) {           // reshuffled each epoch
 *         ...
 *     }
 * }
 * }</pre>
 * The {@link #builder(Dataset) builder} adds a {@link Transform} applied to each batch's features (random crops and
 * flips for images, see {@link ImageTransforms}) and background prefetching: a daemon thread prepares the next
 * batches in a bounded queue while the model trains on the current one; an exception there is rethrown by the
 * iterator; {@link #close()} stops the thread.
 * <pre>{@code
 * try (var loader = DataLoader.builder(train).batchSize(128).shuffle(true).seed(1)
 *         .transform(ImageTransforms.randomHorizontalFlip(0.5)).prefetch(2).build()) {
 *     for (var batch : loader) { ... }
 * }
 * }</pre>
 * Only one epoch of a loader runs at a time: starting a new {@code for} loop abandons the previous one.
 */
public final class DataLoader implements Iterable<TensorDataset.Batch>, AutoCloseable {
    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final RandomGenerator rng;
    private final Transform transform;
    private final RandomGenerator transformRng;
    private final int prefetch;
    private Prefetcher active;

    /** The most batches {@link Builder#prefetch(int)} may prepare ahead. */
    public static final int MAX_PREFETCH = 1024;

    /** Batches of {@code batchSize}, shuffled each epoch when {@code shuffle}, seeded from {@link Grad4j}. */
    public DataLoader(Dataset dataset, int batchSize, boolean shuffle) {
        this(dataset, batchSize, shuffle, Grad4j.generator().nextLong());
    }

    /** Batches of {@code batchSize} (the last one may be smaller), shuffled each epoch when {@code shuffle}. */
    public DataLoader(Dataset dataset, int batchSize, boolean shuffle, long seed) {
        this(dataset, batchSize, shuffle, false, new SplittableRandom(seed));
    }

    /** Full form: {@code dropLast} skips a final batch smaller than {@code batchSize}. */
    public DataLoader(Dataset dataset, int batchSize, boolean shuffle, boolean dropLast, RandomGenerator rng) {
        this(dataset, batchSize, shuffle, dropLast, rng, null, 0);
    }

    private DataLoader(Dataset dataset, int batchSize, boolean shuffle, boolean dropLast, RandomGenerator rng,
            Transform transform, int prefetch) {
        Args.notNull(dataset, "DataLoader", "dataset");
        Args.notNull(rng, "DataLoader", "rng");
        if (batchSize <= 0) {
            throw new IllegalArgumentException("DataLoader: batchSize must be positive, got " + batchSize);
        }
        if (prefetch < 0 || prefetch > MAX_PREFETCH) {
            throw new IllegalArgumentException("DataLoader: prefetch must be 0.." + MAX_PREFETCH + " batches, got "
                    + prefetch);
        }
        this.dataset = dataset;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.dropLast = dropLast;
        this.rng = rng;
        this.transform = transform;
        this.transformRng = transform == null ? null : new SplittableRandom(rng.nextLong());
        this.prefetch = prefetch;
    }

    /** A builder for the options beyond the constructors': transforms and background prefetching. */
    public static Builder builder(Dataset dataset) {
        return new Builder(Args.notNull(dataset, "DataLoader.builder", "dataset"));
    }

    /** The dataset this loader batches. */
    public Dataset dataset() {
        return dataset;
    }

    /** The number of samples per batch (the last batch of an epoch may have fewer unless dropLast). */
    public int batchSize() {
        return batchSize;
    }

    /**
     * Number of batches in one epoch. A batch size at least the dataset's size (up to {@code Integer.MAX_VALUE}, the
     * "whole set as one batch" idiom) gives one batch, or none with {@code dropLast} when the set is smaller.
     */
    public int batchesPerEpoch() {
        int n = dataset.size();
        return (int) (dropLast ? n / batchSize : (n + (long) batchSize - 1) / batchSize);
    }

    /** Number of samples one epoch visits. */
    public int samplesPerEpoch() {
        return dropLast ? (int) ((long) batchesPerEpoch() * batchSize) : dataset.size();
    }

    /** One epoch; the order is drawn when the epoch starts. */
    @Override
    public synchronized Iterator<TensorDataset.Batch> iterator() {
        int[] order = new int[dataset.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        if (shuffle) {
            shuffleInPlace(order, rng);
        }
        int batches = batchesPerEpoch();
        if (active != null) {
            active.stop();
            active = null;
        }
        if (prefetch > 0 && batches > 0) {
            active = new Prefetcher(order, batches);
            return active;
        }
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
                return load(order, next++);
            }
        };
    }

    /** Stops the background thread of the current epoch, if any. The loader may be iterated again afterwards. */
    @Override
    public synchronized void close() {
        if (active != null) {
            active.stop();
            active = null;
        }
    }

    private TensorDataset.Batch load(int[] order, int batchIndex) {
        int start = (int) ((long) batchIndex * batchSize);
        int end = (int) Math.min((long) start + batchSize, order.length);
        TensorDataset.Batch batch = dataset.batch(Arrays.copyOfRange(order, start, end));
        if (transform == null) {
            return batch;
        }
        Tensor features = transform.apply(batch.features(), transformRng);
        return new TensorDataset.Batch(features, batch.targets());
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

    /** A failure in the background thread, handed to the consumer in place of a batch. */
    private record Failure(int batchIndex, Throwable error) {
    }

    /** Prepares one epoch's batches on a daemon thread, at most {@code prefetch} ahead of the consumer. */
    private final class Prefetcher implements Iterator<TensorDataset.Batch> {
        private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(prefetch);
        private final int batches;
        private final Thread worker;
        private volatile boolean stopped;
        private int taken;

        Prefetcher(int[] order, int batches) {
            this.batches = batches;
            this.worker = new Thread(() -> {
                for (int b = 0; b < batches && !stopped; b++) {
                    Object item;
                    try {
                        item = load(order, b);
                    } catch (Throwable e) {
                        item = new Failure(b, e);
                    }
                    try {
                        queue.put(item);
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (item instanceof Failure) {
                        return;
                    }
                }
            }, "grad4j-data-prefetch");
            worker.setDaemon(true);
            worker.start();
        }

        @Override
        public boolean hasNext() {
            return taken < batches && !stopped;
        }

        @Override
        public TensorDataset.Batch next() {
            if (stopped) {
                throw new NoSuchElementException("DataLoader: this epoch was stopped (the loader was closed or a new"
                        + " epoch was started)");
            }
            if (taken >= batches) {
                throw new NoSuchElementException("DataLoader: the epoch has " + batches + " batches");
            }
            Object item;
            try {
                item = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop();
                throw new IllegalStateException("DataLoader: interrupted while waiting for batch " + taken, e);
            }
            if (item instanceof Failure failure) {
                stop();
                throw new IllegalStateException("DataLoader: preparing batch " + failure.batchIndex()
                        + " in the background failed: " + failure.error(), failure.error());
            }
            taken++;
            return (TensorDataset.Batch) item;
        }

        void stop() {
            stopped = true;
            worker.interrupt();
        }
    }

    /** Options for {@link DataLoader}; defaults: batch size 32, no shuffling, seed from {@link Grad4j}. */
    public static final class Builder {
        private final Dataset dataset;
        private int batchSize = 32;
        private boolean shuffle;
        private boolean dropLast;
        private Long seed;
        private Transform transform;
        private int prefetch;

        private Builder(Dataset dataset) {
            this.dataset = dataset;
        }

        /** Samples per batch (default 32). */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Whether each epoch visits the samples in a new random order (default false). */
        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** Whether to skip a final batch smaller than the batch size (default false). */
        public Builder dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /** The seed of the shuffling and of the transforms' randomness (default: drawn from {@link Grad4j}). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Applied to each batch's features (after batching), e.g. {@link ImageTransforms#randomCrop}. */
        public Builder transform(Transform transform) {
            this.transform = transform;
            return this;
        }

        /** Prepares up to {@code batches} batches ahead on a background daemon thread (default 0: none). */
        public Builder prefetch(int batches) {
            this.prefetch = batches;
            return this;
        }

        /** The loader. */
        public DataLoader build() {
            long s = seed != null ? seed : Grad4j.generator().nextLong();
            return new DataLoader(dataset, batchSize, shuffle, dropLast, new SplittableRandom(s), transform,
                    prefetch);
        }
    }
}
