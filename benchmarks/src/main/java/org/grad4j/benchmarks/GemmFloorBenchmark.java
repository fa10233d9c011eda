package org.grad4j.benchmarks;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.grad4j.core.kernel.KernelProvider;
import org.grad4j.core.kernel.Kernels;
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
 * The floor under any JVM matrix product that returns a new array: the two costs that no GEMM kernel can remove,
 * measured on their own, to set beside {@link GemmBenchmark}'s float64 {@code matmul} and PyTorch's {@code torch.mm}.
 * <ul>
 *   <li>{@link #freshResult}: {@code new double[n * n]}, the result array of an n x n product. The JVM zeroes it in
 *       memory that has not been used since the last young collection, so not in the cache; PyTorch's allocator
 *       instead hands back the block it freed on the previous call, still in the cache.</li>
 *   <li>{@link Peak#fmaPeak}: the core's float64 FMA throughput, {@value #FMA_STEPS} steps of 12 independent
 *       accumulators at the preferred vector width, no memory traffic.
 *       GFLOPS = 2 x 12 x lanes x {@value #FMA_STEPS} / time; a product of n x n matrices takes at least
 *       2 n^3 / that.</li>
 *   <li>{@link #kernelIntoReusedArray}: grad4j's float64 GEMM kernel writing into one array kept across calls (not
 *       an API users have: it shows what the kernel alone costs), beside {@link #matmul}, the same product through
 *       {@code Tensor.matmul}, which returns a new tensor.</li>
 * </ul>
 * Run: {@code mvn -q compile exec:exec -pl benchmarks -am -Djmh.args="GemmFloorBenchmark"} (pinned to one core with
 * {@code taskset -c 1} for the one-core comparison).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GemmFloorBenchmark {
    static final int FMA_STEPS = 10_000;
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

    @Param({"64", "256"})
    public int size;

    private Tensor left;
    private Tensor right;
    private double[] leftData;
    private double[] rightData;
    private double[] reused;
    private Kernels kernels;

    @Setup
    public void setUp() {
        left = Tensor.randn(1, size, size).to(DType.FLOAT64);
        right = Tensor.randn(2, size, size).to(DType.FLOAT64);
        leftData = left.toDoubleArray();
        rightData = right.toDoubleArray();
        reused = new double[size * size];
        kernels = KernelProvider.get();
    }

    @Benchmark
    public double[] kernelIntoReusedArray() {
        kernels.gemm(size, size, size, leftData, 0, size, 1, rightData, 0, size, 1, reused, 0);
        return reused;
    }

    @Benchmark
    public Tensor matmul() {
        return left.matmul(right);
    }

    @Benchmark
    public double[] freshResult() {
        return new double[size * size];
    }

    /**
     * The FMA peak in a class of its own, run once rather than once per size (it does not depend on the size); JMH
     * does not carry the enclosing class's settings over to a nested one.
     */
    @State(Scope.Benchmark)
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Warmup(iterations = 3, time = 1)
    @Measurement(iterations = 5, time = 1)
    @Fork(1)
    public static class Peak {
        /** Accumulators' factors, fields so that the JIT cannot fold the chains. */
        public double factor = 1.0000001;
        public double step = 0.9999999;

        @Benchmark
        public double fmaPeak() {
            DoubleVector a = DoubleVector.broadcast(S, factor);
            DoubleVector b = DoubleVector.broadcast(S, step);
            DoubleVector c0 = DoubleVector.zero(S);
            DoubleVector c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0;
            DoubleVector c11 = c0;
            for (int i = 0; i < FMA_STEPS; i++) {
                c0 = a.fma(b, c0);
                c1 = a.fma(b, c1);
                c2 = a.fma(b, c2);
                c3 = a.fma(b, c3);
                c4 = a.fma(b, c4);
                c5 = a.fma(b, c5);
                c6 = a.fma(b, c6);
                c7 = a.fma(b, c7);
                c8 = a.fma(b, c8);
                c9 = a.fma(b, c9);
                c10 = a.fma(b, c10);
                c11 = a.fma(b, c11);
            }
            return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                    .reduceLanes(VectorOperators.ADD);
        }
    }
}
