package org.grad4j.nn;

import java.util.Arrays;
import org.grad4j.core.Tensor;

/**
 * Transposed 2-d convolution ("deconvolution"), as {@code nn.ConvTranspose2d}: {@code weight [in, out / groups, kh,
 * kw]}, {@code bias [out]}, PyTorch's default initialisation (fanIn = out / groups * kh * kw, as PyTorch computes it
 * from the weight's dim 1). Output size {@code (H - 1) stride - 2 padding + dilation (k - 1) + outputPadding + 1}.
 * <pre>{@code
 * ConvTranspose2d up = new ConvTranspose2d(16, 8, 2, ConvOptions.create().stride(2));   // doubles H and W
 * }</pre>
 * Functional form: {@link Functional#convTranspose2d}. Only zero padding, as PyTorch.
 */
public class ConvTranspose2d extends Module {
    private final int inChannels;
    private final int outChannels;
    private final int[] kernelSize;
    private final int[] stride;
    private final int[] padding;
    private final int[] outputPadding;
    private final int[] dilation;
    private final int groups;
    private final Tensor weight;
    private final Tensor bias;

    /** A square {@code kernelSize} transposed convolution with PyTorch's defaults. */
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, new int[] {kernelSize}, ConvOptions.create());
    }

    /** A square {@code kernelSize} transposed convolution with the given options. */
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, ConvOptions options) {
        this(inChannels, outChannels, new int[] {kernelSize}, options);
    }

    /** A {@code {kh, kw}} (or square) transposed convolution with the given options. */
    public ConvTranspose2d(int inChannels, int outChannels, int[] kernelSize, ConvOptions options) {
        Args.notNull(kernelSize, "ConvTranspose2d", "kernelSize");
        Args.notNull(options, "ConvTranspose2d", "options");
        String layer = "ConvTranspose2d";
        ConvLayers.checkChannels(layer, inChannels, outChannels, options.groups);
        if (options.same || options.paddingMode != PaddingMode.ZEROS) {
            throw new IllegalArgumentException(layer + ": only explicit zero padding is supported (as PyTorch)");
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = ConvOptions.spatial(layer, "kernelSize", kernelSize, 2);
        ConvLayers.checkKernel(layer, this.kernelSize);
        this.stride = ConvOptions.spatial(layer, "stride", options.stride, 2);
        this.padding = ConvOptions.spatial(layer, "padding", options.padding, 2);
        this.outputPadding = ConvOptions.spatial(layer, "outputPadding", options.outputPadding, 2);
        this.dilation = ConvOptions.spatial(layer, "dilation", options.dilation, 2);
        this.groups = options.groups;
        Tensor[] wb = ConvLayers.init(new int[] {inChannels, outChannels / groups, this.kernelSize[0],
                this.kernelSize[1]}, outChannels, options.bias, options.dtype, options.rng);
        this.weight = wb[0];
        this.bias = wb[1];
    }

    @Override
    public Tensor forward(Tensor x) {
        Args.notNull(x, "ConvTranspose2d.forward", "x");
        ConvLayers.checkInput(this, x, 4, inChannels, weight);
        return Functional.convTranspose2d(x, weight, bias, stride, padding, outputPadding, groups, dilation);
    }

    /** The weight, {@code [in, out / groups, kh, kw]}. */
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
                + Arrays.toString(stride) + ", padding=" + Arrays.toString(padding)
                + (outputPadding[0] != 0 || outputPadding[1] != 0 ? ", outputPadding=" + Arrays.toString(outputPadding)
                : "") + (dilation[0] != 1 || dilation[1] != 1 ? ", dilation=" + Arrays.toString(dilation) : "")
                + (groups != 1 ? ", groups=" + groups : "") + (bias == null ? ", bias=false" : "");
    }
}
