package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The one-dim short forms agree with the full forms, and {@link Grad#noGrad} behaves as a disabled scope. */
class ShortFormsTest {
    private final Tensor x = Tensor.of(new double[][] {{1, 5, -2}, {4, 0, 3}});

    private static void same(Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape());
        assertArrayEquals(expected.toDoubleArray(), actual.toDoubleArray(), 0);
    }

    @Test
    void shortFormsEqualTheFullForms() {
        same(x.max(1, false).values(), x.max(1).values());
        same(x.max(1, false).indices(), x.max(1).indices());
        same(x.min(0, false).values(), x.min(0).values());
        same(x.min(0, false).indices(), x.min(0).indices());
        same(x.amax(new int[] {1}, false), x.amax(1));
        same(x.amax(new int[] {1}, true), x.amax(1, true));
        same(x.amin(new int[] {0}, false), x.amin(0));
        same(x.amin(new int[] {-1}, true), x.amin(-1, true));
        same(x.max(), x.amax());
        same(x.min(), x.amin());
        same(x.argmax(1, false), x.argmax(1));
        same(x.argmin(1, false), x.argmin(1));
        same(x.var(0, false), x.var(0));
        same(x.std(new int[] {1}, 1, false), x.std(1));
        same(x.std(new int[] {1}, 1, true), x.std(1, true));
        same(x.std(new int[0], 1, false), x.std());
        same(x.logSumExp(1, false), x.logSumExp(1));
    }

    @Test
    void shortFormsAgainstHandValues() {
        assertArrayEquals(new double[] {1, 0}, x.argmax(1).toDoubleArray());
        assertArrayEquals(new double[] {2, 1}, x.argmin(1).toDoubleArray());
        assertEquals(2, x.argmin().item());              // flat index of -2
        assertArrayEquals(new double[] {5, 4}, x.amax(1).toDoubleArray());
        // column 0 holds 1 and 4: unbiased variance (1.5^2 * 2) / 1 = 4.5
        assertEquals(4.5, x.var(0).get(0), 1e-12);
        assertEquals(Math.sqrt(4.5), x.std(0).get(0), 1e-12);
        assertEquals(Math.log(Math.exp(1) + Math.exp(5) + Math.exp(-2)), x.logSumExp(1).get(0), 1e-12);
    }

    @Test
    void noGradReturnsTheResultWithoutRecordingAndRestoresTheMode() {
        Tensor w = Tensor.of(new double[] {1, 2}).requiresGrad(true);
        Tensor y = Grad.noGrad(() -> w.mul(3));
        assertFalse(y.requiresGrad());
        assertNull(y.gradFnName());
        assertTrue(Grad.isEnabled());
        assertTrue(w.mul(3).requiresGrad());
    }

    @Test
    void noGradRunnableRestoresTheModeWhenTheBodyThrows() {
        assertThrows(IllegalStateException.class, () -> Grad.noGrad((Runnable) () -> {
            assertFalse(Grad.isEnabled());
            throw new IllegalStateException("boom");
        }));
        assertTrue(Grad.isEnabled());
        try (Grad.Scope off = Grad.disabled()) {
            Grad.noGrad(() -> { });
            assertFalse(Grad.isEnabled(), "nested noGrad restores the disabled mode it found");
        }
    }
}
