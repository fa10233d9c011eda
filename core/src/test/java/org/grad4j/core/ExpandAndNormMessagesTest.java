package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The texts of two refusals that name a dim: {@code expand} with new leading dims, and an infinity-norm over size 0. */
class ExpandAndNormMessagesTest {

    @Test
    void expandNamesTheInputsOwnDimWhenLeadingDimsAreAdded() {
        Tensor x = Tensor.zeros(DType.FLOAT32, 2, 3);
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> x.expand(4, 2, 5));
        // dim 1 of the input [2, 3] (dim 2 of the target): its size 3 is not 1
        assertTrue(e.getMessage().contains("the size of dim 1 (3) of [2, 3] must be 1 to expand it to 5"),
                e.getMessage());
        ShapeMismatchException e2 = assertThrows(ShapeMismatchException.class, () -> x.expand(7, 5, 3));
        assertTrue(e2.getMessage().contains("the size of dim 0 (2) of [2, 3] must be 1 to expand it to 5"),
                e2.getMessage());
    }

    @Test
    void infinityNormOverAnEmptyDimSaysMaxOrMin() {
        Tensor empty = Tensor.zeros(DType.FLOAT32, 2, 0);
        ShapeMismatchException max = assertThrows(ShapeMismatchException.class,
                () -> empty.norm(Double.POSITIVE_INFINITY, new int[] {1}, false));
        assertTrue(max.getMessage().startsWith("norm: p = Infinity over dimension 1 of size 0"), max.getMessage());
        assertTrue(max.getMessage().endsWith("has no element to take the max of"), max.getMessage());
        ShapeMismatchException min = assertThrows(ShapeMismatchException.class,
                () -> empty.norm(Double.NEGATIVE_INFINITY, new int[] {1}, false));
        assertTrue(min.getMessage().endsWith("has no element to take the min of"), min.getMessage());
    }
}
