package org.grad4j.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.DoubleSupplier;

/**
 * A training step with its threads' CPU time: {@link CnnTrainingStepBenchmark}'s ({@code cnn}) or
 * {@link MlpTrainingStepBenchmark}'s ({@code mlp32}, {@code mlp128}, {@code mlp512}). Prints the median wall time
 * per step, the median CPU time of the calling thread, and the mean CPU time of the calling thread plus the common
 * pool's workers (the work split across threads). On a loaded machine the wall time of a split step is noise, while
 * the CPU time summed over the threads shows what splitting costs: compare it with the one-thread run's
 * ({@code -Dgrad4j.gemm.threads=1}).
 * Arguments: the step ({@code cnn} by default), the number of steps (default 200, after 50 warm-up steps).
 */
public final class StepThreadTimes {
    private StepThreadTimes() {
    }

    /** Prints one line: wall median, caller CPU median, all-threads CPU mean, per step, in ms. */
    public static void main(String[] args) {
        String which = args.length > 0 ? args[0] : "cnn";
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        DoubleSupplier step;
        if (which.equals("cnn")) {
            CnnTrainingStepBenchmark b = new CnnTrainingStepBenchmark();
            b.batch = 64;
            b.setUp();
            step = b::trainingStep;
        } else if (which.startsWith("mlp")) {
            MlpTrainingStepBenchmark b = new MlpTrainingStepBenchmark();
            b.batch = Integer.parseInt(which.substring(3));
            b.setUp();
            step = b::trainingStep;
        } else {
            throw new IllegalArgumentException("StepThreadTimes: unknown step " + which + "; use cnn, mlp32, mlp128"
                    + " or mlp512");
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 50; i++) step.getAsDouble();
        long[] wall = new long[steps];
        long[] cpu = new long[steps];
        long all0 = ParallelPartsTimes.allThreadsCpu(mx);
        for (int i = 0; i < steps; i++) {
            long w = System.nanoTime();
            long c = mx.getCurrentThreadCpuTime();
            step.getAsDouble();
            wall[i] = System.nanoTime() - w;
            cpu[i] = mx.getCurrentThreadCpuTime() - c;
        }
        long all = ParallelPartsTimes.allThreadsCpu(mx) - all0;
        Arrays.sort(wall);
        Arrays.sort(cpu);
        System.out.printf(Locale.ROOT, "%s per step: wall median %.3f ms, caller cpu median %.3f ms, all threads cpu"
                + " mean %.3f ms%n", which, wall[steps / 2] / 1e6, cpu[steps / 2] / 1e6, all / 1e6 / steps);
    }
}
