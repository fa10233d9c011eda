package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** In-place updates agree bit for bit with their out-of-place definitions and bump the version once. */
class InPlaceOpsTest {

    private static Tensor random(DType dtype, long seed, int... shape) {
        return Tensor.randn(new SplittableRandom(seed), dtype, shape);
    }

    @Test
    void addScaledMatchesTheOutOfPlaceFormulaAcrossChunksLayoutsAndDtypes() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int n : new int[] {1, 13, 4096, 4097, 10_001}) {
                Tensor self = random(dtype, 1, n);
                Tensor other = random(dtype, 2, n);
                Tensor expected = self.add(other.mul(-0.37));
                self.addInPlace(other, -0.37);
                assertArrayEquals(expected.toDoubleArray(), self.toDoubleArray(), 0, dtype + " n=" + n);
                assertEquals(1, self.version());
            }
            Tensor matrix = random(dtype, 3, 70, 90);
            Tensor column = random(dtype, 4, 90, 1);
            Tensor view = matrix.t();                                        // strided target, broadcast operand
            Tensor expected = view.add(column.mul(3.5));
            view.addInPlace(column, 3.5);
            assertArrayEquals(expected.toDoubleArray(), view.toDoubleArray(), 0);

            Tensor aliased = random(dtype, 5, 50);
            Tensor doubled = aliased.add(aliased.mul(2.0));
            aliased.addInPlace(aliased, 2.0);
            assertArrayEquals(doubled.toDoubleArray(), aliased.toDoubleArray(), 0);
        }
    }
}
