package org.grad4j.core;

import static org.grad4j.core.Node.in;
import static org.grad4j.core.Node.record;

import java.util.Arrays;

/**
 * Index-based primitives in dual pairs: gather / scatterAdd and indexSelect / indexAdd are each other's
 * gradients, so second derivatives work through them. concat's gradient is a narrow per input. Index values are
 * validated here, once, so the loops below never index out of bounds.
 */
final class Indexing {
    private Indexing() {
    }

    // ------------------------------------------------------------------------------------------------ gather

    static Tensor gather(Tensor x, int dim, Tensor index) {
        if (index.dim() != x.dim()) {
            throw new ShapeMismatchException("gather: index must have the same rank as the input, got index shape "
                    + Shapes.str(index.shape) + " for input shape " + Shapes.str(x.shape));
        }
        for (int d = 0; d < x.dim(); d++) {
            if (d != dim && index.shape[d] > x.shape[d]) {
                throw new ShapeMismatchException("gather: index shape " + Shapes.str(index.shape) + " is larger than"
                        + " input shape " + Shapes.str(x.shape) + " in dimension " + d);
            }
        }
        int[] idx = toIndices("gather", index, x.dim() == 0 ? 1 : x.shape[dim]);
        Tensor out = Tensor.empty(x.dtype(), index.shape);
        int[] inShape = x.shape;
        forEachIndexed(index.shape, dim, idx, (outPos, source) ->
                out.storage.set(outPos, x.storage.get(x.offset + dot(source, x.strides))));
        return record("gather", out, in(x), Node.NONE, (g, n) -> in(scatterAdd(g, inShape, dim, idx, index.shape)));
    }

    /** Adds g into zeros of {@code inShape} at the gathered positions; the gradient of that is gather again. */
    static Tensor scatterAdd(Tensor g, int[] inShape, int dim, int[] idx, int[] indexShape) {
        Tensor dense = g.contiguous();
        Tensor out = Tensor.zeros(g.dtype(), inShape);
        int[] outStrides = out.strides;
        forEachIndexed(indexShape, dim, idx, (srcPos, target) -> {
            int at = dot(target, outStrides);
            out.storage.set(at, out.storage.get(at) + dense.storage.get(dense.offset + srcPos));
        });
        Tensor indexTensor = indexTensor(idx, indexShape, g.dtype());
        return record("scatterAdd", out, in(g), Node.NONE, (gg, n) -> in(gg.gather(dim, indexTensor)));
    }

    private static Tensor indexTensor(int[] idx, int[] shape, DType dtype) {
        Tensor t = Tensor.empty(dtype, shape);
        for (int i = 0; i < idx.length; i++) t.storage.set(i, idx[i]);
        return t;
    }

    private interface IndexedBody {
        void accept(int flatPosition, int[] sourceIndex);
    }

    /** For each position of an index tensor (row-major), the multi-index with dim replaced by the index value. */
    private static void forEachIndexed(int[] shape, int dim, int[] idx, IndexedBody body) {
        int rank = shape.length;
        int[] counter = new int[rank];
        int[] source = new int[rank];
        for (int p = 0; p < idx.length; p++) {
            System.arraycopy(counter, 0, source, 0, rank);
            if (rank > 0) source[dim] = idx[p];
            body.accept(p, source);
            for (int d = rank - 1; d >= 0; d--) {
                if (++counter[d] < shape[d]) break;
                counter[d] = 0;
            }
        }
    }

    private static int dot(int[] index, int[] strides) {
        int s = 0;
        for (int i = 0; i < index.length; i++) s += index[i] * strides[i];
        return s;
    }

    // ------------------------------------------------------------------------------------------------ indexSelect

    static Tensor indexSelect(Tensor x, int dim, int[] indices) {
        int size = x.shape[dim];
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= size) {
                throw new ShapeMismatchException("indexSelect: index " + indices[i] + " at position " + i
                        + " is out of range for dimension " + dim + " with size " + size + " (shape "
                        + Shapes.str(x.shape) + ")");
            }
        }
        int[] idx = indices.clone();
        int[] outShape = x.shape.clone();
        outShape[dim] = idx.length;
        Tensor out = Tensor.empty(x.dtype(), outShape);
        for (int i = 0; i < idx.length; i++) {
            Tensor dst = out.detach().narrow(dim, i, 1);
            Pointwise.copyInto(dst, x.detach().narrow(dim, idx[i], 1));
        }
        int[] inShape = x.shape;
        return record("indexSelect", out, in(x), Node.NONE, (g, n) -> in(indexAdd(g, inShape, dim, idx)));
    }

    /** Adds the slices of g into zeros of {@code inShape} at {@code idx}; the gradient of that is indexSelect. */
    static Tensor indexAdd(Tensor g, int[] inShape, int dim, int[] idx) {
        Tensor out = Tensor.zeros(g.dtype(), inShape);
        for (int i = 0; i < idx.length; i++) {
            Tensor dst = out.detach().narrow(dim, idx[i], 1);
            Pointwise.zipInto(org.grad4j.core.kernel.BinaryOp.ADD, dst, dst, g.detach().narrow(dim, i, 1));
        }
        return record("indexAdd", out, in(g), Node.NONE, (gg, n) -> in(gg.indexSelect(dim, idx)));
    }

    // ------------------------------------------------------------------------------------------------ concat

    static Tensor concat(int dim, Tensor[] tensors) {
        if (tensors.length == 0) {
            throw new IllegalArgumentException("concat: expects at least one tensor");
        }
        Tensor first = tensors[0];
        if (first.dim() == 0) {
            throw new ShapeMismatchException("concat: zero-dimensional tensors cannot be concatenated; unsqueeze"
                    + " them or use stack");
        }
        int d = Shapes.dim("concat", dim, first.dim());
        int total = 0;
        for (int i = 0; i < tensors.length; i++) {
            Tensor t = tensors[i];
            Pointwise.checkDtypes("concat", first, t);
            boolean ok = t.dim() == first.dim();
            for (int j = 0; ok && j < t.dim(); j++) {
                ok = j == d || t.shape[j] == first.shape[j];
            }
            if (!ok) {
                throw new ShapeMismatchException("concat: tensor " + i + " has shape " + Shapes.str(t.shape)
                        + " but tensor 0 has " + Shapes.str(first.shape) + "; sizes must match except in dimension "
                        + d);
            }
            total += t.shape[d];
        }
        int[] outShape = first.shape.clone();
        outShape[d] = total;
        Tensor out = Tensor.empty(first.dtype(), outShape);
        int[] starts = new int[tensors.length];
        int[] lengths = new int[tensors.length];
        int at = 0;
        for (int i = 0; i < tensors.length; i++) {
            starts[i] = at;
            lengths[i] = tensors[i].shape[d];
            Tensor dst = out.detach().narrow(d, at, lengths[i]);
            Pointwise.copyInto(dst, tensors[i]);
            at += lengths[i];
        }
        return record("concat", out, tensors, Node.NONE, (g, n) -> {
            Tensor[] grads = new Tensor[starts.length];
            for (int i = 0; i < grads.length; i++) {
                grads[i] = n.needsGrad(i) ? g.narrow(d, starts[i], lengths[i]) : null;
            }
            return grads;
        });
    }

    // ------------------------------------------------------------------------------------------------ helpers

    static Tensor oneHot(int[] labels, int numClasses, DType dtype) {
        if (numClasses <= 0) {
            throw new IllegalArgumentException("oneHot: numClasses must be positive, got " + numClasses);
        }
        Tensor out = Tensor.zeros(dtype, labels.length, numClasses);
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new ShapeMismatchException("oneHot: label " + labels[i] + " at position " + i
                        + " is outside [0, " + numClasses + ")");
            }
            out.storage.set(i * numClasses + labels[i], 1);
        }
        return out;
    }

    /** Integral values of an index tensor, checked to lie in [0, size). */
    static int[] toIndices(String op, Tensor index, int size) {
        double[] values = index.toDoubleArray();
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            if (v != Math.rint(v) || v < 0 || v >= size) {
                throw new ShapeMismatchException(op + ": index value " + v + " at flat position " + i + " is "
                        + (v != Math.rint(v) ? "not an integer" : "out of range [0, " + size + ")")
                        + " (index shape " + Shapes.str(index.shape) + ")");
            }
            out[i] = (int) v;
        }
        return out;
    }

    static int[] append(int[] shape, int value) {
        int[] out = Arrays.copyOf(shape, shape.length + 1);
        out[shape.length] = value;
        return out;
    }
}
