package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * An ellipsis at the very start of a subscript (position 0): too many letters after it are refused without
 * claiming that no ellipsis was given, and one that covers no dims works as in {@code torch.einsum}.
 */
class EinsumLeadingEllipsisTest {

    @Test
    void tooManySubscriptsAfterALeadingEllipsisNameTheEllipsis() {
        Tensor m = Tensor.ones(2, 3);
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> Tensor.einsum("...ijk->", m));
        assertTrue(e.getMessage().contains("subscripts in the equation (3)"), e.getMessage());
        assertFalse(e.getMessage().contains("no ellipsis"), e.getMessage());
    }

    @Test
    void aLeadingEllipsisMayCoverNoDims() {
        Tensor m = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        // torch.einsum('...ij->...ji', m) is m.T
        assertArrayEquals(new double[] {1, 4, 2, 5, 3, 6}, Tensor.einsum("...ij->...ji", m).toDoubleArray(), 0.0);
    }
}
