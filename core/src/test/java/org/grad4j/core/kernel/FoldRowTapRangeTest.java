package org.grad4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SIMD {@code foldRow}/{@code foldRows} loop, per vector of the image row, over exactly the taps whose run
 * reaches that vector. Here the runs are short (1 to 6 elements) against many taps and rows wider than a vector, so
 * that the last, partial vector of a row (1 to 3 lanes) has taps just outside its range on both sides, and the cols
 * array ends right after the last element a tap can read: a tap range one or two taps too wide reads past it through
 * the lanes it discards. Geometries need not come from a convolution (the kernels trust any); each row against the
 * definition (a sum from +0.0 in (q, t) order, +0.0 for a term outside the run) and the scalar twin, bit for bit.
 */
class FoldRowTapRangeTest {
    private static final Kernels SCALAR = KernelProvider.scalar();
    private static Kernels vector;

    @BeforeAll
    static void loadVectorKernels() {
        vector = SimdKernelsForTests.loadOrSkip();
    }

    @Test
    void shortRunsUnderManyTapsReadOnlyTheirRuns() {
        SplittableRandom rng = new SplittableRandom(41);
        int[] widths = {1, 2, 3, 9, 16, 17, 18, 19, 33, 34, 35};
        for (int round = 0; round < 30; round++) {
            for (int width : widths) {
                int len = 1 + rng.nextInt(6);
                int dilation = 1 + rng.nextInt(3);
                int padding = rng.nextInt(4);
                // enough taps that some start past the row's end: t dilation - padding up to about width + 3
                int taps = Math.max(1, (width + padding + 3) / dilation + rng.nextInt(3));
                check(rng, width, taps, len, dilation, padding);
            }
        }
    }

    @Test
    void theLastPartialVectorWithTapsJustPastItsEnd() {
        // 17 columns: the last vector holds 1 lane (2 at 16 lanes plus one); the last of 19 taps starts 18 columns
        // in, and cols ends with that tap's run
        check(new SplittableRandom(42), 17, 19, 2, 1, 0);
        check(new SplittableRandom(43), 33, 35, 2, 1, 0);
        check(new SplittableRandom(44), 18, 21, 1, 1, 1);
    }

    private static void check(SplittableRandom rng, int width, int taps, int len, int dilation, int padding) {
        int tapStride = len + rng.nextInt(3);
        int rows = 6;   // one group of four rows with equal counts, then two rows alone
        int maxCount = 2;
        int[] counts = {2, 2, 2, 2, 1, 2};
        int[] bases = new int[rows * maxCount];
        int runs = 0;
        int span = (taps - 1) * tapStride + len;
        for (int r = 0; r < rows; r++) {
            for (int q = 0; q < counts[r]; q++) bases[r * maxCount + q] = (runs++) * span;
        }
        // the array ends right after the last run of the last base
        float[] cols = new float[runs * span];
        double[] colsD = new double[runs * span];
        for (int i = 0; i < cols.length; i++) {
            colsD[i] = rng.nextDouble() * 4 - 2;
            cols[i] = (float) colsD[i];
        }
        int imageStride = width + 1;
        int imageOff = 1;
        float[] expected = new float[imageOff + rows * imageStride];
        double[] expectedD = new double[expected.length];
        java.util.Arrays.fill(expected, 9f);
        java.util.Arrays.fill(expectedD, 9.0);
        for (int r = 0; r < rows; r++) {
            for (int x = 0; x < width; x++) {
                float s = 0;
                double sD = 0;
                for (int q = 0; q < counts[r]; q++) {
                    for (int t = 0; t < taps; t++) {
                        int at = x + padding - t * dilation;
                        boolean inside = at >= 0 && at < len;
                        int i = bases[r * maxCount + q] + t * tapStride + at;
                        s += inside ? cols[i] : 0f;
                        sD += inside ? colsD[i] : 0.0;
                    }
                }
                expected[imageOff + r * imageStride + x] = s;
                expectedD[imageOff + r * imageStride + x] = sD;
            }
        }
        String where = "width " + width + " taps " + taps + " len " + len + " dilation " + dilation + " padding "
                + padding;
        for (Kernels k : new Kernels[] {SCALAR, vector}) {
            float[] image = new float[expected.length];
            double[] imageD = new double[expected.length];
            java.util.Arrays.fill(image, 9f);
            java.util.Arrays.fill(imageD, 9.0);
            k.foldRows(cols, bases, counts, maxCount, rows, tapStride, taps, dilation, padding, len, image, imageOff,
                    imageStride, width);
            k.foldRows(colsD, bases, counts, maxCount, rows, tapStride, taps, dilation, padding, len, imageD,
                    imageOff, imageStride, width);
            assertArrayEquals(expected, image, k.name() + " foldRows " + where);
            assertArrayEquals(expectedD, imageD, k.name() + " foldRows " + where + " (doubles)");
            for (int r = 0; r < rows; r++) {
                float[] row = new float[width];
                double[] rowD = new double[width];
                int[] rowBases = java.util.Arrays.copyOfRange(bases, r * maxCount, r * maxCount + counts[r]);
                k.foldRow(cols, rowBases, counts[r], tapStride, taps, dilation, padding, len, row, 0, width);
                k.foldRow(colsD, rowBases, counts[r], tapStride, taps, dilation, padding, len, rowD, 0, width);
                int at = imageOff + r * imageStride;
                assertArrayEquals(java.util.Arrays.copyOfRange(expected, at, at + width), row,
                        k.name() + " foldRow " + r + " " + where);
                assertArrayEquals(java.util.Arrays.copyOfRange(expectedD, at, at + width), rowD,
                        k.name() + " foldRow " + r + " " + where + " (doubles)");
            }
        }
    }
}
