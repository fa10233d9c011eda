package org.grad4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.grad4j.core.DType;
import org.grad4j.core.Grad;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * EmbeddingBag's max mode on exact ties: the whole gradient goes to the first tied row in the bag, as PyTorch's
 * CPU kernel (a row replaces the running maximum only when strictly larger). Expected values derived by hand from
 * that rule; torch 1.13 gives the same for these bags.
 */
class EmbeddingBagMaxTiesTest {
    private static EmbeddingBag bagWithTies() {
        EmbeddingBag bag = new EmbeddingBag(5, 2, EmbeddingBag.Mode.MAX, DType.FLOAT64, null);
        try (Grad.Scope off = Grad.disabled()) {
            // rows 1 and 3 tie in column 0 (1 = 1); row 3 is larger in column 1 (7 > 5)
            bag.weight().copyFrom(Tensor.of(new double[] {0, 0, 1, 5, 2, 2, 1, 7, 0, 0}, 5, 2));
        }
        return bag;
    }

    @Test
    void theFirstTiedRowOfTheBagTakesTheGradient() {
        EmbeddingBag bag = bagWithTies();
        Tensor out = bag.forward(Tensor.of(new long[] {3, 1}, 1, 2));
        assertArrayEquals(new double[] {1, 7}, out.toDoubleArray(), 0);
        out.sum().backward();
        assertArrayEquals(new double[] {0, 0, 0, 0, 0, 0, 1, 1, 0, 0}, bag.weight().grad().toDoubleArray(), 0);
    }

    @Test
    void theOrderInTheBagDecidesAndOffsetsBagsFollowTheSameRule() {
        EmbeddingBag bag = bagWithTies();
        Tensor out = bag.forward(Tensor.of(new long[] {1, 3, 3, 1}), Tensor.of(new long[] {0, 2}), null);
        assertArrayEquals(new double[] {1, 7, 1, 7}, out.toDoubleArray(), 0);
        out.mul(Tensor.of(new double[] {1, 10, 100, 1000}, 2, 2)).sum().backward();
        // bag {1, 3}: column 0 to row 1 (first), column 1 to row 3; bag {3, 1}: both columns to row 3
        assertArrayEquals(new double[] {0, 0, 1, 0, 0, 0, 100, 1010, 0, 0}, bag.weight().grad().toDoubleArray(), 0);
    }
}
