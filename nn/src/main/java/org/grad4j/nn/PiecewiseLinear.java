package org.grad4j.nn;

import org.grad4j.core.Function;
import org.grad4j.core.FunctionContext;
import org.grad4j.core.Tensor;

/**
 * {@code |x|} and leaky ReLU as functions {@code y = x * s(x)} with a piecewise-constant slope {@code s}. Their
 * gradient {@code g * s(x)} is itself recorded as an op of {@code (g, x)} (with derivative 0 with respect to
 * {@code x}, as PyTorch's {@code leaky_relu_backward}), so a gradient taken with {@code createGraph} carries a graph
 * and a second derivative is zeros instead of an error.
 */
final class PiecewiseLinear {
    private PiecewiseLinear() {
    }

    /** {@code |x|}; gradient {@code sign(x)} (0 at 0, as PyTorch). */
    static Tensor abs(Tensor x) {
        return new Forward(Double.NaN).apply(x);
    }

    /** {@code x} where {@code x > 0}, else {@code slope * x}. */
    static Tensor leakyRelu(Tensor x, double slope) {
        return new Forward(slope).apply(x);
    }

    /** The slope at each element: {@code sign(x)} for abs ({@code leakySlope} NaN), else 1 or {@code leakySlope}. */
    private static Tensor slope(Tensor x, double leakySlope) {
        if (Double.isNaN(leakySlope)) {
            return x.sign();
        }
        Tensor positive = x.gt(0).to(x.dtype());   // in x's dtype: bool * double would give float32
        return positive.add(positive.rsub(1).mul(leakySlope));
    }

    private static final class Forward extends Function {
        private final double leakySlope;

        Forward(double leakySlope) {
            this.leakySlope = leakySlope;
        }

        @Override
        protected String name() {
            return Double.isNaN(leakySlope) ? "abs" : "leakyRelu";
        }

        @Override
        protected Tensor forward(FunctionContext ctx, Tensor... inputs) {
            ctx.saveForBackward(inputs[0]);
            return Double.isNaN(leakySlope) ? inputs[0].abs()
                    : Tensor.where(inputs[0].gt(0), inputs[0], inputs[0].mul(leakySlope));
        }

        @Override
        protected Tensor[] backward(FunctionContext ctx, Tensor gradOutput) {
            return new Tensor[] {new Backward(leakySlope).apply(gradOutput, ctx.savedTensors()[0])};
        }
    }

    /** {@code g * s(x)}: linear in {@code g}, constant in {@code x} almost everywhere. */
    private static final class Backward extends Function {
        private final double leakySlope;

        Backward(double leakySlope) {
            this.leakySlope = leakySlope;
        }

        @Override
        protected String name() {
            return Double.isNaN(leakySlope) ? "absBackward" : "leakyReluBackward";
        }

        @Override
        protected Tensor forward(FunctionContext ctx, Tensor... inputs) {
            ctx.saveForBackward(inputs[1]);
            return inputs[0].mul(slope(inputs[1], leakySlope));
        }

        @Override
        protected Tensor[] backward(FunctionContext ctx, Tensor gradOutput) {
            Tensor x = ctx.savedTensors()[0];
            Tensor forG = ctx.needsInputGrad(0) ? new Backward(leakySlope).apply(gradOutput, x) : null;
            Tensor forX = ctx.needsInputGrad(1) ? x.zerosLike() : null;
            return new Tensor[] {forG, forX};
        }
    }
}
