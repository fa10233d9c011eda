package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tensor backward hooks: what they see, replacing gradients, removal, leaves and non-leaves, retainGrad, grad. */
class HooksTest {

    private static Tensor leaf(double... values) {
        return Tensor.of(values).requiresGrad(true);
    }

    @Test
    void leafHookSeesTheSummedGradientOnceAndMayReplaceIt() {
        Tensor x = leaf(1, 2);
        List<double[]> seen = new ArrayList<>();
        x.registerHook(g -> {
            seen.add(g.toDoubleArray());
            return g.mul(10);
        });
        x.mul(3).add(x.square()).sum().backward();               // two consumers: 3 + 2x
        assertEquals(1, seen.size());
        assertArrayEquals(new double[] {5, 7}, seen.get(0), 1e-12);
        assertArrayEquals(new double[] {50, 70}, x.grad().toDoubleArray(), 1e-12);
        x.mul(1).sum().backward();                                // accumulates the hooked gradient
        assertArrayEquals(new double[] {60, 80}, x.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void nonLeafHookChangesWhatFlowsBackAndWhatRetainGradKeeps() {
        Tensor x = leaf(1, 2);
        Tensor h = x.mul(2).retainGrad();
        List<double[]> seen = new ArrayList<>();
        h.registerHook(g -> {
            seen.add(g.toDoubleArray());
            return g.neg();
        });
        h.square().add(h).sum().backward();                       // dL/dh = 2h + 1 = [5, 9]
        assertEquals(1, seen.size());
        assertArrayEquals(new double[] {5, 9}, seen.get(0), 1e-12);
        assertArrayEquals(new double[] {-5, -9}, h.grad().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {-10, -18}, x.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void hooksRunInOrderAndNullKeepsTheGradient() {
        Tensor x = leaf(1);
        StringBuilder order = new StringBuilder();
        x.registerHook(g -> {
            order.append('a');
            return null;
        });
        x.registerHook(g -> {
            order.append('b');
            return g.add(1);
        });
        x.registerHook(g -> {
            order.append('c');
            assertEquals(3, g.item(), 1e-12);                     // sees b's replacement
            return null;
        });
        x.mul(2).sum().backward();
        assertEquals("abc", order.toString());
        assertEquals(3, x.grad().item(), 1e-12);
    }

    @Test
    void removedHooksAreNotCalled() {
        Tensor x = leaf(1, 2);
        int[] calls = {0};
        RemovableHandle handle = x.registerHook(g -> {
            calls[0]++;
            return g.mul(0);
        });
        handle.remove();
        handle.remove();
        x.sum().backward();
        assertEquals(0, calls[0]);
        assertArrayEquals(new double[] {1, 1}, x.grad().toDoubleArray());
        Tensor y = leaf(1);
        try (RemovableHandle scoped = y.registerHook(g -> g.mul(5))) {
            y.mul(1).sum().backward();
        }
        y.mul(1).sum().backward();
        assertEquals(6, y.grad().item(), 1e-12);
    }

    @Test
    void autogradGradAndCreateGraphSeeHookedGradients() {
        Tensor x = leaf(1, 2);
        x.registerHook(g -> g.mul(2));
        Tensor h = x.square();
        h.registerHook(g -> g.mul(3));
        Tensor dx = Autograd.grad(h.sum(), x, true);              // 3 * 2 * (2x)
        assertArrayEquals(new double[] {12, 24}, dx.toDoubleArray(), 1e-12);
        Tensor z = leaf(1, 2);
        z.registerHook(g -> g.mul(2));
        z.pow(3).sum().backward(null, false, true);               // hooked 2 * 3z^2, with a graph
        assertTrue(z.grad().requiresGrad());
        assertArrayEquals(new double[] {6, 24}, z.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void misuseIsExplained() {
        Tensor plain = Tensor.of(new double[] {1});
        AutogradException e = assertThrows(AutogradException.class, () -> plain.registerHook(g -> g));
        assertTrue(e.getMessage().contains("does not require gradient"), e.getMessage());
        Tensor x = leaf(1, 2);
        x.registerHook(g -> g.sum());
        e = assertThrows(AutogradException.class, () -> x.mul(2).sum().backward());
        assertTrue(e.getMessage().contains("must keep the shape and dtype"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> leaf(1).registerHook(null));
    }

    @Test
    void gradientAdoptedWithoutHooksIsStillPrivate() {
        Tensor x = leaf(1, 2);
        Tensor[] kept = new Tensor[1];
        x.registerHook(g -> {
            kept[0] = g;
            return null;
        });
        x.mul(2).sum().backward();
        x.mul(2).sum().backward();                                 // accumulation must not write into kept[0]
        assertArrayEquals(new double[] {2, 2}, kept[0].toDoubleArray());
        assertArrayEquals(new double[] {4, 4}, x.grad().toDoubleArray());
        assertSame(kept[0].getClass(), Tensor.class);
    }
}
