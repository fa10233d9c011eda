package org.grad4j.core;

import static org.grad4j.core.Node.in;
import static org.grad4j.core.Node.record;

/**
 * {@code torch.norm}: the p-norm over all or given dims for any real p, infinity and minus infinity, and "fro".
 * One primitive whose rule is PyTorch's {@code norm_backward}, written with tensor ops: at a zero norm the gradient
 * is 0 (the subgradient PyTorch picks), for p below 1 zero elements get 0, and for p = +-infinity the gradient is
 * shared evenly among the elements whose magnitude is the norm. p = 0 counts the non-zeros; its gradient is 0.
 * {@code Linalg.vectorNorm} is the same op under torch.linalg's name.
 */
final class Norms {
    private Norms() {
    }

    /** {@code op} names the public entry point in errors ({@code norm} or {@code linalg.vector_norm}). */
    static Tensor norm(String op, Tensor x, double p, int[] dims, boolean keepDim) {
        if (dims == null) {
            throw new IllegalArgumentException(op + ": dims is null; pass new int[0] for all dims");
        }
        if (!x.dtype().isFloatingPoint()) {
            throw new DTypeMismatchException(op + ": needs a floating-point tensor, got " + x.dtype() + " (shape "
                    + Shapes.str(x.shape) + "); convert with .to(DType.FLOAT32) first");
        }
        if (Double.isNaN(p)) {
            throw new IllegalArgumentException(op + ": p must be a number or an infinity, got NaN");
        }
        int[] d = Shapes.dims(op, dims, x.dim());
        boolean extremum = Double.isInfinite(p);
        if (extremum) {
            for (int k : d) {
                if (x.shape[k] == 0) {
                    throw new ShapeMismatchException(op + ": p = " + p + " over dimension " + k + " of size 0 (shape "
                            + Shapes.str(x.shape) + ") has no element to take the " + (p > 0 ? "max" : "min")
                            + " of");
                }
            }
        }
        Tensor out;
        try (Grad.Scope off = Grad.disabled()) {
            Tensor a = x.abs();
            if (p == Double.POSITIVE_INFINITY) {
                out = a.amax(d, true);
            } else if (p == Double.NEGATIVE_INFINITY) {
                out = a.amin(d, true);
            } else if (p == 0) {
                out = x.ne(0.0).sum(d, true).to(x.dtype());
            } else if (p == 1) {
                out = a.sum(d, true);
            } else if (p == 2) {
                out = x.mul(x).sum(d, true).sqrt();
            } else {
                out = a.pow(p).sum(d, true).pow(1 / p);
            }
        }
        Tensor kept = record(op, out, in(x), in(x, out), (g, n) -> in(backward(g, n.saved(0), n.saved(1), p, d)));
        return keepDim ? kept : kept.reshape(Reductions.removed(x.shape, d));
    }

    private static Tensor backward(Tensor g, Tensor x, Tensor norm, double p, int[] dims) {
        if (p == 0) {
            return x.zerosLike();
        }
        if (p == 1) {
            return x.sign().mul(g);
        }
        Tensor zeroNorm = norm.eq(0.0);
        Tensor safeNorm = Tensor.where(zeroNorm, norm.onesLike(), norm);
        if (p == 2) {
            return Tensor.where(zeroNorm, x.zerosLike(), x.div(safeNorm)).mul(g);
        }
        if (Double.isInfinite(p)) {
            Tensor a = x.abs();
            Tensor chosen = a.eq(norm).logicalOr(a.ne(a)).to(g.dtype());
            return x.sign().mul(chosen.mul(g).div(chosen.sum(dims, true)));
        }
        Tensor a = x.abs();
        if (p < 1) {
            Tensor zero = x.eq(0.0);
            Tensor power = Tensor.where(zero, x.zerosLike(), Tensor.where(zero, x.onesLike(), a).pow(p - 1));
            return x.sign().mul(power).mul(g).mul(norm.pow(1 - p));
        }
        Tensor scaled = p < 2 ? x.sign().mul(a.pow(p - 1)) : x.mul(a.pow(p - 2));
        return scaled.mul(Tensor.where(zeroNorm, g.zerosLike(), g.div(safeNorm.pow(p - 1))));
    }

    /** "fro" is the 2-norm over the given dims (all when empty), as {@code torch.norm(x, "fro", dims)}. */
    static Tensor norm(Tensor x, String p, int[] dims, boolean keepDim) {
        if (!"fro".equals(p)) {   // also refuses null
            throw new IllegalArgumentException("norm: p = \"" + p + "\" is not supported; use \"fro\" or a number"
                    + " (for the nuclear norm use Linalg.matrixNorm(x, \"nuc\"))");
        }
        return norm("norm", x, 2, dims, keepDim);
    }

    /** The number of non-zeros over dims (all when empty), int64: what the 0-"norm" counts, without converting. */
    static Tensor countNonzero(Tensor x, int[] dims) {
        if (dims == null) {
            throw new IllegalArgumentException("countNonzero: dims is null; pass no dims to count over all");
        }
        return Masks.truthCount(x, Shapes.dims("countNonzero", dims, x.dim()), false);
    }
}
