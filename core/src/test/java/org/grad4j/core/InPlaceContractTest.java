package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * What every in-place op promises: it changes the values (fill, zero, copyFrom, addcmul, addcdiv against hand
 * computed results), returns this tensor, bumps the version shared by views, and refuses a target it cannot write
 * (wrong shape, expanded view, requires grad while recording) before touching anything.
 */
class InPlaceContractTest {

    private static Tensor t(double... v) {
        return Tensor.of(v);
    }

    @Test
    void fillZeroAndCopyFromWriteEveryElementAndReturnThis() {
        Tensor x = t(1, 2, 3, 4).reshape(2, 2);
        assertSame(x, x.fill(7.5));
        assertArrayEquals(new double[] {7.5, 7.5, 7.5, 7.5}, x.toDoubleArray(), 0.0);
        assertSame(x, x.zero());
        assertArrayEquals(new double[4], x.toDoubleArray(), 0.0);
        assertSame(x, x.copyFrom(t(9, 8, 7, 6).reshape(2, 2)));
        assertArrayEquals(new double[] {9, 8, 7, 6}, x.toDoubleArray(), 0.0);
        // broadcast source, transposed target view: each element from its own position
        x.t().copyFrom(t(1, 2));
        assertArrayEquals(new double[] {1, 1, 2, 2}, x.toDoubleArray(), 0.0);
        // a source that aliases the target (its transpose) is read before it is overwritten
        Tensor y = t(1, 2, 3, 4).reshape(2, 2);
        y.copyFrom(y.t());
        assertArrayEquals(new double[] {1, 3, 2, 4}, y.toDoubleArray(), 0.0);
        Tensor f = Tensor.of(new float[] {1, 2, 3});
        f.fill(-0.25);
        assertArrayEquals(new float[] {-0.25f, -0.25f, -0.25f}, f.toFloatArray(), 0f);
    }

    @Test
    void addcmulAndAddcdivAddValueTimesTheProductOrQuotient() {
        Tensor x = t(1, 2, 3);
        assertSame(x, x.addcmulInPlace(t(2, 3, 4), t(5, 6, 7), 0.5));
        assertArrayEquals(new double[] {1 + 5, 2 + 9, 3 + 14}, x.toDoubleArray(), 0.0);
        x.addcdivInPlace(t(1, 4, 9), t(2, 8, 3), -2);
        assertArrayEquals(new double[] {6 - 1, 11 - 1, 17 - 6}, x.toDoubleArray(), 0.0);
        x.addcmulInPlace(t(1, 1, 1), t(2, 2, 2), 1);
        assertArrayEquals(new double[] {7, 12, 13}, x.toDoubleArray(), 0.0);
        Tensor m = t(0, 0, 0, 0).reshape(2, 2);
        m.addcmulInPlace(t(1, 2), t(3, 4, 5, 6).reshape(2, 2), 1);   // broadcast row times matrix
        assertArrayEquals(new double[] {3, 8, 5, 12}, m.toDoubleArray(), 0.0);
    }

    @Test
    void everyInPlaceOpBumpsTheVersionSharedWithViews() {
        Tensor base = t(1, 2, 3, 4);
        Tensor view = base.reshape(2, 2);
        int v0 = base.version();
        base.fill(1);
        view.copyFrom(t(1, 2, 3, 4).reshape(2, 2));
        base.addcmulInPlace(t(1, 1, 1, 1), t(1, 1, 1, 1), 1);
        base.addcdivInPlace(t(1, 1, 1, 1), t(1, 1, 1, 1), 1);
        base.zero();
        assertEquals(v0 + 5, base.version());
        assertEquals(base.version(), view.version());
    }

    @Test
    void targetsThatCannotBeWrittenAreRefusedAndLeftUnchanged() {
        Tensor x = t(1, 2, 3);
        ShapeMismatchException shape = assertThrows(ShapeMismatchException.class, () -> x.copyFrom(t(1, 2, 3, 4)));
        assertTrue(shape.getMessage().startsWith("copyFrom: "), shape.getMessage());
        assertThrows(ShapeMismatchException.class, () -> x.addcmulInPlace(t(1, 2), t(1, 2), 1));
        assertThrows(ShapeMismatchException.class, () -> x.addcdivInPlace(t(1, 2, 3, 4).reshape(2, 2),
                t(1, 1), 1));
        Tensor expanded = t(5).expand(3);
        ShapeMismatchException overlap = assertThrows(ShapeMismatchException.class, () -> expanded.fill(1));
        assertTrue(overlap.getMessage().contains("expanded view"), overlap.getMessage());
        assertThrows(ShapeMismatchException.class, () -> expanded.copyFrom(t(1, 2, 3)));
        assertThrows(ShapeMismatchException.class, () -> expanded.addcmulInPlace(t(1, 2, 3), t(1, 2, 3), 1));
        Tensor leaf = t(1, 2, 3).requiresGrad(true);
        AutogradException grad = assertThrows(AutogradException.class, () -> leaf.fill(0));
        assertTrue(grad.getMessage().startsWith("fill: a leaf tensor that requires grad"), grad.getMessage());
        assertThrows(AutogradException.class, () -> leaf.copyFrom(t(0, 0, 0)));
        assertThrows(AutogradException.class, () -> x.copyFrom(leaf));
        assertThrows(AutogradException.class, () -> x.addcmulInPlace(leaf, t(1, 1, 1), 1));
        assertThrows(AutogradException.class, () -> x.addcdivInPlace(t(1, 1, 1), leaf, 1));
        assertArrayEquals(new double[] {1, 2, 3}, x.toDoubleArray(), 0.0);
        assertArrayEquals(new double[] {1, 2, 3}, leaf.toDoubleArray(), 0.0);
        Tensor converted = t(0, 0, 0).copyFrom(Tensor.of(new float[] {1.5f, -2, 3}));   // copy_ converts, as PyTorch
        assertArrayEquals(new double[] {1.5, -2, 3}, converted.toDoubleArray(), 0.0);
        try (Grad.Scope off = Grad.disabled()) {
            leaf.addcmulInPlace(t(1, 1, 1), t(2, 2, 2), 1);   // allowed with recording off, as optimizers do
        }
        assertArrayEquals(new double[] {3, 4, 5}, leaf.toDoubleArray(), 0.0);
    }

    @Test
    void erfIsExactlyPlusMinusOneFromSixOnAndNanForNan() {
        double[] x = {6, -6, 6.5, -7, 40, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, 5.5, 0};
        double[] erf = t(x).erf().toDoubleArray();
        assertArrayEquals(new double[] {1, -1, 1, -1, 1, 1, -1}, java.util.Arrays.copyOf(erf, 7), 0.0);
        assertTrue(Double.isNaN(erf[7]));
        assertEquals(1 - 7.357847917974398e-15, erf[8], 1e-16);   // erfc(5.5) = 7.3578e-15 (tables)
        assertEquals(0.0, erf[9], 0.0);
        float[] f = Tensor.of(new float[] {6, -6, Float.NaN}).erf().toFloatArray();
        assertEquals(1f, f[0]);
        assertEquals(-1f, f[1]);
        assertTrue(Float.isNaN(f[2]));
    }

    /** {@code 2x} with a backward that is off by exactly {@code 0.5}: the analytical derivative is 2.5. */
    private static final class SkewedDouble extends Function {
        @Override
        protected Tensor forward(FunctionContext ctx, Tensor... inputs) {
            return inputs[0].mul(2);
        }

        @Override
        protected Tensor[] backward(FunctionContext ctx, Tensor gradOutput) {
            return new Tensor[] {gradOutput.mul(2.5)};
        }
    }

    @Test
    void gradCheckPassesExactlyAtItsToleranceAndFailsJustBelow() {
        GradCheck.Fn f = in -> new SkewedDouble().apply(in[0]);
        Tensor x = Tensor.of(new double[] {0.0}).requiresGrad(true);
        // numerical derivative of 2x at 0 is exactly 2 (central difference of a linear function), error exactly 0.5
        GradCheck.Result atAtol = GradCheck.check(f, 1e-6, 0.5, 0.0, x);
        assertTrue(atAtol.passed(), atAtol.report());
        assertEquals(0.0, atAtol.worstError(), 0.0, "worstError is the excess over the tolerance");
        assertTrue(atAtol.report().contains("analytical 2.5, numerical 2.0, |difference| 0.5"), atAtol.report());
        GradCheck.Result below = GradCheck.check(f, 1e-6, 0.4999, 0.0, x);
        assertTrue(!below.passed());
        assertEquals(1e-4, below.worstError(), 1e-15);
        assertTrue(GradCheck.check(f, 1e-6, 0.0, 0.25, x).passed(), "0.25 * |2| = 0.5");
        assertTrue(!GradCheck.check(f, 1e-6, 0.0, 0.2499, x).passed());
        assertTrue(GradCheck.check(f, 1e-6, 0.25, 0.125, x).passed(), "0.25 + 0.125 * 2 = 0.5");
        assertTrue(!GradCheck.check(f, 1e-6, 0.25, 0.1249, x).passed());
        assertTrue(GradCheck.check(in -> in[0].mul(2), x).passed());
    }
}
