package org.grad4j.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.function.DoubleSupplier;

/**
 * Thread CPU time per call, for A/B comparisons on a shared machine where wall-clock times are noise: the median
 * over many repetitions after a warm-up long enough for the JIT, with the mean beside it and the bytes allocated
 * per call.
 */
final class CpuTimes {
    private CpuTimes() {
    }

    /** Runs {@code call} for warm-up, then {@code reps} timed batches of {@code perBatch} calls, and prints a line. */
    static void report(String name, DoubleSupplier call, long perBatch) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.ThreadMXBean allocations = (com.sun.management.ThreadMXBean) threads;
        long n = Math.max(1, perBatch);
        double sink = 0;
        long warmUpEnd = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < warmUpEnd) {
            for (long i = 0; i < n; i++) sink += call.getAsDouble();
        }
        int reps = 200;
        double[] perCall = new double[reps];
        long tid = Thread.currentThread().threadId();
        long bytesBefore = allocations.getThreadAllocatedBytes(tid);
        for (int r = 0; r < reps; r++) {
            long c = threads.getCurrentThreadCpuTime();
            for (long i = 0; i < n; i++) sink += call.getAsDouble();
            perCall[r] = (threads.getCurrentThreadCpuTime() - c) / (double) n;
        }
        double bytes = (allocations.getThreadAllocatedBytes(tid) - bytesBefore) / (double) (n * reps);
        double mean = Arrays.stream(perCall).average().orElse(Double.NaN);
        Arrays.sort(perCall);
        System.out.printf("%-34s cpu median %12.3f us   mean %12.3f us   alloc %12.0f B/call   (%s)%n", name,
                perCall[reps / 2] / 1e3, mean / 1e3, bytes, Double.isNaN(sink) ? "nan" : "ok");
    }
}
