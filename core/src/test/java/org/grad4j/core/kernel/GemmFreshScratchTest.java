package org.grad4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every GEMM keeps per-thread scratch buffers (packed A and B, gather indices, the shared B of a row split) that
 * only grow: on a thread that has run larger products, a buffer sized too small by a slip in its size arithmetic goes
 * unnoticed. Here each product runs on a thread of its own, whose buffers start empty, so each is exactly as large
 * as its call asks; SIMD and scalar GEMM in both dtypes, held to each other bit for bit and the doubles to a naive
 * loop. Shapes reach every packing path: B read in place and packed, several k blocks (the floats pack several at
 * once), doubles over several column blocks (A packed once per k block), transposed operands (in-register
 * transposes plus gathers for the rows left over) and strided ones (gathers along both), and a row split sharing
 * one packed B.
 */
class GemmFreshScratchTest {
    private static final Kernels SCALAR = KernelProvider.scalar();
    private static Kernels vector;

    @BeforeAll
    static void loadVectorKernels() {
        vector = SimdKernelsForTests.loadOrSkip();
    }

    /** How an operand lies in its array: row-major, transposed, or every other element of a wider row-major one. */
    private enum Layout { ROW_MAJOR, TRANSPOSED, STRIDED }

    @Test
    void productsOnFreshThreadsAgreeWithTheScalarGemm() throws InterruptedException {
        SplittableRandom rng = new SplittableRandom(91);
        // m, n, k: B in place with several k blocks; doubles over several column blocks with B packed (and floats
        // over two column blocks); A transposed with rows left over after whole 8- or 16-row transposes; a tall
        // product over two row blocks of the doubles.
        int[][] shapes = {{13, 65, 600}, {20, 1030, 300}, {70, 40, 50}, {260, 24, 40}, {7, 530, 1100}};
        for (int[] s : shapes) {
            for (Layout la : Layout.values()) {
                for (Layout lb : Layout.values()) {
                    check(rng, s[0], s[1], s[2], la, lb, 0);
                }
            }
        }
    }

    @Test
    void sharedRowSplitsOnFreshThreadsAgreeWithTheScalarGemm() throws InterruptedException {
        SplittableRandom rng = new SplittableRandom(92);
        for (int[] s : new int[][] {{97, 40, 600}, {61, 1030, 70}}) {
            for (Layout lb : new Layout[] {Layout.ROW_MAJOR, Layout.TRANSPOSED}) {
                check(rng, s[0], s[1], s[2], Layout.ROW_MAJOR, lb, 2);
            }
        }
    }

    /** Strides of a rows x cols operand in the given layout: {row stride, column stride}. */
    private static int[] strides(Layout layout, int rows, int cols) {
        return switch (layout) {
            case ROW_MAJOR -> new int[] {cols, 1};
            case TRANSPOSED -> new int[] {1, rows};
            case STRIDED -> new int[] {2 * cols + 1, 2};
        };
    }

    /** Runs a product on a new thread, so that its scratch buffers start empty. */
    private static void onFreshThread(Runnable product) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                product.run();
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        thread.start();
        thread.join();
        if (failure.get() != null) {
            throw new AssertionError("the product failed on its fresh thread", failure.get());
        }
    }

    /** sharedThreads 0: through {@code gemm}; otherwise {@code sharedRowSplit} with that many threads. */
    private static void check(SplittableRandom rng, int m, int n, int k, Layout la, Layout lb, int sharedThreads)
            throws InterruptedException {
        String where = m + "x" + n + "x" + k + " A " + la + " B " + lb
                + (sharedThreads > 0 ? ", shared row split on " + sharedThreads + " threads" : "");
        int[] as = strides(la, m, k);
        int[] bs = strides(lb, k, n);
        double[] a = new double[1 + (m - 1) * as[0] + (k - 1) * as[1] + 1];
        double[] b = new double[1 + (k - 1) * bs[0] + (n - 1) * bs[1] + 1];
        for (int i = 0; i < a.length; i++) a[i] = rng.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = rng.nextGaussian();
        float[] af = new float[a.length];
        float[] bf = new float[b.length];
        for (int i = 0; i < a.length; i++) af[i] = (float) a[i];
        for (int i = 0; i < b.length; i++) bf[i] = (float) b[i];
        int cOff = 2;
        double[] expected = new double[cOff + m * n + 1];
        double[] actual = new double[cOff + m * n + 1];
        float[] expectedF = new float[cOff + m * n + 1];
        float[] actualF = new float[cOff + m * n + 1];
        actual[cOff + m * n] = Double.NaN;   // C's end must not be written past
        actualF[cOff + m * n] = Float.NaN;
        onFreshThread(() -> SCALAR.gemm(m, n, k, a, 1, as[0], as[1], b, 1, bs[0], bs[1], expected, cOff));
        onFreshThread(() -> SCALAR.gemm(m, n, k, af, 1, as[0], as[1], bf, 1, bs[0], bs[1], expectedF, cOff));
        if (sharedThreads > 0) {
            onFreshThread(() -> assertTrue(VectorGemmD.sharedRowSplit(m, n, k, a, 1, as[0], as[1], b, 1, bs[0],
                    bs[1], actual, cOff, sharedThreads), where + ": not split"));
            onFreshThread(() -> assertTrue(VectorGemmF.sharedRowSplit(m, n, k, af, 1, as[0], as[1], bf, 1, bs[0],
                    bs[1], actualF, cOff, sharedThreads), where + ": not split"));
        } else {
            onFreshThread(() -> vector.gemm(m, n, k, a, 1, as[0], as[1], b, 1, bs[0], bs[1], actual, cOff));
            onFreshThread(() -> vector.gemm(m, n, k, af, 1, as[0], as[1], bf, 1, bs[0], bs[1], actualF, cOff));
        }
        assertTrue(Double.isNaN(actual[cOff + m * n]), where + ": double C written past its end");
        assertTrue(Float.isNaN(actualF[cOff + m * n]), where + ": float C written past its end");
        for (int at = 0; at < cOff + m * n; at++) {
            String cell = at < cOff ? "before C" : "C[" + (at - cOff) / n + "][" + (at - cOff) % n + "]";
            assertEquals(Double.doubleToRawLongBits(expected[at]), Double.doubleToRawLongBits(actual[at]),
                    () -> "double " + where + " at " + cell);
            assertEquals(Float.floatToRawIntBits(expectedF[at]), Float.floatToRawIntBits(actualF[at]),
                    () -> "float " + where + " at " + cell);
        }
        for (int i = 0; i < m; i += Math.max(1, m / 4)) {
            for (int j = 0; j < n; j += Math.max(1, n / 5)) {
                NaiveGemm.assertElement(actual[cOff + i * n + j], i, j, k, a, 1, as[0], as[1], b, 1, bs[0], bs[1],
                        where);
            }
        }
    }
}
