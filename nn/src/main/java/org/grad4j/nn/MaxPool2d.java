package org.grad4j.nn;

import java.util.Arrays;
import org.grad4j.core.Tensor;

/**
 * 2-d max pooling, as {@code nn.MaxPool2d}: stride defaults to the kernel size, padding (at most half the kernel)
 * counts as -infinity, dilation spaces the window's taps, ceil mode lets a last partial window in. The gradient goes
 * to the first maximum of each window; NaN propagates. {@link #forwardWithIndices} also returns the indices
 * ({@code return_indices=True}).
 * <pre>{@code
 * new MaxPool2d(2).forward(x);    // [N, C, 28, 28] -> [N, C, 14, 14]
 * }</pre>
 * Functional form: {@link Functional#maxPool2d}.
 */
public class MaxPool2d extends Module {
    private final int[] kernelSize;
    private final int[] stride;
    private final int[] padding;
    private final int[] dilation;
    private final boolean ceilMode;

    /** A square window, stride = window, no padding. */
    public MaxPool2d(int kernelSize) {
        this(new int[] {kernelSize, kernelSize}, null, new int[] {0, 0}, new int[] {1, 1}, false);
    }

    /** A square window with the given stride and padding. */
    public MaxPool2d(int kernelSize, int stride, int padding) {
        this(new int[] {kernelSize, kernelSize}, new int[] {stride, stride}, new int[] {padding, padding},
                new int[] {1, 1}, false);
    }

    /** Every option; a null stride means stride = kernel size. */
    public MaxPool2d(int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        Args.notNull(kernelSize, "MaxPool2d", "kernelSize");
        Args.notNull(padding, "MaxPool2d", "padding");
        Args.notNull(dilation, "MaxPool2d", "dilation");
        this.kernelSize = kernelSize.clone();
        this.stride = stride == null ? kernelSize.clone() : stride.clone();
        this.padding = padding.clone();
        this.dilation = dilation.clone();
        this.ceilMode = ceilMode;
    }

    @Override
    public Tensor forward(Tensor x) {
        Args.notNull(x, "MaxPool2d.forward", "x");
        return Functional.maxPool2d(x, kernelSize, stride, padding, dilation, ceilMode);
    }

    // the settings, for Sequential's fused Conv2d + ReLU + MaxPool2d (Functional.conv2dReluMaxPool2d)
    int[] kernelSize() {
        return kernelSize.clone();
    }

    int[] stride() {
        return stride.clone();
    }

    int[] padding() {
        return padding.clone();
    }

    int[] dilation() {
        return dilation.clone();
    }

    boolean ceilMode() {
        return ceilMode;
    }

    /** {@code {values, indices}}, the indices (int64) being flat positions {@code y * W + x} in each input plane. */
    public Tensor[] forwardWithIndices(Tensor x) {
        Args.notNull(x, "MaxPool2d.forwardWithIndices", "x");
        return Functional.maxPool2dWithIndices(x, kernelSize, stride, padding, dilation, ceilMode);
    }

    @Override
    protected String extraRepr() {
        return "kernelSize=" + Arrays.toString(kernelSize) + ", stride=" + Arrays.toString(stride) + ", padding="
                + Arrays.toString(padding) + ", dilation=" + Arrays.toString(dilation) + ", ceilMode=" + ceilMode;
    }
}
