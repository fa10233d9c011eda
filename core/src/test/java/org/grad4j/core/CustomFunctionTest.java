package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A user-defined differentiable op is used exactly like a built-in one and is checked with GradCheck. */
class CustomFunctionTest {

    /** x^3 with its hand-written derivative 3 x^2, written with tensor ops so it is differentiable again. */
    static final class Cube extends Function {
        @Override
        protected Tensor forward(FunctionContext ctx, Tensor... in) {
            ctx.saveForBackward(in[0]);
            return in[0].mul(in[0]).mul(in[0]);
        }

        @Override
        protected Tensor[] backward(FunctionContext ctx, Tensor grad) {
            Tensor x = ctx.savedTensors()[0];
            return new Tensor[] {grad.mul(x.square()).mul(3)};
        }
    }

    /** a * b + c with a scale kept in the context, returning null where no gradient is needed. */
    static final class ScaledFma extends Function {
        @Override
        protected Tensor forward(FunctionContext ctx, Tensor... in) {
            ctx.saveForBackward(in[0], in[1]);
            ctx.put("scale", 2.0);
            return in[0].mul(in[1]).add(in[2]).mul(2.0);
        }

        @Override
        protected Tensor[] backward(FunctionContext ctx, Tensor grad) {
            Tensor[] saved = ctx.savedTensors();
            double scale = ctx.get("scale");
            Tensor g = grad.mul(scale);
            return new Tensor[] {
                ctx.needsInputGrad(0) ? g.mul(saved[1]) : null,
                ctx.needsInputGrad(1) ? g.mul(saved[0]) : null,
                ctx.needsInputGrad(2) ? g : null};
        }
    }

    @Test
    void customFunctionPassesFirstAndSecondOrderGradCheck() {
        Tensor x = Tensor.randn(new SplittableRandom(4), DType.FLOAT64, 3, 2).requiresGrad(true);
        GradCheck.assertGradients(in -> new Cube().apply(in[0]).tanh().sum(), x);
        assertTrue(GradCheck.checkSecondOrder(in -> new Cube().apply(in[0]), 7, x).passed());
    }

    @Test
    void customFunctionWithBroadcastInputsAndSavedValues() {
        SplittableRandom rng = new SplittableRandom(5);
        Tensor a = Tensor.randn(rng, DType.FLOAT64, 2, 3).requiresGrad(true);
        Tensor b = Tensor.randn(rng, DType.FLOAT64, 3).requiresGrad(true);
        Tensor c = Tensor.randn(rng, DType.FLOAT64, 1).requiresGrad(true);
        GradCheck.assertGradients(in -> new ScaledFma().apply(in[0], in[1], in[2]), a, b, c);
        Tensor y = new ScaledFma().apply(a, b, c);
        assertEquals("ScaledFma", y.gradFnName());
    }

    @Test
    void wrongNumberOfGradientsIsReported() {
        Function broken = new Function() {
            @Override
            protected Tensor forward(FunctionContext ctx, Tensor... in) {
                return in[0].add(in[1]);
            }

            @Override
            protected Tensor[] backward(FunctionContext ctx, Tensor grad) {
                return new Tensor[] {grad};
            }
        };
        Tensor a = Tensor.of(new double[] {1}).requiresGrad(true);
        Tensor y = broken.apply(a, a).sum();
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("must return 2 gradients"), e.getMessage());
    }

    @Test
    void gradCheckReportsTheWorstElementOfAWrongGradient() {
        Function wrong = new Function() {
            @Override
            protected Tensor forward(FunctionContext ctx, Tensor... in) {
                ctx.saveForBackward(in[0]);
                return in[0].square();
            }

            @Override
            protected Tensor[] backward(FunctionContext ctx, Tensor grad) {
                return new Tensor[] {grad.mul(ctx.savedTensors()[0])};     // should be 2x
            }
        };
        Tensor x = Tensor.of(new double[] {1, 2}).requiresGrad(true);
        GradCheck.Result r = GradCheck.check(in -> wrong.apply(in[0]).sum(), x);
        assertTrue(!r.passed() && r.report().contains("FAILED") && r.report().contains("element [1]"), r.report());
        assertThrows(AssertionError.class, () -> GradCheck.assertGradients(in -> wrong.apply(in[0]).sum(), x));
        assertThrows(DTypeMismatchException.class,
                () -> GradCheck.check(in -> in[0].sum(), Tensor.ones(2).requiresGrad(true)));
    }
}
