package org.grad4j.nn;

import java.util.Arrays;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;

/**
 * Root-mean-square normalisation over the last dims, as {@code nn.RMSNorm} (PyTorch 2.4): {@code x /
 * sqrt(mean(x^2) + eps) * weight}, {@code weight} (ones) of shape {@code normalizedShape}; eps defaults to the
 * dtype's machine epsilon. Functional form: {@link Functional#rmsNorm}.
 */
public class RMSNorm extends Module {
    private final int[] normalizedShape;
    private final double eps;
    private final Tensor weight;

    /** Normalises the last dim of size {@code size}, eps = machine epsilon, with a weight, float32. */
    public RMSNorm(int size) {
        this(new int[] {size}, Double.NaN, true, DType.FLOAT32);
    }

    /** Every option; {@code eps} NaN (or {@code <= 0}) means the dtype's machine epsilon. */
    public RMSNorm(int[] normalizedShape, double eps, boolean elementwiseAffine, DType dtype) {
        Args.notNull(normalizedShape, "RMSNorm", "normalizedShape");
        Args.notNull(dtype, "RMSNorm", "dtype");
        for (int s : normalizedShape) {
            if (s <= 0) {
                throw new IllegalArgumentException("RMSNorm: normalizedShape must be positive sizes, got "
                        + Arrays.toString(normalizedShape));
            }
        }
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.weight = elementwiseAffine ? Tensor.ones(dtype, normalizedShape).requiresGrad(true) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        Args.notNull(x, "RMSNorm.forward", "x");
        return Functional.rmsNorm(x, normalizedShape, weight, eps);
    }

    /** The scale, or null. */
    public Tensor weight() {
        return weight;
    }

    @Override
    protected String extraRepr() {
        return Arrays.toString(normalizedShape) + (eps > 0 ? ", eps=" + eps : "") + ", elementwiseAffine="
                + (weight != null);
    }
}
