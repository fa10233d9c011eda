package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Filling and element reads in every dtype, through {@code full}, {@code fill}, {@code getLong} and
 * {@code scatterAdd}'s accumulation (each storage class has its own fill and add). Expected values by hand.
 */
class StorageFillAndReadTest {

    private static final DType[] ALL = {DType.FLOAT32, DType.FLOAT64, DType.INT64, DType.INT32, DType.UINT8,
        DType.BOOL};

    @Test
    void fullAndFillSetEveryElementInEveryDtype() {
        for (DType dtype : ALL) {
            long expected = dtype == DType.BOOL ? 1 : 7;
            long[] three = {expected, expected, expected};
            assertArrayEquals(three, Tensor.full(7.0, dtype, 3).toLongArray(), "full(double) " + dtype);
            assertArrayEquals(three, Tensor.full(7L, dtype, 3).toLongArray(), "full(long) " + dtype);
            assertArrayEquals(three, Tensor.zeros(dtype, 3).fill(7).toLongArray(), "fill " + dtype);
        }
    }

    @Test
    void getLongTruncatesFloatsTowardZero() {
        Tensor f32 = Tensor.of(new float[] {2.9f, -2.9f}, 2);
        assertEquals(2L, f32.getLong(0));
        assertEquals(-2L, f32.getLong(1));
        Tensor f64 = Tensor.of(new double[] {7.5, -1e10}, 2);
        assertEquals(7L, f64.getLong(0));
        assertEquals(-10_000_000_000L, f64.getLong(1));
        assertEquals(3L, Tensor.scalar(3.7, DType.FLOAT32).itemLong());
    }

    @Test
    void scatterAddAccumulatesInEveryNumericDtype() {
        Tensor index = Tensor.of(new long[] {1, 1, 0}, 3);
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT64, DType.INT32, DType.UINT8}) {
            Tensor src = Tensor.of(new long[] {5, 6, 2}, 3).to(dtype);
            assertArrayEquals(new long[] {2, 11}, Tensor.zeros(dtype, 2).scatterAdd(0, index, src).toLongArray(),
                    dtype.toString());
        }
    }
}
