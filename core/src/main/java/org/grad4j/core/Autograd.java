package org.grad4j.core;

import java.util.Arrays;
import java.util.List;

/**
 * The functional form of backward, as {@code torch.autograd.grad}: returns gradients instead of accumulating them
 * into {@code grad()}. With {@code createGraph} the returned gradients are themselves differentiable, which gives
 * second derivatives and Hessian-vector products:
 * <pre>{@code
 * Tensor x = Tensor.scalar(2.0, DType.FLOAT64).requiresGrad(true);
 * Tensor y = x.pow(3);
 * Tensor dy = Autograd.grad(y, x, true);            // 3x^2 = 12, with a graph
 * Tensor d2y = Autograd.grad(dy, x, false);         // 6x = 12
 * }</pre>
 */
public final class Autograd {
    private Autograd() {
    }

    /** d(output)/d(input) for a scalar output. */
    public static Tensor grad(Tensor output, Tensor input, boolean createGraph) {
        Args.notNull(output, "Autograd.grad", "output");
        Args.notNull(input, "Autograd.grad", "input");
        return grad(List.of(output), List.of(input), null, createGraph, createGraph, false).get(0);
    }

    /** Gradients of a scalar output with respect to each input. */
    public static List<Tensor> grad(Tensor output, List<Tensor> inputs, boolean createGraph) {
        Args.notNull(output, "Autograd.grad", "output");
        return grad(List.of(output), inputs, null, createGraph, createGraph, false);
    }

    /**
     * Full form.
     *
     * @param gradOutputs  one gradient per output (null entries, or a null list, for scalar outputs)
     * @param retainGraph  keep the graph's saved tensors for a later backward
     * @param createGraph  record the backward pass so the results can be differentiated again
     * @param allowUnused  return null for inputs the outputs do not depend on, instead of failing
     */
    public static List<Tensor> grad(List<Tensor> outputs, List<Tensor> inputs, List<Tensor> gradOutputs,
                                    boolean retainGraph, boolean createGraph, boolean allowUnused) {
        Args.noNulls(outputs, "Autograd.grad", "outputs");
        Args.noNulls(inputs, "Autograd.grad", "inputs");
        if (outputs.isEmpty() || inputs.isEmpty()) {
            throw new IllegalArgumentException("Autograd.grad: needs at least one output and one input");
        }
        if (gradOutputs != null && gradOutputs.size() != outputs.size()) {
            throw new IllegalArgumentException("Autograd.grad: got " + gradOutputs.size() + " gradOutputs for "
                    + outputs.size() + " outputs");
        }
        for (int i = 0; i < inputs.size(); i++) {
            if (!inputs.get(i).requiresGrad()) {
                throw new AutogradException("Autograd.grad: input " + i + " (shape "
                        + Shapes.str(inputs.get(i).shape) + ") does not require grad; call requiresGrad(true) on it"
                        + " before computing the outputs");
            }
        }
        Tensor[] roots = outputs.toArray(new Tensor[0]);
        Tensor[] seeds = new Tensor[roots.length];
        for (int i = 0; i < roots.length; i++) {
            seeds[i] = rootGradient("Autograd.grad", roots[i], gradOutputs == null ? null : gradOutputs.get(i));
        }
        Tensor[] result = Engine.run(roots, seeds, retainGraph || createGraph, createGraph,
                inputs.toArray(new Tensor[0]));
        for (int i = 0; i < result.length; i++) {
            if (result[i] == null) {
                if (!allowUnused) {
                    throw new AutogradException("Autograd.grad: input " + i + " (shape "
                            + Shapes.str(inputs.get(i).shape) + ") was not used to compute the outputs; pass"
                            + " allowUnused = true to get null for it");
                }
            } else if (!createGraph) {
                result[i] = result[i].detach();
            }
        }
        return Arrays.asList(result);
    }

    static Tensor rootGradient(String op, Tensor root, Tensor gradient) {
        if (!root.requiresGrad()) {
            throw new AutogradException(op + ": the tensor (shape " + Shapes.str(root.shape) + ") does not require"
                    + " grad and has no grad_fn: no input of the computation has requiresGrad(true), or it was"
                    + " computed inside Grad.disabled()");
        }
        if (gradient == null) {
            if (root.numel() != 1) {
                throw new AutogradException(op + ": a gradient can be created implicitly only for a scalar output;"
                        + " this one has shape " + Shapes.str(root.shape) + ". Reduce it first (e.g. .sum() or"
                        + " .mean()) or pass a gradient of the same shape: y.backward(y.onesLike())");
            }
            return root.onesLike();
        }
        if (!Arrays.equals(gradient.shape, root.shape)) {
            throw new ShapeMismatchException(op + ": gradient of shape " + Shapes.str(gradient.shape)
                    + " does not match the output's shape " + Shapes.str(root.shape));
        }
        Pointwise.checkDtypes(op, root, gradient);
        return gradient;
    }
}
