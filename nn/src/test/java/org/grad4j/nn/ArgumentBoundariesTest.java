package org.grad4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.grad4j.core.DType;
import org.grad4j.core.Grad;
import org.grad4j.core.Tensor;
import org.grad4j.nn.data.MinMaxScaler;
import org.grad4j.nn.data.TensorDataset;
import org.junit.jupiter.api.Test;

/**
 * The smallest accepted and the first refused value of each layer's and function's settings, the accessors that
 * return parameters, and values at the exact thresholds (an embedding row whose norm equals maxNorm, a dropout draw
 * equal to p), each derived by hand.
 */
class ArgumentBoundariesTest {

    @Test
    void embeddingSizesAndPaddingIndex() {
        assertThrows(IllegalArgumentException.class, () -> new Embedding(0, 2));
        assertThrows(IllegalArgumentException.class, () -> new Embedding(2, 0));
        assertArrayEquals(new int[] {1, 1}, new Embedding(1, 1).weight().shape());
        assertThrows(IllegalArgumentException.class,
                () -> new Embedding(3, 2, 3, Double.NaN, DType.FLOAT64, new SplittableRandom(1)));
        Embedding last = new Embedding(3, 2, 2, Double.NaN, DType.FLOAT64, new SplittableRandom(1));
        assertArrayEquals(new double[] {0, 0}, last.weight().select(0, 2).toDoubleArray());
        Embedding first = new Embedding(3, 2, 0, Double.NaN, DType.FLOAT64, new SplittableRandom(1));
        assertArrayEquals(new double[] {0, 0}, first.weight().select(0, 0).toDoubleArray(), "paddingIdx 0 is a row");
        // the padding row gets no gradient, the others do
        Tensor out = first.forward(Tensor.of(new long[] {0, 1, 0}, 3));
        out.sum().backward();
        assertArrayEquals(new double[] {0, 0, 1, 1, 0, 0}, first.weight().grad().toDoubleArray());
        assertThrows(IllegalArgumentException.class, () -> new EmbeddingBag(0, 2));
        assertThrows(IllegalArgumentException.class, () -> new EmbeddingBag(2, 0));
        new EmbeddingBag(1, 1);
    }

    @Test
    void embeddingMaxNormRescalesOnlyLongerRows() {
        Embedding e = new Embedding(2, 2, -1, 5.0, DType.FLOAT64, new SplittableRandom(1));
        Grad.noGrad(() -> e.weight().copyFrom(Tensor.of(new double[] {3, 4, 6, 8}, 2, 2)));
        e.forward(Tensor.of(new long[] {0, 1}, 2));
        assertArrayEquals(new double[] {3, 4}, e.weight().select(0, 0).toDoubleArray(), 0.0, "norm 5 = maxNorm");
        double scale = 5 / (10 + 1e-7);
        assertArrayEquals(new double[] {6 * scale, 8 * scale}, e.weight().select(0, 1).toDoubleArray(), 1e-15,
                "norm 10: scaled to maxNorm / (norm + 1e-7), as torch.embedding_renorm_");
    }

    @Test
    void normalisationLayerSettings() {
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(0));
        new BatchNorm1d(1);
        new BatchNorm1d(2, 0, 0.0, true, true, DType.FLOAT32);
        new BatchNorm1d(2, 1e-5, 1.0, true, true, DType.FLOAT32);
        for (double momentum : new double[] {-0.01, 1.01}) {
            assertThrows(IllegalArgumentException.class,
                    () -> new BatchNorm1d(2, 1e-5, momentum, true, true, DType.FLOAT32));
        }
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(2, -1e-9, 0.1, true, true, DType.FLOAT32));
        BatchNorm2d bn = new BatchNorm2d(3);
        assertSame(bn.namedParameters().get("weight"), bn.weight());
        assertSame(bn.namedParameters().get("bias"), bn.bias());
        assertThrows(IllegalArgumentException.class, () -> new GroupNorm(0, 4));
        assertThrows(IllegalArgumentException.class, () -> new GroupNorm(2, 0));
        assertThrows(IllegalArgumentException.class, () -> new GroupNorm(3, 4));
        GroupNorm gn = new GroupNorm(4, 4);
        assertSame(gn.namedParameters().get("weight"), gn.weight());
        assertSame(gn.namedParameters().get("bias"), gn.bias());
        assertArrayEquals(new int[] {2, 4}, gn.forward(Tensor.ones(2, 4)).shape(), "[N, C] is accepted");
        assertThrows(IllegalArgumentException.class, () -> gn.forward(Tensor.ones(4)));
        assertThrows(IllegalArgumentException.class, () -> gn.forward(Tensor.ones(2, 3)));
        new GroupNorm(1, 1);
    }

    @Test
    void linearAllowsZeroFeatures() {
        Linear empty = new Linear(0, 2, true, DType.FLOAT64, new SplittableRandom(1));
        assertArrayEquals(new double[] {0, 0}, empty.forward(Tensor.zeros(DType.FLOAT64, 1, 0)).toDoubleArray(),
                "no inputs: the output is the bias, which starts at 0 (bound 0)");
        new Linear(2, 0, true, DType.FLOAT64, new SplittableRandom(1));
        assertThrows(IllegalArgumentException.class, () -> new Linear(-1, 2, true, DType.FLOAT64,
                new SplittableRandom(1)));
        assertThrows(IllegalArgumentException.class, () -> new Linear(2, -1, true, DType.FLOAT64,
                new SplittableRandom(1)));
        Linear one = new Linear(1, 1, true, DType.FLOAT64, new SplittableRandom(2));
        double bound = 1;   // 1 / sqrt(1)
        double w = one.weight().item();
        assertTrue(Math.abs(w) <= bound && w != 0, "weight " + w);
    }

    @Test
    void datasetIndicesAtTheEnds() {
        TensorDataset data = new TensorDataset(Tensor.of(new double[] {10, 20, 30}, 3, 1), Tensor.of(
                new double[] {1, 2, 3}, 3));
        assertEquals(30, data.get(2).features().item());
        assertEquals(3, data.get(2).target().item());
        assertEquals(10, data.get(0).features().item());
        assertThrows(IndexOutOfBoundsException.class, () -> data.get(3));
        assertThrows(IndexOutOfBoundsException.class, () -> data.get(-1));
        assertArrayEquals(new double[] {30, 10}, data.batch(new int[] {2, 0}).features().toDoubleArray());
        assertThrows(IllegalArgumentException.class, () -> data.batch(new int[] {3}));
        assertThrows(IllegalArgumentException.class, () -> data.batch(new int[] {-1}));
        assertArrayEquals(new double[] {5, 6, 7}, data.withFeatures(Tensor.of(new double[] {5, 6, 7}, 3, 1))
                .features().toDoubleArray());
    }

    @Test
    void minMaxScalerRangeEnds() {
        Tensor train = Tensor.of(new double[][] {{1, 10}, {3, 30}});
        assertThrows(IllegalArgumentException.class, () -> MinMaxScaler.fit(train, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> MinMaxScaler.fit(Tensor.zeros(DType.FLOAT64, 0, 2)));
        MinMaxScaler s = MinMaxScaler.fit(train, -2, 4);
        assertArrayEquals(new double[] {-2, -2, 4, 4}, s.transform(train).toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {1, 10}, s.min().toDoubleArray());
        assertArrayEquals(new double[] {1, 1}, MinMaxScaler.fit(train, 0, 1).transform(Tensor.of(new double[][] {
            {3, 30}})).toDoubleArray(), 1e-12);
    }

    /** nextDouble returns the scripted values in turn. */
    private static RandomGenerator draws(double... values) {
        return new RandomGenerator() {
            int next;

            @Override
            public double nextDouble() {
                return values[next++];
            }

            @Override
            public long nextLong() {
                throw new AssertionError();
            }
        };
    }

    @Test
    void activationThresholds() {
        Tensor x = Tensor.of(new double[] {1, 2, 3}, 3);
        // an element is kept when its draw is >= p (kept with probability 1 - p), so a draw equal to p keeps it
        assertArrayEquals(new double[] {2, 0, 6}, Activations.dropout(x, 0.5, true, draws(0.5, 0.25, 0.75))
                .toDoubleArray(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Activations.softplus(x, 0, 20));
        assertArrayEquals(new double[] {0.5, 0.5, 0.5}, Activations.hardtanh(x, 0.5, 0.5).toDoubleArray(),
                "min = max is allowed");
        Tensor y = Tensor.of(new double[] {-1, 2, -3, 4, -5, 6}, 2, 3);
        assertArrayEquals(new double[] {-0.25, 2, -0.75, 4, -1.25, 6},
                Activations.prelu(y, Tensor.of(new double[] {0.25}, 1)).toDoubleArray(), 1e-12,
                "one weight for every channel");
        assertArrayEquals(new double[] {Math.expm1(-1), 2, Math.expm1(-3), 4, Math.expm1(-5), 6},
                Activations.elu(y).toDoubleArray(), 1e-12);
    }

    @Test
    void modulesReturnThemselvesAndResults() {
        Linear l = new Linear(2, 2);
        assertSame(l, l.train());
        assertSame(l, l.eval());
        Module.LoadResult r = l.loadStateDict(l.stateDict());
        assertEquals(List.of(), r.missingKeys());
        assertEquals(List.of(), r.unexpectedKeys());
        ModuleList list = new ModuleList(List.of(new ReLU(), new Tanh()));
        assertEquals(2, list.size());
    }
}
