package org.grad4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The scalar GEMM (written for the JIT's auto-vectoriser: packed rows, four k steps per pass, two orientations)
 * against a direct transcription of {@link GemmOrder}'s order, one element at a time: bit-exact, for shapes that
 * choose either orientation, every layout of A and B, offsets, k spanning several blocks and k not a multiple of
 * four, products large enough to be split across threads, and NaN, infinities and signed zeros in the inputs.
 * {@code VectorKernelsTest} holds the same kernels to the SIMD GEMM.
 */
class ScalarGemmTest {
    private static final Kernels SCALAR = KernelProvider.scalar();

    private enum Layout { ROW_MAJOR, TRANSPOSED, STRIDED }

    /** Row stride, column stride and array length for an {@code rows x cols} matrix at {@code off}. */
    private static int[] strides(Layout layout, int rows, int cols, int off) {
        return switch (layout) {
            case ROW_MAJOR -> new int[] {cols, 1, off + rows * cols};
            case TRANSPOSED -> new int[] {1, rows, off + rows * cols};
            case STRIDED -> new int[] {2 * cols + 1, 2, off + rows * (2 * cols + 1)};
        };
    }

    /** C[i][j] as GemmOrder defines it: per k block, fmas in k order from +0.0; stored, then added to C. */
    private static double reference(double[] a, int aOff, int aRs, int aCs, double[] b, int bOff, int bRs, int bCs,
                                    int i, int j, int k) {
        if (k == 0) {
            return 0;
        }
        int kc = GemmOrder.kBlock(k);
        double c = 0;
        for (int pc = 0; pc < k; pc += kc) {
            double s = +0.0;
            for (int p = pc; p < Math.min(k, pc + kc); p++) {
                s = Math.fma(a[aOff + i * aRs + p * aCs], b[bOff + p * bRs + j * bCs], s);
            }
            c = pc == 0 ? s : c + s;
        }
        return c;
    }

    private static float reference(float[] a, int aOff, int aRs, int aCs, float[] b, int bOff, int bRs, int bCs,
                                   int i, int j, int k) {
        if (k == 0) {
            return 0;
        }
        int kc = GemmOrder.kBlock(k);
        float c = 0;
        for (int pc = 0; pc < k; pc += kc) {
            float s = +0.0f;
            for (int p = pc; p < Math.min(k, pc + kc); p++) {
                s = Math.fma(a[aOff + i * aRs + p * aCs], b[bOff + p * bRs + j * bCs], s);
            }
            c = pc == 0 ? s : c + s;
        }
        return c;
    }

    private static void check(SplittableRandom rng, int m, int n, int k, Layout la, Layout lb) {
        String where = m + "x" + n + "x" + k + " A " + la + " B " + lb;
        int aOff = rng.nextInt(3);
        int bOff = rng.nextInt(3);
        int cOff = rng.nextInt(3);
        int[] as = strides(la, m, k, aOff);
        int[] bs = strides(lb, k, n, bOff);
        double[] a = new double[as[2]];
        double[] b = new double[bs[2]];
        for (int i = 0; i < a.length; i++) a[i] = rng.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = rng.nextGaussian();
        if (m > 1 && n > 1 && k > 1) {
            a[aOff + rng.nextInt(m) * as[0] + rng.nextInt(k) * as[1]] = Double.NaN;
            b[bOff + rng.nextInt(k) * bs[0] + rng.nextInt(n) * bs[1]] = Double.NEGATIVE_INFINITY;
            a[aOff + rng.nextInt(m) * as[0] + rng.nextInt(k) * as[1]] = -0.0;
            b[bOff + rng.nextInt(k) * bs[0] + rng.nextInt(n) * bs[1]] = -0.0;
        }
        float[] af = new float[a.length];
        float[] bf = new float[b.length];
        for (int i = 0; i < a.length; i++) af[i] = (float) a[i];
        for (int i = 0; i < b.length; i++) bf[i] = (float) b[i];
        double[] cd = new double[cOff + m * n + 2];
        float[] cf = new float[cd.length];
        Arrays.fill(cd, 7.0);   // C is overwritten, never accumulated into, and nothing outside it is written
        Arrays.fill(cf, 7.0f);
        SCALAR.gemm(m, n, k, a, aOff, as[0], as[1], b, bOff, bs[0], bs[1], cd, cOff);
        SCALAR.gemm(m, n, k, af, aOff, as[0], as[1], bf, bOff, bs[0], bs[1], cf, cOff);
        for (int at = 0; at < cd.length; at++) {
            int idx = at;
            boolean inside = idx >= cOff && idx < cOff + m * n;
            double expectedD = 7.0;
            float expectedF = 7.0f;
            if (inside) {
                int i = (idx - cOff) / n;
                int j = (idx - cOff) % n;
                expectedD = reference(a, aOff, as[0], as[1], b, bOff, bs[0], bs[1], i, j, k);
                expectedF = reference(af, aOff, as[0], as[1], bf, bOff, bs[0], bs[1], i, j, k);
            }
            assertEquals(Double.doubleToLongBits(expectedD), Double.doubleToLongBits(cd[idx]),
                    () -> "double " + where + " at " + idx);
            assertEquals(Float.floatToIntBits(expectedF), Float.floatToIntBits(cf[idx]),
                    () -> "float " + where + " at " + idx);
        }
    }

    @Test
    void matchesTheCanonicalOrderInEveryLayoutAndOrientation() {
        SplittableRandom rng = new SplittableRandom(11);
        // Long rows and short columns, short rows and long columns (the other orientation), square, k % 4 != 0.
        int[][] shapes = {{1, 1, 1}, {3, 5, 7}, {4, 10, 9}, {32, 10, 128}, {10, 32, 30}, {33, 130, 6},
                {130, 3, 17}, {9, 9, 4}, {5, 600, 3}, {600, 5, 3}, {17, 17, 0}, {0, 4, 4}, {4, 0, 4}};
        for (int[] s : shapes) {
            for (Layout la : Layout.values()) {
                for (Layout lb : Layout.values()) check(rng, s[0], s[1], s[2], la, lb);
            }
        }
    }

    @Test
    void matchesTheCanonicalOrderAcrossKBlocksStripsAndThreads() {
        SplittableRandom rng = new SplittableRandom(12);
        check(rng, 7, 9, 785, Layout.ROW_MAJOR, Layout.TRANSPOSED);     // four k blocks of 196 and 197 minus one
        check(rng, 6, 1100, 300, Layout.ROW_MAJOR, Layout.ROW_MAJOR);   // several column strips, two k blocks
        check(rng, 1100, 6, 300, Layout.TRANSPOSED, Layout.STRIDED);    // the same through C's transpose
        check(rng, 260, 260, 260, Layout.ROW_MAJOR, Layout.TRANSPOSED); // above the two-thread threshold
        check(rng, 300, 200, 290, Layout.STRIDED, Layout.ROW_MAJOR);    // split along m
    }
}
