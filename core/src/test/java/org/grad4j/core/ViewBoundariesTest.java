package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The boundaries of {@code expand}, {@code slice}, {@code narrow} and {@code flatten} (sizes 0 and 1, bounds at and
 * past the ends, views of views with offsets) against values read by hand-written index loops, as PyTorch answers.
 */
class ViewBoundariesTest {

    /** [rows, cols] with element (r, c) = 10 r + c. */
    private static Tensor grid(int rows, int cols) {
        double[] v = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) v[r * cols + c] = 10 * r + c;
        }
        return Tensor.of(v, rows, cols);
    }

    // ---------------------------------------------------------------------------------------------------- expand

    @Test
    void expandAddsLeadingDimsOfAnySizeIncludingZero() {
        Tensor v = Tensor.of(new double[] {1, 2, 3}, 3);
        Tensor e = v.expand(2, 3);
        assertArrayEquals(new int[] {2, 3}, e.shape());
        assertArrayEquals(new double[] {1, 2, 3, 1, 2, 3}, e.toDoubleArray(), 0.0);
        assertArrayEquals(new int[] {0, 3}, v.expand(0, 3).shape());
        assertArrayEquals(new int[] {3}, v.expand(3).shape(), "same rank, same size");
        assertArrayEquals(new int[] {3}, v.expand(-1).shape(), "-1 keeps an existing dim");
        ShapeMismatchException lead = assertThrows(ShapeMismatchException.class, () -> v.expand(-1, 3));
        assertTrue(lead.getMessage().contains("new leading dim 0"), lead.getMessage());
        ShapeMismatchException fewer = assertThrows(ShapeMismatchException.class, () -> grid(2, 3).expand(3));
        assertTrue(fewer.getMessage().contains("fewer dims"), fewer.getMessage());
    }

    @Test
    void expandStretchesOnlySizeOneDimsAndMayStretchThemToZero() {
        Tensor col = Tensor.of(new double[] {4, 5}, 2, 1);
        Tensor e = col.expand(2, 3);
        assertArrayEquals(new double[] {4, 4, 4, 5, 5, 5}, e.toDoubleArray(), 0.0);
        assertArrayEquals(new int[] {2, 0}, col.expand(2, 0).shape());
        assertEquals(0, col.expand(2, 0).numel());
        assertArrayEquals(new double[] {4, 5}, col.expand(-1, 1).toDoubleArray(), 0.0);
        ShapeMismatchException e2 = assertThrows(ShapeMismatchException.class, () -> col.expand(3, 3));
        assertTrue(e2.getMessage().contains("dim 0 (2)"), e2.getMessage());
        assertThrows(ShapeMismatchException.class, () -> col.expand(2, -2));
    }

    @Test
    void expandedGradientsAreSummedBackToTheSource() {
        Tensor col = Tensor.of(new double[] {4, 5}, 2, 1).requiresGrad(true);
        Tensor weights = grid(3, 2).reshape(3, 2, 1).expand(3, 2, 4);
        col.expand(3, 2, 4).mul(weights).sum().backward();
        // d/dcol[r] = sum over the 3 copies and 4 columns of weights[k, r] = 4 * (0 + 10 + 20 + 3 r)
        assertArrayEquals(new double[] {4 * 30, 4 * 33}, col.grad().toDoubleArray(), 0.0);
    }

    // ----------------------------------------------------------------------------------------------------- slice

    @Test
    void sliceRefusesANonPositiveStep() {
        Tensor v = Tensor.arange(0, 5, 1, DType.FLOAT64);
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> v.slice(0, 0, 5, 0));
        assertTrue(zero.getMessage().contains("step must be positive, got 0"), zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> v.slice(0, 0, 5, -1));
        assertArrayEquals(new double[] {0, 1, 2, 3, 4}, v.slice(0, 0, 5, 1).toDoubleArray(), 0.0);
    }

    @Test
    void sliceClipsItsBoundsAsPythonSlicing() {
        Tensor v = Tensor.arange(0, 6, 1, DType.FLOAT64);
        for (int start = -9; start <= 9; start++) {
            for (int end = -9; end <= 9; end++) {
                for (int step = 1; step <= 4; step++) {
                    double[] expected = pythonSlice(6, start, end, step);
                    Tensor s = v.slice(0, start, end, step);
                    assertArrayEquals(expected, s.toDoubleArray(), 0.0, start + ":" + end + ":" + step);
                    assertArrayEquals(new int[] {expected.length}, s.shape(), start + ":" + end + ":" + step);
                }
            }
        }
    }

    /** The values of {@code range(size)[start:end:step]} by a plain loop. */
    private static double[] pythonSlice(int size, int start, int end, int step) {
        int s = start < 0 ? Math.max(0, start + size) : Math.min(start, size);
        int e = end < 0 ? Math.max(0, end + size) : Math.min(end, size);
        java.util.List<Double> out = new java.util.ArrayList<>();
        for (int i = s; i < e; i += step) out.add((double) i);
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Test
    void slicesOfSlicesAlongEitherDimReadTheRightElements() {
        Tensor g = grid(5, 7);
        Tensor inner = g.slice(1, 1, 7, 2).slice(0, 2, 5, 2);   // rows 2, 4; cols 1, 3, 5
        assertArrayEquals(new int[] {2, 3}, inner.shape());
        assertArrayEquals(new double[] {21, 23, 25, 41, 43, 45}, inner.toDoubleArray(), 0.0);
        Tensor deeper = inner.slice(1, 1, 3);                   // cols 3, 5
        assertArrayEquals(new double[] {23, 25, 43, 45}, deeper.toDoubleArray(), 0.0);
        Tensor rows = g.slice(0, 1, 5, 3);                      // rows 1, 4, whole
        assertArrayEquals(new double[] {10, 11, 12, 13, 14, 15, 16, 40, 41, 42, 43, 44, 45, 46},
                rows.toDoubleArray(), 0.0);
        assertArrayEquals(new double[] {13, 43}, rows.select(1, 3).toDoubleArray(), 0.0);
        // a whole-dim slice of a view is that view's elements
        assertArrayEquals(inner.toDoubleArray(), inner.slice(0, 0, 2, 1).toDoubleArray(), 0.0);
        assertArrayEquals(inner.toDoubleArray(), inner.slice(1, -3, 3).toDoubleArray(), 0.0);
        // writes go through to the right places
        inner.slice(1, 2, 3).fill(-1);
        assertEquals(-1, g.get(2, 5), 0.0);
        assertEquals(-1, g.get(4, 5), 0.0);
        assertEquals(44, g.get(4, 4), 0.0);
    }

    @Test
    void sliceGradientsLandAtTheSlicedPositionsAndDifferentiateAgain() {
        Tensor x = grid(4, 5).requiresGrad(true);
        Tensor w = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2);
        x.slice(1, 1, 5, 2).slice(0, 1, 4, 2).mul(w).sum().backward();   // rows 1, 3; cols 1, 3
        double[] expected = new double[20];
        expected[1 * 5 + 1] = 1;
        expected[1 * 5 + 3] = 2;
        expected[3 * 5 + 1] = 3;
        expected[3 * 5 + 3] = 4;
        assertArrayEquals(expected, x.grad().toDoubleArray(), 0.0);
        GradCheck.Fn f = in -> in[0].slice(1, 1, 5, 2).slice(0, 1, 4, 2).square().sum();
        assertTrue(GradCheck.check(f, grid(4, 5).requiresGrad(true)).passed());
        assertTrue(GradCheck.checkSecondOrder(f, 3, grid(4, 5).requiresGrad(true)).passed());
        GradCheck.Fn g = in -> in[0].narrow(0, 1, 2).pow(3).sum();
        assertTrue(GradCheck.checkSecondOrder(g, 4, grid(4, 5).requiresGrad(true)).passed());
    }

    @Test
    void emptySlicesHaveSizeZeroAndGiveZeroGradients() {
        Tensor x = grid(3, 4).requiresGrad(true);
        Tensor empty = x.slice(1, 3, 3);
        assertArrayEquals(new int[] {3, 0}, empty.shape());
        assertArrayEquals(new int[] {3, 0}, x.slice(1, 3, 1).shape());
        empty.sum().add(x.slice(0, 2, 3).sum()).backward();
        assertArrayEquals(new double[] {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1}, x.grad().toDoubleArray(), 0.0);
    }

    // ---------------------------------------------------------------------------------------------------- narrow

    @Test
    void narrowAcceptsExactlyTheWindowsThatFit() {
        Tensor g = grid(3, 5);
        assertArrayEquals(new double[] {13, 14}, g.narrow(1, 3, 2).select(0, 1).toDoubleArray(), 0.0);
        assertArrayEquals(new double[] {13, 14}, g.narrow(1, -2, 2).select(0, 1).toDoubleArray(), 0.0);
        assertArrayEquals(new int[] {3, 0}, g.narrow(1, 5, 0).shape());
        assertArrayEquals(new int[] {3, 0}, g.narrow(1, 0, 0).shape());
        assertArrayEquals(g.toDoubleArray(), g.narrow(1, 0, 5).toDoubleArray(), 0.0);
        assertArrayEquals(new double[] {20, 21, 22, 23, 24}, g.narrow(0, -1, 1).toDoubleArray(), 0.0);
        assertThrows(ShapeMismatchException.class, () -> g.narrow(1, 4, 2));
        assertThrows(ShapeMismatchException.class, () -> g.narrow(1, 6, 0));
        assertThrows(ShapeMismatchException.class, () -> g.narrow(1, -6, 1));
        assertThrows(ShapeMismatchException.class, () -> g.narrow(1, 0, -1));
    }

    // --------------------------------------------------------------------------------------------------- flatten

    @Test
    void flattenMergesTheInclusiveRangeOfDims() {
        Tensor x = Tensor.arange(0, 120, 1, DType.FLOAT64).reshape(2, 3, 4, 5);
        assertArrayEquals(new int[] {2, 12, 5}, x.flatten(1, 2).shape());
        assertArrayEquals(new int[] {6, 4, 5}, x.flatten(0, 1).shape());
        assertArrayEquals(new int[] {2, 3, 20}, x.flatten(-2, -1).shape());
        assertArrayEquals(new int[] {120}, x.flatten(0, -1).shape());
        assertArrayEquals(new int[] {2, 3, 4, 5}, x.flatten(2, 2).shape());
        assertArrayEquals(x.toDoubleArray(), x.flatten(1, 2).toDoubleArray(), 0.0);
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> x.flatten(2, 1));
        assertTrue(e.getMessage().contains("startDim 2 comes after endDim 1"), e.getMessage());
        assertArrayEquals(new int[] {2, 0, 5}, Tensor.zeros(2, 3, 0, 5).flatten(1, 2).shape());
    }

    @Test
    void flatteningAScalarGivesOneElementAndATransposedMatrixIsCopiedInItsOrder() {
        Tensor s = Tensor.scalar(7.0, DType.FLOAT64);
        assertArrayEquals(new int[] {1}, s.flatten(0, 0).shape());
        assertArrayEquals(new double[] {7}, s.flatten(0, -1).toDoubleArray(), 0.0);
        assertArrayEquals(new int[] {1}, s.flatten().shape());
        Tensor t = grid(2, 3).t();
        assertArrayEquals(new double[] {0, 10, 1, 11, 2, 12}, t.flatten(0, 1).toDoubleArray(), 0.0);
        Tensor x = grid(2, 3).requiresGrad(true);
        x.t().flatten(0, 1).mul(Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 6)).sum().backward();
        assertArrayEquals(new double[] {1, 3, 5, 2, 4, 6}, x.grad().toDoubleArray(), 0.0);
    }
}
