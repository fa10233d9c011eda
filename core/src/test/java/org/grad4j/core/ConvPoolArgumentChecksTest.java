package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The argument checks of conv2d, convTranspose2d and the poolings at their first refused and last accepted values:
 * each refusal is the library's exception naming the operation, never an ArithmeticException or a wrong-sized
 * result from deep inside.
 */
class ConvPoolArgumentChecksTest {
    private static final int[] ONE = {1, 1};
    private static final int[] ZERO = {0, 0};

    private static void refused(Class<? extends RuntimeException> type, String op, String part, Executable call) {
        RuntimeException e = assertThrows(type, call);
        assertTrue(e.getMessage().startsWith(op + ":"), e.getMessage());
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    @Test
    void conv2dChecksGroupsAndTheBias() {
        Tensor x = Tensor.ones(1, 4, 3, 3);
        Tensor w = Tensor.ones(4, 2, 1, 1);
        refused(IllegalArgumentException.class, "conv2d", "groups (0)",
                () -> x.conv2d(w, null, ONE, ZERO, ONE, 0));
        refused(ShapeMismatchException.class, "conv2d", "expects 2 input channels",
                () -> x.conv2d(w, null, ONE, ZERO, ONE, 1));
        refused(DTypeMismatchException.class, "conv2d", "dtypes",
                () -> x.conv2d(w, Tensor.ones(4).to(DType.FLOAT64), ONE, ZERO, ONE, 2));
        refused(ShapeMismatchException.class, "conv2d", "bias must have shape [4]",
                () -> x.conv2d(w, Tensor.ones(3), ONE, ZERO, ONE, 2));
        assertArrayEquals(new int[] {1, 4, 3, 3}, x.conv2d(w, Tensor.ones(4), ONE, ZERO, ONE, 2).shape());
    }

    @Test
    void convTranspose2dChecksItsInputsAndOutputPadding() {
        Tensor x = Tensor.ones(1, 2, 3, 3);
        Tensor w = Tensor.ones(2, 1, 2, 2);
        refused(ShapeMismatchException.class, "convTranspose2d", "4-d input",
                () -> Tensor.ones(2, 3, 3).convTranspose2d(w, null, ONE, ZERO, ZERO, ONE, 1));
        refused(DTypeMismatchException.class, "convTranspose2d", "dtypes",
                () -> x.convTranspose2d(w.to(DType.FLOAT64), null, ONE, ZERO, ZERO, ONE, 1));
        refused(IllegalArgumentException.class, "convTranspose2d", "groups (0)",
                () -> x.convTranspose2d(w, null, ONE, ZERO, ZERO, ONE, 0));
        refused(DTypeMismatchException.class, "convTranspose2d", "dtypes",
                () -> x.convTranspose2d(w, Tensor.ones(1).to(DType.FLOAT64), ONE, ZERO, ZERO, ONE, 1));
        refused(ShapeMismatchException.class, "convTranspose2d", "bias must have shape [2]",
                () -> x.convTranspose2d(w, Tensor.ones(1), ONE, ZERO, ZERO, ONE, 2));
        int[] two = {2, 2};
        refused(IllegalArgumentException.class, "convTranspose2d", "outputPadding",
                () -> x.convTranspose2d(w, null, two, ZERO, two, ONE, 1));
        refused(IllegalArgumentException.class, "convTranspose2d", "outputPadding",
                () -> x.convTranspose2d(w, null, ONE, ZERO, new int[] {0, 1}, ONE, 1));
        refused(IllegalArgumentException.class, "convTranspose2d", "outputPadding",
                () -> x.convTranspose2d(w, null, ONE, ZERO, new int[] {-1, 0}, ONE, 1));
        refused(IllegalArgumentException.class, "convTranspose2d", "outputPadding",
                () -> x.convTranspose2d(w, null, ONE, ZERO, new int[] {0, -1}, ONE, 1));
        // the last accepted output paddings: one below the stride, or below the dilation
        assertArrayEquals(new int[] {1, 1, 7, 6},
                x.convTranspose2d(w, null, two, ZERO, new int[] {1, 0}, ONE, 1).shape());
        assertArrayEquals(new int[] {1, 1, 6, 5},
                x.convTranspose2d(w, null, ONE, ZERO, new int[] {1, 0}, two, 1).shape());
        refused(ShapeMismatchException.class, "convTranspose2d", "would be 0x0",
                () -> Tensor.ones(1, 1, 1, 1).convTranspose2d(Tensor.ones(1, 1, 2, 2), null, ONE, ONE, ZERO, ONE,
                        1));
    }

    @Test
    void poolingRefusesAnEmptyOutput() {
        refused(ShapeMismatchException.class, "avgPool2d", "output would be 0x0",
                () -> Tensor.ones(1, 1, 1, 1).avgPool2d(new int[] {2, 2}, new int[] {1, 1}, ZERO, true));
        refused(IllegalArgumentException.class, "adaptiveAvgPool2d", "output size 0x2",
                () -> Tensor.ones(1, 1, 3, 3).adaptiveAvgPool2d(0, 2));
        refused(IllegalArgumentException.class, "adaptiveAvgPool2d", "output size 2x0",
                () -> Tensor.ones(1, 1, 3, 3).adaptiveAvgPool2d(2, 0));
        assertArrayEquals(new int[] {1, 1, 1, 1}, Tensor.ones(1, 1, 3, 3).adaptiveAvgPool2d(1, 1).shape());
    }
}
