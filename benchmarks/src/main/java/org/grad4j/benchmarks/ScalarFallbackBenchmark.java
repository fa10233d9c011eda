package org.grad4j.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.grad4j.core.DType;
import org.grad4j.core.Grad;
import org.grad4j.core.Tensor;
import org.grad4j.core.kernel.KernelProvider;
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
 * The scalar kernels (no {@code --add-modules jdk.incubator.vector}, or {@code -Dgrad4j.kernels=scalar}) against the
 * SIMD kernels on the two workloads the README's ratio is about: square matrix products (float32 and float64) and an
 * MLP training step (784-128-10, forward, cross-entropy, backward, SGD). Run once as is and once with the scalar
 * kernels, and divide:
 * <pre>
 * mvn -q compile exec:exec -pl benchmarks -am -Djmh.args="ScalarFallbackBenchmark -f 1 -wi 3 -i 5"
 * mvn -q compile exec:exec -pl benchmarks -am \
 *     -Djmh.args="ScalarFallbackBenchmark -f 1 -wi 3 -i 5 -jvmArgsAppend -Dgrad4j.kernels=scalar"
 * </pre>
 * On a shared machine wall time is noise; {@link #main} measures the median CPU time of the calling thread per
 * operation instead (one GEMM thread), for the kernels this JVM chose:
 * <pre>
 * mvn -q compile exec:exec -pl benchmarks -am -Dbench.main=org.grad4j.benchmarks.ScalarFallbackBenchmark \
 *     -Dbench.jvmArgs="-Dgrad4j.gemm.threads=1 -Dgrad4j.kernels=scalar"   (and without -Dgrad4j.kernels=scalar)
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ScalarFallbackBenchmark {

    /** Two random {@code size x size} matrices of one dtype. */
    @State(Scope.Benchmark)
    public static class Matrices {
        @Param({"64", "256", "1024"})
        public int size;

        @Param({"FLOAT32", "FLOAT64"})
        public DType dtype;

        Tensor a;
        Tensor b;

        @Setup
        public void setUp() {
            a = Tensor.randn(new SplittableRandom(1), dtype, size, size);
            b = Tensor.randn(new SplittableRandom(2), dtype, size, size);
        }
    }

    /** A 784-128-10 float32 MLP and one batch of inputs and labels. */
    @State(Scope.Benchmark)
    public static class Mlp {
        @Param({"32", "128"})
        public int batch;

        Tensor x;
        Tensor labels;
        Tensor w1;
        Tensor b1;
        Tensor w2;
        Tensor b2;

        @Setup
        public void setUp() {
            SplittableRandom rng = new SplittableRandom(7);
            x = Tensor.rand(rng, DType.FLOAT32, batch, 784);
            long[] classes = new long[batch];
            for (int i = 0; i < batch; i++) classes[i] = rng.nextInt(10);
            labels = Tensor.of(classes, batch, 1);
            w1 = Tensor.randn(rng, DType.FLOAT32, 128, 784).mul(1 / Math.sqrt(784)).requiresGrad(true);
            b1 = Tensor.zeros(128).requiresGrad(true);
            w2 = Tensor.randn(rng, DType.FLOAT32, 10, 128).mul(1 / Math.sqrt(128)).requiresGrad(true);
            b2 = Tensor.zeros(10).requiresGrad(true);
        }

        double step() {
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

    /** {@code C = A B}. */
    @Benchmark
    public Tensor gemm(Matrices m) {
        return m.a.matmul(m.b);
    }

    /** One SGD step of the MLP. */
    @Benchmark
    public double mlpTrainingStep(Mlp mlp) {
        return mlp.step();
    }

    /**
     * Median CPU time of this thread per operation, for the kernels this JVM chose (pass
     * {@code -Dgrad4j.kernels=scalar} for the scalar ones, and {@code -Dgrad4j.gemm.threads=1} so the calling thread
     * does all the work): one line per case, {@code name value microseconds}.
     */
    public static void main(String[] args) {
        System.out.println("# kernels: " + KernelProvider.get().name());
        for (int size : new int[] {64, 256, 1024}) {
            for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                Matrices m = new Matrices();
                m.size = size;
                m.dtype = dtype;
                m.setUp();
                report("gemm " + size + " " + dtype, () -> m.a.matmul(m.b), 2e8 / ((double) size * size * size));
            }
        }
        for (int batch : new int[] {32, 128}) {
            Mlp mlp = new Mlp();
            mlp.batch = batch;
            mlp.setUp();
            report("mlpTrainingStep " + batch, mlp::step, 20.0 * 32 / batch);
        }
    }

    private static void report(String name, Runnable op, double repsPerRound) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int reps = Math.max(1, (int) repsPerRound);
        long[] perOp = new long[25];
        for (int round = -10; round < perOp.length; round++) {   // ten rounds of warm-up
            long start = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < reps; i++) op.run();
            if (round >= 0) perOp[round] = (threads.getCurrentThreadCpuTime() - start) / reps;
        }
        Arrays.sort(perOp);
        System.out.printf("%s %.1f us%n", name, perOp[perOp.length / 2] / 1e3);
    }
}
