package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What {@link Function#apply} and {@link FunctionContext} promise a user-defined op: its output never aliases an
 * input or another tensor's graph, saved tensors are checked for in-place changes (with three or more saved, too),
 * {@code needsInputGrad} and {@code savedTensors} behave in forward and backward, a broken backward is named.
 */
class CustomFunctionContractTest {

    /** Returns the tensor given to its constructor, whatever the inputs; backward passes the gradient through. */
    private static final class Returns extends Function {
        private final Tensor result;

        Returns(Tensor result) {
            this.result = result;
        }

        @Override
        protected Tensor forward(FunctionContext ctx, Tensor... in) {
            return result;
        }

        @Override
        protected Tensor[] backward(FunctionContext ctx, Tensor grad) {
            return new Tensor[] {grad};
        }
    }

    @Test
    void anOutputThatIsAnInputIsCopiedNotAliased() {
        Tensor x = Tensor.of(new double[] {1, 2});
        Tensor y = new Returns(x).apply(x);
        assertFalse(y.sharesStorageWith(x));
        y.mulInPlace(10);
        assertArrayEquals(new double[] {1, 2}, x.toDoubleArray());

        Tensor leaf = Tensor.of(new double[] {3, 4}).requiresGrad(true);
        Tensor z = new Returns(leaf).apply(leaf);
        assertFalse(z.sharesStorageWith(leaf));
        assertTrue(leaf.isLeaf());
        z.mul(Tensor.of(new double[] {5, 6})).sum().backward();
        assertArrayEquals(new double[] {5, 6}, leaf.grad().toDoubleArray());
    }

    @Test
    void anOutputThatIsAnotherTensorsLeafIsDetachedFromIt() {
        Tensor weight = Tensor.of(new double[] {1, 2}).requiresGrad(true);
        Tensor x = Tensor.of(new double[] {7, 8}).requiresGrad(true);
        Tensor y = new Returns(weight).apply(x);
        assertTrue(weight.isLeaf(), "the captured leaf must not get the function's node");
        assertNull(weight.gradFnName());
        assertEquals("Returns", y.gradFnName());
        y.sum().backward();
        assertNull(weight.grad(), "the gradient goes to the function's input, not to the captured tensor");
        assertArrayEquals(new double[] {1, 1}, x.grad().toDoubleArray());

        Tensor nonLeaf = weight.mul(2);
        Tensor w = new Returns(nonLeaf).apply(x);
        assertEquals("Returns", w.gradFnName());
        assertEquals("mul", nonLeaf.gradFnName());
    }

    /** Saves all three inputs; d(a b c) for each. */
    private static final class Product3 extends Function {
        final List<String> log = new ArrayList<>();

        @Override
        protected Tensor forward(FunctionContext ctx, Tensor... in) {
            ctx.saveForBackward(in[0], in[1], in[2]);
            Tensor[] inForward = ctx.savedTensors();
            log.add("forward saved " + inForward.length);
            log.add("needs " + ctx.needsInputGrad(0) + " " + ctx.needsInputGrad(1) + " " + ctx.needsInputGrad(2));
            return in[0].mul(in[1]).mul(in[2]);
        }

        @Override
        protected Tensor[] backward(FunctionContext ctx, Tensor grad) {
            Tensor[] s = ctx.savedTensors();
            return new Tensor[] {
                ctx.needsInputGrad(0) ? grad.mul(s[1]).mul(s[2]) : null,
                ctx.needsInputGrad(1) ? grad.mul(s[0]).mul(s[2]) : null,
                ctx.needsInputGrad(2) ? grad.mul(s[0]).mul(s[1]) : null};
        }
    }

    @Test
    void threeInputsAndThreeSavedTensors() {
        Tensor a = Tensor.of(new double[] {2}).requiresGrad(true);
        Tensor b = Tensor.of(new double[] {3});
        Tensor c = Tensor.of(new double[] {5}).requiresGrad(true);
        Product3 f = new Product3();
        f.apply(a, b, c).backward();
        assertEquals(List.of("forward saved 3", "needs true false true"), f.log);
        assertArrayEquals(new double[] {15}, a.grad().toDoubleArray());
        assertArrayEquals(new double[] {6}, c.grad().toDoubleArray());

        // each of the three saved tensors is checked for in-place changes, the third too
        for (int changed = 0; changed < 3; changed++) {
            Tensor[] in = {Tensor.of(new double[] {2}).requiresGrad(true), Tensor.of(new double[] {3}).requiresGrad(true),
                Tensor.of(new double[] {5}).requiresGrad(true)};
            Tensor[] views = {in[0].mul(1), in[1].mul(1), in[2].mul(1)};
            Tensor out = new Product3().apply(views);
            try (Grad.Scope off = Grad.disabled()) {
                views[changed].addInPlace(Tensor.of(new double[] {1}));
            }
            AutogradException e = assertThrows(AutogradException.class, out::backward, "saved tensor " + changed);
            assertTrue(e.getMessage().contains("modified by an in-place operation"), e.getMessage());
        }
    }

    @Test
    void needsInputGradRefusesAnInputThatDoesNotExist() {
        FunctionContext[] seen = new FunctionContext[1];
        Function probe = new Function() {
            @Override
            protected Tensor forward(FunctionContext ctx, Tensor... in) {
                seen[0] = ctx;
                return in[0].mul(2);
            }

            @Override
            protected Tensor[] backward(FunctionContext ctx, Tensor grad) {
                return new Tensor[] {grad.mul(2), null};
            }
        };
        probe.apply(Tensor.of(new double[] {1}).requiresGrad(true), Tensor.of(new double[] {1}));
        assertTrue(seen[0].needsInputGrad(0));
        assertFalse(seen[0].needsInputGrad(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> seen[0].needsInputGrad(2));
        assertEquals("FunctionContext.needsInputGrad: input 2 does not exist; the function was applied to 2 inputs",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> seen[0].needsInputGrad(-1));
        probe.apply(Tensor.of(new double[] {1}), Tensor.of(new double[] {1}));
        assertFalse(seen[0].needsInputGrad(0));
        try (Grad.Scope off = Grad.disabled()) {
            probe.apply(Tensor.of(new double[] {1}).requiresGrad(true), Tensor.of(new double[] {1}));
            assertFalse(seen[0].needsInputGrad(0), "no gradient is needed while grad mode is off");
        }
    }

    @Test
    void aBackwardReturningNullIsNamed() {
        Function broken = new Function() {
            @Override
            protected Tensor forward(FunctionContext ctx, Tensor... in) {
                return in[0].mul(2);
            }

            @Override
            protected Tensor[] backward(FunctionContext ctx, Tensor grad) {
                return null;
            }
        };
        Tensor y = broken.apply(Tensor.of(new double[] {1}).requiresGrad(true));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.sum().backward());
        assertTrue(e.getMessage().contains("must return 1 gradients (null for inputs that need none), got null"),
                e.getMessage());
    }

    @Test
    void anomalyModeNamesTheInputShapesOfAnOpThatMadeNaN() {
        try (AnomalyMode.Scope on = AnomalyMode.enable()) {
            Tensor a = Tensor.of(new double[] {0, 1}).requiresGrad(true);
            Tensor b = Tensor.of(new double[] {0, 1, 0, 1}, 2, 2);
            AutogradException e = assertThrows(AutogradException.class, () -> a.div(b));
            assertTrue(e.getMessage().contains("forward of 'div' produced NaN or infinity in its output of shape"
                    + " [2, 2] from finite inputs ([2], [2, 2])"), e.getMessage());
            AutogradException one = assertThrows(AutogradException.class,
                    () -> Tensor.of(new double[] {-1}).requiresGrad(true).log());
            assertTrue(one.getMessage().contains("from finite inputs ([1])."), one.getMessage());
        }
    }

    @Test
    void savedTensorsInForwardAreTheSavedOnes() {
        Tensor a = Tensor.of(new double[] {2});
        Tensor[] inForward = new Tensor[1];
        new Function() {
            @Override
            protected Tensor forward(FunctionContext ctx, Tensor... in) {
                ctx.saveForBackward(in[0]);
                inForward[0] = ctx.savedTensors()[0];
                return in[0].mul(1);
            }

            @Override
            protected Tensor[] backward(FunctionContext ctx, Tensor grad) {
                return new Tensor[] {grad};
            }
        }.apply(a);
        assertSame(a, inForward[0]);
    }
}
