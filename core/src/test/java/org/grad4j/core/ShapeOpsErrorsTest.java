package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Bad input to the indexing and shape ops: each is refused with the library's exception type and a message naming
 * the op and the offending values, never an ArrayIndexOutOfBoundsException or a wrong answer. Plus the edge cases
 * PyTorch defines (empty dims, 0-d inputs, NaN in searchsorted, zeros in prod's gradient).
 */
class ShapeOpsErrorsTest {
    private static final Tensor M = Tensor.arange(0, 12, 1, DType.FLOAT64).reshape(3, 4);

    private static void assertMessage(Class<? extends Throwable> type, Executable call, String... parts) {
        Throwable t = assertThrows(type, call);
        for (String part : parts) {
            assertTrue(t.getMessage().contains(part), "'" + part + "' missing from: " + t.getMessage());
        }
    }

    @Test
    void floatIndicesAreRefusedWithTheFix() {
        Tensor floats = Tensor.of(new double[] {0, 1});
        assertMessage(DTypeMismatchException.class,
                () -> M.scatterReduce(0, floats.reshape(1, 2), M, "sum", true), "scatterReduce", "int64");
        assertMessage(DTypeMismatchException.class, () -> M.indexCopy(0, floats, M.narrow(0, 0, 2)), "indexCopy",
                "int64");
        assertMessage(DTypeMismatchException.class, () -> M.takeAlongDim(floats.reshape(1, 2), 1), "takeAlongDim",
                "to(DType.INT64)");
        assertMessage(DTypeMismatchException.class, () -> M.repeatInterleave(Tensor.of(new double[] {1, 2, 3}), 0),
                "repeatInterleave", "int64");
        assertMessage(DTypeMismatchException.class,
                () -> Tensor.searchsorted(Tensor.of(new double[] {1, 2}), floats, "left", floats, false), "sorter");
    }

    @Test
    void outOfRangeIndicesNameTheOpTheIndexAndTheSize() {
        Tensor bad = Tensor.of(new long[] {0, 7}, 1, 2);
        assertMessage(ShapeMismatchException.class, () -> M.scatterReduce(1, bad, M, "amax", false),
                "scatterReduce", "7", "[0, 4)");
        assertMessage(ShapeMismatchException.class, () -> M.indexCopy(0, Tensor.of(new long[] {-1}),
                M.narrow(0, 0, 1)), "indexCopy", "-1", "[0, 3)");
        assertMessage(ShapeMismatchException.class, () -> M.takeAlongDim(Tensor.of(new long[] {12})),
                "12", "[0, 12)");
        assertMessage(ShapeMismatchException.class, () -> Tensor.searchsorted(Tensor.of(new double[] {1, 2}),
                Tensor.of(new double[] {1}), "left", Tensor.of(new long[] {0, 2}), false), "sorter", "2", "[0, 2)");
    }

    @Test
    void scatterFamilyRefusesMismatchedShapesAndDtypesByOneRule() {
        Tensor index = Tensor.zeros(DType.INT64, 1, 2);
        Tensor[] wrongRank = {Tensor.zeros(DType.INT64, 2), M};
        Tensor wrongDtype = M.to(DType.FLOAT32);
        Tensor tooWide = Tensor.zeros(DType.INT64, 1, 5);
        for (String op : new String[] {"scatter", "scatterAdd", "scatterReduce"}) {
            assertMessage(ShapeMismatchException.class, () -> scatterOp(op, wrongRank[0], wrongRank[1]), op,
                    "input's rank", "[2]", "[3, 4]");
            assertMessage(DTypeMismatchException.class, () -> scatterOp(op, index, wrongDtype), op, "float64",
                    "float32", ".to(DType.FLOAT64)");
            assertMessage(ShapeMismatchException.class, () -> scatterOp(op, tooWide, M), op, "[1, 5]",
                    "no larger than src shape [3, 4]");
        }
    }

    private static Tensor scatterOp(String op, Tensor index, Tensor src) {
        return switch (op) {
            case "scatter" -> M.scatter(0, index, src);
            case "scatterAdd" -> M.scatterAdd(0, index, src);
            default -> M.scatterReduce(0, index, src, "sum", true);
        };
    }

    @Test
    void badArgumentsAreExplained() {
        assertMessage(IllegalArgumentException.class, () -> M.scatterReduce(0, Tensor.zeros(DType.INT64, 1, 1), M,
                "max", true), "scatterReduce", "\"max\"", "amax");
        assertMessage(ShapeMismatchException.class, () -> M.repeat(2), "repeat", "smaller");
        assertMessage(IllegalArgumentException.class, () -> M.repeat(2, -1), "repeat", "non-negative");
        assertMessage(IllegalArgumentException.class, () -> M.repeatInterleave(-1), "repeatInterleave", "-1");
        assertMessage(ShapeMismatchException.class, () -> M.repeatInterleave(Tensor.of(new long[] {1, 2}), 0),
                "repeatInterleave", "1 or 3");
        assertMessage(ShapeMismatchException.class, () -> M.flatten().tril(), "tril", "2 dims");
        assertMessage(ShapeMismatchException.class, () -> M.diagonal(0, 1, -1), "diagonal", "same");
        assertMessage(ShapeMismatchException.class, () -> M.reshape(3, 2, 2).diag(), "diag", "1-d");
        assertMessage(ShapeMismatchException.class, () -> M.flatten().trace(), "trace", "matrix");
        assertMessage(DTypeMismatchException.class, () -> M.gt(3).trace(), "trace", "bool");
        assertMessage(IllegalArgumentException.class, () -> M.chunk(0, 0), "chunk", "positive");
        assertMessage(ShapeMismatchException.class, () -> M.movedim(new int[] {0, 0}, new int[] {0, 1}), "movedim",
                "more than once");
        assertMessage(ShapeMismatchException.class, () -> M.unfold(1, 5, 1), "unfold", "size 5", "[0, 4]");
        assertMessage(IllegalArgumentException.class, () -> M.unfold(1, 2, 0), "unfold", "step");
        assertMessage(IllegalArgumentException.class, () -> M.pad(new int[] {1, 1}, "zeros", 0), "pad", "constant");
        assertMessage(IllegalArgumentException.class, () -> M.pad(1, 1, 1), "pad", "pairs");
        assertMessage(IllegalArgumentException.class, () -> M.pad(new int[] {4, 0}, "reflect", 0), "reflect",
                "smaller");
        assertMessage(IllegalArgumentException.class, () -> M.pad(new int[] {5, 0}, "circular", 0), "circular");
        assertMessage(IllegalArgumentException.class, () -> M.pad(new int[] {1, 0}, "reflect", 2), "value");
        assertMessage(ShapeMismatchException.class, () -> M.pad(-3, -2), "pad", "negative");
        assertMessage(IllegalArgumentException.class, () -> Tensor.searchsorted(M.flatten(), M, "middle", null,
                false), "side");
        assertMessage(ShapeMismatchException.class, () -> Tensor.searchsorted(M, Tensor.zeros(2, 1)),
                "searchsorted", "[3, 4]");
        assertMessage(ShapeMismatchException.class, () -> M.flatten().bucketize(M, false), "bucketize", "1-d");
        assertMessage(ShapeMismatchException.class, () -> M.roll(new int[] {1, 2}, 0), "roll", "same length");
        assertMessage(IllegalArgumentException.class, () -> Tensor.zeros(2, 2).repeat(Integer.MAX_VALUE, 2),
                "repeat", "size");
    }

    @Test
    void edgeCasesFollowPyTorch() {
        // chunk of an empty dim gives that many empty pieces; of 5 into 3: sizes 2, 2, 1; of 6 into 4: 2, 2, 2
        assertEquals(3, Tensor.zeros(0).chunk(3, 0).size());
        assertEquals(3, Tensor.zeros(5).chunk(3, 0).size());
        assertEquals(3, Tensor.zeros(6).chunk(4, 0).size());
        // nonzero of a 0-d tensor: shape [1, 0]; as a tuple, one tensor [0]
        assertArrayEquals(new int[] {1, 0}, Tensor.scalar(3.0).nonzero().shape());
        assertArrayEquals(new long[] {0}, Tensor.scalar(3.0).nonzeroAsTuple().get(0).toLongArray());
        // NaN: PyTorch's comparisons put it after every number, also when the sequence holds one
        Tensor seq = Tensor.of(new double[] {1, 2, Double.NaN});
        assertArrayEquals(new long[] {3, 1, 3}, Tensor.searchsorted(seq,
                Tensor.of(new double[] {Double.NaN, 2, 5})).toLongArray());
        // integer scatterReduce mean rounds toward minus infinity; bool sum is a logical or
        Tensor mean = Tensor.of(new long[] {-5, -7, 9, 11}).scatterReduce(0, Tensor.of(new long[] {0, 0, 1, 1, 1}),
                Tensor.of(new long[] {-1, -2, 4, 6, 8}), "mean", true);
        assertArrayEquals(new long[] {-3, 2, 9, 11}, mean.toLongArray());
        Tensor or = Tensor.of(new boolean[] {true, false}).scatterReduce(0, Tensor.of(new long[] {0, 1}),
                Tensor.of(new boolean[] {false, true}), "sum", true);
        assertArrayEquals(new boolean[] {true, true}, or.toBooleanArray());
        // prod's gradient with zeros: a single zero gets the product of the others, two zeros give 0 to both
        Tensor self = Tensor.of(new double[] {2, 3}).requiresGrad(true);
        Tensor src = Tensor.of(new double[] {0, 5, 0, 0}).requiresGrad(true);
        Tensor index = Tensor.of(new long[] {0, 0, 1, 1});
        self.scatterReduce(0, index, src, "prod", true).sum().backward();
        assertArrayEquals(new double[] {0, 0}, self.grad().toDoubleArray());
        assertArrayEquals(new double[] {10, 0, 0, 0}, src.grad().toDoubleArray());
        // views: diagonal and unfold write through
        Tensor m = Tensor.zeros(DType.FLOAT64, 3, 3);
        m.diagonal().fill(1);
        assertArrayEquals(Tensor.eye(3, DType.FLOAT64).toDoubleArray(), m.toDoubleArray());
        assertEquals(0, m.unfold(0, 2, 1).size(0) - 2);
        // the unsorted unique keeps first occurrences in order
        assertArrayEquals(new long[] {3, 1, 2}, Tensor.of(new long[] {3, 1, 2, 1, 3}).unique(false, false, false)
                .values().toLongArray());
    }

    @Test
    void emptyTensorsGiveEmptyResults() {
        Tensor empty = Tensor.zeros(DType.FLOAT64, 2, 0);
        assertArrayEquals(new int[] {0}, Tensor.zeros(0).unique().shape());
        assertArrayEquals(new int[] {0}, empty.unique(true, true, true).counts().shape());
        assertArrayEquals(new int[] {2, 0}, empty.unique(true, true, true, 1).values().shape());
        assertArrayEquals(new int[] {1}, empty.unique(true, true, true, 0).counts().shape());
        assertArrayEquals(new int[] {0, 2}, empty.nonzero().shape());
        assertArrayEquals(new long[] {0, 0}, Tensor.searchsorted(Tensor.zeros(0), Tensor.ones(2)).toLongArray());
        assertArrayEquals(new int[] {2, 0}, empty.flip(0, 1).shape());
        assertArrayEquals(new int[] {2, 0}, empty.roll(3).shape());
        assertArrayEquals(new int[] {2, 0}, empty.roll(new int[] {1, 2}, 0, 1).shape());
        assertArrayEquals(new int[] {4, 0}, empty.repeat(2, 3).shape());
        assertArrayEquals(new int[] {2, 3}, empty.pad(new int[] {1, 2}, "constant", 7).shape());
        assertArrayEquals(new int[] {2, 1, 0}, empty.unfold(1, 0, 1).shape());
        assertArrayEquals(new int[] {0}, empty.diagonal().shape());
        assertArrayEquals(new int[] {0, 0}, Tensor.zeros(0).diag().shape());
        assertArrayEquals(new int[] {2, 0}, empty.tril().shape());
        assertArrayEquals(new int[] {2, 0}, empty.repeatInterleave(Tensor.of(new long[] {2}), 1).shape());
        assertArrayEquals(new int[] {1}, Tensor.of(new double[] {5}).scatterReduce(0, Tensor.zeros(DType.INT64, 0),
                Tensor.zeros(DType.FLOAT64, 0), "prod", false).shape());
        assertEquals(0, empty.trace().item());
        assertArrayEquals(new int[] {0, 2}, empty.movedim(1, 0).shape());
        assertArrayEquals(new int[] {2, 0}, empty.takeAlongDim(Tensor.zeros(DType.INT64, 2, 0), 1).shape());
    }

    @Test
    void shortFormsMatchTheirFullForms() {
        Tensor x = Tensor.arange(0, 6, 1, DType.FLOAT64).reshape(2, 3);
        Tensor index = Tensor.of(new long[] {1, 0, 1}, 1, 3);
        Tensor src = Tensor.of(new double[] {5, 6, 7}, 1, 3);
        assertArrayEquals(x.scatterReduce(0, index, src, "amax", true).toDoubleArray(),
                x.scatterReduce(0, index, src, "amax").toDoubleArray());
        assertArrayEquals(x.roll(new int[] {1}, 0).toDoubleArray(), x.roll(1, 0).toDoubleArray());
        assertArrayEquals(x.pad(new int[] {1, 1}, "constant", 0).toDoubleArray(), x.pad(1, 1).toDoubleArray());
        assertArrayEquals(x.tril(0).toDoubleArray(), x.tril().toDoubleArray());
        assertArrayEquals(x.triu(0).toDoubleArray(), x.triu().toDoubleArray());
        assertArrayEquals(x.diagonal(0, 0, 1).toDoubleArray(), x.diagonal().toDoubleArray());
        assertArrayEquals(x.diag(0).toDoubleArray(), x.diag().toDoubleArray());
        Tensor seq = Tensor.of(new long[] {1, 2, 2, 3});
        assertEquals(1, Tensor.searchsorted(seq, 2.0, false).itemLong());
        assertEquals(3, Tensor.searchsorted(seq, 2.0, true).itemLong());
        assertEquals(0, Tensor.searchsorted(seq, 2.5, false).dim());
        assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5}, x.unique().to(DType.INT64).toLongArray());
    }
}
