package org.grad4j.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.grad4j.core.Grad;
import org.grad4j.core.Tensor;
import org.grad4j.nn.Losses;
import org.grad4j.nn.Module;

/**
 * {@link CnnTrainingStepBenchmark}'s step with its convolutions and ReLUs fused (the model's {@code Sequential}
 * forward, which runs each Conv2d + ReLU pair as one {@code conv2dRelu}) against the same modules called one by one
 * (unfused), alternating in blocks of 20 steps in one JVM, so that both see the same machine load. Prints, per mode,
 * the medians of wall time, of the calling thread's CPU time and of the CPU time of the caller plus grad4j's helper
 * threads, per step. Argument: the number of blocks per mode (default 15), after 3 warm-up blocks.
 */
public final class CnnReluFusionTimes {
    private CnnReluFusionTimes() {
    }

    /** Prints one line per mode (unfused, fused): wall, caller CPU and all-threads CPU medians in ms. */
    public static void main(String[] args) {
        int blocks = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int perBlock = 20;
        CnnTrainingStepBenchmark b = new CnnTrainingStepBenchmark();
        b.batch = 64;
        b.setUp();
        List<Module> modules = new ArrayList<>();
        for (Module m : b.model) {
            modules.add(m);
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long[][] wall = new long[2][blocks * perBlock];
        long[][] caller = new long[2][blocks * perBlock];
        long[][] all = new long[2][blocks * perBlock];
        for (int block = -3; block < blocks; block++) {
            for (int mode = 0; mode < 2; mode++) {
                for (int s = 0; s < perBlock; s++) {
                    long w0 = System.nanoTime();
                    long c0 = mx.getCurrentThreadCpuTime();
                    long a0 = ParallelPartsTimes.allThreadsCpu(mx);
                    Tensor h = b.x;
                    if (mode == 1) {
                        h = b.model.forward(h);
                    } else {
                        for (Module m : modules) h = m.call(h);
                    }
                    Tensor loss = Losses.crossEntropy(h, b.labels);
                    b.model.zeroGrad();
                    loss.backward();
                    try (Grad.Scope off = Grad.disabled()) {
                        for (Tensor p : b.model.parameters()) {
                            p.addInPlace(p.grad(), -0.01);
                        }
                    }
                    loss.item();
                    if (block >= 0) {
                        int i = block * perBlock + s;
                        wall[mode][i] = System.nanoTime() - w0;
                        caller[mode][i] = mx.getCurrentThreadCpuTime() - c0;
                        all[mode][i] = ParallelPartsTimes.allThreadsCpu(mx) - a0;
                    }
                }
            }
        }
        for (int mode = 0; mode < 2; mode++) {
            System.out.printf(Locale.ROOT, "%-7s per step: wall median %.3f ms, caller cpu median %.3f ms, all threads"
                    + " cpu median %.3f ms%n", mode == 1 ? "fused" : "unfused", median(wall[mode]),
                    median(caller[mode]), median(all[mode]));
        }
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2] / 1e6;
    }
}
