package org.grad4j.nn;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.grad4j.core.DType;
import org.grad4j.core.DTypeMismatchException;
import org.grad4j.core.Grad;
import org.grad4j.core.Tensor;

/**
 * The functional forms of the convolution, pooling, padding and normalisation layers, as
 * {@code torch.nn.functional}: stateless static methods taking the parameters as arguments. Each layer module
 * ({@link Conv2d}, {@link MaxPool2d}, {@link BatchNorm2d}...) calls one of these. Sizes given as {@code int[]} are
 * {@code {height, width}} for 2-d ops; an input without its batch dim ({@code [C, H, W]} for 2-d, {@code [C, L]} for
 * 1-d) is accepted and returned without it, as in PyTorch.
 * <pre>{@code
 * import static org.grad4j.nn.Functional.*;
 * Tensor h = maxPool2d(conv2d(x, w, b, 1, 1).relu(), 2);       // a 3x3 "same" convolution, then 2x2 pooling
 * }</pre>
 */
public final class Functional {
    private Functional() {
    }

    private static final int[] ONES = {1, 1};
    private static final int[] ZEROS = {0, 0};

    // ============================================================================================ convolution

    /** {@link #conv2d(Tensor, Tensor, Tensor, int[], int[], int[], int)} with square stride and padding, dilation 1. */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
        Args.notNull(weight, "conv2d", "weight");
        Args.notNull(x, "Functional.conv2d", "x");
        return conv2d(x, weight, bias, new int[] {stride, stride}, new int[] {padding, padding}, ONES, 1);
    }

    /**
     * 2-d convolution, as {@code F.conv2d}: {@code x [N, Cin, H, W]} (or {@code [Cin, H, W]}), {@code weight
     * [Cout, Cin / groups, kh, kw]}, {@code bias [Cout]} or null; zero padding.
     */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation,
            int groups) {
        Args.notNull(weight, "conv2d", "weight");
        Args.notNull(x, "Functional.conv2d", "x");
        Args.notNull(padding, "Functional.conv2d", "padding");
        Args.notNull(dilation, "Functional.conv2d", "dilation");
        return batched("conv2d", x, 3, b -> b.conv2d(weight, bias, stride, padding, dilation, groups));
    }

    /**
     * 2-d convolution with any padding mode and PyTorch's {@code padding="same"} (pass {@code same = true}; stride must
     * then be 1, and an odd total padding puts the extra row/column at the bottom/right, as PyTorch).
     */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, boolean same,
            int[] dilation, int groups, PaddingMode mode) {
        return conv2d(x, weight, bias, stride, padding, same, dilation, groups, mode, false, null);
    }

    /**
     * {@code relu(conv2d(...))} as one op ({@link Tensor#conv2dRelu}): the same values and gradients, the ReLU done
     * in the convolution's pass. What {@link Sequential} runs for a {@link Conv2d} followed by a {@link ReLU}.
     */
    static Tensor conv2dRelu(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, boolean same,
            int[] dilation, int groups, PaddingMode mode) {
        return conv2d(x, weight, bias, stride, padding, same, dilation, groups, mode, true, null);
    }

    /**
     * {@code pool.forward(relu(conv2d(...)))} as one op ({@link Tensor#conv2dReluMaxPool2d}): the same values and
     * gradients, without the activation array between ReLU and pooling. What {@link Sequential} runs for a
     * {@link Conv2d}, a {@link ReLU} and a {@link MaxPool2d} in a row.
     */
    static Tensor conv2dReluMaxPool2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding,
            boolean same, int[] dilation, int groups, PaddingMode mode, MaxPool2d pool) {
        return conv2d(x, weight, bias, stride, padding, same, dilation, groups, mode, true, pool);
    }

    private static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, boolean same,
            int[] dilation, int groups, PaddingMode mode, boolean relu, MaxPool2d pool) {
        Args.notNull(weight, "conv2d", "weight");
        Args.notNull(x, "Functional.conv2d", "x");
        Args.notNull(padding, "Functional.conv2d", "padding");
        Args.notNull(dilation, "Functional.conv2d", "dilation");
        Args.notNull(mode, "Functional.conv2d", "mode");
        return batched("conv2d", x, 3, b -> {
            checkPair("conv2d", "stride", stride);
            checkPair("conv2d", "dilation", dilation);
            int[] k = {weight.dim() == 4 ? weight.size(2) : 1, weight.dim() == 4 ? weight.size(3) : 1};
            int[] lr = new int[4];   // {top, bottom, left, right}
            if (same) {
                if (stride[0] != 1 || stride[1] != 1) {
                    throw new IllegalArgumentException("conv2d: padding='same' needs stride 1, got stride "
                            + Arrays.toString(stride));
                }
                for (int d = 0; d < 2; d++) {
                    int total = dilation[d] * (k[d] - 1);
                    lr[2 * d] = total / 2;
                    lr[2 * d + 1] = total - total / 2;
                }
            } else {
                checkPair("conv2d", "padding", padding);
                lr = new int[] {padding[0], padding[0], padding[1], padding[1]};
            }
            boolean symmetric = lr[0] == lr[1] && lr[2] == lr[3];
            Tensor input = b;
            int[] zeroPadding = {lr[0], lr[2]};
            if (mode != PaddingMode.ZEROS || !symmetric) {
                input = pad(b, new int[] {lr[2], lr[3], lr[0], lr[1]}, mode, 0);
                zeroPadding = ZEROS;
            }
            if (pool != null) {
                return input.conv2dReluMaxPool2d(weight, bias, stride, zeroPadding, dilation, groups,
                        pool.kernelSize(), pool.stride(), pool.padding(), pool.dilation(), pool.ceilMode());
            }
            return relu ? input.conv2dRelu(weight, bias, stride, zeroPadding, dilation, groups)
                    : input.conv2d(weight, bias, stride, zeroPadding, dilation, groups);
        });
    }

    /** 1-d convolution, as {@code F.conv1d}: {@code x [N, Cin, L]}, {@code weight [Cout, Cin / groups, k]}. */
    public static Tensor conv1d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int dilation,
            int groups) {
        Args.notNull(weight, "conv1d", "weight");
        Args.notNull(x, "Functional.conv1d", "x");
        return conv1d(x, weight, bias, stride, padding, false, dilation, groups, PaddingMode.ZEROS);
    }

    /** 1-d convolution with any padding mode and {@code padding="same"}. */
    public static Tensor conv1d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, boolean same,
            int dilation, int groups, PaddingMode mode) {
        Args.notNull(weight, "conv1d", "weight");
        Args.notNull(x, "Functional.conv1d", "x");
        Args.notNull(mode, "Functional.conv1d", "mode");
        if (weight.dim() != 3) {
            throw new IllegalArgumentException("conv1d: weight must be 3-d [Cout, Cin / groups, k], got shape "
                    + Arrays.toString(weight.shape()));
        }
        return batched("conv1d", x, 2, b -> conv2d(b.unsqueeze(2), weight.unsqueeze(2), bias, new int[] {1, stride},
                new int[] {0, padding}, same, new int[] {1, dilation}, groups, mode).squeeze(2));
    }

    /** Transposed 2-d convolution, as {@code F.conv_transpose2d}: {@code weight [Cin, Cout / groups, kh, kw]}. */
    public static Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding,
            int[] outputPadding, int groups, int[] dilation) {
        Args.notNull(weight, "convTranspose2d", "weight");
        Args.notNull(x, "Functional.convTranspose2d", "x");
        Args.notNull(padding, "Functional.convTranspose2d", "padding");
        Args.notNull(outputPadding, "Functional.convTranspose2d", "outputPadding");
        Args.notNull(dilation, "Functional.convTranspose2d", "dilation");
        return batched("convTranspose2d", x, 3,
                b -> b.convTranspose2d(weight, bias, stride, padding, outputPadding, dilation, groups));
    }

    /**
     * Transposed 1-d convolution, as {@code F.conv_transpose1d}: {@code x [N, Cin, L]} (or {@code [Cin, L]}),
     * {@code weight [Cin, Cout / groups, k]}.
     */
    public static Tensor convTranspose1d(Tensor x, Tensor weight, Tensor bias, int stride, int padding,
            int outputPadding, int groups, int dilation) {
        Args.notNull(weight, "convTranspose1d", "weight");
        Args.notNull(x, "Functional.convTranspose1d", "x");
        if (weight.dim() != 3) {
            throw new IllegalArgumentException("convTranspose1d: weight must be 3-d [Cin, Cout / groups, k], got shape "
                    + Arrays.toString(weight.shape()));
        }
        return batched("convTranspose1d", x, 2, b -> b.unsqueeze(2).convTranspose2d(weight.unsqueeze(2), bias,
                new int[] {1, stride}, new int[] {0, padding}, new int[] {0, outputPadding}, new int[] {1, dilation},
                groups).squeeze(2));
    }

    // ============================================================================================ pooling

    /** 2-d max pooling with a square window, stride = window, no padding. */
    public static Tensor maxPool2d(Tensor x, int kernelSize) {
        Args.notNull(x, "Functional.maxPool2d", "x");
        return maxPool2d(x, new int[] {kernelSize, kernelSize}, null, ZEROS, ONES, false);
    }

    /** 2-d max pooling, as {@code F.max_pool2d}; a null or empty stride means stride = kernel size. */
    public static Tensor maxPool2d(Tensor x, int[] kernelSize, int[] stride, int[] padding, int[] dilation,
            boolean ceilMode) {
        Args.notNull(x, "Functional.maxPool2d", "x");
        Args.notNull(kernelSize, "Functional.maxPool2d", "kernelSize");
        Args.notNull(padding, "Functional.maxPool2d", "padding");
        Args.notNull(dilation, "Functional.maxPool2d", "dilation");
        return batched("maxPool2d", x, 3, b -> b.maxPool2d(kernelSize, stride, padding, dilation, ceilMode));
    }

    /** 2-d max pooling returning {@code {values, indices}} (int64 flat positions in each input plane). */
    public static Tensor[] maxPool2dWithIndices(Tensor x, int[] kernelSize, int[] stride, int[] padding,
            int[] dilation, boolean ceilMode) {
        Args.notNull(x, "Functional.maxPool2dWithIndices", "x");
        Args.notNull(kernelSize, "Functional.maxPool2dWithIndices", "kernelSize");
        Args.notNull(padding, "Functional.maxPool2dWithIndices", "padding");
        Args.notNull(dilation, "Functional.maxPool2dWithIndices", "dilation");
        return batchedPair("maxPool2d", x, 3, b -> b.maxPool2dWithIndices(kernelSize, stride, padding, dilation,
                ceilMode));
    }

    /** 1-d max pooling, as {@code F.max_pool1d}; {@code stride <= 0} means stride = kernel size. */
    public static Tensor maxPool1d(Tensor x, int kernelSize, int stride, int padding, int dilation, boolean ceilMode) {
        Args.notNull(x, "Functional.maxPool1d", "x");
        return maxPool1dWithIndices(x, kernelSize, stride, padding, dilation, ceilMode)[0];
    }

    /** 1-d max pooling returning {@code {values, indices}} (int64 positions along the input's last dim). */
    public static Tensor[] maxPool1dWithIndices(Tensor x, int kernelSize, int stride, int padding, int dilation,
            boolean ceilMode) {
        Args.notNull(x, "Functional.maxPool1dWithIndices", "x");
        return batchedPair("maxPool1d", x, 2, b -> {
            Tensor[] r = b.unsqueeze(2).maxPool2dWithIndices(new int[] {1, kernelSize},
                    new int[] {1, stride <= 0 ? kernelSize : stride}, new int[] {0, padding},
                    new int[] {1, dilation}, ceilMode);
            return new Tensor[] {r[0].squeeze(2), r[1].squeeze(2)};
        });
    }

    /** 2-d average pooling, as {@code F.avg_pool2d}; a null or empty stride means stride = kernel size. */
    public static Tensor avgPool2d(Tensor x, int[] kernelSize, int[] stride, int[] padding, boolean countIncludePad) {
        return avgPool2d(x, kernelSize, stride, padding, false, countIncludePad);
    }

    /**
     * 2-d average pooling with {@code ceilMode} (a last partial window, divided by its size clipped to the padded
     * input), as {@code F.avg_pool2d(..., ceil_mode, count_include_pad)}.
     */
    public static Tensor avgPool2d(Tensor x, int[] kernelSize, int[] stride, int[] padding, boolean ceilMode,
            boolean countIncludePad) {
        Args.notNull(x, "Functional.avgPool2d", "x");
        Args.notNull(kernelSize, "Functional.avgPool2d", "kernelSize");
        Args.notNull(padding, "Functional.avgPool2d", "padding");
        return batched("avgPool2d", x, 3, b -> b.avgPool2d(kernelSize,
                stride == null || stride.length == 0 ? kernelSize : stride, padding, ceilMode, countIncludePad));
    }

    /** 1-d average pooling, as {@code F.avg_pool1d}; {@code stride <= 0} means stride = kernel size. */
    public static Tensor avgPool1d(Tensor x, int kernelSize, int stride, int padding, boolean countIncludePad) {
        return avgPool1d(x, kernelSize, stride, padding, false, countIncludePad);
    }

    /** 1-d average pooling with {@code ceilMode}, as {@code F.avg_pool1d(..., ceil_mode, count_include_pad)}. */
    public static Tensor avgPool1d(Tensor x, int kernelSize, int stride, int padding, boolean ceilMode,
            boolean countIncludePad) {
        Args.notNull(x, "Functional.avgPool1d", "x");
        return batched("avgPool1d", x, 2, b -> b.unsqueeze(2).avgPool2d(new int[] {1, kernelSize},
                new int[] {1, stride <= 0 ? kernelSize : stride}, new int[] {0, padding}, ceilMode, countIncludePad)
                .squeeze(2));
    }

    /** Adaptive average pooling to {@code [.., outH, outW]}, as {@code F.adaptive_avg_pool2d}. */
    public static Tensor adaptiveAvgPool2d(Tensor x, int outH, int outW) {
        Args.notNull(x, "Functional.adaptiveAvgPool2d", "x");
        return batched("adaptiveAvgPool2d", x, 3, b -> b.adaptiveAvgPool2d(outH, outW));
    }

    /** Adaptive max pooling to {@code [.., outH, outW]}, as {@code F.adaptive_max_pool2d}. */
    public static Tensor adaptiveMaxPool2d(Tensor x, int outH, int outW) {
        Args.notNull(x, "Functional.adaptiveMaxPool2d", "x");
        return adaptiveMaxPool2dWithIndices(x, outH, outW)[0];
    }

    /** Adaptive max pooling returning {@code {values, indices}}. */
    public static Tensor[] adaptiveMaxPool2dWithIndices(Tensor x, int outH, int outW) {
        Args.notNull(x, "Functional.adaptiveMaxPool2dWithIndices", "x");
        return batchedPair("adaptiveMaxPool2d", x, 3, b -> b.adaptiveMaxPool2dWithIndices(outH, outW));
    }

    // ============================================================================================ padding

    /**
     * Pads the last dims, as {@code F.pad}: {@code pads} holds {@code (before, after)} pairs starting from the
     * last dim ({@code {left, right}} pads the last dim, {@code {left, right, top, bottom}} the last two). Negative
     * pads crop. {@code value} is used by {@link PaddingMode#ZEROS} (a constant); reflect padding must be smaller than
     * the dim, circular padding at most the dim. Differentiable. One implementation with core's {@link Tensor#pad}.
     */
    public static Tensor pad(Tensor x, int[] pads, PaddingMode mode, double value) {
        Args.notNull(x, "Functional.pad", "x");
        Args.notNull(pads, "Functional.pad", "pads");
        Args.notNull(mode, "Functional.pad", "mode");
        return x.pad(pads, mode == PaddingMode.ZEROS ? "constant" : mode.name().toLowerCase(java.util.Locale.ROOT),
                mode == PaddingMode.ZEROS ? value : 0);
    }

    // ============================================================================================ normalisation

    /**
     * Batch normalisation over dim 1 (channels) of {@code x [N, C, ...]}, as {@code F.batch_norm}. In training (or
     * without running statistics) it uses the batch's mean and biased variance and, when running tensors are given,
     * updates them in place: {@code running = (1 - momentum) running + momentum batch}, with the unbiased variance;
     * otherwise it uses the running statistics. {@code weight}, {@code bias} may be null.
     */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
            boolean training, double momentum, double eps) {
        Args.notNull(x, "Functional.batchNorm", "x");
        if (x.dim() < 2) {
            throw new IllegalArgumentException("batchNorm: expects an input [N, C, ...], got shape "
                    + Arrays.toString(x.shape()));
        }
        int channels = x.size(1);
        int[] dims = new int[x.dim() - 1];
        dims[0] = 0;
        for (int d = 2; d < x.dim(); d++) dims[d - 1] = d;
        int[] channelShape = new int[x.dim()];
        Arrays.fill(channelShape, 1);
        channelShape[1] = channels;
        Tensor mean;
        Tensor var;
        boolean useBatch = training || runningMean == null;
        if (useBatch) {
            int count = x.numel() / Math.max(channels, 1);
            if (training && count <= 1) {
                throw new IllegalArgumentException("batchNorm: expected more than 1 value per channel when training,"
                        + " got input shape " + Arrays.toString(x.shape()) + "; use a larger batch or eval()");
            }
            mean = x.mean(dims, true);
            var = x.var(dims, 0, true);
            if (training && runningMean != null) {
                try (Grad.Scope off = Grad.disabled()) {
                    runningMean.mulInPlace(1 - momentum).addInPlace(mean.detach().reshape(channels), momentum);
                    Tensor unbiased = var.detach().reshape(channels).mul((double) count / (count - 1));
                    runningVar.mulInPlace(1 - momentum).addInPlace(unbiased, momentum);
                }
            }
        } else {
            mean = runningMean.reshape(channelShape);
            var = runningVar.reshape(channelShape);
        }
        Tensor y = x.sub(mean).mul(var.add(eps).rsqrt());
        if (weight != null) {
            y = y.mul(weight.reshape(channelShape));
        }
        return bias == null ? y : y.add(bias.reshape(channelShape));
    }

    /**
     * Layer normalisation over the last {@code normalizedShape.length} dims, as {@code F.layer_norm}: biased variance,
     * {@code (x - mean) / sqrt(var + eps) * weight + bias}; weight and bias (shape {@code normalizedShape}) may be null.
     */
    public static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        Args.notNull(x, "Functional.layerNorm", "x");
        Args.notNull(normalizedShape, "Functional.layerNorm", "normalizedShape");
        int[] dims = trailingDims("layerNorm", x, normalizedShape);
        Tensor y = x.sub(x.mean(dims, true)).mul(x.var(dims, 0, true).add(eps).rsqrt());
        if (weight != null) {
            y = y.mul(weight);
        }
        return bias == null ? y : y.add(bias);
    }

    /**
     * Root-mean-square normalisation over the last dims, as {@code F.rms_norm}: {@code x / sqrt(mean(x^2) + eps) *
     * weight}; {@code eps <= 0} (or NaN) means the dtype's machine epsilon, PyTorch's default.
     */
    public static Tensor rmsNorm(Tensor x, int[] normalizedShape, Tensor weight, double eps) {
        Args.notNull(x, "Functional.rmsNorm", "x");
        Args.notNull(normalizedShape, "Functional.rmsNorm", "normalizedShape");
        int[] dims = trailingDims("rmsNorm", x, normalizedShape);
        double e = eps > 0 ? eps : x.dtype() == DType.FLOAT32 ? Math.ulp(1.0f) : Math.ulp(1.0);
        Tensor y = x.mul(x.square().mean(dims, true).add(e).rsqrt());
        return weight == null ? y : y.mul(weight);
    }

    /**
     * Group normalisation, as {@code F.group_norm}: the channels of {@code x [N, C, ...]} are split into
     * {@code numGroups} groups, each normalised over its channels and positions; then the per-channel affine.
     */
    public static Tensor groupNorm(Tensor x, int numGroups, Tensor weight, Tensor bias, double eps) {
        Args.notNull(x, "Functional.groupNorm", "x");
        if (x.dim() < 2 || numGroups <= 0 || x.size(1) % numGroups != 0) {
            throw new IllegalArgumentException("groupNorm: expects an input [N, C, ...] whose C is divisible by"
                    + " numGroups = " + numGroups + ", got shape " + Arrays.toString(x.shape()));
        }
        int[] shape = x.shape();
        Tensor g = x.reshape(shape[0], numGroups, -1);
        int[] dims = {2};
        Tensor y = g.sub(g.mean(dims, true)).mul(g.var(dims, 0, true).add(eps).rsqrt()).reshape(shape);
        int[] channelShape = new int[x.dim()];
        Arrays.fill(channelShape, 1);
        channelShape[1] = shape[1];
        if (weight != null) {
            y = y.mul(weight.reshape(channelShape));
        }
        return bias == null ? y : y.add(bias.reshape(channelShape));
    }

    private static int[] trailingDims(String op, Tensor x, int[] normalizedShape) {
        int k = normalizedShape.length;
        int[] shape = x.shape();
        boolean ok = k > 0 && k <= shape.length;
        for (int i = 0; ok && i < k; i++) ok = shape[shape.length - k + i] == normalizedShape[i];
        if (!ok) {
            throw new IllegalArgumentException(op + ": normalizedShape " + Arrays.toString(normalizedShape)
                    + " must match the last dims of the input, got shape " + Arrays.toString(shape));
        }
        int[] dims = new int[k];
        for (int i = 0; i < k; i++) dims[i] = shape.length - k + i;
        return dims;
    }

    /**
     * Channel dropout, as {@code F.dropout2d}: in training, zeroes whole channels of {@code x [N, C, H, W]} (or
     * {@code [C, H, W]}) with probability {@code p} and scales the rest by {@code 1 / (1 - p)}.
     */
    public static Tensor dropout2d(Tensor x, double p, boolean training, RandomGenerator rng) {
        Args.notNull(x, "Functional.dropout2d", "x");
        Activations.checkDropoutP(p);
        if (x.dim() != 3 && x.dim() != 4) {
            throw new IllegalArgumentException("dropout2d: expects [N, C, H, W] or [C, H, W], got shape "
                    + Arrays.toString(x.shape()));
        }
        if (!training || p == 0) {
            return x;
        }
        int[] maskShape = x.shape();
        for (int d = maskShape.length - 2; d < maskShape.length; d++) maskShape[d] = 1;
        Tensor ones = Tensor.ones(DType.FLOAT64, maskShape);
        return x.mul(Activations.dropout(ones, p, true, rng).to(x.dtype()));
    }

    // ============================================================================================ helpers

    private static void checkPair(String op, String what, int[] v) {
        if (v == null || v.length != 2) {
            throw new IllegalArgumentException(op + ": " + what + " must have 2 entries {height, width}, got "
                    + Arrays.toString(v));
        }
    }

    /** Adds a batch dim to an input of rank {@code unbatchedRank} and removes it from the result. */
    private static Tensor batched(String op, Tensor x, int unbatchedRank, java.util.function.UnaryOperator<Tensor> f) {
        checkRank(op, x, unbatchedRank);
        return x.dim() == unbatchedRank ? f.apply(x.unsqueeze(0)).squeeze(0) : f.apply(x);
    }

    private static Tensor[] batchedPair(String op, Tensor x, int unbatchedRank,
            java.util.function.Function<Tensor, Tensor[]> f) {
        checkRank(op, x, unbatchedRank);
        if (x.dim() != unbatchedRank) {
            return f.apply(x);
        }
        Tensor[] r = f.apply(x.unsqueeze(0));
        return new Tensor[] {r[0].squeeze(0), r[1].squeeze(0)};
    }

    private static void checkRank(String op, Tensor x, int unbatchedRank) {
        Args.notNull(x, op, "x");
        if (x.dim() != unbatchedRank && x.dim() != unbatchedRank + 1) {
            throw new IllegalArgumentException(op + ": expects a " + (unbatchedRank + 1) + "-d batched or "
                    + unbatchedRank + "-d unbatched input, got shape " + Arrays.toString(x.shape()));
        }
    }

    // ============================================================================================ distances

    /**
     * The p-norm along {@code dim}: 2 via the sum of squares, 1 via absolute values, infinity via the max. At a zero
     * vector the root's derivative is infinite; there the value 0 is given with gradient 0, PyTorch's subgradient.
     */
    private static Tensor norm(Tensor x, double p, int dim, boolean keepDim) {
        if (!(p > 0)) {
            throw new IllegalArgumentException("norm: p must be positive, got " + p);
        }
        if (p == 1) {
            return x.abs().sum(dim, keepDim);
        }
        if (Double.isInfinite(p)) {
            return x.abs().amax(new int[] {dim}, keepDim);
        }
        Tensor powers = p == 2 ? x.square().sum(dim, keepDim) : x.abs().pow(p).sum(dim, keepDim);
        Tensor zero = powers.eq(0);
        Tensor safe = Tensor.where(zero, powers.onesLike(), powers);
        Tensor root = p == 2 ? safe.sqrt() : safe.pow(1 / p);
        return Tensor.where(zero, powers.zerosLike(), root);
    }

    /**
     * {@code x / max(||x||_p, eps)} along {@code dim}, as {@code F.normalize} (p = 2, eps = 1e-12 by default). A zero
     * vector stays zero.
     */
    public static Tensor normalize(Tensor x, double p, int dim, double eps) {
        Args.notNull(x, "Functional.normalize", "x");
        return x.div(norm(x, p, dim, true).clampMin(eps));
    }

    /** {@link #normalize(Tensor, double, int, double)} with p = 2 along the last dim, eps 1e-12. */
    public static Tensor normalize(Tensor x) {
        Args.notNull(x, "Functional.normalize", "x");
        return normalize(x, 2, -1, 1e-12);
    }

    /**
     * Cosine similarity along {@code dim}, as {@code F.cosine_similarity}: {@code sum((x1 / max(||x1||, eps)) (x2 /
     * max(||x2||, eps)))}; the inputs broadcast. Default eps 1e-8.
     */
    public static Tensor cosineSimilarity(Tensor x1, Tensor x2, int dim, double eps) {
        Args.notNull(x1, "Functional.cosineSimilarity", "x1");
        Args.notNull(x2, "Functional.cosineSimilarity", "x2");
        return normalize(x1, 2, dim, eps).mul(normalize(x2, 2, dim, eps)).sum(dim);
    }

    /** {@code ||x1 - x2 + eps||_p} along the last dim, as {@code F.pairwise_distance} (p 2, eps 1e-6 by default). */
    public static Tensor pairwiseDistance(Tensor x1, Tensor x2, double p, double eps, boolean keepDim) {
        Args.notNull(x1, "Functional.pairwiseDistance", "x1");
        Args.notNull(x2, "Functional.pairwiseDistance", "x2");
        return norm(x1.sub(x2).add(eps), p, -1, keepDim);
    }

    // ============================================================================================ attention

    /**
     * Scaled dot-product attention, as {@code F.scaled_dot_product_attention}: {@code softmax(q k^T / sqrt(E) + mask)
     * v} over {@code q [..., L, E]}, {@code k [..., S, E]}, {@code v [..., S, Ev]} (leading dims broadcast).
     * {@code attnMask} (or null) is {@code [L, S]} or broadcastable: a floating-point mask is added to the scores, a
     * bool mask says, as PyTorch's, which keys each query may attend (true = attend, false = blocked; for the
     * opposite convention, {@link #maskFill} turns a "blocked" mask into an additive one); {@code isCausal} blocks
     * keys after each query. With
     * {@code dropoutP > 0} the attention weights are dropped (inverted dropout) using {@code rng}.
     */
    public static Tensor scaledDotProductAttention(Tensor q, Tensor k, Tensor v, Tensor attnMask, double dropoutP,
            boolean isCausal, RandomGenerator rng) {
        Args.notNull(q, "Functional.scaledDotProductAttention", "q");
        Args.notNull(k, "Functional.scaledDotProductAttention", "k");
        Args.notNull(v, "Functional.scaledDotProductAttention", "v");
        return attention(q, k, v, attnMask, dropoutP, isCausal, rng)[0];
    }

    /** {@link #scaledDotProductAttention} returning {@code {output, weights}}, the weights {@code [..., L, S]}. */
    static Tensor[] attention(Tensor q, Tensor k, Tensor v, Tensor attnMask, double dropoutP, boolean isCausal,
            RandomGenerator rng) {
        Args.notNull(q, "scaledDotProductAttention", "q");
        Args.notNull(k, "scaledDotProductAttention", "k");
        Args.notNull(v, "scaledDotProductAttention", "v");
        if (q.dim() < 2 || k.dim() < 2 || v.dim() < 2 || q.size(-1) != k.size(-1) || k.size(-2) != v.size(-2)) {
            throw new IllegalArgumentException("scaledDotProductAttention: expects q [..., L, E], k [..., S, E] and"
                    + " v [..., S, Ev], got " + Arrays.toString(q.shape()) + ", " + Arrays.toString(k.shape()) + ", "
                    + Arrays.toString(v.shape()));
        }
        Tensor scores = q.matmul(k.mT()).mul(1 / Math.sqrt(q.size(-1)));
        if (isCausal) {
            scores = scores.add(causalMask(q.size(-2), k.size(-2), q.dtype()));
        }
        if (attnMask != null) {
            scores = scores.add(attnMask.dtype() == DType.BOOL ? maskFill(attnMask.logicalNot(), scores.dtype())
                    : additiveMask("scaledDotProductAttention", "attnMask", attnMask, scores.dtype()));
        }
        Tensor weights = scores.softmax(-1);
        Tensor used = dropoutP > 0
                ? Activations.dropout(weights, dropoutP, true, rng == null ? Init.generator() : rng) : weights;
        return new Tensor[] {used.matmul(v), weights};
    }

    /** {@code [L, S]} with 0 where key {@code s <= l} and -infinity after: the causal (square subsequent) mask. */
    public static Tensor causalMask(int l, int s, DType dtype) {
        Args.notNull(dtype, "Functional.causalMask", "dtype");
        if (l < 0 || s < 0 || (long) l * s > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("causalMask: sizes must be non-negative with l * s within an array,"
                    + " got " + l + " x " + s);
        }
        checkFloating("causalMask", dtype);
        double[] m = new double[l * s];
        for (int i = 0; i < l; i++) {
            for (int j = i + 1; j < s; j++) m[i * s + j] = Double.NEGATIVE_INFINITY;
        }
        return Tensor.of(m, l, s).to(dtype);
    }

    /**
     * An additive mask from a "blocked" mask: -infinity where {@code blocked} is true (or non-zero), 0 elsewhere, in
     * the floating-point {@code dtype} (the convention of {@link MultiheadAttention}'s bool masks, where true means
     * "not allowed to attend").
     */
    public static Tensor maskFill(Tensor blocked, DType dtype) {
        Args.notNull(blocked, "maskFill", "blocked");
        Args.notNull(dtype, "maskFill", "dtype");
        checkFloating("maskFill", dtype);
        Tensor b = blocked.dtype() == DType.BOOL ? blocked : blocked.ne(0);
        return Tensor.where(b, Tensor.full(Double.NEGATIVE_INFINITY, dtype, b.shape()), Tensor.zeros(dtype, b.shape()));
    }

    /** A floating-point mask converted to the scores' dtype; an integer one is refused (bool is handled by callers). */
    static Tensor additiveMask(String op, String what, Tensor mask, DType dtype) {
        if (!mask.dtype().isFloatingPoint()) {
            throw new DTypeMismatchException(op + ": " + what + " must be bool or floating point (added to the"
                    + " scores), got " + mask.dtype() + " of shape " + Arrays.toString(mask.shape())
                    + "; convert a 0/1 mask with .to(DType.BOOL)");
        }
        return mask.to(dtype);
    }

    private static void checkFloating(String op, DType dtype) {
        if (!dtype.isFloatingPoint()) {
            throw new DTypeMismatchException(op + ": the mask's dtype must be floating point, got " + dtype);
        }
    }
}
