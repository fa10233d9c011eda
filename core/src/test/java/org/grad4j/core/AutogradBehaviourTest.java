package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** How the graph and backward behave: accumulation, scopes, retention, in-place safety, long chains. */
class AutogradBehaviourTest {

    private static Tensor leaf(double... values) {
        return Tensor.of(values).requiresGrad(true);
    }

    @Test
    void gradientsAccumulateAcrossBackwardCallsUntilZeroGrad() {
        Tensor x = leaf(1, 2);
        x.mul(3).sum().backward();
        x.mul(3).sum().backward();
        assertArrayEquals(new double[] {6, 6}, x.grad().toDoubleArray());
        x.zeroGrad();
        assertNull(x.grad());
        x.square().sum().backward();
        assertArrayEquals(new double[] {2, 4}, x.grad().toDoubleArray());
    }

    @Test
    void gradIsNullUntilABackwardReachesTheLeaf() {
        Tensor x = leaf(1);
        Tensor unused = leaf(5);
        assertNull(x.grad());
        x.mul(2).sum().backward();
        assertNull(unused.grad());
    }

    @Test
    void aNodeUsedTwiceSumsItsGradientsBeforePassingThemOn() {
        Tensor x = leaf(3);
        Tensor y = x.exp();
        y.mul(y).add(y).sum().backward();                // d/dx (e^{2x} + e^x) = 2 e^{2x} + e^x
        assertEquals(2 * Math.exp(6) + Math.exp(3), x.grad().item(), 1e-9);
    }

    @Test
    void secondBackwardFailsWithAHintUnlessTheGraphIsRetained() {
        Tensor x = leaf(2);
        Tensor y = x.mul(x).sum();
        y.backward();
        AutogradException e = assertThrows(AutogradException.class, y::backward);
        assertTrue(e.getMessage().contains("second time"), e.getMessage());
        assertTrue(e.getMessage().contains("retainGraph"), e.getMessage());

        Tensor z = leaf(2);
        Tensor w = z.mul(z).sum();
        w.backward(null, true, false);
        w.backward();
        assertEquals(8, z.grad().item(), 0);
    }

    @Test
    void noGradScopeRecordsNothingAndRestoresTheMode() {
        Tensor x = leaf(1, 2);
        Tensor y;
        try (Grad.Scope off = Grad.disabled()) {
            y = x.mul(2).exp();
            assertFalse(Grad.isEnabled());
            try (Grad.Scope on = Grad.enabled()) {
                assertTrue(x.mul(2).requiresGrad());
            }
            assertFalse(Grad.isEnabled());
        }
        assertTrue(Grad.isEnabled());
        assertFalse(y.requiresGrad());
        assertNull(y.gradFnName());
        assertThrows(AutogradException.class, () -> y.sum().backward());
    }

    @Test
    void gradModeIsPerThread() throws InterruptedException {
        Tensor x = leaf(1);
        AtomicReference<Boolean> otherThreadRecords = new AtomicReference<>();
        try (Grad.Scope off = Grad.disabled()) {
            Thread t = new Thread(() -> otherThreadRecords.set(x.mul(2).requiresGrad()));
            t.start();
            t.join();
            assertFalse(x.mul(2).requiresGrad());
        }
        assertTrue(otherThreadRecords.get());
    }

    @Test
    void detachStopsGradientsAndSharesStorage() {
        Tensor x = leaf(3);
        Tensor d = x.detach();
        assertTrue(d.sharesStorageWith(x));
        assertFalse(d.requiresGrad());
        x.mul(d).sum().backward();                         // d is a constant: d/dx (x * c) = c
        assertEquals(3, x.grad().item(), 0);
    }

    @Test
    void retainGradKeepsANonLeafGradient() {
        Tensor x = leaf(1, 2);
        Tensor h = x.mul(3).retainGrad();
        Tensor k = x.mul(2);
        h.square().sum().add(k.sum()).backward();
        assertArrayEquals(new double[] {6, 12}, h.grad().toDoubleArray());
        assertNull(k.grad());
        assertArrayEquals(new double[] {20, 38}, x.grad().toDoubleArray());
    }

    @Test
    void nonScalarBackwardNeedsAGradient() {
        Tensor x = leaf(1, 2);
        Tensor y = x.mul(2);
        AutogradException e = assertThrows(AutogradException.class, y::backward);
        assertTrue(e.getMessage().contains("[2]") && e.getMessage().contains("scalar"), e.getMessage());
        y.backward(Tensor.of(new double[] {1, 10}));
        assertArrayEquals(new double[] {2, 20}, x.grad().toDoubleArray());
        ShapeMismatchException wrong = assertThrows(ShapeMismatchException.class,
                () -> x.mul(2).backward(Tensor.of(new double[] {1, 2, 3})));
        assertTrue(wrong.getMessage().contains("[3]"), wrong.getMessage());
    }

    @Test
    void aSavedTensorModifiedInPlaceFailsBackwardNamingOpShapeAndVersions() {
        Tensor w = leaf(1, 2);
        Tensor x = Tensor.of(new double[] {3, 4});
        Tensor loss = w.mul(x).sum();
        x.mulInPlace(2);
        AutogradException e = assertThrows(AutogradException.class, loss::backward);
        String m = e.getMessage();
        assertTrue(m.contains("'mul'") && m.contains("[2]") && m.contains("version 1") && m.contains("version 0"), m);
        assertTrue(m.contains("clone()"), m);
    }

    @Test
    void inPlaceOnALeafThatRequiresGradIsRefusedOutsideNoGrad() {
        Tensor w = leaf(1, 2);
        AutogradException e = assertThrows(AutogradException.class, () -> w.addInPlace(Tensor.of(new double[] {1, 1})));
        assertTrue(e.getMessage().contains("Grad.disabled()"), e.getMessage());
        try (Grad.Scope off = Grad.disabled()) {
            w.addInPlace(Tensor.of(new double[] {1, 1}));
        }
        assertArrayEquals(new double[] {2, 3}, w.toDoubleArray());
        assertEquals(1, w.version());
    }

    @Test
    void requiresGradCanOnlyBeChangedOnLeaves() {
        Tensor y = leaf(1).mul(2);
        AutogradException e = assertThrows(AutogradException.class, () -> y.requiresGrad(false));
        assertTrue(e.getMessage().contains("detach()"), e.getMessage());
    }

    @Test
    void aChainOfOneHundredThousandOpsBackpropagatesWithoutRecursion() {
        Tensor x = Tensor.scalar(0.5, DType.FLOAT64).requiresGrad(true);
        Tensor y = x;
        for (int i = 0; i < 100_000; i++) {
            y = y.mul(1.0).add(0.0);
        }
        y.backward();
        assertEquals(1.0, x.grad().item(), 0);
    }

    @Test
    void secondDerivativesThroughCreateGraph() {
        Tensor x = Tensor.scalar(2.0, DType.FLOAT64).requiresGrad(true);
        Tensor y = x.pow(3).add(x.sin());
        Tensor dy = Autograd.grad(y, x, true);
        assertEquals(3 * 4 + Math.cos(2), dy.item(), 1e-12);
        assertTrue(dy.requiresGrad());
        Tensor d2y = Autograd.grad(dy, x, false);
        assertEquals(6 * 2 - Math.sin(2), d2y.item(), 1e-12);
        assertNull(x.grad(), "Autograd.grad must not touch grad()");
    }

    @Test
    void backwardWithCreateGraphGivesDifferentiableLeafGradients() {
        Tensor x = Tensor.of(new double[] {1, 2}).requiresGrad(true);
        x.pow(3).sum().backward(null, false, true);
        Tensor g = x.grad();                                 // 3 x^2
        assertTrue(g.requiresGrad());
        Tensor gradOfGradNorm = Autograd.grad(g.sum(), x, false);
        assertArrayEquals(new double[] {6, 12}, gradOfGradNorm.toDoubleArray(), 1e-12);
    }

    @Test
    void hessianVectorProductOfAQuadraticForm() {
        Tensor a = Tensor.of(new double[][] {{2, 1}, {1, 3}});
        Tensor x = Tensor.of(new double[] {1, -1}).requiresGrad(true);
        Tensor v = Tensor.of(new double[] {0.5, 2});
        Tensor f = x.matmul(a.matmul(x));                     // x^T A x, Hessian 2A
        Tensor grad = Autograd.grad(f, x, true);
        Tensor hv = Autograd.grad(grad.mul(v).sum(), x, false);
        assertArrayEquals(new double[] {2 * (2 * 0.5 + 1 * 2), 2 * (1 * 0.5 + 3 * 2)}, hv.toDoubleArray(), 1e-12);
    }

    @Test
    void autogradGradReportsUnusedInputsUnlessAllowed() {
        Tensor x = leaf(1);
        Tensor unused = leaf(2);
        Tensor y = x.mul(2).sum();
        AutogradException e = assertThrows(AutogradException.class,
                () -> Autograd.grad(List.of(y), List.of(x, unused), null, true, false, false));
        assertTrue(e.getMessage().contains("allowUnused"), e.getMessage());
        List<Tensor> grads = Autograd.grad(List.of(y), List.of(x, unused), null, false, false, true);
        assertEquals(2, grads.get(0).item(), 0);
        assertNull(grads.get(1));
    }

    @Test
    void gradientsOfBroadcastInputsAreReducedToTheirShape() {
        Tensor bias = Tensor.of(new double[] {1, 2, 3}).requiresGrad(true);
        Tensor scale = Tensor.scalar(2.0, DType.FLOAT64).requiresGrad(true);
        Tensor x = Tensor.arange(0, 6, 1, DType.FLOAT64).reshape(2, 3);
        x.add(bias).mul(scale).sum().backward();
        assertArrayEquals(new int[] {3}, bias.grad().shape());
        assertArrayEquals(new double[] {4, 4, 4}, bias.grad().toDoubleArray());
        assertArrayEquals(new int[0], scale.grad().shape());
        assertEquals(15 + 2 * 6, scale.grad().item(), 1e-12);
    }

    @Test
    void leafGradientsDoNotAliasEachOther() {
        Tensor a = leaf(1);
        Tensor b = leaf(2);
        a.add(b).sum().backward();
        a.add(b).sum().backward();
        assertEquals(2, a.grad().item(), 0);
        assertEquals(2, b.grad().item(), 0);
        assertFalse(a.grad().sharesStorageWith(b.grad()));
    }

    @Test
    void leafGradientsNeverAliasTheCallersGradientOrEachOther() {
        Tensor x = leaf(1, 2, 3, 4);
        Tensor userGradient = Tensor.of(new double[] {1, 1, 1, 1}).reshape(2, 2);
        x.reshape(2, 2).backward(userGradient);
        assertFalse(x.grad().sharesStorageWith(userGradient));
        try (Grad.Scope off = Grad.disabled()) {
            x.grad().mulInPlace(5);
        }
        assertArrayEquals(new double[] {1, 1, 1, 1}, userGradient.toDoubleArray());

        Tensor a = leaf(1);
        Tensor b = leaf(2);
        a.reshape(1, 1).add(b.reshape(1, 1)).sum().backward();     // both receive one gradient tensor
        assertFalse(a.grad().sharesStorageWith(b.grad()));
    }

    @Test
    void aGradientSharedWithPendingNodesAccumulatesCorrectly() {
        // add hands the same gradient to the leaf and to the other branch, whose rules run afterwards
        Tensor x = leaf(1, 2);
        Tensor z = x.mul(2).add(x.mul(3)).add(x);
        z.sum().backward();
        assertArrayEquals(new double[] {6, 6}, x.grad().toDoubleArray());
        z = x.mul(2).add(x.mul(3)).add(x);
        z.sum().backward();
        assertArrayEquals(new double[] {12, 12}, x.grad().toDoubleArray());
    }

    @Test
    void anomalyModeNamesTheOpThatProducedNaNInForwardOrBackward() {
        Tensor zero = leaf(0);
        try (AnomalyMode.Scope debug = AnomalyMode.enable()) {
            AutogradException forward = assertThrows(AutogradException.class, () -> zero.log());
            assertTrue(forward.getMessage().contains("'log'"), forward.getMessage());
            Tensor root = zero.sqrt().sum();                   // forward is finite, backward is 1/(2*0)
            AutogradException backward = assertThrows(AutogradException.class, root::backward);
            assertTrue(backward.getMessage().contains("'sqrt'"), backward.getMessage());
            assertTrue(backward.getCause().getStackTrace().length > 0);
            boolean pointsHere = false;
            for (StackTraceElement frame : backward.getCause().getStackTrace()) {
                pointsHere |= frame.getMethodName().contains("anomalyMode");
            }
            assertTrue(pointsHere, "the cause's stack trace shows the forward call");
        }
        assertFalse(AnomalyMode.isEnabled());
        assertEquals(Double.NEGATIVE_INFINITY, zero.log().item());
    }

    @Test
    void graphExportShowsOpsAndLeaves() {
        Tensor w = Tensor.of(new double[][] {{1, 2}}).requiresGrad(true);
        Tensor x = Tensor.of(new double[] {3, 4});
        String dot = w.matmul(x).sigmoid().toDot();
        assertTrue(dot.startsWith("digraph"), dot);
        assertTrue(dot.contains("matmul") && dot.contains("sigmoid") && dot.contains("leaf [1, 2]"), dot);
    }

    @Test
    void sameLeafTwiceAsInputGetsBothContributions() {
        Tensor x = leaf(3);
        x.mul(x).sum().backward();
        assertEquals(6, x.grad().item(), 0);
        Tensor y = leaf(3);
        Tensor s = y.sum();
        assertSame(null, y.grad());
        Tensor.stack(0, s, s).sum().backward();
        assertEquals(2, y.grad().item(), 0);
    }
}
