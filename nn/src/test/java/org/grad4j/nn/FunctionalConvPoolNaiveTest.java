package org.grad4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * {@link Functional}'s convolution and pooling wrappers against naive loops: the short overloads, padding
 * {@code "same"} with an even kernel (one more row and column at the bottom and right, as PyTorch), reflect padding,
 * the "stride 0 means the kernel size" rule of the 1-d pools, and the rank and pair checks.
 */
class FunctionalConvPoolNaiveTest {

    private static double[] draw(long seed, int count) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[count];
        for (int i = 0; i < count; i++) v[i] = r.nextDouble(-1, 1);
        return v;
    }

    /** One input and one output channel; padded[y][x] from the given padding (top, bottom, left, right). */
    private static double[] naiveConv(double[] x, int h, int w, double[] k, int kh, int kw, int stride, int top,
                                      int bottom, int left, int right, boolean reflect, double bias) {
        int ph = h + top + bottom;
        int pw = w + left + right;
        double[][] p = new double[ph][pw];
        for (int y = 0; y < ph; y++) {
            for (int c = 0; c < pw; c++) {
                int sy = y - top;
                int sx = c - left;
                if (reflect) {
                    sy = sy < 0 ? -sy : sy >= h ? 2 * (h - 1) - sy : sy;
                    sx = sx < 0 ? -sx : sx >= w ? 2 * (w - 1) - sx : sx;
                }
                p[y][c] = sy >= 0 && sy < h && sx >= 0 && sx < w ? x[sy * w + sx] : 0;
            }
        }
        int oh = (ph - kh) / stride + 1;
        int ow = (pw - kw) / stride + 1;
        double[] out = new double[oh * ow];
        for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++) {
                double s = bias;
                for (int a = 0; a < kh; a++) {
                    for (int b = 0; b < kw; b++) s += p[i * stride + a][j * stride + b] * k[a * kw + b];
                }
                out[i * ow + j] = s;
            }
        }
        return out;
    }

    @Test
    void shortConvolutionOverloads() {
        double[] x = draw(1, 5 * 6);
        double[] k = draw(2, 3 * 3);
        Tensor out = Functional.conv2d(Tensor.of(x, 1, 1, 5, 6), Tensor.of(k, 1, 1, 3, 3), Tensor.of(new double[] {
            0.5}, 1), 2, 1);
        assertArrayEquals(naiveConv(x, 5, 6, k, 3, 3, 2, 1, 1, 1, 1, false, 0.5), out.toDoubleArray(), 1e-12);
        double[] k1 = draw(3, 3);
        Tensor out1 = Functional.conv1d(Tensor.of(x, 1, 1, 30), Tensor.of(k1, 1, 1, 3), null, 2, 1, 1, 1);
        assertArrayEquals(naiveConv(x, 1, 30, k1, 1, 3, 2, 0, 0, 1, 1, false, 0), out1.toDoubleArray(), 1e-12);
    }

    @Test
    void samePaddingWithAnEvenKernelAndReflectPadding() {
        double[] x = draw(4, 4 * 5);
        double[] k = draw(5, 2 * 4);
        Tensor same = Functional.conv2d(Tensor.of(x, 1, 4, 5), Tensor.of(k, 1, 1, 2, 4), null, new int[] {1, 1},
                new int[] {0, 0}, true, new int[] {1, 1}, 1, PaddingMode.ZEROS);
        assertArrayEquals(new int[] {1, 4, 5}, same.shape());
        // total padding 1 rows (0 top, 1 bottom) and 3 columns (1 left, 2 right)
        assertArrayEquals(naiveConv(x, 4, 5, k, 2, 4, 1, 0, 1, 1, 2, false, 0), same.toDoubleArray(), 1e-12);
        double[] k3 = draw(6, 9);
        Tensor reflect = Functional.conv2d(Tensor.of(x, 1, 1, 4, 5), Tensor.of(k3, 1, 1, 3, 3), null,
                new int[] {1, 1}, new int[] {1, 1}, false, new int[] {1, 1}, 1, PaddingMode.REFLECT);
        assertArrayEquals(naiveConv(x, 4, 5, k3, 3, 3, 1, 1, 1, 1, 1, true, 0), reflect.toDoubleArray(), 1e-12);
        Tensor zeros = Functional.conv2d(Tensor.of(x, 1, 1, 4, 5), Tensor.of(k3, 1, 1, 3, 3), null,
                new int[] {1, 1}, new int[] {1, 1}, false, new int[] {1, 1}, 1, PaddingMode.ZEROS);
        assertArrayEquals(naiveConv(x, 4, 5, k3, 3, 3, 1, 1, 1, 1, 1, false, 0), zeros.toDoubleArray(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Functional.conv2d(Tensor.of(x, 1, 1, 4, 5),
                Tensor.of(k3, 1, 1, 3, 3), null, new int[] {2, 1}, new int[] {0, 0}, true, new int[] {1, 1}, 1,
                PaddingMode.ZEROS));
    }

    @Test
    void pairsAndRanksAreChecked() {
        Tensor x = Tensor.ones(DType.FLOAT64, 1, 1, 4, 4);
        Tensor w = Tensor.ones(DType.FLOAT64, 1, 1, 3, 3);
        for (String what : new String[] {"stride", "dilation", "padding"}) {
            int[] one = {1};
            int[] two = {1, 1};
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Functional.conv2d(x, w,
                    null, what.equals("stride") ? one : two, what.equals("padding") ? one : two, false,
                    what.equals("dilation") ? one : two, 1, PaddingMode.ZEROS));
            assertEquals("conv2d: " + what + " must have 2 entries {height, width}, got [1]", e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Functional.conv2d(Tensor.ones(DType.FLOAT64, 4, 4), w, null, 1, 0));
        assertEquals("conv2d: expects a 4-d batched or 3-d unbatched input, got shape [4, 4]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Functional.maxPool1dWithIndices(Tensor.ones(4), 2, 0, 0, 1, false));
        assertEquals("maxPool1d: expects a 3-d batched or 2-d unbatched input, got shape [4]", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Functional.dropout2d(x, 1.5, true, new SplittableRandom(1)));
        assertThrows(IllegalArgumentException.class,
                () -> Functional.dropout2d(x, 1.5, false, new SplittableRandom(1)), "checked in eval mode too");
    }

    @Test
    void oneDimensionalPoolsTakeTheKernelAsStrideWhenStrideIsZero() {
        double[] x = {1, 5, 2, 8, 3, 3, 9, 0};
        Tensor t = Tensor.of(x, 1, 1, 8);
        assertArrayEquals(new double[] {3, 5, 3, 4.5}, Functional.avgPool1d(t, 2, 0, 0, true).toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {3, 5, 3, 4.5}, Functional.avgPool1d(t, 2, -1, 0, false, true)
                .toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {3, 3.5, 5, 5.5, 3, 6, 4.5}, Functional.avgPool1d(t, 2, 1, 0, true)
                .toDoubleArray(), 1e-12);
        Tensor[] max = Functional.maxPool1dWithIndices(t, 3, 0, 0, 1, false);
        assertArrayEquals(new double[] {5, 8}, max[0].toDoubleArray());
        assertArrayEquals(new double[] {1, 3}, max[1].toDoubleArray());
        assertArrayEquals(new double[] {5, 8, 9}, Functional.maxPool1d(t, 3, 0, 0, 1, true).toDoubleArray());
        Tensor square = Tensor.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, 1, 1, 4, 4);
        assertArrayEquals(new double[] {3.5, 5.5, 11.5, 13.5}, Functional.avgPool2d(square, new int[] {2, 2}, null,
                new int[] {0, 0}, true).toDoubleArray(), 1e-12);
        assertTrue(Functional.avgPool2d(square, new int[] {2, 2}, new int[0], new int[] {0, 0}, true).numel() == 4);
    }
}
