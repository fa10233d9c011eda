package org.grad4j.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.grad4j.core.DType;
import org.grad4j.core.Grad;
import org.grad4j.core.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One training step of an MLP classifier written with core ops only: forward (Linear-ReLU-Linear), cross-entropy
 * from logits, backward, and an SGD update in no-grad mode. Shapes are those of Fashion-MNIST (784-128-10) and of
 * the 8x8 digits (64-32-10), batch 64. Reported as time per step; steps/s = 1e6 / us.
 * Run: {@code mvn -q compile exec:exec -pl benchmarks -am -Djmh.args="MlpTrainingStepBenchmark -f 1 -wi 3 -i 5"}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MlpTrainingStepBenchmark {
    @Param({"784-128-10", "64-32-10"})
    public String layers;

    private static final int BATCH = 64;
    private Tensor x;
    private Tensor labels;
    private Tensor w1;
    private Tensor b1;
    private Tensor w2;
    private Tensor b2;

    @Setup
    public void setUp() {
        String[] sizes = layers.split("-");
        int in = Integer.parseInt(sizes[0]);
        int hidden = Integer.parseInt(sizes[1]);
        int out = Integer.parseInt(sizes[2]);
        SplittableRandom rng = new SplittableRandom(7);
        x = Tensor.rand(rng, DType.FLOAT32, BATCH, in);
        long[] classes = new long[BATCH];
        for (int i = 0; i < BATCH; i++) classes[i] = rng.nextInt(out);
        labels = Tensor.of(classes, BATCH, 1);
        w1 = Tensor.randn(rng, DType.FLOAT32, hidden, in).mul(1 / Math.sqrt(in)).requiresGrad(true);
        b1 = Tensor.zeros(hidden).requiresGrad(true);
        w2 = Tensor.randn(rng, DType.FLOAT32, out, hidden).mul(1 / Math.sqrt(hidden)).requiresGrad(true);
        b2 = Tensor.zeros(out).requiresGrad(true);
    }

    @Benchmark
    public double trainingStep() {
        Tensor logits = x.matmul(w1.t()).add(b1).relu().matmul(w2.t()).add(b2);
        Tensor loss = logits.logSoftmax(1).gather(1, labels).mean().neg();
        loss.backward();
        Grad.noGrad(() -> {
            for (Tensor p : new Tensor[] {w1, b1, w2, b2}) {
                p.addInPlace(p.grad(), -0.01);
                p.zeroGrad();
            }
        });
        return loss.item();
    }
}
