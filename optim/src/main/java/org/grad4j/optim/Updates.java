package org.grad4j.optim;

import org.grad4j.core.Tensor;

/**
 * In-place building blocks shared by the optimizers. Each reproduces the rounding of the PyTorch op it replaces
 * (e.g. {@code add_(x, alpha)} rounds {@code alpha * x} before adding) without allocating a parameter-sized
 * temporary: intermediate results go to the caller's scratch buffers.
 */
final class Updates {
    private Updates() {
    }

    /**
     * The gradient the update rule sees: {@code grad}, negated when maximizing, plus {@code weightDecay * param} (L2)
     * when the decay is non-zero, as {@code grad.add(param, alpha=weight_decay)}. Returns {@code grad} itself when
     * neither applies, else the parameter's {@code grad} scratch buffer. Never modifies {@code grad}.
     */
    static Tensor effectiveGrad(Tensor grad, Tensor param, double weightDecay, boolean maximize, ParamState s) {
        if (weightDecay == 0 && !maximize) {
            return grad;
        }
        Tensor d = s.scratch("grad", param);
        if (weightDecay == 0) {
            return d.copyFrom(grad).mulInPlace(-1.0);
        }
        d.copyFrom(param).mulInPlace(weightDecay);
        return maximize ? d.subInPlace(grad) : d.addInPlace(grad);
    }
}
