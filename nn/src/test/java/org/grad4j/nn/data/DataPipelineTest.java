package org.grad4j.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;

/** The Dataset interface, prefetching, stratified splits, min-max scaling and the image transforms. */
class DataPipelineTest {

    private static TensorDataset numbered(int n) {
        Tensor ids = Tensor.arange(0, n, 1, DType.FLOAT64);
        return new TensorDataset(Tensor.stack(1, ids, ids.mul(10)), ids);
    }

    private static List<double[]> epochs(DataLoader loader, int count) {
        List<double[]> out = new ArrayList<>();
        for (int e = 0; e < count; e++) {
            for (TensorDataset.Batch b : loader) out.add(b.features().toDoubleArray());
        }
        return out;
    }

    @Test
    void aUserDatasetIsBatchedByStackingSamples() {
        Dataset squares = new Dataset() {
            public int size() {
                return 5;
            }

            public Sample get(int i) {
                return new Sample(Tensor.of(new double[] {i, -i}), Tensor.scalar(i * i, DType.FLOAT64));
            }
        };
        List<Double> targets = new ArrayList<>();
        for (TensorDataset.Batch b : new DataLoader(squares, 2, false, 0)) {
            assertEquals(2, b.features().dim());
            for (double t : b.targets().toDoubleArray()) targets.add(t);
        }
        assertEquals(List.of(0.0, 1.0, 4.0, 9.0, 16.0), targets);
        assertThrows(IndexOutOfBoundsException.class, () -> squares.batch(new int[] {5}));
    }

    @Test
    void prefetchingGivesTheSameBatchesAsLoadingInline() {
        Transform noisy = (x, rng) -> x.add(rng.nextDouble());
        try (DataLoader plain = DataLoader.builder(numbered(23)).batchSize(4).shuffle(true).seed(5)
                        .transform(noisy).build();
                DataLoader prefetched = DataLoader.builder(numbered(23)).batchSize(4).shuffle(true).seed(5)
                        .transform(noisy).prefetch(2).build()) {
            List<double[]> a = epochs(plain, 3);
            List<double[]> b = epochs(prefetched, 3);
            assertEquals(a.size(), b.size());
            for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i), b.get(i), 0);
        }
    }

    @Test
    void aFailureInTheBackgroundReachesTheConsumer() {
        Transform failing = (x, rng) -> {
            if (x.toDoubleArray()[0] >= 8) throw new IllegalStateException("bad sample");
            return x;
        };
        try (DataLoader loader = DataLoader.builder(numbered(12)).batchSize(4).transform(failing).prefetch(1)
                .build()) {
            var it = loader.iterator();
            it.next();
            it.next();
            IllegalStateException e = assertThrows(IllegalStateException.class, it::next);
            assertTrue(e.getMessage().contains("batch 2") && e.getCause().getMessage().equals("bad sample"),
                    e.getMessage());
        }
    }

    @Test
    void closingStopsTheBackgroundThread() throws InterruptedException {
        DataLoader loader = DataLoader.builder(numbered(100)).batchSize(1).prefetch(2).build();
        var it = loader.iterator();
        it.next();
        loader.close();
        assertFalse(it.hasNext());
        for (int i = 0; i < 100 && prefetchThreads() > 0; i++) Thread.sleep(10);
        assertEquals(0, prefetchThreads());
    }

    private static long prefetchThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("grad4j-data-prefetch") && t.isAlive()).count();
    }

    @Test
    void stratifiedSplitsKeepClassProportions() {
        float[] labels = new float[100];
        for (int i = 0; i < 100; i++) labels[i] = i < 80 ? 0 : 1;     // 80 of class 0, 20 of class 1
        TensorDataset data = new TensorDataset(Tensor.arange(0, 100, 1, DType.FLOAT32).reshape(100, 1),
                Tensor.of(labels, 100));
        List<TensorDataset> parts = Splits.stratified(data, new double[] {0.75, 0.25}, 3);
        assertEquals(75, parts.get(0).size());
        assertEquals(25, parts.get(1).size());
        assertEquals(15, parts.get(0).targets().sum().item(), 0);     // 20 * 0.75 of class 1
        assertEquals(5, parts.get(1).targets().sum().item(), 0);
        java.util.Set<Float> seen = new java.util.HashSet<>();
        for (TensorDataset p : parts) for (float f : p.features().toFloatArray()) assertTrue(seen.add(f));
        assertEquals(100, seen.size());
        assertThrows(IllegalArgumentException.class, () -> Splits.stratified(data, new double[] {0.5, 0.4}, 1));
    }

    @Test
    void minMaxScalerMapsTrainingColumnsToTheRange() {
        Tensor train = Tensor.of(new double[][] {{1, 5, 2}, {3, 5, 6}, {2, 5, 4}});
        MinMaxScaler scale = MinMaxScaler.fit(train);
        assertArrayEquals(new double[] {0, 0, 0, 1, 0, 1, 0.5, 0, 0.5}, scale.transform(train).toDoubleArray(),
                1e-12);
        Tensor test = Tensor.of(new double[][] {{5, 7, 0}});
        assertArrayEquals(new double[] {2, 0, -0.5}, scale.transform(test).toDoubleArray(), 1e-12);
        MinMaxScaler pm = MinMaxScaler.fit(train, -1, 1);
        assertArrayEquals(new double[] {-1, -1, -1}, pm.transform(Tensor.of(new double[][] {{1, 5, 2}}))
                .toDoubleArray(), 1e-12);
    }

    @Test
    void imageTransformsAgainstHandResults() {
        Tensor image = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 1, 2, 3);            // [1, 2, 3]
        SplittableRandom rng = new SplittableRandom(0);
        assertArrayEquals(new double[] {3, 2, 1, 6, 5, 4},
                ImageTransforms.randomHorizontalFlip(1).apply(image, rng).toDoubleArray());
        assertArrayEquals(image.toDoubleArray(),
                ImageTransforms.randomHorizontalFlip(0).apply(image, rng).toDoubleArray());
        Tensor square = Tensor.of(new double[] {1, 2, 3, 4}, 1, 2, 2);
        assertArrayEquals(square.toDoubleArray(), ImageTransforms.randomCrop(2, 0).apply(square, rng).toDoubleArray(),
                "a full-size crop is the image");
        assertArrayEquals(new double[] {0.5, 1.5, 2.5, 3.5, 4.5, 5.5}, ImageTransforms.normalize(new double[] {0.5},
                new double[] {1}).apply(image, rng).toDoubleArray(), 1e-12);
        Tensor rgb = Tensor.ones(DType.FLOAT32, 2, 3, 4, 4);
        Tensor normed = ImageTransforms.normalize(new double[] {0, 1, 0.5}, new double[] {1, 1, 0.5}).apply(rgb, rng);
        assertArrayEquals(new double[] {1, 0, 1}, new double[] {normed.get(0, 0, 0, 0), normed.get(1, 1, 3, 3),
                normed.get(0, 2, 1, 1)}, 1e-6);
    }

    @Test
    void randomCropWithPaddingShiftsTheImageAndIsSeeded() {
        double[] values = new double[16];
        for (int i = 0; i < 16; i++) values[i] = i + 1;
        Tensor batch = Tensor.of(values, 1, 4, 4).expand(50, 4, 4).contiguous();
        Transform crop = ImageTransforms.randomCrop(4, 1);
        Tensor a = crop.apply(batch, new SplittableRandom(9));
        Tensor b = crop.apply(batch, new SplittableRandom(9));
        assertArrayEquals(a.toDoubleArray(), b.toDoubleArray(), "same seed, same crops");
        assertArrayEquals(new int[] {50, 4, 4}, a.shape());
        int shifted = 0;
        double[] out = a.toDoubleArray();
        for (int i = 0; i < 50; i++) {
            double sum = 0;
            for (int k = 0; k < 16; k++) sum += out[i * 16 + k];
            assertTrue(sum <= 136, "a crop only loses pixels to the zero padding");
            if (sum < 136) shifted++;
        }
        assertTrue(shifted > 30, "most of 50 crops of 9 possible offsets are shifted, got " + shifted);
        assertNotEquals(0, shifted);
        assertThrows(IllegalArgumentException.class, () -> crop.apply(Tensor.ones(4, 16), new SplittableRandom(1)));
    }

    @Test
    void nullsAndOverflowingSizesAreExplained() {
        for (org.junit.jupiter.api.function.Executable call : List.<org.junit.jupiter.api.function.Executable>of(
                () -> new DataLoader(null, 1, false, 0),
                () -> DataLoader.builder(null),
                () -> Idx.read(null),
                () -> Mnist.load(null, true),
                () -> Csv.reader().read(null),
                () -> Splits.stratified(null, new double[] {1}, 0),
                () -> MinMaxScaler.fit(null),
                () -> ImageTransforms.normalize(null, new double[] {1}),
                () -> new TensorDataset(null, Tensor.ones(2)),
                () -> DataLoader.builder(numbered(3)).prefetch(Integer.MAX_VALUE).build())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
            assertTrue(e.getMessage().contains("null") || e.getMessage().contains("prefetch"), e.getMessage());
        }
        DataLoader huge = new DataLoader(numbered(5), Integer.MAX_VALUE, false, 0);
        assertEquals(1, huge.batchesPerEpoch());
        assertEquals(5, huge.iterator().next().size());
    }
}
