package org.grad4j.nn;

import org.grad4j.core.Tensor;

/**
 * Transposed 1-d convolution, as {@code nn.ConvTranspose1d}: {@code weight [in, out / groups, k]}, {@code bias [out]},
 * PyTorch's default initialisation (fanIn = out / groups * k, from the weight's dim 1). Input {@code [N, in, L]} (or
 * {@code [in, L]}), output length {@code (L - 1) stride - 2 padding + dilation (k - 1) + outputPadding + 1}.
 * <pre>{@code
 * ConvTranspose1d up = new ConvTranspose1d(16, 8, 2, ConvOptions.create().stride(2));   // doubles L
 * }</pre>
 * Options as {@link ConvTranspose2d} ({@link ConvOptions}, single values). Functional form:
 * {@link Functional#convTranspose1d}. Only zero padding, as PyTorch.
 */
public class ConvTranspose1d extends Module {
    private final int inChannels;
    private final int outChannels;
    private final int kernelSize;
    private final int stride;
    private final int padding;
    private final int outputPadding;
    private final int dilation;
    private final int groups;
    private final Tensor weight;
    private final Tensor bias;

    /** A transposed convolution with PyTorch's defaults. */
    public ConvTranspose1d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, kernelSize, ConvOptions.create());
    }

    /** A transposed convolution with the given options. */
    public ConvTranspose1d(int inChannels, int outChannels, int kernelSize, ConvOptions options) {
        Args.notNull(options, "ConvTranspose1d", "options");
        String layer = "ConvTranspose1d";
        ConvLayers.checkChannels(layer, inChannels, outChannels, options.groups);
        ConvLayers.checkKernel(layer, new int[] {kernelSize});
        if (options.same || options.paddingMode != PaddingMode.ZEROS) {
            throw new IllegalArgumentException(layer + ": only explicit zero padding is supported (as PyTorch)");
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = kernelSize;
        this.stride = ConvOptions.spatial(layer, "stride", options.stride, 1)[0];
        this.padding = ConvOptions.spatial(layer, "padding", options.padding, 1)[0];
        this.outputPadding = ConvOptions.spatial(layer, "outputPadding", options.outputPadding, 1)[0];
        this.dilation = ConvOptions.spatial(layer, "dilation", options.dilation, 1)[0];
        this.groups = options.groups;
        Tensor[] wb = ConvLayers.init(new int[] {inChannels, outChannels / groups, kernelSize}, outChannels,
                options.bias, options.dtype, options.rng);
        this.weight = wb[0];
        this.bias = wb[1];
    }

    @Override
    public Tensor forward(Tensor x) {
        Args.notNull(x, "ConvTranspose1d.forward", "x");
        ConvLayers.checkInput(this, x, 3, inChannels, weight);
        return Functional.convTranspose1d(x, weight, bias, stride, padding, outputPadding, groups, dilation);
    }

    /** The weight, {@code [in, out / groups, k]}. */
    public Tensor weight() {
        return weight;
    }

    /** The bias, {@code [out]}, or null. */
    public Tensor bias() {
        return bias;
    }

    @Override
    protected String extraRepr() {
        return inChannels + ", " + outChannels + ", kernelSize=" + kernelSize + ", stride=" + stride + ", padding="
                + padding + (outputPadding != 0 ? ", outputPadding=" + outputPadding : "")
                + (dilation != 1 ? ", dilation=" + dilation : "") + (groups != 1 ? ", groups=" + groups : "")
                + (bias == null ? ", bias=false" : "");
    }
}
