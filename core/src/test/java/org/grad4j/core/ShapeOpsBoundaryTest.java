package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Boundaries of the shape ops: 0-d inputs, zero counts and sizes, padding that crops on one side and pads on the
 * other, reflect padding of exactly the dim's size. Expected values are PyTorch's, written out by hand or computed by
 * plain index loops.
 */
class ShapeOpsBoundaryTest {

    private static Tensor range(int n) {
        return Tensor.arange(0, n, 1, DType.FLOAT64);
    }

    @Test
    void repeatInterleaveOfA0dTensorGivesA1dResult() {
        Tensor s = Tensor.scalar(5.0, DType.FLOAT64);
        assertArrayEquals(new double[] {5, 5, 5}, s.repeatInterleave(3).toDoubleArray(), 0.0);
        Tensor withDim = s.repeatInterleave(3, 0);
        assertArrayEquals(new int[] {3}, withDim.shape());
        assertArrayEquals(new double[] {5, 5, 5}, withDim.toDoubleArray(), 0.0);
        Tensor counts = Tensor.scalar(2L, DType.INT64);
        Tensor byTensor = s.repeatInterleave(counts, 0);
        assertArrayEquals(new int[] {2}, byTensor.shape());
        assertArrayEquals(new double[] {5, 5}, byTensor.toDoubleArray(), 0.0);
    }

    @Test
    void repeatInterleaveAcceptsZeroCountsAndRefusesNegativeOnes() {
        Tensor x = Tensor.of(new double[] {1, 2, 3}, 3);
        Tensor counts = Tensor.of(new long[] {0, 2, 1}, 3);
        assertArrayEquals(new double[] {2, 2, 3}, x.repeatInterleave(counts, 0).toDoubleArray(), 0.0);
        assertArrayEquals(new int[] {0}, x.repeatInterleave(Tensor.of(new long[] {0, 0, 0}, 3), 0).shape());
        assertArrayEquals(new int[] {0}, x.repeatInterleave(0).shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> x.repeatInterleave(Tensor.of(new long[] {1, -1, 1}, 3), 0));
        assertTrue(e.getMessage().contains("got -1 at position 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> x.repeatInterleave(-1));
    }

    @Test
    void repeatAndTileWithZeroRepeatsGiveEmptyDims() {
        Tensor m = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertArrayEquals(new int[] {0, 3}, m.repeat(0, 1).shape());
        assertArrayEquals(new int[] {2, 0}, m.tile(1, 0).shape());
        assertArrayEquals(new int[] {2, 6}, m.tile(1, 2).shape());
        assertArrayEquals(new double[] {1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6}, m.tile(1, 2).toDoubleArray(), 0.0);
        assertArrayEquals(new double[] {1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6}, m.tile(2).toDoubleArray(), 0.0,
                "fewer reps than dims: ones are prepended");
    }

    @Test
    void unfoldAndTakeAlongDimOfA0dTensor() {
        Tensor s = Tensor.scalar(5.0, DType.FLOAT64);
        Tensor windows = s.unfold(0, 1, 1);
        assertArrayEquals(new int[] {1}, windows.shape());
        assertArrayEquals(new double[] {5}, windows.toDoubleArray(), 0.0);
        Tensor taken = s.takeAlongDim(Tensor.scalar(0L, DType.INT64), 0);
        assertArrayEquals(new int[] {}, taken.shape());
        assertEquals(5.0, taken.item(), 0.0);
    }

    @Test
    void padToExactlyZeroIsAllowedAndBelowZeroRefused() {
        Tensor x = range(2);
        assertArrayEquals(new int[] {0}, x.pad(-1, -1).shape());
        assertArrayEquals(new int[] {0}, x.pad(-2, 0).shape());
        assertThrows(ShapeMismatchException.class, () -> x.pad(-2, -1));
    }

    /** Cropping on one side, then padding on the other, in every non-constant mode (PyTorch's F.pad values). */
    @Test
    void cropOneSidePadTheOther() {
        Tensor x = range(5);   // 0 1 2 3 4
        assertArrayEquals(new double[] {1, 2, 3, 4, 4, 4}, x.pad(new int[] {-1, 2}, "replicate", 0).toDoubleArray(), 0.0);
        assertArrayEquals(new double[] {0, 0, 0, 1, 2, 3}, x.pad(new int[] {2, -1}, "replicate", 0).toDoubleArray(), 0.0);
        assertArrayEquals(new double[] {1, 2, 3, 4, 3, 2}, x.pad(new int[] {-1, 2}, "reflect", 0).toDoubleArray(), 0.0);
        assertArrayEquals(new double[] {2, 1, 0, 1, 2, 3}, x.pad(new int[] {2, -1}, "reflect", 0).toDoubleArray(), 0.0);
        assertArrayEquals(new double[] {1, 2, 3, 4, 1, 2}, x.pad(new int[] {-1, 2}, "circular", 0).toDoubleArray(), 0.0);
        assertArrayEquals(new double[] {2, 3, 0, 1, 2, 3}, x.pad(new int[] {2, -1}, "circular", 0).toDoubleArray(), 0.0);
    }

    @Test
    void reflectPaddingMustBeSmallerThanTheDimAndCircularAtMostIt() {
        Tensor x = range(3);
        assertArrayEquals(new double[] {2, 1, 0, 1, 2, 1, 0}, x.pad(new int[] {2, 2}, "reflect", 0).toDoubleArray(),
                0.0);
        assertThrows(IllegalArgumentException.class, () -> x.pad(new int[] {3, 0}, "reflect", 0));
        assertThrows(IllegalArgumentException.class, () -> x.pad(new int[] {0, 3}, "reflect", 0));
        // cropped to size 2 first: reflect by 2 is then too much
        assertThrows(IllegalArgumentException.class, () -> x.pad(new int[] {-1, 2}, "reflect", 0));
        assertArrayEquals(new double[] {0, 1, 2, 0, 1, 2, 0, 1, 2},
                x.pad(new int[] {3, 3}, "circular", 0).toDoubleArray(), 0.0);
        assertThrows(IllegalArgumentException.class, () -> x.pad(new int[] {4, 0}, "circular", 0));
        assertThrows(IllegalArgumentException.class, () -> x.pad(new int[] {0, 4}, "circular", 0));
        assertThrows(IllegalArgumentException.class, () -> x.pad(new int[] {-1, 3}, "circular", 0));
    }

    @Test
    void paddingGradientsSumOverEveryCopy() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4}, 4).requiresGrad(true);
        Tensor w = Tensor.of(new double[] {1, 10, 100, 1000, 10000}, 5);
        x.pad(new int[] {-1, 2}, "replicate", 0).mul(w).sum().backward();   // x1 x2 x3 x3 x3
        assertArrayEquals(new double[] {0, 1, 10, 11100}, x.grad().toDoubleArray(), 0.0);
    }
}
