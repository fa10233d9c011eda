package org.grad4j.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import org.grad4j.core.Tensor;

/**
 * Bytes allocated by the calling thread per {@link MlpTrainingStepBenchmark} step, split by phase (zeroGrad, forward,
 * loss, backward, optimizer step, reading the loss), with {@code zeroGrad()} and {@code zeroGrad(false)}, and the
 * median CPU time of the calling thread per step. Allocation
 * does not depend on the machine's load, so this is the figure to compare A/B while the machine is shared; run with
 * {@code -Dgrad4j.gemm.threads=1} so that all the work is on the measured thread. Arguments: the number of measured
 * steps (default 200, after as many warm-up steps), then the batches (default 32 128 512).
 */
public final class StepAllocations {
    private StepAllocations() {
    }

    /** Prints one line per batch and flavour: mean bytes per step, in total and per phase. */
    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        String[] batches = args.length > 1 ? Arrays.copyOfRange(args, 1, args.length)
                : new String[] {"32", "128", "512"};
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        double sink = 0;
        for (String batch : batches) {
            MlpTrainingStepBenchmark b = new MlpTrainingStepBenchmark();
            b.batch = Integer.parseInt(batch);
            b.setUp();
            for (boolean keepGrads : new boolean[] {false, true}) {
                long[] phases = new long[6];
                long[] cpu = new long[steps];
                for (int s = -steps; s < steps; s++) {
                    long c0 = mx.getCurrentThreadCpuTime();
                    long t0 = mx.getThreadAllocatedBytes(tid);
                    b.optimizer.zeroGrad(!keepGrads);
                    long t1 = mx.getThreadAllocatedBytes(tid);
                    Tensor out = b.model.forward(b.x);
                    long t2 = mx.getThreadAllocatedBytes(tid);
                    Tensor loss = b.lossFn.forward(out, b.labels);
                    long t3 = mx.getThreadAllocatedBytes(tid);
                    loss.backward();
                    long t4 = mx.getThreadAllocatedBytes(tid);
                    b.optimizer.step();
                    long t5 = mx.getThreadAllocatedBytes(tid);
                    sink += loss.item();
                    long t6 = mx.getThreadAllocatedBytes(tid);
                    long c1 = mx.getCurrentThreadCpuTime();
                    if (s >= 0) {
                        cpu[s] = c1 - c0;
                        long[] t = {t0, t1, t2, t3, t4, t5, t6};
                        for (int p = 0; p < 6; p++) phases[p] += t[p + 1] - t[p];
                    }
                }
                long total = Arrays.stream(phases).sum();
                Arrays.sort(cpu);
                System.out.printf(Locale.ROOT,
                        "batch %4s %-16s cpu median %8.1f us %9.0f B/step: zeroGrad %7.0f forward %9.0f"
                                + " loss %7.0f backward %9.0f step %7.0f item %5.0f%n",
                        batch, keepGrads ? "zeroGrad(false)" : "zeroGrad()", cpu[steps / 2] / 1e3,
                        (double) total / steps,
                        (double) phases[0] / steps, (double) phases[1] / steps, (double) phases[2] / steps,
                        (double) phases[3] / steps, (double) phases[4] / steps, (double) phases[5] / steps);
            }
        }
        System.out.println(Double.isNaN(sink) ? "(nan)" : "(ok)");
    }
}
