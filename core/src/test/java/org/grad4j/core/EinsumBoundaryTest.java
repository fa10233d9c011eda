package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * einsum at the edges of its parsing and size rules: the largest operand rank, the letters at the ends of both
 * alphabets (and upper-case {@code A}, label 0), dims of size 0, an empty left-hand side, an ellipsis covering no
 * dims, a second ellipsis, and the messages that name the subscript, the ellipsis or the missing ellipsis. Values
 * are hand-derived (PyTorch 1.13 gives the same for the cases it accepts).
 */
class EinsumBoundaryTest {

    @Test
    void anOperandOfExactlySixtyFourDimsIsAcceptedAndSixtyFiveIsRefused() {
        int[] shape64 = new int[64];
        Arrays.fill(shape64, 1);
        Tensor x = Tensor.full(3.0, shape64);
        Tensor y = Tensor.einsum("...->", x);
        assertEquals(0, y.dim());
        assertEquals(3.0, y.item(), 0.0);
        int[] shape65 = new int[65];
        Arrays.fill(shape65, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.einsum("...->", Tensor.full(3.0, shape65)));
        assertTrue(e.getMessage().contains("65 dimensions"), e.getMessage());
    }

    @Test
    void mixedDtypesAreRefusedByEinsumItself() {
        DTypeMismatchException e = assertThrows(DTypeMismatchException.class,
                () -> Tensor.einsum("i,i->", Tensor.of(new double[] {1, 2}), Tensor.of(new float[] {1, 2})));
        assertTrue(e.getMessage().startsWith("einsum"), e.getMessage());
    }

    @Test
    void theSubscriptCountMessageSaysWhetherAnEllipsisWasGiven() {
        Tensor m = Tensor.ones(2, 3);
        ShapeMismatchException none = assertThrows(ShapeMismatchException.class, () -> Tensor.einsum("i->i", m));
        assertTrue(none.getMessage().contains("(1) does not match the number of dimensions (2)"), none.getMessage());
        assertTrue(none.getMessage().contains("no ellipsis was given"), none.getMessage());
        ShapeMismatchException tooMany = assertThrows(ShapeMismatchException.class,
                () -> Tensor.einsum("ijk...->", m));
        assertTrue(tooMany.getMessage().contains("(3) does not match the number of dimensions (2)"),
                tooMany.getMessage());
        assertFalse(tooMany.getMessage().contains("no ellipsis"), tooMany.getMessage());
    }

    @Test
    void anEllipsisMayCoverNoDims() {
        Tensor a = Tensor.of(new double[][] {{1, 2}, {3, 4}});
        Tensor b = Tensor.of(new double[][] {{5, 6}, {7, 8}});
        Tensor p = Tensor.einsum("...ij,jk->...ik", a, b);
        assertArrayEquals(new int[] {2, 2}, p.shape());
        assertArrayEquals(new double[] {19, 22, 43, 50}, p.toDoubleArray(), 0.0);
    }

    @Test
    void aSecondEllipsisIsRefusedEvenWhenTheFirstOpensTheSubscripts() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.einsum("...i...->", Tensor.ones(2, 2)));
        assertTrue(e.getMessage().contains("more than one ellipsis"), e.getMessage());
    }

    @Test
    void theLettersAtBothEndsOfBothAlphabetsAreSubscripts() {
        Tensor x = Tensor.arange(24).to(DType.FLOAT64).reshape(1, 2, 3, 4);
        Tensor y = Tensor.einsum("aAzZ->ZzAa", x);
        assertArrayEquals(new int[] {4, 3, 2, 1}, y.shape());
        assertArrayEquals(x.permute(3, 2, 1, 0).contiguous().toDoubleArray(), y.toDoubleArray(), 0.0);
        for (String bad : new String[] {"@", "[", "`", "{"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Tensor.einsum(bad + "->", Tensor.ones(2)), bad);
            assertTrue(e.getMessage().contains("subscripts must be letters"), e.getMessage());
        }
    }

    @Test
    void aRepeatedUpperCaseATakesTheDiagonal() {
        Tensor m = Tensor.arange(9).to(DType.FLOAT64).reshape(3, 3);
        assertArrayEquals(new double[] {0, 4, 8}, Tensor.einsum("AA->A", m).toDoubleArray(), 0.0);
        assertEquals(12.0, Tensor.einsum("AA", m).item(), 0.0);
    }

    @Test
    void repeatedSubscriptMessagesNameTheLetter() {
        Tensor m = Tensor.ones(2, 3);
        for (String letter : new String[] {"a", "z", "A", "Z"}) {
            ShapeMismatchException e = assertThrows(ShapeMismatchException.class,
                    () -> Tensor.einsum(letter + letter + "->", m));
            assertTrue(e.getMessage().contains("subscript " + letter + " is repeated"), e.getMessage());
        }
    }

    @Test
    void aRepeatedSubscriptOfSizeZeroAndThreeIsRefused() {
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class,
                () -> Tensor.einsum("ii->i", Tensor.zeros(0, 3)));
        assertTrue(e.getMessage().contains("3 != 0"), e.getMessage());
        assertArrayEquals(new int[] {0}, Tensor.einsum("ii->i", Tensor.zeros(0, 0)).shape());
    }

    @Test
    void dimsOfSizeZeroKeepTheirPlaceInTheImplicitOutput() {
        assertArrayEquals(new int[] {0, 3}, Tensor.einsum("ij", Tensor.zeros(0, 3)).shape());
        assertArrayEquals(new int[] {3, 0}, Tensor.einsum("ji", Tensor.zeros(0, 3)).shape());
        Tensor sum = Tensor.einsum("ij->j", Tensor.zeros(0, 3));
        assertArrayEquals(new double[] {0, 0, 0}, sum.toDoubleArray(), 0.0);
    }

    @Test
    void sizeZeroDoesNotBroadcastAgainstSizeThree() {
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class,
                () -> Tensor.einsum("i,i->i", Tensor.zeros(0), Tensor.ones(3)));
        assertTrue(e.getMessage().contains("subscript i has size 3"), e.getMessage());
        assertArrayEquals(new int[] {0}, Tensor.einsum("i,i->i", Tensor.zeros(0), Tensor.ones(1)).shape());
    }

    @Test
    void anEllipsisSizeMismatchIsReportedAsTheEllipsisDims() {
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class,
                () -> Tensor.einsum("...,...->...", Tensor.ones(2), Tensor.ones(3)));
        assertTrue(e.getMessage().contains("the ellipsis dims has size 3"), e.getMessage());
    }

    @Test
    void anEmptyLeftHandSideStillChecksTheOutputSubscripts() {
        Tensor s = Tensor.scalar(2.5);
        assertEquals(2.5, Tensor.einsum("->", s).item(), 0.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.einsum("->a", s));
        assertTrue(e.getMessage().contains("output subscript a does not appear"), e.getMessage());
    }
}
