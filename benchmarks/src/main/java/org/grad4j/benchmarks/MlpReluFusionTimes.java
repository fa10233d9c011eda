package org.grad4j.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.grad4j.core.Tensor;
import org.grad4j.nn.Module;

/**
 * {@link MlpTrainingStepBenchmark}'s step with each Linear + ReLU pair fused (the model's {@code Sequential} forward,
 * which runs them as one {@code linearRelu}) against the same modules called one by one (unfused, what the
 * Sequential ran before), alternating in blocks of 10 steps in one JVM so that both see the same machine load. Prints,
 * per batch, step flavour ({@code zeroGrad()} and {@code zeroGrad(false)}) and mode, the median CPU time of the
 * calling thread and the bytes it allocated, per step. Run with {@code -Dgrad4j.gemm.threads=1} so that all the work
 * is on the measured thread. Arguments: the number of blocks per mode (default 30, after 5 warm-up blocks), then the
 * batches (default 32 128 512).
 */
public final class MlpReluFusionTimes {
    private MlpReluFusionTimes() {
    }

    /** Prints one line per batch, flavour and mode: caller CPU median in us and allocated bytes per step. */
    public static void main(String[] args) {
        int blocks = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        String[] batches = args.length > 1 ? Arrays.copyOfRange(args, 1, args.length)
                : new String[] {"32", "128", "512"};
        int perBlock = 10;
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        double sink = 0;
        for (String batch : batches) {
            MlpTrainingStepBenchmark b = new MlpTrainingStepBenchmark();
            b.batch = Integer.parseInt(batch);
            b.setUp();
            List<Module> modules = new ArrayList<>();
            for (Module m : b.model) {
                modules.add(m);
            }
            for (boolean keepGrads : new boolean[] {false, true}) {
                long[][] cpu = new long[2][blocks * perBlock];
                long[][] bytes = new long[2][blocks * perBlock];
                for (int block = -5; block < blocks; block++) {
                    for (int mode = 0; mode < 2; mode++) {
                        for (int s = 0; s < perBlock; s++) {
                            long c0 = mx.getCurrentThreadCpuTime();
                            long a0 = mx.getThreadAllocatedBytes(tid);
                            b.optimizer.zeroGrad(!keepGrads);
                            Tensor h = b.x;
                            if (mode == 1) {
                                h = b.model.forward(h);
                            } else {
                                for (Module m : modules) h = m.call(h);
                            }
                            Tensor loss = b.lossFn.forward(h, b.labels);
                            loss.backward();
                            b.optimizer.step();
                            sink += loss.item();
                            if (block >= 0) {
                                int i = block * perBlock + s;
                                cpu[mode][i] = mx.getCurrentThreadCpuTime() - c0;
                                bytes[mode][i] = mx.getThreadAllocatedBytes(tid) - a0;
                            }
                        }
                    }
                }
                for (int mode = 0; mode < 2; mode++) {
                    System.out.printf(Locale.ROOT,
                            "batch %4s %-16s %-7s cpu median %9.1f us   alloc mean %10.0f B/step%n", batch,
                            keepGrads ? "zeroGrad(false)" : "zeroGrad()", mode == 1 ? "fused" : "unfused",
                            median(cpu[mode]) / 1e3, Arrays.stream(bytes[mode]).average().orElse(Double.NaN));
                }
            }
        }
        System.out.println(Double.isNaN(sink) ? "(nan)" : "(ok)");
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
