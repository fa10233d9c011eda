package org.grad4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The window kernels of convolution ({@code copyRuns}, {@code foldRow}, {@code foldRows}): the SIMD kernels against
 * the scalar twin bit for bit and both against naive loops written from the definitions (foldRows: each row against
 * its own foldRow), over run lengths around the lane counts (1 to 2 vectors of floats and doubles and past them), runs
 * ending at the array's end, taps that reach outside the row on either side (padding, dilation) and rows wider than
 * a vector. Repeated so the JIT compiles the loops.
 */
class WindowKernelsTest {
    private static final int[] LENGTHS = {1, 3, 5, 7, 8, 9, 10, 15, 16, 17, 28, 31, 32, 33, 40};
    private static final Kernels SCALAR = KernelProvider.scalar();
    private static Kernels vector;

    @BeforeAll
    static void loadVectorKernels() {
        vector = SimdKernelsForTests.loadOrSkip();
    }

    @Test
    void copyRunsCopiesAndAddsEachRunAndNothingElse() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int round = 0; round < 200; round++) {
            for (int len : LENGTHS) {
                int rows = rng.nextInt(5);
                int sStride = len + rng.nextInt(4);
                int dStride = len + rng.nextInt(3);
                int sOff = rng.nextInt(3);
                int dOff = rng.nextInt(3);
                // arrays end right after the last run, so a full vector there would be out of bounds
                int sLen = Math.max(1, sOff + Math.max(0, rows - 1) * sStride + len);
                int dLen = Math.max(1, dOff + Math.max(0, rows - 1) * dStride + len);
                float[] src = floats(rng, sLen);
                float[] dst = floats(rng, dLen);
                double[] srcD = doubles(rng, sLen);
                double[] dstD = doubles(rng, dLen);
                for (boolean add : new boolean[] {false, true}) {
                    float[] expected = dst.clone();
                    double[] expectedD = dstD.clone();
                    for (int r = 0; r < rows; r++) {
                        for (int i = 0; i < len; i++) {
                            int d = dOff + r * dStride + i;
                            int s = sOff + r * sStride + i;
                            expected[d] = add ? expected[d] + src[s] : src[s];
                            expectedD[d] = add ? expectedD[d] + srcD[s] : srcD[s];
                        }
                    }
                    for (Kernels k : new Kernels[] {SCALAR, vector}) {
                        float[] out = dst.clone();
                        k.copyRuns(add, src, sOff, sStride, out, dOff, dStride, rows, len);
                        assertArrayEquals(expected, out, k.name() + " len " + len + " rows " + rows + " add " + add);
                        double[] outD = dstD.clone();
                        k.copyRuns(add, srcD, sOff, sStride, outD, dOff, dStride, rows, len);
                        assertArrayEquals(expectedD, outD, k.name() + " len " + len + " rows " + rows);
                    }
                }
            }
        }
    }

    @Test
    void foldRowSumsTheTapsOfEachPositionInOrder() {
        SplittableRandom rng = new SplittableRandom(5);
        for (int round = 0; round < 300; round++) {
            int taps = 1 + rng.nextInt(5);
            int dilation = 1 + rng.nextInt(2);
            int padding = rng.nextInt(3);
            int len = 1 + rng.nextInt(40);
            int width = Math.max(1, len + (taps - 1) * dilation - 2 * padding);
            int count = rng.nextInt(4);
            int tapStride = len + rng.nextInt(20);
            int size = count * taps * tapStride + 2 * tapStride;
            int[] bases = new int[count];
            for (int q = 0; q < count; q++) bases[q] = q * taps * tapStride + rng.nextInt(tapStride - len + 1);
            float[] cols = floats(rng, size);
            double[] colsD = doubles(rng, size);
            float[] expected = new float[width + 4];
            double[] expectedD = new double[width + 4];
            for (int x = 0; x < width; x++) {
                float sum = 0;
                double sumD = 0;
                for (int q = 0; q < count; q++) {
                    for (int t = 0; t < taps; t++) {
                        int at = x - (t * dilation - padding);
                        if (at >= 0 && at < len) {
                            sum += cols[bases[q] + t * tapStride + at];
                            sumD += colsD[bases[q] + t * tapStride + at];
                        }
                    }
                }
                expected[2 + x] = sum;
                expectedD[2 + x] = sumD;
            }
            for (Kernels k : new Kernels[] {SCALAR, vector}) {
                float[] out = new float[width + 4];
                k.foldRow(cols, bases, count, tapStride, taps, dilation, padding, len, out, 2, width);
                assertArrayEquals(expected, out, k.name() + " taps " + taps + " len " + len + " width " + width);
                double[] outD = new double[width + 4];
                k.foldRow(colsD, bases, count, tapStride, taps, dilation, padding, len, outD, 2, width);
                assertArrayEquals(expectedD, outD, k.name() + " taps " + taps + " len " + len + " width " + width);
            }
        }
    }

    @Test
    void foldRowsGivesEachRowTheBitsOfItsOwnFoldRow() {
        SplittableRandom rng = new SplittableRandom(9);
        for (int round = 0; round < 300; round++) {
            int taps = 1 + rng.nextInt(5);
            int dilation = 1 + rng.nextInt(2);
            int padding = rng.nextInt(3);
            int len = 1 + rng.nextInt(40);
            int width = Math.max(1, len + (taps - 1) * dilation - 2 * padding);
            int maxCount = 1 + rng.nextInt(4);
            int rows = rng.nextInt(11);
            // equal counts (the SIMD kernel's four-row path) in most rounds, mixed in the others
            boolean equal = rng.nextInt(3) > 0;
            int common = rng.nextInt(maxCount + 1);
            int tapStride = len + rng.nextInt(20);
            int size = (rows + 1) * maxCount * taps * tapStride + 2 * tapStride;
            int[] counts = new int[rows];
            int[] bases = new int[rows * maxCount];
            for (int r = 0; r < rows; r++) {
                counts[r] = equal ? common : rng.nextInt(maxCount + 1);
                for (int q = 0; q < maxCount; q++) {
                    bases[r * maxCount + q] = rng.nextInt(size - taps * tapStride - len + 1);
                }
            }
            float[] cols = floats(rng, size);
            double[] colsD = doubles(rng, size);
            int imageStride = width + rng.nextInt(4);
            int imageSize = 3 + rows * imageStride + width;
            for (Kernels k : new Kernels[] {SCALAR, vector}) {
                float[] expected = new float[imageSize];
                double[] expectedD = new double[imageSize];
                for (int r = 0; r < rows; r++) {
                    int[] own = java.util.Arrays.copyOfRange(bases, r * maxCount, (r + 1) * maxCount);
                    SCALAR.foldRow(cols, own, counts[r], tapStride, taps, dilation, padding, len, expected,
                            3 + r * imageStride, width);
                    SCALAR.foldRow(colsD, own, counts[r], tapStride, taps, dilation, padding, len, expectedD,
                            3 + r * imageStride, width);
                }
                float[] out = new float[imageSize];
                k.foldRows(cols, bases, counts, maxCount, rows, tapStride, taps, dilation, padding, len, out, 3,
                        imageStride, width);
                String what = k.name() + " rows " + rows + " taps " + taps + " len " + len + " width " + width;
                assertArrayEquals(expected, out, what);
                double[] outD = new double[imageSize];
                k.foldRows(colsD, bases, counts, maxCount, rows, tapStride, taps, dilation, padding, len, outD, 3,
                        imageStride, width);
                assertArrayEquals(expectedD, outD, what);
            }
        }
    }

    private static float[] floats(SplittableRandom rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rng.nextGaussian();
        return a;
    }

    private static double[] doubles(SplittableRandom rng, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = rng.nextGaussian();
        return a;
    }
}
