package org.grad4j.nn;

import java.util.Arrays;
import org.grad4j.core.Tensor;

/**
 * 2-d average pooling, as {@code nn.AvgPool2d}: stride defaults to the kernel size, zero padding (at most half the
 * kernel) counted in the divisor unless {@code countIncludePad} is false; {@code ceilMode} lets a last partial window
 * in, divided by its size clipped to the padded input. Functional form: {@link Functional#avgPool2d}.
 */
public class AvgPool2d extends Module {
    private final int[] kernelSize;
    private final int[] stride;
    private final int[] padding;
    private final boolean ceilMode;
    private final boolean countIncludePad;

    /** A square window, stride = window, no padding. */
    public AvgPool2d(int kernelSize) {
        this(new int[] {kernelSize, kernelSize}, null, new int[] {0, 0}, true);
    }

    /** Without ceil mode; a null stride means stride = kernel size. */
    public AvgPool2d(int[] kernelSize, int[] stride, int[] padding, boolean countIncludePad) {
        this(kernelSize, stride, padding, false, countIncludePad);
    }

    /** Every option, in PyTorch's order; a null stride means stride = kernel size. */
    public AvgPool2d(int[] kernelSize, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad) {
        Args.notNull(kernelSize, "AvgPool2d", "kernelSize");
        Args.notNull(padding, "AvgPool2d", "padding");
        this.kernelSize = kernelSize.clone();
        this.stride = stride == null ? kernelSize.clone() : stride.clone();
        this.padding = padding.clone();
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
    }

    @Override
    public Tensor forward(Tensor x) {
        Args.notNull(x, "AvgPool2d.forward", "x");
        return Functional.avgPool2d(x, kernelSize, stride, padding, ceilMode, countIncludePad);
    }

    @Override
    protected String extraRepr() {
        return "kernelSize=" + Arrays.toString(kernelSize) + ", stride=" + Arrays.toString(stride) + ", padding="
                + Arrays.toString(padding) + (ceilMode ? ", ceilMode=true" : "")
                + (countIncludePad ? "" : ", countIncludePad=false");
    }
}
