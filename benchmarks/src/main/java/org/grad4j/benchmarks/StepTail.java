package org.grad4j.benchmarks;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleSupplier;

/**
 * Where the MLP training step's tail comes from (issue 12: "mean within 10% of median"): runs
 * {@link MlpTrainingStepBenchmark}'s step and records, per step, its wall time, the caller's CPU time, the bytes the
 * caller allocated, whether a garbage collection ran, whether the JIT compiled anything, and the caller's minor page
 * faults (first touches of memory the heap had not used yet, counted by Linux). It then splits the excess of the mean
 * over the median among the steps by cause: a GC during the step, JIT activity, page faults, the thread waiting
 * (wall time well above CPU time: preempted, or a helper thread late), and the rest.
 *
 * <p>Arguments: the step ({@code mlp32}, {@code mlp128}, {@code mlp512}, optionally with {@code k} appended for
 * {@code zeroGrad(false)}: {@code mlp128k}), the number of measured steps (default 5000), the number of warm-up steps (default 2000).
 * Run it pinned with {@code -Dgrad4j.gemm.threads=1} for one core, unpinned for two; the figures that matter on a
 * loaded machine are the CPU-time and allocation columns, the wall-time split needs an idle one. Reading the page
 * fault counter costs a few microseconds per step (and its own JIT compilations early on), which the figures include.
 * A step is credited to the first cause that applies, in the order printed.
 */
public final class StepTail {
    private StepTail() {
    }

    /** Prints the step's median and mean and the excess of the mean over the median split by cause. */
    public static void main(String[] args) throws IOException {
        String which = args.length > 0 ? args[0] : "mlp128";
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        boolean keep = which.endsWith("k");
        MlpTrainingStepBenchmark bench = new MlpTrainingStepBenchmark();
        bench.batch = Integer.parseInt(which.substring(3, keep ? which.length() - 1 : which.length()));
        bench.setUp();
        DoubleSupplier step = keep ? bench::trainingStepKeepingGrads : bench::trainingStep;
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        List<GarbageCollectorMXBean> gcs = ManagementFactory.getGarbageCollectorMXBeans();
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        Path stat = Path.of("/proc/thread-self/stat");
        boolean faults = Files.isReadable(stat);
        long warmStart = System.nanoTime();
        long windowStart = warmStart;
        long windowJit = jit.getTotalCompilationTime();
        StringBuilder windows = new StringBuilder();
        for (int i = 1; i <= warmup; i++) {
            step.getAsDouble();
            if (i % 1000 == 0) {   // how long the JIT keeps compiling: its busy time per 1000 steps
                long now = System.nanoTime();
                long jitNow = jit.getTotalCompilationTime();
                windows.append(String.format(Locale.ROOT, " %d/%d", jitNow - windowJit, (now - windowStart) / 1000000));
                windowStart = now;
                windowJit = jitNow;
            }
        }
        System.out.println(which + ": JIT busy / elapsed ms per 1000 warm-up steps:" + windows);
        System.out.printf(Locale.ROOT, "%s: %d warm-up steps in %.1f s, JIT compiler threads busy %d ms meanwhile%n",
                which, warmup, (System.nanoTime() - warmStart) / 1e9, jit.getTotalCompilationTime());
        long[] wall = new long[steps];
        long[] cpu = new long[steps];
        long[] bytes = new long[steps];
        boolean[] gc = new boolean[steps];
        boolean[] compiled = new boolean[steps];
        long[] pageFaults = new long[steps];
        long tid = Thread.currentThread().threadId();
        long jitStart = jit.getTotalCompilationTime();
        long gcStart = gcMillis(gcs);
        long start = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            long gc0 = collections(gcs);
            long jit0 = jit.getTotalCompilationTime();
            long f0 = faults ? minorFaults(stat) : 0;
            long b0 = mx.getThreadAllocatedBytes(tid);
            long c0 = mx.getCurrentThreadCpuTime();
            long w0 = System.nanoTime();
            step.getAsDouble();
            wall[i] = System.nanoTime() - w0;
            cpu[i] = mx.getCurrentThreadCpuTime() - c0;
            bytes[i] = mx.getThreadAllocatedBytes(tid) - b0;
            pageFaults[i] = faults ? minorFaults(stat) - f0 : 0;
            gc[i] = collections(gcs) != gc0;
            compiled[i] = jit.getTotalCompilationTime() != jit0;
        }
        double elapsedMs = (System.nanoTime() - start) / 1e6;
        long jitMs = jit.getTotalCompilationTime() - jitStart;
        long gcMs = gcMillis(gcs) - gcStart;
        double medianWall = median(wall);
        double medianCpu = median(cpu);
        double meanWall = Arrays.stream(wall).average().orElse(0);
        double meanCpu = Arrays.stream(cpu).average().orElse(0);
        // Each step's excess over the median wall time, credited to the first cause that applies.
        String[] causes = {"GC during the step", "JIT compiled", "page faults (> 16)", "waiting (wall > 1.2 cpu)",
            "rest"};
        double[] excess = new double[causes.length];
        int[] count = new int[causes.length];
        for (int i = 0; i < steps; i++) {
            int cause = gc[i] ? 0 : compiled[i] ? 1 : pageFaults[i] > 16 ? 2 : wall[i] > 1.2 * cpu[i] ? 3 : 4;
            excess[cause] += wall[i] - medianWall;
            count[cause]++;
        }
        System.out.printf(Locale.ROOT, "%s, %d steps: wall median %.1f us, mean %.1f us (+%.1f%%); caller cpu median"
                + " %.1f us, mean %.1f us (+%.1f%%); allocated %.0f B per step (median %.0f)%n", which, steps,
                medianWall / 1e3, meanWall / 1e3, 100 * (meanWall / medianWall - 1), medianCpu / 1e3, meanCpu / 1e3,
                100 * (meanCpu / medianCpu - 1), Arrays.stream(bytes).average().orElse(0), median(bytes));
        System.out.printf(Locale.ROOT, "  over the %.0f ms measured: JIT compiler threads busy %d ms (%.1f%%), GC %d ms"
                + " (%.1f%%)%n", elapsedMs, jitMs, 100 * jitMs / elapsedMs, gcMs, 100 * gcMs / elapsedMs);
        for (int c = 0; c < causes.length; c++) {
            System.out.printf(Locale.ROOT, "  %-26s %6d steps, mean - median: %+6.2f%% of the median%n", causes[c],
                    count[c], 100 * excess[c] / steps / medianWall);
        }
    }

    private static long collections(List<GarbageCollectorMXBean> gcs) {
        long n = 0;
        for (GarbageCollectorMXBean b : gcs) n += Math.max(0, b.getCollectionCount());
        return n;
    }

    private static long gcMillis(List<GarbageCollectorMXBean> gcs) {
        long ms = 0;
        for (GarbageCollectorMXBean b : gcs) ms += Math.max(0, b.getCollectionTime());
        return ms;
    }

    /** Field 10 of /proc/thread-self/stat (minflt), after the parenthesised command name. */
    private static long minorFaults(Path stat) throws IOException {
        String s = Files.readString(stat);
        String[] fields = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[7]);
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
