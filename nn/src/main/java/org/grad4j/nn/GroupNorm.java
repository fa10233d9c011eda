package org.grad4j.nn;

import org.grad4j.core.DType;
import org.grad4j.core.Tensor;

/**
 * Group normalisation, as {@code nn.GroupNorm}: the {@code numChannels} channels of {@code [N, C, ...]} are split
 * into {@code numGroups} groups, each normalised over its channels and positions, then scaled and shifted per
 * channel ({@code weight} ones, {@code bias} zeros, shape {@code [C]}). The same in training and evaluation;
 * {@code numGroups = 1} is a layer norm over {@code [C, ...]}, {@code numGroups = C} an instance norm. Functional
 * form: {@link Functional#groupNorm}.
 */
public class GroupNorm extends Module {
    private final int numGroups;
    private final int numChannels;
    private final double eps;
    private final Tensor weight;
    private final Tensor bias;

    /** PyTorch's defaults: eps 1e-5, affine, float32. */
    public GroupNorm(int numGroups, int numChannels) {
        this(numGroups, numChannels, 1e-5, true, DType.FLOAT32);
    }

    /** Every option. */
    public GroupNorm(int numGroups, int numChannels, double eps, boolean affine, DType dtype) {
        Args.notNull(dtype, "GroupNorm", "dtype");
        if (numGroups <= 0 || numChannels <= 0 || numChannels % numGroups != 0) {
            throw new IllegalArgumentException("GroupNorm: numChannels (" + numChannels + ") must be divisible by"
                    + " numGroups (" + numGroups + "), both positive");
        }
        this.numGroups = numGroups;
        this.numChannels = numChannels;
        this.eps = eps;
        this.weight = affine ? Tensor.ones(dtype, numChannels).requiresGrad(true) : null;
        this.bias = affine ? Tensor.zeros(dtype, numChannels).requiresGrad(true) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        Args.notNull(x, "GroupNorm.forward", "x");
        if (x.dim() < 2 || x.size(1) != numChannels) {
            throw new IllegalArgumentException(name() + ": expects an input [N, " + numChannels + ", ...], got shape "
                    + java.util.Arrays.toString(x.shape()));
        }
        return Functional.groupNorm(x, numGroups, weight, bias, eps);
    }

    /** The scale {@code [C]}, or null. */
    public Tensor weight() {
        return weight;
    }

    /** The shift {@code [C]}, or null. */
    public Tensor bias() {
        return bias;
    }

    @Override
    protected String extraRepr() {
        return numGroups + ", " + numChannels + ", eps=" + eps + ", affine=" + (weight != null);
    }
}
