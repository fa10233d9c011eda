package org.grad4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Convolution, pooling and normalisation layers against real PyTorch 1.13: each case file (written by
 * {@code layers/make_torch_layers.py} in test resources) holds a torch layer's float64 state dict, which loads
 * strictly into the grad4j layer of the same configuration, an input, and torch's output, which grad4j reproduces.
 */
class TorchLayersInteropTest {
    private static final double TOL = 1e-12;

    @TempDir
    Path dir;

    private Map<String, Tensor> read(String name) throws Exception {
        Path file = dir.resolve(name + ".safetensors");
        try (InputStream in = getClass().getResourceAsStream("layers/" + name + ".safetensors")) {
            Files.copy(in, file);
        }
        return StateDicts.load(file).tensors();
    }

    private static Map<String, Tensor> withPrefix(Map<String, Tensor> all, String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        all.forEach((k, v) -> {
            if (k.startsWith(prefix)) out.put(k.substring(prefix.length()), v);
        });
        return out;
    }

    /** Same dtype (max-pooling indices and num_batches_tracked are int64, as torch's), shape and values. */
    private static void assertSame(Tensor expected, Tensor actual) {
        assertEquals(expected.dtype(), actual.dtype());
        assertArrayEquals(expected.shape(), actual.shape());
        assertArrayEquals(expected.toDoubleArray(), actual.toDoubleArray(), TOL);
    }

    private void checkLayer(String name, Module layer) throws Exception {
        Map<String, Tensor> t = read(name);
        layer.loadStateDict(withPrefix(t, "model."));
        assertSame(t.get("y"), layer.forward(t.get("x")));
    }

    private static ConvOptions f64() {
        return ConvOptions.create().dtype(DType.FLOAT64);
    }

    @Test
    void conv2d() throws Exception {
        checkLayer("conv2d_stride_padding", new Conv2d(3, 4, 3, f64().stride(2).padding(1)));
        checkLayer("conv2d_groups_dilation", new Conv2d(4, 6, new int[] {3, 2},
                f64().padding(1, 0).dilation(2, 1).groups(2).bias(false)));
        checkLayer("conv2d_depthwise_reflect", new Conv2d(3, 3, 3,
                f64().padding(1).groups(3).paddingMode(PaddingMode.REFLECT)));
        checkLayer("conv2d_same_replicate", new Conv2d(2, 3, 4,
                f64().paddingSame().paddingMode(PaddingMode.REPLICATE)));
        checkLayer("conv2d_same_dilated", new Conv2d(2, 3, 4, f64().paddingSame().dilation(2)));
        checkLayer("conv2d_circular", new Conv2d(2, 2, 3, f64().padding(2).paddingMode(PaddingMode.CIRCULAR)));
    }

    @Test
    void conv1dAndTransposed() throws Exception {
        checkLayer("conv1d_stride_dilation", new Conv1d(3, 5, 3, f64().stride(2).padding(2).dilation(2)));
        checkLayer("conv1d_same_circular", new Conv1d(2, 4, 3, f64().paddingSame()
                .paddingMode(PaddingMode.CIRCULAR)));
        checkLayer("conv_transpose2d", new ConvTranspose2d(4, 6, 3, f64().stride(2).padding(1).outputPadding(1)
                .groups(2)));
    }

    @Test
    void pooling() throws Exception {
        Map<String, Tensor> t = read("pooling");
        Tensor x = t.get("x");
        Tensor x1 = t.get("x1");
        Tensor[] mp = new MaxPool2d(new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1}, true)
                .forwardWithIndices(x);
        assertSame(t.get("y.maxPool2d"), mp[0]);
        assertSame(t.get("i.maxPool2d"), mp[1]);
        Tensor[] dp = new MaxPool2d(new int[] {2, 2}, new int[] {1, 1}, new int[] {0, 0}, new int[] {2, 2}, false)
                .forwardWithIndices(x);
        assertSame(t.get("y.maxPool2dDilated"), dp[0]);
        assertSame(t.get("i.maxPool2dDilated"), dp[1]);
        assertSame(t.get("y.avgPool2d"), new AvgPool2d(new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, true)
                .forward(x));
        assertSame(t.get("y.avgPool2dExcludePad"), new AvgPool2d(new int[] {3, 3}, new int[] {2, 2},
                new int[] {1, 1}, false).forward(x));
        assertSame(t.get("y.adaptiveAvgPool2d"), new AdaptiveAvgPool2d(4, 3).forward(x));
        Tensor[] amp = new AdaptiveMaxPool2d(4, 3).forwardWithIndices(x);
        assertSame(t.get("y.adaptiveMaxPool2d"), amp[0]);
        assertSame(t.get("i.adaptiveMaxPool2d"), amp[1]);
        Tensor[] mp1 = new MaxPool1d(3, 2, 1, 1, false).forwardWithIndices(x1);
        assertSame(t.get("y.maxPool1d"), mp1[0]);
        assertSame(t.get("i.maxPool1d"), mp1[1]);
        assertSame(t.get("y.avgPool1d"), new AvgPool1d(4, 3, 2, true).forward(x1));
    }

    private void checkBatchNorm(String name, BatchNorm bn) throws Exception {
        Map<String, Tensor> t = read(name);
        bn.loadStateDict(withPrefix(t, "model."));
        assertSame(t.get("y0"), bn.forward(t.get("x0")));
        assertSame(t.get("y1"), bn.forward(t.get("x1")));
        Map<String, Tensor> trained = withPrefix(t, "trained.");
        assertEquals(trained.keySet(), bn.stateDict().keySet());
        assertEquals(2, bn.numBatchesTracked().itemLong());
        bn.stateDict().forEach((k, v) -> assertSame(trained.get(k), v));
        bn.eval();
        assertSame(t.get("y2"), bn.forward(t.get("x2")));
    }

    @Test
    void batchNormTrainsItsRunningStatisticsAndUsesThemInEval() throws Exception {
        checkBatchNorm("batch_norm2d", new BatchNorm2d(3, 1e-5, 0.2, true, true, DType.FLOAT64));
        checkBatchNorm("batch_norm1d", new BatchNorm1d(4, 1e-5, 0.1, true, true, DType.FLOAT64));
    }

    @Test
    void batchNormWithoutMomentumKeepsTheCumulativeAverage() throws Exception {
        // torch's momentum=None: running = running + (batch - running) / num_batches_tracked
        checkBatchNorm("batch_norm2d_cumulative", new BatchNorm2d(3, 1e-5, null, true, true, DType.FLOAT64));
        assertTrue(new BatchNorm2d(3, 1e-5, null, true, true, DType.FLOAT64).toString()
                .startsWith("BatchNorm2d(3, eps=1.0E-5, momentum=None, affine=true, trackRunningStats=true)"));
    }

    @Test
    void avgPoolCeilMode() throws Exception {
        Map<String, Tensor> t = read("pooling_ceil");
        Tensor x = t.get("x");
        assertSame(t.get("y.avgPool2dCeil"), new AvgPool2d(new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, true,
                true).forward(x));
        assertSame(t.get("y.avgPool2dCeilExcludePad"), new AvgPool2d(new int[] {3, 3}, new int[] {2, 2},
                new int[] {1, 1}, true, false).forward(x));
        assertSame(t.get("y.avgPool2dCeilNoPadding"), Functional.avgPool2d(x, new int[] {2, 3}, new int[] {2, 2},
                new int[] {0, 0}, true, true));
        assertSame(t.get("y.avgPool1dCeil"), new AvgPool1d(4, 3, 1, true, false).forward(t.get("x1")));
    }

    @Test
    void convTranspose1d() throws Exception {
        checkLayer("conv_transpose1d", new ConvTranspose1d(4, 6, 3, f64().stride(2).padding(1).outputPadding(1)
                .groups(2).dilation(2)));
    }

    @Test
    void embeddingBagMaxAndWeightedSum() throws Exception {
        Map<String, Tensor> t = read("embedding_bag");
        EmbeddingBag max = new EmbeddingBag(6, 3, EmbeddingBag.Mode.MAX, DType.FLOAT64, null);
        max.loadStateDict(withPrefix(t, "model."));
        assertSame(t.get("y.max"), max.forward(t.get("input"), t.get("offsets"), null));
        assertSame(t.get("y.max2d"), max.forward(t.get("input2d")));
        EmbeddingBag sum = new EmbeddingBag(6, 3, EmbeddingBag.Mode.SUM, DType.FLOAT64, null);
        sum.loadStateDict(withPrefix(t, "model."));
        assertSame(t.get("y.sumWeighted"), sum.forward(t.get("input"), t.get("offsets"), t.get("psw")));
    }

    @Test
    void layerAndGroupNorm() throws Exception {
        checkLayer("layer_norm", new LayerNorm(new int[] {3, 4}, 1e-5, true, true, DType.FLOAT64));
        checkLayer("group_norm", new GroupNorm(2, 4, 1e-5, true, DType.FLOAT64));
    }

    /** The same field names as the torch module, so its state dict keys ({@code conv.weight}, {@code bn.running_mean}) match. */
    static final class SmallCnn extends Module {
        final Conv2d conv = new Conv2d(1, 4, 3, f64().padding(1));
        final BatchNorm2d bn = new BatchNorm2d(4, 1e-5, 0.1, true, true, DType.FLOAT64);
        final Linear fc = new Linear(4 * 3 * 3, 3, true, DType.FLOAT64, new java.util.SplittableRandom(1));

        @Override
        public Tensor forward(Tensor x) {
            Tensor h = Functional.maxPool2d(bn.forward(conv.forward(x)).relu(), 2);
            return fc.forward(h.flatten(1, -1));
        }
    }

    @Test
    void aSmallTorchCnnLoadsAndComputesTorchsOutput() throws Exception {
        SmallCnn cnn = new SmallCnn();
        cnn.eval();
        checkLayer("small_cnn", cnn);
    }
}
