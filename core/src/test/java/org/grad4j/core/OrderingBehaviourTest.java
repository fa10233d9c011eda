package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Hand-checked cases of the reductions, scans and ordering ops: where the gradient of max(dim) goes on ties (one
 * element, unlike amax), exact gradients of prod and cumprod at zeros, stability of logCumSumExp, dtypes, 0-d and
 * empty inputs, and the errors (naming the op and the values).
 */
class OrderingBehaviourTest {
    private static final Tensor TIED = Tensor.of(new double[] {3, 1, 3, 2, 2, 2}, 2, 3);

    private static double[] grad(Tensor leaf, Supplier<Tensor> loss) {
        leaf.zeroGrad();
        loss.get().backward();
        return leaf.grad().toDoubleArray();
    }

    @Test
    void maxOverADimSendsTheGradientToOneElementWhileAmaxSharesIt() {
        Tensor x = TIED.detach().copy().requiresGrad(true);
        assertArrayEquals(new double[] {1, 0, 0, 1, 0, 0}, grad(x, () -> x.max(1).values().sum()), 0);
        assertArrayEquals(new double[] {0.5, 0, 0.5, 1.0 / 3, 1.0 / 3, 1.0 / 3},
                grad(x, () -> x.amax(1).sum()), 1e-15);
        assertArrayEquals(new double[] {0, 1, 0, 1, 0, 0}, grad(x, () -> x.min(1, true).values().sum()), 0);
        assertArrayEquals(new double[] {0, 1, 0, 1.0 / 3, 1.0 / 3, 1.0 / 3}, grad(x, () -> x.amin(1).sum()), 1e-15);
        assertArrayEquals(new long[] {0, 0}, x.max(1).indices().toLongArray());
        assertArrayEquals(new long[] {1, 0}, x.min(1).indices().toLongArray());
        // the full reductions stay amax / amin
        assertArrayEquals(new double[] {0.5, 0, 0.5, 0, 0, 0}, grad(x, () -> x.max()), 1e-15);
    }

    @Test
    void maxOverADimKeepsNaNAndTheDtype() {
        Tensor x = Tensor.of(new double[] {1, Double.NaN, 5, Double.NaN}, 2, 2);
        ValuesAndIndices r = x.max(0);
        assertEquals(5, r.values().get(0));
        assertTrue(Double.isNaN(r.values().get(1)));
        assertArrayEquals(new long[] {1, 0}, r.indices().toLongArray());
        ValuesAndIndices b = Tensor.of(new boolean[] {false, true, true}).max(0);
        assertEquals(DType.BOOL, b.values().dtype());
        assertEquals(1, b.indices().itemLong());
        ValuesAndIndices scalar = Tensor.scalar(4.0).max(0);
        assertArrayEquals(new int[0], scalar.values().shape());
        assertEquals(0, scalar.indices().itemLong());
    }

    @Test
    void prodGradientIsExactWithOneAndWithSeveralZeros() {
        Tensor one = Tensor.of(new double[] {2, 0, 3, 4}).requiresGrad(true);
        assertArrayEquals(new double[] {0, 24, 0, 0}, grad(one, one::prod), 0);
        Tensor two = Tensor.of(new double[] {2, 0, 3, 0}).requiresGrad(true);
        assertArrayEquals(new double[] {0, 0, 0, 0}, grad(two, two::prod), 0);
        Tensor none = Tensor.of(new double[] {2, -1, 3}).requiresGrad(true);
        assertArrayEquals(new double[] {-3, 6, -2}, grad(none, none::prod), 1e-15);
        Tensor rows = Tensor.of(new double[] {0, 5, 2, 0, 0, 7}, 2, 3).requiresGrad(true);
        assertArrayEquals(new double[] {10, 0, 0, 0, 0, 0}, grad(rows, () -> rows.prod(1).sum()), 0);
    }

    @Test
    void cumprodGradientIsExactAtZeros() {
        // y = [2, 0, 0, 0]: dy_j/dx_k = prod_{m <= j, m != k} x_m
        Tensor x = Tensor.of(new double[] {2, 0, 3, 5}).requiresGrad(true);
        // d(sum y)/dx_0 = 1; d/dx_1 = 2 + 2*3 + 2*3*5 = 38; d/dx_2 = 0; d/dx_3 = 0
        assertArrayEquals(new double[] {1, 38, 0, 0}, grad(x, () -> x.cumprod(0).sum()), 1e-12);
    }

    @Test
    void logCumSumExpIsStableAtLargeMagnitudes() {
        Tensor x = Tensor.of(new double[] {-1000, 0, 1000, 1000});
        assertArrayEquals(new double[] {-1000, 0, 1000, 1000 + Math.log(2)}, x.logCumSumExp(0).toDoubleArray(),
                1e-12);
        Tensor f = Tensor.of(new float[] {100, 100});
        assertEquals(100 + Math.log(2), f.logCumSumExp(0).get(1), 1e-4);
    }

    @Test
    void integerAndBoolScansAndProductsGiveInt64() {
        assertArrayEquals(new long[] {1, 1, 2}, Tensor.of(new boolean[] {true, false, true}).cumsum(0).toLongArray());
        Tensor bytes = Tensor.of(new byte[] {(byte) 200, 2});
        assertEquals(DType.INT64, bytes.prod().dtype());
        assertEquals(400, bytes.prod().itemLong());
        assertEquals(DType.INT64, Tensor.of(new int[] {1, 2}).cumsum(0).dtype());
        assertEquals(1.0, Tensor.zeros(0).prod().item());
        assertEquals(3.0, Tensor.scalar(3.0).prod(0).item());
    }

    @Test
    void normsAsTorch() {
        Tensor x = Tensor.of(new double[] {3, -4, 0});
        assertEquals(5, x.norm().item(), 1e-15);
        assertEquals(7, x.norm(1).item(), 1e-15);
        assertEquals(4, x.norm(Double.POSITIVE_INFINITY).item(), 0);
        assertEquals(0, x.norm(Double.NEGATIVE_INFINITY).item(), 0);
        assertEquals(2, x.norm(0).item(), 0);
        assertEquals(DType.FLOAT64, x.norm(0).dtype());
        Tensor leaf = x.detach().copy().requiresGrad(true);
        assertArrayEquals(new double[] {0, 0, 0}, grad(leaf, () -> leaf.norm(0)), 0);
        Tensor tied = Tensor.of(new double[] {-2, 2, 1}).requiresGrad(true);
        assertArrayEquals(new double[] {-0.5, 0.5, 0}, grad(tied, () -> tied.norm(Double.POSITIVE_INFINITY)), 0);
    }

    @Test
    void vectorNormIsTheSameOpWithPyTorchsGradientsAtZeros() {
        Tensor x = Tensor.of(new double[] {0, 1, -2}).requiresGrad(true);
        double[] g = grad(x, () -> Linalg.vectorNorm(x, 0.5));
        assertEquals(0, g[0], 0);   // PyTorch: 0 (it used to be NaN here)
        assertEquals(Math.pow(1 + Math.sqrt(2), 1), g[1], 1e-12);
        assertArrayEquals(g, grad(x, () -> x.norm(0.5)), 0);
        assertEquals(DType.FLOAT64, Linalg.vectorNorm(x.detach(), 0).dtype());
        assertEquals(2, Linalg.vectorNorm(x.detach(), 0).item(), 0);
        assertEquals(0, Linalg.vectorNorm(x.detach(), -1).item(), 0);
        assertArrayEquals(new double[] {0, 0, 0}, grad(x, () -> Linalg.vectorNorm(x, -1)), 0);
    }

    @Test
    void scansAndProductsOfEmptyTensors() {
        assertArrayEquals(new int[] {0, 3}, Tensor.zeros(0, 3).cumsum(0).shape());
        assertArrayEquals(new int[] {0, 3}, Tensor.zeros(0, 3).cumprod(1).shape());
        assertArrayEquals(new int[] {0, 3}, Tensor.zeros(0, 3).logCumSumExp(0).shape());
        assertArrayEquals(new double[] {1, 1, 1}, Tensor.zeros(0, 3).prod(0).toDoubleArray(), 0);
        assertArrayEquals(new int[] {0}, Tensor.zeros(0, 3).prod(1).shape());
        assertEquals(0, Tensor.zeros(0, 3).norm().item(), 0);
        assertEquals(0, Tensor.zeros(0, 3).countNonzero().itemLong());
    }

    @Test
    void zeroDimAndEmptyInputs() {
        Tensor s = Tensor.scalar(3.0);
        assertEquals(3.0, s.sort(0, false).values().item());
        assertEquals(0, s.topk(1, 0, true, true).indices().itemLong());
        assertArrayEquals(new int[] {0}, s.topk(0, 0, true, true).values().shape());
        assertEquals(3.0, s.kthValue(1, 0, false).values().item());
        assertEquals(3.0, s.median(0).values().item());
        assertTrue(Double.isNaN(Tensor.zeros(0).median().item()));
        ValuesAndIndices emptySort = Tensor.zeros(0, 3).sort(0, false);
        assertArrayEquals(new int[] {0, 3}, emptySort.values().shape());
        ValuesAndIndices emptyTopk = Tensor.zeros(0, 3).topk(0, 0, true, true);
        assertArrayEquals(new int[] {0, 3}, emptyTopk.indices().shape());
        assertArrayEquals(new int[] {0}, Tensor.zeros(3, 0).max(0).values().shape());
        assertArrayEquals(new int[] {0}, Tensor.zeros(3, 0).mode(0).indices().shape());
    }

    private static void refused(Class<? extends Exception> type, Runnable call, String... fragments) {
        Exception e = assertThrows(type, call::run);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "'" + e.getMessage() + "' should mention '" + fragment + "'");
        }
    }

    @Test
    void errorsNameTheOpAndTheValues() {
        Tensor x = Tensor.zeros(2, 3);
        refused(ShapeMismatchException.class, () -> x.max(2), "max", "dimension 2", "rank 2");
        refused(ShapeMismatchException.class, () -> x.sort(-3, false), "sort", "-3");
        refused(IllegalArgumentException.class, () -> x.topk(4, 1, true, true), "topk", "k = 4", "size 3");
        refused(IllegalArgumentException.class, () -> x.topk(-1, 1, true, true), "topk", "k = -1");
        refused(IllegalArgumentException.class, () -> x.kthValue(0, 1, false), "kthValue", "k = 0", "[1, 3]");
        refused(IllegalArgumentException.class, () -> x.kthValue(4), "kthValue", "k = 4");
        Tensor empty = Tensor.zeros(0, 3);
        refused(ShapeMismatchException.class, () -> empty.max(0), "max", "dimension 0 of size 0", "[0, 3]");
        refused(ShapeMismatchException.class, () -> empty.min(0, true), "min", "size 0");
        refused(ShapeMismatchException.class, () -> empty.median(0), "median", "size 0");
        refused(ShapeMismatchException.class, () -> empty.mode(0), "mode", "size 0");
        refused(IllegalArgumentException.class, () -> empty.kthValue(1, 0, false), "kthValue", "size 0");
        refused(ShapeMismatchException.class, () -> empty.norm(Double.POSITIVE_INFINITY, new int[] {0}, false),
                "norm", "size 0");
        Tensor bools = Tensor.of(new boolean[] {true, false});
        refused(DTypeMismatchException.class, () -> bools.topk(1), "topk", "bool");
        refused(DTypeMismatchException.class, () -> bools.median(), "median", "bool");
        refused(DTypeMismatchException.class, () -> bools.kthValue(1), "kthValue", "bool");
        Tensor ints = Tensor.of(new long[] {1, 2});
        refused(DTypeMismatchException.class, () -> ints.logCumSumExp(0), "logCumSumExp", "int64");
        refused(DTypeMismatchException.class, () -> ints.norm(), "norm", "int64");
        refused(IllegalArgumentException.class, () -> Tensor.zeros(DType.INT64, 0).median(), "median", "empty");
        refused(IllegalArgumentException.class, () -> x.norm(Double.NaN), "norm", "NaN");
        refused(IllegalArgumentException.class, () -> x.norm("nuc", new int[0], false), "norm", "nuc");
        refused(ShapeMismatchException.class, () -> x.countNonzero(0, 0), "countNonzero", "more than once");
    }
}
