package org.grad4j.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;

/**
 * GEMM GFLOPS by thread CPU time, for A/B comparisons of the blocked GEMM on a shared machine: {@code C = A B} and
 * {@code C = A B^T} per shape, 2 m k n / median CPU time of one call. Run pinned, with one GEMM thread, old and new
 * code alternately (the JMH {@link GemmBenchmark} is the table of record on an idle machine):
 * {@code taskset -c 1 java --add-modules jdk.incubator.vector -Dgrad4j.gemm.threads=1 -cp CP
 * org.grad4j.benchmarks.GemmCpuTimes FLOAT32 256 1024 2048 128x784x256} (a shape is n, or m x k x n).
 */
public final class GemmCpuTimes {
    private GemmCpuTimes() {
    }

    /**
     * Prints one line of GFLOPS per case.
     *
     * @param args the dtype ({@code FLOAT32} or {@code FLOAT64}), then shapes: {@code n} or {@code m x k x n}
     */
    public static void main(String[] args) {
        DType type = DType.valueOf(args[0]);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Tensor warmA = Tensor.randn(1, 256, 256).to(type);
        Tensor warmB = Tensor.randn(2, 256, 256).to(type);
        for (int i = 0; i < 60; i++) {
            warmA.matmul(warmB);
            warmA.matmul(warmB.t());
        }
        StringBuilder line = new StringBuilder(args[0]);
        for (int at = 1; at < args.length; at++) {
            String[] dims = args[at].split("x");
            int m = Integer.parseInt(dims[0]);
            int k = dims.length == 3 ? Integer.parseInt(dims[1]) : m;
            int n = dims.length == 3 ? Integer.parseInt(dims[2]) : m;
            Tensor a = Tensor.randn(1, m, k).to(type);
            Tensor b = Tensor.randn(2, k, n).to(type);
            Tensor bTransposed = Tensor.randn(3, n, k).to(type).t();
            double flops = 2.0 * m * k * n;
            int reps = Math.max(7, (int) (2e9 / flops));
            for (boolean transposed : new boolean[] {false, true}) {
                Tensor right = transposed ? bTransposed : b;
                for (int i = 0; i < 3; i++) a.matmul(right);
                double[] nanos = new double[reps];
                for (int r = 0; r < reps; r++) {
                    long start = threads.getCurrentThreadCpuTime();
                    a.matmul(right);
                    nanos[r] = threads.getCurrentThreadCpuTime() - start;
                }
                Arrays.sort(nanos);
                line.append(String.format(" %s%s=%.1f", transposed ? "ABt" : "AB", args[at], flops / nanos[reps / 2]));
            }
        }
        System.out.println(line);
    }
}
