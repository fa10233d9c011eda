package org.grad4j.core;

import static org.grad4j.core.Node.in;
import static org.grad4j.core.Node.record;
import static org.grad4j.core.Node.recordSavingInputs;

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
        return record("neg", map(UnaryOp.NEG, x), in(x), Node.NONE, (g, n) -> in(negated(n, g)));
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
        return recordSavingInputs("log", map(UnaryOp.LOG, x), in(x), (g, n) -> in(g.div(n.saved(0))));
    }

    static Tensor log1p(Tensor x) {
        x = floating(x);
        return recordSavingInputs("log1p", map(UnaryOp.LOG1P, x), in(x), (g, n) -> in(g.div(n.saved(0).add(1))));
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
        return recordSavingInputs("abs", map(UnaryOp.ABS, x), in(x), (g, n) -> {
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
        if (!Grad.isEnabled()) {
            return slope.apply(g);   // no graph is being recorded (a backward without createGraph)
        }
        Tensor out;
        try (Grad.Scope off = Grad.disabled()) {
            out = slope.apply(g);
        }
        return record(op, out, in(g, x), Node.NONE,
                (gg, n) -> in(piecewiseConstantBackward(op, gg, x, slope), x.zerosLike()));
    }

    static Tensor sin(Tensor x) {
        x = floating(x);
        return recordSavingInputs("sin", map(UnaryOp.SIN, x), in(x), (g, n) -> in(g.mul(n.saved(0).cos())));
    }

    static Tensor cos(Tensor x) {
        x = floating(x);
        return recordSavingInputs("cos", map(UnaryOp.COS, x), in(x), (g, n) -> in(g.mul(n.saved(0).sin()).neg()));
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
        return record("tanh", out, in(x), in(out), (g, n) -> {
            Tensor fused = FusedBackward.tanh(n, g, n.saved(0));
            return in(fused != null ? fused : g.mul(n.saved(0).square().rsub(1)));
        });
    }

    /** Saves the output: {@code sigmoid' = s (1 - s)}. */
    static Tensor sigmoid(Tensor x) {
        x = floating(x);
        Tensor out = map(UnaryOp.SIGMOID, x);
        return record("sigmoid", out, in(x), in(out), (g, n) -> {
            Tensor s = n.saved(0);
            Tensor fused = FusedBackward.sigmoid(n, g, s);
            return in(fused != null ? fused : g.mul(s.mul(s.rsub(1))));
        });
    }

    /** Saves the output; the mask {@code out > 0} is the derivative (0 at x = 0, as PyTorch). */
    static Tensor relu(Tensor x) {
        Tensor out = map(UnaryOp.RELU, x);
        return record("relu", out, in(x), in(out), (g, n) -> in(reluGrad(n, g, n.saved(0))));
    }

    /**
     * relu's rule: {@code g} where {@code y = relu(x) > 0}, else 0, for node n's output y (also the rule's first step
     * in {@code Convolution}'s fused conv2dRelu).
     */
    static Tensor reluGrad(Node n, Tensor g, Tensor y) {
        Tensor fused = FusedBackward.relu(n, g, y);
        if (fused != null) {
            return fused;
        }
        Tensor positive = y.gt(0);
        return piecewiseConstantBackward("reluBackward", g, y,
                gg -> Tensor.where(positive, gg, Tensor.scalar(0, gg.dtype())));
    }

    static Tensor powScalar(Tensor x, double exponent) {
        Tensor out = zip("pow", BinaryOp.POW, x, Tensor.scalar(exponent, Promotion.withDouble(x.dtype())));
        return recordSavingInputs("pow", out, in(x), (g, n) -> {
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
        return recordSavingInputs("clamp", out, in(x), (g, n) -> {
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
                (g, n) -> in(g, n.needsGrad(1) ? negated(n, g) : null));
    }

    /** {@code g.neg()}, in one pass when no graph is recorded. */
    private static Tensor negated(Node n, Tensor g) {
        Tensor fused = FusedBackward.neg(n, g);
        return fused != null ? fused : g.neg();
    }

    static Tensor mul(Tensor a, Tensor b) {
        return recordSavingInputs("mul", zip("mul", BinaryOp.MUL, a, b), in(a, b), (g, n) -> {
            Tensor[] fused = FusedBackward.mul(n, g, n.saved(0), n.saved(1), n.needsGrad(0), n.needsGrad(1));
            return fused != null ? fused : in(
                    n.needsGrad(0) ? g.mul(n.saved(1)) : null,
                    n.needsGrad(1) ? g.mul(n.saved(0)) : null);
        });
    }

    /** True division: integer and bool operands divide in float32, as {@code torch.div}. */
    static Tensor div(Tensor a, Tensor b) {
        Args.notNull(b, "div", "other");
        DType r = Promotion.resultType(a, b);
        Tensor out = r.isFloatingPoint() ? zip("div", BinaryOp.DIV, a, b)
                : zip("div", BinaryOp.DIV, floating(a), floating(b));
        return recordSavingInputs("div", out, in(a, b), (g, n) -> {
            Tensor bv = n.saved(1);
            Tensor[] fused = FusedBackward.div(n, g, n.saved(0), bv, n.needsGrad(0), n.needsGrad(1));
            if (fused != null) {
                return fused;
            }
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
        return recordSavingInputs(op, result, in(a, b), (g, n) -> in(
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
        return recordSavingInputs("maximum", out, in(a, b), (g, n) -> splitByOrder(g, n.saved(0), n.saved(1), true));
    }

    static Tensor minimum(Tensor a, Tensor b) {
        Tensor out = zip("minimum", BinaryOp.MIN, a, b);
        return recordSavingInputs("minimum", out, in(a, b), (g, n) -> splitByOrder(g, n.saved(0), n.saved(1), false));
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
        Tensor result = whereDense(condition, a, b, r);
        if (result == null) {
            result = whereStrided(condition, a, b, r);
        }
        Tensor mask = condition.detach();
        return record("where", result, in(a, b), Node.NONE, (g, n) -> {
            Tensor zero = g.zerosLike();
            return in(n.needsGrad(0) ? Tensor.where(mask, g, zero) : null,
                    n.needsGrad(1) ? Tensor.where(mask, zero, g) : null);
        });
    }

    /** {@link #where}'s values for the common case in one kernel call (see {@link #largest}), or null. */
    private static Tensor whereDense(Tensor condition, Tensor a, Tensor b, DType r) {
        if (!r.isFloatingPoint() || a.dtype() != r || b.dtype() != r) {
            return null;
        }
        Tensor big = largest(condition, a, b);
        int sc = denseStride(condition, big);
        int sa = denseStride(a, big);
        int sb = denseStride(b, big);
        if (big == null || sc < 0 || sa < 0 || sb < 0) {
            return null;
        }
        Tensor out = new Tensor(Storage.allocate(r, big.numel()), big.shape, big.strides, 0);
        byte[] c = condition.storage.bytes();
        int co = condition.offset;
        int ao = a.offset;
        int bo = b.offset;
        if (out.storage instanceof Storage.F32 o) {
            float[] x = a.storage.floats();
            float[] y = b.storage.floats();
            ParallelParts.elements(o.data.length, 3, (from, to) -> KERNELS.where(c, co + from * sc, sc,
                    x, ao + from * sa, sa, y, bo + from * sb, sb, o.data, from, 1, to - from));
        } else {
            double[] x = a.storage.doubles();
            double[] y = b.storage.doubles();
            double[] o = out.storage.doubles();
            ParallelParts.elements(o.length, 3, (from, to) -> KERNELS.where(c, co + from * sc, sc,
                    x, ao + from * sa, sa, y, bo + from * sb, sb, o, from, 1, to - from));
        }
        return out;
    }

    /**
     * The operand whose shape and strides a dense fast path's output can share: the first with the most elements,
     * if it has row-major strides and is not empty; else null.
     */
    private static Tensor largest(Tensor a, Tensor b) {
        Tensor big = b.dim() > a.dim() || b.numel() > a.numel() ? b : a;
        return big.numel() > 0 && rowMajor(big) ? big : null;
    }

    private static Tensor largest(Tensor a, Tensor b, Tensor c) {
        Tensor big = largest(a, b);
        return big == null || c.dim() > big.dim() || c.numel() > big.numel() ? largest(c, c) : big;
    }

    /**
     * How a fast path reads {@code t} over {@code big}'s shape in one run: stride 1 when it has that shape and is
     * contiguous, stride 0 when it is a single element of no higher rank (broadcast), -1 when neither.
     */
    private static int denseStride(Tensor t, Tensor big) {
        if (big == null) {
            return -1;
        }
        if (t.shape == big.shape || java.util.Arrays.equals(t.shape, big.shape)) {
            return t.isContiguous() ? 1 : -1;
        }
        return t.numel() == 1 && t.dim() <= big.dim() ? 0 : -1;
    }

    private static Tensor whereStrided(Tensor condition, Tensor a, Tensor b, DType r) {
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
        return Casts.convert(out, r);
    }

    /** A bool mask of {@code a op b}, compared in the operands' promoted dtype; records nothing. */
    static Tensor compare(String op, BinaryOp kind, Tensor a, Tensor b) {
        Args.notNull(b, op, "other");
        DType compute = computeType(Promotion.resultType(a, b));
        if (compute.isFloatingPoint() && a.dtype() == compute && b.dtype() == compute) {
            Tensor big = largest(a, b);
            int sa = denseStride(a, big);
            int sb = denseStride(b, big);
            if (sa >= 0 && sb >= 0) {
                Tensor out = new Tensor(Storage.allocate(DType.BOOL, big.numel()), big.shape, big.strides, 0);
                byte[] o = out.storage.bytes();
                int ao = a.offset;
                int bo = b.offset;
                if (compute == DType.FLOAT32) {
                    float[] x = a.storage.floats();
                    float[] y = b.storage.floats();
                    ParallelParts.elements(o.length, 2, (from, to) -> KERNELS.compare(kind, x, ao + from * sa, sa,
                            y, bo + from * sb, sb, o, from, 1, to - from));
                } else {
                    double[] x = a.storage.doubles();
                    double[] y = b.storage.doubles();
                    ParallelParts.elements(o.length, 2, (from, to) -> KERNELS.compare(kind, x, ao + from * sa, sa,
                            y, bo + from * sb, sb, o, from, 1, to - from));
                }
                return out;
            }
        }
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
        if ((op == UnaryOp.NEG || op == UnaryOp.RELU) && isSingle(x)) {
            // The kernels' formulas (relu: max(v, +0)) without their dispatch: most of a scalar op's cost.
            if (x.storage instanceof Storage.F32 xs) {
                float v = xs.data[x.offset];
                return new Tensor(new Storage.F32(new float[] {op == UnaryOp.NEG ? -v : Math.max(v, 0f)}), x.shape,
                        x.strides, 0);
            }
            if (x.storage instanceof Storage.F64 xs) {
                double v = xs.data[x.offset];
                return new Tensor(new Storage.F64(new double[] {op == UnaryOp.NEG ? -v : Math.max(v, 0d)}), x.shape,
                        x.strides, 0);
            }
        }
        DType dtype = x.dtype();
        if (dtype.isFloatingPoint() && rowMajor(x) && x.numel() > 0) {
            // The common case in one kernel call: no loop bookkeeping, and the output shares x's shape and strides.
            Tensor out = new Tensor(Storage.allocate(dtype, x.numel()), x.shape, x.strides, 0);
            int xo = x.offset;
            if (out.storage instanceof Storage.F32 o) {
                float[] xs = x.storage.floats();
                ParallelParts.elements(o.data.length, 2,
                        (from, to) -> KERNELS.unary(op, xs, xo + from, 1, o.data, from, 1, to - from));
            } else {
                double[] xs = x.storage.doubles();
                double[] o = out.storage.doubles();
                ParallelParts.elements(o.length, 2,
                        (from, to) -> KERNELS.unary(op, xs, xo + from, 1, o, from, 1, to - from));
            }
            return out;
        }
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
        Tensor single = zipSingle(op, a, b);
        if (single != null) {
            return single;
        }
        Tensor dense = zipDense(op, a, b);
        if (dense != null) {
            return dense;
        }
        DType r = Promotion.resultType(a, b);
        DType compute = computeType(r);
        int[] shape = Shapes.broadcast(name, a.shape, b.shape);
        Tensor out = Tensor.empty(compute, shape);
        zipInto(op, out, Casts.convert(a, compute), Casts.convert(b, compute));
        return Casts.convert(out, r);
    }

    /**
     * {@link #zip} in one kernel call for the common case, or null: one float dtype, and either one contiguous shape
     * for both, or one operand a single element broadcast over the other (a scalar constant), or rows of a bias
     * ({@link #zipRows}). The
     * output shares the larger operand's shape and strides arrays (tensors never modify theirs), so a small op
     * allocates only its tensor and storage. Same elements, same kernel: the same bits as the strided loop.
     */
    private static Tensor zipDense(BinaryOp op, Tensor a, Tensor b) {
        DType dtype = a.dtype();
        if (dtype != b.dtype() || !dtype.isFloatingPoint()) {
            return null;
        }
        Tensor big = largest(a, b);
        int aStride = denseStride(a, big);
        int bStride = denseStride(b, big);
        if (aStride < 0 || bStride < 0) {
            return big == a && bStride < 0 ? zipRows(op, a, b) : null;
        }
        int n = big.numel();
        Tensor out = new Tensor(Storage.allocate(dtype, n), big.shape, big.strides, 0);
        if (n == 1 && isArithmetic(op)) {
            // One IEEE operation: the kernel's bits without its dispatch, most of a scalar op's cost.
            if (out.storage instanceof Storage.F32 o) {
                o.data[0] = single(op, a.storage.floats()[a.offset], b.storage.floats()[b.offset]);
            } else {
                out.storage.doubles()[0] = single(op, a.storage.doubles()[a.offset], b.storage.doubles()[b.offset]);
            }
        } else if (out.storage instanceof Storage.F32 o) {
            float[] x = a.storage.floats();
            float[] y = b.storage.floats();
            int ao = a.offset;
            int bo = b.offset;
            ParallelParts.elements(n, 3, (from, to) -> KERNELS.binary(op, x, ao + from * aStride, aStride,
                    y, bo + from * bStride, bStride, o.data, from, 1, to - from));
        } else {
            double[] x = a.storage.doubles();
            double[] y = b.storage.doubles();
            double[] o = out.storage.doubles();
            int ao = a.offset;
            int bo = b.offset;
            ParallelParts.elements(n, 3, (from, to) -> KERNELS.binary(op, x, ao + from * aStride, aStride,
                    y, bo + from * bStride, bStride, o, from, 1, to - from));
        }
        return out;
    }

    /**
     * Whether t is one element laid out as a new one-element tensor is (0-d, or shape [1] with stride 1), so that
     * a one-element result may share its shape and strides arrays.
     */
    static boolean isSingle(Tensor t) {
        int[] shape = t.shape;
        return shape.length == 0 || shape.length == 1 && shape[0] == 1 && t.strides[0] == 1;
    }

    /**
     * {@link #zip} of two single elements of one rank (0-d scalars, or [1]) and one float dtype for ADD, SUB, MUL,
     * DIV, or null: one IEEE operation, as the kernels compute it, without the general path's checks and dispatch,
     * which are most of a scalar op's cost.
     */
    private static Tensor zipSingle(BinaryOp op, Tensor a, Tensor b) {
        if (!isArithmetic(op) || a.shape.length != b.shape.length || !isSingle(a) || !isSingle(b)) {
            return null;
        }
        if (a.storage instanceof Storage.F32 x && b.storage instanceof Storage.F32 y) {
            return new Tensor(new Storage.F32(new float[] {single(op, x.data[a.offset], y.data[b.offset])}), a.shape,
                    a.strides, 0);
        }
        if (a.storage instanceof Storage.F64 x && b.storage instanceof Storage.F64 y) {
            return new Tensor(new Storage.F64(new double[] {single(op, x.data[a.offset], y.data[b.offset])}), a.shape,
                    a.strides, 0);
        }
        return null;
    }

    /**
     * Whether op is one IEEE operation ({@link #single}): ADD, SUB, MUL and DIV are BinaryOp's first four constants
     * (one comparison on this hot path; {@link #single} throws for any other op, so a reordering fails loudly).
     */
    private static boolean isArithmetic(BinaryOp op) {
        return op.compareTo(BinaryOp.DIV) <= 0;
    }

    /** {@code x op y} for ADD, SUB, MUL, DIV (as the kernels compute each element: Java never fuses these). */
    private static float single(BinaryOp op, float x, float y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            default -> throw new IllegalStateException("not one IEEE operation: " + op);
        };
    }

    private static double single(BinaryOp op, double x, double y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            default -> throw new IllegalStateException("not one IEEE operation: " + op);
        };
    }

    /**
     * {@code a op b} for a row-major {@code a} and a contiguous {@code b} whose shape is a trailing part of a's
     * (a bias added to a batch): one kernel call per row of b's size. Null for any other layout.
     */
    private static Tensor zipRows(BinaryOp op, Tensor a, Tensor b) {
        int lead = a.dim() - b.dim();
        if (lead <= 0 || !b.isContiguous()) {
            return null;
        }
        for (int d = 0; d < b.dim(); d++) {
            if (b.shape[d] != a.shape[lead + d]) {
                return null;
            }
        }
        int row = b.numel();
        int n = a.numel();
        if (row == 0) {
            return null;
        }
        Tensor out = new Tensor(Storage.allocate(a.dtype(), n), a.shape, a.strides, 0);
        int ao = a.offset;
        int bo = b.offset;
        if (out.storage instanceof Storage.F32 o) {
            float[] x = a.storage.floats();
            float[] y = b.storage.floats();
            ParallelParts.units(n / row, 2L * n, (r0, r1) -> {
                for (int start = r0 * row; start < r1 * row; start += row) {
                    KERNELS.binary(op, x, ao + start, 1, y, bo, 1, o.data, start, 1, row);
                }
            });
        } else {
            double[] x = a.storage.doubles();
            double[] y = b.storage.doubles();
            double[] o = out.storage.doubles();
            ParallelParts.units(n / row, 2L * n, (r0, r1) -> {
                for (int start = r0 * row; start < r1 * row; start += row) {
                    KERNELS.binary(op, x, ao + start, 1, y, bo, 1, o, start, 1, row);
                }
            });
        }
        return out;
    }

    /** Whether t's strides are exactly the row-major strides of its shape, so a new tensor may share them. */
    static boolean rowMajor(Tensor t) {
        int[] shape = t.shape;
        int[] strides = t.strides;
        int expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (strides[d] != expected) {
                return false;
            }
            expected *= Math.max(shape[d], 1);
        }
        return true;
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

    /**
     * {@code a.add(b)} without a graph, as the engine sums two gradients outside createGraph: one kernel call for
     * dense operands (the same bits as {@link #add}), else {@link #add} itself.
     */
    static Tensor sumUnrecorded(Tensor a, Tensor b) {
        Tensor single = zipSingle(BinaryOp.ADD, a, b);
        if (single != null) {
            return single;
        }
        Tensor dense = zipDense(BinaryOp.ADD, a, b);
        return dense != null ? dense : add(a, b);
    }

    /**
     * {@code self += other} in one kernel call when both are of one float dtype and one shape, row-major and not
     * sharing storage (the engine's accumulation of gradients); false, with nothing written, for any other case.
     * The same kernel as {@link #zipInto}, so the same bits. Does not bump the version.
     */
    static boolean addIntoDense(Tensor self, Tensor other) {
        if (self.storage != other.storage && self.shape.length == other.shape.length && isSingle(self)
                && isSingle(other)) {
            // One element each (a scalar graph's sums): the addition below without the checks of the general case.
            if (self.storage instanceof Storage.F32 s && other.storage instanceof Storage.F32 o) {
                s.data[self.offset] += o.data[other.offset];
                return true;
            }
            if (self.storage instanceof Storage.F64 s && other.storage instanceof Storage.F64 o) {
                s.data[self.offset] += o.data[other.offset];
                return true;
            }
        }
        DType dtype = self.dtype();
        if (dtype != other.dtype() || !dtype.isFloatingPoint() || self.storage == other.storage
                || (self.shape != other.shape && !java.util.Arrays.equals(self.shape, other.shape))
                || !rowMajor(self) || !rowMajor(other)) {
            return false;
        }
        int n = self.numel();
        if (self.storage instanceof Storage.F32 s) {
            float[] o = other.storage.floats();
            if (n == 1) {
                s.data[self.offset] += o[other.offset];
            } else {
                int so = self.offset;
                int oo = other.offset;
                ParallelParts.elements(n, 3, (from, to) -> KERNELS.binary(BinaryOp.ADD, s.data, so + from, 1,
                        o, oo + from, 1, s.data, so + from, 1, to - from));
            }
        } else {
            double[] d = self.storage.doubles();
            double[] o = other.storage.doubles();
            if (n == 1) {
                d[self.offset] += o[other.offset];
            } else {
                int so = self.offset;
                int oo = other.offset;
                ParallelParts.elements(n, 3, (from, to) -> KERNELS.binary(BinaryOp.ADD, d, so + from, 1,
                        o, oo + from, 1, d, so + from, 1, to - from));
            }
        }
        return true;
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
