package org.grad4j.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.grad4j.core.DType;
import org.grad4j.core.Grad;
import org.grad4j.core.Tensor;
import org.grad4j.nn.Conv2d;
import org.grad4j.nn.ConvOptions;
import org.grad4j.nn.Flatten;
import org.grad4j.nn.Linear;
import org.grad4j.nn.Losses;
import org.grad4j.nn.MaxPool2d;
import org.grad4j.nn.ReLU;
import org.grad4j.nn.Sequential;
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
 * One training step of the Fashion-MNIST CNN of the {@code FashionCnn} example (LeNet-sized: conv 5x5 1->16, pool,
 * conv 5x5 16->32, pool, 800-128-10) through the nn API: forward, cross-entropy, backward, SGD update, on a batch of
 * 28x28 images. Time per step; an epoch of 60,000 images at batch 64 is 938 steps.
 * Run: {@code mvn -q compile exec:exec -pl benchmarks -am -Djmh.args="CnnTrainingStepBenchmark -f 1 -wi 3 -i 5"}
 *
 * <p>{@link #main} measures the same step as {@code benchmarks/pytorch/cnn_step_torch.py} does for PyTorch: medians
 * of wall and thread CPU time per step, the CPU time being the figure to compare on a shared, loaded machine
 * (run it with {@code -Dgrad4j.gemm.threads=1} so that all the work is on the measured thread).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CnnTrainingStepBenchmark {
    @Param({"64"})
    public int batch;

    Sequential model;
    Tensor x;
    Tensor labels;

    @Setup
    public void setUp() {
        SplittableRandom rng = new SplittableRandom(7);
        model = new Sequential(
                new Conv2d(1, 16, 5, ConvOptions.create().padding(2).rng(rng)), new ReLU(), new MaxPool2d(2),
                new Conv2d(16, 32, 5, ConvOptions.create().rng(rng)), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(800, 128, true, DType.FLOAT32, rng), new ReLU(),
                new Linear(128, 10, true, DType.FLOAT32, rng));
        x = Tensor.randn(rng, DType.FLOAT32, batch, 1, 28, 28);
        long[] classes = new long[batch];
        for (int i = 0; i < batch; i++) classes[i] = rng.nextInt(10);
        labels = Tensor.of(classes, batch).to(DType.INT64);
    }

    /**
     * Prints the median wall and CPU time per step over {@code args[0]} steps (default 200) after {@code args[1]}
     * warm-up steps (default 50; the JIT has compiled the step's code only after about 1,500, so pass 2000 for the
     * steady state of a long training run, which an epoch after the first shows);
     * then the mean wall time per step beside the median (a mean includes the garbage collections an epoch pays
     * for, which a median leaves out), the collections and their pause time per 100 steps, and the bytes allocated
     * per step by all threads.
     */
    public static void main(String[] args) {
        CnnTrainingStepBenchmark b = new CnnTrainingStepBenchmark();
        b.batch = 64;
        b.setUp();
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        int warmUp = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        for (int i = 0; i < warmUp; i++) b.trainingStep();
        long[] wall = new long[steps];
        long[] cpu = new long[steps];
        long[] gc0 = collections();
        long bytes0 = threads.getTotalThreadAllocatedBytes();
        for (int i = 0; i < steps; i++) {
            long w = System.nanoTime();
            long c = threads.getCurrentThreadCpuTime();
            b.trainingStep();
            wall[i] = System.nanoTime() - w;
            cpu[i] = threads.getCurrentThreadCpuTime() - c;
        }
        long bytes = threads.getTotalThreadAllocatedBytes() - bytes0;
        long[] gc1 = collections();
        double mean = java.util.Arrays.stream(wall).average().orElse(0);
        java.util.Arrays.sort(wall);
        java.util.Arrays.sort(cpu);
        System.out.printf(java.util.Locale.ROOT, "median per step: wall %.2f ms, cpu %.2f ms%n", wall[steps / 2] / 1e6,
                cpu[steps / 2] / 1e6);
        System.out.printf(java.util.Locale.ROOT, "mean per step: wall %.2f ms (%.1f%% above the median); per 100 steps:"
                + " %.1f collections, %.1f ms of collection; %.0f KB allocated per step%n", mean / 1e6,
                100 * (mean / wall[steps / 2] - 1), 100.0 * (gc1[0] - gc0[0]) / steps,
                100.0 * (gc1[1] - gc0[1]) / steps, bytes / 1024.0 / steps);
    }

    /** Collections so far and their accumulated time in ms, over all of the JVM's collectors. */
    static long[] collections() {
        long count = 0;
        long millis = 0;
        for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    @Benchmark
    public double trainingStep() {
        Tensor loss = Losses.crossEntropy(model.forward(x), labels);
        model.zeroGrad();
        loss.backward();
        try (Grad.Scope off = Grad.disabled()) {
            for (Tensor p : model.parameters()) {
                p.addInPlace(p.grad(), -0.01);
            }
        }
        return loss.item();
    }
}
