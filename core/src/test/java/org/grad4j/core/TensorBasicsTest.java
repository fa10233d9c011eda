package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Creation, read-out, reproducible randomness, printing, and the numerically delicate compositions. */
class TensorBasicsTest {

    @Test
    void creationHelpers() {
        assertArrayEquals(new float[] {0, 1, 2}, Tensor.arange(3).toFloatArray());
        assertArrayEquals(new double[] {1, 1.5, 2}, Tensor.arange(1, 2.5, 0.5, DType.FLOAT64).toDoubleArray());
        assertArrayEquals(new float[] {1, 0, 0, 1}, Tensor.eye(2).toFloatArray());
        assertArrayEquals(new float[] {7, 7}, Tensor.full(7, 2).toFloatArray());
        assertEquals(DType.FLOAT64, Tensor.ones(DType.FLOAT64, 2).dtype());
        assertEquals(0, Tensor.scalar(3).dim());
        assertEquals(3, Tensor.scalar(3).item(), 0);
        assertArrayEquals(new float[] {0, 1, 0, 0, 0, 1}, Tensor.oneHot(new int[] {1, 2}, 3, DType.FLOAT32).toFloatArray());
        Tensor scalar = Tensor.scalar(2.5, DType.FLOAT64);
        Tensor roundTrip = Tensor.ofShape(scalar.toDoubleArray(), scalar.shape());
        assertEquals(0, roundTrip.dim());
        assertEquals(2.5, roundTrip.item(), 0);
        assertArrayEquals(new int[] {1}, Tensor.of(new float[] {1}).shape(), "of(data) without a shape is 1-d");
    }

    @Test
    void readOutArraysAreCopiesTheCallerMayModify() {
        Tensor t = Tensor.of(new float[] {1, 2, 3});
        t.toFloatArray()[0] = 99;
        t.toDoubleArray()[1] = 99;
        t.to(DType.FLOAT64).toDoubleArray()[2] = 99;
        assertArrayEquals(new float[] {1, 2, 3}, t.toFloatArray());
    }

    @Test
    void float32UniformValuesStayBelowOne() {
        java.util.random.RandomGenerator nearlyOne = new java.util.random.RandomGenerator() {
            @Override
            public long nextLong() {
                return -1L;                       // every draw at the top of the range
            }
        };
        for (float v : Tensor.rand(nearlyOne, DType.FLOAT32, 4).toFloatArray()) {
            assertTrue(v < 1f, "rand must be in [0, 1), got " + v);
        }
    }

    @Test
    void randomTensorsAreReproducibleFromTheSeed() {
        assertArrayEquals(Tensor.randn(42, 5).toFloatArray(), Tensor.randn(42, 5).toFloatArray());
        assertTrue(!java.util.Arrays.equals(Tensor.randn(42, 5).toFloatArray(), Tensor.randn(43, 5).toFloatArray()));
        double[] u = Tensor.rand(new SplittableRandom(1), DType.FLOAT64, 1000).toDoubleArray();
        for (double v : u) assertTrue(v >= 0 && v < 1);
        double mean = Tensor.randn(new SplittableRandom(2), DType.FLOAT64, 20000).mean().item();
        assertEquals(0, mean, 0.03);
    }

    @Test
    void printsLikePyTorch() {
        assertEquals("tensor([1., 2., 3.])", Tensor.of(new float[] {1, 2, 3}).toString());
        assertEquals("tensor([[0.1500, 0.2000],\n        [0.2500, 0.3000]], dtype=float64)",
                Tensor.of(new double[][] {{0.15, 0.2}, {0.25, 0.3}}).toString());
        assertEquals("tensor(0.5000, requires_grad=true)", Tensor.scalar(0.5).requiresGrad(true).toString());
        assertEquals("tensor([1.0000e-05, 1.0000e+02])", Tensor.of(new float[] {1e-5f, 100}).toString());
        Tensor x = Tensor.scalar(2).requiresGrad(true);
        assertEquals("tensor(4., grad_fn=<mul>)", x.mul(x).toString());
        String big = Tensor.zeros(100, 100).toString();
        assertTrue(big.contains("...") && big.contains("shape=[100, 100]") && big.length() < 500, big);
        assertEquals("tensor([nan, inf])", Tensor.of(new float[] {Float.NaN, Float.POSITIVE_INFINITY}).toString());
    }

    @Test
    void sigmoidAndSoftmaxAreStableAtTheExtremes() {
        Tensor x = Tensor.of(new double[] {-1000, -300, 0, 300, 1000}).requiresGrad(true);
        assertArrayEquals(new double[] {0, 0, 0.5, 1, 1}, x.sigmoid().toDoubleArray(), 1e-120);
        x.sigmoid().sum().backward();
        for (double g : x.grad().toDoubleArray()) assertTrue(Double.isFinite(g));
        Tensor f = Tensor.of(new float[] {-300, 300});
        assertArrayEquals(new float[] {0, 1}, f.sigmoid().toFloatArray());

        Tensor logits = Tensor.of(new double[] {1000, 0, -1000}).requiresGrad(true);
        assertArrayEquals(new double[] {1, 0, 0}, logits.softmax(0).toDoubleArray(), 1e-300);
        Tensor logSoftmax = logits.logSoftmax(0);
        assertArrayEquals(new double[] {0, -1000, -2000}, logSoftmax.toDoubleArray(), 1e-9);
        assertEquals(1000, logits.logSumExp(0, false).item(), 1e-9);
        logSoftmax.select(0, 1).backward();
        for (double g : logits.grad().toDoubleArray()) assertTrue(Double.isFinite(g));
    }

    @Test
    void reductionsAndArgmax() {
        Tensor m = Tensor.of(new double[][] {{1, 5, 3}, {4, 2, 6}});
        assertArrayEquals(new double[] {5, 7, 9}, m.sum(0).toDoubleArray());
        assertArrayEquals(new double[] {3, 4}, m.mean(1).toDoubleArray());
        assertArrayEquals(new int[] {2, 1}, m.amax(new int[] {1}, true).shape());
        assertArrayEquals(new double[] {1, 2}, m.argmax(1, false).toDoubleArray());
        assertEquals(5, m.argmax().item(), 0);
        assertEquals(1, m.min().item(), 0);
        assertEquals(3.5, m.var().item(), 1e-12);
        assertEquals(35.0 / 12, m.var(new int[0], 0, false).item(), 1e-12);
    }

    @Test
    void tiedMaximaShareTheGradientLikeAmax() {
        Tensor x = Tensor.of(new double[] {3, 1, 3}).requiresGrad(true);
        x.max().backward();
        assertArrayEquals(new double[] {0.5, 0, 0.5}, x.grad().toDoubleArray());
    }

    @Test
    void gatherPicksClassScoresByLabel() {
        Tensor logits = Tensor.of(new double[][] {{0.1, 0.7, 0.2}, {0.5, 0.3, 0.2}}).requiresGrad(true);
        Tensor labels = Tensor.of(new long[] {1, 0});
        Tensor picked = logits.gather(1, labels.unsqueeze(1));
        assertArrayEquals(new double[] {0.7, 0.5}, picked.toDoubleArray());
        picked.sum().backward();
        assertArrayEquals(new double[] {0, 1, 0, 1, 0, 0}, logits.grad().toDoubleArray());
        assertArrayEquals(new double[] {0, 1, 0, 1, 0, 0},
                Tensor.oneHot(labels, 3).toDoubleArray());
        assertArrayEquals(new double[] {0.5, 0.3, 0.2, 0.5, 0.3, 0.2},
                logits.indexSelect(0, 1, 1).toDoubleArray());
    }

    @Test
    void matmulFollowsTorchRulesForVectorsAndBatches() {
        Tensor v = Tensor.of(new double[] {1, 2});
        Tensor m = Tensor.of(new double[][] {{1, 2}, {3, 4}});
        assertEquals(5, v.matmul(v).item(), 0);
        assertArrayEquals(new double[] {5, 11}, m.matmul(v).toDoubleArray());
        assertArrayEquals(new double[] {7, 10}, v.matmul(m).toDoubleArray());
        Tensor batch = Tensor.stack(0, m, m.mul(2));
        Tensor out = batch.matmul(m);
        assertArrayEquals(new int[] {2, 2, 2}, out.shape());
        assertArrayEquals(new double[] {7, 10, 15, 22, 14, 20, 30, 44}, out.toDoubleArray());
    }

    @Test
    void comparisonMasksAndWhere() {
        Tensor x = Tensor.of(new float[] {-1, 0, 2});
        assertArrayEquals(new float[] {0, 0, 1}, x.gt(0).toFloatArray());
        assertArrayEquals(new float[] {1, 1, 0}, x.le(0).toFloatArray());
        assertArrayEquals(new float[] {10, 10, 2}, Tensor.where(x.gt(0), x, Tensor.scalar(10)).toFloatArray());
        assertArrayEquals(new float[] {0, 0, 2}, x.clamp(0, 5).toFloatArray());
        Tensor doubles = Tensor.of(new double[] {5, 6, 7});
        assertArrayEquals(new double[] {0, 0, 7}, Tensor.where(x.gt(0), doubles, doubles.zerosLike()).toDoubleArray(),
                "a float32 mask selects between float64 values");
    }

    @Test
    void fullKeepsTheSignOfNegativeZeroAsPyTorch() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor t = Tensor.full(-0.0, dtype, 3);
            for (double v : t.toDoubleArray()) {
                assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(v), dtype + ": -0.0 kept");
            }
            assertEquals(Double.doubleToRawLongBits(0.0),
                    Double.doubleToRawLongBits(Tensor.full(0.0, dtype, 1).item()), dtype + ": +0.0 stays +0.0");
        }
    }
}
