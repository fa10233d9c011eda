package org.grad4j.nn;

import static org.grad4j.nn.TestTensors.assertGradients;
import static org.grad4j.nn.TestTensors.leaf;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.grad4j.core.DType;
import org.grad4j.core.GradCheck;
import org.grad4j.core.Tensor;

/**
 * The convolution, pooling, padding and normalisation layers against float64 finite differences, over generated
 * shapes and options (a few tries each, so the suite stays fast).
 */
class LayerGradientProperties {
    private static final int TRIES = 10;

    private static Tensor[] withParameters(Tensor x, Module m) {
        List<Tensor> all = new ArrayList<>();
        all.add(x);
        all.addAll(m.parameters());
        return all.toArray(new Tensor[0]);
    }

    @Provide
    Arbitrary<PaddingMode> modes() {
        return Arbitraries.of(PaddingMode.values());
    }

    @Property(tries = TRIES)
    void conv2d(@ForAll @IntRange(min = 1, max = 2) int groups, @ForAll @IntRange(min = 1, max = 3) int k,
            @ForAll @IntRange(min = 1, max = 2) int stride, @ForAll @IntRange(min = 0, max = 1) int padding,
            @ForAll boolean same, @ForAll("modes") PaddingMode mode, @ForAll boolean bias, @ForAll long seed) {
        ConvOptions o = ConvOptions.create().dtype(DType.FLOAT64).rng(new SplittableRandom(seed)).groups(groups)
                .bias(bias).paddingMode(mode);
        o = same ? o.paddingSame() : o.padding(padding).stride(stride);
        Conv2d conv = new Conv2d(2 * groups, groups, k, o);
        Tensor x = leaf(seed, 2, 2 * groups, 4, 3);
        assertGradients(t -> conv.forward(t[0]), withParameters(x, conv));
    }

    @Property(tries = TRIES)
    void conv1dAndTransposed(@ForAll @IntRange(min = 1, max = 3) int k, @ForAll @IntRange(min = 1, max = 2) int stride,
            @ForAll @IntRange(min = 1, max = 2) int dilation, @ForAll("modes") PaddingMode mode, @ForAll long seed) {
        Conv1d conv = new Conv1d(2, 3, k, ConvOptions.create().dtype(DType.FLOAT64).rng(new SplittableRandom(seed))
                .paddingSame().dilation(dilation).paddingMode(mode));
        assertGradients(t -> conv.forward(t[0]), withParameters(leaf(seed, 2, 2, 5), conv));
        ConvTranspose2d up = new ConvTranspose2d(2, 2, k, ConvOptions.create().dtype(DType.FLOAT64)
                .rng(new SplittableRandom(seed)).stride(stride).dilation(dilation));
        assertGradients(t -> up.forward(t[0]), withParameters(leaf(seed + 1, 1, 2, 3, 2), up));
    }

    @Property(tries = TRIES)
    void pooling(@ForAll @IntRange(min = 1, max = 3) int k, @ForAll @IntRange(min = 1, max = 2) int stride,
            @ForAll boolean ceil, @ForAll long seed) {
        Tensor x = leaf(seed, 1, 2, 5, 4);
        assertGradients(t -> new MaxPool2d(new int[] {k, k}, new int[] {stride, stride}, new int[] {k / 2, k / 2},
                new int[] {1, 1}, ceil).forward(t[0]), x);
        assertGradients(t -> new AvgPool2d(new int[] {k, k}, new int[] {stride, stride}, new int[] {k / 2, k / 2},
                false).forward(t[0]), x);
        assertGradients(t -> new AdaptiveAvgPool2d(3, 2).forward(t[0]), x);
        assertGradients(t -> new AdaptiveMaxPool2d(2, 3).forward(t[0]), x);
        Tensor x1 = leaf(seed + 1, 2, 6);
        assertGradients(t -> new MaxPool1d(k, stride, k / 2, 1, ceil).forward(t[0]), x1);
        assertGradients(t -> new AvgPool1d(k, stride, k / 2, true).forward(t[0]), x1);
    }

    @Property(tries = TRIES)
    void padding(@ForAll("modes") PaddingMode mode, @ForAll @IntRange(min = -1, max = 2) int left,
            @ForAll @IntRange(min = 0, max = 2) int right, @ForAll long seed) {
        Tensor x = leaf(seed, 2, 4, 5);
        assertGradients(t -> Functional.pad(t[0], new int[] {left, right, right, left}, mode, 0.5), x);
    }

    @Property(tries = TRIES)
    void normalisation(@ForAll @IntRange(min = 2, max = 3) int batch, @ForAll long seed) {
        BatchNorm2d bn = new BatchNorm2d(3, 1e-5, 0.1, true, true, DType.FLOAT64);
        Tensor x = leaf(seed, batch, 3, 2, 2);
        assertGradients(t -> bn.forward(t[0]), withParameters(x, bn));
        bn.eval();
        assertGradients(t -> bn.forward(t[0]), withParameters(x, bn));
        BatchNorm1d bn1 = new BatchNorm1d(4, 1e-5, 0.1, true, false, DType.FLOAT64);
        assertGradients(t -> bn1.forward(t[0]), withParameters(leaf(seed + 1, batch, 4), bn1));
        LayerNorm ln = new LayerNorm(new int[] {2, 3}, 1e-5, true, true, DType.FLOAT64);
        Tensor y = leaf(seed + 2, batch, 2, 3);
        assertGradients(t -> ln.forward(t[0]).mul(t[0]), withParameters(y, ln));
        GroupNorm gn = new GroupNorm(2, 4, 1e-5, true, DType.FLOAT64);
        assertGradients(t -> gn.forward(t[0]), withParameters(leaf(seed + 3, batch, 4, 3), gn));
        RMSNorm rms = new RMSNorm(new int[] {3}, 1e-6, true, DType.FLOAT64);
        assertGradients(t -> rms.forward(t[0]), withParameters(leaf(seed + 4, batch, 3), rms));
    }

    @Property(tries = TRIES)
    void dropout2dInTraining(@ForAll @IntRange(min = 0, max = 90) int percent, @ForAll long seed) {
        assertGradients(t -> Functional.dropout2d(t[0], percent / 100.0, true, new SplittableRandom(seed)),
                leaf(seed, 2, 3, 2, 2));
    }

    @Property(tries = TRIES)
    void moreActivations(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll long seed) {
        Tensor x = TestTensors.uniform(seed, -4, 4, n, 3).requiresGrad(true);
        List<GradCheck.Fn> fns = List.of(t -> Activations.elu(t[0], 0.7), t -> Activations.selu(t[0]),
                t -> Activations.celu(t[0], 1.3), t -> Activations.mish(t[0]), t -> Activations.hardtanh(t[0], -2, 1.5),
                t -> Activations.hardsigmoid(t[0]), t -> Activations.hardswish(t[0]),
                t -> Activations.logSigmoid(t[0]), t -> Activations.softsign(t[0]), t -> Activations.tanhshrink(t[0]));
        for (GradCheck.Fn f : fns) assertGradients(f, x);
        PReLU prelu = new PReLU(3, 0.25, DType.FLOAT64);
        assertGradients(t -> prelu.forward(t[0]), x, prelu.weight());
    }

    @Property(tries = TRIES)
    void moreLosses(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll long seed) {
        Tensor a = leaf(seed, n, 3);
        Tensor b = leaf(seed + 1, n, 3);
        Tensor c = leaf(seed + 2, n, 3);
        double[] signs = new double[n];
        for (int i = 0; i < n; i++) signs[i] = (seed >> i & 1) == 0 ? 1 : -1;
        Tensor y = Tensor.of(signs);
        Tensor p = TestTensors.uniform(seed + 3, 0.1, 1, n, 3);
        Tensor var = TestTensors.uniform(seed + 4, 0.2, 2, n, 1).requiresGrad(true);
        Tensor labels = TestTensors.uniform(seed + 5, 0, 1, n, 3).gt(0.5).to(DType.FLOAT64);
        assertGradients(t -> Losses.smoothL1(t[0], t[1], 0.5, Reduction.SUM), a, b);
        assertGradients(t -> Losses.klDiv(t[0], p, Reduction.MEAN, false), a);
        assertGradients(t -> Losses.klDivBatchMean(t[0], t[1], true), a, b);
        assertGradients(t -> Losses.poissonNll(t[0], p, true, true, 1e-8, Reduction.MEAN), a);
        assertGradients(t -> Losses.gaussianNll(t[0], t[1], t[2], true, 1e-6, Reduction.MEAN), a, b, var);
        assertGradients(t -> Losses.cosineEmbedding(t[0], t[1], y, 0.1, Reduction.SUM), a, b);
        assertGradients(t -> Losses.marginRanking(t[0].select(1, 0), t[1].select(1, 0), y, 0.2, Reduction.MEAN), a, b);
        assertGradients(t -> Losses.tripletMargin(t[0], t[1], t[2], 1, 2, 1e-6, true, Reduction.MEAN), a, b, c);
        assertGradients(t -> Losses.multiLabelSoftMargin(t[0], labels, null, Reduction.MEAN), a);
        assertGradients(t -> Functional.normalize(t[0]).mul(t[1]), a, b);
        assertGradients(t -> Functional.cosineSimilarity(t[0], t[1], 1, 1e-8), a, b);
        assertGradients(t -> Functional.pairwiseDistance(t[0], t[1], 3, 1e-6, true), a, b);
    }

    @Property(tries = TRIES)
    void normalizeOfAZeroVectorHasAFiniteGradientAsTorch(@ForAll @IntRange(min = 1, max = 4) int d) {
        Tensor z = Tensor.zeros(DType.FLOAT64, 2, d).requiresGrad(true);
        Functional.normalize(z).sum().backward();
        // torch: F.normalize(zeros).sum().backward() gives 1 / eps = 1e12 everywhere (the norm's subgradient is 0)
        org.junit.jupiter.api.Assertions.assertEquals(1e12 * 2 * d, z.grad().sum().item(), 1);
    }

    @Property(tries = 5)
    void attention(@ForAll @IntRange(min = 1, max = 2) int batch, @ForAll @IntRange(min = 1, max = 3) int len,
            @ForAll boolean causal, @ForAll long seed) {
        var mha = new MultiheadAttention(4, 2, MultiheadAttention.options().batchFirst(true).kdim(3).vdim(3)
                .dtype(DType.FLOAT64).rng(new SplittableRandom(seed)));
        Tensor q = leaf(seed, batch, len, 4);
        Tensor kv = leaf(seed + 1, batch, len, 3);
        var mask = MultiheadAttention.Mask.of(null, null, causal);
        List<Tensor> inputs = new ArrayList<>(List.of(q, kv));
        inputs.addAll(mha.parameters());
        TestTensors.assertDirectional(t -> mha.forward(t[0], t[1], t[1], mask, false)[0], seed,
                inputs.toArray(new Tensor[0]));
        assertGradients(t -> Functional.scaledDotProductAttention(t[0], t[1], t[2], null, 0, causal, null), q,
                leaf(seed + 2, batch, len, 4), leaf(seed + 3, batch, len, 2));
        var layer = new TransformerEncoderLayer(4, 2, TransformerEncoderLayer.options().dimFeedforward(6).dropout(0)
                .batchFirst(true).normFirst(causal).dtype(DType.FLOAT64).rng(new SplittableRandom(seed)));
        List<Tensor> all = new ArrayList<>(List.of(q));
        all.addAll(layer.parameters());
        TestTensors.assertDirectional(t -> layer.forward(t[0]), seed, all.toArray(new Tensor[0]));
    }

    @Property(tries = 5)
    void recurrent(@ForAll @IntRange(min = 1, max = 2) int batch, @ForAll @IntRange(min = 1, max = 3) int steps,
            @ForAll boolean bidirectional, @ForAll long seed) {
        RecurrentOptions o = RecurrentOptions.create().dtype(DType.FLOAT64).rng(new SplittableRandom(seed))
                .numLayers(2).bidirectional(bidirectional).batchFirst(true);
        for (Recurrent rnn : List.of(new RNN(2, 3, o), new LSTM(2, 3, o), new GRU(2, 3, o))) {
            Tensor x = leaf(seed, batch, steps, 2);
            List<Tensor> all = new ArrayList<>(List.of(x));
            all.addAll(rnn.parameters());
            Tensor[] inputs = all.toArray(new Tensor[0]);
            TestTensors.assertDirectional(t -> {
                Recurrent.Result r = rnn.forward(t[0], null, null);
                return r.c() == null ? r.output().sum().add(r.h().sum()) : r.output().sum().add(r.c().sum());
            }, seed, inputs);
        }
        LSTMCell cell = new LSTMCell(2, 3, true, DType.FLOAT64, new SplittableRandom(seed));
        Tensor h = leaf(seed + 1, batch, 3);
        Tensor c = leaf(seed + 2, batch, 3);
        assertGradients(t -> cell.forward(t[0], t[1], t[2])[1], leaf(seed + 3, batch, 2), h, c);
        GRUCell gru = new GRUCell(2, 3, true, DType.FLOAT64, new SplittableRandom(seed));
        assertGradients(t -> gru.forward(t[0], t[1]), leaf(seed + 4, batch, 2), h);
    }
}
