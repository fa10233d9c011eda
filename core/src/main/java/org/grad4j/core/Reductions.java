package org.grad4j.core;

import static org.grad4j.core.Node.in;
import static org.grad4j.core.Node.record;

import org.grad4j.core.kernel.BinaryOp;
import org.grad4j.core.kernel.Kernels;

/**
 * Reduction primitives (sum, amax/amin) and argmax/argmin. The reduced dims are moved last (a view) and each
 * output element reduces one strided block; when the reduced dims lead a contiguous tensor, whole rows are
 * accumulated instead, so summing a batch of gradients streams memory in order.
 */
final class Reductions {
    private Reductions() {
    }

    private static final Kernels KERNELS = Pointwise.KERNELS;

    static int count(int[] shape, int[] dims) {
        int n = 1;
        for (int d : dims) n *= shape[d];
        return n;
    }

    /** Backward: the output gradient, re-expanded over the reduced dims. Integer and bool sums give int64. */
    static Tensor sum(Tensor x, int[] dims, boolean keepDim) {
        Tensor out = reduce(x.dtype().isFloatingPoint() ? x : Casts.convert(x, DType.INT64), dims, keepDim, Kind.SUM);
        int[] inShape = x.shape;
        int[] keptShape = keptShape(inShape, dims);
        return record("sum", out, in(x), Node.NONE, (g, n) -> in(g.reshape(keptShape).expand(inShape)));
    }

    /** Backward: the gradient goes to the elements equal to the extremum, shared evenly among ties. */
    static Tensor extremum(String op, Tensor x, int[] dims, boolean keepDim, boolean max) {
        for (int d : dims) {
            if (x.shape[d] == 0) {
                throw new ShapeMismatchException(op + ": cannot reduce over dimension " + d + " of size 0 (shape "
                        + Shapes.str(x.shape) + "); the operation has no identity");
            }
        }
        Tensor out = x.dtype().isFloatingPoint() ? reduce(x, dims, keepDim, max ? Kind.MAX : Kind.MIN)
                : Casts.convert(reduce(Casts.convert(x, DType.INT64), dims, keepDim, max ? Kind.MAX : Kind.MIN),
                        x.dtype());
        int[] inShape = x.shape;
        int[] keptShape = keptShape(inShape, dims);
        return record(op, out, in(x), in(x, out), (g, n) -> {
            Tensor hit = n.saved(0).eq(n.saved(1).reshape(keptShape)).to(g.dtype());
            Tensor share = hit.div(hit.sum(dims, true));
            return in(share.mul(g.reshape(keptShape)));
        });
    }

    /** Positions as int64 (exact at any size); the first on ties; NaN counts as the extremum, as in PyTorch. */
    static Tensor argExtremum(Tensor x, int dim, boolean keepDim, boolean max) {
        String op = max ? "argmax" : "argmin";
        if (x.shape.length > 0 && x.shape[dim] == 0) {
            throw new ShapeMismatchException(op + ": cannot take the index over empty dimension " + dim
                    + " of shape " + Shapes.str(x.shape));
        }
        int[] dims = x.shape.length == 0 ? new int[0] : new int[] {dim};
        int[] outShape = keepDim ? keptShape(x.shape, dims) : removed(x.shape, dims);
        Tensor out = Tensor.empty(DType.INT64, outShape);
        long[] positions = out.storage.longs();
        Tensor source = x.dtype() == DType.INT32 ? Casts.convert(x, DType.INT64) : x;
        Tensor moved = moveLast(source, dims);
        int inner = x.shape.length == 0 ? 1 : x.shape[dim];
        int innerStride = source.shape.length == 0 ? 1 : source.strides[dim];
        int[] outerShape = java.util.Arrays.copyOf(moved.shape, moved.shape.length - dims.length);
        int[] outerStrides = java.util.Arrays.copyOf(moved.strides, outerShape.length);
        int[] position = {0};
        // One typed loop per storage class, chosen once: no per-element dispatch.
        StridedLoop.Body body = switch (moved.storage) {
            case Storage.F32 st -> (o, s, len) -> {
                for (int i = 0; i < len; i++) {
                    int base = o[0] + i * s[0];
                    int best = 0;
                    float bestValue = st.data[base];
                    for (int j = 1; j < inner && !Float.isNaN(bestValue); j++) {
                        float v = st.data[base + j * innerStride];
                        if (Float.isNaN(v) || (max ? v > bestValue : v < bestValue)) {
                            best = j;
                            bestValue = v;
                        }
                    }
                    positions[position[0]++] = best;
                }
            };
            case Storage.F64 st -> (o, s, len) -> {
                for (int i = 0; i < len; i++) {
                    int base = o[0] + i * s[0];
                    int best = 0;
                    double bestValue = st.data[base];
                    for (int j = 1; j < inner && !Double.isNaN(bestValue); j++) {
                        double v = st.data[base + j * innerStride];
                        if (Double.isNaN(v) || (max ? v > bestValue : v < bestValue)) {
                            best = j;
                            bestValue = v;
                        }
                    }
                    positions[position[0]++] = best;
                }
            };
            case Storage.Bytes st -> (o, s, len) -> {   // uint8 and bool, read unsigned, without a widened copy
                for (int i = 0; i < len; i++) {
                    int base = o[0] + i * s[0];
                    int best = 0;
                    int bestValue = st.data[base] & 0xFF;
                    for (int j = 1; j < inner; j++) {
                        int v = st.data[base + j * innerStride] & 0xFF;
                        if (max ? v > bestValue : v < bestValue) {
                            best = j;
                            bestValue = v;
                        }
                    }
                    positions[position[0]++] = best;
                }
            };
            default -> {
                long[] data = moved.storage.longs();
                yield (o, s, len) -> {
                    for (int i = 0; i < len; i++) {
                        int base = o[0] + i * s[0];
                        int best = 0;
                        long bestValue = data[base];
                        for (int j = 1; j < inner; j++) {
                            long v = data[base + j * innerStride];
                            if (max ? v > bestValue : v < bestValue) {
                                best = j;
                                bestValue = v;
                            }
                        }
                        positions[position[0]++] = best;
                    }
                };
            }
        };
        StridedLoop.forEach(outerShape, new int[][] {outerStrides}, new int[] {moved.offset}, body);
        return out;
    }

    private enum Kind { SUM, MAX, MIN }

    /** Reduces {@code dims} (sorted, distinct) of x into a new contiguous tensor; records nothing. */
    static Tensor reduce(Tensor x, int[] dims, boolean keepDim, Kind kind) {
        int[] keptShape = keptShape(x.shape, dims);
        Tensor out = Tensor.empty(x.dtype(), keptShape);
        if (x.numel() == 0) {
            return keepDim ? out : out.reshape(removed(x.shape, dims));
        }
        if (leadingContiguous(x, dims)) {
            reduceLeadingRows(x, count(x.shape, dims), out, kind);
        } else {
            Tensor moved = moveLast(x, dims);
            int rank = moved.shape.length;
            int outerRank = rank - dims.length;
            int[] outerShape = java.util.Arrays.copyOf(moved.shape, outerRank);
            int[] outerStrides = java.util.Arrays.copyOf(moved.strides, outerRank);
            int[] innerShape = java.util.Arrays.copyOfRange(moved.shape, outerRank, rank);
            int[] innerStrides = java.util.Arrays.copyOfRange(moved.strides, outerRank, rank);
            int[] bases = new int[out.numel()];
            int[] position = {0};
            StridedLoop.forEach(outerShape, new int[][] {outerStrides}, new int[] {moved.offset}, (o, s, len) -> {
                for (int i = 0; i < len; i++) bases[position[0]++] = o[0] + i * s[0];
            });
            // Each output is its own block's reduction, so outputs may be split across threads (a conv bias's
            // gradient: one channel's sum over the batch and the positions).
            int runStride = singleRunStride(innerShape, innerStrides);
            int runLength = count(innerShape, allDims(innerShape.length));
            ParallelParts.units(bases.length, x.numel(), (from, to) -> {
                for (int i = from; i < to; i++) {
                    if (runStride != NOT_ONE_RUN && x.dtype() != DType.INT64) {
                        // The block is the one run StridedLoop would hand reduceBlock: the same kernel call, without
                        // reduceBlock's per-element closure and arrays (a row-wise softmax has one block per row).
                        out.storage.set(i, reduceRun(x, bases[i], runStride, runLength, kind));
                    } else if (x.dtype() == DType.INT64) {
                        out.storage.setLong(i, reduceBlockLong(x, bases[i], innerShape, innerStrides, kind));
                    } else {
                        out.storage.set(i, reduceBlock(x, bases[i], innerShape, innerStrides, kind));
                    }
                }
            });
        }
        return keepDim ? out : out.reshape(removed(x.shape, dims));
    }

    /** {@link #singleRunStride}'s answer when the block is more than one run. */
    private static final int NOT_ONE_RUN = Integer.MIN_VALUE;

    /**
     * The stride of the single run that {@link StridedLoop#forEach} merges a block of this shape and these strides
     * into (dims of size 1 dropped, each dim merged into the previous one when their strides are contiguous), or
     * {@link #NOT_ONE_RUN}. A block of one element is one run of length 1, whatever its stride.
     */
    static int singleRunStride(int[] shape, int[] strides) {
        int stride = 0;
        int mergedStride = 0;
        boolean any = false;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) {
                continue;
            }
            if (any && (long) mergedStride != (long) strides[d] * shape[d]) {
                return NOT_ONE_RUN;
            }
            any = true;
            mergedStride = strides[d];
            stride = strides[d];
        }
        return stride;
    }

    private static int[] allDims(int rank) {
        int[] dims = new int[rank];
        for (int d = 0; d < rank; d++) dims[d] = d;
        return dims;
    }

    /** The reduction of one strided run: one kernel call (a whole block when it is one run, else reduceBlock's part). */
    private static double reduceRun(Tensor x, int base, int stride, int length, Kind kind) {
        if (x.dtype() == DType.FLOAT32) {
            float[] data = x.storage.floats();
            return switch (kind) {
                case SUM -> KERNELS.sum(data, base, stride, length);
                case MAX -> KERNELS.max(data, base, stride, length);
                case MIN -> KERNELS.min(data, base, stride, length);
            };
        }
        double[] data = x.storage.doubles();
        return switch (kind) {
            case SUM -> KERNELS.sum(data, base, stride, length);
            case MAX -> KERNELS.max(data, base, stride, length);
            case MIN -> KERNELS.min(data, base, stride, length);
        };
    }

    /** One output element: reduces the strided block at {@code base} (merged into runs by the loop). */
    private static double reduceBlock(Tensor x, int base, int[] shape, int[] strides, Kind kind) {
        double[] acc = {kind == Kind.SUM ? 0 : Double.NaN};
        boolean[] first = {true};
        StridedLoop.forEach(shape, new int[][] {strides}, new int[] {base}, (o, s, len) -> {
            double part = reduceRun(x, o[0], s[0], len, kind);
            if (first[0]) {
                acc[0] = part;
                first[0] = false;
            } else {
                acc[0] = switch (kind) {
                    case SUM -> acc[0] + part;
                    case MAX -> Math.max(acc[0], part);
                    case MIN -> Math.min(acc[0], part);
                };
            }
        });
        return acc[0];
    }

    /** {@link #reduceBlock} for int64, accumulated in long (wrapping). */
    private static long reduceBlockLong(Tensor x, int base, int[] shape, int[] strides, Kind kind) {
        long[] acc = {0};
        boolean[] first = {true};
        long[] data = x.storage.longs();
        StridedLoop.forEach(shape, new int[][] {strides}, new int[] {base}, (o, s, len) -> {
            long part = switch (kind) {
                case SUM -> KERNELS.sum(data, o[0], s[0], len);
                case MAX -> KERNELS.max(data, o[0], s[0], len);
                case MIN -> KERNELS.min(data, o[0], s[0], len);
            };
            if (first[0]) {
                acc[0] = part;
                first[0] = false;
            } else {
                acc[0] = switch (kind) {
                    case SUM -> acc[0] + part;
                    case MAX -> Math.max(acc[0], part);
                    case MIN -> Math.min(acc[0], part);
                };
            }
        });
        return acc[0];
    }

    /** Whether x is contiguous and dims are exactly its first dims (and not all of them). */
    private static boolean leadingContiguous(Tensor x, int[] dims) {
        if (!x.isContiguous() || dims.length == 0 || dims.length == x.shape.length) {
            return false;
        }
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] != i) return false;
        }
        return true;
    }

    /**
     * Rows of x (contiguous, viewed as [rows, width]) combined element-wise into out (width elements), each column in
     * row order. Not split across threads: split into column ranges it measured 1.7-2x slower on two threads at
     * every size from 2^19 to 2^21 elements (each thread streams every row).
     */
    private static void reduceLeadingRows(Tensor x, int rows, Tensor out, Kind kind) {
        reduceLeadingRows(x, rows, out, kind, 0, out.numel());
    }

    /** Columns {@code [from, to)} of {@link #reduceLeadingRows(Tensor, int, Tensor, Kind)}. */
    private static void reduceLeadingRows(Tensor x, int rows, Tensor out, Kind kind, int from, int to) {
        int width = out.numel();
        int cols = to - from;
        int start = x.offset + from;
        BinaryOp op = switch (kind) {
            case SUM -> BinaryOp.ADD;
            case MAX -> BinaryOp.MAX;
            case MIN -> BinaryOp.MIN;
        };
        if (x.dtype() == DType.INT64) {
            long[] src = x.storage.longs();
            long[] dst = out.storage.longs();
            System.arraycopy(src, start, dst, from, cols);
            for (int r = 1; r < rows; r++) {
                KERNELS.binary(op, dst, from, 1, src, start + r * width, 1, dst, from, 1, cols);
            }
        } else if (x.dtype() == DType.FLOAT32) {
            float[] src = x.storage.floats();
            float[] dst = out.storage.floats();
            System.arraycopy(src, start, dst, from, cols);
            for (int r = 1; r < rows; r++) {
                KERNELS.binary(op, dst, from, 1, src, start + r * width, 1, dst, from, 1, cols);
            }
        } else {
            double[] src = x.storage.doubles();
            double[] dst = out.storage.doubles();
            System.arraycopy(src, start, dst, from, cols);
            for (int r = 1; r < rows; r++) {
                KERNELS.binary(op, dst, from, 1, src, start + r * width, 1, dst, from, 1, cols);
            }
        }
    }

    /** A view of x with the given dims moved to the end, in order. */
    private static Tensor moveLast(Tensor x, int[] dims) {
        int rank = x.shape.length;
        int[] order = new int[rank];
        boolean[] reduced = new boolean[rank];
        for (int d : dims) reduced[d] = true;
        int k = 0;
        for (int d = 0; d < rank; d++) if (!reduced[d]) order[k++] = d;
        for (int d : dims) order[k++] = d;
        int[] shape = new int[rank];
        int[] strides = new int[rank];
        for (int i = 0; i < rank; i++) {
            shape[i] = x.shape[order[i]];
            strides[i] = x.strides[order[i]];
        }
        return new Tensor(x.storage, shape, strides, x.offset);
    }

    static int[] keptShape(int[] shape, int[] dims) {
        int[] out = shape.clone();
        for (int d : dims) out[d] = 1;
        return out;
    }

    static int[] removed(int[] shape, int[] dims) {
        int[] out = new int[shape.length - dims.length];
        int k = 0;
        outer:
        for (int i = 0; i < shape.length; i++) {
            for (int d : dims) if (d == i) continue outer;
            out[k++] = shape[i];
        }
        return out;
    }
}
