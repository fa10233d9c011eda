package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The orderings behind unique and searchsorted, against hand-derived values (PyTorch 1.13 gives the same, except
 * for NaN in unique, where it merges NaNs; grad4j keeps each NaN distinct as documented): floating unique sorted
 * with NaN last, ties of -0.0 and 0.0 represented by the first occurrence, rows of unique(dim) that differ only in
 * a later column, and searchsorted across a float sequence with integer values (and the reverse) and across rows.
 */
class SetsOrderingTest {

    @Test
    void floatingUniqueSortsAscendingWithEachNaNLast() {
        Tensor x = Tensor.of(new double[] {Double.NaN, 2, Double.NaN, 1, 2, -3});
        Unique u = x.unique(true, true, true);
        double[] values = u.values().toDoubleArray();
        assertArrayEquals(new double[] {-3, 1, 2}, java.util.Arrays.copyOf(values, 3), 0.0);
        assertEquals(5, values.length);
        assertEquals(true, Double.isNaN(values[3]) && Double.isNaN(values[4]));
        assertArrayEquals(new long[] {3, 2, 4, 1, 2, 0}, u.inverse().toLongArray());
        assertArrayEquals(new long[] {1, 1, 2, 1, 1}, u.counts().toLongArray());
    }

    @Test
    void signedZerosAreOneValueRepresentedByItsFirstOccurrence() {
        double first = Tensor.of(new double[] {0.0, -0.0}).unique().toDoubleArray()[0];
        assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(first));
        double second = Tensor.of(new double[] {-0.0, 0.0}).unique().toDoubleArray()[0];
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(second));
    }

    @Test
    void uniqueRowsCompareEveryColumn() {
        Tensor x = Tensor.of(new double[][] {{1, 3}, {1, 2}, {0, 5}, {1, 2}});
        Unique u = x.unique(true, true, true, 0);
        assertArrayEquals(new double[] {0, 5, 1, 2, 1, 3}, u.values().toDoubleArray(), 0.0);
        assertArrayEquals(new long[] {2, 1, 0, 1}, u.inverse().toLongArray());
        assertArrayEquals(new long[] {1, 2, 1}, u.counts().toLongArray());
        Tensor ints = Tensor.of(new long[] {4, 9, 4, 7, 4, 9, 0, 1}, 4, 2);
        Unique v = ints.unique(true, true, true, 0);
        assertArrayEquals(new long[] {0, 1, 4, 7, 4, 9}, v.values().toLongArray());
        assertArrayEquals(new long[] {2, 1, 2, 0}, v.inverse().toLongArray());
        assertArrayEquals(new long[] {1, 1, 2}, v.counts().toLongArray());
    }

    @Test
    void aFloatSequenceIsSearchedForIntegerValuesWithoutTruncation() {
        Tensor sequence = Tensor.of(new double[] {-0.5, 1.5});
        Tensor values = Tensor.of(new long[] {0, 1, 2});
        assertArrayEquals(new long[] {1, 1, 2}, Tensor.searchsorted(sequence, values).toLongArray());
        assertArrayEquals(new long[] {1, 1, 2}, Tensor.searchsorted(sequence, values, true).toLongArray());
    }

    @Test
    void anIntegerSequenceIsSearchedForFloatValuesWithoutTruncation() {
        Tensor sequence = Tensor.of(new long[] {0, 1, 2});
        Tensor values = Tensor.of(new double[] {0.5, -0.5, 2.0});
        assertArrayEquals(new long[] {1, 0, 2}, Tensor.searchsorted(sequence, values).toLongArray());
        assertArrayEquals(new long[] {1, 0, 3}, Tensor.searchsorted(sequence, values, true).toLongArray());
    }

    @Test
    void eachRowOfValuesSearchesItsOwnRow() {
        Tensor sequence = Tensor.of(new double[][] {{1, 3, 5}, {2, 4, 6}});
        Tensor values = Tensor.of(new double[][] {{3, 6}, {4, 5}});
        assertArrayEquals(new long[] {1, 3, 1, 2}, Tensor.searchsorted(sequence, values).toLongArray());
        assertArrayEquals(new long[] {2, 3, 2, 2}, Tensor.searchsorted(sequence, values, true).toLongArray());
        Tensor threeRows = Tensor.of(new double[][] {{0, 10}, {20, 30}, {40, 50}});
        Tensor one = Tensor.of(new double[][] {{45}, {25}, {5}});
        assertArrayEquals(new long[] {2, 1, 0}, Tensor.searchsorted(threeRows, one).toLongArray());
    }
}
