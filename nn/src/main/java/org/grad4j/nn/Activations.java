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
        return x.relu();
    }

    /** {@code x} where {@code x > 0}, else {@code slope * x}, as {@code F.leaky_relu} (PyTorch's default slope 0.01). */
    public static Tensor leakyRelu(Tensor x, double negativeSlope) {
        return Tensor.where(x.gt(0), x, x.mul(negativeSlope));
    }

    /** {@link #leakyRelu(Tensor, double)} with slope 0.01. */
    public static Tensor leakyRelu(Tensor x) {
        return leakyRelu(x, 0.01);
    }

    /** {@code 1 / (1 + exp(-x))}; exactly 0 or 1 far out, never NaN. */
    public static Tensor sigmoid(Tensor x) {
        return x.sigmoid();
    }

    /** Hyperbolic tangent; exactly +-1 far out. */
    public static Tensor tanh(Tensor x) {
        return x.tanh();
    }

    /** Softmax along {@code dim}, shifted by the (detached) max so it cannot overflow. */
    public static Tensor softmax(Tensor x, int dim) {
        return x.softmax(dim);
    }

    /** {@code x - logSumExp(x)} along {@code dim}: finite for any finite input. */
    public static Tensor logSoftmax(Tensor x, int dim) {
        return x.logSoftmax(dim);
    }

    /** Exact GELU, {@code x * Phi(x) = 0.5 x (1 + erf(x / sqrt(2)))}, PyTorch's default. */
    public static Tensor gelu(Tensor x) {
        return gelu(x, GeluApproximation.NONE);
    }

    /** GELU, exact or with the tanh approximation. */
    public static Tensor gelu(Tensor x, GeluApproximation approximation) {
        if (approximation == GeluApproximation.TANH) {
            Tensor inner = x.add(x.pow(3).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
            return x.mul(inner.tanh().add(1)).mul(0.5);
        }
        return x.mul(x.mul(1 / Math.sqrt(2)).erf().add(1)).mul(0.5);
    }

    /** SiLU (swish), {@code x * sigmoid(x)}. */
    public static Tensor silu(Tensor x) {
        return x.mul(x.sigmoid());
    }

    /** {@link #softplus(Tensor, double, double)} with PyTorch's defaults {@code beta = 1, threshold = 20}. */
    public static Tensor softplus(Tensor x) {
        return softplus(x, 1, 20);
    }

    /**
     * {@code log(1 + exp(beta x)) / beta}, and {@code x} itself where {@code beta x > threshold}, as
     * {@code F.softplus}. The log term is evaluated in a form that cannot overflow whatever the threshold.
     */
    public static Tensor softplus(Tensor x, double beta, double threshold) {
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
}
