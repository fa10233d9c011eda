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
 * Square matrix products {@code C = A B} and {@code C = A B^T} (the layout of a Linear layer's forward), float32
 * and float64, n = 64 to 2048. GFLOPS = 2 n^3 / (time per op). Sampled per call (median and mean). GEMM threads
 * come from {@code -Dgrad4j.gemm.threads}. Run:
 * {@code mvn -q compile exec:exec -pl benchmarks -am -Djmh.args="GemmBenchmark -p size=256 -f 1 -wi 3 -i 5"}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class GemmBenchmark {
    @Param({"64", "256", "512", "1024", "2048"})
    public int size;

    @Param({"float32", "float64"})
    public String dtype;

    private Tensor a;
    private Tensor b;
    private Tensor bTransposed;

    @Setup
    public void setUp() {
        DType type = DType.valueOf(dtype.toUpperCase(java.util.Locale.ROOT));
        a = Tensor.randn(1, size, size).to(type);
        b = Tensor.randn(2, size, size).to(type);
        bTransposed = Tensor.randn(3, size, size).to(type).t();
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
