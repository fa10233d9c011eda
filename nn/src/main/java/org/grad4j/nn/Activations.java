package org.grad4j.nn;

import java.util.random.RandomGenerator;
import org.grad4j.core.Tensor;

/**
 * Activation functions as static methods, as {@code torch.nn.functional}; each also exists as a module
 * ({@link ReLU}, {@link GELU}, ...). All are compositions of core tensor ops, so their gradients come from the
 * engine, and all give finite values and finite gradients for inputs as large as {@code +-1000} in float32 and
 * float64.
 * <pre>{@code
 * import static org.grad4j.nn.Activations.*;
 * Tensor h = gelu(x.matmul(w));
 * Tensor p = softmax(logits, -1);
 * }</pre>
 */
public final class Activations {
    private Activations() {
    }

    /** How {@link #gelu(Tensor, GeluApproximation)} computes the Gaussian CDF. */
    public enum GeluApproximation {
        /** Exact: {@code 0.5 * (1 + erf(x / sqrt(2)))} (PyTorch's default). */
        NONE,
        /** {@code 0.5 * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3)))}, PyTorch's {@code approximate='tanh'}. */
        TANH
    }

    /** {@code max(x, 0)}; gradient 0 at 0, as PyTorch. */
    public static Tensor relu(Tensor x) {
        Args.notNull(x, "relu", "x");
        return x.relu();
    }

    /** {@code x} where {@code x > 0}, else {@code slope * x}, as {@code F.leaky_relu} (PyTorch's default slope 0.01). */
    public static Tensor leakyRelu(Tensor x, double negativeSlope) {
        Args.notNull(x, "leakyRelu", "x");
        if (Double.isNaN(negativeSlope)) {
            throw new IllegalArgumentException("leakyRelu: negativeSlope is NaN");
        }
        return PiecewiseLinear.leakyRelu(x, negativeSlope);
    }

    /** {@link #leakyRelu(Tensor, double)} with slope 0.01. */
    public static Tensor leakyRelu(Tensor x) {
        Args.notNull(x, "leakyRelu", "x");
        return leakyRelu(x, 0.01);
    }

    /** {@code 1 / (1 + exp(-x))}; exactly 0 or 1 far out, never NaN. */
    public static Tensor sigmoid(Tensor x) {
        Args.notNull(x, "sigmoid", "x");
        return x.sigmoid();
    }

    /** Hyperbolic tangent; exactly +-1 far out. */
    public static Tensor tanh(Tensor x) {
        Args.notNull(x, "tanh", "x");
        return x.tanh();
    }

    /** Softmax along {@code dim}, shifted by the (detached) max so it cannot overflow. */
    public static Tensor softmax(Tensor x, int dim) {
        Args.notNull(x, "softmax", "x");
        return x.softmax(dim);
    }

    /** {@code x - logSumExp(x)} along {@code dim}: finite for any finite input. */
    public static Tensor logSoftmax(Tensor x, int dim) {
        Args.notNull(x, "logSoftmax", "x");
        return x.logSoftmax(dim);
    }

    /** Exact GELU, {@code x * Phi(x) = 0.5 x (1 + erf(x / sqrt(2)))}, PyTorch's default. */
    public static Tensor gelu(Tensor x) {
        Args.notNull(x, "gelu", "x");
        return gelu(x, GeluApproximation.NONE);
    }

    /** GELU, exact or with the tanh approximation. */
    public static Tensor gelu(Tensor x, GeluApproximation approximation) {
        Args.notNull(x, "gelu", "x");
        Args.notNull(approximation, "gelu", "approximation");
        if (approximation == GeluApproximation.TANH) {
            Tensor inner = x.add(x.pow(3).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
            return x.mul(inner.tanh().add(1)).mul(0.5);
        }
        return x.mul(x.mul(1 / Math.sqrt(2)).erf().add(1)).mul(0.5);
    }

    /** SiLU (swish), {@code x * sigmoid(x)}. */
    public static Tensor silu(Tensor x) {
        Args.notNull(x, "silu", "x");
        return x.mul(x.sigmoid());
    }

    /** {@link #softplus(Tensor, double, double)} with PyTorch's defaults {@code beta = 1, threshold = 20}. */
    public static Tensor softplus(Tensor x) {
        Args.notNull(x, "softplus", "x");
        return softplus(x, 1, 20);
    }

    /**
     * {@code log(1 + exp(beta x)) / beta}, and {@code x} itself where {@code beta x > threshold}, as
     * {@code F.softplus}. The log term is evaluated in a form that cannot overflow whatever the threshold.
     */
    public static Tensor softplus(Tensor x, double beta, double threshold) {
        Args.notNull(x, "softplus", "x");
        if (!(beta > 0) || Double.isInfinite(beta) || Double.isNaN(threshold)) {
            throw new IllegalArgumentException("softplus: beta must be positive and finite and threshold a number,"
                    + " got beta=" + beta + ", threshold=" + threshold);
        }
        Tensor bx = beta == 1 ? x : x.mul(beta);
        Tensor soft = log1pExp(bx);
        if (beta != 1) {
            soft = soft.div(beta);
        }
        return Tensor.where(bx.gt(threshold), x, soft);
    }

    /** {@code log(sigmoid(x)) = -softplus(-x)}, finite for any finite input. */
    public static Tensor logSigmoid(Tensor x) {
        Args.notNull(x, "logSigmoid", "x");
        return log1pExp(x.neg()).neg();
    }

    /**
     * {@code log(1 + exp(z))} without overflow: {@code z + log1p(exp(-z))} for {@code z > 0}, else
     * {@code log1p(exp(z))}. Each branch sees its input clamped to its own side of 0, so the branch that
     * {@code where} discards never produces an infinity (whose zero gradient would turn into NaN).
     */
    static Tensor log1pExp(Tensor z) {
        Tensor pos = z.clampMin(0);
        Tensor neg = z.clampMax(0);
        Tensor positive = pos.add(pos.neg().exp().log1p());
        Tensor negative = neg.exp().log1p();
        return Tensor.where(z.gt(0), positive, negative);
    }

    /**
     * Inverted dropout: when {@code training}, zeroes each element with probability {@code p} (drawn from
     * {@code rng}) and scales the rest by {@code 1 / (1 - p)}; otherwise returns {@code x} itself.
     */
    public static Tensor dropout(Tensor x, double p, boolean training, RandomGenerator rng) {
        Args.notNull(x, "dropout", "x");
        Args.notNull(rng, "dropout", "rng");
        checkDropoutP(p);
        if (!training || p == 0) {
            return x;
        }
        boolean[] keep = new boolean[x.numel()];
        for (int i = 0; i < keep.length; i++) {
            keep[i] = rng.nextDouble() >= p;
        }
        Tensor kept = x.mul(1 / (1 - p));
        return Tensor.where(Tensor.ofShape(keep, x.shape()), kept, Tensor.scalar(0, kept.dtype()));
    }

    static void checkDropoutP(double p) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout: probability p must be in [0, 1), got " + p);
        }
    }

    // ------------------------------------------------------------------------------------------------ more activations

    /**
     * {@code x} where {@code x > 0}, else {@code alpha (exp(x) - 1)}, as {@code F.elu} (alpha 1 by default). The
     * exponential only sees {@code min(x, 0)}, so large inputs cannot overflow the unused branch.
     */
    public static Tensor elu(Tensor x, double alpha) {
        Args.notNull(x, "elu", "x");
        return Tensor.where(x.gt(0), x, x.clampMax(0).expm1().mul(alpha));
    }

    /** {@link #elu(Tensor, double)} with alpha 1. */
    public static Tensor elu(Tensor x) {
        Args.notNull(x, "elu", "x");
        return elu(x, 1);
    }

    /** SELU's constants, as PyTorch: {@code alpha = 1.6732632423543772}, {@code scale = 1.0507009873554805}. */
    public static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    /** See {@link #SELU_ALPHA}. */
    public static final double SELU_SCALE = 1.0507009873554804934193349852946;

    /** {@code scale * elu(x, alpha)} with the self-normalising constants, as {@code F.selu}. */
    public static Tensor selu(Tensor x) {
        Args.notNull(x, "selu", "x");
        return elu(x, SELU_ALPHA).mul(SELU_SCALE);
    }

    /** {@code max(0, x) + min(0, alpha (exp(x / alpha) - 1))}, as {@code F.celu}; alpha must be non-zero. */
    public static Tensor celu(Tensor x, double alpha) {
        Args.notNull(x, "celu", "x");
        if (alpha == 0 || Double.isNaN(alpha)) {
            throw new IllegalArgumentException("celu: alpha must be non-zero, got " + alpha);
        }
        return Tensor.where(x.gt(0), x, x.clampMax(0).div(alpha).expm1().mul(alpha));
    }

    /** Mish, {@code x tanh(softplus(x))}. */
    public static Tensor mish(Tensor x) {
        Args.notNull(x, "mish", "x");
        return x.mul(softplus(x).tanh());
    }

    /**
     * {@code x} where {@code x > 0}, else {@code weight * x}, as {@code F.prelu}: a weight of one element is shared;
     * a weight of {@code C} elements applies per channel (dim 1 of the input, or dim 0 of a 1-d input).
     */
    public static Tensor prelu(Tensor x, Tensor weight) {
        Args.notNull(x, "prelu", "x");
        Args.notNull(weight, "prelu", "weight");
        Tensor w = weight;
        if (weight.numel() > 1) {
            int channelDim = x.dim() >= 2 ? 1 : 0;
            if (x.dim() == 0 || x.size(channelDim) != weight.numel()) {
                throw new IllegalArgumentException("prelu: " + weight.numel() + " weights need an input with "
                        + weight.numel() + " channels in dim " + channelDim + ", got shape "
                        + java.util.Arrays.toString(x.shape()));
            }
            int[] shape = new int[x.dim() - channelDim];
            java.util.Arrays.fill(shape, 1);
            shape[0] = weight.numel();
            w = weight.reshape(shape);
        } else {
            w = weight.reshape();
        }
        return Tensor.where(x.gt(0), x, x.mul(w));
    }

    /** {@code clamp(x, min, max)}, as {@code F.hardtanh} (defaults -1 and 1). */
    public static Tensor hardtanh(Tensor x, double min, double max) {
        Args.notNull(x, "hardtanh", "x");
        if (!(min <= max)) {
            throw new IllegalArgumentException("hardtanh: min (" + min + ") must not exceed max (" + max + ")");
        }
        return x.clamp(min, max);
    }

    /** {@code clamp(x / 6 + 1/2, 0, 1)}, as {@code F.hardsigmoid}. */
    public static Tensor hardsigmoid(Tensor x) {
        Args.notNull(x, "hardsigmoid", "x");
        return x.div(6).add(0.5).clamp(0, 1);
    }

    /** {@code x * hardsigmoid(x)}, as {@code F.hardswish}. */
    public static Tensor hardswish(Tensor x) {
        Args.notNull(x, "hardswish", "x");
        return x.mul(hardsigmoid(x));
    }

    /** {@code x / (1 + |x|)}. */
    public static Tensor softsign(Tensor x) {
        Args.notNull(x, "softsign", "x");
        return x.div(x.abs().add(1));
    }

    /** {@code x - tanh(x)}. */
    public static Tensor tanhshrink(Tensor x) {
        Args.notNull(x, "tanhshrink", "x");
        return x.sub(x.tanh());
    }
}
