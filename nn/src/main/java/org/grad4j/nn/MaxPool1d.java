package org.grad4j.nn;

import org.grad4j.core.Tensor;

/**
 * 1-d max pooling over the last dim of {@code [N, C, L]} (or {@code [C, L]}), as {@code nn.MaxPool1d}; options as
 * {@link MaxPool2d}. Functional form: {@link Functional#maxPool1d}.
 */
public class MaxPool1d extends Module {
    private final int kernelSize;
    private final int stride;
    private final int padding;
    private final int dilation;
    private final boolean ceilMode;

    /** Window {@code kernelSize}, stride = window, no padding. */
    public MaxPool1d(int kernelSize) {
        this(kernelSize, kernelSize, 0, 1, false);
    }

    /** Every option. */
    public MaxPool1d(int kernelSize, int stride, int padding, int dilation, boolean ceilMode) {
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.ceilMode = ceilMode;
    }

    @Override
    public Tensor forward(Tensor x) {
        Args.notNull(x, "MaxPool1d.forward", "x");
        return Functional.maxPool1d(x, kernelSize, stride, padding, dilation, ceilMode);
    }

    /** {@code {values, indices}}, the indices (int64) being positions along the input's last dim. */
    public Tensor[] forwardWithIndices(Tensor x) {
        Args.notNull(x, "MaxPool1d.forwardWithIndices", "x");
        return Functional.maxPool1dWithIndices(x, kernelSize, stride, padding, dilation, ceilMode);
    }

    @Override
    protected String extraRepr() {
        return "kernelSize=" + kernelSize + ", stride=" + stride + ", padding=" + padding + ", dilation=" + dilation
                + ", ceilMode=" + ceilMode;
    }
}
