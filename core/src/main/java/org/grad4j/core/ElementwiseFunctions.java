package org.grad4j.core;

import static org.grad4j.core.Node.in;
import static org.grad4j.core.Node.record;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoublePredicate;
import java.util.function.DoubleUnaryOperator;
import java.util.function.LongBinaryOperator;
import org.grad4j.core.kernel.BinaryOp;
import org.grad4j.core.kernel.UnaryOp;

/**
 * The element-wise functions beyond {@link Pointwise}'s kernel-backed primitives (trigonometric and hyperbolic
 * functions and their inverses, log2/log10/exp2, rounding, fmod, lerp, logAddExp, hypot, clamp with tensor bounds,
 * nanToNum, the NaN/inf tests). Each op is its forward followed by its derivative rule, written with tensor ops so
 * that it is itself differentiable. Forwards run in small loops of their own over {@link StrictMath} and
 * {@link StrictFunctions} (float32 computed in double and rounded once, except where PyTorch's own float32
 * arithmetic is reproduced): the same bits on every JVM, JIT state and kernel provider.
 */
final class ElementwiseFunctions {
    private ElementwiseFunctions() {
    }

    private static final double LN2 = 0x1.62e42fefa39efp-1;
    private static final double LN10 = 2.302585092994046;

    @FunctionalInterface
    interface FloatUnary {
        float apply(float x);
    }

    @FunctionalInterface
    interface FloatBinary {
        float apply(float a, float b);
    }

    @FunctionalInterface
    interface DoubleTernary {
        double apply(double a, double b, double c);
    }

    @FunctionalInterface
    interface FloatTernary {
        float apply(float a, float b, float c);
    }

    // --------------------------------------------------------------------------------------------- trigonometric

    /** Saves the output: {@code tan' = 1 + tan^2}. */
    static Tensor tan(Tensor x) {
        x = floating(x);
        Tensor out = map(x, StrictMath::tan);
        return record("tan", out, in(x), in(out), (g, n) -> in(g.mul(n.saved(0).square().add(1))));
    }

    /** {@code asin' = 1 / sqrt(1 - x^2)}; NaN outside [-1, 1]. */
    static Tensor asin(Tensor x) {
        x = floating(x);
        return record("asin", map(x, StrictMath::asin), in(x), in(x),
                (g, n) -> in(g.mul(n.saved(0).square().rsub(1).rsqrt())));
    }

    /** {@code acos' = -1 / sqrt(1 - x^2)}. */
    static Tensor acos(Tensor x) {
        x = floating(x);
        return record("acos", map(x, StrictMath::acos), in(x), in(x),
                (g, n) -> in(g.mul(n.saved(0).square().rsub(1).rsqrt()).neg()));
    }

    /** {@code atan' = 1 / (1 + x^2)}. */
    static Tensor atan(Tensor x) {
        x = floating(x);
        return record("atan", map(x, StrictMath::atan), in(x), in(x),
                (g, n) -> in(g.div(n.saved(0).square().add(1))));
    }

    /** The angle of the point (b, a): d/da = b / (a^2 + b^2), d/db = -a / (a^2 + b^2), as PyTorch's rule. */
    static Tensor atan2(Tensor a, Tensor b) {
        Tensor out = zipFloating("atan2", a, b, StrictMath::atan2, null);
        return record("atan2", out, in(a, b), in(a, b), (g, n) -> {
            Tensor av = floatingLike(n.saved(0), g);
            Tensor bv = floatingLike(n.saved(1), g);
            Tensor norm2 = av.square().add(bv.square());
            return in(n.needsGrad(0) ? g.mul(bv).div(norm2) : null,
                    n.needsGrad(1) ? g.mul(av).div(norm2).neg() : null);
        });
    }

    // --------------------------------------------------------------------------------------------- hyperbolic

    static Tensor sinh(Tensor x) {
        x = floating(x);
        return record("sinh", map(x, StrictMath::sinh), in(x), in(x), (g, n) -> in(g.mul(n.saved(0).cosh())));
    }

    static Tensor cosh(Tensor x) {
        x = floating(x);
        return record("cosh", map(x, StrictMath::cosh), in(x), in(x), (g, n) -> in(g.mul(n.saved(0).sinh())));
    }

    /** {@code asinh' = 1 / sqrt(x^2 + 1)}. */
    static Tensor asinh(Tensor x) {
        x = floating(x);
        return record("asinh", map(x, StrictFunctions::asinh), in(x), in(x),
                (g, n) -> in(g.mul(n.saved(0).square().add(1).rsqrt())));
    }

    /** {@code acosh' = 1 / sqrt(x^2 - 1)}, PyTorch's form (so also its +-inf at x = -1). */
    static Tensor acosh(Tensor x) {
        x = floating(x);
        return record("acosh", map(x, StrictFunctions::acosh), in(x), in(x),
                (g, n) -> in(g.mul(n.saved(0).square().sub(1).rsqrt())));
    }

    /** {@code atanh' = 1 / (1 - x^2)}. */
    static Tensor atanh(Tensor x) {
        x = floating(x);
        return record("atanh", map(x, StrictFunctions::atanh), in(x), in(x),
                (g, n) -> in(g.div(n.saved(0).square().rsub(1))));
    }

    // --------------------------------------------------------------------------------------------- logs and powers

    /** {@code log2' = 1 / (x ln 2)}. */
    static Tensor log2(Tensor x) {
        x = floating(x);
        return record("log2", map(x, StrictFunctions::log2), in(x), in(x),
                (g, n) -> in(g.div(n.saved(0).mul(LN2))));
    }

    /** {@code log10' = 1 / (x ln 10)}. */
    static Tensor log10(Tensor x) {
        x = floating(x);
        return record("log10", map(x, StrictMath::log10), in(x), in(x),
                (g, n) -> in(g.div(n.saved(0).mul(LN10))));
    }

    /** Saves the output: {@code exp2' = 2^x ln 2}. */
    static Tensor exp2(Tensor x) {
        x = floating(x);
        Tensor out = map(x, StrictFunctions::exp2);
        return record("exp2", out, in(x), in(out), (g, n) -> in(g.mul(n.saved(0)).mul(LN2)));
    }

    /**
     * {@code log(exp(a) + exp(b))}, max-shifted ({@link StrictFunctions#logAddExp}); d/da = sigmoid(a - b),
     * d/db = sigmoid(b - a), which never overflow.
     */
    static Tensor logAddExp(Tensor a, Tensor b) {
        Tensor out = zipFloating("logAddExp", a, b, StrictFunctions::logAddExp, null);
        return record("logAddExp", out, in(a, b), in(a, b), (g, n) -> {
            Tensor d = floatingLike(n.saved(0), g).sub(floatingLike(n.saved(1), g));
            return in(n.needsGrad(0) ? g.mul(d.sigmoid()) : null, n.needsGrad(1) ? g.mul(d.neg().sigmoid()) : null);
        });
    }

    /** {@code log2(2^a + 2^b)}; d/da = sigmoid((a - b) ln 2). */
    static Tensor logAddExp2(Tensor a, Tensor b) {
        Tensor out = zipFloating("logAddExp2", a, b, StrictFunctions::logAddExp2, null);
        return record("logAddExp2", out, in(a, b), in(a, b), (g, n) -> {
            Tensor d = floatingLike(n.saved(0), g).sub(floatingLike(n.saved(1), g)).mul(LN2);
            return in(n.needsGrad(0) ? g.mul(d.sigmoid()) : null, n.needsGrad(1) ? g.mul(d.neg().sigmoid()) : null);
        });
    }

    /** {@code sqrt(a^2 + b^2)} without overflow or underflow ({@code StrictMath.hypot}); saves the output. */
    static Tensor hypot(Tensor a, Tensor b) {
        Tensor out = zipFloating("hypot", a, b, StrictMath::hypot, null);
        return record("hypot", out, in(a, b), in(a, b, out), (g, n) -> {
            Tensor r = n.saved(2);
            return in(n.needsGrad(0) ? g.mul(floatingLike(n.saved(0), g)).div(r) : null,
                    n.needsGrad(1) ? g.mul(floatingLike(n.saved(1), g)).div(r) : null);
        });
    }

    // --------------------------------------------------------------------------------------------- rounding

    static Tensor floor(Tensor x) {
        return rounding("floor", x, Math::floor);
    }

    static Tensor ceil(Tensor x) {
        return rounding("ceil", x, Math::ceil);
    }

    /** Half to even ({@code Math.rint}), as {@code torch.round}. */
    static Tensor round(Tensor x) {
        return rounding("round", x, Math::rint);
    }

    static Tensor trunc(Tensor x) {
        return rounding("trunc", x, v -> v < 0 ? Math.ceil(v) : Math.floor(v));
    }

    /**
     * {@code round(x, decimals)} computed as PyTorch does in the tensor's own dtype (so {@code 2.675f} rounds to
     * 2.68 and results match bit for bit); floating-point tensors only, as in PyTorch. Zero gradient.
     */
    static Tensor round(Tensor x, int decimals) {
        if (!x.dtype().isFloatingPoint()) {
            throw new DTypeMismatchException("round: decimals=" + decimals + " needs a floating-point tensor, got "
                    + x.dtype() + " (PyTorch: \"round_cpu\" not implemented); use round() to keep the integers, or"
                    + " convert with .to(DType.FLOAT32) first");
        }
        Tensor out = map(x, v -> StrictFunctions.roundDecimals(v, decimals),
                v -> StrictFunctions.roundDecimals(v, decimals));
        return record("round", out, in(x), Node.NONE, (g, n) -> in(zeroGradient("round", g, x)));
    }

    /** {@code x - trunc(x)}, the dividend's sign; d/dx = 1. Floating-point tensors only, as in PyTorch. */
    static Tensor frac(Tensor x) {
        if (!x.dtype().isFloatingPoint()) {
            throw new DTypeMismatchException("frac: needs a floating-point tensor, got " + x.dtype() + " (shape "
                    + Shapes.str(x.shape) + "); the fractional part of an integer is 0: convert with"
                    + " .to(DType.FLOAT32) first if you need the tensor of zeros");
        }
        Tensor out = map(x, v -> v - (v < 0 ? Math.ceil(v) : Math.floor(v)));
        return record("frac", out, in(x), Node.NONE, (g, n) -> in(g));
    }

    /** Integer tensors are returned unchanged (a copy), floats rounded; bool is refused, as in PyTorch. */
    private static Tensor rounding(String op, Tensor x, DoubleUnaryOperator f) {
        if (x.dtype() == DType.BOOL) {
            throw new DTypeMismatchException(op + ": not supported for a bool tensor (shape " + Shapes.str(x.shape)
                    + "), as in PyTorch; convert with .to(DType.INT64) or .to(DType.FLOAT32) first");
        }
        if (!x.dtype().isFloatingPoint()) {
            return Pointwise.map(UnaryOp.IDENTITY, x);
        }
        return record(op, map(x, f), in(x), Node.NONE, (g, n) -> in(zeroGradient(op, g, x)));
    }

    /**
     * The zero gradient of a piecewise-constant op, recorded (with createGraph) as an op of {@code (g, x)} so a
     * second derivative is zeros rather than an error, as relu's.
     */
    private static Tensor zeroGradient(String op, Tensor g, Tensor x) {
        return Pointwise.piecewiseConstantBackward(op + "Backward", g, x, Tensor::zerosLike);
    }

    // --------------------------------------------------------------------------------------------- fmod, lerp

    /**
     * {@code a - b trunc(a / b)}, the remainder with the dividend's sign, as {@code torch.fmod} (C's fmod; exact).
     * Integers stay integers and an integer divisor of 0 is refused, as {@code remainder} does; bool operands are
     * computed as int64, as {@code remainder} does. d/da = 1, d/db = -trunc(a / b).
     */
    static Tensor fmod(Tensor a, Tensor b) {
        DType r = Promotion.resultType(a, b);
        if (r == DType.BOOL) {
            r = DType.INT64;
        }
        DType compute = Pointwise.computeType(r);
        Tensor ca = Casts.convert(a, compute);
        Tensor cb = Casts.convert(b, compute);
        if (!r.isFloatingPoint() && cb.eq(0L).any().itemBoolean()) {
            throw new IllegalArgumentException("fmod: integer division by zero (the divisor of dtype " + b.dtype()
                    + " and shape " + Shapes.str(b.shape) + " holds a 0; PyTorch raises ZeroDivisionError); convert"
                    + " to a floating-point dtype, which gives NaN there, or mask the zeros first");
        }
        Tensor out = r.isFloatingPoint()
                ? zipSame("fmod", ca, cb, StrictFunctions::fmod, (x, y) -> x % y)
                : zipLong("fmod", ca, cb, (x, y) -> x % y);
        Tensor result = Casts.convert(out, r);
        return record("fmod", result, in(a, b), in(a, b), (g, n) -> {
            if (!n.needsGrad(1)) {
                return in(g, null);
            }
            Tensor quotient = floatingLike(n.saved(0), g).div(floatingLike(n.saved(1), g)).trunc();
            return in(n.needsGrad(0) ? g : null, g.mul(quotient).neg());
        });
    }

    /**
     * {@code start + weight (end - start)} with a constant weight, by PyTorch's formula (exact at weight 0 and 1);
     * d/dstart = 1 - weight, d/dend = weight. Integer operands compute in float32.
     */
    static Tensor lerp(Tensor start, Tensor end, double weight) {
        float weight32 = (float) weight;
        Tensor out = zipFloating("lerp", start, end, (s, e) -> StrictFunctions.lerp(s, e, weight),
                (s, e) -> StrictFunctions.lerp(s, e, weight32));
        return record("lerp", out, in(start, end), Node.NONE, (g, n) -> in(
                n.needsGrad(0) ? g.mul(1 - weight) : null,
                n.needsGrad(1) ? g.mul(weight) : null));
    }

    /** {@code lerp} with a tensor weight (all three broadcast and promote); d/dweight = end - start. */
    static Tensor lerp(Tensor start, Tensor end, Tensor weight) {
        DType r = Promotion.floatOf(Promotion.resultType(start, end, weight));
        int[] shape = Shapes.broadcast("lerp", Shapes.broadcast("lerp", start.shape, end.shape), weight.shape);
        Tensor out = loop3(shape, Casts.convert(start, r), Casts.convert(end, r), Casts.convert(weight, r),
                StrictFunctions::lerp, StrictFunctions::lerp);
        return record("lerp", out, in(start, end, weight), in(start, end, weight), (g, n) -> {
            Tensor s = floatingLike(n.saved(0), g);
            Tensor e = floatingLike(n.saved(1), g);
            Tensor w = floatingLike(n.saved(2), g);
            return in(n.needsGrad(0) ? g.mul(w.rsub(1)) : null,
                    n.needsGrad(1) ? g.mul(w) : null,
                    n.needsGrad(2) ? g.mul(e.sub(s)) : null);
        });
    }

    // --------------------------------------------------------------------------------------------- clamp, nanToNum

    /**
     * {@code min(max(x, lo), hi)} with tensor bounds (either may be null, not both), all three broadcast and
     * promoted together; a NaN anywhere gives NaN; when {@code lo > hi} the result is {@code hi}. Gradients are
     * routed as PyTorch's {@code clamp_backward} and {@code clamp_backward_min_max}: x where
     * {@code lo <= x <= hi}, lo where {@code x < lo} (and {@code lo < hi}), hi where {@code x > hi} (or
     * {@code hi < lo}).
     */
    static Tensor clamp(Tensor x, Tensor lo, Tensor hi) {
        if (lo == null && hi == null) {
            throw new IllegalArgumentException("clamp: at least one of min and max must be given (both are null),"
                    + " as torch.clamp; pass a tensor for one of them");
        }
        List<Tensor> inputs = new ArrayList<>(List.of(x));
        if (lo != null) {
            inputs.add(lo);
        }
        if (hi != null) {
            inputs.add(hi);
        }
        Tensor[] operands = inputs.toArray(Tensor[]::new);
        DType r = Promotion.resultType(operands);
        DType compute = Pointwise.computeType(r);
        Tensor out = Casts.convert(x, compute);
        if (lo != null) {
            out = Pointwise.zip("clamp", BinaryOp.MAX, out, Casts.convert(lo, compute));
        }
        if (hi != null) {
            out = Pointwise.zip("clamp", BinaryOp.MIN, out, Casts.convert(hi, compute));
        }
        Tensor result = Casts.convert(out, r);
        int loAt = lo == null ? -1 : 1;
        int hiAt = hi == null ? -1 : operands.length - 1;
        return record("clamp", result, operands, operands, (g, n) -> {
            Tensor v = n.saved(0);
            Tensor l = loAt < 0 ? null : n.saved(loAt);
            Tensor h = hiAt < 0 ? null : n.saved(hiAt);
            Tensor zero = Tensor.scalar(0, g.dtype());
            Tensor[] grads = new Tensor[operands.length];
            if (n.needsGrad(0)) {
                Tensor inside = l == null ? v.le(h) : h == null ? v.ge(l) : v.ge(l).logicalAnd(v.le(h));
                grads[0] = Tensor.where(inside, g, zero);
            }
            if (l != null && n.needsGrad(loAt)) {
                Tensor below = h == null ? v.lt(l) : v.lt(l).logicalAnd(l.lt(h));
                grads[loAt] = Tensor.where(below, g, zero);
            }
            if (h != null && n.needsGrad(hiAt)) {
                Tensor above = l == null ? v.gt(h) : v.gt(h).logicalOr(h.lt(l));
                grads[hiAt] = Tensor.where(above, g, zero);
            }
            return grads;
        });
    }

    static Tensor clampMin(Tensor x, Tensor min) {
        return clamp(x, requireBound("clampMin", "min", min), null);
    }

    static Tensor clampMax(Tensor x, Tensor max) {
        return clamp(x, null, requireBound("clampMax", "max", max));
    }

    private static Tensor requireBound(String op, String name, Tensor bound) {
        if (bound == null) {
            throw new IllegalArgumentException(op + ": " + name + " must not be null (for a one-sided clamp with a"
                    + " tensor bound pass the bound; for a constant use " + op + "(double))");
        }
        return bound;
    }

    /**
     * NaN to {@code nan}, +inf to {@code posInf}, -inf to {@code negInf} (null: the dtype's largest / lowest finite
     * value), the values rounded to the dtype as PyTorch does; integer and bool tensors are returned unchanged (a
     * copy). The gradient passes where x is finite.
     */
    static Tensor nanToNum(Tensor x, double nan, Double posInf, Double negInf) {
        if (!x.dtype().isFloatingPoint()) {
            return Pointwise.map(UnaryOp.IDENTITY, x);
        }
        boolean f32 = x.dtype() == DType.FLOAT32;
        double hi = posInf != null ? posInf : f32 ? Float.MAX_VALUE : Double.MAX_VALUE;
        double lo = negInf != null ? negInf : f32 ? -Float.MAX_VALUE : -Double.MAX_VALUE;
        float nan32 = (float) nan;
        float hi32 = (float) hi;
        float lo32 = (float) lo;
        Tensor out = map(x,
                v -> Double.isNaN(v) ? nan : Double.isInfinite(v) ? (v > 0 ? hi : lo) : v,
                v -> Float.isNaN(v) ? nan32 : Float.isInfinite(v) ? (v > 0 ? hi32 : lo32) : v);
        return record("nanToNum", out, in(x), in(x),
                (g, n) -> in(Tensor.where(isFinite(n.saved(0)), g, Tensor.scalar(0, g.dtype()))));
    }

    // --------------------------------------------------------------------------------------------- classification

    static Tensor isNan(Tensor x) {
        return classify(x, Double::isNaN, false);
    }

    static Tensor isInf(Tensor x) {
        return classify(x, Double::isInfinite, false);
    }

    static Tensor isFinite(Tensor x) {
        return classify(x, Double::isFinite, true);
    }

    static Tensor isPosInf(Tensor x) {
        return classify(x, v -> v == Double.POSITIVE_INFINITY, false);
    }

    static Tensor isNegInf(Tensor x) {
        return classify(x, v -> v == Double.NEGATIVE_INFINITY, false);
    }

    /** A bool mask of {@code test(x)}; integer and bool elements are finite numbers, so they all give {@code ints}. */
    private static Tensor classify(Tensor x, DoublePredicate test, boolean ints) {
        Tensor out = Tensor.empty(DType.BOOL, x.shape);
        byte[] o = out.storage.bytes();
        if (!x.dtype().isFloatingPoint()) {
            java.util.Arrays.fill(o, (byte) (ints ? 1 : 0));
            return out;
        }
        StridedLoop.Body body = switch (x.storage) {
            case Storage.F32 xs -> (p, s, len) -> {
                for (int i = 0, oi = p[0], xi = p[1]; i < len; i++, oi += s[0], xi += s[1]) {
                    o[oi] = (byte) (test.test(xs.data[xi]) ? 1 : 0);
                }
            };
            default -> {
                double[] xs = x.storage.doubles();
                yield (p, s, len) -> {
                    for (int i = 0, oi = p[0], xi = p[1]; i < len; i++, oi += s[0], xi += s[1]) {
                        o[oi] = (byte) (test.test(xs[xi]) ? 1 : 0);
                    }
                };
            }
        };
        StridedLoop.forEach(x.shape, new int[][] {out.strides, x.strides}, new int[] {0, x.offset}, body);
        return out;
    }

    // --------------------------------------------------------------------------------------------- loops

    /** Float functions of integer or bool tensors compute in float32, as in PyTorch. */
    private static Tensor floating(Tensor x) {
        return x.dtype().isFloatingPoint() ? x : Casts.convert(x, Promotion.DEFAULT_FLOAT);
    }

    /** A saved operand in a rule: an integer or bool one (which gets no gradient) converted to g's dtype. */
    private static Tensor floatingLike(Tensor saved, Tensor g) {
        return saved.dtype().isFloatingPoint() ? saved : saved.to(g.dtype());
    }

    /** {@code f(x)} for a floating-point x; float32 is computed in double and rounded once. */
    static Tensor map(Tensor x, DoubleUnaryOperator f) {
        return map(x, f, v -> (float) f.applyAsDouble(v));
    }

    /** {@code f64(x)} or {@code f32(x)} by dtype into a new contiguous tensor; records nothing. */
    static Tensor map(Tensor x, DoubleUnaryOperator f64, FloatUnary f32) {
        Tensor out = Tensor.empty(x.dtype(), x.shape);
        StridedLoop.Body body = switch (x.storage) {
            case Storage.F32 xs -> {
                float[] o = out.storage.floats();
                yield (p, s, len) -> {
                    for (int i = 0, oi = p[0], xi = p[1]; i < len; i++, oi += s[0], xi += s[1]) {
                        o[oi] = f32.apply(xs.data[xi]);
                    }
                };
            }
            case Storage.F64 xs -> {
                double[] o = out.storage.doubles();
                yield (p, s, len) -> {
                    for (int i = 0, oi = p[0], xi = p[1]; i < len; i++, oi += s[0], xi += s[1]) {
                        o[oi] = f64.applyAsDouble(xs.data[xi]);
                    }
                };
            }
            default -> throw new IllegalStateException("map computes float32 or float64, got " + x.dtype());
        };
        StridedLoop.forEach(x.shape, new int[][] {out.strides, x.strides}, new int[] {0, x.offset}, body);
        return out;
    }

    /**
     * {@code f(a, b)} with broadcasting, in the operands' promoted dtype made floating (integers and bools give
     * float32); {@code f32} null means f64 rounded once.
     */
    private static Tensor zipFloating(String op, Tensor a, Tensor b, DoubleBinaryOperator f64, FloatBinary f32) {
        DType r = Promotion.floatOf(Promotion.resultType(a, b));
        FloatBinary f = f32 != null ? f32 : (x, y) -> (float) f64.applyAsDouble(x, y);
        return zipSame(op, Casts.convert(a, r), Casts.convert(b, r), f64, f);
    }

    /** {@code f(a, b)} for a and b of one floating-point dtype, broadcast; records nothing. */
    private static Tensor zipSame(String op, Tensor a, Tensor b, DoubleBinaryOperator f64, FloatBinary f32) {
        int[] shape = Shapes.broadcast(op, a.shape, b.shape);
        Tensor out = Tensor.empty(a.dtype(), shape);
        StridedLoop.Body body = switch (out.storage) {
            case Storage.F32 os -> {
                float[] o = os.data;
                float[] x = a.storage.floats();
                float[] y = b.storage.floats();
                yield (p, s, len) -> {
                    for (int i = 0, oi = p[0], ai = p[1], bi = p[2]; i < len; i++, oi += s[0], ai += s[1], bi += s[2]) {
                        o[oi] = f32.apply(x[ai], y[bi]);
                    }
                };
            }
            default -> {
                double[] o = out.storage.doubles();
                double[] x = a.storage.doubles();
                double[] y = b.storage.doubles();
                yield (p, s, len) -> {
                    for (int i = 0, oi = p[0], ai = p[1], bi = p[2]; i < len; i++, oi += s[0], ai += s[1], bi += s[2]) {
                        o[oi] = f64.applyAsDouble(x[ai], y[bi]);
                    }
                };
            }
        };
        forEach2(shape, out, a, b, body);
        return out;
    }

    /** {@code f(a, b)} for int64 a and b, broadcast; records nothing. */
    private static Tensor zipLong(String op, Tensor a, Tensor b, LongBinaryOperator f) {
        int[] shape = Shapes.broadcast(op, a.shape, b.shape);
        Tensor out = Tensor.empty(DType.INT64, shape);
        long[] o = out.storage.longs();
        long[] x = a.storage.longs();
        long[] y = b.storage.longs();
        forEach2(shape, out, a, b, (p, s, len) -> {
            for (int i = 0, oi = p[0], ai = p[1], bi = p[2]; i < len; i++, oi += s[0], ai += s[1], bi += s[2]) {
                o[oi] = f.applyAsLong(x[ai], y[bi]);
            }
        });
        return out;
    }

    private static void forEach2(int[] shape, Tensor out, Tensor a, Tensor b, StridedLoop.Body body) {
        int[][] strides = {out.strides, Shapes.broadcastStrides(a.shape, a.strides, shape),
            Shapes.broadcastStrides(b.shape, b.strides, shape)};
        StridedLoop.forEach(shape, strides, new int[] {0, a.offset, b.offset}, body);
    }

    /** {@code f(a, b, c)} for three tensors of one floating-point dtype broadcast to {@code shape}. */
    private static Tensor loop3(int[] shape, Tensor a, Tensor b, Tensor c, DoubleTernary f64, FloatTernary f32) {
        Tensor out = Tensor.empty(a.dtype(), shape);
        int[][] strides = {out.strides, Shapes.broadcastStrides(a.shape, a.strides, shape),
            Shapes.broadcastStrides(b.shape, b.strides, shape), Shapes.broadcastStrides(c.shape, c.strides, shape)};
        int[] offsets = {0, a.offset, b.offset, c.offset};
        StridedLoop.Body body = switch (out.storage) {
            case Storage.F32 os -> {
                float[] o = os.data;
                float[] x = a.storage.floats();
                float[] y = b.storage.floats();
                float[] z = c.storage.floats();
                yield (p, s, len) -> {
                    for (int i = 0, oi = p[0], ai = p[1], bi = p[2], ci = p[3]; i < len;
                         i++, oi += s[0], ai += s[1], bi += s[2], ci += s[3]) {
                        o[oi] = f32.apply(x[ai], y[bi], z[ci]);
                    }
                };
            }
            default -> {
                double[] o = out.storage.doubles();
                double[] x = a.storage.doubles();
                double[] y = b.storage.doubles();
                double[] z = c.storage.doubles();
                yield (p, s, len) -> {
                    for (int i = 0, oi = p[0], ai = p[1], bi = p[2], ci = p[3]; i < len;
                         i++, oi += s[0], ai += s[1], bi += s[2], ci += s[3]) {
                        o[oi] = f64.apply(x[ai], y[bi], z[ci]);
                    }
                };
            }
        };
        StridedLoop.forEach(shape, strides, offsets, body);
        return out;
    }
}
