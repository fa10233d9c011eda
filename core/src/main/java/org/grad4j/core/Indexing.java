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
        Args.notNull(index, "gather", "index");
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
        Storage src = x.storage;
        Storage dst = out.storage;
        forEachIndexed(index.shape, dim, idx, (outPos, source) ->
                dst.copyElement(outPos, src, x.offset + dot(source, x.strides)));
        return record("gather", out, in(x), Node.NONE, (g, n) -> in(scatterAdd(g, inShape, dim, idx, index.shape)));
    }

    /** Adds g into zeros of {@code inShape} at the gathered positions; the gradient of that is gather again. */
    static Tensor scatterAdd(Tensor g, int[] inShape, int dim, int[] idx, int[] indexShape) {
        Tensor dense = g.contiguous();
        Tensor out = Tensor.zeros(g.dtype(), inShape);
        int[] outStrides = out.strides;
        forEachIndexed(indexShape, dim, idx, (srcPos, target) ->
                out.storage.addElement(dot(target, outStrides), dense.storage, dense.offset + srcPos));
        Tensor indexTensor = indexTensor(idx, indexShape);
        return record("scatterAdd", out, in(g), Node.NONE, (gg, n) -> in(gg.gather(dim, indexTensor)));
    }

    /** Like {@link #scatterAdd} but each position takes the last value written there (torch.scatter's forward). */
    static Tensor scatterPlace(Tensor g, int[] inShape, int dim, int[] idx, int[] indexShape) {
        Tensor dense = g.contiguous();
        Tensor out = Tensor.zeros(g.dtype(), inShape);
        int[] outStrides = out.strides;
        forEachIndexed(indexShape, dim, idx, (srcPos, target) ->
                out.storage.copyElement(dot(target, outStrides), dense.storage, dense.offset + srcPos));
        Tensor indexTensor = indexTensor(idx, indexShape);
        return record("scatter", out, in(g), Node.NONE, (gg, n) -> in(gg.gather(dim, indexTensor)));
    }

    /**
     * The shape and dtype rules shared by scatter, scatterAdd and scatterReduce (dim already normalised): index and
     * src of the input's rank, src of its dtype, index no larger than src anywhere and than the input off {@code dim}.
     */
    static void checkScatterShapes(String op, Tensor x, int dim, Tensor index, Tensor src) {
        if (index.dim() != x.dim() || src.dim() != x.dim()) {
            throw new ShapeMismatchException(op + ": index and src must have the input's rank, got input shape "
                    + Shapes.str(x.shape) + ", index shape " + Shapes.str(index.shape) + ", src shape "
                    + Shapes.str(src.shape));
        }
        if (src.dtype() != x.dtype()) {
            throw new DTypeMismatchException(op + ": src must have the input's dtype " + x.dtype() + ", got "
                    + src.dtype() + "; convert it with .to(DType." + x.dtype().name() + ")");
        }
        for (int d = 0; d < x.dim(); d++) {
            if (index.shape[d] > src.shape[d] || (d != dim && index.shape[d] > x.shape[d])) {
                throw new ShapeMismatchException(op + ": index shape " + Shapes.str(index.shape) + " must be no"
                        + " larger than src shape " + Shapes.str(src.shape) + " in every dimension and than input"
                        + " shape " + Shapes.str(x.shape) + " outside dimension " + dim);
            }
        }
    }

    /** The public scatter / scatterAdd: validated here, composed of scatterPlace / scatterAdd, where and add. */
    static Tensor scatter(Tensor x, int dim, Tensor index, Tensor src, boolean add) {
        String op = add ? "scatterAdd" : "scatter";
        Args.notNull(index, op, "index");
        Args.notNull(src, op, "src");
        checkScatterShapes(op, x, dim, index, src);
        int[] idx = toIndices(op, index, x.dim() == 0 ? 1 : x.shape[dim]);
        Tensor part = src;
        for (int d = 0; d < src.dim(); d++) {
            if (src.shape[d] != index.shape[d]) {
                part = part.narrow(d, 0, index.shape[d]);
            }
        }
        if (add) {
            return x.add(scatterAdd(part, x.shape, dim, idx, index.shape));
        }
        Tensor placed = scatterPlace(part, x.shape, dim, idx, index.shape);
        Tensor hit = Tensor.zeros(DType.BOOL, x.shape);
        int[] hitStrides = hit.strides;
        forEachIndexed(index.shape, dim, idx, (srcPos, target) -> hit.storage.setLong(dot(target, hitStrides), 1));
        return Tensor.where(hit, placed, x);
    }

    private static Tensor indexTensor(int[] idx, int[] shape) {
        long[] values = new long[idx.length];
        for (int i = 0; i < idx.length; i++) values[i] = idx[i];
        return Tensor.ofShape(values, shape);
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
        Args.notNull(indices, "indexSelect", "indices");
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
        DType compute = Pointwise.computeType(g.dtype());
        Tensor wide = Casts.convert(g.detach(), compute);
        Tensor sums = Tensor.zeros(compute, inShape);
        for (int i = 0; i < idx.length; i++) {
            Tensor dst = sums.narrow(dim, idx[i], 1);
            Pointwise.zipInto(org.grad4j.core.kernel.BinaryOp.ADD, dst, dst, wide.narrow(dim, i, 1));
        }
        Tensor out = Casts.convert(sums, g.dtype());
        return record("indexAdd", out, in(g), Node.NONE, (gg, n) -> in(gg.indexSelect(dim, idx)));
    }

    /** The public indexAdd: validated here, composed of the indexAdd primitive and add. */
    static Tensor indexAddPublic(Tensor x, int dim, Tensor index, Tensor source) {
        Args.notNull(index, "indexAdd", "index");
        Args.notNull(source, "indexAdd", "source");
        if (index.dim() != 1) {
            throw new ShapeMismatchException("indexAdd: index must be 1-d, got shape " + Shapes.str(index.shape));
        }
        if (source.dtype() != x.dtype()) {
            throw new DTypeMismatchException("indexAdd: source must have the input's dtype " + x.dtype() + ", got "
                    + source.dtype() + "; convert it with .to(DType." + x.dtype().name() + ")");
        }
        int[] expected = x.shape.clone();
        expected[dim] = index.numel();
        if (!Arrays.equals(expected, source.shape)) {
            throw new ShapeMismatchException("indexAdd: source must have shape " + Shapes.str(expected) + " (the"
                    + " input's shape " + Shapes.str(x.shape) + " with " + index.numel() + " along dimension " + dim
                    + "), got " + Shapes.str(source.shape));
        }
        int[] idx = toIndices("indexAdd", index, x.shape[dim]);
        return x.add(indexAdd(source, x.shape, dim, idx));
    }

    // ------------------------------------------------------------------------------------------------ concat

    static Tensor concat(int dim, Tensor[] tensors) {
        Args.noNulls(tensors, "concat", "tensors");
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
        DType dtype = Promotion.resultType(tensors);
        for (int i = 0; i < tensors.length; i++) {
            Tensor t = tensors[i];
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
        Tensor out = Tensor.empty(dtype, outShape);
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
        Args.notNull(labels, "oneHot", "labels");
        Args.notNull(dtype, "oneHot", "dtype");
        if (numClasses <= 0) {
            throw new IllegalArgumentException("oneHot: numClasses must be positive, got " + numClasses);
        }
        Tensor out = Tensor.zeros(dtype, labels.length, numClasses);
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new ShapeMismatchException("oneHot: label " + labels[i] + " at position " + i
                        + " is outside [0, " + numClasses + ")");
            }
            out.storage.setLong(i * numClasses + labels[i], 1);
        }
        return out;
    }

    /** The values of an int64 or int32 index tensor, checked to lie in [0, size). */
    static int[] toIndices(String op, Tensor index, int size) {
        Args.notNull(index, op, "index");
        if (index.dtype() != DType.INT64 && index.dtype() != DType.INT32) {
            throw new DTypeMismatchException(op + ": indices must be int64 or int32, got a " + index.dtype()
                    + " tensor of shape " + Shapes.str(index.shape) + "; convert it with .to(DType.INT64)");
        }
        long[] values = index.toLongArray();
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            long v = values[i];
            if (v < 0 || v >= size) {
                throw new ShapeMismatchException(op + ": index value " + v + " at flat position " + i + " is out of"
                        + " range [0, " + size + ") (index shape " + Shapes.str(index.shape) + ")");
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
