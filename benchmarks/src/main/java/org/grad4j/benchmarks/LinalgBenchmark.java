package org.grad4j.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.grad4j.core.DType;
import org.grad4j.core.Linalg;
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
 * float64 decompositions of one n x n matrix (forward only), and einsum's overhead over the matmul it runs on
 * ({@code "bij,bjk->bik"} on 16 batches of n x n float32 matrices). Run:
 * {@code mvn -q compile exec:exec -pl benchmarks -am -Djmh.args="LinalgBenchmark -f 1 -wi 2 -i 3"}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LinalgBenchmark {
    @Param({"16", "64"})
    public int size;

    private Tensor spd;
    private Tensor general;
    private Tensor batchA;
    private Tensor batchB;

    @Setup
    public void setUp() {
        SplittableRandom rng = new SplittableRandom(7);
        Tensor x = Tensor.randn(rng, DType.FLOAT64, size, size);
        spd = x.matmul(x.mT()).add(Tensor.eye(size, DType.FLOAT64).mul(size));
        general = Tensor.randn(rng, DType.FLOAT64, size, size);
        batchA = Tensor.randn(1, 16, size, size);
        batchB = Tensor.randn(2, 16, size, size);
    }

    @Benchmark
    public Tensor inv() {
        return Linalg.inv(general);
    }

    @Benchmark
    public Tensor cholesky() {
        return Linalg.cholesky(spd);
    }

    @Benchmark
    public Linalg.QR qr() {
        return Linalg.qr(general);
    }

    @Benchmark
    public Linalg.Eigh eigh() {
        return Linalg.eigh(spd);
    }

    @Benchmark
    public Linalg.SVD svd() {
        return Linalg.svd(general);
    }

    @Benchmark
    public Tensor einsumBatchedProduct() {
        return Tensor.einsum("bij,bjk->bik", batchA, batchB);
    }

    @Benchmark
    public Tensor matmulBatchedProduct() {
        return batchA.matmul(batchB);
    }
}
