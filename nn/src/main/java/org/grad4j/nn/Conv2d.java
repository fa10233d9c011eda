package org.grad4j.nn;

import java.util.Arrays;
import org.grad4j.core.Tensor;

/**
 * 2-d convolution layer, as {@code nn.Conv2d}: {@code weight [out, in / groups, kh, kw]} and {@code bias [out]},
 * PyTorch's names, shapes and default initialisation ({@code U(-1/sqrt(fanIn), 1/sqrt(fanIn))}, fanIn = in / groups
 * * kh * kw), so a PyTorch state dict loads as is. Input {@code [N, in, H, W]} (or {@code [in, H, W]}), output
 * {@code [N, out, H', W']}. Runs on the GEMM (im2col).
 * <pre>{@code
 * Conv2d conv = new Conv2d(1, 16, 5, ConvOptions.create().padding(2));   // [N, 1, 28, 28] -> [N, 16, 28, 28]
 * Conv2d depthwise = new Conv2d(16, 16, 3, ConvOptions.create().paddingSame().groups(16));
 * }</pre>
 * Options: stride, padding (or {@code paddingSame()}), dilation, groups, bias, padding mode (zeros, reflect,
 * replicate, circular), dtype and generator; see {@link ConvOptions}. Functional form: {@link Functional#conv2d}.
 */
public class Conv2d extends Module {
    private final int inChannels;
    private final int outChannels;
    private final int[] kernelSize;
    private final int[] stride;
    private final int[] padding;
    private final boolean same;
    private final int[] dilation;
    private final int groups;
    private final PaddingMode paddingMode;
    private final Tensor weight;
    private final Tensor bias;

    /** A square {@code kernelSize} convolution with PyTorch's defaults. */
    public Conv2d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, new int[] {kernelSize}, ConvOptions.create());
    }

    /** A square {@code kernelSize} convolution with the given options. */
    public Conv2d(int inChannels, int outChannels, int kernelSize, ConvOptions options) {
        this(inChannels, outChannels, new int[] {kernelSize}, options);
    }

    /** A {@code {kh, kw}} (or square) convolution with the given options. */
    public Conv2d(int inChannels, int outChannels, int[] kernelSize, ConvOptions options) {
        Args.notNull(kernelSize, "Conv2d", "kernelSize");
        Args.notNull(options, "Conv2d", "options");
        String layer = "Conv2d";
        ConvLayers.checkChannels(layer, inChannels, outChannels, options.groups);
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = ConvOptions.spatial(layer, "kernelSize", kernelSize, 2);
        ConvLayers.checkKernel(layer, this.kernelSize);
        this.stride = ConvOptions.spatial(layer, "stride", options.stride, 2);
        this.padding = ConvOptions.spatial(layer, "padding", options.padding, 2);
        this.same = options.same;
        this.dilation = ConvOptions.spatial(layer, "dilation", options.dilation, 2);
        this.groups = options.groups;
        this.paddingMode = options.paddingMode;
        if (same && (stride[0] != 1 || stride[1] != 1)) {
            throw new IllegalArgumentException(layer + ": padding 'same' needs stride 1, got "
                    + Arrays.toString(stride));
        }
        Tensor[] wb = ConvLayers.init(new int[] {outChannels, inChannels / groups, this.kernelSize[0],
                this.kernelSize[1]}, outChannels, options.bias, options.dtype, options.rng);
        this.weight = wb[0];
        this.bias = wb[1];
    }

    @Override
    public Tensor forward(Tensor x) {
        Args.notNull(x, "Conv2d.forward", "x");
        ConvLayers.checkInput(this, x, 4, inChannels, weight);
        return Functional.conv2d(x, weight, bias, stride, padding, same, dilation, groups, paddingMode);
    }

    /** {@code relu(forward(x))} in one op ({@link Functional#conv2dRelu}), for {@link Sequential}. */
    Tensor forwardRelu(Tensor x) {
        Args.notNull(x, "Conv2d.forward", "x");
        ConvLayers.checkInput(this, x, 4, inChannels, weight);
        return Functional.conv2dRelu(x, weight, bias, stride, padding, same, dilation, groups, paddingMode);
    }

    /** {@code pool.forward(relu(forward(x)))} in one op ({@link Functional#conv2dReluMaxPool2d}), for {@link Sequential}. */
    Tensor forwardReluMaxPool(Tensor x, MaxPool2d pool) {
        Args.notNull(x, "Conv2d.forward", "x");
        ConvLayers.checkInput(this, x, 4, inChannels, weight);
        return Functional.conv2dReluMaxPool2d(x, weight, bias, stride, padding, same, dilation, groups, paddingMode,
                pool);
    }

    /** The weight, {@code [out, in / groups, kh, kw]}. */
    public Tensor weight() {
        return weight;
    }

    /** The bias, {@code [out]}, or null. */
    public Tensor bias() {
        return bias;
    }

    @Override
    protected String extraRepr() {
        return inChannels + ", " + outChannels + ", kernelSize=" + Arrays.toString(kernelSize) + ", stride="
                + Arrays.toString(stride) + (same ? ", padding=same" : ", padding=" + Arrays.toString(padding))
                + (dilation[0] != 1 || dilation[1] != 1 ? ", dilation=" + Arrays.toString(dilation) : "")
                + (groups != 1 ? ", groups=" + groups : "") + (bias == null ? ", bias=false" : "")
                + (paddingMode != PaddingMode.ZEROS ? ", paddingMode=" + paddingMode : "");
    }
}
