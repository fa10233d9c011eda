package org.grad4j.core;

/**
 * Scalar functions that {@link StrictMath} lacks, built only from StrictMath (fdlibm, the same bits on every JVM)
 * and exact IEEE operations, so that results never depend on the JVM, the JIT or the CPU. The formulas are the
 * standard cancellation-free ones: each branch avoids subtracting nearly equal numbers and squaring large ones.
 */
final class StrictFunctions {
    private StrictFunctions() {
    }

    private static final double LN2 = 0x1.62e42fefa39efp-1;
    /** 1 / ln 2 as a double, and the rest of the real value, so that {@code log(m) / ln 2} loses no extra bit. */
    private static final double INV_LN2 = 0x1.71547652b82fep0;
    private static final double INV_LN2_TAIL = 0x1.777d0ffda0d24p-56;
    private static final double SQRT2 = 0x1.6a09e667f3bcdp0;
    /** Below this magnitude asinh(x) = atanh(x) = x to double precision; above the other, x^2 + 1 = x^2. */
    private static final double TINY = 0x1p-28;
    private static final double HUGE = 0x1p28;

    /** {@code log2(x)}: exact at powers of two, about 1 ulp elsewhere; log2(0) = -inf, negative gives NaN. */
    static double log2(double x) {
        if (!(x > 0) || x == Double.POSITIVE_INFINITY) {
            return x == 0 ? Double.NEGATIVE_INFINITY : x == Double.POSITIVE_INFINITY ? x : Double.NaN;
        }
        int shift = 0;
        if (x < Double.MIN_NORMAL) {
            x *= 0x1p54;   // subnormal: make it normal so the exponent can be read off
            shift = 54;
        }
        int e = Math.getExponent(x);
        double m = Math.scalb(x, -e);   // in [1, 2), exact
        if (m > SQRT2) {
            m *= 0.5;
            e++;
        }
        e -= shift;
        double l = StrictMath.log(m);   // |l| <= ln(2) / 2
        // l / ln 2 with the product's rounding error recovered by an exact fma (IEEE-specified in Java).
        double product = l * INV_LN2;
        double error = Math.fma(l, INV_LN2, -product) + l * INV_LN2_TAIL;
        return e + (product + error);
    }

    /** {@code asinh(x) = sign(x) log(|x| + sqrt(x^2 + 1))}, accurate near 0 and without overflow for large x. */
    static double asinh(double x) {
        double a = Math.abs(x);
        double r;
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            return x;
        } else if (a >= HUGE) {
            r = StrictMath.log(a) + LN2;
        } else if (a > 2) {
            r = StrictMath.log(2 * a + 1 / (StrictMath.sqrt(a * a + 1) + a));
        } else if (a < TINY) {
            return x;   // keeps -0.0
        } else {
            double t = a * a;
            r = StrictMath.log1p(a + t / (1 + StrictMath.sqrt(1 + t)));
        }
        return Math.copySign(r, x);
    }

    /** {@code acosh(x) = log(x + sqrt(x^2 - 1))} for x >= 1 (acosh(1) = 0); NaN below 1. */
    static double acosh(double x) {
        if (Double.isNaN(x) || x < 1) {
            return Double.NaN;
        } else if (x >= HUGE) {
            return x == Double.POSITIVE_INFINITY ? x : StrictMath.log(x) + LN2;
        } else if (x > 2) {
            return StrictMath.log(2 * x - 1 / (x + StrictMath.sqrt(x * x - 1)));
        }
        double t = x - 1;   // exact for x in [1, 2]
        return StrictMath.log1p(t + StrictMath.sqrt(2 * t + t * t));
    }

    /** {@code atanh(x) = log((1 + x) / (1 - x)) / 2}: +-inf at +-1, NaN beyond, accurate near 0. */
    static double atanh(double x) {
        double a = Math.abs(x);
        if (Double.isNaN(x) || a > 1) {
            return Double.NaN;
        } else if (a == 1) {
            return Math.copySign(Double.POSITIVE_INFINITY, x);
        } else if (a < TINY) {
            return x;
        }
        double r;
        if (a < 0.5) {
            double t = a + a;
            r = 0.5 * StrictMath.log1p(t + t * a / (1 - a));
        } else {
            r = 0.5 * StrictMath.log1p((a + a) / (1 - a));
        }
        return Math.copySign(r, x);
    }

    /** {@code 2^x}: exact at integers. */
    static double exp2(double x) {
        return StrictMath.pow(2, x);
    }

    /**
     * {@code log(exp(a) + exp(b))} as {@code max + log1p(exp(-|a - b|))}, as {@code torch.logaddexp}: equal
     * infinities give themselves (not inf - inf = NaN), a NaN operand gives NaN.
     */
    static double logAddExp(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return Double.NaN;
        }
        if (Double.isInfinite(a) && a == b) {
            return a;
        }
        return Math.max(a, b) + StrictMath.log1p(StrictMath.exp(-Math.abs(a - b)));
    }

    /** {@code log2(2^a + 2^b)} as {@code max + log1p(2^-|a - b|) / ln 2}, as {@code torch.logaddexp2}. */
    static double logAddExp2(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return Double.NaN;
        }
        if (Double.isInfinite(a) && a == b) {
            return a;
        }
        return Math.max(a, b) + StrictMath.log1p(exp2(-Math.abs(a - b))) * INV_LN2;
    }

    /** The remainder of {@code a / b} truncated toward zero, the dividend's sign (C's fmod; exact). */
    static double fmod(double a, double b) {
        return a % b;
    }

    /**
     * PyTorch's {@code round(x, decimals)} in double: {@code rint(x * 10^d) / 10^d}, or {@code rint(x / 10^-d) *
     * 10^-d} for negative d, each step rounded in the tensor's dtype.
     */
    static double roundDecimals(double x, int decimals) {
        double scale = StrictMath.pow(10, Math.abs((double) decimals));
        return decimals >= 0 ? Math.rint(x * scale) / scale : Math.rint(x / scale) * scale;
    }

    /** {@link #roundDecimals(double, int)} in float arithmetic, as PyTorch computes float32. */
    static float roundDecimals(float x, int decimals) {
        float scale = (float) StrictMath.pow(10, Math.abs((double) decimals));
        return decimals >= 0 ? (float) Math.rint(x * scale) / scale : (float) Math.rint(x / scale) * scale;
    }

    /**
     * PyTorch's lerp: {@code s + w (e - s)} for w < 1/2, else {@code e - (e - s)(1 - w)} (exact at w = 0 and 1),
     * each with one fused multiply-add as PyTorch's CPU kernel ({@link Math#fma} is exact by specification).
     */
    static double lerp(double s, double e, double w) {
        double diff = e - s;
        return w < 0.5 ? Math.fma(w, diff, s) : Math.fma(-diff, 1 - w, e);
    }

    /** {@link #lerp(double, double, double)} in float arithmetic, as PyTorch computes float32. */
    static float lerp(float s, float e, float w) {
        float diff = e - s;
        return w < 0.5f ? Math.fma(w, diff, s) : Math.fma(-diff, 1 - w, e);
    }
}
