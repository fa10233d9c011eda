package org.grad4j.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@link CnnTrainingStepBenchmark}'s step with its threads' CPU time: the median wall time per step, the median CPU
 * time of the calling thread, and the mean CPU time of the calling thread plus the common pool's workers (the work
 * split across threads). On a loaded machine the wall time of a split step is noise, while the CPU time summed over
 * the threads shows what splitting costs: compare it with the one-thread run's ({@code -Dgrad4j.gemm.threads=1}).
 * Argument: steps (default 200), after 50 warm-up steps.
 */
public final class CnnStepThreadTimes {
    private CnnStepThreadTimes() {
    }

    /** Prints one line: wall median, caller CPU median, all-threads CPU mean, per step, in ms. */
    public static void main(String[] args) {
        CnnTrainingStepBenchmark b = new CnnTrainingStepBenchmark();
        b.batch = 64;
        b.setUp();
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 50; i++) b.trainingStep();
        long[] wall = new long[steps];
        long[] cpu = new long[steps];
        long all0 = ParallelPartsTimes.allThreadsCpu(mx);
        for (int i = 0; i < steps; i++) {
            long w = System.nanoTime();
            long c = mx.getCurrentThreadCpuTime();
            b.trainingStep();
            wall[i] = System.nanoTime() - w;
            cpu[i] = mx.getCurrentThreadCpuTime() - c;
        }
        long all = ParallelPartsTimes.allThreadsCpu(mx) - all0;
        Arrays.sort(wall);
        Arrays.sort(cpu);
        System.out.printf(Locale.ROOT, "per step: wall median %.2f ms, caller cpu median %.2f ms, all threads cpu mean"
                + " %.2f ms%n", wall[steps / 2] / 1e6, cpu[steps / 2] / 1e6, all / 1e6 / steps);
    }
}
