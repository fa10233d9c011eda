package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Edges of the functional transforms: outputs carry a graph only with createGraph, tangents must match their
 * inputs' dtype, functions whose derivative is a constant, empty outputs and a vectorized function that returns
 * null. Expected values are derived by hand.
 */
class FunctionalEdgesTest {

    private static Tensor x() {
        return Tensor.of(new double[] {1, -2, 3}, 3);
    }

    @Test
    void outputsCarryAGraphOnlyWithCreateGraph() {
        Tensor in = x().requiresGrad(true);
        Functional.Product plain = Functional.vjp(xs -> xs.get(0).square().sum(), List.of(in), null, false);
        assertFalse(plain.output().requiresGrad());
        assertArrayEquals(new double[] {2, -4, 6}, plain.products().get(0).toDoubleArray(), 0.0);
        Functional.Product graph = Functional.vjp(xs -> xs.get(0).square().sum(), List.of(in), null, true);
        assertTrue(graph.output().requiresGrad());
        Functional.Product jvp = Functional.jvp(xs -> xs.get(0).square(), List.of(in), List.of(x()), false);
        assertFalse(jvp.output().requiresGrad());
        assertArrayEquals(new double[] {2, 8, 18}, jvp.products().get(0).toDoubleArray(), 0.0);   // 2 x t
        Functional.Product jvpGraph = Functional.jvp(xs -> xs.get(0).square(), List.of(in), List.of(x()), true);
        assertTrue(jvpGraph.output().requiresGrad());
    }

    @Test
    void aTangentOfAnotherDtypeIsRefused() {
        DTypeMismatchException e = assertThrows(DTypeMismatchException.class,
                () -> Functional.jvp(t -> t.square(), x(), Tensor.of(new float[] {1, 1, 1}, 3)));
        assertTrue(e.getMessage().startsWith("jvp:"), e.getMessage());
    }

    @Test
    void integerInputsAreRefusedAndFloat32OnesAccepted() {
        Tensor ints = Tensor.of(new long[] {1, 2}, 2);
        DTypeMismatchException e = assertThrows(DTypeMismatchException.class,
                () -> Functional.jacobian(t -> t.mul(2), ints));
        assertTrue(e.getMessage().contains("input 0 has dtype int64"), e.getMessage());
        Tensor j = Functional.jacobian(t -> t.mul(2), Tensor.of(new float[] {1, 2}, 2));
        assertArrayEquals(new float[] {2, 0, 0, 2}, j.toFloatArray(), 0f);
    }

    /** sign's derivative is a constant zero that carries no graph: the directional derivative is zero. */
    @Test
    void jvpOfAFunctionWithAConstantDerivativeIsZero() {
        Functional.Product p = Functional.jvp(t -> t.sign(), x(), x());
        assertArrayEquals(new double[] {0, 0, 0}, p.products().get(0).toDoubleArray(), 0.0);
        assertArrayEquals(new double[] {1, -1, 1}, p.output().toDoubleArray(), 0.0);
    }

    @Test
    void vectorizedJacobianOfAnEmptyOutputIsEmptyAndANullBatchResultIsExplained() {
        Tensor empty = Functional.jacobian(t -> t.narrow(0, 0, 0), x(), false, true);
        assertArrayEquals(new int[] {0, 3}, empty.shape());
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class,
                () -> Functional.jacobian(t -> t.dim() == 2 ? null : t.mul(2), x(), false, true));
        assertTrue(e.getMessage().contains("returned null"), e.getMessage());
        Tensor j = Functional.jacobian(t -> t.mul(t), x(), false, true);
        assertArrayEquals(new double[] {2, 0, 0, 0, -4, 0, 0, 0, 6}, j.toDoubleArray(), 0.0);
    }
}
