package org.grad4j.nn;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.grad4j.core.DType;

/**
 * The optional settings of {@link Conv1d}, {@link Conv2d} and {@link ConvTranspose2d}, with PyTorch's defaults:
 * stride 1, padding 0, dilation 1, groups 1, a bias, zero padding, float32, weights drawn from
 * {@link Init#generator()}. A single value applies to every spatial dim; a 2-d layer also takes {@code {height,
 * width}}.
 * <pre>{@code
 * new Conv2d(3, 16, 3, ConvOptions.create().paddingSame().paddingMode(PaddingMode.REFLECT));
 * new Conv2d(32, 32, 3, ConvOptions.create().padding(1).groups(32).bias(false));   // depthwise
 * }</pre>
 */
public final class ConvOptions {
    int[] stride = {1};
    int[] padding = {0};
    boolean same;
    int[] outputPadding = {0};
    int[] dilation = {1};
    int groups = 1;
    boolean bias = true;
    PaddingMode paddingMode = PaddingMode.ZEROS;
    DType dtype = DType.FLOAT32;
    RandomGenerator rng;

    private ConvOptions() {
    }

    /** PyTorch's defaults. */
    public static ConvOptions create() {
        return new ConvOptions();
    }

    /** Step between windows (one value, or one per spatial dim). */
    public ConvOptions stride(int... stride) {
        this.stride = stride.clone();
        return this;
    }

    /** Padding on both sides of each spatial dim (one value, or one per dim). */
    public ConvOptions padding(int... padding) {
        this.padding = padding.clone();
        this.same = false;
        return this;
    }

    /** PyTorch's {@code padding="same"}: the output keeps the input's size (stride must be 1). */
    public ConvOptions paddingSame() {
        this.same = true;
        return this;
    }

    /** Extra rows/columns at the end of a transposed convolution's output (each smaller than stride or dilation). */
    public ConvOptions outputPadding(int... outputPadding) {
        this.outputPadding = outputPadding.clone();
        return this;
    }

    /** Spacing between kernel taps. */
    public ConvOptions dilation(int... dilation) {
        this.dilation = dilation.clone();
        return this;
    }

    /** Channel groups; {@code groups = inChannels} is a depthwise convolution. */
    public ConvOptions groups(int groups) {
        this.groups = groups;
        return this;
    }

    /** Whether the layer has a bias. */
    public ConvOptions bias(boolean bias) {
        this.bias = bias;
        return this;
    }

    /** How the border is padded. */
    public ConvOptions paddingMode(PaddingMode paddingMode) {
        Args.notNull(paddingMode, "ConvOptions.paddingMode", "paddingMode");
        this.paddingMode = paddingMode;
        return this;
    }

    /** The parameters' dtype. */
    public ConvOptions dtype(DType dtype) {
        Args.notNull(dtype, "ConvOptions.dtype", "dtype");
        this.dtype = dtype;
        return this;
    }

    /** The generator the initial weights are drawn from (same state, same weights). */
    public ConvOptions rng(RandomGenerator rng) {
        this.rng = rng;
        return this;
    }

    static int[] spatial(String layer, String what, int[] v, int dims) {
        if (v.length == 1) {
            int[] out = new int[dims];
            Arrays.fill(out, v[0]);
            return out;
        }
        if (v.length != dims) {
            throw new IllegalArgumentException(layer + ": " + what + " needs 1 or " + dims + " values, got "
                    + Arrays.toString(v));
        }
        return v.clone();
    }
}
