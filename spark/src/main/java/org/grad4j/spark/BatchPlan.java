package org.grad4j.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Which examples each partition draws at each step: a pure function of the partition sizes, the global batch size
 * and the seed, so a re-run task draws the same examples and a resumed run continues where it stopped.
 *
 * <p>The global batch of {@code B} examples is split over the partitions in proportion to their sizes (largest
 * remainder, ties to the lower partition): partition {@code p} contributes {@link #share(int) share(p)} examples to
 * every step. Each epoch, every partition shuffles its own examples with a generator seeded by (seed, epoch,
 * partition) and hands them out {@code share(p)} at a time; an epoch has {@link #stepsPerEpoch()} steps (the
 * examples left over at an epoch's end are skipped that epoch, as a data loader's {@code dropLast}). The data
 * position of a run is therefore just its step count.
 *
 * <pre>{@code
 * BatchPlan plan = new BatchPlan(new long[] {50, 50}, 10, 42);
 * int[] rows = plan.indices(1, 7);   // the 5 rows of partition 1 that step 7 uses
 * }</pre>
 */
public final class BatchPlan implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long[] partitionSizes;
    private final int batchSize;
    private final long seed;
    private final int[] shares;
    private final long stepsPerEpoch;
    private transient volatile Order cached;

    private record Order(long epoch, int partition, int[] permutation) {
    }

    /**
     * @param partitionSizes the number of examples in each partition
     * @param batchSize      the global batch size, at most the number of examples
     * @param seed           the seed of the shuffles
     */
    public BatchPlan(long[] partitionSizes, int batchSize, long seed) {
        if (partitionSizes.length == 0) {
            throw new IllegalArgumentException("BatchPlan: the data has no partitions");
        }
        long total = 0;
        for (long n : partitionSizes) {
            if (n < 0 || n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("BatchPlan: a partition has " + n + " examples; a partition holds"
                        + " 0 to " + (Integer.MAX_VALUE - 8) + " (repartition the data into more partitions)");
            }
            total += n;
        }
        if (batchSize < 1 || batchSize > total) {
            throw new IllegalArgumentException("BatchPlan: batch size " + batchSize + " must be between 1 and the"
                    + " number of examples, " + total);
        }
        this.partitionSizes = partitionSizes.clone();
        this.batchSize = batchSize;
        this.seed = seed;
        this.shares = apportion(partitionSizes, total, batchSize);
        long steps = Long.MAX_VALUE;
        for (int p = 0; p < shares.length; p++) {
            if (shares[p] > 0) {
                steps = Math.min(steps, partitionSizes[p] / shares[p]);
            }
        }
        this.stepsPerEpoch = steps;
    }

    private static int[] apportion(long[] sizes, long total, int batchSize) {
        int[] shares = new int[sizes.length];
        double[] remainders = new double[sizes.length];
        int given = 0;
        for (int p = 0; p < sizes.length; p++) {
            double quota = (double) batchSize * sizes[p] / total;
            shares[p] = (int) Math.floor(quota);
            remainders[p] = quota - shares[p];
            given += shares[p];
        }
        while (given < batchSize) {
            int best = -1;
            for (int p = 0; p < sizes.length; p++) {
                if (shares[p] < sizes[p] && (best < 0 || remainders[p] > remainders[best])) {
                    best = p;
                }
            }
            shares[best]++;
            remainders[best] = -1;
            given++;
        }
        return shares;
    }

    /** The number of partitions. */
    public int partitions() {
        return partitionSizes.length;
    }

    /** The number of examples in partition {@code p}. */
    public long partitionSize(int p) {
        return partitionSizes[p];
    }

    /** The partition sizes (a copy). */
    public long[] partitionSizes() {
        return partitionSizes.clone();
    }

    /** The global batch size. */
    public int batchSize() {
        return batchSize;
    }

    /** The seed. */
    public long seed() {
        return seed;
    }

    /** How many examples partition {@code p} contributes to every step. */
    public int share(int p) {
        return shares[p];
    }

    /** The number of steps in one epoch. */
    public long stepsPerEpoch() {
        return stepsPerEpoch;
    }

    /** The epoch that step {@code step} (counted from 0) belongs to. */
    public long epochOf(long step) {
        return step / stepsPerEpoch;
    }

    /**
     * The rows that partition {@code p} uses at step {@code step}, in draw order: indices into the partition's
     * examples sorted by {@link Example#CONTENT_ORDER}.
     */
    public int[] indices(int p, long step) {
        if (p < 0 || p >= partitionSizes.length) {
            throw new IllegalArgumentException("BatchPlan.indices: partition " + p + " out of range [0, "
                    + partitionSizes.length + ")");
        }
        if (step < 0) {
            throw new IllegalArgumentException("BatchPlan.indices: step " + step + " is negative");
        }
        int share = shares[p];
        if (share == 0) {
            return new int[0];
        }
        long epoch = step / stepsPerEpoch;
        int[] perm = permutation(p, epoch);
        int from = (int) ((step % stepsPerEpoch) * share);
        return Arrays.copyOfRange(perm, from, from + share);
    }

    private int[] permutation(int p, long epoch) {
        Order order = cached;
        if (order != null && order.epoch == epoch && order.partition == p) {
            return order.permutation;
        }
        int n = (int) partitionSizes[p];
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(mix(mix(seed, epoch), p));
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        cached = new Order(epoch, p, perm);
        return perm;
    }

    private static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public String toString() {
        return "BatchPlan(partitions=" + partitionSizes.length + ", batchSize=" + batchSize + ", shares="
                + Arrays.toString(shares) + ", stepsPerEpoch=" + stepsPerEpoch + ", seed=" + seed + ")";
    }
}
