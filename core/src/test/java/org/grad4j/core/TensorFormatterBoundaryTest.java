package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Printing at its boundaries: blocks of a 3-d tensor, the summary threshold of 1000 elements, the edges of a
 * summarised dim, and the switch to scientific notation at a ratio of exactly 1000, 1e8 and 1e-4. The expected
 * strings are PyTorch 1.13's ({@code print_formatter_reference.py} prints them), plus the {@code , shape=[...]} that
 * grad4j adds to a summary.
 */
class TensorFormatterBoundaryTest {

    @Test
    void aThreeDimensionalTensorSeparatesItsBlocksWithABlankLine() {
        assertEquals("tensor([[[0, 1],\n         [2, 3]],\n\n        [[4, 5],\n         [6, 7]]])",
                Tensor.arange(0, 8, 1, DType.INT64).reshape(2, 2, 2).toString());
    }

    @Test
    void aThousandElementsArePrintedInFullAndOneMoreIsSummarised() {
        String full = Tensor.arange(0, 1000, 1, DType.INT64).toString();
        assertFalse(full.contains("..."));
        assertTrue(full.startsWith("tensor([  0,   1,   2,") && full.endsWith(" 998, 999])"), full);
        assertEquals("tensor([   0,    1,    2,  ...,  998,  999, 1000], shape=[1001])",
                Tensor.arange(0, 1001, 1, DType.INT64).toString());
    }

    @Test
    void aSummaryShowsEveryEntryOfADimOfSixAndElidesLongerOnes() {
        Tensor t = Tensor.arange(0, 6 * 200, 1, DType.INT64).reshape(6, 200);
        String s = t.toString();
        for (int row = 0; row < 6; row++) {
            assertTrue(s.contains("[" + pad(row * 200, 4) + ", "), "row " + row + " shown: " + s);
        }
        assertEquals(6, s.split("\\.\\.\\.", -1).length - 1, "one ... per row, none between rows: " + s);
        Tensor tall = Tensor.arange(0, 7 * 200, 1, DType.INT64).reshape(7, 200);
        String t7 = tall.toString();
        assertFalse(t7.contains("[ 600, "), "the middle row is left out: " + t7);
        assertTrue(t7.contains("[1200, "), t7);
        assertTrue(t7.contains(" 1399]]"), t7);
    }

    private static String pad(long v, int width) {
        String s = Long.toString(v);
        return " ".repeat(Math.max(0, width - s.length())) + s;
    }

    @Test
    void scientificNotationStartsStrictlyAboveTheThresholds() {
        assertEquals("tensor([   1., 1000.])", Tensor.of(new float[] {1, 1000}, 2).toString());
        assertEquals("tensor([1.0000e+00, 2.0000e+03])", Tensor.of(new float[] {1, 2000}, 2).toString());
        assertEquals("tensor([1.0000e+08, 3.0000e+00], dtype=float64)", Tensor.of(new double[] {1e8, 3}, 2).toString());
        assertEquals("tensor([100000000.,   1000000.], dtype=float64)",
                Tensor.of(new double[] {1e8, 1e6}, 2).toString());
        assertEquals("tensor([1.0000e+08, 1.0000e+06], dtype=float64)",
                Tensor.of(new double[] {100000001, 1e6}, 2).toString());
        assertEquals("tensor([  0.5000, 500.0000])", Tensor.of(new float[] {0.5f, 500}, 2).toString());
        assertEquals("tensor([5.0000e-01, 5.0050e+02])", Tensor.of(new float[] {0.5f, 500.5f}, 2).toString());
        assertEquals("tensor([0.0001, 0.0500], dtype=float64)", Tensor.of(new double[] {1e-4, 0.05}, 2).toString());
        assertEquals("tensor([100000000.0000,  99999999.5000], dtype=float64)",
                Tensor.of(new double[] {1e8, 99999999.5}, 2).toString());
    }
}
