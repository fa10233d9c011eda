package org.grad4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.grad4j.core.DType;
import org.grad4j.core.DTypeMismatchException;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;

/** Train/eval behaviour, state dict names, defaults and error messages of the convolution and normalisation layers. */
class LayerBehaviourTest {

    @Test
    void stateDictNamesAndShapesArePyTorchs() {
        assertEquals("[weight, bias]", new Conv2d(3, 8, 3).stateDict().keySet().toString());
        assertArrayEquals(new int[] {8, 1, 3, 3}, new Conv2d(4, 8, 3, ConvOptions.create().groups(4)).weight().shape());
        assertArrayEquals(new int[] {4, 2, 2, 2}, new ConvTranspose2d(4, 4, 2, ConvOptions.create().groups(2))
                .weight().shape());
        assertEquals("[weight, bias, running_mean, running_var, num_batches_tracked]",
                new BatchNorm2d(3).stateDict().keySet().toString());
        assertEquals("[weight, bias]", new BatchNorm2d(3).namedParameters().keySet().toString());
        assertEquals("[weight]", new RMSNorm(4).stateDict().keySet().toString());
        assertEquals("[]", new BatchNorm1d(3, 1e-5, 0.1, false, false, DType.FLOAT32).stateDict().keySet().toString());
    }

    @Test
    void convolutionInitialisationIsBoundedByOneOverSqrtFanIn() {
        Conv2d conv = new Conv2d(4, 6, 3, ConvOptions.create().groups(2).rng(new SplittableRandom(3)));
        double bound = 1 / Math.sqrt(2 * 9);
        double max = conv.weight().abs().max().item();
        assertTrue(max <= bound && max > 0.8 * bound, "max |w| " + max + " vs bound " + bound);
        assertTrue(conv.bias().abs().max().item() <= bound);
    }

    @Test
    void batchNormUsesBatchStatisticsInTrainingAndRunningOnesInEval() {
        BatchNorm1d bn = new BatchNorm1d(2, 0, 0.5, false, true, DType.FLOAT64);
        Tensor x = Tensor.of(new double[][] {{1, 10}, {3, 30}});
        // training: per feature (x - mean) / sqrt(biased var): mean (2, 20), var (1, 100)
        assertArrayEquals(new double[] {-1, -1, 1, 1}, bn.forward(x).toDoubleArray(), 1e-12);
        // running = 0.5 * initial + 0.5 * batch (unbiased var: 2, 200)
        assertArrayEquals(new double[] {1, 10}, bn.runningMean().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {1.5, 100.5}, bn.runningVar().toDoubleArray(), 1e-12);
        bn.eval();
        Tensor y = bn.forward(Tensor.of(new double[][] {{1, 10}}));
        assertArrayEquals(new double[] {0, 0}, y.toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {1, 10}, bn.runningMean().toDoubleArray(), 1e-12);
    }

    @Test
    void batchNormRefusesOneValuePerChannelInTraining() {
        BatchNorm1d bn = new BatchNorm1d(3);
        var e = assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.zeros(1, 3)));
        assertTrue(e.getMessage().contains("more than 1 value per channel"), e.getMessage());
        bn.eval();
        assertArrayEquals(new int[] {1, 3}, bn.forward(Tensor.zeros(1, 3)).shape());
        var c = assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.zeros(2, 4)));
        assertTrue(c.getMessage().contains("C = 3"), c.getMessage());
    }

    @Test
    void dropout2dZeroesWholeChannelsOnlyInTraining() {
        Dropout2d drop = new Dropout2d(0.5, new SplittableRandom(1));
        Tensor x = Tensor.ones(DType.FLOAT64, 4, 8, 3, 3);
        Tensor y = drop.forward(x);
        for (int n = 0; n < 4; n++) {
            for (int c = 0; c < 8; c++) {
                Tensor plane = y.select(0, n).select(0, c);
                double first = plane.get(0, 0);
                assertTrue(first == 0 || first == 2);
                assertEquals(first * 9, plane.sum().item(), 0);
            }
        }
        drop.eval();
        assertSame(x, drop.forward(x));
    }

    @Test
    void sameAndValidOutputSizes() {
        Tensor x = Tensor.zeros(2, 3, 9, 8);
        assertArrayEquals(new int[] {2, 5, 9, 8}, new Conv2d(3, 5, 4, ConvOptions.create().paddingSame().dilation(2))
                .forward(x).shape());
        assertArrayEquals(new int[] {2, 5, 4, 3}, new Conv2d(3, 5, 3, ConvOptions.create().stride(2)).forward(x)
                .shape());
        assertArrayEquals(new int[] {3, 5, 9, 8}, new Conv2d(3, 5, 3, ConvOptions.create().padding(1))
                .forward(x.select(0, 0)).unsqueeze(0).expand(3, 5, 9, 8).shape());
        assertArrayEquals(new int[] {2, 3, 18, 16}, new ConvTranspose2d(3, 3, 2, ConvOptions.create().stride(2))
                .forward(x).shape());
        assertArrayEquals(new int[] {2, 3, 1, 1}, new AdaptiveAvgPool2d(1, 1).forward(x).shape());
    }

    @Test
    void layersExplainBadInput() {
        Conv2d conv = new Conv2d(3, 4, 3);
        var e = assertThrows(IllegalArgumentException.class, () -> conv.forward(Tensor.zeros(1, 2, 5, 5)));
        assertTrue(e.getMessage().contains("[N, 3, ...]") && e.getMessage().contains("[1, 2, 5, 5]"), e.getMessage());
        var d = assertThrows(IllegalArgumentException.class,
                () -> conv.forward(Tensor.zeros(DType.FLOAT64, 1, 3, 5, 5)));
        assertTrue(d.getMessage().contains("to(DType.FLOAT32)"), d.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Conv2d(3, 4, 3, ConvOptions.create().groups(2)));
        assertThrows(IllegalArgumentException.class,
                () -> new Conv2d(3, 4, 3, ConvOptions.create().paddingSame().stride(2)));
        assertThrows(IllegalArgumentException.class, () -> Functional.pad(Tensor.zeros(2, 3), new int[] {3, 0},
                PaddingMode.REFLECT, 0));
        assertThrows(IllegalArgumentException.class, () -> new GroupNorm(3, 4));
        var l = assertThrows(IllegalArgumentException.class, () -> new LayerNorm(4).forward(Tensor.zeros(2, 5)));
        assertTrue(l.getMessage().contains("normalizedShape [4]"), l.getMessage());
    }

    @Test
    void paddingModesMatchTheirDefinitions() {
        Tensor x = Tensor.of(new double[] {1, 2, 3});
        assertArrayEquals(new double[] {3, 2, 1, 2, 3, 2, 1}, Functional.pad(x, new int[] {2, 2}, PaddingMode.REFLECT,
                0).toDoubleArray());
        assertArrayEquals(new double[] {1, 1, 1, 2, 3, 3, 3}, Functional.pad(x, new int[] {2, 2},
                PaddingMode.REPLICATE, 0).toDoubleArray());
        assertArrayEquals(new double[] {2, 3, 1, 2, 3, 1, 2}, Functional.pad(x, new int[] {2, 2},
                PaddingMode.CIRCULAR, 0).toDoubleArray());
        assertArrayEquals(new double[] {7, 1, 2, 3, 7, 7}, Functional.pad(x, new int[] {1, 2}, PaddingMode.ZEROS, 7)
                .toDoubleArray());
        assertArrayEquals(new double[] {2}, Functional.pad(x, new int[] {-1, -1}, PaddingMode.ZEROS, 0)
                .toDoubleArray());
    }

    @Test
    void rmsNormMatchesItsDefinition() {
        Tensor x = Tensor.of(new double[][] {{3, 4}});
        double rms = Math.sqrt((9 + 16) / 2.0 + 1e-6);
        assertArrayEquals(new double[] {3 / rms, 4 / rms}, new RMSNorm(new int[] {2}, 1e-6, true, DType.FLOAT64)
                .forward(x).toDoubleArray(), 1e-12);
    }

    @Test
    void aLeNetShapedStackTrainsOnAToyProblem() {
        var rng = new SplittableRandom(4);
        Sequential net = new Sequential(new Conv2d(1, 4, 3, ConvOptions.create().padding(1).rng(rng)),
                new BatchNorm2d(4), new ReLU(), new MaxPool2d(2), new Flatten(),
                new Linear(4 * 4 * 4, 2, true, DType.FLOAT32, rng));
        // class 1: a bright top half; class 0: a bright bottom half
        int n = 32;
        float[] data = new float[n * 64];
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            for (int p = 0; p < 64; p++) {
                boolean top = p < 32;
                data[i * 64 + p] = (float) ((top == (i % 2 == 1) ? 1 : 0) + 0.3 * rng.nextGaussian());
            }
        }
        Tensor x = Tensor.of(data, n, 1, 8, 8);
        Tensor y = Tensor.of(labels, n).to(DType.INT64);
        double first = 0;
        double last = 0;
        for (int step = 0; step < 30; step++) {
            Tensor loss = Losses.crossEntropy(net.forward(x), y);
            if (step == 0) first = loss.item();
            last = loss.item();
            net.zeroGrad();
            loss.backward();
            try (var off = org.grad4j.core.Grad.disabled()) {
                for (Tensor p : net.parameters()) p.subInPlace(p.grad().mul(0.1));
            }
        }
        assertTrue(last < 0.2 * first, "loss " + first + " -> " + last);
    }

    @Test
    void embeddingLooksUpRowsAndAccumulatesTheirGradientsButNotThePaddingRows() {
        Embedding emb = new Embedding(4, 2, 3, Double.NaN, DType.FLOAT64, new SplittableRandom(2));
        assertArrayEquals(new double[] {0, 0}, emb.weight().select(0, 3).toDoubleArray());
        Tensor idx = Tensor.of(new long[] {1, 1, 3, 0}, 2, 2);
        Tensor y = emb.forward(idx);
        assertArrayEquals(new int[] {2, 2, 2}, y.shape());
        assertArrayEquals(emb.weight().select(0, 1).toDoubleArray(), y.select(0, 0).select(0, 1).toDoubleArray());
        y.sum().backward();
        assertArrayEquals(new double[] {1, 1, 2, 2, 0, 0, 0, 0}, emb.weight().grad().toDoubleArray());
        var e = assertThrows(IllegalArgumentException.class, () -> emb.forward(Tensor.of(new long[] {4})));
        assertTrue(e.getMessage().contains("[0, 4)"), e.getMessage());
        // indices are int64 or int32, as PyTorch's; float indices are refused with the fix
        var f = assertThrows(DTypeMismatchException.class, () -> emb.forward(Tensor.of(new double[] {1})));
        assertTrue(f.getMessage().contains(".to(DType.INT64)"), f.getMessage());
        assertArrayEquals(y.select(0, 0).toDoubleArray(), emb.forward(Tensor.of(new int[] {1, 1}, 2)).toDoubleArray());
    }

    @Test
    void embeddingMaxNormRescalesTheLookedUpRowsInPlace() {
        Embedding emb = new Embedding(3, 2, -1, 1.0, DType.FLOAT64, new SplittableRandom(2));
        try (var off = org.grad4j.core.Grad.disabled()) {
            emb.weight().copyFrom(Tensor.of(new double[][] {{3, 4}, {0.3, 0.4}, {6, 8}}));
        }
        Tensor y = emb.forward(Tensor.of(new long[] {0, 1}));
        assertArrayEquals(new double[] {0.6, 0.8, 0.3, 0.4}, y.toDoubleArray(), 1e-6);
        assertArrayEquals(new double[] {6, 8}, emb.weight().select(0, 2).toDoubleArray(), 0);
    }

    @Test
    void embeddingBagSumsOrAveragesEachBag() {
        EmbeddingBag sum = new EmbeddingBag(5, 3, EmbeddingBag.Mode.SUM, DType.FLOAT64, new SplittableRandom(1));
        Tensor w = sum.weight();
        Tensor input = Tensor.of(new long[] {0, 2, 4, 1});
        Tensor bags = sum.forward(input, Tensor.of(new long[] {0, 3, 3}), null);
        assertArrayEquals(w.select(0, 0).add(w.select(0, 2)).add(w.select(0, 4)).toDoubleArray(),
                bags.select(0, 0).toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {0, 0, 0}, bags.select(0, 1).toDoubleArray());
        assertArrayEquals(w.select(0, 1).toDoubleArray(), bags.select(0, 2).toDoubleArray(), 1e-12);
        Tensor weighted = sum.forward(input, Tensor.of(new long[] {0}), Tensor.of(new double[] {1, 0, 0, 2}));
        assertArrayEquals(w.select(0, 0).add(w.select(0, 1).mul(2)).toDoubleArray(), weighted.select(0, 0)
                .toDoubleArray(), 1e-12);
        EmbeddingBag mean = new EmbeddingBag(5, 3, EmbeddingBag.Mode.MEAN, DType.FLOAT64, new SplittableRandom(1));
        Tensor m = mean.forward(Tensor.of(new long[] {0, 2, 4, 4}, 2, 2));
        assertArrayEquals(w.select(0, 0).add(w.select(0, 2)).div(2).toDoubleArray(), m.select(0, 0).toDoubleArray(),
                1e-12);
    }

    @Test
    void scaledDotProductAttentionTakesBoolMasksTrueToAttendAndFloatMasksToAdd() {
        SplittableRandom rng = new SplittableRandom(3);
        Tensor q = Tensor.randn(rng, DType.FLOAT64, 2, 4, 8);
        Tensor k = Tensor.randn(rng, DType.FLOAT64, 2, 5, 8);
        Tensor v = Tensor.randn(rng, DType.FLOAT64, 2, 5, 3);
        double[] allowed = {1, 0, 1, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0};
        double[] additive = new double[allowed.length];
        for (int i = 0; i < allowed.length; i++) additive[i] = allowed[i] == 1 ? 0 : Double.NEGATIVE_INFINITY;
        Tensor viaBool = Functional.scaledDotProductAttention(q, k, v, Tensor.of(allowed, 4, 5).ne(0), 0, false, rng);
        Tensor viaFloat = Functional.scaledDotProductAttention(q, k, v, Tensor.of(additive, 4, 5), 0, false, rng);
        assertArrayEquals(viaFloat.toDoubleArray(), viaBool.toDoubleArray(), 0);
        // query 0 attends keys 0 and 2 only: a mix of those two values
        Tensor s = q.select(0, 0).select(0, 0).unsqueeze(0).matmul(k.select(0, 0).mT()).mul(1 / Math.sqrt(8));
        double s0 = s.get(0, 0);
        double s2 = s.get(0, 2);
        double w0 = 1 / (1 + Math.exp(s2 - s0));
        Tensor expected = v.select(0, 0).select(0, 0).mul(w0).add(v.select(0, 0).select(0, 2).mul(1 - w0));
        assertArrayEquals(expected.toDoubleArray(), viaBool.select(0, 0).select(0, 0).toDoubleArray(), 1e-12);
        assertThrows(DTypeMismatchException.class, () -> Functional.scaledDotProductAttention(q, k, v,
                Tensor.of(allowed, 4, 5).to(DType.INT64), 0, false, rng));
    }

    @Test
    void int64IndicesAndBoolMasksWork() {
        Embedding emb = new Embedding(4, 2, -1, Double.NaN, DType.FLOAT64, new SplittableRandom(2));
        Tensor ids = Tensor.of(new double[] {3, 1}).to(DType.INT64);
        assertArrayEquals(emb.weight().select(0, 3).toDoubleArray(), emb.forward(ids).select(0, 0).toDoubleArray());
        // float indices are refused, as PyTorch refuses them
        assertThrows(DTypeMismatchException.class, () -> emb.forward(Tensor.of(new double[] {3, 1})));
        var mha = new MultiheadAttention(4, 2, MultiheadAttention.options().batchFirst(true).dtype(DType.FLOAT64)
                .rng(new SplittableRandom(1)));
        Tensor x = Tensor.randn(new SplittableRandom(3), DType.FLOAT64, 1, 3, 4);
        // a float key padding mask is added to the scores (as PyTorch's), a bool one is true where a key is padding
        Tensor asFloat = Tensor.of(new double[][] {{0, 0, Double.NEGATIVE_INFINITY}});
        Tensor[] a = mha.forward(x, x, x, MultiheadAttention.Mask.of(asFloat, null, false), true);
        Tensor[] b = mha.forward(x, x, x, MultiheadAttention.Mask.of(asFloat.lt(0), null, false), true);
        assertArrayEquals(a[0].toDoubleArray(), b[0].toDoubleArray(), 0);
        assertEquals(0, a[1].select(2, 2).abs().sum().item(), 0);
        Tensor[] pooled = Tensor.of(new double[] {1, 5, 2, 0}, 1, 1, 2, 2).maxPool2dWithIndices(new int[] {2, 2},
                null, new int[] {0, 0}, new int[] {1, 1}, false);
        assertEquals(DType.INT64, pooled[1].dtype());
        assertEquals(1, pooled[1].item(), 0);
    }
}
