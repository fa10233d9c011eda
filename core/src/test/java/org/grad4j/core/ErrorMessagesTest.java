package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every mistake is reported by the public API with the op, the shapes or values, and the fix where there is one. */
class ErrorMessagesTest {

    private static String message(Class<? extends Throwable> type, Executable call) {
        return assertThrows(type, call).getMessage();
    }

    @Test
    void matmulNamesBothShapesAndTheMismatchedSizes() {
        String m = message(ShapeMismatchException.class, () -> Tensor.zeros(32, 784).matmul(Tensor.zeros(128, 10)));
        assertEquals("matmul: shapes [32, 784] and [128, 10] cannot be multiplied (784 != 128)", m);
        assertTrue(message(ShapeMismatchException.class,
                () -> Tensor.zeros(2, 2, 3).matmul(Tensor.zeros(3, 3, 4))).contains("batch dims"));
        assertTrue(message(ShapeMismatchException.class, () -> Tensor.scalar(1).matmul(Tensor.zeros(2)))
                .contains("use mul"));
    }

    @Test
    void broadcastFailureNamesOpShapesAndDim() {
        String m = message(ShapeMismatchException.class, () -> Tensor.zeros(2, 3).add(Tensor.zeros(4)));
        assertTrue(m.startsWith("add: shapes [2, 3] and [4] cannot be broadcast"), m);
        assertTrue(m.contains("3 vs 4"), m);
    }

    @Test
    void dtypesPromoteAsPyTorchButMatmulNeedsOneDtype() {
        assertEquals(DType.FLOAT64, Tensor.zeros(2).mul(Tensor.zeros(DType.FLOAT64, 2)).dtype());
        String m = message(DTypeMismatchException.class,
                () -> Tensor.zeros(2, 2).matmul(Tensor.zeros(DType.FLOAT64, 2, 2)));
        assertTrue(m.startsWith("matmul: dtypes float32 and float64 do not match"), m);
        assertTrue(m.contains(".to(DType.FLOAT64)"), m);
    }

    @Test
    void creationChecksTheDataAgainstTheShape() {
        assertTrue(message(ShapeMismatchException.class, () -> Tensor.of(new float[5], 2, 3))
                .contains("5 values cannot fill shape [2, 3]"));
        assertTrue(message(ShapeMismatchException.class, () -> Tensor.of(new double[][] {{1, 2}, {3}}))
                .contains("row 1"));
        assertTrue(message(ShapeMismatchException.class, () -> Tensor.zeros(2, -1)).contains("negative"));
    }

    @Test
    void indicesAndDimsAreCheckedAtTheBoundary() {
        Tensor m = Tensor.zeros(2, 3);
        assertTrue(message(ShapeMismatchException.class, () -> m.get(0, 3)).contains("index 3 is out of bounds"));
        assertTrue(message(ShapeMismatchException.class, () -> m.get(0)).contains("1 indices"));
        assertTrue(message(ShapeMismatchException.class, () -> m.sum(2)).contains("[-2, 1]"));
        assertTrue(message(ShapeMismatchException.class, () -> m.select(1, 5)).contains("size 3"));
        assertTrue(message(ShapeMismatchException.class, () -> m.narrow(1, 2, 2)).contains("narrow"));
        assertTrue(message(ShapeMismatchException.class, () -> m.reshape(4, 2)).contains("invalid for input"));
        assertTrue(message(ShapeMismatchException.class, () -> m.item()).contains("one element"));
        assertTrue(message(ShapeMismatchException.class, () -> m.permute(0, 0)).contains("repeats"));
        assertTrue(message(ShapeMismatchException.class, () -> m.expand(3, 3)).contains("must be 1"));
    }

    @Test
    void zeroDimensionalTensorsHaveNoDimToIndex() {
        Tensor scalar = Tensor.scalar(2);
        for (Executable call : new Executable[] {() -> scalar.select(0, 0), () -> scalar.narrow(0, 0, 1),
            () -> scalar.slice(0, 0, 1), () -> scalar.split(1, 0), () -> scalar.indexSelect(0, 0),
            () -> scalar.size(0)}) {
            assertTrue(message(ShapeMismatchException.class, call).contains("0-d tensor has no dimension"));
        }
        assertEquals(1, scalar.softmax(0).item(), 0, "reductions along dim 0 of a scalar work, as in PyTorch");
    }

    @Test
    void classIndicesAreValidated() {
        Tensor logits = Tensor.zeros(2, 3);
        String m = message(ShapeMismatchException.class,
                () -> logits.gather(1, Tensor.of(new long[] {0, 3}, 2, 1)));
        assertTrue(m.startsWith("gather: index value 3 ") && m.contains("[0, 3)"), m);
        String f = message(DTypeMismatchException.class,
                () -> logits.gather(1, Tensor.of(new float[] {0, 1}, 2, 1)));
        assertTrue(f.startsWith("gather: indices must be int64 or int32, got a float32") && f.contains(".to(DType.INT64)"),
                f);
        assertTrue(message(ShapeMismatchException.class, () -> logits.indexSelect(0, 2)).contains("out of range"));
        assertTrue(message(ShapeMismatchException.class, () -> Tensor.oneHot(new int[] {4}, 3, DType.FLOAT32))
                .contains("outside [0, 3)"));
    }

    @Test
    void argumentsOutsideTheirDomainAreRejected() {
        assertTrue(message(IllegalArgumentException.class, () -> Tensor.zeros(2).clamp(1, 0)).contains("min <= max"));
        assertTrue(message(IllegalArgumentException.class, () -> Tensor.arange(0, 1, 0, DType.FLOAT32))
                .contains("non-zero step"));
        assertTrue(message(ShapeMismatchException.class, () -> Tensor.zeros(0).max()).contains("of size 0"));
        assertArrayEquals(new int[] {0}, Tensor.zeros(0, 3).amax(new int[] {1}, false).shape(),
                "reducing a non-empty dim of an empty tensor gives an empty result, as in PyTorch");
        assertTrue(message(IllegalArgumentException.class, () -> Tensor.arange(0, 1e10, 1, DType.FLOAT32))
                .contains("at most"));
        assertTrue(message(ShapeMismatchException.class, () -> Tensor.concat(0, Tensor.zeros(2, 2), Tensor.zeros(2, 3)))
                .contains("except in dimension 0"));
    }
}
