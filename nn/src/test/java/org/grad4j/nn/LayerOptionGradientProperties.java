package org.grad4j.nn;

import static org.grad4j.nn.TestTensors.assertDirectional;
import static org.grad4j.nn.TestTensors.assertGradients;
import static org.grad4j.nn.TestTensors.leaf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The later layer options (transposed 1-d convolution, ceil-mode average pooling, max-mode embedding bags, attention's
 * learnt key/value bias and zero attention, BatchNorm's cumulative average) against float64 finite differences over
 * generated options, and against hand-derived values.
 */
class LayerOptionGradientProperties {
    private static final int TRIES = 8;

    private static Tensor[] withParameters(Tensor x, Module m) {
        List<Tensor> all = new ArrayList<>();
        all.add(x);
        all.addAll(m.parameters());
        return all.toArray(new Tensor[0]);
    }

    @Property(tries = TRIES)
    void convTranspose1d(@ForAll @IntRange(min = 1, max = 3) int k, @ForAll @IntRange(min = 1, max = 3) int stride,
            @ForAll @IntRange(min = 1, max = 2) int dilation, @ForAll @IntRange(min = 1, max = 2) int groups,
            @ForAll boolean bias, @ForAll long seed) {
        int outputPadding = stride > 1 ? 1 : 0;
        ConvTranspose1d up = new ConvTranspose1d(2 * groups, 2 * groups, k, ConvOptions.create().dtype(DType.FLOAT64)
                .rng(new SplittableRandom(seed)).stride(stride).dilation(dilation).groups(groups).bias(bias)
                .outputPadding(outputPadding));
        Tensor x = leaf(seed, 2, 2 * groups, 4);
        Tensor y = up.forward(x);
        assertArrayEquals(new int[] {2, 2 * groups, 3 * stride + dilation * (k - 1) + outputPadding + 1}, y.shape());
        assertGradients(t -> up.forward(t[0]), withParameters(x, up));
    }

    @Property(tries = TRIES)
    void avgPoolCeilMode(@ForAll @IntRange(min = 1, max = 3) int k, @ForAll @IntRange(min = 1, max = 3) int stride,
            @ForAll boolean countIncludePad, @ForAll long seed) {
        Tensor x = leaf(seed, 1, 2, 5, 4);
        int[] p = {k / 2, k / 2};
        assertGradients(t -> new AvgPool2d(new int[] {k, k}, new int[] {stride, stride}, p, true, countIncludePad)
                .forward(t[0]), x);
        assertGradients(t -> new AvgPool1d(k, stride, k / 2, true, countIncludePad).forward(t[0]), leaf(seed, 2, 7));
    }

    @Test
    void avgPoolCeilModeDividesByTheWindowClippedToThePaddedInput() {
        // one row of 5: kernel 2, stride 2, ceil mode: windows [0, 2), [2, 4), [4, 6) clipped to [4, 5): 3 outputs,
        // the last divided by 1 (torch: F.avg_pool1d(torch.arange(5.)[None, None], 2, 2, ceil_mode=True) = 0.5, 2.5, 4)
        Tensor x = Tensor.of(new double[] {0, 1, 2, 3, 4}, 1, 1, 5);
        assertArrayEquals(new double[] {0.5, 2.5, 4}, new AvgPool1d(2, 2, 0, true, true).forward(x).toDoubleArray());
        // with padding 1, kernel 3, stride 2 on 4: windows start at -1, 1, 3; the last is [3, 6) clipped to the padded
        // input [-1, 5) as [3, 5): divided by 2 including the pad, by 1 without it
        Tensor y = Tensor.of(new double[] {1, 2, 3, 4}, 1, 1, 4);
        assertArrayEquals(new double[] {1, 3, 2}, new AvgPool1d(3, 2, 1, true, true).forward(y).toDoubleArray(),
                1e-15);
        assertArrayEquals(new double[] {1.5, 3, 4}, new AvgPool1d(3, 2, 1, true, false).forward(y).toDoubleArray(),
                1e-15);
    }

    @Property(tries = TRIES)
    void embeddingBagMax(@ForAll @IntRange(min = 1, max = 4) int bagSize, @ForAll long seed) {
        EmbeddingBag bag = new EmbeddingBag(7, 3, EmbeddingBag.Mode.MAX, DType.FLOAT64, new SplittableRandom(seed));
        SplittableRandom rng = new SplittableRandom(seed + 1);
        long[] ids = new long[2 * bagSize];
        for (int i = 0; i < ids.length; i++) ids[i] = rng.nextInt(7);
        Tensor input = Tensor.of(ids, 2, bagSize);
        Tensor y = bag.forward(input);
        Tensor w = bag.weight();
        for (int b = 0; b < 2; b++) {
            for (int d = 0; d < 3; d++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < bagSize; i++) max = Math.max(max, w.get((int) ids[b * bagSize + i], d));
                assertEquals(max, y.get(b, d), 0);
            }
        }
        assertGradients(t -> bag.forward(input), w);
        Tensor offsets = Tensor.of(new long[] {0, bagSize, bagSize});
        assertGradients(t -> bag.forward(input.reshape(-1), offsets, null), w);
        assertArrayEquals(new double[] {0, 0, 0}, bag.forward(input.reshape(-1), offsets, null).select(0, 1)
                .toDoubleArray());
    }

    @Property(tries = 5)
    void attentionWithLearntKeyValueBiasAndZeroAttention(@ForAll @IntRange(min = 1, max = 2) int batch,
            @ForAll @IntRange(min = 1, max = 3) int len, @ForAll boolean zeroAttn, @ForAll boolean masked,
            @ForAll long seed) {
        var mha = new MultiheadAttention(4, 2, MultiheadAttention.options().batchFirst(true).addBiasKv(true)
                .addZeroAttn(zeroAttn).dtype(DType.FLOAT64).rng(new SplittableRandom(seed)));
        Tensor q = leaf(seed, batch, len, 4);
        Tensor kv = leaf(seed + 1, batch, len, 4);
        // block every real key of the first batch element: it can still attend the appended keys
        boolean[] pad = new boolean[batch * len];
        for (int i = 0; i < len; i++) pad[i] = masked;
        Tensor padding = Tensor.of(pad, batch, len);
        var mask = MultiheadAttention.Mask.of(padding, null, false);
        Tensor[] r = mha.forward(q, kv, kv, mask, true);
        assertArrayEquals(new int[] {batch, len, len + 1 + (zeroAttn ? 1 : 0)}, r[1].shape());
        List<Tensor> inputs = new ArrayList<>(List.of(q, kv));
        inputs.addAll(mha.parameters());
        assertDirectional(t -> mha.forward(t[0], t[1], t[1], mask, false)[0], seed, inputs.toArray(new Tensor[0]));
    }

    @Test
    void batchNormWithoutMomentumAveragesTheBatchStatistics() {
        BatchNorm1d bn = new BatchNorm1d(2, 1e-5, null, false, true, DType.FLOAT64);
        double[][] batches = {{1, 2, 3, 6}, {5, -2, 7, 2}, {0, 0, 2, 4}};
        for (double[] b : batches) bn.forward(Tensor.of(b, 2, 2));
        // feature 0 sees {1, 3}, {5, 7}, {0, 2}: means 2, 6, 1 -> 3; unbiased variances 2, 2, 2 -> 2 (after the
        // initial 1 is weighted by 1 - 1/1 = 0); feature 1 sees {2, 6}, {-2, 2}, {0, 4}: means 4, 0, 2; variances 8
        assertArrayEquals(new double[] {3, 2}, bn.runningMean().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {2, 8}, bn.runningVar().toDoubleArray(), 1e-12);
    }
}
