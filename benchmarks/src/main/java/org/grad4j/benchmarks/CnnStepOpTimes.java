package org.grad4j.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.grad4j.core.Grad;
import org.grad4j.core.Tensor;
import org.grad4j.nn.Losses;
import org.grad4j.nn.Conv2d;
import org.grad4j.nn.MaxPool2d;
import org.grad4j.nn.Module;
import org.grad4j.nn.ReLU;
import org.grad4j.nn.Sequential;

/**
 * Where {@link CnnTrainingStepBenchmark}'s step spends its CPU time, per layer and per thread: each module's forward,
 * the loss, each module's backward (timed between the gradient hooks of its output and of its input), the update.
 * For each part it prints the median CPU time of the calling thread and of grad4j's helper threads (and the common pool's workers) summed, and the bytes those threads allocated (the garbage an epoch's collections pay for). On two
 * threads the caller's column is what stays serial (the workers' column is work split off it); on a loaded machine a
 * worker that wakes late leaves its share to the caller, so read the one-thread run ({@code -Dgrad4j.gemm.threads=1})
 * for the cost of each part and the two-thread run for which parts are split.
 * Argument: the number of steps (default 200, after 50 warm-up steps).
 */
public final class CnnStepOpTimes {
    private CnnStepOpTimes() {
    }

    /** Prints one line per part: caller CPU median, workers' CPU median, in microseconds. */
    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        CnnTrainingStepBenchmark b = new CnnTrainingStepBenchmark();
        b.batch = 64;
        b.setUp();
        // the parts Sequential runs: a Conv2d followed by a ReLU (and a MaxPool2d) is one fused op (as a Sequential
        // of the two or three here)
        List<Module> layers = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Module> modules = new ArrayList<>();
        for (Module m : b.model) {
            modules.add(m);
        }
        for (int i = 0; i < modules.size(); i++) {
            Module m = modules.get(i);
            if (m instanceof Conv2d && i + 2 < modules.size() && modules.get(i + 1) instanceof ReLU
                    && modules.get(i + 2) instanceof MaxPool2d) {
                layers.add(new Sequential(m, modules.get(i + 1), modules.get(i + 2)));
                names.add("Conv2d+ReLU+MaxPool2d");
                i += 2;
            } else if (m instanceof Conv2d && i + 1 < modules.size() && modules.get(i + 1) instanceof ReLU) {
                layers.add(new Sequential(m, modules.get(i + 1)));
                names.add("Conv2d+ReLU");
                i++;
            } else {
                layers.add(m);
                names.add(m.getClass().getSimpleName());
            }
        }
        int n = layers.size();
        // parts: 0..n-1 the layers' forwards, n the loss, n+1 zeroGrad and the loss's backward, n+2..2n+1 the
        // layers' backwards from the last layer down (layer L at 2n+1-L), 2n+2 the update and item()
        String[] labels = new String[2 * n + 3];
        for (int i = 0; i < n; i++) {
            String name = i + " " + names.get(i);
            labels[i] = name + " forward";
            labels[2 * n + 1 - i] = name + " backward";
        }
        labels[n] = "loss forward";
        labels[n + 1] = "zeroGrad + loss backward";
        labels[2 * n + 2] = "update + item";
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long[][] caller = new long[labels.length][steps];
        long[][] workers = new long[labels.length][steps];
        long[][] bytes = new long[labels.length][steps];
        for (int s = -50; s < steps; s++) {
            Recorder r = new Recorder(mx, workerIds(mx), labels.length);
            Tensor h = b.x;
            Tensor[] outs = new Tensor[n];
            for (int i = 0; i < n; i++) {
                h = layers.get(i).forward(h);
                outs[i] = h;
                r.mark(i);
            }
            Tensor loss = Losses.crossEntropy(h, b.labels);
            r.mark(n);
            b.model.zeroGrad();
            for (int i = 0; i < n; i++) {
                // the hook of layer i's output fires when its gradient is complete: what ran since the previous
                // mark is the backward of the layer above it (of the loss for the last layer)
                int part = i == n - 1 ? n + 1 : 2 * n + 1 - (i + 1);
                outs[i].registerHook(g -> {
                    r.mark(part);
                    return null;
                });
            }
            loss.backward();
            r.mark(2 * n + 1);
            try (Grad.Scope off = Grad.disabled()) {
                for (Tensor p : b.model.parameters()) {
                    p.addInPlace(p.grad(), -0.01);
                }
            }
            loss.item();
            r.mark(2 * n + 2);
            if (s >= 0) {
                for (int k = 0; k < labels.length; k++) {
                    caller[k][s] = r.caller[k];
                    workers[k][s] = r.workers[k];
                    bytes[k][s] = r.bytes[k];
                }
            }
        }
        double callerTotal = 0;
        double workerTotal = 0;
        double kbTotal = 0;
        for (int k = 0; k < labels.length; k++) {
            double c = median(caller[k]) / 1e3;
            double w = median(workers[k]) / 1e3;
            double kb = median(bytes[k]) / 1024.0;
            callerTotal += c;
            workerTotal += w;
            kbTotal += kb;
            System.out.printf(Locale.ROOT, "%-32s caller %8.1f us  workers %8.1f us  allocated %8.1f KB%n", labels[k],
                    c, w, kb);
        }
        System.out.printf(Locale.ROOT, "%-32s caller %8.1f us  workers %8.1f us  allocated %8.1f KB%n",
                "sum of the medians", callerTotal, workerTotal, kbTotal);
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static long[] cachedIds = new long[0];
    private static long lastScan;

    private static long[] workerIds(ThreadMXBean mx) {
        long now = System.nanoTime();
        if (now - lastScan > 1_000_000_000L) {
            lastScan = now;
            List<Long> ids = new ArrayList<>();
            for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
                if (info != null && (info.getThreadName().startsWith("grad4j-worker")
                        || info.getThreadName().startsWith("ForkJoinPool.commonPool"))) {
                    ids.add(info.getThreadId());
                }
            }
            cachedIds = ids.stream().mapToLong(Long::longValue).toArray();
        }
        return cachedIds;
    }

    /** CPU time of the caller and of the workers between consecutive marks. */
    private static final class Recorder {
        final ThreadMXBean mx;
        final long[] workerIds;
        final long[] caller;
        final long[] workers;
        final long[] bytes;
        long lastBytes;
        long lastCaller;
        long lastWorkers;
        int next;

        Recorder(ThreadMXBean mx, long[] workerIds, int parts) {
            this.mx = mx;
            this.workerIds = workerIds;
            caller = new long[parts];
            workers = new long[parts];
            bytes = new long[parts];
            lastBytes = allocated();
            lastCaller = mx.getCurrentThreadCpuTime();
            lastWorkers = workersCpu();
        }

        long workersCpu() {
            long total = 0;
            for (long id : workerIds) {
                total += Math.max(0, mx.getThreadCpuTime(id));
            }
            return total;
        }

        /** Bytes allocated so far by the caller and the workers (the JVM's per-thread allocation counters). */
        long allocated() {
            var sun = (com.sun.management.ThreadMXBean) mx;
            long total = sun.getCurrentThreadAllocatedBytes();
            for (long id : workerIds) {
                total += Math.max(0, sun.getThreadAllocatedBytes(id));
            }
            return total;
        }

        void mark(int part) {
            long a = allocated();
            bytes[part] += a - lastBytes;
            lastBytes = a;
            long c = mx.getCurrentThreadCpuTime();
            long w = workersCpu();
            caller[part] += c - lastCaller;
            workers[part] += w - lastWorkers;
            lastCaller = c;
            lastWorkers = w;
        }
    }
}
