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
        return record("neg", map(UnaryOp.NEG, x), in(x), Node.NONE, (g, n) -> in(g.neg()));
    }

    static Tensor exp(Tensor x) {
        Tensor out = map(UnaryOp.EXP, x);
        return record("exp", out, in(x), in(out), (g, n) -> in(g.mul(n.saved(0))));
    }

    static Tensor log(Tensor x) {
        return record("log", map(UnaryOp.LOG, x), in(x), in(x), (g, n) -> in(g.div(n.saved(0))));
    }

    static Tensor log1p(Tensor x) {
        return record("log1p", map(UnaryOp.LOG1P, x), in(x), in(x), (g, n) -> in(g.div(n.saved(0).add(1))));
    }

    static Tensor expm1(Tensor x) {
        Tensor out = map(UnaryOp.EXPM1, x);
        return record("expm1", out, in(x), in(out), (g, n) -> in(g.mul(n.saved(0).add(1))));
    }

    static Tensor sqrt(Tensor x) {
        Tensor out = map(UnaryOp.SQRT, x);
        return record("sqrt", out, in(x), in(out), (g, n) -> in(g.div(n.saved(0).mul(2))));
    }

    static Tensor reciprocal(Tensor x) {
        Tensor out = map(UnaryOp.RECIPROCAL, x);
        return record("reciprocal", out, in(x), in(out), (g, n) -> in(g.mul(n.saved(0).square()).neg()));
    }

    static Tensor abs(Tensor x) {
        return record("abs", map(UnaryOp.ABS, x), in(x), in(x), (g, n) -> in(g.mul(n.saved(0).sign())));
    }

    static Tensor sin(Tensor x) {
        return record("sin", map(UnaryOp.SIN, x), in(x), in(x), (g, n) -> in(g.mul(n.saved(0).cos())));
    }

    static Tensor cos(Tensor x) {
        return record("cos", map(UnaryOp.COS, x), in(x), in(x), (g, n) -> in(g.mul(n.saved(0).sin()).neg()));
    }

    /** {@code erf'(x) = 2/sqrt(pi) exp(-x^2)}. */
    static Tensor erf(Tensor x) {
        return record("erf", map(UnaryOp.ERF, x), in(x), in(x),
                (g, n) -> in(g.mul(n.saved(0).square().neg().exp().mul(2 / Math.sqrt(Math.PI)))));
    }

    /** Saves the output: {@code tanh' = 1 - tanh^2}. */
    static Tensor tanh(Tensor x) {
        Tensor out = map(UnaryOp.TANH, x);
        return record("tanh", out, in(x), in(out), (g, n) -> in(g.mul(n.saved(0).square().rsub(1))));
    }

    /** Saves the output: {@code sigmoid' = s (1 - s)}. */
    static Tensor sigmoid(Tensor x) {
        Tensor out = map(UnaryOp.SIGMOID, x);
        return record("sigmoid", out, in(x), in(out), (g, n) -> {
            Tensor s = n.saved(0);
            return in(g.mul(s.mul(s.rsub(1))));
        });
    }

    /** Saves the output; the mask {@code out > 0} is the derivative (0 at x = 0, as PyTorch). */
    static Tensor relu(Tensor x) {
        Tensor out = map(UnaryOp.RELU, x);
        return record("relu", out, in(x), in(out), (g, n) -> in(g.mul(n.saved(0).gt(0))));
    }

    static Tensor powScalar(Tensor x, double exponent) {
        Tensor out = zip("pow", BinaryOp.POW, x, Tensor.scalar(exponent, x.dtype()));
        return record("pow", out, in(x), in(x), (g, n) -> {
            if (exponent == 0) {
                return in(g.zerosLike());
            }
            return in(g.mul(n.saved(0).pow(exponent - 1).mul(exponent)));
        });
    }

    static Tensor clamp(Tensor x, double min, double max) {
        Tensor lo = Tensor.scalar(min, x.dtype());
        Tensor hi = Tensor.scalar(max, x.dtype());
        Tensor out = zip("clamp", BinaryOp.MIN, zip("clamp", BinaryOp.MAX, x, lo), hi);
        return record("clamp", out, in(x), in(x), (g, n) -> {
            Tensor v = n.saved(0);
            return in(g.mul(v.ge(min).mul(v.le(max))));
        });
    }

    /** Converts dtype; the gradient is converted back. */
    static Tensor cast(Tensor x, DType dtype) {
        if (x.dtype() == dtype) {
            return x;
        }
        Tensor dense = map(UnaryOp.IDENTITY, x);
        Tensor out = Tensor.empty(dtype, x.shape);
        if (dtype == DType.FLOAT64) {
            float[] src = dense.storage.floats;
            double[] dst = out.storage.doubles;
            for (int i = 0; i < src.length; i++) dst[i] = src[i];
        } else {
            double[] src = dense.storage.doubles;
            float[] dst = out.storage.floats;
            for (int i = 0; i < src.length; i++) dst[i] = (float) src[i];
        }
        DType from = x.dtype();
        return record("to(" + dtype + ")", out, in(x), Node.NONE, (g, n) -> in(g.to(from)));
    }

    // --------------------------------------------------------------------------------------------- binary primitives

    static Tensor add(Tensor a, Tensor b) {
        return record("add", zip("add", BinaryOp.ADD, a, b), in(a, b), Node.NONE, (g, n) -> in(g, g));
    }

    static Tensor sub(Tensor a, Tensor b) {
        return record("sub", zip("sub", BinaryOp.SUB, a, b), in(a, b), Node.NONE,
                (g, n) -> in(g, n.needsGrad(1) ? g.neg() : null));
    }

    static Tensor mul(Tensor a, Tensor b) {
        return record("mul", zip("mul", BinaryOp.MUL, a, b), in(a, b), in(a, b), (g, n) -> in(
                n.needsGrad(0) ? g.mul(n.saved(1)) : null,
                n.needsGrad(1) ? g.mul(n.saved(0)) : null));
    }

    static Tensor div(Tensor a, Tensor b) {
        return record("div", zip("div", BinaryOp.DIV, a, b), in(a, b), in(a, b), (g, n) -> {
            Tensor bv = n.saved(1);
            return in(
                    n.needsGrad(0) ? g.div(bv) : null,
                    n.needsGrad(1) ? g.mul(n.saved(0)).div(bv.square()).neg() : null);
        });
    }

    /** d/da = b a^(b-1); d/db = a^b log(a), taken as 0 where a = 0 and b >= 0 (PyTorch's convention). */
    static Tensor pow(Tensor a, Tensor b) {
        Tensor out = zip("pow", BinaryOp.POW, a, b);
        return record("pow", out, in(a, b), in(a, b, out), (g, n) -> {
            Tensor av = n.saved(0);
            Tensor bv = n.saved(1);
            Tensor ga = null;
            Tensor gb = null;
            if (n.needsGrad(0)) {
                // Masked only where 0 * 0^-1 would give NaN: masking every b = 0 would also cut the rule's
                // dependence on b there, and with it the mixed second derivative d2/da db = 1/a.
                Tensor zeroZero = bv.eq(0).mul(av.eq(0));
                Tensor safe = Tensor.where(zeroZero, g.zerosLike(), g.mul(bv).mul(av.pow(bv.sub(1))));
                ga = safe;
            }
            if (n.needsGrad(1)) {
                Tensor zeroBase = av.eq(0).mul(bv.ge(0));
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
        Tensor aWins = max ? a.gt(b) : a.lt(b);
        Tensor tie = a.eq(b).mul(0.5);
        Tensor bWins = max ? b.gt(a) : b.lt(a);
        return in(g.mul(aWins.add(tie)), g.mul(bWins.add(tie)));
    }

    static Tensor where(Tensor condition, Tensor a, Tensor b) {
        checkDtypes("where", a, b);
        Tensor cond = condition.dtype() == a.dtype() ? condition : condition.detach().to(a.dtype());
        int[] shape = Shapes.broadcast("where", Shapes.broadcast("where", cond.shape, a.shape), b.shape);
        Tensor out = Tensor.empty(a.dtype(), shape);
        int[][] strides = {out.strides, Shapes.broadcastStrides(cond.shape, cond.strides, shape),
            Shapes.broadcastStrides(a.shape, a.strides, shape), Shapes.broadcastStrides(b.shape, b.strides, shape)};
        int[] offsets = {0, cond.offset, a.offset, b.offset};
        boolean f = a.dtype() == DType.FLOAT32;
        StridedLoop.forEach(shape, strides, offsets, (o, s, len) -> {
            if (f) {
                KERNELS.where(cond.storage.floats, o[1], s[1], a.storage.floats, o[2], s[2], b.storage.floats, o[3],
                        s[3], out.storage.floats, o[0], s[0], len);
            } else {
                KERNELS.where(cond.storage.doubles, o[1], s[1], a.storage.doubles, o[2], s[2], b.storage.doubles,
                        o[3], s[3], out.storage.doubles, o[0], s[0], len);
            }
        });
        Tensor mask = cond.detach();
        return record("where", out, in(a, b), Node.NONE, (g, n) -> {
            Tensor zero = g.zerosLike();
            return in(n.needsGrad(0) ? Tensor.where(mask, g, zero) : null,
                    n.needsGrad(1) ? Tensor.where(mask, zero, g) : null);
        });
    }

    static Tensor compare(String op, BinaryOp kind, Tensor a, Tensor b) {
        return zip(op, kind, a, b);
    }

    // --------------------------------------------------------------------------------------------- loops

    /** {@code op(x)} into a new contiguous tensor; records nothing. */
    static Tensor map(UnaryOp op, Tensor x) {
        Tensor out = Tensor.empty(x.dtype(), x.shape);
        mapInto(op, out, x);
        return out;
    }

    /** {@code out = op(x)} for tensors of one shape; out may be x itself. */
    static void mapInto(UnaryOp op, Tensor out, Tensor x) {
        boolean f = x.dtype() == DType.FLOAT32;
        StridedLoop.forEach(x.shape, new int[][] {out.strides, x.strides}, new int[] {out.offset, x.offset},
                (o, s, len) -> {
                    if (f) {
                        KERNELS.unary(op, x.storage.floats, o[1], s[1], out.storage.floats, o[0], s[0], len);
                    } else {
                        KERNELS.unary(op, x.storage.doubles, o[1], s[1], out.storage.doubles, o[0], s[0], len);
                    }
                });
    }

    /** {@code op(a, b)} with broadcasting into a new contiguous tensor; records nothing. */
    static Tensor zip(String name, BinaryOp op, Tensor a, Tensor b) {
        checkDtypes(name, a, b);
        int[] shape = Shapes.broadcast(name, a.shape, b.shape);
        Tensor out = Tensor.empty(a.dtype(), shape);
        zipInto(op, out, a, b);
        return out;
    }

    /** {@code out = op(a, b)}; a and b broadcast to out's shape (already checked); out may alias a. */
    static void zipInto(BinaryOp op, Tensor out, Tensor a, Tensor b) {
        int[] shape = out.shape;
        int[][] strides = {out.strides, Shapes.broadcastStrides(a.shape, a.strides, shape),
            Shapes.broadcastStrides(b.shape, b.strides, shape)};
        int[] offsets = {out.offset, a.offset, b.offset};
        boolean f = out.dtype() == DType.FLOAT32;
        StridedLoop.forEach(shape, strides, offsets, (o, s, len) -> {
            if (f) {
                KERNELS.binary(op, a.storage.floats, o[1], s[1], b.storage.floats, o[2], s[2], out.storage.floats,
                        o[0], s[0], len);
            } else {
                KERNELS.binary(op, a.storage.doubles, o[1], s[1], b.storage.doubles, o[2], s[2],
                        out.storage.doubles, o[0], s[0], len);
            }
        });
    }

    /** {@code dst = src}, src broadcast to dst's shape (already checked); records nothing. */
    static void copyInto(Tensor dst, Tensor src) {
        int[][] strides = {dst.strides, Shapes.broadcastStrides(src.shape, src.strides, dst.shape)};
        int[] offsets = {dst.offset, src.offset};
        boolean f = dst.dtype() == DType.FLOAT32;
        StridedLoop.forEach(dst.shape, strides, offsets, (o, s, len) -> {
            if (f) {
                KERNELS.unary(UnaryOp.IDENTITY, src.storage.floats, o[1], s[1], dst.storage.floats, o[0], s[0], len);
            } else {
                KERNELS.unary(UnaryOp.IDENTITY, src.storage.doubles, o[1], s[1], dst.storage.doubles, o[0], s[0],
                        len);
            }
        });
    }

    static void checkDtypes(String op, Tensor a, Tensor b) {
        if (a.dtype() != b.dtype()) {
            throw new DTypeMismatchException(op + ": dtypes " + a.dtype() + " and " + b.dtype() + " do not match"
                    + " (shapes " + Shapes.str(a.shape) + " and " + Shapes.str(b.shape) + "); grad4j does not"
                    + " promote silently: convert one with .to(DType." + a.dtype().name() + ") or .to(DType."
                    + b.dtype().name() + ")");
        }
    }
}
