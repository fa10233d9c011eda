package org.grad4j.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.grad4j.core.DType;
import org.grad4j.core.FusedUpdates;
import org.grad4j.core.Tensor;

/**
 * Wall time and CPU time summed over the calling thread and the common pool's workers, per call, of the element-wise
 * ops and reductions that core splits across threads, at sizes around the split threshold. Run it twice, with
 * {@code -Dgrad4j.parallel.minElements=0} (every call split) and {@code =1000000000} (none), and compare: the split
 * pays where its wall time is lower, and costs what its CPU time adds.
 * <pre>{@code
 * java --add-modules jdk.incubator.vector -Dgrad4j.parallel.minElements=0 \
 *   -cp benchmarks/target/classes:$(cat /tmp/cp.txt) org.grad4j.benchmarks.ParallelPartsTimes
 * }</pre>
 * Arguments: sizes in elements (default 2^14 to 2^21 in powers of 2), or {@code gemm}: the matrix products of the
 * CNN's fully connected layers (forward, input gradient, weight gradient of 800-128 at batch 64) and of the MLP's
 * first layer at batch 32, to compare {@code -Dgrad4j.gemm.parallelThreshold} settings; or {@code mlp BATCH}: the
 * five products of {@link MlpTrainingStepBenchmark}'s step in their own layouts (forward {@code x W^T}, input
 * gradient {@code g W}, weight gradient {@code g^T x}), to compare {@code -Dgrad4j.gemm.threads=1} with 2.
 */
public final class ParallelPartsTimes {
    private ParallelPartsTimes() {
    }

    /** Prints one line per op and size: median wall and mean all-threads CPU time per call, in microseconds. */
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("gemm")) {
            gemms();
            return;
        }
        if (args.length > 1 && args[0].equals("mlp")) {
            mlpGemms(Integer.parseInt(args[1]));
            return;
        }
        int[] sizes = args.length > 0 ? Arrays.stream(args).mapToInt(Integer::parseInt).toArray()
                : new int[] {1 << 14, 1 << 15, 1 << 16, 1 << 17, 1 << 18, 1 << 19, 1 << 20, 1 << 21};
        System.out.println("minElements=" + System.getProperty("grad4j.parallel.minElements", "default"));
        for (int n : sizes) {
            SplittableRandom rng = new SplittableRandom(n);
            // [64, C, 28, 28]-like: 64 images, channels to make n elements, 16 x 16 positions.
            int channels = Math.max(1, n / (64 * 256));
            Tensor x = Tensor.randn(rng, DType.FLOAT32, n);
            Tensor y = Tensor.randn(rng, DType.FLOAT32, n);
            Tensor zero = Tensor.scalar(0, DType.FLOAT32);
            Tensor images = Tensor.randn(rng, DType.FLOAT32, 64, channels, 16, n / (64 * 16 * channels));
            report("relu", n, () -> x.relu());
            report("relu backward (gt, where)", n, () -> Tensor.where(x.gt(0), y, zero));
            report("add", n, () -> x.add(y));
            report("exp", n, () -> x.exp());
            report("sum over 0,2,3 (" + channels + " channels)", n, () -> images.sum(new int[] {0, 2, 3}, false));
            report("sum over rows", n, () -> x.reshape(n / 256, 256).sum(new int[] {0}, false));
            Tensor p = Tensor.randn(rng, DType.FLOAT32, n);
            Tensor m = Tensor.zeros(DType.FLOAT32, n);
            Tensor v = Tensor.zeros(DType.FLOAT32, n);
            report("adam (FusedUpdates.adam)", n, () -> {
                FusedUpdates.adam(p, y, m, v, 0.9, 0.999, 1e-3, 0.5, 1e-8, 1.0);
                return p;
            });
        }
    }

    private static void gemms() {
        System.out.println("gemm.parallelThreshold=" + System.getProperty("grad4j.gemm.parallelThreshold", "default"));
        SplittableRandom rng = new SplittableRandom(1);
        int[][] shapes = {{64, 800, 128}, {64, 128, 800}, {128, 64, 800}, {32, 784, 256}, {128, 784, 256}};
        for (int[] s : shapes) {
            Tensor a = Tensor.randn(rng, DType.FLOAT32, s[0], s[1]);
            Tensor b = Tensor.randn(rng, DType.FLOAT32, s[1], s[2]);
            Tensor bt = b.t().contiguous();
            String shape = s[0] + "x" + s[1] + "x" + s[2];
            report("A B " + shape, s[0] * s[1] * s[2], () -> a.matmul(b));
            report("A (B^T)^T " + shape, s[0] * s[1] * s[2], () -> a.matmul(bt.t()));
        }
    }

    private static void mlpGemms(int batch) {
        System.out.println("gemm.threads=" + System.getProperty("grad4j.gemm.threads", "default") + ", batch " + batch);
        SplittableRandom rng = new SplittableRandom(2);
        Tensor x = Tensor.randn(rng, DType.FLOAT32, batch, 784);
        Tensor w1 = Tensor.randn(rng, DType.FLOAT32, 256, 784);
        Tensor h1 = Tensor.randn(rng, DType.FLOAT32, batch, 256);
        Tensor w2 = Tensor.randn(rng, DType.FLOAT32, 128, 256);
        Tensor g2 = Tensor.randn(rng, DType.FLOAT32, batch, 128);
        Tensor g1 = Tensor.randn(rng, DType.FLOAT32, batch, 256);
        for (int round = 0; round < 2; round++) {
            report("x W1^T", batch * 784 * 256, () -> x.matmul(w1.t()));
            report("h1 W2^T", batch * 256 * 128, () -> h1.matmul(w2.t()));
            report("g2 W2", batch * 128 * 256, () -> g2.matmul(w2));
            report("g2^T h1", batch * 128 * 256, () -> g2.t().matmul(h1));
            report("g1^T x", batch * 256 * 784, () -> g1.t().matmul(x));
        }
    }

    private static void report(String op, int n, Supplier<Tensor> call) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        int reps = Math.max(50, (int) Math.min(4000, 200_000_000L / n));
        for (int i = 0; i < reps; i++) call.get();
        long[] wall = new long[reps];
        long cpu0 = allThreadsCpu(mx);
        for (int i = 0; i < reps; i++) {
            long t = System.nanoTime();
            call.get();
            wall[i] = System.nanoTime() - t;
        }
        long cpu = allThreadsCpu(mx) - cpu0;
        Arrays.sort(wall);
        System.out.printf(Locale.ROOT, "%-36s n=%8d  wall median %8.1f us  cpu (all threads) %8.1f us%n", op, n,
                wall[reps / 2] / 1e3, cpu / 1e3 / reps);
    }

    /** CPU time of the calling thread plus the common pool's workers and grad4j's helper threads. */
    static long allThreadsCpu(ThreadMXBean mx) {
        long total = mx.getCurrentThreadCpuTime();
        for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info != null && (info.getThreadName().startsWith("ForkJoinPool.commonPool")
                    || info.getThreadName().startsWith("grad4j-worker-"))) {
                total += Math.max(0, mx.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }
}
