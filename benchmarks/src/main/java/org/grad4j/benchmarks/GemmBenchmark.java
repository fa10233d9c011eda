package org.grad4j.benchmarks;

import java.util.concurrent.TimeUnit;
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
 * Square float32 matrix products, {@code C = A B} and {@code C = A B^T} (the layout of a Linear layer's forward).
 * GFLOPS = 2 n^3 / (time per op). Run:
 * {@code mvn -q compile exec:exec -pl benchmarks -am -Djmh.args="GemmBenchmark -f 1 -wi 3 -i 5"}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GemmBenchmark {
    @Param({"64", "256", "512"})
    public int size;

    private Tensor a;
    private Tensor b;
    private Tensor bTransposed;

    @Setup
    public void setUp() {
        a = Tensor.randn(1, size, size);
        b = Tensor.randn(2, size, size);
        bTransposed = Tensor.randn(3, size, size).t();
    }

    @Benchmark
    public Tensor matmul() {
        return a.matmul(b);
    }

    @Benchmark
    public Tensor matmulTransposedRight() {
        return a.matmul(bTransposed);
    }
}
