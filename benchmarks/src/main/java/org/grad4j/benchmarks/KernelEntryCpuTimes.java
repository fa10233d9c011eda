package org.grad4j.benchmarks;

import org.grad4j.core.kernel.BinaryOp;
import org.grad4j.core.kernel.KernelProvider;
import org.grad4j.core.kernel.Kernels;
import org.grad4j.core.kernel.UnaryOp;

/**
 * Thread CPU time of the SIMD kernels' element-wise entry points at lengths where their set-up shows: below one
 * vector, exactly whole vectors, whole vectors and a remainder, and a long run. For A/B comparisons of a change to
 * how an entry point chooses between its SIMD loop and the scalar loop (run old and new builds back to back).
 * Usage: {@code KernelEntryCpuTimes [case-prefix]}.
 */
public final class KernelEntryCpuTimes {
    private KernelEntryCpuTimes() {
    }

    /** Runs every case whose name starts with the optional first argument. */
    public static void main(String[] args) {
        String only = args.length > 0 ? args[0] : "";
        Kernels k = KernelProvider.get();
        System.out.println(KernelProvider.description());
        for (int n : new int[] {5, 16, 37, 1024}) {
            float[] a = new float[n];
            float[] b = new float[n];
            float[] out = new float[n];
            byte[] mask = new byte[n];
            for (int i = 0; i < n; i++) {
                a[i] = (i * 7 % 11) - 5;
                b[i] = (i * 5 % 13) - 6;
                mask[i] = (byte) (i % 3 == 0 ? 1 : 0);
            }
            long batch = Math.max(1, 200_000 / (n + 20));
            run(only, "unary neg n=" + n, () -> {
                k.unary(UnaryOp.NEG, a, 0, 1, out, 0, 1, n);
                return out[n - 1];
            }, batch);
            run(only, "binary add, b broadcast n=" + n, () -> {
                k.binary(BinaryOp.ADD, a, 0, 1, b, 0, 0, out, 0, 1, n);
                return out[n - 1];
            }, batch);
            run(only, "compare gt n=" + n, () -> {
                k.compare(BinaryOp.GT, a, 0, 1, b, 0, 1, mask, 0, 1, n);
                return mask[n - 1];
            }, batch);
            run(only, "where mask n=" + n, () -> {
                k.where(mask, 0, 1, a, 0, 1, b, 0, 1, out, 0, 1, n);
                return out[n - 1];
            }, batch);
            run(only, "sum n=" + n, () -> k.sum(a, 0, 1, n), batch);
        }
    }

    private static void run(String only, String name, java.util.function.DoubleSupplier call, long batch) {
        if (name.startsWith(only)) {
            CpuTimes.report(name, call, batch);
        }
    }
}
