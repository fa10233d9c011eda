package org.grad4j.benchmarks;

import java.util.concurrent.TimeUnit;
import org.grad4j.core.DType;
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
 * Element-wise functions and reductions through the Tensor API on one million elements (no autograd), the
 * transcendental kernels' cost per element = time / 10^6. Run:
 * {@code mvn -q compile exec:exec -pl benchmarks -am -Djmh.args="UnaryOpBenchmark -f 1 -wi 3 -i 5"}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class UnaryOpBenchmark {
    @Param({"float32", "float64"})
    public String dtype;

    private Tensor x;
    private Tensor positive;
    private Tensor logits;

    @Setup
    public void setUp() {
        DType type = "float64".equals(dtype) ? DType.FLOAT64 : DType.FLOAT32;
        x = Tensor.randn(1, 1_000_000).to(type);
        positive = x.abs().add(1e-3);
        logits = Tensor.randn(2, 1000, 1000).to(type);
    }

    @Benchmark
    public Tensor exp() {
        return x.exp();
    }

    @Benchmark
    public Tensor log() {
        return positive.log();
    }

    @Benchmark
    public Tensor tanh() {
        return x.tanh();
    }

    @Benchmark
    public Tensor sigmoid() {
        return x.sigmoid();
    }

    @Benchmark
    public Tensor sin() {
        return x.sin();
    }

    @Benchmark
    public Tensor erf() {
        return x.erf();
    }

    @Benchmark
    public Tensor powHalf() {
        return positive.pow(1.5);
    }

    @Benchmark
    public Tensor sum() {
        return x.sum();
    }

    @Benchmark
    public Tensor softmaxRows() {
        return logits.softmax(1);
    }
}
