package org.grad4j.core;

import static org.grad4j.core.Node.in;
import static org.grad4j.core.Node.record;

/**
 * {@code torch.scatter_reduce}: src's values reduced into a copy of the input at the positions an index names along
 * a dim, with sum, prod, mean, amax or amin, the input's own value included or not. Forward is one loop (floats in
 * double, integers in wrapping int64, bool as 0/1 with the result read as {@code != 0}); the rule beside it is
 * PyTorch's {@code scatter_reduce_backward}, written with tensor ops (prod recomputes its products from the inputs),
 * so second derivatives work.
 */
final class ScatterReduce {
    private ScatterReduce() {
    }

    enum Reduce { SUM, PROD, MEAN, AMAX, AMIN }

    static Reduce parse(String reduce) {
        return switch (reduce) {
            case "sum" -> Reduce.SUM;
            case "prod" -> Reduce.PROD;
            case "mean" -> Reduce.MEAN;
            case "amax" -> Reduce.AMAX;
            case "amin" -> Reduce.AMIN;
            default -> throw new IllegalArgumentException("scatterReduce: reduce must be one of \"sum\", \"prod\","
                    + " \"mean\", \"amax\", \"amin\", got \"" + reduce + "\"");
        };
    }

    /** The public op: validated here (as scatter), then src narrowed to the index's shape and reduced. */
    static Tensor scatterReduce(Tensor x, int dim, Tensor index, Tensor src, String reduce, boolean includeSelf) {
        Args.notNull(index, "scatterReduce", "index");
        Args.notNull(src, "scatterReduce", "src");
        Args.notNull(reduce, "scatterReduce", "reduce");
        String op = "scatterReduce";
        Reduce r = parse(reduce);
        Indexing.checkScatterShapes(op, x, dim, index, src);
        int[] idx = Indexing.toIndices(op, index, x.dim() == 0 ? 1 : x.shape[dim]);
        Tensor part = src;
        for (int d = 0; d < src.dim(); d++) {
            if (src.shape[d] != index.shape[d]) {
                part = part.narrow(d, 0, index.shape[d]);
            }
        }
        Tensor indexTensor = Tensor.ofShape(java.util.Arrays.stream(idx).asLongStream().toArray(), index.shape);
        return reduce(x, dim, indexTensor, idx, part, r, includeSelf);
    }

    /** The primitive: x, src (already of the index's shape) and the checked index values. */
    static Tensor reduce(Tensor x, int dim, Tensor indexTensor, int[] idx, Tensor src, Reduce r, boolean includeSelf) {
        int[] targets = targets(x.shape, src.shape, dim, idx);
        Tensor out = forward(x, src, targets, r, includeSelf);
        return record("scatterReduce", out, in(x, src), in(x, src), (g, n) -> {
            Tensor self = n.saved(0);
            Tensor source = n.saved(1);
            Tensor[] grads = backward(g, self, source, dim, indexTensor, idx, r, includeSelf);
            return in(n.needsGrad(0) ? grads[0] : null, n.needsGrad(1) ? grads[1] : null);
        });
    }

    /** For each src position (row-major), the flat row-major position in x's shape it is reduced into. */
    private static int[] targets(int[] shape, int[] srcShape, int dim, int[] idx) {
        int rank = shape.length;
        int[] strides = Shapes.contiguousStrides(shape);
        int[] counter = new int[rank];
        int[] out = new int[idx.length];
        for (int p = 0; p < idx.length; p++) {
            int t = 0;
            for (int d = 0; d < rank; d++) t += (d == dim ? idx[p] : counter[d]) * strides[d];
            out[p] = t;
            for (int d = rank - 1; d >= 0; d--) {
                if (++counter[d] < srcShape[d]) break;
                counter[d] = 0;
            }
        }
        return out;
    }

    private static Tensor forward(Tensor x, Tensor src, int[] targets, Reduce r, boolean includeSelf) {
        int n = x.numel();
        int[] count = new int[n];
        boolean[] hit = new boolean[n];
        for (int t : targets) hit[t] = true;
        if (x.dtype().isFloatingPoint()) {
            double[] acc = x.toDoubleArray();
            double[] s = src.toDoubleArray();
            for (int t = 0; t < n; t++) {
                if (!hit[t]) continue;
                count[t] = includeSelf ? 1 : 0;
                if (!includeSelf) {
                    acc[t] = switch (r) {
                        case SUM, MEAN -> 0;
                        case PROD -> 1;
                        case AMAX -> Double.NEGATIVE_INFINITY;
                        case AMIN -> Double.POSITIVE_INFINITY;
                    };
                }
            }
            for (int p = 0; p < targets.length; p++) {
                int t = targets[p];
                count[t]++;
                acc[t] = switch (r) {
                    case SUM, MEAN -> acc[t] + s[p];
                    case PROD -> acc[t] * s[p];
                    case AMAX -> Double.isNaN(s[p]) || s[p] > acc[t] ? s[p] : acc[t];
                    case AMIN -> Double.isNaN(s[p]) || s[p] < acc[t] ? s[p] : acc[t];
                };
            }
            if (r == Reduce.MEAN) {
                for (int t = 0; t < n; t++) if (hit[t] && count[t] > 0) acc[t] /= count[t];
            }
            return Casts.convert(Tensor.ofShape(acc, x.shape), x.dtype());
        }
        long[] acc = x.toLongArray();
        long[] s = src.toLongArray();
        for (int t = 0; t < n; t++) {
            if (!hit[t]) continue;
            count[t] = includeSelf ? 1 : 0;
            if (!includeSelf) {
                acc[t] = switch (r) {
                    case SUM, MEAN -> 0;
                    case PROD -> 1;
                    case AMAX -> Long.MIN_VALUE;
                    case AMIN -> Long.MAX_VALUE;
                };
            }
        }
        for (int p = 0; p < targets.length; p++) {
            int t = targets[p];
            count[t]++;
            acc[t] = switch (r) {
                case SUM, MEAN -> acc[t] + s[p];
                case PROD -> acc[t] * s[p];
                case AMAX -> Math.max(acc[t], s[p]);
                case AMIN -> Math.min(acc[t], s[p]);
            };
        }
        if (r == Reduce.MEAN) {   // integer mean rounds toward minus infinity, as PyTorch's
            for (int t = 0; t < n; t++) if (hit[t] && count[t] > 0) acc[t] = Math.floorDiv(acc[t], count[t]);
        }
        Tensor wide = Tensor.ofShape(acc, x.shape);
        return x.dtype() == DType.BOOL ? wide.ne(0L) : Casts.convert(wide, x.dtype());
    }

    /** PyTorch's scatter_reduce_backward, with tensor ops. */
    private static Tensor[] backward(Tensor g, Tensor self, Tensor src, int dim, Tensor index, int[] idx, Reduce r,
            boolean includeSelf) {
        Tensor gSelf;
        Tensor gSrc;
        switch (r) {
            case SUM -> {
                gSelf = g;
                gSrc = g.gather(dim, index);
            }
            case MEAN -> {
                Tensor n = Tensor.full(includeSelf ? 1.0 : 0.0, g.dtype(), self.shape)
                        .scatterAdd(dim, index, Tensor.ones(g.dtype(), index.shape));
                n = n.maskedFill(n.eq(0L), 1.0);
                gSelf = g.div(n);
                gSrc = gSelf.gather(dim, index);
            }
            case PROD -> {
                Tensor result = reduce(self, dim, index, idx, src, r, includeSelf);
                Tensor maskedSelf = self.maskedFill(self.eq(0L), 1.0);
                Tensor maskedSelfResult = reduce(maskedSelf, dim, index, idx, src, r, includeSelf);
                gSelf = g.mul(maskedSelfResult).div(maskedSelf);
                Tensor srcZero = src.eq(0L);
                Tensor srcNumZeros = Tensor.zeros(g.dtype(), self.shape).scatterAdd(dim, index, srcZero.to(g.dtype()))
                        .gather(dim, index);
                Tensor srcSingleZero = srcZero.logicalAnd(srcNumZeros.eq(1L));
                Tensor maskedSrc = src.maskedFill(srcSingleZero, 1.0);
                Tensor maskedSrcResult = reduce(self, dim, index, idx, maskedSrc, r, includeSelf);
                gSrc = Tensor.where(srcSingleZero, g.mul(maskedSrcResult).gather(dim, index),
                        g.mul(result).gather(dim, index).div(src.maskedFill(srcZero, 1.0)));
            }
            default -> {   // amax, amin: the gradient is shared evenly among the tied extremes, self included
                Tensor result = reduce(self.detach(), dim, index, idx, src.detach(), r, includeSelf);
                Tensor value = result.gather(dim, index);
                Tensor selfIsResult = self.detach().eq(result).to(g.dtype());
                Tensor srcIsResult = src.detach().eq(value).to(g.dtype());
                Tensor count = selfIsResult.scatterAdd(dim, index, srcIsResult);
                Tensor distributed = g.div(count);
                gSelf = selfIsResult.mul(distributed);
                gSrc = srcIsResult.mul(distributed.gather(dim, index));
            }
        }
        if (!includeSelf) {
            gSelf = gSelf.scatter(dim, index, Tensor.zeros(gSelf.dtype(), index.shape));
        }
        return new Tensor[] {gSelf, gSrc};
    }
}
