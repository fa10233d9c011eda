package org.grad4j.core;

import static org.grad4j.core.Node.in;
import static org.grad4j.core.Node.record;

/**
 * Scans along a dim (cumsum, cumprod, logCumSumExp, each also from the end, which is its own adjoint's direction)
 * and prod, whose gradient is built from scans. Each is a primitive: a plain loop over the rows (floating point
 * accumulated in double, integers in int64 with wrap-around, as PyTorch's CPU kernels) and a derivative rule
 * written with tensor ops. Zeros get exact gradients: prod and cumprod never divide by an element that is 0.
 */
final class Scans {
    private Scans() {
    }

    private enum Kind { SUM, PRODUCT, LOG_SUM_EXP }

    // ------------------------------------------------------------------------------------------------ cumsum

    /** Integer and bool inputs give int64, as PyTorch. Backward: the cumsum of the gradient from the other end. */
    static Tensor cumsum(Tensor x, int dim, boolean reverse) {
        Tensor out = scan(integersAsLong(x), dim, reverse, Kind.SUM);
        return record("cumsum", out, in(x), Node.NONE, (g, n) -> in(cumsum(g, dim, !reverse)));
    }

    // ------------------------------------------------------------------------------------------------ cumprod

    static Tensor cumprod(Tensor x, int dim, boolean reverse) {
        Tensor out = scan(integersAsLong(x), dim, reverse, Kind.PRODUCT);
        return record("cumprod", out, in(x), in(x, out), (g, n) ->
                in(cumprodBackward(g, n.saved(0), n.saved(1), dim, reverse)));
    }

    /**
     * {@code dL/dx_k = sum_{j >= k} g_j prod_{m <= j, m != k} x_m} (in scan order). Without zeros that is
     * {@code reverseCumsum(g y) / x}. With zeros, before a row's first zero it is still that; at the first zero
     * and after it, it equals the gradient for the input with that zero replaced by 1 (computed the same way, so
     * each level removes one zero), times the zero itself after it: exact, and differentiable again.
     */
    private static Tensor cumprodBackward(Tensor g, Tensor x, Tensor y, int dim, boolean reverse) {
        Tensor zero = x.eq(0.0);
        if (!zero.any().itemBoolean()) {
            return cumsum(g.mul(y), dim, !reverse).div(x);
        }
        Tensor zerosSoFar = cumsum(zero, dim, reverse);
        Tensor beforeFirst = zerosSoFar.eq(0L);
        Tensor firstZero = zero.logicalAnd(zerosSoFar.eq(1L));
        Tensor ones = x.onesLike();
        Tensor before = cumsum(g.mul(y), dim, !reverse).div(Tensor.where(beforeFirst, x, ones));
        Tensor replaced = Tensor.where(firstZero, ones, x);
        Tensor rest = cumprodBackward(g, replaced, cumprod(replaced, dim, reverse), dim, reverse);
        Tensor theZero = Tensor.where(firstZero, x, x.zerosLike()).sum(new int[] {dim}, true);
        Tensor factor = Tensor.where(firstZero, ones, theZero.expand(x.shape()));
        return Tensor.where(beforeFirst, before, rest.mul(factor));
    }

    // ------------------------------------------------------------------------------------------------ logCumSumExp

    /** A running log-add-exp (stable at any magnitude; NaN propagates). Needs a floating-point tensor. */
    static Tensor logCumSumExp(Tensor x, int dim, boolean reverse) {
        if (!x.dtype().isFloatingPoint()) {
            throw new DTypeMismatchException("logCumSumExp: needs a floating-point tensor, got " + x.dtype()
                    + " (shape " + Shapes.str(x.shape) + "); convert with .to(DType.FLOAT32) first");
        }
        Tensor out = scan(x, dim, reverse, Kind.LOG_SUM_EXP);
        return record("logCumSumExp", out, in(x), in(x, out), (g, n) -> {
            // dL/dx_k = sum_{j >= k} g_j exp(x_k - y_j), split by the sign of g so that each part is a
            // logCumSumExp from the other end (no overflow), as PyTorch does
            Tensor xs = n.saved(0);
            Tensor y = n.saved(1);
            Tensor lowest = Tensor.scalar(g.dtype() == DType.FLOAT32 ? -Float.MAX_VALUE : -Double.MAX_VALUE,
                    g.dtype());
            Tensor nonZero = g.ne(0.0);
            Tensor logAbs = Tensor.where(nonZero, g.abs(), g.onesLike()).log();
            Tensor logPositive = Tensor.where(g.gt(0.0), logAbs, lowest);
            Tensor logNegative = Tensor.where(g.lt(0.0), logAbs, lowest);
            Tensor positive = logCumSumExp(logPositive.sub(y), dim, !reverse).add(xs).exp();
            Tensor negative = logCumSumExp(logNegative.sub(y), dim, !reverse).add(xs).exp();
            return in(positive.sub(negative));
        });
    }

    // ------------------------------------------------------------------------------------------------ prod

    /**
     * The product along one dim (integer and bool inputs give int64, wrapping). Backward without zeros:
     * {@code g * prod / x}; with zeros: {@code g} times the product of the elements before and of those after each
     * one (two exclusive cumprods), so one zero gets the product of the others and the rest 0.
     */
    static Tensor prod(Tensor x, int dim, boolean keepDim) {
        if (x.dim() == 0) {
            Tensor out = scan(integersAsLong(x), 0, false, Kind.PRODUCT);
            return record("prod", out, in(x), Node.NONE, (g, n) -> in(g));
        }
        Tensor scanned = scan(integersAsLong(x), dim, false, Kind.PRODUCT);
        int n = x.shape[dim];
        int[] keptShape = x.shape().clone();
        keptShape[dim] = 1;
        Tensor kept = n == 0 ? Tensor.ones(scanned.dtype(), keptShape) : scanned.narrow(dim, n - 1, 1).contiguous();
        Tensor out = record("prod", kept, in(x), in(x, kept), (g, node) -> {
            Tensor xs = node.saved(0);
            if (!xs.eq(0.0).any().itemBoolean()) {
                return in(g.mul(node.saved(1)).div(xs));
            }
            return in(g.mul(exclusiveCumprod(xs, dim, false)).mul(exclusiveCumprod(xs, dim, true)));
        });
        return keepDim ? out : out.squeeze(dim);
    }

    /** The product of the elements strictly before each one (from the end when reverse), 1 for the first. */
    private static Tensor exclusiveCumprod(Tensor x, int dim, boolean reverse) {
        int n = x.shape[dim];
        int[] oneShape = x.shape().clone();
        oneShape[dim] = 1;
        Tensor one = Tensor.ones(x.dtype(), oneShape);
        if (n == 1) {
            return one;
        }
        Tensor shifted = reverse ? Tensor.concat(dim, x.narrow(dim, 1, n - 1), one)
                : Tensor.concat(dim, one, x.narrow(dim, 0, n - 1));
        return cumprod(shifted, dim, reverse);
    }

    // ------------------------------------------------------------------------------------------------ the loop

    private static Tensor integersAsLong(Tensor x) {
        return x.dtype().isFloatingPoint() ? x : Casts.convert(x, DType.INT64);
    }

    /** The scan of x (float32, float64 or int64) along dim into a new contiguous tensor; records nothing. */
    private static Tensor scan(Tensor x, int dim, boolean reverse, Kind kind) {
        if (x.dim() == 0) {
            return x.detach().copy();
        }
        int last = x.dim() - 1;
        Tensor moved = x.detach().transpose(dim, last).contiguous();
        int n = x.shape[dim];
        int rows = n == 0 ? 0 : x.numel() / n;
        Tensor scanned;
        if (x.dtype() == DType.INT64) {
            long[] v = moved.toLongArray();
            for (int r = 0; r < rows; r++) {
                long acc = kind == Kind.SUM ? 0 : 1;
                for (int j = 0; j < n; j++) {
                    int i = r * n + (reverse ? n - 1 - j : j);
                    acc = kind == Kind.SUM ? acc + v[i] : acc * v[i];
                    v[i] = acc;
                }
            }
            scanned = Tensor.ofShape(v, moved.shape());
        } else {
            double[] v = moved.toDoubleArray();
            for (int r = 0; r < rows; r++) {
                double acc = switch (kind) {
                    case SUM -> 0;
                    case PRODUCT -> 1;
                    case LOG_SUM_EXP -> Double.NEGATIVE_INFINITY;
                };
                for (int j = 0; j < n; j++) {
                    int i = r * n + (reverse ? n - 1 - j : j);
                    acc = switch (kind) {
                        case SUM -> acc + v[i];
                        case PRODUCT -> acc * v[i];
                        case LOG_SUM_EXP -> logAddExp(acc, v[i]);
                    };
                    v[i] = acc;
                }
            }
            scanned = Casts.convert(Tensor.ofShape(v, moved.shape()), x.dtype());
        }
        return scanned.transpose(dim, last).contiguous();
    }

    /** {@code log(exp(a) + exp(b))} without overflow; NaN if either is NaN; equal infinities stay themselves. */
    private static double logAddExp(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return Double.NaN;
        }
        double max = Math.max(a, b);
        double min = Math.min(a, b);
        if (min == max && Double.isInfinite(min)) {
            return min;
        }
        return max + Math.log1p(Math.exp(min - max));
    }
}
