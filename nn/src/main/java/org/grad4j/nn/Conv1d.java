package org.grad4j.nn;

import org.grad4j.core.Tensor;

/**
 * 1-d convolution layer, as {@code nn.Conv1d}: {@code weight [out, in / groups, k]}, {@code bias [out]}, PyTorch's
 * default initialisation. Input {@code [N, in, L]} (or {@code [in, L]}), output {@code [N, out, L']}.
 * <pre>{@code
 * Conv1d conv = new Conv1d(8, 16, 3, ConvOptions.create().paddingSame().dilation(2));
 * }</pre>
 * Options as {@link Conv2d} ({@link ConvOptions}, single values). Functional form: {@link Functional#conv1d}.
 */
public class Conv1d extends Module {
    private final int inChannels;
    private final int outChannels;
    private final int kernelSize;
    private final int stride;
    private final int padding;
    private final boolean same;
    private final int dilation;
    private final int groups;
    private final PaddingMode paddingMode;
    private final Tensor weight;
    private final Tensor bias;

    /** A convolution with PyTorch's defaults. */
    public Conv1d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, kernelSize, ConvOptions.create());
    }

    /** A convolution with the given options. */
    public Conv1d(int inChannels, int outChannels, int kernelSize, ConvOptions options) {
        Args.notNull(options, "Conv1d", "options");
        String layer = "Conv1d";
        ConvLayers.checkChannels(layer, inChannels, outChannels, options.groups);
        ConvLayers.checkKernel(layer, new int[] {kernelSize});
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = kernelSize;
        this.stride = ConvOptions.spatial(layer, "stride", options.stride, 1)[0];
        this.padding = ConvOptions.spatial(layer, "padding", options.padding, 1)[0];
        this.same = options.same;
        this.dilation = ConvOptions.spatial(layer, "dilation", options.dilation, 1)[0];
        this.groups = options.groups;
        this.paddingMode = options.paddingMode;
        if (same && stride != 1) {
            throw new IllegalArgumentException(layer + ": padding 'same' needs stride 1, got " + stride);
        }
        Tensor[] wb = ConvLayers.init(new int[] {outChannels, inChannels / groups, kernelSize}, outChannels,
                options.bias, options.dtype, options.rng);
        this.weight = wb[0];
        this.bias = wb[1];
    }

    @Override
    public Tensor forward(Tensor x) {
        Args.notNull(x, "Conv1d.forward", "x");
        ConvLayers.checkInput(this, x, 3, inChannels, weight);
        return Functional.conv1d(x, weight, bias, stride, padding, same, dilation, groups, paddingMode);
    }

    /** The weight, {@code [out, in / groups, k]}. */
    public Tensor weight() {
        return weight;
    }

    /** The bias, {@code [out]}, or null. */
    public Tensor bias() {
        return bias;
    }

    @Override
    protected String extraRepr() {
        return inChannels + ", " + outChannels + ", kernelSize=" + kernelSize + ", stride=" + stride
                + (same ? ", padding=same" : ", padding=" + padding) + (dilation != 1 ? ", dilation=" + dilation : "")
                + (groups != 1 ? ", groups=" + groups : "") + (bias == null ? ", bias=false" : "")
                + (paddingMode != PaddingMode.ZEROS ? ", paddingMode=" + paddingMode : "");
    }
}
