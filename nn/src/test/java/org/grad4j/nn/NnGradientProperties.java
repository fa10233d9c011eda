package org.grad4j.nn;

import static org.grad4j.nn.TestTensors.assertDirectional;
import static org.grad4j.nn.TestTensors.assertGradients;
import static org.grad4j.nn.TestTensors.leaf;
import static org.grad4j.nn.TestTensors.randn;
import static org.grad4j.nn.TestTensors.uniform;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;

/**
 * Every layer, activation and loss against float64 central finite differences ({@code GradCheck.check}: the full
 * Jacobian with PyTorch's tolerances), over generated small shapes, values and options. Compositions that are
 * larger use the random-direction check as well.
 */
class NnGradientProperties {
    private static final int TRIES = 25;

    // ============================================================================================ layers

    @Property(tries = TRIES)
    void linear(@ForAll @IntRange(min = 1, max = 3) int batch, @ForAll @IntRange(min = 1, max = 4) int in,
                @ForAll @IntRange(min = 1, max = 3) int out, @ForAll boolean bias, @ForAll long seed) {
        Linear layer = new Linear(in, out, bias, DType.FLOAT64, new SplittableRandom(seed));
        Tensor x = leaf(seed + 1, batch, in);
        if (bias) {
            assertGradients(t -> layer.forward(t[0]), x, layer.weight(), layer.bias());
        } else {
            assertGradients(t -> layer.forward(t[0]), x, layer.weight());
        }
    }

    @Property(tries = TRIES)
    void linearWithLeadingDimsAndVectorInput(@ForAll @IntRange(min = 1, max = 2) int a,
                                             @ForAll @IntRange(min = 1, max = 3) int b,
                                             @ForAll @IntRange(min = 1, max = 3) int in, @ForAll long seed) {
        Dense layer = new Dense(in, 2, true, DType.FLOAT64, new SplittableRandom(seed));
        assertGradients(t -> layer.forward(t[0]), leaf(seed + 1, a, b, in), layer.weight(), layer.bias());
        assertGradients(t -> layer.forward(t[0]), leaf(seed + 2, in), layer.weight(), layer.bias());
    }

    @Property(tries = TRIES)
    void flattenAndIdentity(@ForAll @IntRange(min = 1, max = 3) int a, @ForAll @IntRange(min = 1, max = 3) int b,
                            @ForAll @IntRange(min = 1, max = 3) int c, @ForAll long seed) {
        Tensor x = leaf(seed, a, b, c);
        assertGradients(t -> new Flatten().forward(t[0]), x);
        assertGradients(t -> new Flatten(0, 1).forward(t[0]), x);
        assertGradients(t -> new Identity().forward(t[0]).mul(t[0]), x);
    }

    @Property(tries = TRIES)
    void dropoutInTrainingMode(@ForAll @IntRange(min = 1, max = 4) int n, @ForAll @IntRange(min = 1, max = 4) int m,
                               @ForAll @IntRange(min = 0, max = 90) int percent, @ForAll long seed) {
        double p = percent / 100.0;
        // A fresh generator with the same seed on every evaluation gives the same mask each time.
        assertGradients(t -> Activations.dropout(t[0], p, true, new SplittableRandom(seed)), leaf(seed, n, m));
    }

    @Property(tries = TRIES)
    void sequentialMlp(@ForAll @IntRange(min = 1, max = 3) int batch, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Sequential mlp = new Sequential(new Linear(3, 4, true, DType.FLOAT64, rng), new Tanh(),
                new Linear(4, 2, true, DType.FLOAT64, rng), new GELU(), new Linear(2, 1, true, DType.FLOAT64, rng));
        Tensor x = leaf(seed, batch, 3);
        Tensor[] inputs = new Tensor[1 + mlp.parameters().size()];
        inputs[0] = x;
        for (int i = 0; i < mlp.parameters().size(); i++) inputs[i + 1] = mlp.parameters().get(i);
        assertGradients(t -> mlp.forward(t[0]), inputs);
        assertDirectional(t -> Losses.mse(mlp.forward(t[0]), Tensor.zeros(DType.FLOAT64, batch, 1)), seed, inputs);
    }

    // ============================================================================================ activations

    @Property(tries = TRIES)
    void pointwiseActivations(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 4) int m,
                              @ForAll long seed) {
        Tensor x = randn(seed, n, m).mul(3).detach().requiresGrad(true); // spread past the softplus threshold of 5
        assertGradients(t -> Activations.relu(t[0]), x);
        assertGradients(t -> Activations.leakyRelu(t[0], 0.2), x);
        assertGradients(t -> Activations.sigmoid(t[0]), x);
        assertGradients(t -> Activations.tanh(t[0]), x);
        assertGradients(t -> Activations.gelu(t[0]), x);
        assertGradients(t -> Activations.gelu(t[0], Activations.GeluApproximation.TANH), x);
        assertGradients(t -> Activations.silu(t[0]), x);
        assertGradients(t -> Activations.softplus(t[0]), x);
        assertGradients(t -> Activations.softplus(t[0], 2, 5), x);
        assertGradients(t -> Activations.logSigmoid(t[0]), x);
    }

    @Property(tries = TRIES)
    void activationModules(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 4) int m,
                           @ForAll long seed) {
        Tensor x = leaf(seed, n, m);
        for (Module act : new Module[] {new ReLU(), new LeakyReLU(), new Sigmoid(), new Tanh(), new GELU(),
            new SiLU(), new Softplus(), new Softmax(1), new LogSoftmax(0)}) {
            assertGradients(t -> act.forward(t[0]), x);
        }
    }

    @Property(tries = TRIES)
    void softmaxFamily(@ForAll @IntRange(min = 1, max = 3) int a, @ForAll @IntRange(min = 1, max = 3) int b,
                       @ForAll @IntRange(min = 1, max = 3) int c, @ForAll @IntRange(min = -3, max = 2) int dim,
                       @ForAll long seed) {
        Tensor x = leaf(seed, a, b, c);
        assertGradients(t -> Activations.softmax(t[0], dim), x);
        assertGradients(t -> Activations.logSoftmax(t[0], dim), x);
    }

    // ============================================================================================ losses

    @Property(tries = TRIES)
    void regressionLosses(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 3) int m,
                          @ForAll Reduction reduction, @ForAll long seed) {
        Tensor input = leaf(seed, n, m);
        Tensor target = leaf(seed + 1, n, m);
        assertGradients(t -> Losses.mse(t[0], t[1], reduction), input, target);
        assertGradients(t -> Losses.l1(t[0], t[1], reduction), input, target);
        assertGradients(t -> Losses.huber(t[0], t[1], 0.7, reduction), input, target);
        assertGradients(t -> new HuberLoss(2.0, reduction).forward(t[0], t[1]), input, target);
    }

    @Property(tries = TRIES)
    void binaryCrossEntropy(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 3) int m,
                            @ForAll Reduction reduction, @ForAll boolean weighted, @ForAll long seed) {
        Tensor p = uniform(seed, 0.05, 0.95, n, m).detach().requiresGrad(true);
        Tensor t = uniform(seed + 1, 0, 1, n, m);
        Tensor w = weighted ? uniform(seed + 2, 0.5, 2, m) : null;
        assertGradients(in -> Losses.bce(in[0], t, w, reduction), p);
    }

    @Property(tries = TRIES)
    void binaryCrossEntropyWithLogits(@ForAll @IntRange(min = 1, max = 3) int n,
                                      @ForAll @IntRange(min = 1, max = 3) int m, @ForAll Reduction reduction,
                                      @ForAll boolean weighted, @ForAll boolean posWeighted, @ForAll long seed) {
        Tensor x = randn(seed, n, m).mul(4).detach().requiresGrad(true);
        Tensor t = uniform(seed + 1, 0, 1, n, m);
        Tensor w = weighted ? uniform(seed + 2, 0.5, 2, n, m) : null;
        Tensor pw = posWeighted ? uniform(seed + 3, 0.2, 3, m) : null;
        assertGradients(in -> Losses.bceWithLogits(in[0], t, w, pw, reduction), x);
        // The target gets a gradient too (it is a plain composition), as in PyTorch.
        Tensor tLeaf = t.detach().requiresGrad(true);
        assertGradients(in -> Losses.bceWithLogits(x.detach(), in[0], w, pw, reduction), tLeaf);
    }

    @Property(tries = TRIES)
    void crossEntropyWithClassIndices(@ForAll @IntRange(min = 1, max = 3) int n,
                                      @ForAll @IntRange(min = 2, max = 4) int c, @ForAll Reduction reduction,
                                      @ForAll boolean weighted, @ForAll @IntRange(min = 0, max = 3) int smoothingTenths,
                                      @ForAll boolean ignoreClass0, @ForAll long seed) {
        Tensor logits = leaf(seed, n, c);
        SplittableRandom rng = new SplittableRandom(seed);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = rng.nextInt(c);
        if (ignoreClass0) {
            labels[0] = 1; // at least one sample is kept, so the weighted mean is defined
        }
        Tensor w = weighted ? uniform(seed + 1, 0.5, 2, c) : null;
        double eps = smoothingTenths / 10.0;
        int ignore = ignoreClass0 ? 0 : Losses.DEFAULT_IGNORE_INDEX;
        Tensor target = Losses.indexTensor("test", logits, labels);
        assertGradients(in -> Losses.crossEntropy(in[0], target, w, ignore, eps, reduction), logits);
        assertGradients(in -> Losses.nll(in[0].logSoftmax(1), target, w, ignore, reduction), logits);
    }

    @Property(tries = TRIES)
    void crossEntropyWithSpatialDimsAndUnbatched(@ForAll @IntRange(min = 1, max = 2) int n,
                                                 @ForAll @IntRange(min = 2, max = 3) int c,
                                                 @ForAll @IntRange(min = 1, max = 3) int len,
                                                 @ForAll Reduction reduction, @ForAll long seed) {
        Tensor logits = leaf(seed, n, c, len);
        SplittableRandom rng = new SplittableRandom(seed);
        int[] labels = new int[n * len];
        for (int i = 0; i < labels.length; i++) labels[i] = rng.nextInt(c);
        Tensor w = uniform(seed + 1, 0.5, 2, c);
        Tensor target = Losses.indexTensor("test", logits, labels);
        assertGradients(in -> Losses.crossEntropy(in[0], target, w, -100, 0.1, reduction), logits);
        Tensor single = leaf(seed + 2, c);
        assertGradients(in -> Losses.crossEntropy(in[0], new int[] {labels[0]}), single);
    }

    @Property(tries = TRIES)
    void crossEntropyWithProbabilities(@ForAll @IntRange(min = 1, max = 3) int n,
                                       @ForAll @IntRange(min = 2, max = 4) int c, @ForAll Reduction reduction,
                                       @ForAll boolean weighted, @ForAll @IntRange(min = 0, max = 3) int smoothingTenths,
                                       @ForAll long seed) {
        Tensor logits = leaf(seed, n, c);
        Tensor probs = randn(seed + 1, n, c).softmax(1).detach().requiresGrad(true);
        Tensor w = weighted ? uniform(seed + 2, 0.5, 2, c) : null;
        double eps = smoothingTenths / 10.0;
        assertGradients(in -> Losses.crossEntropy(in[0], in[1], w, -100, eps, reduction), logits, probs);
    }
}
