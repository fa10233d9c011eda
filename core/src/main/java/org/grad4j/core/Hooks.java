package org.grad4j.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The backward hooks of one tensor ({@link Tensor#registerHook}), run in registration order on the tensor's
 * gradient when backward computes it: for a non-leaf when its node is reached (before {@code retainGrad} stores
 * it), for a leaf once its gradient is complete for this backward (before it is added into {@code grad()}). A hook
 * may return a replacement of the same shape and dtype, or null to keep the gradient.
 */
final class Hooks {
    private final List<UnaryOperator<Tensor>> hooks = new ArrayList<>();
    private final int[] shape;
    private final DType dtype;

    Hooks(Tensor owner) {
        this.shape = owner.shape;
        this.dtype = owner.dtype();
    }

    RemovableHandle add(UnaryOperator<Tensor> hook) {
        hooks.add(hook);
        return () -> hooks.remove(hook);
    }

    boolean isEmpty() {
        return hooks.isEmpty();
    }

    Tensor apply(Tensor grad) {
        Tensor g = grad;
        for (UnaryOperator<Tensor> hook : List.copyOf(hooks)) {
            Tensor replaced = hook.apply(g);
            if (replaced == null) {
                continue;
            }
            if (!Arrays.equals(replaced.shape, shape) || replaced.dtype() != dtype) {
                throw new AutogradException("registerHook: a hook returned a gradient of shape "
                        + Shapes.str(replaced.shape) + " and dtype " + replaced.dtype() + " for a tensor of shape "
                        + Shapes.str(shape) + " and dtype " + dtype + "; a hook must keep the shape and dtype (or"
                        + " return null to leave the gradient unchanged)");
            }
            g = replaced;
        }
        return g;
    }

    /** Runs each leaf's hooks on its gradient ({@code grads[i]} of {@code leaves[i]}, skipped where null). */
    static void applyToLeaves(Tensor[] leaves, Tensor[] grads, int count) {
        for (int i = 0; i < count; i++) {
            Hooks h = leaves[i].hooks;
            if (h != null && grads[i] != null) {
                grads[i] = h.apply(grads[i]);
            }
        }
    }

    static void applyToCapturedLeaves(Map<Tensor, Integer> captureLeaf, Tensor[] captured) {
        for (Map.Entry<Tensor, Integer> e : captureLeaf.entrySet()) {
            Hooks h = e.getKey().hooks;
            int slot = e.getValue();
            if (h != null && captured[slot] != null) {
                captured[slot] = h.apply(captured[slot]);
            }
        }
    }
}
