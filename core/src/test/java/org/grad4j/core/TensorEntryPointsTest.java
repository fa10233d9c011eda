package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Tensor's own entry points that other tests reach only through their longer forms: the factories' length checks
 * for every array type, {@code arange}'s counts, {@code rand}, negative element indices, read-out without aliasing,
 * {@code allClose}, the short overloads (each against its long form and hand-derived values) and the in-place
 * setters' checks. Expected values by hand or from naive loops.
 */
class TensorEntryPointsTest {

    @Test
    void everyFactoryRefusesDataThatDoesNotFillTheShape() {
        int[] shape = {2, 2};
        assertRefused("Tensor.ofShape", () -> Tensor.ofShape(new float[3], shape));
        assertRefused("Tensor.ofShape", () -> Tensor.ofShape(new double[5], shape));
        assertRefused("Tensor.ofShape", () -> Tensor.ofShape(new long[3], shape));
        assertRefused("Tensor.ofShape", () -> Tensor.ofShape(new int[3], shape));
        assertRefused("Tensor.ofShape", () -> Tensor.ofShape(new byte[3], shape));
        assertRefused("Tensor.ofShape", () -> Tensor.ofShape(new boolean[3], shape));
        assertRefused("Tensor.ofShape", () -> Tensor.ofShape(new float[2], new int[0]));
        assertRefused("Tensor.of", () -> Tensor.of(new float[3], shape));
        assertRefused("Tensor.of", () -> Tensor.of(new double[3], shape));
        assertRefused("Tensor.of", () -> Tensor.of(new long[3], shape));
        assertRefused("Tensor.of", () -> Tensor.of(new int[3], shape));
        assertRefused("Tensor.of", () -> Tensor.of(new byte[3], shape));
        assertRefused("Tensor.of", () -> Tensor.of(new boolean[3], shape));
        // the accepted forms keep the values and the shape
        assertArrayEquals(new int[] {200, 1, 0, 255},
                toInts(Tensor.ofShape(new byte[] {(byte) 200, 1, 0, (byte) 255}, shape)));
        assertArrayEquals(new boolean[] {true, false}, Tensor.ofShape(new boolean[] {true, false}, new int[] {2, 1})
                .toBooleanArray());
        assertArrayEquals(new int[] {2, 1}, Tensor.ofShape(new boolean[] {true, false}, new int[] {2, 1}).shape());
        assertArrayEquals(new int[] {1, 3}, Tensor.of(new byte[] {1, 2, 3}, 1, 3).shape());
    }

    private static int[] toInts(Tensor t) {
        byte[] b = t.toByteArray();
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) out[i] = b[i] & 0xFF;
        return out;
    }

    private static void assertRefused(String op, org.junit.jupiter.api.function.Executable call) {
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class, call);
        assertTrue(e.getMessage().startsWith(op + ":"), e.getMessage());
    }

    @Test
    void integerArangeCountsLikeTorch() {
        // a step larger than the range: one element (the element-count guard must divide, not multiply)
        assertArrayEquals(new long[] {0}, Tensor.arange(0, 1_000_000, 1_000_000, DType.INT64).toLongArray());
        assertArrayEquals(new long[] {5}, Tensor.arange(5, 0, -1_000_000_000L, DType.INT64).toLongArray());
        // start == end: empty for every step, negative ones included (torch.arange(5, 5, -2) is empty)
        for (long step : new long[] {-3, -2, -1, 1, 2, 3}) {
            assertEquals(0, Tensor.arange(5, 5, step, DType.INT64).numel(), "step " + step);
        }
        assertArrayEquals(new long[] {5, 3, 1}, Tensor.arange(5, 0, -2, DType.INT64).toLongArray());
        assertArrayEquals(new long[] {5, 3}, Tensor.arange(5, 1, -2, DType.INT64).toLongArray());
        assertArrayEquals(new long[] {0, 3, 6}, Tensor.arange(0, 7, 3, DType.INT64).toLongArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.arange(0, Integer.MAX_VALUE, 1, DType.INT64));
        assertTrue(e.getMessage().startsWith("arange:"), e.getMessage());
    }

    @Test
    void randDrawsTheGeneratorsSequenceInBothDtypes() {
        Tensor f32 = Tensor.rand(42L, 2, 3);
        assertEquals(DType.FLOAT32, f32.dtype());
        assertArrayEquals(new int[] {2, 3}, f32.shape());
        SplittableRandom reference = new SplittableRandom(42L);
        float[] expected = new float[6];
        for (int i = 0; i < 6; i++) expected[i] = reference.nextFloat();
        assertArrayEquals(expected, f32.toFloatArray());

        Tensor f64 = Tensor.rand(new SplittableRandom(7L), DType.FLOAT64, 5);
        SplittableRandom reference64 = new SplittableRandom(7L);
        double[] expected64 = new double[5];
        for (int i = 0; i < 5; i++) expected64[i] = reference64.nextDouble();
        assertArrayEquals(expected64, f64.toDoubleArray());
    }

    @Test
    void negativeIndicesCountFromTheEnd() {
        Tensor t = Tensor.arange(0, 6, 1, DType.INT64).reshape(2, 3);
        assertEquals(5L, t.getLong(-1, -1));
        assertEquals(3.0, t.get(-1, 0));
        assertEquals(1L, t.getLong(0, -2));
        assertFalse(t.getBoolean(0, 0));
        assertTrue(t.getBoolean(-2, -1));
        t.set(9L, -1, -3);
        assertEquals(9L, t.getLong(1, 0));
        assertThrows(ShapeMismatchException.class, () -> t.get(-3, 0));
        assertThrows(ShapeMismatchException.class, () -> t.get(0, -4));
    }

    @Test
    void readOutArraysAreCopiesInEveryDtype() {
        Tensor u8 = Tensor.of(new byte[] {1, 2, 3}, 3);
        byte[] bytes = u8.toByteArray();
        bytes[0] = 99;
        assertEquals(1L, u8.getLong(0), "toByteArray handed out the tensor's own storage");
        Tensor i64 = Tensor.of(new long[] {1, 2}, 2);
        i64.toLongArray()[0] = 99;
        assertEquals(1L, i64.getLong(0));
        Tensor i32 = Tensor.of(new int[] {1, 2}, 2);
        i32.toIntArray()[0] = 99;
        assertEquals(1L, i32.getLong(0));
        Tensor f32 = Tensor.of(new float[] {1, 2}, 2);
        f32.toFloatArray()[0] = 99;
        assertEquals(1.0, f32.get(0));
        Tensor f64 = Tensor.of(new double[] {1, 2}, 2);
        f64.toDoubleArray()[0] = 99;
        assertEquals(1.0, f64.get(0));
        // a view's read-out holds just the view's elements
        assertArrayEquals(new byte[] {2, 3}, u8.slice(0, 1, 3).toByteArray());
    }

    @Test
    void hasNonFiniteIsFalseForIntegerTensors() {
        assertFalse(Tensor.of(new long[] {Long.MAX_VALUE, Long.MIN_VALUE}, 2).hasNonFinite());
        assertFalse(Tensor.of(new boolean[] {true}, 1).hasNonFinite());
        assertTrue(Tensor.of(new double[] {1, Double.NaN}, 2).hasNonFinite());
        assertFalse(Tensor.of(new double[] {1, -2}, 2).hasNonFinite());
    }

    @Test
    void allCloseAsTorch() {
        Tensor a = Tensor.of(new double[] {1, 2, 3}, 3);
        assertTrue(a.allClose(Tensor.of(new double[] {1, 2, 3}, 3), 0, 0));
        assertFalse(a.allClose(Tensor.of(new double[] {1, 2, 3.5}, 3), 1e-5, 1e-8));
        assertFalse(a.allClose(Tensor.of(new double[] {1.5, 2, 3}, 3), 1e-5, 1e-8), "first element differs");
        // |a - b| <= atol + rtol * |b|, inclusive: 0.5 <= 0.21875 + 0.0625 * 4.5 = 0.5 exactly (all dyadic)
        assertTrue(a.allClose(Tensor.of(new double[] {1, 2, 3.25}, 3), 1.0 / 16, 0.0625));
        assertTrue(Tensor.of(new double[] {4}, 1).allClose(Tensor.of(new double[] {4.5}, 1), 0.0625, 0.21875));
        assertFalse(Tensor.of(new double[] {4}, 1).allClose(Tensor.of(new double[] {4.5}, 1), 0.0625, 0.21874));
        assertFalse(Tensor.of(new double[] {4}, 1).allClose(Tensor.of(new double[] {4.5625}, 1), 0.0625, 0.25));
        // different shapes are never close; infinities of one sign are; NaN is not (equal_nan=False)
        assertFalse(a.allClose(Tensor.of(new double[] {1, 2, 3}, 1, 3), 1, 1));
        assertFalse(a.allClose(Tensor.of(new double[] {1, 2}, 2), 1, 1));
        Tensor inf = Tensor.of(new double[] {Double.POSITIVE_INFINITY}, 1);
        assertTrue(inf.allClose(inf, 0, 0));
        // torch.allclose(inf, -inf, 1, 1), (1, inf, 1, 1) and (inf, 1, 1, 1) are all False
        assertFalse(inf.allClose(Tensor.of(new double[] {Double.NEGATIVE_INFINITY}, 1), 1, 1));
        assertFalse(Tensor.of(new double[] {1}, 1).allClose(inf, 1, 1));
        assertFalse(inf.allClose(Tensor.of(new double[] {1}, 1), 1, 1));
        Tensor nan = Tensor.of(new double[] {Double.NaN}, 1);
        assertFalse(nan.allClose(nan, 1, 1));
    }

    @Test
    void toStringPrecisionRange() {
        Tensor t = Tensor.of(new double[] {1.25}, 1);
        assertEquals("tensor([1], dtype=float64)", t.toString(0));   // torch prints tensor([1], ...) at precision 0
        assertTrue(t.toString(17).contains("1.25000000000000000"), t.toString(17));
        assertThrows(IllegalArgumentException.class, () -> t.toString(-1));
        assertThrows(IllegalArgumentException.class, () -> t.toString(18));
    }

    @Test
    void setGradChecksShapeAndDtype() {
        Tensor x = Tensor.zeros(DType.FLOAT32, 2, 3).requiresGrad(true);
        Tensor good = Tensor.ones(DType.FLOAT32, 2, 3);
        x.setGrad(good);
        assertSame(good, x.grad());
        assertThrows(ShapeMismatchException.class, () -> x.setGrad(Tensor.ones(DType.FLOAT32, 3, 2)));
        assertThrows(ShapeMismatchException.class, () -> x.setGrad(Tensor.ones(DType.FLOAT64, 2, 3)));
        assertSame(good, x.grad(), "a refused gradient must not replace the old one");
        x.setGrad(null);
        assertEquals(null, x.grad());
    }

    @Test
    void shortOverloadsEqualTheirLongForms() {
        Tensor v = Tensor.of(new double[] {3, 1, 2, 1, 5, 1}, 2, 3);
        assertArrayEquals(new double[] {1, 1, 0, 1, 1, 1}, v.remainder(2L).toDoubleArray());
        assertArrayEquals(new long[] {1, 0, 2}, Tensor.of(new long[] {7, -6, -1}, 3).remainder(3L).toLongArray());
        assertEquals(DType.INT64, Tensor.of(new long[] {7}, 1).remainder(3L).dtype());

        Tensor bits = Tensor.of(new boolean[] {true, false, false, false, false, false}, 2, 3);
        assertArrayEquals(new boolean[] {true, false}, bits.any(1).toBooleanArray());
        assertArrayEquals(new boolean[] {true, false, false}, bits.any(0).toBooleanArray());
        assertArrayEquals(new boolean[] {false, false}, bits.all(1).toBooleanArray());
        assertArrayEquals(new boolean[] {true, true}, bits.logicalNot().any(1).toBooleanArray());
        assertArrayEquals(new boolean[] {false, true}, bits.logicalNot().all(1).toBooleanArray());

        ValuesAndIndices sorted = v.sort();
        assertArrayEquals(new double[] {1, 2, 3, 1, 1, 5}, sorted.values().toDoubleArray());
        assertArrayEquals(new long[] {1, 2, 0, 0, 2, 1}, sorted.indices().toLongArray());
        assertArrayEquals(new long[] {0, 2, 1, 1, 0, 2}, v.argsort(1, true).toLongArray());
        assertArrayEquals(new long[] {1, 0, 1, 0, 1, 0}, v.argsort(0, false).toLongArray());

        ValuesAndIndices top = v.topk(2);
        assertArrayEquals(new double[] {3, 2, 5, 1}, top.values().toDoubleArray());
        assertArrayEquals(new long[] {0, 2, 1, 0}, top.indices().toLongArray());
        ValuesAndIndices second = v.kthValue(2);
        assertArrayEquals(new double[] {2, 1}, second.values().toDoubleArray());
        assertArrayEquals(new int[] {2}, second.values().shape());
        ValuesAndIndices mode = Tensor.of(new long[] {4, 4, 2, 7, 7, 7}, 2, 3).mode();
        assertArrayEquals(new long[] {4, 7}, mode.values().toLongArray());
        assertArrayEquals(new int[] {2}, mode.values().shape());

        Tensor row = Tensor.of(new double[] {1, 2, 3}, 3);
        Tensor expanded = row.expandAs(v);
        assertArrayEquals(new int[] {2, 3}, expanded.shape());
        assertArrayEquals(new double[] {1, 2, 3, 1, 2, 3}, expanded.toDoubleArray());
        assertTrue(expanded.sharesStorageWith(row));
    }

    @Test
    void inPlaceShortFormsReturnThisWithTheValues() {
        Tensor a = Tensor.of(new double[] {1, 5, -2}, 3);
        assertSame(a, a.maximumInPlace(Tensor.of(new double[] {2, 2, 2}, 3)));
        assertArrayEquals(new double[] {2, 5, 2}, a.toDoubleArray());
        // addcdiv_: a += 0.5 * t1 / t2
        assertSame(a, a.addcdivInPlace(Tensor.of(new double[] {4, 4, 4}, 3), Tensor.of(new double[] {1, 2, 4}, 3),
                0.5));
        assertArrayEquals(new double[] {4, 6, 2.5}, a.toDoubleArray());
        assertSame(a, a.clampInPlace(3, 5));
        assertArrayEquals(new double[] {4, 5, 3}, a.toDoubleArray());
        assertSame(a, a.clampInPlace(4, 4), "min == max is allowed, as torch.clamp_");
        assertArrayEquals(new double[] {4, 4, 4}, a.toDoubleArray());
        assertThrows(IllegalArgumentException.class, () -> a.clampInPlace(2, 1));
        assertThrows(IllegalArgumentException.class, () -> a.clampInPlace(Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> a.clampInPlace(0, Double.NaN));
        assertArrayEquals(new double[] {4, 4, 4}, a.toDoubleArray(), "a refused clamp leaves the values");
    }

    @Test
    void setOfALongChecksAutogradAndBumpsTheVersion() {
        Tensor ints = Tensor.zeros(DType.INT64, 2);
        assertSame(ints, ints.set(Long.MAX_VALUE, 1));
        assertEquals(Long.MAX_VALUE, ints.getLong(1));

        Tensor leaf = Tensor.zeros(DType.FLOAT64, 2).requiresGrad(true);
        assertThrows(AutogradException.class, () -> leaf.set(1L, 0));
        assertThrows(AutogradException.class, () -> leaf.set(1.0, 0));
        assertEquals(0.0, leaf.get(0));

        // a tensor saved for backward and then changed by set(long) must make the backward fail
        Tensor x = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
        Tensor saved = Tensor.of(new double[] {3, 4}, 2);
        Tensor y = x.mul(saved).sum();
        saved.set(7L, 0);
        assertThrows(AutogradException.class, y::backward);
        Tensor x2 = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
        Tensor saved2 = Tensor.of(new double[] {3, 4}, 2);
        Tensor y2 = x2.mul(saved2).sum();
        saved2.set(7.0, 0);
        assertThrows(AutogradException.class, y2::backward);
    }

    @Test
    void tensordotContractsAllDimsOfTheSmallerOperand() {
        Tensor a = Tensor.arange(0, 4, 1, DType.FLOAT64).reshape(2, 2);
        Tensor b = Tensor.arange(0, 8, 1, DType.FLOAT64).reshape(2, 2, 2);
        // dims == a.dim(): out[k] = sum_ij a[i][j] b[i][j][k]
        double[] expected = new double[2];
        for (int k = 0; k < 2; k++) {
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 2; j++) expected[k] += a.get(i, j) * b.get(i, j, k);
            }
        }
        assertArrayEquals(expected, Tensor.tensordot(a, b, 2).toDoubleArray());
        // dims == b.dim(): out[i] = sum_jk b[i][j][k] a[j][k]
        double[] expectedB = new double[2];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                for (int k = 0; k < 2; k++) expectedB[i] += b.get(i, j, k) * a.get(j, k);
            }
        }
        assertArrayEquals(expectedB, Tensor.tensordot(b, a, 2).toDoubleArray());
        assertThrows(ShapeMismatchException.class, () -> Tensor.tensordot(a, b, 3));
        assertThrows(ShapeMismatchException.class, () -> Tensor.tensordot(b, a, 3));
        assertThrows(ShapeMismatchException.class, () -> Tensor.tensordot(a, b, -1));
    }

    @Test
    void searchsortedOfOneValueComparesInTheValuesOwnPrecision() {
        Tensor ints = Tensor.of(new long[] {1, 2, 3}, 3);
        // torch.searchsorted(torch.tensor([1, 2, 3]), 1.5) == 1: 1.5 is not truncated to 1
        assertEquals(1L, Tensor.searchsorted(ints, 1.5, false).itemLong());
        assertEquals(1L, Tensor.searchsorted(ints, 1.5, true).itemLong());
        assertEquals(0L, Tensor.searchsorted(ints, 1.0, false).itemLong());
        assertEquals(1L, Tensor.searchsorted(ints, 1.0, true).itemLong());
        Tensor floats = Tensor.of(new float[] {0.5f, 1.5f}, 2);
        assertEquals(1L, Tensor.searchsorted(floats, 1.0, false).itemLong());
        assertEquals(2L, Tensor.searchsorted(floats, 1.5, true).itemLong());
    }
}
