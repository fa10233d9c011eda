package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Edges of scatter, oneHot, argmax/argmin and the integer unary ops that the larger property suites do not reach:
 * a src larger than its index, ties in float32, error messages naming the op the user called, and integer
 * negation that wraps as PyTorch's. Expected values are written out by hand.
 */
class IndexingReductionEdgesTest {

    @Test
    void scatterReadsTheLeadingPartOfASrcLargerThanItsIndex() {
        Tensor x = Tensor.zeros(DType.FLOAT64, 2, 4);
        Tensor src = Tensor.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 3, 3);
        Tensor index = Tensor.of(new long[] {3, 0, 1, 2}, 2, 2);
        // out[i][index[i][j]] = src[i][j] for the 2 x 2 index: src rows 0 and 1, columns 0 and 1
        assertArrayEquals(new double[] {2, 0, 0, 1, 0, 4, 5, 0}, x.scatter(1, index, src).toDoubleArray(), 0.0);
        assertArrayEquals(new double[] {2, 0, 0, 1, 0, 4, 5, 0}, x.scatterAdd(1, index, src).toDoubleArray(), 0.0);
        assertArrayEquals(new double[] {2, 0, 0, 1, 0, 4, 5, 0},
                x.scatterReduce(1, index, src, "sum").toDoubleArray(), 0.0);
        // a src narrower in a dim other than the first
        Tensor tall = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor column = Tensor.of(new long[] {1, 0}, 2, 1);
        assertArrayEquals(new double[] {0, 1, 0, 0, 4, 0, 0, 0},
                x.scatter(1, column, tall).toDoubleArray(), 0.0);
    }

    @Test
    void scatterMessagesNameTheOpCalledAndIndexLargerThanSrcIsRefused() {
        Tensor x = Tensor.zeros(DType.FLOAT64, 2, 4);
        Tensor src = Tensor.ones(DType.FLOAT64, 2, 1);
        Tensor index = Tensor.of(new long[] {0, 1, 2, 3}, 2, 2);
        ShapeMismatchException add = assertThrows(ShapeMismatchException.class, () -> x.scatterAdd(1, index, src));
        assertTrue(add.getMessage().startsWith("scatterAdd:"), add.getMessage());
        ShapeMismatchException plain = assertThrows(ShapeMismatchException.class, () -> x.scatter(1, index, src));
        assertTrue(plain.getMessage().startsWith("scatter:"), plain.getMessage());
        ShapeMismatchException reduce = assertThrows(ShapeMismatchException.class,
                () -> x.scatterReduce(1, index, src, "amax"));
        assertTrue(reduce.getMessage().contains("src"), reduce.getMessage());
        DTypeMismatchException dtype = assertThrows(DTypeMismatchException.class,
                () -> x.scatterAdd(1, index, Tensor.ones(DType.FLOAT32, 2, 2)));
        assertTrue(dtype.getMessage().startsWith("scatterAdd:"), dtype.getMessage());
    }

    @Test
    void oneHotNeedsAtLeastOneClass() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.oneHot(new int[0], 0, DType.FLOAT32));
        assertTrue(e.getMessage().contains("numClasses must be positive, got 0"), e.getMessage());
        assertArrayEquals(new int[] {0, 1}, Tensor.oneHot(new int[0], 1, DType.FLOAT32).shape());
        assertArrayEquals(new float[] {0, 1, 1, 0}, Tensor.oneHot(new int[] {1, 0}, 2, DType.FLOAT32).toFloatArray(),
                0f);
    }

    /** PyTorch returns the first position of the extremum on ties; in every float dtype and in int64. */
    @Test
    void argmaxAndArgminPickTheFirstOfTies() {
        double[] values = {1, 5, 5, -2, 5, -2};
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT64, DType.INT32}) {
            Tensor v = Tensor.of(values, 6).to(dtype);
            assertArrayEquals(new long[] {1}, v.argmax(0, true).toLongArray(), dtype.toString());
            assertArrayEquals(new long[] {3}, v.argmin(0, true).toLongArray(), dtype.toString());
            Tensor m = Tensor.of(values, 2, 3).to(dtype);   // rows (1 5 5) (-2 5 -2)
            assertArrayEquals(new long[] {1, 1}, m.argmax(1).toLongArray(), dtype.toString());
            assertArrayEquals(new long[] {0, 0}, m.argmin(1).toLongArray(), dtype.toString());
            assertArrayEquals(new long[] {0, 0, 0}, m.argmax(0).toLongArray(), dtype.toString());
            assertArrayEquals(new long[] {1, 0, 1}, m.argmin(0).toLongArray(), dtype.toString());
        }
    }

    @Test
    void argminAndArgmaxOverAnEmptyDimNameThemselves() {
        Tensor empty = Tensor.zeros(DType.FLOAT32, 2, 0);
        ShapeMismatchException min = assertThrows(ShapeMismatchException.class, () -> empty.argmin(1));
        assertTrue(min.getMessage().startsWith("argmin:"), min.getMessage());
        ShapeMismatchException max = assertThrows(ShapeMismatchException.class, () -> empty.argmax(1));
        assertTrue(max.getMessage().startsWith("argmax:"), max.getMessage());
    }

    /** Integer unary ops are computed wide and narrowed, so they wrap as PyTorch's. */
    @Test
    void integerUnaryOpsWrapLikePyTorch() {
        Tensor i32 = Tensor.of(new int[] {-5, 0, 7, Integer.MIN_VALUE}, 4);
        assertArrayEquals(new long[] {5, 0, -7, Integer.MIN_VALUE}, i32.neg().toLongArray());
        assertArrayEquals(new long[] {5, 0, 7, Integer.MIN_VALUE}, i32.abs().toLongArray());
        assertArrayEquals(new long[] {-1, 0, 1, -1}, i32.sign().toLongArray());
        assertArrayEquals(new long[] {0, 0, 7, 0}, i32.relu().toLongArray());
        Tensor u8 = Tensor.of(new long[] {0, 1, 200}, 3).to(DType.UINT8);
        assertArrayEquals(new long[] {0, 255, 56}, u8.neg().toLongArray());
        assertArrayEquals(new long[] {0, 1, 200}, u8.abs().toLongArray());
        assertArrayEquals(new long[] {0, 1, 1}, u8.sign().toLongArray());
        assertArrayEquals(new long[] {0, 1, 200}, u8.relu().toLongArray());
        Tensor i64 = Tensor.of(new long[] {-3, Long.MIN_VALUE, 4}, 3);
        assertArrayEquals(new long[] {3, Long.MIN_VALUE, -4}, i64.neg().toLongArray());
        // a strided integer view
        Tensor strided = Tensor.of(new int[] {1, -2, 3, -4, 5, -6}, 2, 3).t();
        assertArrayEquals(new long[] {-1, 4, 2, -5, -3, 6}, strided.neg().toLongArray());
    }

    /** Repeated indices accumulate in the tensor's own dtype: uint8 wraps modulo 256, as in PyTorch. */
    @Test
    void scatterAddAccumulatesSmallIntegersWithWraparound() {
        Tensor x = Tensor.zeros(DType.UINT8, 3);
        Tensor index = Tensor.of(new long[] {0, 0, 2, 0}, 4);
        Tensor src = Tensor.of(new long[] {200, 100, 7, 1}, 4).to(DType.UINT8);
        assertArrayEquals(new long[] {45, 0, 7}, x.scatterAdd(0, index, src).toLongArray());
        Tensor i32 = Tensor.zeros(DType.INT32, 2);
        assertArrayEquals(new long[] {0, -3},
                i32.scatterAdd(0, Tensor.of(new long[] {1, 1}, 2), Tensor.of(new int[] {-5, 2}, 2)).toLongArray());
    }

    @Test
    void anInfiniteOrderNormOverAnEmptyDimNamesMaxOrMin() {
        Tensor empty = Tensor.zeros(DType.FLOAT64, 2, 0);
        ShapeMismatchException max = assertThrows(ShapeMismatchException.class,
                () -> empty.norm(Double.POSITIVE_INFINITY, new int[] {1}, false));
        assertTrue(max.getMessage().contains("take the max of"), max.getMessage());
        ShapeMismatchException min = assertThrows(ShapeMismatchException.class,
                () -> empty.norm(Double.NEGATIVE_INFINITY, new int[] {1}, false));
        assertTrue(min.getMessage().contains("take the min of"), min.getMessage());
    }
}
