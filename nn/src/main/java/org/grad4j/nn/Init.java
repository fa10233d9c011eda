package org.grad4j.nn;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.grad4j.core.DType;
import org.grad4j.core.Grad;
import org.grad4j.core.Grad4j;
import org.grad4j.core.Tensor;

/**
 * Weight initialisers, as {@code torch.nn.init}. Each fills a tensor in place (in no-grad mode, so it works on
 * parameters that require grad) and returns it. Random ones take a {@link RandomGenerator}, or use the default
 * generator, which {@link Grad4j#manualSeed(long)} seeds (as {@code torch.manual_seed}).
 * <pre>{@code
 * Linear layer = new Linear(256, 128);
 * Init.kaimingNormal(layer.weight(), 0, FanMode.FAN_IN, Nonlinearity.RELU, new SplittableRandom(42));
 * Init.zeros(layer.bias());
 * }</pre>
 * Fans follow PyTorch: for a tensor of shape {@code [out, in, k1, k2, ...]}, {@code fanIn = in * k1 * k2 * ...}
 * and {@code fanOut = out * k1 * k2 * ...}; at least 2 dims are needed.
 */
public final class Init {
    private Init() {
    }

    /** Which fan {@code kaiming*} scales by: {@code FAN_IN} keeps the forward variance, {@code FAN_OUT} the backward. */
    public enum FanMode {
        /** Scale by the number of inputs of each unit. */
        FAN_IN,
        /** Scale by the number of outputs of each unit. */
        FAN_OUT
    }

    /** Nonlinearities for {@link #calculateGain}, as PyTorch's names. */
    public enum Nonlinearity {
        /** No nonlinearity (gain 1). */
        LINEAR,
        /** A 1-d convolution (gain 1). */
        CONV1D,
        /** A 2-d convolution (gain 1). */
        CONV2D,
        /** A 3-d convolution (gain 1). */
        CONV3D,
        /** Sigmoid (gain 1). */
        SIGMOID,
        /** Tanh (gain 5/3). */
        TANH,
        /** ReLU (gain sqrt(2)). */
        RELU,
        /** Leaky ReLU (gain {@code sqrt(2 / (1 + slope^2))}). */
        LEAKY_RELU,
        /** SELU (gain 3/4). */
        SELU
    }

    /**
     * The default generator of this thread, {@link Grad4j#generator()}: randomly seeded unless
     * {@link Grad4j#manualSeed(long)} (or {@link #manualSeed(long)}) was called.
     */
    public static RandomGenerator generator() {
        return Grad4j.generator();
    }

    /** Same as {@link Grad4j#manualSeed(long)}: seeds initialisers, dropout and data shuffling in one call. */
    public static void manualSeed(long seed) {
        Grad4j.manualSeed(seed);
    }

    // -------------------------------------------------------------------------------------------------- gain, fans

    /**
     * The recommended gain for a nonlinearity, as {@code torch.nn.init.calculate_gain}: 1 for linear, conv and
     * sigmoid, 5/3 for tanh, sqrt(2) for relu, {@code sqrt(2 / (1 + slope^2))} for leaky relu (slope {@code param}),
     * 3/4 for selu.
     */
    public static double calculateGain(Nonlinearity nonlinearity, double param) {
        Args.notNull(nonlinearity, "Init.calculateGain", "nonlinearity");
        return switch (nonlinearity) {
            case LINEAR, CONV1D, CONV2D, CONV3D, SIGMOID -> 1.0;
            case TANH -> 5.0 / 3;
            case RELU -> Math.sqrt(2.0);
            case LEAKY_RELU -> Math.sqrt(2.0 / (1 + param * param));
            case SELU -> 3.0 / 4;
        };
    }

    /** {@link #calculateGain(Nonlinearity, double)} with PyTorch's default leaky-relu slope 0.01. */
    public static double calculateGain(Nonlinearity nonlinearity) {
        Args.notNull(nonlinearity, "Init.calculateGain", "nonlinearity");
        return calculateGain(nonlinearity, 0.01);
    }

    /** {@code {fanIn, fanOut}} of a tensor with at least 2 dims. */
    public static int[] fans(Tensor t) {
        Args.notNull(t, "Init.fans", "t");
        int[] shape = t.shape();
        if (shape.length < 2) {
            throw new IllegalArgumentException("Init: fan in and fan out cannot be computed for a tensor with fewer"
                    + " than 2 dimensions (shape " + Arrays.toString(shape) + ")");
        }
        int receptive = 1;
        for (int d = 2; d < shape.length; d++) receptive *= shape[d];
        return new int[] {shape[1] * receptive, shape[0] * receptive};
    }

    // -------------------------------------------------------------------------------------------------- constants

    /** Fills with 0. */
    public static Tensor zeros(Tensor t) {
        Args.notNull(t, "Init.zeros", "t");
        return constant(t, 0);
    }

    /** Fills with 1. */
    public static Tensor ones(Tensor t) {
        Args.notNull(t, "Init.ones", "t");
        return constant(t, 1);
    }

    /** Fills with {@code value}. */
    public static Tensor constant(Tensor t, double value) {
        Args.notNull(t, "Init.constant", "t");
        return Grad.noGrad(() -> t.fill(value));
    }

    // -------------------------------------------------------------------------------------------------- random

    /** Uniform values in {@code [low, high)}. */
    public static Tensor uniform(Tensor t, double low, double high, RandomGenerator rng) {
        Args.notNull(t, "Init.uniform", "t");
        Args.notNull(rng, "Init.uniform", "rng");
        if (!(low <= high) || Double.isInfinite(low) || Double.isInfinite(high)) {
            throw new IllegalArgumentException("Init.uniform: need finite low <= high, got low=" + low
                    + ", high=" + high);
        }
        double[] v = new double[t.numel()];
        for (int i = 0; i < v.length; i++) v[i] = low + (high - low) * rng.nextDouble();
        return write(t, v);
    }

    /** {@link #uniform(Tensor, double, double, RandomGenerator)} with the thread's default generator. */
    public static Tensor uniform(Tensor t, double low, double high) {
        Args.notNull(t, "Init.uniform", "t");
        return uniform(t, low, high, generator());
    }

    /** Normal values with the given mean and standard deviation. */
    public static Tensor normal(Tensor t, double mean, double std, RandomGenerator rng) {
        Args.notNull(t, "Init.normal", "t");
        Args.notNull(rng, "Init.normal", "rng");
        if (!(std >= 0) || Double.isInfinite(std) || !Double.isFinite(mean)) {
            throw new IllegalArgumentException("Init.normal: need a finite mean and a finite std >= 0, got mean="
                    + mean + ", std=" + std);
        }
        double[] v = new double[t.numel()];
        for (int i = 0; i < v.length; i++) v[i] = mean + std * rng.nextGaussian();
        return write(t, v);
    }

    /** {@link #normal(Tensor, double, double, RandomGenerator)} with the thread's default generator. */
    public static Tensor normal(Tensor t, double mean, double std) {
        Args.notNull(t, "Init.normal", "t");
        return normal(t, mean, std, generator());
    }

    /** Glorot uniform: {@code U(-a, a)} with {@code a = gain * sqrt(6 / (fanIn + fanOut))}. */
    public static Tensor xavierUniform(Tensor t, double gain, RandomGenerator rng) {
        Args.notNull(t, "Init.xavierUniform", "t");
        Args.notNull(rng, "Init.xavierUniform", "rng");
        int[] f = fans(t);
        double a = gain * Math.sqrt(6.0 / (f[0] + f[1]));
        return uniform(t, -a, a, rng);
    }

    /** {@link #xavierUniform(Tensor, double, RandomGenerator)} with the thread's default generator. */
    public static Tensor xavierUniform(Tensor t, double gain) {
        Args.notNull(t, "Init.xavierUniform", "t");
        return xavierUniform(t, gain, generator());
    }

    /** Glorot normal: {@code N(0, std^2)} with {@code std = gain * sqrt(2 / (fanIn + fanOut))}. */
    public static Tensor xavierNormal(Tensor t, double gain, RandomGenerator rng) {
        Args.notNull(t, "Init.xavierNormal", "t");
        Args.notNull(rng, "Init.xavierNormal", "rng");
        int[] f = fans(t);
        return normal(t, 0, gain * Math.sqrt(2.0 / (f[0] + f[1])), rng);
    }

    /** {@link #xavierNormal(Tensor, double, RandomGenerator)} with the thread's default generator. */
    public static Tensor xavierNormal(Tensor t, double gain) {
        Args.notNull(t, "Init.xavierNormal", "t");
        return xavierNormal(t, gain, generator());
    }

    /**
     * He uniform: {@code U(-b, b)} with {@code b = sqrt(3) * gain / sqrt(fan)}, gain from {@code nonlinearity} with
     * {@code a} the negative slope of a leaky relu (ignored by other nonlinearities), as
     * {@code kaiming_uniform_(t, a, mode, nonlinearity)}.
     */
    public static Tensor kaimingUniform(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity,
                                        RandomGenerator rng) {
        Args.notNull(t, "Init.kaimingUniform", "t");
        Args.notNull(mode, "Init.kaimingUniform", "mode");
        Args.notNull(nonlinearity, "Init.kaimingUniform", "nonlinearity");
        Args.notNull(rng, "Init.kaimingUniform", "rng");
        double bound = Math.sqrt(3.0) * kaimingStd(t, a, mode, nonlinearity);
        return uniform(t, -bound, bound, rng);
    }

    /** {@code kaimingUniform(t, 0, FAN_IN, LEAKY_RELU)} with PyTorch's defaults, i.e. the gain of relu. */
    public static Tensor kaimingUniform(Tensor t, RandomGenerator rng) {
        Args.notNull(t, "Init.kaimingUniform", "t");
        Args.notNull(rng, "Init.kaimingUniform", "rng");
        return kaimingUniform(t, 0, FanMode.FAN_IN, Nonlinearity.LEAKY_RELU, rng);
    }

    /** He normal: {@code N(0, std^2)} with {@code std = gain / sqrt(fan)}. */
    public static Tensor kaimingNormal(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity,
                                       RandomGenerator rng) {
        Args.notNull(t, "Init.kaimingNormal", "t");
        Args.notNull(mode, "Init.kaimingNormal", "mode");
        Args.notNull(nonlinearity, "Init.kaimingNormal", "nonlinearity");
        Args.notNull(rng, "Init.kaimingNormal", "rng");
        return normal(t, 0, kaimingStd(t, a, mode, nonlinearity), rng);
    }

    /** {@code kaimingNormal(t, 0, FAN_IN, LEAKY_RELU)} with PyTorch's defaults, i.e. {@code std = sqrt(2 / fanIn)}. */
    public static Tensor kaimingNormal(Tensor t, RandomGenerator rng) {
        Args.notNull(t, "Init.kaimingNormal", "t");
        Args.notNull(rng, "Init.kaimingNormal", "rng");
        return kaimingNormal(t, 0, FanMode.FAN_IN, Nonlinearity.LEAKY_RELU, rng);
    }

    private static double kaimingStd(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity) {
        int[] f = fans(t);
        int fan = mode == FanMode.FAN_IN ? f[0] : f[1];
        if (fan == 0) {
            throw new IllegalArgumentException("Init.kaiming: the " + mode + " of shape "
                    + Arrays.toString(t.shape()) + " is 0");
        }
        return calculateGain(nonlinearity, a) / Math.sqrt(fan);
    }

    /** Copies float64 values into {@code t} in no-grad mode (rounded once if {@code t} is float32). */
    private static Tensor write(Tensor t, double[] values) {
        Tensor src = Tensor.ofShape(values, t.shape());
        return Grad.noGrad(() -> t.copyFrom(t.dtype() == DType.FLOAT64 ? src : src.to(t.dtype())));
    }
}
