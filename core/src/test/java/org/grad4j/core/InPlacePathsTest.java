package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The separate paths inside the in-place ops, each against hand-computed values: the scaled add's fast same-dtype
 * loop and its mixed-dtype fallback, the fast and promoting paths of the plain binary update, the unary in-place
 * map, the engine's private gradient accumulation, and the one-element expanded view that is not an overlap.
 */
class InPlacePathsTest {

    private static Tensor t(double... v) {
        return Tensor.of(v);
    }

    @Test
    void scaledAddOnTheFastPathAndOnTheMixedDtypePath() {
        Tensor x = t(1, 2, 3);
        assertSame(x, x.addInPlace(t(10, 20, 30), 0.5));
        assertArrayEquals(new double[] {6, 12, 18}, x.toDoubleArray(), 0.0);
        Tensor f = Tensor.of(new float[] {1, 2});
        assertSame(f, f.addInPlace(Tensor.of(new long[] {3, 4}), -2.0));   // int64 operand: the promoting path
        assertArrayEquals(new float[] {-5, -6}, f.toFloatArray(), 0f);
    }

    @Test
    void scaledAddReadsAnAliasedOperandBeforeOverwritingIt() {
        Tensor x = t(1, 2, 3, 4).reshape(2, 2);
        x.addInPlace(x.t(), 2.0);   // x + 2 x^T from the values before the update
        assertArrayEquals(new double[] {3, 8, 7, 12}, x.toDoubleArray(), 0.0);
    }

    @Test
    void scaledAddIsRefusedOnTensorsInAGraph() {
        Tensor leaf = t(1, 2).requiresGrad(true);
        assertThrows(AutogradException.class, () -> leaf.addInPlace(t(1, 1), 2.0));
        Tensor x = t(1, 2);
        assertThrows(AutogradException.class, () -> x.addInPlace(leaf, 2.0));
        assertArrayEquals(new double[] {1, 2}, x.toDoubleArray(), 0.0);
    }

    @Test
    void binaryUpdateOfNarrowIntegersAndOfAWiderOperand() {
        Tensor i = Tensor.of(new int[] {1, 2});
        assertSame(i, i.addInPlace(Tensor.of(new int[] {3, 40})));
        assertArrayEquals(new long[] {4, 42}, i.toLongArray());
        Tensor f = Tensor.of(new float[] {1, 2});
        f.mulInPlace(Tensor.of(new double[] {0.5, 3}));   // float64 operand written into float32
        assertArrayEquals(new float[] {0.5f, 6}, f.toFloatArray(), 0f);
        Tensor u = Tensor.of(new byte[] {(byte) 250, 1});
        u.addInPlace(Tensor.of(new byte[] {10, 1}));   // uint8 wraps, as in PyTorch
        assertArrayEquals(new long[] {4, 2}, u.toLongArray());
    }

    @Test
    void unaryInPlaceReturnsThisAndRefusesGraphsAndOverlaps() {
        Tensor x = t(4, 9);
        assertSame(x, x.sqrtInPlace());
        assertArrayEquals(new double[] {2, 3}, x.toDoubleArray(), 0.0);
        Tensor leaf = t(4).requiresGrad(true);
        assertThrows(AutogradException.class, leaf::sqrtInPlace);
        Tensor expanded = t(4).expand(3);
        assertThrows(ShapeMismatchException.class, expanded::sqrtInPlace);
        assertArrayEquals(new double[] {4}, expanded.contiguous().narrow(0, 0, 1).toDoubleArray(), 0.0);
    }

    @Test
    void aOneElementExpandedViewIsNoOverlap() {
        Tensor base = Tensor.scalar(2.0).to(DType.FLOAT64);
        Tensor view = base.expand(1);   // stride 0 along a dim of size 1: one element, one location
        view.addInPlace(t(3));
        view.fill(view.get(0) + 1);
        view.sqrtInPlace();
        assertArrayEquals(new double[] {Math.sqrt(6)}, base.reshape(1).toDoubleArray(), 1e-15);
    }

    @Test
    void accumulatingIntoAnExistingGradientIsAnInPlaceWriteThatBumpsItsVersion() {
        Tensor x = t(1, 2).requiresGrad(true);
        x.mul(2).sum().backward();
        Tensor g = x.grad();
        int before = g.version();
        x.mul(3).sum().backward();
        assertSame(g, x.grad());
        assertArrayEquals(new double[] {5, 5}, g.toDoubleArray(), 0.0);
        assertTrue(g.version() > before, "version " + g.version() + " after accumulation, " + before + " before");
    }
}
