package org.grad4j.core;

import static org.grad4j.core.Node.in;
import static org.grad4j.core.Node.record;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.grad4j.core.kernel.BinaryOp;

/**
 * Shape and indexing ops of PyTorch that are rearrangements: flip, roll, repeat, tile, repeatInterleave, tril,
 * triu, diag, diagonal, trace, chunk, unbind, movedim, unfold, pad, indexCopy and takeAlongDim. Most are composed of
 * differentiable primitives (indexSelect, expand, reshape, concat, where, gather), so they need no rule of their
 * own; the two views made here, {@code diagonal} and {@code unfold}, each have a rule and a backward primitive whose
 * own gradient is the view again. Sizes and index arithmetic are done in long and range-checked before any int cast.
 */
final class ShapeOps {
    private ShapeOps() {
    }

    // ------------------------------------------------------------------------------------------------ flip, roll

    static Tensor flip(Tensor x, int[] dims) {
        Args.notNull(dims, "flip", "dims");
        int[] ds = distinctDims("flip", dims, x.dim());
        Tensor out = x;
        for (int d : ds) {
            int size = x.shape[d];
            int[] reversed = new int[size];
            for (int i = 0; i < size; i++) reversed[i] = size - 1 - i;
            out = out.indexSelect(d, reversed);
        }
        return out == x ? x.copy() : out;
    }

    static Tensor roll(Tensor x, int[] shifts, int[] dims) {
        Args.notNull(shifts, "roll", "shifts");
        Args.notNull(dims, "roll", "dims");
        if (dims.length == 0) {
            if (shifts.length != 1) {
                throw new ShapeMismatchException("roll: without dims exactly one shift rolls the flattened tensor, got"
                        + " shifts " + Arrays.toString(shifts));
            }
            return roll(x.flatten(), shifts, new int[] {0}).reshape(x.shape);
        }
        if (shifts.length != dims.length) {
            throw new ShapeMismatchException("roll: shifts " + Arrays.toString(shifts) + " and dims "
                    + Arrays.toString(dims) + " must have the same length");
        }
        Tensor out = x;
        for (int k = 0; k < dims.length; k++) {
            int d = Shapes.existingDim("roll", dims[k], x.dim());
            int size = x.shape[d];
            if (size == 0) {
                continue;
            }
            int s = (int) Math.floorMod((long) shifts[k], (long) size);
            if (s == 0) {
                continue;
            }
            int[] source = new int[size];
            for (int i = 0; i < size; i++) source[i] = (int) Math.floorMod((long) i - s, (long) size);
            out = out.indexSelect(d, source);
        }
        return out == x ? x.copy() : out;
    }

    // ------------------------------------------------------------------------------------------------ repeats

    /** {@code out[i] = x[i % size]} per dim: x viewed as [1, s0, 1, s1, ...], expanded to [r0, s0, ...], merged. */
    static Tensor repeat(Tensor x, int[] repeats) {
        Args.notNull(repeats, "repeat", "repeats");
        int rank = x.dim();
        if (repeats.length < rank) {
            throw new ShapeMismatchException("repeat: the number of repeats " + repeats.length + " "
                    + Arrays.toString(repeats) + " can not be smaller than the number of dims " + rank + " of the"
                    + " tensor (shape " + Shapes.str(x.shape) + ")");
        }
        int lead = repeats.length - rank;
        int[] grouped = new int[2 * repeats.length];
        int[] expanded = new int[2 * repeats.length];
        long[] outShape = new long[repeats.length];
        for (int i = 0; i < repeats.length; i++) {
            if (repeats[i] < 0) {
                throw new IllegalArgumentException("repeat: repeats must be non-negative, got "
                        + Arrays.toString(repeats));
            }
            int size = i < lead ? 1 : x.shape[i - lead];
            grouped[2 * i] = 1;
            grouped[2 * i + 1] = size;
            expanded[2 * i] = repeats[i];
            expanded[2 * i + 1] = size;
            outShape[i] = (long) repeats[i] * size;
        }
        int[] shape = checkedShape("repeat", outShape);
        return x.reshape(grouped).expand(expanded).reshape(shape);
    }

    static Tensor tile(Tensor x, int[] reps) {
        Args.notNull(reps, "tile", "reps");
        if (reps.length >= x.dim()) {
            return repeat(x, reps);
        }
        int[] padded = new int[x.dim()];
        Arrays.fill(padded, 1);
        System.arraycopy(reps, 0, padded, x.dim() - reps.length, reps.length);
        return repeat(x, padded);
    }

    /** Each slice along {@code dim} repeated {@code repeats} times in place: x[.., s, 1, ..] expanded and merged. */
    static Tensor repeatInterleave(Tensor x, int repeats, Integer dim) {
        if (repeats < 0) {
            throw new IllegalArgumentException("repeatInterleave: repeats must be non-negative, got " + repeats);
        }
        if (dim == null) {
            return repeatInterleave(x.flatten(), repeats, 0);
        }
        int d = Shapes.dim("repeatInterleave", dim, x.dim());
        if (x.dim() == 0) {
            return repeatInterleave(x.reshape(1), repeats, 0);
        }
        int[] expanded = Indexing.append(x.shape, repeats);
        int[] order = new int[expanded.length];
        long[] outShape = new long[x.dim()];
        for (int i = 0; i < x.dim(); i++) outShape[i] = i == d ? (long) x.shape[i] * repeats : x.shape[i];
        int[] shape = checkedShape("repeatInterleave", outShape);
        // [.., s_d, .., r]: move r right after s_d, then merge the two.
        int k = 0;
        for (int i = 0; i < x.dim(); i++) {
            order[k++] = i;
            if (i == d) order[k++] = x.dim();
        }
        return x.unsqueeze(-1).expand(expanded).permute(order).reshape(shape);
    }

    static Tensor repeatInterleave(Tensor x, Tensor repeats, Integer dim) {
        Args.notNull(repeats, "repeatInterleave", "repeats");
        String op = "repeatInterleave";
        if (repeats.dtype() != DType.INT64 && repeats.dtype() != DType.INT32) {
            throw new DTypeMismatchException(op + ": repeats must be an int64 or int32 tensor, got " + repeats.dtype()
                    + "; convert it with .to(DType.INT64)");
        }
        if (repeats.dim() > 1) {
            throw new ShapeMismatchException(op + ": repeats must be 0-d or 1-d, got shape "
                    + Shapes.str(repeats.shape));
        }
        if (dim == null) {
            return repeatInterleave(x.flatten(), repeats, 0);
        }
        if (x.dim() == 0) {
            return repeatInterleave(x.reshape(1), repeats, 0);
        }
        int d = Shapes.dim(op, dim, x.dim());
        int size = x.shape[d];
        long[] counts = repeats.toLongArray();
        if (counts.length != 1 && counts.length != size) {
            throw new ShapeMismatchException(op + ": repeats must have 1 or " + size + " elements (the size of"
                    + " dimension " + d + " of shape " + Shapes.str(x.shape) + "), got " + counts.length);
        }
        long total = 0;
        for (int i = 0; i < size; i++) {
            long c = counts[counts.length == 1 ? 0 : i];
            if (c < 0) {
                throw new IllegalArgumentException(op + ": repeats must be non-negative, got " + c + " at position "
                        + i);
            }
            total += c;
            if (total > Shapes.MAX_ELEMENTS) {
                throw new IllegalArgumentException(op + ": the repeats add up to more than " + Shapes.MAX_ELEMENTS
                        + " slices along dimension " + d);
            }
        }
        int[] source = new int[(int) total];
        int at = 0;
        for (int i = 0; i < size; i++) {
            long c = counts[counts.length == 1 ? 0 : i];
            for (long r = 0; r < c; r++) source[at++] = i;
        }
        return x.indexSelect(d, source);
    }

    // ------------------------------------------------------------------------------------------------ triangles

    static Tensor triangle(Tensor x, long diagonal, boolean lower) {
        String op = lower ? "tril" : "triu";
        if (x.dim() < 2) {
            throw new ShapeMismatchException(op + ": expects a tensor of at least 2 dims (a batch of matrices), got"
                    + " shape " + Shapes.str(x.shape));
        }
        int rows = x.shape[x.dim() - 2];
        int cols = x.shape[x.dim() - 1];
        boolean[] keep = new boolean[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                long above = (long) j - i;
                keep[i * cols + j] = lower ? above <= diagonal : above >= diagonal;
            }
        }
        Tensor mask = Tensor.of(keep, rows, cols);
        return Tensor.where(mask, x, Tensor.scalar(0L, x.dtype()));
    }

    // ------------------------------------------------------------------------------------------------ diagonals

    /** The diagonal as a view: dims d1 and d2 removed, a last dim of the diagonal's length with stride s1 + s2. */
    static Tensor diagonal(Tensor x, int offset, int dim1, int dim2) {
        int rank = x.dim();
        if (rank < 2) {
            throw new ShapeMismatchException("diagonal: expects a tensor of at least 2 dims, got shape "
                    + Shapes.str(x.shape));
        }
        int d1 = Shapes.dim("diagonal", dim1, rank);
        int d2 = Shapes.dim("diagonal", dim2, rank);
        if (d1 == d2) {
            throw new ShapeMismatchException("diagonal: dim1 and dim2 cannot be the same dimension, got " + dim1
                    + " and " + dim2);
        }
        long length = offset >= 0 ? Math.min((long) x.shape[d1], (long) x.shape[d2] - offset)
                : Math.min((long) x.shape[d1] + offset, (long) x.shape[d2]);
        length = Math.max(0, length);
        int[] shape = new int[rank - 1];
        int[] strides = new int[rank - 1];
        int k = 0;
        for (int i = 0; i < rank; i++) {
            if (i != d1 && i != d2) {
                shape[k] = x.shape[i];
                strides[k++] = x.strides[i];
            }
        }
        shape[k] = (int) length;
        strides[k] = x.strides[d1] + x.strides[d2];
        int start = length == 0 ? x.offset
                : x.offset + (offset >= 0 ? offset * x.strides[d2] : -offset * x.strides[d1]);
        Tensor out = new Tensor(x.storage, shape, strides, start);
        int[] inShape = x.shape;
        return record("diagonal", out, in(x), Node.NONE,
                (g, n) -> in(diagonalBackward(g, inShape, offset, d1, d2)));
    }

    /** g written onto the diagonal of zeros of {@code inShape}; its own gradient is the diagonal again. */
    static Tensor diagonalBackward(Tensor g, int[] inShape, int offset, int d1, int d2) {
        Tensor out = Tensor.zeros(g.dtype(), inShape);
        Pointwise.copyInto(diagonal(out.detach(), offset, d1, d2), g.detach());
        return record("diagonalBackward", out, in(g), Node.NONE, (gg, n) -> in(diagonal(gg, offset, d1, d2)));
    }

    static Tensor diag(Tensor x, int diagonal) {
        if (x.dim() == 1) {
            long m = x.shape[0] + Math.abs((long) diagonal);
            int[] shape = checkedShape("diag", new long[] {m, m});
            return diagonalBackward(x, shape, diagonal, 0, 1);
        }
        if (x.dim() == 2) {
            return diagonal(x, diagonal, 0, 1).copy();
        }
        throw new ShapeMismatchException("diag: expects a 1-d tensor (to build a matrix) or a 2-d tensor (to read a"
                + " diagonal), got shape " + Shapes.str(x.shape));
    }

    static Tensor trace(Tensor x) {
        if (x.dim() != 2) {
            throw new ShapeMismatchException("trace: expects a matrix, got shape " + Shapes.str(x.shape));
        }
        if (x.dtype() == DType.BOOL) {
            throw new DTypeMismatchException("trace: not defined for bool tensors (as in PyTorch); convert with"
                    + " .to(DType.INT64)");
        }
        return diagonal(x, 0, 0, 1).sum();
    }

    // ------------------------------------------------------------------------------------------------ pieces

    static List<Tensor> chunk(Tensor x, int chunks, int dim) {
        if (chunks <= 0) {
            throw new IllegalArgumentException("chunk: the number of chunks must be positive, got " + chunks);
        }
        int d = Shapes.existingDim("chunk", dim, x.dim());
        int size = x.shape[d];
        if (size == 0) {
            List<Tensor> parts = new ArrayList<>();
            for (int i = 0; i < chunks; i++) parts.add(x.narrow(d, 0, 0));
            return parts;
        }
        int splitSize = (int) (((long) size + chunks - 1) / chunks);
        return x.split(splitSize, d);
    }

    static List<Tensor> unbind(Tensor x, int dim) {
        int d = Shapes.existingDim("unbind", dim, x.dim());
        List<Tensor> parts = new ArrayList<>(x.shape[d]);
        for (int i = 0; i < x.shape[d]; i++) parts.add(x.select(d, i));
        return parts;
    }

    static Tensor movedim(Tensor x, int[] source, int[] destination) {
        Args.notNull(source, "movedim", "source");
        Args.notNull(destination, "movedim", "destination");
        if (source.length != destination.length) {
            throw new ShapeMismatchException("movedim: source " + Arrays.toString(source) + " and destination "
                    + Arrays.toString(destination) + " must have the same number of dims");
        }
        int rank = x.dim();
        int[] src = normalizeDistinct("movedim", source, rank);
        int[] dst = normalizeDistinct("movedim", destination, rank);
        if (rank == 0) {
            return x;   // dims 0 and -1 name the 0-d tensor's only position, as in PyTorch
        }
        int[] order = new int[rank];
        Arrays.fill(order, -1);
        boolean[] used = new boolean[rank];
        for (int i = 0; i < src.length; i++) {
            order[dst[i]] = src[i];
            used[src[i]] = true;
        }
        int next = 0;
        for (int i = 0; i < rank; i++) {
            if (order[i] >= 0) continue;
            while (used[next]) next++;
            order[i] = next++;
        }
        return x.permute(order);
    }

    // ------------------------------------------------------------------------------------------------ unfold

    /** Sliding windows as a view: dim shrinks to the window count, a last dim of {@code size} steps through each. */
    static Tensor unfold(Tensor x, int dim, int size, int step) {
        if (x.dim() == 0) {
            Shapes.dim("unfold", dim, 0);
            return unfold(x.reshape(1), 0, size, step).reshape(size);
        }
        int d = Shapes.dim("unfold", dim, x.dim());
        if (step <= 0) {
            throw new IllegalArgumentException("unfold: step must be positive, got " + step);
        }
        if (size < 0 || size > x.shape[d]) {
            throw new ShapeMismatchException("unfold: size " + size + " must lie in [0, " + x.shape[d] + "] (the"
                    + " size of dimension " + d + " of shape " + Shapes.str(x.shape) + ")");
        }
        int count = (int) (((long) x.shape[d] - size) / step + 1);
        int[] shape = Indexing.append(x.shape, size);
        int[] strides = Indexing.append(x.strides, x.strides[d]);
        shape[d] = count;
        strides[d] = count == 1 ? x.strides[d] : (int) ((long) x.strides[d] * step);   // one window: never stepped
        Shapes.numel(shape);
        Tensor out = new Tensor(x.storage, shape, strides, x.offset);
        int[] inShape = x.shape;
        return record("unfold", out, in(x), Node.NONE, (g, n) -> in(unfoldBackward(g, inShape, d, size, step)));
    }

    /** Each window of g added back at its place in zeros of {@code inShape}; its own gradient is unfold again. */
    static Tensor unfoldBackward(Tensor g, int[] inShape, int d, int size, int step) {
        DType compute = Pointwise.computeType(g.dtype());
        Tensor wide = Casts.convert(g.detach(), compute);
        Tensor sums = Tensor.zeros(compute, inShape);
        int rank = inShape.length;
        int[] order = new int[rank];   // window's last dim back to d
        for (int i = 0, k = 0; i < rank; i++) order[i] = i == d ? rank - 1 : k++;
        for (int w = 0; w < g.shape[d]; w++) {
            Tensor target = sums.narrow(d, w * step, size);
            Pointwise.zipInto(BinaryOp.ADD, target, target, wide.select(d, w).permute(order));
        }
        Tensor out = Casts.convert(sums, g.dtype());
        return record("unfoldBackward", out, in(g), Node.NONE, (gg, n) -> in(unfold(gg, d, size, step)));
    }

    // ------------------------------------------------------------------------------------------------ pad

    /** The padding modes of {@code F.pad}, by PyTorch's names. */
    private enum PadMode { CONSTANT, REFLECT, REPLICATE, CIRCULAR }

    /**
     * Pads the last dims as {@code F.pad}: {@code pads} holds (before, after) pairs from the last dim backwards;
     * negative pads crop. Constant padding is a concatenation with filled blocks, the others an indexSelect of
     * reflected, clamped or wrapped positions, so all are differentiable without a rule of their own.
     */
    static Tensor pad(Tensor x, int[] pads, String mode, double value) {
        Args.notNull(pads, "pad", "pads");
        Args.notNull(mode, "pad", "mode");
        PadMode m = switch (mode) {
            case "constant" -> PadMode.CONSTANT;
            case "reflect" -> PadMode.REFLECT;
            case "replicate" -> PadMode.REPLICATE;
            case "circular" -> PadMode.CIRCULAR;
            default -> throw new IllegalArgumentException("pad: unknown mode \"" + mode + "\"; expected one of"
                    + " \"constant\", \"reflect\", \"replicate\", \"circular\"");
        };
        if (pads.length % 2 != 0 || pads.length / 2 > x.dim()) {
            throw new IllegalArgumentException("pad: expects (before, after) pairs for at most " + x.dim()
                    + " dims of the input of shape " + Shapes.str(x.shape) + ", got " + Arrays.toString(pads));
        }
        if (m != PadMode.CONSTANT && value != 0) {
            throw new IllegalArgumentException("pad: mode \"" + mode + "\" does not take a value (got " + value
                    + "); only \"constant\" does");
        }
        long[] outShape = new long[x.dim()];
        for (int d = 0; d < x.dim(); d++) outShape[d] = x.shape[d];
        for (int p = 0; p < pads.length / 2; p++) {
            int d = x.dim() - 1 - p;
            outShape[d] += (long) pads[2 * p] + pads[2 * p + 1];
            if (outShape[d] < 0) {
                throw new ShapeMismatchException("pad: padding (" + pads[2 * p] + ", " + pads[2 * p + 1] + ") of"
                        + " dimension " + d + " of size " + x.shape[d] + " gives a negative size " + outShape[d]);
            }
        }
        checkedShape("pad", outShape);
        Tensor out = x;
        for (int p = 0; p < pads.length / 2; p++) {
            out = padDim(out, x.dim() - 1 - p, pads[2 * p], pads[2 * p + 1], m, value);
        }
        return out == x ? x.copy() : out;
    }

    private static Tensor padDim(Tensor x, int dim, int before, int after, PadMode mode, double value) {
        int size = x.size(dim);
        if (before < 0) {
            x = x.narrow(dim, -before, size + before);
            size += before;
            before = 0;
        }
        if (after < 0) {
            x = x.narrow(dim, 0, size + after);
            size += after;
            after = 0;
        }
        if (before == 0 && after == 0) {
            return x;
        }
        if (mode == PadMode.CONSTANT) {
            int[] shape = x.shape();
            shape[dim] = before;
            Tensor lead = Tensor.full(value, x.dtype(), shape);
            shape[dim] = after;
            Tensor tail = Tensor.full(value, x.dtype(), shape);
            return Tensor.concat(dim, lead, x, tail);
        }
        if (mode == PadMode.REFLECT && (before >= size || after >= size)) {
            throw new IllegalArgumentException("pad: reflect padding (" + before + ", " + after + ") must be smaller"
                    + " than the padded dim's size " + size + " (dimension " + dim + ")");
        }
        if (mode == PadMode.CIRCULAR && (before > size || after > size)) {
            throw new IllegalArgumentException("pad: circular padding (" + before + ", " + after + ") must be at most"
                    + " the padded dim's size " + size + " (dimension " + dim + ")");
        }
        if (size == 0) {
            throw new IllegalArgumentException("pad: " + mode.name().toLowerCase() + " padding needs a non-empty"
                    + " dimension " + dim);
        }
        int[] source = new int[before + size + after];
        for (int i = 0; i < source.length; i++) {
            int at = i - before;
            source[i] = switch (mode) {
                case REFLECT -> at < 0 ? -at : at >= size ? 2 * (size - 1) - at : at;
                case REPLICATE -> Math.max(0, Math.min(size - 1, at));
                case CIRCULAR -> Math.floorMod(at, size);
                case CONSTANT -> throw new IllegalStateException();
            };
        }
        return x.indexSelect(dim, source);
    }

    // ------------------------------------------------------------------------------------------------ indexed copies

    /** Composed: {@code where(hit, source.indexSelect(dim, winner), x)}; a repeated index keeps its last slice. */
    static Tensor indexCopy(Tensor x, int dim, Tensor index, Tensor source) {
        Args.notNull(index, "indexCopy", "index");
        Args.notNull(source, "indexCopy", "source");
        String op = "indexCopy";
        int d = Shapes.existingDim(op, dim, x.dim());
        if (index.dim() > 1) {
            throw new ShapeMismatchException(op + ": index must be 0-d or 1-d, got shape " + Shapes.str(index.shape));
        }
        if (source.dtype() != x.dtype()) {
            throw new DTypeMismatchException(op + ": source must have the input's dtype " + x.dtype() + ", got "
                    + source.dtype() + "; convert it with .to(DType." + x.dtype().name() + ")");
        }
        int[] expected = x.shape.clone();
        expected[d] = index.numel();
        if (!Arrays.equals(expected, source.shape)) {
            throw new ShapeMismatchException(op + ": source must have shape " + Shapes.str(expected) + " (the input's"
                    + " shape " + Shapes.str(x.shape) + " with " + index.numel() + " along dimension " + d + "), got "
                    + Shapes.str(source.shape));
        }
        int[] idx = Indexing.toIndices(op, index, x.shape[d]);
        if (idx.length == 0) {
            return x.copy();
        }
        int size = x.shape[d];
        int[] winner = new int[size];
        boolean[] hit = new boolean[size];
        for (int i = 0; i < idx.length; i++) {
            winner[idx[i]] = i;
            hit[idx[i]] = true;
        }
        int[] maskShape = new int[x.dim()];
        Arrays.fill(maskShape, 1);
        maskShape[d] = size;
        Tensor mask = Tensor.ofShape(hit, maskShape);
        return Tensor.where(mask, source.indexSelect(d, winner), x);
    }

    static Tensor takeAlongDim(Tensor x, Tensor indices, Integer dim) {
        Args.notNull(indices, "takeAlongDim", "indices");
        String op = "takeAlongDim";
        if (indices.dtype() != DType.INT64 && indices.dtype() != DType.INT32) {
            throw new DTypeMismatchException(op + ": indices must be int64 or int32, got a " + indices.dtype()
                    + " tensor of shape " + Shapes.str(indices.shape) + "; convert it with .to(DType.INT64)");
        }
        if (dim == null) {
            return x.flatten().gather(0, indices.flatten());
        }
        if (x.dim() != indices.dim()) {
            throw new ShapeMismatchException(op + ": input and indices must have the same number of dims, got"
                    + " shapes " + Shapes.str(x.shape) + " and " + Shapes.str(indices.shape));
        }
        if (x.dim() == 0) {
            return x.reshape(1).gather(0, indices.reshape(1)).reshape();
        }
        int d = Shapes.dim(op, dim, x.dim());
        int[] a = x.shape.clone();
        int[] b = indices.shape.clone();
        a[d] = 1;
        b[d] = 1;
        int[] common = Shapes.broadcast(op, a, b);
        int[] xShape = common.clone();
        xShape[d] = x.shape[d];
        int[] iShape = common.clone();
        iShape[d] = indices.shape[d];
        return x.expand(xShape).gather(d, indices.expand(iShape));
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** A shape computed in long, refused with the op's name when a size is negative or the total too large. */
    static int[] checkedShape(String op, long[] shape) {
        int[] out = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0 || shape[i] > Shapes.MAX_ELEMENTS) {
                throw new IllegalArgumentException(op + ": the result's dimension " + i + " would have size "
                        + shape[i] + ", outside [0, " + Shapes.MAX_ELEMENTS + "] (shape " + Arrays.toString(shape)
                        + ")");
            }
            out[i] = (int) shape[i];
        }
        Shapes.numel(out);
        return out;
    }

    /** Normalised dims in the given order, each at most once. */
    private static int[] normalizeDistinct(String op, int[] dims, int rank) {
        int[] out = new int[dims.length];
        boolean[] seen = new boolean[Math.max(rank, 1)];
        for (int i = 0; i < dims.length; i++) {
            out[i] = Shapes.dim(op, dims[i], rank);
            if (seen[out[i]]) {
                throw new ShapeMismatchException(op + ": dimension " + out[i] + " appears more than once in "
                        + Arrays.toString(dims));
            }
            seen[out[i]] = true;
        }
        return out;
    }

    private static int[] distinctDims(String op, int[] dims, int rank) {
        int[] out = normalizeDistinct(op, dims, rank);
        return rank == 0 ? Shapes.SCALAR : out;
    }
}
