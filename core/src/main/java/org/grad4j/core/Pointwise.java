package org.grad4j.core;

import static org.grad4j.core.Node.in;
import static org.grad4j.core.Node.record;

import org.grad4j.core.kernel.BinaryOp;
import org.grad4j.core.kernel.KernelProvider;
import org.grad4j.core.kernel.Kernels;
import org.grad4j.core.kernel.UnaryOp;

/**
 * Element-wise primitives. Each op is its forward (one kernel call) followed by its derivative rule, written with
 * tensor ops so that gradients are themselves differentiable. Rules return gradients in the broadcast output
 * shape; the engine reduces them to each input's shape.
 */
final class Pointwise {
    private Pointwise() {
    }

    static final Kernels KERNELS = KernelProvider.get();

    // --------------------------------------------------------------------------------------------- unary primitives

    static Tensor neg(Tensor x) {
        if (x.dtype() == DType.BOOL) {
            throw new DTypeMismatchException("neg: negation of a bool tensor is not supported; use logicalNot()");
        }
        return record("neg", map(UnaryOp.NEG, x), in(x), Node.NONE, (g, n) -> in(g.neg()));
    }

    /** Float functions of integer or bool tensors compute in float32, as in PyTorch. */
    private static Tensor floating(Tensor x) {
        return x.dtype().isFloatingPoint() ? x : Casts.convert(x, Promotion.DEFAULT_FLOAT);
    }

    static Tensor exp(Tensor x) {
        x = floating(x);
        Tensor out = map(UnaryOp.EXP, x);
        return record("exp", out, in(x), in(out), (g, n) -> in(g.mul(n.saved(0))));
    }

    static Tensor log(Tensor x) {
        x = floating(x);
        return record("log", map(UnaryOp.LOG, x), in(x), in(x), (g, n) -> in(g.div(n.saved(0))));
    }

    static Tensor log1p(Tensor x) {
        x = floating(x);
        return record("log1p", map(UnaryOp.LOG1P, x), in(x), in(x), (g, n) -> in(g.div(n.saved(0).add(1))));
    }

    static Tensor expm1(Tensor x) {
        x = floating(x);
        Tensor out = map(UnaryOp.EXPM1, x);
        return record("expm1", out, in(x), in(out), (g, n) -> in(g.mul(n.saved(0).add(1))));
    }

    static Tensor sqrt(Tensor x) {
        x = floating(x);
        Tensor out = map(UnaryOp.SQRT, x);
        return record("sqrt", out, in(x), in(out), (g, n) -> in(g.div(n.saved(0).mul(2))));
    }

    static Tensor reciprocal(Tensor x) {
        x = floating(x);
        Tensor out = map(UnaryOp.RECIPROCAL, x);
        return record("reciprocal", out, in(x), in(out), (g, n) -> in(g.mul(n.saved(0).square()).neg()));
    }

    static Tensor abs(Tensor x) {
        return record("abs", map(UnaryOp.ABS, x), in(x), in(x), (g, n) -> {
            Tensor sign = n.saved(0).sign();
            return in(piecewiseConstantBackward("absBackward", g, n.saved(0), gg -> gg.mul(sign)));
        });
    }

    /**
     * {@code slope(g)} for a derivative that is piecewise constant in {@code x} (relu, abs), recorded as an op of
     * {@code (g, x)} whose own derivative is {@code slope} for {@code g} and 0 for {@code x}, as PyTorch's
     * {@code threshold_backward}: a gradient taken with createGraph then carries a graph, and a second derivative
     * is zeros rather than an error. Without createGraph nothing is recorded and this is just {@code slope(g)}.
     */
    static Tensor piecewiseConstantBackward(String op, Tensor g, Tensor x,
                                            java.util.function.UnaryOperator<Tensor> slope) {
        Tensor out;
        try (Grad.Scope off = Grad.disabled()) {
            out = slope.apply(g);
        }
        return record(op, out, in(g, x), Node.NONE,
                (gg, n) -> in(piecewiseConstantBackward(op, gg, x, slope), x.zerosLike()));
    }

    static Tensor sin(Tensor x) {
        x = floating(x);
        return record("sin", map(UnaryOp.SIN, x), in(x), in(x), (g, n) -> in(g.mul(n.saved(0).cos())));
    }

    static Tensor cos(Tensor x) {
        x = floating(x);
        return record("cos", map(UnaryOp.COS, x), in(x), in(x), (g, n) -> in(g.mul(n.saved(0).sin()).neg()));
    }

    /** {@code erf'(x) = 2/sqrt(pi) exp(-x^2)}. */
    static Tensor erf(Tensor x) {
        x = floating(x);
        return record("erf", map(UnaryOp.ERF, x), in(x), in(x),
                (g, n) -> in(g.mul(n.saved(0).square().neg().exp().mul(2 / Math.sqrt(Math.PI)))));
    }

    /** Saves the output: {@code tanh' = 1 - tanh^2}. */
    static Tensor tanh(Tensor x) {
        x = floating(x);
        Tensor out = map(UnaryOp.TANH, x);
        return record("tanh", out, in(x), in(out), (g, n) -> in(g.mul(n.saved(0).square().rsub(1))));
    }

    /** Saves the output: {@code sigmoid' = s (1 - s)}. */
    static Tensor sigmoid(Tensor x) {
        x = floating(x);
        Tensor out = map(UnaryOp.SIGMOID, x);
        return record("sigmoid", out, in(x), in(out), (g, n) -> {
            Tensor s = n.saved(0);
            return in(g.mul(s.mul(s.rsub(1))));
        });
    }

    /** Saves the output; the mask {@code out > 0} is the derivative (0 at x = 0, as PyTorch). */
    static Tensor relu(Tensor x) {
        Tensor out = map(UnaryOp.RELU, x);
        return record("relu", out, in(x), in(out), (g, n) -> {
            Tensor positive = n.saved(0).gt(0);
            return in(piecewiseConstantBackward("reluBackward", g, n.saved(0),
                    gg -> Tensor.where(positive, gg, Tensor.scalar(0, gg.dtype()))));
        });
    }

    static Tensor powScalar(Tensor x, double exponent) {
        Tensor out = zip("pow", BinaryOp.POW, x, Tensor.scalar(exponent, Promotion.withDouble(x.dtype())));
        return record("pow", out, in(x), in(x), (g, n) -> {
            if (exponent == 0) {
                return in(g.zerosLike());
            }
            return in(g.mul(n.saved(0).pow(exponent - 1).mul(exponent)));
        });
    }

    static Tensor clamp(Tensor x, double min, double max) {
        DType r = Promotion.withDouble(x.dtype());
        Tensor lo = Tensor.scalar(min, r);
        Tensor hi = Tensor.scalar(max, r);
        Tensor out = zip("clamp", BinaryOp.MIN, zip("clamp", BinaryOp.MAX, x, lo), hi);
        return record("clamp", out, in(x), in(x), (g, n) -> {
            Tensor v = n.saved(0);
            return in(g.mul(v.ge(min).logicalAnd(v.le(max))));
        });
    }

    /** Converts dtype; the gradient is converted back. Integer and bool results record nothing. */
    static Tensor cast(Tensor x, DType dtype) {
        Args.notNull(dtype, "to", "dtype");
        Tensor out = Casts.convert(x, dtype);
        if (out == x) {
            return x;
        }
        DType from = x.dtype();
        return record("to(" + dtype + ")", out, in(x), Node.NONE, (g, n) -> in(g.to(from)));
    }

    // --------------------------------------------------------------------------------------------- binary primitives

    static Tensor add(Tensor a, Tensor b) {
        return record("add", zip("add", BinaryOp.ADD, a, b), in(a, b), Node.NONE, (g, n) -> in(g, g));
    }

    static Tensor sub(Tensor a, Tensor b) {
        Args.notNull(b, "sub", "other");
        if (a.dtype() == DType.BOOL || b.dtype() == DType.BOOL) {
            throw new DTypeMismatchException("sub: subtraction with a bool tensor is not supported (dtypes " + a.dtype()
                    + " and " + b.dtype() + "), as in PyTorch; to invert a mask use logicalNot(), for 'a and not b'"
                    + " use a.logicalAnd(b.logicalNot()), or convert the mask with .to(DType.INT64)");
        }
        return record("sub", zip("sub", BinaryOp.SUB, a, b), in(a, b), Node.NONE,
                (g, n) -> in(g, n.needsGrad(1) ? g.neg() : null));
    }

    static Tensor mul(Tensor a, Tensor b) {
        return record("mul", zip("mul", BinaryOp.MUL, a, b), in(a, b), in(a, b), (g, n) -> in(
                n.needsGrad(0) ? g.mul(n.saved(1)) : null,
                n.needsGrad(1) ? g.mul(n.saved(0)) : null));
    }

    /** True division: integer and bool operands divide in float32, as {@code torch.div}. */
    static Tensor div(Tensor a, Tensor b) {
        Args.notNull(b, "div", "other");
        DType r = Promotion.resultType(a, b);
        Tensor out = r.isFloatingPoint() ? zip("div", BinaryOp.DIV, a, b)
                : zip("div", BinaryOp.DIV, floating(a), floating(b));
        return record("div", out, in(a, b), in(a, b), (g, n) -> {
            Tensor bv = n.saved(1);
            return in(
                    n.needsGrad(0) ? g.div(bv) : null,
                    n.needsGrad(1) ? g.mul(n.saved(0)).div(bv.square()).neg() : null);
        });
    }

    /**
     * {@code floor(a / b)} ({@code remainder = false}, not differentiable, as in PyTorch) or {@code a - b floor(a / b)}
     * (the remainder with the divisor's sign; d/da = 1, d/db = -floor(a / b)). Integer division by zero is refused,
     * as PyTorch raises ZeroDivisionError; float division by zero gives inf or NaN.
     */
    static Tensor floorDivide(String op, Tensor a, Tensor b, boolean remainder) {
        Args.notNull(b, op, "other");
        DType r = Promotion.resultType(a, b);
        if (r == DType.BOOL) {
            r = DType.INT64;   // PyTorch refuses bool floor division; grad4j computes it on 0/1 as integers
        }
        DType compute = computeType(r);
        Tensor ca = Casts.convert(a, compute);
        Tensor cb = Casts.convert(b, compute);
        if (!r.isFloatingPoint() && cb.eq(0L).any().itemBoolean()) {
            throw new IllegalArgumentException(op + ": integer division by zero (the divisor of dtype " + b.dtype()
                    + " and shape " + Shapes.str(b.shape) + " holds a 0; PyTorch raises ZeroDivisionError); use div"
                    + " for true division, which gives inf, or mask the zeros first");
        }
        int[] shape = Shapes.broadcast(op, a.shape, b.shape);
        Tensor out = Tensor.empty(compute, shape);
        int[][] strides = {out.strides, Shapes.broadcastStrides(a.shape, ca.strides, shape),
            Shapes.broadcastStrides(b.shape, cb.strides, shape)};
        int[] offsets = {0, ca.offset, cb.offset};
        StridedLoop.Body body = switch (out.storage) {
            case Storage.F32 o -> (p, s, len) -> KERNELS.floorDivide(remainder, ca.storage.floats(), p[1], s[1],
                    cb.storage.floats(), p[2], s[2], o.data, p[0], s[0], len);
            case Storage.F64 o -> (p, s, len) -> KERNELS.floorDivide(remainder, ca.storage.doubles(), p[1], s[1],
                    cb.storage.doubles(), p[2], s[2], o.data, p[0], s[0], len);
            default -> (p, s, len) -> KERNELS.floorDivide(remainder, ca.storage.longs(), p[1], s[1],
                    cb.storage.longs(), p[2], s[2], out.storage.longs(), p[0], s[0], len);
        };
        StridedLoop.forEach(shape, strides, offsets, body);
        Tensor result = Casts.convert(out, r);
        if (!remainder) {
            return result;
        }
        return record(op, result, in(a, b), in(a, b), (g, n) -> in(
                n.needsGrad(0) ? g : null,
                n.needsGrad(1) ? g.mul(n.saved(0).floorDivide(n.saved(1))).neg() : null));
    }

    /** d/da = b a^(b-1); d/db = a^b log(a), taken as 0 where a = 0 and b >= 0 (PyTorch's convention). */
    static Tensor pow(Tensor a, Tensor b) {
        Args.notNull(b, "pow", "exponent");
        if (!Promotion.resultType(a, b).isFloatingPoint() && b.numel() > 0
                && b.lt(0).any().itemBoolean()) {
            throw new IllegalArgumentException("pow: integers to negative integer powers are not allowed (exponent"
                    + " dtype " + b.dtype() + "); convert the base with .to(DType.FLOAT32)");
        }
        Tensor out = zip("pow", BinaryOp.POW, a, b);
        return record("pow", out, in(a, b), in(a, b, out), (g, n) -> {
            Tensor av = n.saved(0);
            Tensor bv = n.saved(1);
            if (!bv.dtype().isFloatingPoint()) {
                bv = bv.to(g.dtype());   // an integer or bool exponent: b - 1 below must not wrap or be refused
            }
            Tensor ga = null;
            Tensor gb = null;
            if (n.needsGrad(0)) {
                // Masked only where 0 * 0^-1 would give NaN: masking every b = 0 would also cut the rule's
                // dependence on b there, and with it the mixed second derivative d2/da db = 1/a.
                Tensor zeroZero = bv.eq(0).logicalAnd(av.eq(0));
                Tensor safe = Tensor.where(zeroZero, g.zerosLike(), g.mul(bv).mul(av.pow(bv.sub(1))));
                ga = safe;
            }
            if (n.needsGrad(1)) {
                Tensor zeroBase = av.eq(0).logicalAnd(bv.ge(0));
                Tensor logA = Tensor.where(zeroBase, av.onesLike(), av).log();
                gb = Tensor.where(zeroBase, g.zerosLike(), g.mul(n.saved(2)).mul(logA));
            }
            return in(ga, gb);
        });
    }

    static Tensor maximum(Tensor a, Tensor b) {
        Tensor out = zip("maximum", BinaryOp.MAX, a, b);
        return record("maximum", out, in(a, b), in(a, b), (g, n) -> splitByOrder(g, n.saved(0), n.saved(1), true));
    }

    static Tensor minimum(Tensor a, Tensor b) {
        Tensor out = zip("minimum", BinaryOp.MIN, a, b);
        return record("minimum", out, in(a, b), in(a, b), (g, n) -> splitByOrder(g, n.saved(0), n.saved(1), false));
    }

    /** The winner takes the gradient; on a tie each side takes half. */
    private static Tensor[] splitByOrder(Tensor g, Tensor a, Tensor b, boolean max) {
        Tensor aWins = (max ? a.gt(b) : a.lt(b)).to(g.dtype());
        Tensor tie = a.eq(b).to(g.dtype()).mul(0.5);
        Tensor bWins = (max ? b.gt(a) : b.lt(a)).to(g.dtype());
        return in(g.mul(aWins.add(tie)), g.mul(bWins.add(tie)));
    }

    static Tensor where(Tensor condition, Tensor a, Tensor b) {
        Args.notNull(condition, "where", "condition");
        Args.notNull(a, "where", "a");
        Args.notNull(b, "where", "b");
        if (condition.dtype() != DType.BOOL) {
            throw new DTypeMismatchException("where: the condition must be a bool tensor, got " + condition.dtype()
                    + " (shape " + Shapes.str(condition.shape) + "); compare to get one (x.gt(0)) or convert with"
                    + " .to(DType.BOOL)");
        }
        DType r = Promotion.resultType(a, b);
        DType compute = computeType(r);
        Tensor ca = Casts.convert(a, compute);
        Tensor cb = Casts.convert(b, compute);
        int[] shape = Shapes.broadcast("where", Shapes.broadcast("where", condition.shape, a.shape), b.shape);
        Tensor out = Tensor.empty(compute, shape);
        int[][] strides = {out.strides, Shapes.broadcastStrides(condition.shape, condition.strides, shape),
            Shapes.broadcastStrides(a.shape, ca.strides, shape), Shapes.broadcastStrides(b.shape, cb.strides, shape)};
        int[] offsets = {0, condition.offset, ca.offset, cb.offset};
        byte[] c = condition.storage.bytes();
        StridedLoop.Body body = switch (out.storage) {
            case Storage.F32 o -> (p, s, len) -> KERNELS.where(c, p[1], s[1], ca.storage.floats(), p[2], s[2],
                    cb.storage.floats(), p[3], s[3], o.data, p[0], s[0], len);
            case Storage.F64 o -> (p, s, len) -> KERNELS.where(c, p[1], s[1], ca.storage.doubles(), p[2], s[2],
                    cb.storage.doubles(), p[3], s[3], o.data, p[0], s[0], len);
            default -> (p, s, len) -> KERNELS.where(c, p[1], s[1], ca.storage.longs(), p[2], s[2],
                    cb.storage.longs(), p[3], s[3], out.storage.longs(), p[0], s[0], len);
        };
        StridedLoop.forEach(shape, strides, offsets, body);
        Tensor result = Casts.convert(out, r);
        Tensor mask = condition.detach();
        return record("where", result, in(a, b), Node.NONE, (g, n) -> {
            Tensor zero = g.zerosLike();
            return in(n.needsGrad(0) ? Tensor.where(mask, g, zero) : null,
                    n.needsGrad(1) ? Tensor.where(mask, zero, g) : null);
        });
    }

    /** A bool mask of {@code a op b}, compared in the operands' promoted dtype; records nothing. */
    static Tensor compare(String op, BinaryOp kind, Tensor a, Tensor b) {
        Args.notNull(b, op, "other");
        DType compute = computeType(Promotion.resultType(a, b));
        Tensor ca = Casts.convert(a, compute);
        Tensor cb = Casts.convert(b, compute);
        int[] shape = Shapes.broadcast(op, a.shape, b.shape);
        Tensor out = Tensor.empty(DType.BOOL, shape);
        int[][] strides = {out.strides, Shapes.broadcastStrides(a.shape, ca.strides, shape),
            Shapes.broadcastStrides(b.shape, cb.strides, shape)};
        int[] offsets = {0, ca.offset, cb.offset};
        byte[] o = out.storage.bytes();
        StridedLoop.Body body = switch (ca.storage) {
            case Storage.F32 x -> (p, s, len) -> KERNELS.compare(kind, x.data, p[1], s[1], cb.storage.floats(), p[2],
                    s[2], o, p[0], s[0], len);
            case Storage.F64 x -> (p, s, len) -> KERNELS.compare(kind, x.data, p[1], s[1], cb.storage.doubles(), p[2],
                    s[2], o, p[0], s[0], len);
            default -> (p, s, len) -> KERNELS.compare(kind, ca.storage.longs(), p[1], s[1], cb.storage.longs(), p[2],
                    s[2], o, p[0], s[0], len);
        };
        StridedLoop.forEach(shape, strides, offsets, body);
        return out;
    }

    /** What an op whose result has dtype {@code result} computes in: floats as themselves, the rest in int64. */
    static DType computeType(DType result) {
        return result.isFloatingPoint() ? result : DType.INT64;
    }

    // --------------------------------------------------------------------------------------------- loops

    /**
     * {@code op(x)} into a new contiguous tensor of x's dtype; records nothing. Integer and bool tensors support
     * {@code IDENTITY NEG ABS SIGN RELU} (computed in int64, then narrowed, so they wrap as PyTorch's do).
     */
    static Tensor map(UnaryOp op, Tensor x) {
        DType dtype = x.dtype();
        if (dtype.isFloatingPoint() || op == UnaryOp.IDENTITY || dtype == DType.INT64) {
            Tensor out = Tensor.empty(dtype, x.shape);
            mapInto(op, out, x);
            return out;
        }
        Tensor wide = Tensor.empty(DType.INT64, x.shape);
        mapInto(op, wide, Casts.convert(x, DType.INT64));
        return Casts.convert(wide, dtype);
    }

    /** {@code out = op(x)} for tensors of one shape and dtype; out may be x itself. */
    static void mapInto(UnaryOp op, Tensor out, Tensor x) {
        StridedLoop.Body body = switch (x.storage) {
            case Storage.F32 xs -> (o, s, len) -> KERNELS.unary(op, xs.data, o[1], s[1], out.storage.floats(), o[0],
                    s[0], len);
            case Storage.F64 xs -> (o, s, len) -> KERNELS.unary(op, xs.data, o[1], s[1], out.storage.doubles(), o[0],
                    s[0], len);
            case Storage.I64 xs -> (o, s, len) -> KERNELS.unary(op, xs.data, o[1], s[1], out.storage.longs(), o[0],
                    s[0], len);
            case Storage.I32 xs -> (o, s, len) -> KERNELS.copy(xs.data, o[1], s[1], out.storage.ints(), o[0], s[0],
                    len);
            case Storage.Bytes xs -> (o, s, len) -> KERNELS.copy(xs.data, o[1], s[1], out.storage.bytes(), o[0],
                    s[0], len);
        };
        StridedLoop.forEach(x.shape, new int[][] {out.strides, x.strides}, new int[] {out.offset, x.offset}, body);
    }

    /**
     * {@code op(a, b)} with broadcasting and type promotion into a new contiguous tensor; records nothing.
     * Floating results compute in their dtype; integer and bool results compute in int64 and are narrowed
     * (wrapping), so a bool sum is a logical or and a bool product a logical and, as in PyTorch.
     */
    static Tensor zip(String name, BinaryOp op, Tensor a, Tensor b) {
        Args.notNull(b, name, "other");
        DType r = Promotion.resultType(a, b);
        DType compute = computeType(r);
        int[] shape = Shapes.broadcast(name, a.shape, b.shape);
        Tensor out = Tensor.empty(compute, shape);
        zipInto(op, out, Casts.convert(a, compute), Casts.convert(b, compute));
        return Casts.convert(out, r);
    }

    /** {@code out = op(a, b)}, all of one float or int64 dtype; a and b broadcast to out's shape; out may alias a. */
    static void zipInto(BinaryOp op, Tensor out, Tensor a, Tensor b) {
        int[] shape = out.shape;
        int[][] strides = {out.strides, stridesAs(a, shape), stridesAs(b, shape)};
        int[] offsets = {out.offset, a.offset, b.offset};
        StridedLoop.Body body = switch (out.storage) {
            case Storage.F32 o -> (p, s, len) -> KERNELS.binary(op, a.storage.floats(), p[1], s[1],
                    b.storage.floats(), p[2], s[2], o.data, p[0], s[0], len);
            case Storage.F64 o -> (p, s, len) -> KERNELS.binary(op, a.storage.doubles(), p[1], s[1],
                    b.storage.doubles(), p[2], s[2], o.data, p[0], s[0], len);
            case Storage.I64 o -> (p, s, len) -> KERNELS.binary(op, a.storage.longs(), p[1], s[1],
                    b.storage.longs(), p[2], s[2], o.data, p[0], s[0], len);
            default -> throw new IllegalStateException("zipInto computes in float32, float64 or int64, got "
                    + out.dtype());
        };
        StridedLoop.forEach(shape, strides, offsets, body);
    }

    /** The operand's strides read in {@code shape}: its own when it has that shape (no copy), else broadcast. */
    private static int[] stridesAs(Tensor t, int[] shape) {
        return java.util.Arrays.equals(t.shape, shape) ? t.strides : Shapes.broadcastStrides(t.shape, t.strides, shape);
    }

    /** {@code dst = src}, src broadcast to dst's shape (already checked) and converted to dst's dtype; no graph. */
    static void copyInto(Tensor dst, Tensor source) {
        Tensor src = Casts.convert(source, dst.dtype());
        int[][] strides = {dst.strides, Shapes.broadcastStrides(src.shape, src.strides, dst.shape)};
        int[] offsets = {dst.offset, src.offset};
        StridedLoop.Body body = switch (src.storage) {
            case Storage.F32 x -> (o, s, len) -> KERNELS.unary(UnaryOp.IDENTITY, x.data, o[1], s[1],
                    dst.storage.floats(), o[0], s[0], len);
            case Storage.F64 x -> (o, s, len) -> KERNELS.unary(UnaryOp.IDENTITY, x.data, o[1], s[1],
                    dst.storage.doubles(), o[0], s[0], len);
            case Storage.I64 x -> (o, s, len) -> KERNELS.unary(UnaryOp.IDENTITY, x.data, o[1], s[1],
                    dst.storage.longs(), o[0], s[0], len);
            case Storage.I32 x -> (o, s, len) -> KERNELS.copy(x.data, o[1], s[1], dst.storage.ints(), o[0], s[0], len);
            case Storage.Bytes x -> (o, s, len) -> KERNELS.copy(x.data, o[1], s[1], dst.storage.bytes(), o[0], s[0],
                    len);
        };
        StridedLoop.forEach(dst.shape, strides, offsets, body);
    }

    /** For ops that need one dtype (matmul, a backward's root gradient): a clear error when the two differ. */
    static void checkDtypes(String op, Tensor a, Tensor b) {
        if (a.dtype() != b.dtype()) {
            throw new DTypeMismatchException(op + ": dtypes " + a.dtype() + " and " + b.dtype() + " do not match"
                    + " (shapes " + Shapes.str(a.shape) + " and " + Shapes.str(b.shape) + "); " + op
                    + " needs one dtype: convert one with .to(DType." + a.dtype().name() + ") or .to(DType."
                    + b.dtype().name() + ")");
        }
    }
}
