package org.grad4j.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.grad4j.nn.Linear;
import org.grad4j.nn.ReLU;
import org.grad4j.nn.Sequential;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the graph costs when the arithmetic is nothing: forward and backward of tiny float32 expressions, each the
 * same as in {@code benchmarks/pytorch/bench_torch.py}. Gradients are reset to null before each backward (PyTorch:
 * {@code grad = None}), so every call does the same work.
 * <ul>
 *   <li>{@link #mulAddSumBackward}: {@code (a * b + c).sum().backward()} on three 1-element leaves;</li>
 *   <li>{@link #linearMlpForwardBackward}: a 2-16-16-1 MLP ({@code Linear}, {@code ReLU}), one sample, forward,
 *       {@code sum()}, backward;</li>
 *   <li>{@link #scalarGraph640}: a micrograd-style graph of {@value #SCALAR_OPS} ops on 0-d tensors
 *       ({@link #scalarGraph}), forward and backward; divide by {@value #SCALAR_OPS} for the cost per node.</li>
 * </ul>
 * Run: {@code mvn -q compile exec:exec -pl benchmarks -am -Djmh.args="OpOverheadBenchmark -f 1 -wi 3 -i 5"}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OpOverheadBenchmark {
    /** Ops in {@link #scalarGraph}: 64 blocks of 10. */
    static final int SCALAR_OPS = 640;

    private Tensor a;
    private Tensor b;
    private Tensor c;
    private Sequential mlp;
    private java.util.List<Tensor> mlpParameters;
    private Tensor sample;
    private Tensor x0;
    private Tensor w;
    private Tensor bias;

    @Setup
    public void setUp() {
        a = Tensor.of(new float[] {0.5f}, 1).requiresGrad(true);
        b = Tensor.of(new float[] {-1.25f}, 1).requiresGrad(true);
        c = Tensor.of(new float[] {2f}, 1).requiresGrad(true);
        SplittableRandom rng = new SplittableRandom(7);
        mlp = new Sequential(new Linear(2, 16, true, DType.FLOAT32, rng), new ReLU(),
                new Linear(16, 16, true, DType.FLOAT32, rng), new ReLU(), new Linear(16, 1, true, DType.FLOAT32, rng));
        mlpParameters = mlp.parameters();
        sample = Tensor.of(new float[] {0.3f, -0.7f}, 1, 2);
        x0 = Tensor.scalar(0.25, DType.FLOAT32).requiresGrad(true);
        w = Tensor.scalar(0.9, DType.FLOAT32).requiresGrad(true);
        bias = Tensor.scalar(0.1, DType.FLOAT32).requiresGrad(true);
    }

    /** {@code (a * b + c).sum().backward()}; returns a's gradient. */
    @Benchmark
    public Tensor mulAddSumBackward() {
        a.zeroGrad();
        b.zeroGrad();
        c.zeroGrad();
        a.mul(b).add(c).sum().backward();
        return a.grad();
    }

    /** Forward and backward of the 2-16-16-1 MLP on one sample; returns the first layer's weight gradient. */
    @Benchmark
    public Tensor linearMlpForwardBackward() {
        for (Tensor p : mlpParameters) {
            p.zeroGrad();   // the parameters collected once, as the PyTorch twin does
        }
        mlp.forward(sample).sum().backward();
        return ((Linear) mlp.get(0)).weight().grad();
    }

    /** Forward and backward of {@link #scalarGraph}; returns w's gradient. */
    @Benchmark
    public Tensor scalarGraph640() {
        x0.zeroGrad();
        w.zeroGrad();
        bias.zeroGrad();
        scalarGraph(x0, w, bias).backward();
        return w.grad();
    }

    /**
     * 64 blocks of 10 scalar ops, each block {@code t = relu(z * w + bias); z = tanh(-(t / (t * t * 0.1 + 1) - z))},
     * the ops micrograd has (mul, add, relu, div, sub, neg, tanh). Bounded for any number of blocks.
     */
    static Tensor scalarGraph(Tensor x0, Tensor w, Tensor bias) {
        Tensor z = x0;
        for (int i = 0; i < SCALAR_OPS / 10; i++) {
            Tensor t = z.mul(w).add(bias).relu();
            Tensor s = t.mul(t).mul(0.1).add(1.0);
            z = t.div(s).sub(z).neg().tanh();
        }
        return z;
    }

    /**
     * Median thread CPU time per call of each case (for A/B comparisons on a loaded machine); with arguments, only
     * the cases named ({@code mulAddSumBackward linearMlpForwardBackward scalarGraph640}).
     */
    public static void main(String[] args) {
        java.util.List<String> only = java.util.List.of(args);
        OpOverheadBenchmark bench = new OpOverheadBenchmark();
        bench.setUp();
        if (only.isEmpty() || only.contains("mulAddSumBackward")) {
            CpuTimes.report("(a*b+c).sum().backward()", () -> bench.mulAddSumBackward().item(), 2000);
        }
        if (only.isEmpty() || only.contains("linearMlpForwardBackward")) {
            CpuTimes.report("2-16-16-1 Linear MLP fwd+bwd", () -> bench.linearMlpForwardBackward().sum().item(), 400);
        }
        if (only.isEmpty() || only.contains("scalarGraph640")) {
            CpuTimes.report("640-op scalar graph fwd+bwd", () -> bench.scalarGraph640().item(), 20);
        }
    }
}
