package org.grad4j.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.random.RandomGenerator;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * {@link DataLoader}'s epoch arithmetic, the shuffle's exact permutation for scripted draws (derived by hand), the
 * batch boundaries with and without {@code dropLast}, and the end of an epoch with and without prefetching.
 */
class DataLoaderContractTest {

    /** Samples 0..n-1, the feature of sample i is i. */
    private static TensorDataset numbered(int n) {
        Tensor ids = Tensor.arange(0, n, 1, DType.FLOAT64);
        return new TensorDataset(ids.reshape(n, 1), ids);
    }

    /** Every nextInt returns {@code value} (clamped to the bound) and records the bound; nextLong is fixed. */
    private static final class Fixed implements RandomGenerator {
        final int value;
        final List<Integer> bounds = new ArrayList<>();

        Fixed(int value) {
            this.value = value;
        }

        @Override
        public int nextInt(int bound) {
            bounds.add(bound);
            return Math.min(value, bound - 1);
        }

        @Override
        public long nextLong() {
            return 42;
        }
    }

    private static List<Double> order(DataLoader loader) {
        List<Double> out = new ArrayList<>();
        for (TensorDataset.Batch b : loader) {
            for (double d : b.targets().toDoubleArray()) out.add(d);
        }
        return out;
    }

    @Test
    void theShuffleIsFisherYatesFromTheEnd() {
        // draws always 0: swap(3, 0) -> 3 1 2 0, swap(2, 0) -> 2 1 3 0, swap(1, 0) -> 1 2 3 0
        Fixed zeros = new Fixed(0);
        DataLoader loader = new DataLoader(numbered(4), 4, true, false, zeros);
        assertEquals(List.of(1.0, 2.0, 3.0, 0.0), order(loader));
        assertEquals(List.of(4, 3, 2), zeros.bounds, "one draw from i + 1 positions for i = n - 1 .. 1");
        // draws always the largest: every swap is with itself
        Fixed last = new Fixed(Integer.MAX_VALUE);
        assertEquals(List.of(0.0, 1.0, 2.0, 3.0, 4.0), order(new DataLoader(numbered(5), 2, true, false, last)));
        int[] values = {10, 20, 30};
        DataLoader.shuffleInPlace(values, new Fixed(1));   // swap(2, 1) -> 10 30 20, swap(1, 1)
        assertArrayEquals(new int[] {10, 30, 20}, values);
        Fixed unused = new Fixed(0);
        assertEquals(List.of(0.0, 1.0, 2.0), order(new DataLoader(numbered(3), 2, false, false, unused)));
        assertEquals(List.of(), unused.bounds, "no shuffle, no draws");
    }

    @Test
    void batchesCoverTheEpochWithAShortLastBatchUnlessDropped() {
        DataLoader keep = new DataLoader(numbered(7), 3, false, false, new Fixed(0));
        assertEquals(3, keep.batchesPerEpoch());
        assertEquals(7, keep.samplesPerEpoch());
        List<Integer> sizes = new ArrayList<>();
        for (TensorDataset.Batch b : keep) sizes.add(b.size());
        assertEquals(List.of(3, 3, 1), sizes);
        DataLoader drop = new DataLoader(numbered(7), 3, false, true, new Fixed(0));
        assertEquals(2, drop.batchesPerEpoch());
        assertEquals(6, drop.samplesPerEpoch());
        assertEquals(List.of(0.0, 1.0, 2.0, 3.0, 4.0, 5.0), order(drop));
        DataLoader exact = new DataLoader(numbered(6), 3, false, true, new Fixed(0));
        assertEquals(2, exact.batchesPerEpoch());
        assertEquals(2, new DataLoader(numbered(6), 3, false, false, new Fixed(0)).batchesPerEpoch());
        DataLoader tooFew = new DataLoader(numbered(2), 3, false, true, new Fixed(0));
        assertEquals(0, tooFew.batchesPerEpoch());
        assertEquals(0, tooFew.samplesPerEpoch());
        assertFalse(tooFew.iterator().hasNext());
        assertEquals(1, new DataLoader(numbered(2), 3, false, false, new Fixed(0)).batchesPerEpoch());
        DataLoader whole = new DataLoader(numbered(5), Integer.MAX_VALUE, false, true, new Fixed(0));
        assertEquals(0, whole.batchesPerEpoch(), "dropLast with a batch larger than the set: no batch");
        assertEquals(1, new DataLoader(numbered(5), Integer.MAX_VALUE - 1, false, false, new Fixed(0))
                .batchesPerEpoch());
    }

    @Test
    void anEpochEndsWithNoSuchElementException() {
        for (int prefetch : new int[] {0, 1, 3}) {
            try (DataLoader loader = DataLoader.builder(numbered(5)).batchSize(2).prefetch(prefetch).build()) {
                Iterator<TensorDataset.Batch> it = loader.iterator();
                List<Integer> sizes = new ArrayList<>();
                while (it.hasNext()) sizes.add(it.next().size());
                assertEquals(List.of(2, 2, 1), sizes, "prefetch " + prefetch);
                NoSuchElementException e = assertThrows(NoSuchElementException.class, it::next);
                assertEquals("DataLoader: the epoch has 3 batches", e.getMessage());
            }
        }
    }

    @Test
    void aNewEpochStopsThePrefetchingOfTheOldOne() {
        try (DataLoader loader = DataLoader.builder(numbered(6)).batchSize(1).prefetch(2).build()) {
            Iterator<TensorDataset.Batch> first = loader.iterator();
            assertEquals(0.0, first.next().targets().item());
            Iterator<TensorDataset.Batch> second = loader.iterator();
            assertFalse(first.hasNext());
            NoSuchElementException e = assertThrows(NoSuchElementException.class, first::next);
            assertTrue(e.getMessage().startsWith("DataLoader: this epoch was stopped"), e.getMessage());
            List<Double> all = new ArrayList<>();
            while (second.hasNext()) all.add(second.next().targets().item());
            assertEquals(List.of(0.0, 1.0, 2.0, 3.0, 4.0, 5.0), all);
        }
    }

    @Test
    void settingsAreCheckedAndKept() {
        TensorDataset data = numbered(4);
        assertEquals("DataLoader: batchSize must be positive, got 0", assertThrows(IllegalArgumentException.class,
                () -> new DataLoader(data, 0, false, 1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DataLoader(data, -3, false, 1));
        assertEquals("DataLoader: prefetch must be 0..1024 batches, got -1", assertThrows(
                IllegalArgumentException.class, () -> DataLoader.builder(data).prefetch(-1).build()).getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> DataLoader.builder(data).prefetch(DataLoader.MAX_PREFETCH + 1).build());
        try (DataLoader most = DataLoader.builder(data).prefetch(DataLoader.MAX_PREFETCH).batchSize(1).build()) {
            assertEquals(4, order(most).size());
        }
        new DataLoader(data, 1, false, 1);
        DataLoader defaults = DataLoader.builder(numbered(70)).build();
        assertEquals(32, defaults.batchSize(), "PyTorch's default is 1; the builder's is 32");
        assertSame(data, new DataLoader(data, 2, true).dataset());
        assertEquals(List.of(0.0, 1.0, 2.0, 3.0), order(DataLoader.builder(data).batchSize(3).build()),
                "the builder does not shuffle unless asked");
        assertEquals(2, DataLoader.builder(data).batchSize(3).build().batchesPerEpoch());
        assertEquals(1, DataLoader.builder(data).batchSize(3).dropLast(true).build().batchesPerEpoch());
    }

    @Test
    void theTransformGetsItsOwnGeneratorSeededFromTheLoaders() {
        List<Long> seen = new ArrayList<>();
        Transform record = (x, rng) -> {
            seen.add(rng.nextLong());
            return x.mul(2);
        };
        DataLoader a = DataLoader.builder(numbered(4)).batchSize(2).seed(9).transform(record).build();
        List<Double> doubled = new ArrayList<>();
        for (TensorDataset.Batch b : a) {
            for (double d : b.features().toDoubleArray()) doubled.add(d);
            assertArrayEquals(new int[] {2}, b.targets().shape());
        }
        assertEquals(List.of(0.0, 2.0, 4.0, 6.0), doubled);
        List<Long> firstRun = List.copyOf(seen);
        seen.clear();
        for (TensorDataset.Batch b : DataLoader.builder(numbered(4)).batchSize(2).seed(9).transform(record).build()) {
            assertEquals(2, b.size());
        }
        assertEquals(firstRun, seen, "same seed, same transform draws");
        assertEquals(2, firstRun.size());
        assertTrue(!firstRun.get(0).equals(firstRun.get(1)), "one generator, advancing");
    }
}
