package org.grad4j.nn;

import org.grad4j.core.Tensor;

/**
 * 1-d average pooling over the last dim of {@code [N, C, L]} (or {@code [C, L]}), as {@code nn.AvgPool1d} (ceil mode
 * and the divisor as {@link AvgPool2d}).
 * Functional form: {@link Functional#avgPool1d}.
 */
public class AvgPool1d extends Module {
    private final int kernelSize;
    private final int stride;
    private final int padding;
    private final boolean ceilMode;
    private final boolean countIncludePad;

    /** Window {@code kernelSize}, stride = window, no padding. */
    public AvgPool1d(int kernelSize) {
        this(kernelSize, kernelSize, 0, true);
    }

    /** Without ceil mode. */
    public AvgPool1d(int kernelSize, int stride, int padding, boolean countIncludePad) {
        this(kernelSize, stride, padding, false, countIncludePad);
    }

    /** Every option, in PyTorch's order. */
    public AvgPool1d(int kernelSize, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padding = padding;
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
    }

    @Override
    public Tensor forward(Tensor x) {
        Args.notNull(x, "AvgPool1d.forward", "x");
        return Functional.avgPool1d(x, kernelSize, stride, padding, ceilMode, countIncludePad);
    }

    @Override
    protected String extraRepr() {
        return "kernelSize=" + kernelSize + ", stride=" + stride + ", padding=" + padding
                + (ceilMode ? ", ceilMode=true" : "") + (countIncludePad ? "" : ", countIncludePad=false");
    }
}
