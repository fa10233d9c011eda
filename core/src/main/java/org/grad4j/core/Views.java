package org.grad4j.core;

import static org.grad4j.core.Node.in;
import static org.grad4j.core.Node.record;

import java.util.Arrays;
import org.grad4j.core.kernel.UnaryOp;

/**
 * View primitives: new shape, strides and offset over the same storage, no copy. Each rule maps the gradient back
 * through the inverse view ({@code expand}'s inverse, a sum, is the engine's broadcast reduction).
 */
final class Views {
    private Views() {
    }

    static Tensor reshape(Tensor x, int[] requested, boolean viewOnly) {
        String op = viewOnly ? "view" : "reshape";
        int[] shape = Shapes.inferShape(op, requested, x.numel(), x.shape);
        if (Arrays.equals(shape, x.shape)) {
            return x;
        }
        int[] strides = Shapes.viewStrides(x.shape, x.strides, shape);
        Tensor source = x;
        if (strides == null) {
            if (viewOnly) {
                throw new ShapeMismatchException("view: shape " + Shapes.str(shape) + " is not compatible with the"
                        + " strides " + Arrays.toString(x.strides) + " of this " + Shapes.str(x.shape)
                        + " tensor (at least one dim spans non-contiguous memory); use reshape(...) to copy");
            }
            source = map(x);
            strides = Shapes.contiguousStrides(shape);
        }
        Tensor out = new Tensor(source.storage, shape, strides, source.offset);
        int[] inShape = x.shape;
        return record(op, out, in(x), Node.NONE, (g, n) -> in(g.reshape(inShape)));
    }

    static Tensor permute(Tensor x, int[] order) {
        Args.notNull(order, "permute", "dims");
        int rank = x.shape.length;
        if (order.length != rank) {
            throw new ShapeMismatchException("permute: got " + order.length + " dims " + Arrays.toString(order)
                    + " for a tensor of rank " + rank + " (shape " + Shapes.str(x.shape) + ")");
        }
        int[] perm = new int[rank];
        boolean[] seen = new boolean[rank];
        int[] shape = new int[rank];
        int[] strides = new int[rank];
        for (int i = 0; i < rank; i++) {
            int d = Shapes.dim("permute", order[i], rank);
            if (seen[d]) {
                throw new ShapeMismatchException("permute: dim " + d + " repeats in " + Arrays.toString(order));
            }
            seen[d] = true;
            perm[i] = d;
            shape[i] = x.shape[d];
            strides[i] = x.strides[d];
        }
        int[] inverse = new int[rank];
        for (int i = 0; i < rank; i++) inverse[perm[i]] = i;
        Tensor out = new Tensor(x.storage, shape, strides, x.offset);
        return record("permute", out, in(x), Node.NONE, (g, n) -> in(g.permute(inverse)));
    }

    static Tensor expand(Tensor x, int[] requested) {
        Args.notNull(requested, "expand", "shape");
        int rank = requested.length;
        int lead = rank - x.shape.length;
        if (lead < 0) {
            throw new ShapeMismatchException("expand: the target shape " + Arrays.toString(requested) + " has fewer"
                    + " dims than the tensor's " + Shapes.str(x.shape));
        }
        int[] shape = new int[rank];
        int[] strides = new int[rank];
        for (int i = 0; i < rank; i++) {
            int want = requested[i];
            if (i < lead) {
                if (want < 0) {
                    throw new ShapeMismatchException("expand: -1 is not allowed for the new leading dim " + i
                            + " in " + Arrays.toString(requested));
                }
                shape[i] = want;
                strides[i] = 0;
                continue;
            }
            int have = x.shape[i - lead];
            if (want == -1 || want == have) {
                shape[i] = have;
                strides[i] = x.strides[i - lead];
            } else if (have == 1 && want >= 0) {
                shape[i] = want;
                strides[i] = 0;
            } else {
                throw new ShapeMismatchException("expand: the size of dim " + (i - lead) + " (" + have + ") of "
                        + Shapes.str(x.shape) + " must be 1 to expand it to " + want + " (target "
                        + Arrays.toString(requested) + ")");
            }
        }
        if (Arrays.equals(shape, x.shape)) {
            return x;
        }
        Shapes.numel(shape);   // a view too: every op over it counts its elements in int, so the limit applies
        Tensor out = new Tensor(x.storage, shape, strides, x.offset);
        return record("expand", out, in(x), Node.NONE, (g, n) -> in(g));
    }

    static Tensor flatten(Tensor x, int startDim, int endDim) {
        int rank = x.shape.length;
        if (rank == 0) {
            return x.reshape(1);
        }
        int s = Shapes.dim("flatten", startDim, rank);
        int e = Shapes.dim("flatten", endDim, rank);
        if (s > e) {
            throw new ShapeMismatchException("flatten: startDim " + startDim + " comes after endDim " + endDim);
        }
        int[] shape = new int[rank - (e - s)];
        int k = 0;
        for (int i = 0; i < s; i++) shape[k++] = x.shape[i];
        int merged = 1;
        for (int i = s; i <= e; i++) merged *= x.shape[i];
        shape[k++] = merged;
        for (int i = e + 1; i < rank; i++) shape[k++] = x.shape[i];
        return x.reshape(shape);
    }

    static Tensor narrow(Tensor x, int dim, int start, int length) {
        int d = Shapes.existingDim("narrow", dim, x.shape.length);
        int size = x.shape[d];
        int s = start < 0 ? start + size : start;
        if (s < 0 || length < 0 || (long) s + length > size) {   // long: start + length must not wrap
            throw new ShapeMismatchException("narrow: start " + start + " and length " + length + " do not fit in"
                    + " dimension " + d + " of size " + size + " (shape " + Shapes.str(x.shape) + ")");
        }
        return sliceView(x, d, s, length, 1);
    }

    static Tensor slice(Tensor x, int dim, int start, int end, int step) {
        int d = Shapes.existingDim("slice", dim, x.shape.length);
        if (step <= 0) {
            throw new IllegalArgumentException("slice: step must be positive, got " + step);
        }
        int size = x.shape[d];
        int s = clip(start < 0 ? start + size : start, size);
        int e = clip(end < 0 ? end + size : end, size);
        int length = e <= s ? 0 : (int) (((long) e - s + step - 1) / step);   // long: no wrap near MAX_VALUE
        return sliceView(x, d, s, length, step);
    }

    private static int clip(int v, int size) {
        return Math.max(0, Math.min(v, size));
    }

    /** Backward: the gradient written into zeros of the input's shape at the sliced positions. */
    private static Tensor sliceView(Tensor x, int d, int start, int length, int step) {
        if (start == 0 && length == x.shape[d] && step == 1) {
            return x;
        }
        int[] shape = x.shape.clone();
        int[] strides = x.strides.clone();
        shape[d] = length;
        strides[d] = x.strides[d] * step;
        Tensor out = new Tensor(x.storage, shape, strides, x.offset + start * x.strides[d]);
        int[] inShape = x.shape;
        return record("slice", out, in(x), Node.NONE,
                (g, n) -> in(sliceBackward(g, inShape, d, start, length, step)));
    }

    /** Scatters g into zeros of {@code inShape}; its own gradient is the slice again. */
    static Tensor sliceBackward(Tensor g, int[] inShape, int d, int start, int length, int step) {
        Tensor out = Tensor.zeros(g.dtype(), inShape);
        Tensor window = out.detach().slice(d, start, start + (length - 1) * step + 1, step);
        Pointwise.zipInto(org.grad4j.core.kernel.BinaryOp.ADD, window, window, g);
        return record("sliceBackward", out, in(g), Node.NONE,
                (gg, n) -> in(gg.slice(d, start, start + (length - 1) * step + 1, step)));
    }

    /** A contiguous copy that stays in the graph. */
    static Tensor copy(Tensor x) {
        return record("copy", map(x), in(x), Node.NONE, (g, n) -> in(g));
    }

    private static Tensor map(Tensor x) {
        return Pointwise.map(UnaryOp.IDENTITY, x);
    }
}
