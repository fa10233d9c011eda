package org.grad4j.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.grad4j.nn.CrossEntropyLoss;
import org.grad4j.nn.Linear;
import org.grad4j.nn.ReLU;
import org.grad4j.nn.Sequential;
import org.grad4j.optim.Adam;
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
 * One training step of a 784-256-128-10 MLP classifier through the API a user calls: {@code Sequential} of
 * {@code Linear} and {@code ReLU}, {@code CrossEntropyLoss}, {@code Adam}: zero the gradients, forward, loss,
 * backward, update, read the loss. {@code benchmarks/pytorch/bench_torch.py} runs the same step in PyTorch.
 * Sampled per step, so JMH reports the median ({@code p0.50}) beside the mean. GEMM threads come from
 * {@code -Dgrad4j.gemm.threads} (pass it with {@code -jvmArgsAppend}); {@code benchmarks/compare.sh} runs both sides.
 * Run: {@code mvn -q compile exec:exec -pl benchmarks -am -Djmh.args="MlpTrainingStepBenchmark -f 1 -wi 3 -i 5"}
 * <p>The warm-up is 45 s because the methods called once per step ({@code Sequential.forward}, {@code backward},
 * {@code Optimizer.step}, the step itself) reach the JIT's optimising compiler only after about 10,000 steps; with a
 * shorter warm-up C2 still compiles them during the measurement and the mean carries that one-time cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 15, time = 3)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MlpTrainingStepBenchmark {
    /** The layer widths, input to output. */
    static final int[] LAYERS = {784, 256, 128, 10};

    @Param({"32", "128", "512"})
    public int batch;

    Sequential model;
    CrossEntropyLoss lossFn;
    Adam optimizer;
    Tensor x;
    Tensor labels;

    @Setup
    public void setUp() {
        SplittableRandom rng = new SplittableRandom(7);
        model = new Sequential(
                new Linear(LAYERS[0], LAYERS[1], true, DType.FLOAT32, rng), new ReLU(),
                new Linear(LAYERS[1], LAYERS[2], true, DType.FLOAT32, rng), new ReLU(),
                new Linear(LAYERS[2], LAYERS[3], true, DType.FLOAT32, rng));
        lossFn = new CrossEntropyLoss();
        optimizer = new Adam(model.parameters(), Adam.options().lr(1e-3));
        x = Tensor.rand(rng, DType.FLOAT32, batch, LAYERS[0]);
        long[] classes = new long[batch];
        for (int i = 0; i < batch; i++) classes[i] = rng.nextInt(LAYERS[3]);
        labels = Tensor.of(classes, batch);
    }

    /** One step: what a user's training loop does per batch. */
    @Benchmark
    public double trainingStep() {
        optimizer.zeroGrad();
        Tensor loss = lossFn.forward(model.forward(x), labels);
        loss.backward();
        optimizer.step();
        return loss.item();
    }

    /**
     * The same step with the gradients zeroed in place ({@code zeroGrad(false)}, PyTorch's
     * {@code zero_grad(set_to_none=False)}) rather than set to null: each {@code Linear} layer's backward then writes
     * its weight gradient straight into the zeroed buffer, so a step allocates only its activations and their
     * gradients (compare {@code gc.alloc.rate.norm} under {@code -prof gc}).
     */
    @Benchmark
    public double trainingStepKeepingGrads() {
        optimizer.zeroGrad(false);
        Tensor loss = lossFn.forward(model.forward(x), labels);
        loss.backward();
        optimizer.step();
        return loss.item();
    }

    /**
     * Median thread CPU time per step (what to compare A/B on a loaded machine), for each batch in {@code args}
     * (default 32 128 512); run with {@code -Dgrad4j.gemm.threads=1} so that all the work is on the measured thread.
     */
    public static void main(String[] args) {
        String[] batches = args.length > 0 ? args : new String[] {"32", "128", "512"};
        for (String b : batches) {
            MlpTrainingStepBenchmark bench = new MlpTrainingStepBenchmark();
            bench.batch = Integer.parseInt(b);
            bench.setUp();
            CpuTimes.report("mlp step batch " + b, bench::trainingStep, Math.max(1, 1280 / bench.batch));
            CpuTimes.report("mlp step batch " + b + " zeroGrad(false)", bench::trainingStepKeepingGrads,
                    Math.max(1, 1280 / bench.batch));
        }
    }
}
