package org.grad4j.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;

/** Mini-batching with per-epoch shuffling, splits, normalisation fitted on train, early stopping. */
class DataTest {

    /** Row i holds features [i, 10 i] and target i, so every batch says which samples it holds. */
    private static TensorDataset numbered(int n) {
        Tensor ids = Tensor.arange(0, n, 1, DType.FLOAT64);
        return new TensorDataset(Tensor.stack(1, ids, ids.mul(10)), ids);
    }

    private static List<Integer> epoch(DataLoader loader) {
        List<Integer> seen = new ArrayList<>();
        for (TensorDataset.Batch b : loader) {
            double[] f = b.features().toDoubleArray();
            double[] t = b.targets().toDoubleArray();
            for (int i = 0; i < b.size(); i++) {
                assertEquals(t[i] * 10, f[2 * i + 1], 0, "features and targets stay paired");
                seen.add((int) t[i]);
            }
        }
        return seen;
    }

    @Test
    void everyEpochVisitsEachSampleOnceInANewOrder() {
        DataLoader loader = new DataLoader(numbered(10), 3, true, 1);
        assertEquals(4, loader.batchesPerEpoch());
        List<Integer> first = epoch(loader);
        List<Integer> second = epoch(loader);
        assertEquals(10, first.size());
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), first.stream().sorted().toList());
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), second.stream().sorted().toList());
        assertFalse(first.equals(second), "reshuffled each epoch");
        assertEquals(first, epoch(new DataLoader(numbered(10), 3, true, 1)), "reproducible from the seed");
    }

    @Test
    void withoutShufflingBatchesKeepTheOrderAndDropLastDropsTheRemainder() {
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6), epoch(new DataLoader(numbered(7), 2, false, 0)));
        DataLoader dropping = new DataLoader(numbered(7), 2, false, true, new java.util.SplittableRandom(0));
        assertEquals(3, dropping.batchesPerEpoch());
        assertEquals(List.of(0, 1, 2, 3, 4, 5), epoch(dropping));
        assertThrows(IllegalArgumentException.class, () -> new DataLoader(numbered(3), 0, false, 0));
    }

    @Test
    void splitsAreDisjointCoverEverythingAndHaveTheRequestedSizes() {
        List<TensorDataset> parts = Splits.random(numbered(101), new double[] {0.7, 0.15, 0.15}, 3);
        int[] sizes = parts.stream().mapToInt(TensorDataset::size).toArray();
        assertEquals(101, Arrays.stream(sizes).sum());
        assertEquals(71, sizes[0]);
        List<Integer> all = new ArrayList<>();
        for (TensorDataset p : parts) {
            for (double t : p.targets().toDoubleArray()) all.add((int) t);
        }
        assertEquals(101, all.stream().distinct().count());
        assertThrows(IllegalArgumentException.class, () -> Splits.random(numbered(5), new double[] {0.5, 0.6}, 1));
    }

    @Test
    void standardizerUsesTrainingStatisticsOnly() {
        Tensor train = Tensor.of(new double[][] {{1, 5}, {3, 5}, {5, 5}});
        Standardizer s = Standardizer.fit(train);
        Tensor t = s.transform(train);
        assertArrayEquals(new double[] {0, 0}, t.mean(0).toDoubleArray(), 1e-12);
        assertEquals(1, t.select(1, 0).var(new int[0], 0, false).item(), 1e-12);
        assertArrayEquals(new double[] {0, 0, 0}, t.select(1, 1).toDoubleArray(), 0, "constant column: centred");
        Tensor test = Tensor.of(new double[][] {{3 + Math.sqrt(8.0 / 3), 6}});
        assertArrayEquals(new double[] {1, 1}, s.transform(test).toDoubleArray(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> s.transform(Tensor.zeros(DType.FLOAT64, 1, 3)));
    }

    @Test
    void earlyStoppingWaitsPatienceEpochsAfterTheBest() {
        EarlyStopping stopper = new EarlyStopping(2, 0.01);
        assertTrue(stopper.improved(1.0));
        assertTrue(stopper.improved(0.5));
        assertFalse(stopper.improved(0.495), "not better by more than minDelta");
        assertFalse(stopper.shouldStop());
        assertFalse(stopper.improved(0.6));
        assertTrue(stopper.shouldStop());
        assertEquals(1, stopper.bestEpoch());
        assertEquals(0.5, stopper.bestLoss(), 0);
        assertThrows(IllegalArgumentException.class, () -> stopper.improved(Double.NaN));
    }

    /** uint8 pixels and int64 labels, as a real image dataset holds them, batch and train without conversions. */
    @Test
    void integerFeaturesAndInt64LabelsFlowThroughLoaderStandardizerAndLoss() {
        byte[] pixels = new byte[12];
        long[] labels = new long[6];
        for (int i = 0; i < 6; i++) {
            pixels[2 * i] = (byte) (40 * i);
            pixels[2 * i + 1] = (byte) (255 - 10 * i);
            labels[i] = i % 3;
        }
        TensorDataset data = new TensorDataset(Tensor.of(pixels, 6, 2), Tensor.of(labels));
        Standardizer standardizer = Standardizer.fit(data.features());
        int batches = 0;
        for (TensorDataset.Batch b : new DataLoader(data, 4, true, 3)) {
            assertEquals(DType.UINT8, b.features().dtype());
            assertEquals(DType.INT64, b.targets().dtype());
            Tensor x = standardizer.transform(b.features());
            assertEquals(DType.FLOAT32, x.dtype());
            Tensor logits = x.matmul(Tensor.ones(2, 3));
            double loss = org.grad4j.nn.Losses.crossEntropy(logits, b.targets()).item();
            assertEquals(Math.log(3), loss, 1e-6, "equal logits give log(classes)");
            batches++;
        }
        assertEquals(2, batches);
        double[] column = standardizer.transform(data.features()).select(1, 0).toDoubleArray();
        assertEquals(0, Arrays.stream(column).sum(), 1e-5, "fitted on the uint8 values themselves");
    }

    @Test
    void mismatchedRowsAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new TensorDataset(Tensor.zeros(3, 2), Tensor.zeros(4)));
    }
}
