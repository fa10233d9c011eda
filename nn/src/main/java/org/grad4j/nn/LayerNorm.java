package org.grad4j.nn;

import java.util.Arrays;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;

/**
 * Layer normalisation over the last dims, as {@code nn.LayerNorm}: {@code (x - mean) / sqrt(var + eps) * weight +
 * bias} with the biased variance; {@code weight} (ones) and {@code bias} (zeros) of shape {@code normalizedShape}.
 * The same in training and evaluation. Functional form: {@link Functional#layerNorm}.
 * <pre>{@code
 * new LayerNorm(512).forward(x);    // x [batch, seq, 512]
 * }</pre>
 */
public class LayerNorm extends Module {
    private final int[] normalizedShape;
    private final double eps;
    private final Tensor weight;
    private final Tensor bias;

    /** Normalises the last dim of size {@code size}, PyTorch's defaults (eps 1e-5, affine with bias, float32). */
    public LayerNorm(int size) {
        this(new int[] {size}, 1e-5, true, true, DType.FLOAT32);
    }

    /** Every option. */
    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine, boolean bias, DType dtype) {
        Args.notNull(normalizedShape, "LayerNorm", "normalizedShape");
        Args.notNull(dtype, "LayerNorm", "dtype");
        for (int s : normalizedShape) {
            if (s <= 0) {
                throw new IllegalArgumentException("LayerNorm: normalizedShape must be positive sizes, got "
                        + Arrays.toString(normalizedShape));
            }
        }
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.weight = elementwiseAffine ? Tensor.ones(dtype, normalizedShape).requiresGrad(true) : null;
        this.bias = elementwiseAffine && bias ? Tensor.zeros(dtype, normalizedShape).requiresGrad(true) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        Args.notNull(x, "LayerNorm.forward", "x");
        return Functional.layerNorm(x, normalizedShape, weight, bias, eps);
    }

    /** The scale, or null. */
    public Tensor weight() {
        return weight;
    }

    /** The shift, or null. */
    public Tensor bias() {
        return bias;
    }

    @Override
    protected String extraRepr() {
        return Arrays.toString(normalizedShape) + ", eps=" + eps + ", elementwiseAffine=" + (weight != null);
    }
}
