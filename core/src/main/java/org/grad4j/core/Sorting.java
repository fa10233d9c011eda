package org.grad4j.core;

import static org.grad4j.core.Node.in;
import static org.grad4j.core.Node.record;

/**
 * Ops that select elements along a dim and return them with their int64 indices: max/min over a dim, sort,
 * argsort, topk, kthValue, median and mode. Each computes the indices row by row (no graph), then takes the values
 * with {@code gather}, so the gradient goes to the selected elements only and second derivatives work through
 * gather / scatterAdd. The order among equal values is PyTorch 1.13's on the CPU (see {@link TieOrder}); NaN counts
 * as larger than every number, as in PyTorch.
 */
final class Sorting {
    private Sorting() {
    }

    // ------------------------------------------------------------------------------------------------ max / min

    static ValuesAndIndices maxMin(Tensor x, int dim, boolean keepDim, boolean max) {
        String op = max ? "max" : "min";
        int d = Shapes.dim(op, dim, x.dim());
        requireNonEmpty(op, x, d);
        Tensor indices = Reductions.argExtremum(x, d, true, max);
        return finish(x.gather(d, indices), indices, x.dim(), d, keepDim);
    }

    // ------------------------------------------------------------------------------------------------ sort, topk

    static ValuesAndIndices sort(Tensor x, int dim, boolean descending, boolean stable) {
        int d = Shapes.dim("sort", dim, x.dim());
        Tensor indices = argsort(x, d, descending, stable);
        return new ValuesAndIndices(x.gather(d, indices), indices);
    }

    /** Indices that sort x along d (already normalised): stable merge sort, or the C++ library's introsort. */
    static Tensor argsort(Tensor x, int d, boolean descending, boolean stable) {
        Less order = descending ? Less.DESCENDING_NAN_FIRST : Less.ASCENDING_NAN_LAST;
        return select(x, d, x.dim() == 0 ? 1 : x.shape[d], (rows, base, n, slots) -> {
            TieOrder.Less less = rows.less(order, base);
            if (stable) {
                TieOrder.stableSort(slots, n, less);
            } else {
                TieOrder.sort(slots, 0, n, less);
            }
        });
    }

    static ValuesAndIndices topk(Tensor x, int k, int dim, boolean largest, boolean sorted) {
        int d = Shapes.dim("topk", dim, x.dim());
        rejectBool("topk", x);
        int size = x.dim() == 0 ? 1 : x.shape[d];
        if (k < 0 || k > size) {
            throw new IllegalArgumentException("topk: k = " + k + " is out of range for dimension " + d + " of size "
                    + size + " (shape " + Shapes.str(x.shape) + "); k must be in [0, " + size + "]");
        }
        if (x.dim() == 0 && k == 0) {   // nothing selected from a 0-d tensor: empty 1-d results
            return new ValuesAndIndices(x.reshape(1).narrow(0, 0, 0), Tensor.zeros(DType.INT64, 0));
        }
        Less order = largest ? Less.DESCENDING_NAN_FIRST : Less.ASCENDING_NAN_LAST;
        Tensor indices = select(x, d, k, (rows, base, n, slots) -> {
            if (k == 0) {
                return;
            }
            TieOrder.Less less = rows.less(order, base);
            // PyTorch's CPU topk: a partial heap sort for small k, else nth_element and a sort of the first k - 1
            if ((long) k * 64 <= n) {
                TieOrder.partialSort(slots, 0, k, n, less);
            } else {
                TieOrder.nthElement(slots, 0, k - 1, n, less);
                if (sorted) {
                    TieOrder.sort(slots, 0, k - 1, less);
                }
            }
        });
        return new ValuesAndIndices(x.gather(d, indices), indices);
    }

    // ------------------------------------------------------------------------------------------------ kth, median, mode

    static ValuesAndIndices kthValue(Tensor x, int k, int dim, boolean keepDim) {
        int d = Shapes.dim("kthValue", dim, x.dim());
        rejectBool("kthValue", x);
        int size = x.dim() == 0 ? 1 : x.shape[d];
        if (k < 1 || k > size) {
            throw new IllegalArgumentException("kthValue: k = " + k + " is out of range for dimension " + d
                    + " of size " + size + " (shape " + Shapes.str(x.shape) + "); k must be in [1, " + size + "]");
        }
        Tensor indices = select(x, d, 1, (rows, base, n, slots) -> {
            TieOrder.quickSelect(slots, n, k - 1, rows.less(Less.DESCENDING_NAN_FIRST, base));
            slots[0] = slots[k - 1];
        });
        return finish(x.gather(d, indices), indices, x.dim(), d, keepDim);
    }

    /** The lower median along a dim; the first NaN when the row has one; the first index among equal values. */
    static ValuesAndIndices median(Tensor x, int dim, boolean keepDim) {
        int d = Shapes.dim("median", dim, x.dim());
        rejectBool("median", x);
        requireNonEmpty("median", x, d);
        Tensor indices = select(x, d, 1, (rows, base, n, slots) -> slots[0] = medianPosition(rows, base, n, slots));
        return finish(x.gather(d, indices), indices, x.dim(), d, keepDim);
    }

    private static int medianPosition(Rows rows, int base, int n, int[] slots) {
        for (int i = 0; i < n; i++) {
            if (rows.isNaN(base + i)) {
                return i;
            }
        }
        // (value, position) is a total order, so any selection finds PyTorch's element: the first among equals
        TieOrder.Less byValue = rows.less(Less.PLAIN, base);
        int middle = (n - 1) / 2;
        TieOrder.nthElement(slots, 0, middle, n, (a, b) -> byValue.less(a, b) || (!byValue.less(b, a) && a < b));
        return slots[middle];
    }

    /**
     * The lower median of all elements (0-d, no index; NaN if there is a NaN or no element), as
     * {@code torch.median(x)}. Its gradient is shared evenly among the elements equal to it, as PyTorch's.
     */
    static Tensor median(Tensor x) {
        rejectBool("median", x);
        Tensor flat = x.detach().reshape(-1);
        int n = flat.numel();
        if (n == 0) {
            if (!x.dtype().isFloatingPoint()) {
                throw new IllegalArgumentException("median: an empty " + x.dtype() + " tensor (shape "
                        + Shapes.str(x.shape) + ") has no median, and NaN is not an integer");
            }
            return Tensor.scalar(Double.NaN, x.dtype());
        }
        Rows rows = Rows.of(flat, 0);
        int[] slots = identity(n);
        int position = medianPosition(rows, 0, n, slots);
        Tensor out = flat.select(0, position).contiguous();
        boolean nan = rows.isNaN(position);
        return record("median", out, in(x), in(x, out), (g, node) -> {
            Tensor xs = node.saved(0);
            Tensor hit = (nan ? xs.ne(xs) : xs.eq(node.saved(1))).to(g.dtype());
            return in(hit.div(hit.sum()).mul(g));
        });
    }

    /** The most frequent value along a dim (the smallest of equally frequent ones) and an index of it. */
    static ValuesAndIndices mode(Tensor x, int dim, boolean keepDim) {
        int d = Shapes.dim("mode", dim, x.dim());
        requireNonEmpty("mode", x, d);
        Tensor indices = select(x, d, 1, (rows, base, n, slots) -> {
            TieOrder.sort(slots, 0, n, rows.less(Less.PLAIN, base));
            int best = 0;
            int bestCount = 0;
            int count = 0;
            for (int i = 0; i < n; i++) {
                count++;
                if (i == n - 1 || !rows.equal(base + slots[i], base + slots[i + 1])) {
                    if (count > bestCount) {
                        best = slots[i];
                        bestCount = count;
                    }
                    count = 0;
                }
            }
            slots[0] = best;
        });
        return finish(x.gather(d, indices), indices, x.dim(), d, keepDim);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static void requireNonEmpty(String op, Tensor x, int d) {
        if (x.dim() > 0 && x.shape[d] == 0) {
            throw new ShapeMismatchException(op + ": cannot reduce over dimension " + d + " of size 0 (shape "
                    + Shapes.str(x.shape) + "); the result would have no element to select");
        }
    }

    private static void rejectBool(String op, Tensor x) {
        if (x.dtype() == DType.BOOL) {
            throw new DTypeMismatchException(op + ": not implemented for bool tensors (shape " + Shapes.str(x.shape)
                    + "), as in PyTorch; convert with .to(DType.UINT8) or .to(DType.INT64) first");
        }
    }

    /** Drops the reduced dim (of size 1) unless keepDim. */
    private static ValuesAndIndices finish(Tensor values, Tensor indices, int rank, int d, boolean keepDim) {
        if (keepDim || rank == 0) {
            return new ValuesAndIndices(values, indices);
        }
        return new ValuesAndIndices(values.squeeze(d), indices.squeeze(d));
    }

    private static int[] identity(int n) {
        int[] slots = new int[n];
        for (int i = 0; i < n; i++) slots[i] = i;
        return slots;
    }

    /** Chooses the positions of one row: reorders {@code slots} (0..n-1 on entry) so the first k are the answer. */
    @FunctionalInterface
    private interface RowSelection {
        void choose(Rows rows, int base, int n, int[] slots);
    }

    /**
     * Runs a selection on every row of x along d and returns the chosen positions as int64, shaped as x with size
     * k along d (for a 0-d x: 0-d when k is 1).
     */
    private static Tensor select(Tensor x, int d, int k, RowSelection selection) {
        if (x.dim() == 0) {
            Tensor one = select(x.reshape(1), 0, k, selection);
            return k == 1 ? one.reshape() : one;
        }
        Rows rows = Rows.of(x.detach(), d);
        int n = x.shape[d];
        int last = x.dim() - 1;
        int[] movedShape = x.detach().transpose(d, last).shape();
        int count = n == 0 ? 0 : x.numel() / n;
        long[] chosen = new long[count * k];
        int[] slots = new int[n];
        for (int r = 0; r < count; r++) {
            for (int i = 0; i < n; i++) slots[i] = i;
            selection.choose(rows, r * n, n, slots);
            for (int j = 0; j < k; j++) chosen[r * k + j] = slots[j];
        }
        movedShape[last] = k;
        return Tensor.ofShape(chosen, movedShape).transpose(d, last).contiguous();
    }

    /** The comparisons the orderings use, as PyTorch's kernels define them (NaN largest where it matters). */
    private enum Less {
        /** {@code a < b}, NaN after every number (sort ascending, topk smallest). */
        ASCENDING_NAN_LAST,
        /** {@code a > b}, NaN before every number (sort descending, topk largest, kthvalue's quickselect). */
        DESCENDING_NAN_FIRST,
        /** {@code a < b} as the hardware compares (mode). */
        PLAIN
    }

    /** The rows of a tensor along one dim, copied into a double or a long array (integers stay exact). */
    private record Rows(double[] doubles, long[] longs) {
        static Rows of(Tensor x, int d) {
            Tensor moved = x.transpose(d, x.dim() - 1).contiguous();
            return x.dtype().isFloatingPoint() ? new Rows(moved.toDoubleArray(), null)
                    : new Rows(null, moved.toLongArray());
        }

        boolean isNaN(int i) {
            return doubles != null && Double.isNaN(doubles[i]);
        }

        boolean equal(int i, int j) {
            return doubles != null ? doubles[i] == doubles[j] : longs[i] == longs[j];
        }

        TieOrder.Less less(Less order, int base) {
            if (longs != null) {
                long[] v = longs;
                return order == Less.DESCENDING_NAN_FIRST ? (a, b) -> v[base + a] > v[base + b]
                        : (a, b) -> v[base + a] < v[base + b];
            }
            double[] v = doubles;
            return switch (order) {
                case ASCENDING_NAN_LAST -> (a, b) -> {
                    double p = v[base + a];
                    double q = v[base + b];
                    return (!Double.isNaN(p) && Double.isNaN(q)) || p < q;
                };
                case DESCENDING_NAN_FIRST -> (a, b) -> {
                    double p = v[base + a];
                    double q = v[base + b];
                    return (Double.isNaN(p) && !Double.isNaN(q)) || p > q;
                };
                case PLAIN -> (a, b) -> v[base + a] < v[base + b];
            };
        }
    }
}
