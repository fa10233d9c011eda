package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The engine's bookkeeping seen from outside: leaves' gradients never share memory, a node that got no gradient is
 * not run, a freed node is refused before its rule runs, and the conditions of {@link Autograd#grad}.
 * Expected values are derived by hand.
 */
class EngineEdgeCasesTest {

    private static Tensor leaf(double... values) {
        return Tensor.of(values, values.length).requiresGrad(true);
    }

    /** add's rule hands one gradient tensor to both inputs; the two leaves must still own separate buffers. */
    @Test
    void twoLeavesFedTheSameGradientTensorDoNotShareTheirGradBuffers() {
        Tensor x = leaf(1, 2, 3);
        Tensor y = leaf(4, 5, 6);
        Tensor c = Tensor.of(new double[] {7, 8, 9}, 3);
        x.add(y).mul(c).sum().backward();   // d/dx = d/dy = c
        assertArrayEquals(new double[] {7, 8, 9}, x.grad().toDoubleArray(), 0.0);
        assertArrayEquals(new double[] {7, 8, 9}, y.grad().toDoubleArray(), 0.0);
        x.grad().mulInPlace(2);
        assertArrayEquals(new double[] {14, 16, 18}, x.grad().toDoubleArray(), 0.0);
        assertArrayEquals(new double[] {7, 8, 9}, y.grad().toDoubleArray(), 0.0, "y's gradient is its own");
        y.grad().zero();
        assertArrayEquals(new double[] {14, 16, 18}, x.grad().toDoubleArray(), 0.0);
        // a second backward accumulates into each buffer separately
        x.add(y).mul(c).sum().backward();
        assertArrayEquals(new double[] {21, 24, 27}, x.grad().toDoubleArray(), 0.0);
        assertArrayEquals(new double[] {7, 8, 9}, y.grad().toDoubleArray(), 0.0);
    }

    /** The same with more than eight leaves, where the engine counts storage holders in a map. */
    @Test
    void manyLeavesFedTheSameGradientTensorDoNotShareTheirGradBuffers() {
        List<Tensor> leaves = new ArrayList<>();
        Tensor sum = null;
        for (int i = 0; i < 10; i++) {
            Tensor l = leaf(i, -i);
            leaves.add(l);
            sum = sum == null ? l : sum.add(l);
        }
        sum.mul(Tensor.of(new double[] {3, 5}, 2)).sum().backward();
        leaves.get(0).grad().fill(-1);
        assertArrayEquals(new double[] {-1, -1}, leaves.get(0).grad().toDoubleArray(), 0.0);
        for (int i = 1; i < 10; i++) {
            assertArrayEquals(new double[] {3, 5}, leaves.get(i).grad().toDoubleArray(), 0.0, "leaf " + i);
        }
    }

    /** A gradient the user passed in is never adopted as a leaf's buffer. */
    @Test
    void theUsersGradientTensorIsNotAdoptedAsALeafsGradient() {
        Tensor x = leaf(1, 2);
        Tensor seed = Tensor.of(new double[] {0.5, 0.25}, 2);
        x.add(0.0).backward(seed);
        x.grad().mulInPlace(4);
        assertArrayEquals(new double[] {0.5, 0.25}, seed.toDoubleArray(), 0.0);
        assertArrayEquals(new double[] {2, 1}, x.grad().toDoubleArray(), 0.0);
    }

    /** A custom op returning no gradient for an input: the op below it gets none and is not run. */
    @Test
    void anOpThatReceivesNoGradientIsSkippedAndItsLeafGetsNone() {
        Tensor x = leaf(1, 2);
        Tensor z = leaf(3, 4);
        Function blocksFirst = new Function() {
            @Override
            protected Tensor forward(FunctionContext ctx, Tensor... in) {
                return in[0].add(in[1]);
            }

            @Override
            protected Tensor[] backward(FunctionContext ctx, Tensor g) {
                return new Tensor[] {null, g};
            }
        };
        Tensor out = blocksFirst.apply(x.mul(2), z);
        out.sum().backward();
        assertNull(x.grad(), "no gradient reached x");
        assertArrayEquals(new double[] {1, 1}, z.grad().toDoubleArray(), 0.0);
    }

    /** A node whose saved tensors were freed is refused as soon as the walk reaches it, even if its rule would not
     * read them. */
    @Test
    void aFreedNodeIsRefusedBeforeItsRuleRuns() {
        int[] ruleRuns = {0};
        Function savesButIgnores = new Function() {
            @Override
            protected Tensor forward(FunctionContext ctx, Tensor... in) {
                ctx.saveForBackward(in[0]);
                return in[0].mul(3);
            }

            @Override
            protected Tensor[] backward(FunctionContext ctx, Tensor g) {
                ruleRuns[0]++;
                return new Tensor[] {g.mul(3)};
            }
        };
        Tensor x = leaf(1, 2);
        Tensor loss = savesButIgnores.apply(x).sum();
        loss.backward();
        assertArrayEquals(new double[] {3, 3}, x.grad().toDoubleArray(), 0.0);
        AutogradException e = assertThrows(AutogradException.class, loss::backward);
        assertTrue(e.getMessage().contains("second time"), e.getMessage());
        assertTrue(ruleRuns[0] == 1, "the rule did not run again");
        assertArrayEquals(new double[] {3, 3}, x.grad().toDoubleArray(), 0.0, "nothing was accumulated");
    }

    @Test
    void autogradGradRefusesEmptyListsAndMismatchedGradOutputs() {
        Tensor x = leaf(1, 2);
        Tensor y = x.mul(2).sum();
        assertThrows(IllegalArgumentException.class,
                () -> Autograd.grad(List.of(), List.of(x), null, false, false, false));
        assertThrows(IllegalArgumentException.class,
                () -> Autograd.grad(List.of(y), List.of(), null, false, false, false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Autograd.grad(List.of(y), List.of(x), List.of(), false, false, false));
        assertTrue(e.getMessage().contains("0 gradOutputs for 1 outputs"), e.getMessage());
        // a null list means implicit gradients for scalar outputs
        assertArrayEquals(new double[] {2, 2},
                Autograd.grad(List.of(y), List.of(x), null, false, false, false).get(0).toDoubleArray(), 0.0);
    }

    @Test
    void autogradGradNamesTheInputThatDoesNotRequireGradOrWasUnused() {
        Tensor x = leaf(1, 2);
        Tensor w = leaf(5, 6);
        Tensor plain = Tensor.of(new double[] {1, 1}, 2);
        Tensor y = x.mul(x).sum();
        AutogradException notRequiring = assertThrows(AutogradException.class,
                () -> Autograd.grad(List.of(y), List.of(x, plain), null, true, false, false));
        assertTrue(notRequiring.getMessage().contains("input 1"), notRequiring.getMessage());
        AutogradException unused = assertThrows(AutogradException.class,
                () -> Autograd.grad(List.of(y), List.of(x, w), null, true, false, false));
        assertTrue(unused.getMessage().contains("input 1") && unused.getMessage().contains("allowUnused"),
                unused.getMessage());
        List<Tensor> grads = Autograd.grad(List.of(y), List.of(x, w), null, false, false, true);
        assertArrayEquals(new double[] {2, 4}, grads.get(0).toDoubleArray(), 0.0);
        assertNull(grads.get(1));
    }

    /** Without createGraph a returned gradient never carries a graph, even one flowing straight from a gradOutput
     * that requires grad; with createGraph it does. */
    @Test
    void withoutCreateGraphReturnedGradientsAreDetached() {
        Tensor x = leaf(1, 2);
        Tensor v = leaf(0.5, -1);
        Tensor y = x.add(1.0);
        Tensor g = Autograd.grad(List.of(y), List.of(x), List.of(v), true, false, false).get(0);
        assertArrayEquals(new double[] {0.5, -1}, g.toDoubleArray(), 0.0);
        assertFalse(g.requiresGrad());
        Tensor withGraph = Autograd.grad(List.of(y), List.of(x), List.of(v), true, true, false).get(0);
        assertTrue(withGraph.requiresGrad());
        withGraph.mul(Tensor.of(new double[] {3, 4}, 2)).sum().backward();
        assertArrayEquals(new double[] {3, 4}, v.grad().toDoubleArray(), 0.0);
    }

    @Test
    void aRootGradientOfAnotherDtypeIsRefused() {
        Tensor x = leaf(1, 2);
        Tensor y = x.mul(2);
        Tensor wrongDtype = Tensor.of(new float[] {1, 1}, 2);
        DTypeMismatchException e = assertThrows(DTypeMismatchException.class, () -> y.backward(wrongDtype));
        assertTrue(e.getMessage().contains("float32") && e.getMessage().contains("float64"), e.getMessage());
        assertThrows(DTypeMismatchException.class,
                () -> Autograd.grad(List.of(y), List.of(x), List.of(wrongDtype), false, false, false));
        assertThrows(ShapeMismatchException.class, () -> y.backward(Tensor.of(new double[] {1, 1, 1}, 3)));
        assertNull(x.grad(), "nothing was accumulated by the refused calls");
    }
}
