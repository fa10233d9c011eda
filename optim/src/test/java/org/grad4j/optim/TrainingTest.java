package org.grad4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * End to end: a 2-32-32-2 tanh MLP (raw tensors) learns a noisy two-class spiral to 100% training accuracy with each
 * optimizer, full batch, fixed seeds, within a bounded number of steps.
 */
class TrainingTest {
    static final int PER_CLASS = 50;
    static final int HIDDEN = 32;

    /** {@code scheduled}: warm-up then cosine (per step) and gradient clipping at norm 1. */
    record Setup(String name, Function<List<Tensor>, Optimizer> make, int maxSteps, boolean scheduled) {
        Setup(String name, Function<List<Tensor>, Optimizer> make, int maxSteps) {
            this(name, make, maxSteps, false);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> setups() {
        return Stream.of(
                // measured: 1170, 1030, 1560, 170, 170 and 130 steps
                new Setup("SGD", ps -> new SGD(ps, SGD.options(0.1).momentum(0.9)), 2000),
                new Setup("SGD nesterov", ps -> new SGD(ps, SGD.options(0.1).momentum(0.9).nesterov(true)), 2000),
                new Setup("RMSProp", ps -> new RMSProp(ps, RMSProp.options().lr(0.003)), 2500),
                new Setup("Adam", ps -> new Adam(ps, Adam.options().lr(0.01)), 500),
                new Setup("AdamW", ps -> new AdamW(ps, AdamW.options().lr(0.01)), 500),
                new Setup("AdamW warm-up, cosine, clipped", ps -> new AdamW(ps, AdamW.options().lr(0.02)), 600, true))
                .map(Arguments::of);
    }

    /** Two interleaved spirals with a little noise: [2 * PER_CLASS, 2] inputs and their labels. */
    static Tensor spiral(int[] labels) {
        SplittableRandom rng = new SplittableRandom(7);
        double[] xy = new double[4 * PER_CLASS];
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < PER_CLASS; i++) {
                int k = c * PER_CLASS + i;
                double r = 0.1 + 0.9 * i / PER_CLASS;
                double t = 3.5 * Math.PI * i / PER_CLASS + c * Math.PI;
                xy[2 * k] = r * Math.sin(t) + 0.02 * rng.nextGaussian();
                xy[2 * k + 1] = r * Math.cos(t) + 0.02 * rng.nextGaussian();
                labels[k] = c;
            }
        }
        return Tensor.of(xy, 2 * PER_CLASS, 2);
    }

    static Tensor init(SplittableRandom rng, int fanIn, int... shape) {
        return Tensor.randn(rng, DType.FLOAT64, shape).mul(1 / Math.sqrt(fanIn)).detach().requiresGrad(true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("setups")
    void mlpReachesFullTrainingAccuracy(Setup s) {
        int[] labels = new int[2 * PER_CLASS];
        Tensor x = spiral(labels);
        Tensor target = Tensor.oneHot(labels, 2, DType.FLOAT64);
        SplittableRandom rng = new SplittableRandom(42);
        Tensor w1 = init(rng, 2, 2, HIDDEN);
        Tensor b1 = Tensor.zeros(DType.FLOAT64, HIDDEN).requiresGrad(true);
        Tensor w2 = init(rng, HIDDEN, HIDDEN, HIDDEN);
        Tensor b2 = Tensor.zeros(DType.FLOAT64, HIDDEN).requiresGrad(true);
        Tensor w3 = init(rng, HIDDEN, HIDDEN, 2);
        Tensor b3 = Tensor.zeros(DType.FLOAT64, 2).requiresGrad(true);
        List<Tensor> params = List.of(w1, b1, w2, b2, w3, b3);
        Optimizer opt = s.make().apply(params);
        LRScheduler schedule = s.scheduled() ? new SequentialLR(opt, List.of(new LinearWarmup(opt, 0.1, 20),
                new CosineAnnealingLR(opt, s.maxSteps() - 20, 1e-4)), 20) : null;

        double firstLoss = Double.NaN;
        for (int step = 1; step <= s.maxSteps(); step++) {
            opt.zeroGrad();
            Tensor logits = x.matmul(w1).add(b1).tanh().matmul(w2).add(b2).tanh().matmul(w3).add(b3);
            Tensor loss = logits.logSoftmax(1).mul(target).sum(1).mean().neg();
            if (step == 1) {
                firstLoss = loss.item();
            }
            if (step % 10 == 0 && accuracy(logits, labels) == 1.0) {
                System.out.printf("%s: 100%% training accuracy after %d steps (loss %.4f, from %.4f)%n",
                        s.name(), step, loss.item(), firstLoss);
                assertTrue(loss.item() < firstLoss);
                return;
            }
            loss.backward();
            if (schedule != null) {
                double norm = ClipGrad.clipGradNorm(params, 1.0);
                assertTrue(Double.isFinite(norm));
            }
            opt.step();
            if (schedule != null) {
                schedule.step();
            }
        }
        Tensor logits = x.matmul(w1).add(b1).tanh().matmul(w2).add(b2).tanh().matmul(w3).add(b3);
        assertEquals(1.0, accuracy(logits, labels), s.name() + " did not reach 100% in " + s.maxSteps() + " steps");
    }

    static double accuracy(Tensor logits, int[] labels) {
        double[] predicted = logits.argmax(1, false).toDoubleArray();
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            correct += predicted[i] == labels[i] ? 1 : 0;
        }
        return (double) correct / labels.length;
    }
}
