package org.grad4j.core;

/**
 * A user-defined differentiable op, as {@code torch.autograd.Function}. Forward runs with recording off and
 * computes the output from the inputs; backward gets the output's gradient and returns one gradient per input
 * (null where none is needed). Write backward with tensor ops to make it differentiable again.
 * <pre>{@code
 * class Cube extends Function {
 *     protected Tensor forward(FunctionContext ctx, Tensor... in) {
 *         ctx.saveForBackward(in[0]);
 *         return in[0].mul(in[0]).mul(in[0]);
 *     }
 *     protected Tensor[] backward(FunctionContext ctx, Tensor grad) {
 *         Tensor x = ctx.savedTensors()[0];
 *         return new Tensor[] {grad.mul(x.square()).mul(3)};
 *     }
 * }
 * Tensor y = new Cube().apply(x);     // used like any built-in op
 * }</pre>
 * Check a new function with {@link GradCheck#check}. The gradient returned for an input may be in a broadcast
 * shape; it is summed down to the input's shape by the engine.
 */
public abstract class Function {

    /** The name shown in error messages, {@code grad_fn=<...>} and {@link Tensor#toDot()}. */
    protected String name() {
        return getClass().getSimpleName().isEmpty() ? "Function" : getClass().getSimpleName();
    }

    /** Computes the outputs from {@code inputs} (recording is off here); saves what backward needs in {@code ctx}. */
    protected abstract Tensor forward(FunctionContext ctx, Tensor... inputs);

    /** The gradients with respect to each input, given the gradient of the output (null for inputs without one). */
    protected abstract Tensor[] backward(FunctionContext ctx, Tensor gradOutput);

    /** Runs forward and records this function in the graph when an input requires grad. */
    public final Tensor apply(Tensor... inputs) {
        Args.noNulls(inputs, name() + ".apply", "inputs");
        FunctionContext ctx = new FunctionContext();
        ctx.needsInputGrad = new boolean[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            ctx.needsInputGrad[i] = inputs[i].requiresGrad() && Grad.isEnabled();
        }
        Tensor out;
        try (Grad.Scope off = Grad.disabled()) {
            out = forward(ctx, inputs);
        }
        if (out == null) {
            throw new IllegalStateException(name() + ".forward returned null");
        }
        if (out.gradFn != null || out.requiresGrad()) {
            out = out.detach();
        }
        for (Tensor in : inputs) {
            if (out.sharesStorageWith(in)) {
                out = out.copy();
                break;
            }
        }
        String op = name();
        int inputCount = inputs.length;
        return Node.record(op, out, inputs, ctx.savedForNode(), (g, n) -> {
            ctx.node = n;
            Engine.userRuleRan(n);
            Tensor[] grads = backward(ctx, g);
            if (grads == null || grads.length != inputCount) {
                throw new IllegalStateException(op + ".backward must return " + inputCount
                        + " gradients (null for inputs that need none), got "
                        + (grads == null ? "null" : grads.length));
            }
            return grads;
        });
    }
}
