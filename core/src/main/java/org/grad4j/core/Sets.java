package org.grad4j.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Ops that find positions rather than compute values: nonzero, unique, searchsorted and bucketize. Their results are
 * int64 (or int32) positions and counts, or values picked from the input; none records a graph (as in PyTorch, where
 * they are not differentiable).
 */
final class Sets {
    private Sets() {
    }

    // ------------------------------------------------------------------------------------------------ nonzero

    /** The multi-indices of the non-zero elements, row-major, as int64 {@code [n, rank]}. */
    static Tensor nonzero(Tensor x) {
        boolean[] truth = x.toBooleanArray();
        int rank = x.dim();
        int n = 0;
        for (boolean b : truth) if (b) n++;
        if ((long) n * rank > Shapes.MAX_ELEMENTS) {
            throw new IllegalArgumentException("nonzero: " + n + " non-zero elements of a rank-" + rank + " tensor"
                    + " need " + (long) n * rank + " indices, more than one tensor holds ("
                    + Shapes.MAX_ELEMENTS + ")");
        }
        long[] out = new long[n * rank];
        int[] counter = new int[rank];
        int at = 0;
        for (boolean b : truth) {
            if (b) {
                for (int d = 0; d < rank; d++) out[at++] = counter[d];
            }
            for (int d = rank - 1; d >= 0; d--) {
                if (++counter[d] < x.shape[d]) break;
                counter[d] = 0;
            }
        }
        return Tensor.ofShape(out, new int[] {n, rank});
    }

    /** One int64 tensor of positions per dim (a 0-d input counts as 1-d), as {@code nonzero(as_tuple=True)}. */
    static List<Tensor> nonzeroAsTuple(Tensor x) {
        Tensor all = nonzero(x.dim() == 0 ? x.reshape(1) : x);
        List<Tensor> out = new ArrayList<>();
        for (int d = 0; d < all.shape[1]; d++) out.add(all.select(1, d).contiguous());
        return out;
    }

    // ------------------------------------------------------------------------------------------------ unique

    /**
     * Distinct values (dim null) or distinct slices along dim. Sorted ascending (NaN last, each NaN distinct since it
     * equals nothing; -0.0 equals 0.0), or in order of first occurrence when {@code sorted} is false.
     */
    static Unique unique(Tensor x, boolean sorted, boolean returnInverse, boolean returnCounts, Integer dim) {
        Tensor t = x.detach();
        int rows;
        int width;
        Tensor rowsView;
        int d = 0;
        if (dim == null) {
            rowsView = t.reshape(t.numel(), 1);
        } else {
            d = Shapes.existingDim("unique", dim, t.dim());
            int[] order = new int[t.dim()];
            order[0] = d;
            for (int i = 0, k = 1; i < t.dim(); i++) if (i != d) order[k++] = i;
            rowsView = t.permute(order).contiguous().reshape(t.shape[d], t.shape[d] == 0 ? 0 : t.numel() / t.shape[d]);
        }
        rows = rowsView.shape[0];
        width = rowsView.shape[1];
        boolean floating = t.dtype().isFloatingPoint();
        double[] dv = floating ? rowsView.toDoubleArray() : null;
        long[] lv = floating ? null : rowsView.toLongArray();
        Integer[] order = new Integer[rows];
        for (int i = 0; i < rows; i++) order[i] = i;
        java.util.Comparator<Integer> byRow = (a, b) -> {
            for (int k = 0; k < width; k++) {
                int c = floating ? compare(dv[a * width + k], dv[b * width + k])
                        : Long.compare(lv[a * width + k], lv[b * width + k]);
                if (c != 0) return c;
            }
            return 0;
        };
        Arrays.sort(order, byRow.thenComparing(Integer::compare));
        // groups of equal rows, in sorted order
        int[] groupOf = new int[rows];
        int[] firstSorted = new int[rows];
        int groups = 0;
        for (int i = 0; i < rows; i++) {
            boolean same = i > 0 && equalRows(dv, lv, width, order[i - 1], order[i]);
            if (!same) firstSorted[groups++] = order[i];
            groupOf[order[i]] = groups - 1;
        }
        int[] rank = new int[groups];   // a group's position in the output
        int[] representative = new int[groups];
        if (sorted) {
            for (int g = 0; g < groups; g++) {
                rank[g] = g;
                representative[g] = firstSorted[g];
            }
        } else {
            boolean[] placed = new boolean[groups];
            int next = 0;
            for (int i = 0; i < rows; i++) {
                int g = groupOf[i];
                if (!placed[g]) {
                    placed[g] = true;
                    rank[g] = next;
                    representative[next++] = i;
                }
            }
        }
        long[] inverse = new long[rows];
        long[] counts = new long[groups];
        for (int i = 0; i < rows; i++) {
            inverse[i] = rank[groupOf[i]];
            counts[rank[groupOf[i]]]++;
        }
        Tensor values = dim == null ? rowsView.reshape(-1).indexSelect(0, representative)
                : t.indexSelect(d, representative);
        Tensor inv = returnInverse ? (dim == null ? Tensor.ofShape(inverse, t.shape) : Tensor.of(inverse)) : null;
        Tensor cnt = returnCounts ? Tensor.of(counts) : null;
        return new Unique(values, inv, cnt);
    }

    private static int compare(double a, double b) {
        if (a < b) return -1;
        if (a > b) return 1;
        return Boolean.compare(Double.isNaN(a), Double.isNaN(b));
    }

    private static boolean equalRows(double[] dv, long[] lv, int width, int a, int b) {
        for (int k = 0; k < width; k++) {
            if (dv != null ? dv[a * width + k] != dv[b * width + k] : lv[a * width + k] != lv[b * width + k]) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------------------------------------ searchsorted

    /**
     * For each value, the position in its row of {@code sorted} (1-d, or the values' leading dims followed by the
     * searched dim) where it would be inserted to keep the row sorted: before equal entries ({@code right} false) or
     * after them. The binary search and its comparisons are PyTorch's, so NaN lands where PyTorch puts it.
     */
    static Tensor searchsorted(Tensor sortedSequence, Tensor values, boolean right, Tensor sorter, boolean outInt32) {
        Args.notNull(sortedSequence, "searchsorted", "sortedSequence");
        Args.notNull(values, "searchsorted", "values");
        String op = "searchsorted";
        if (sortedSequence.dim() == 0) {
            throw new ShapeMismatchException(op + ": the sorted sequence must have at least one dim, got a 0-d"
                    + " tensor");
        }
        boolean oneRow = sortedSequence.dim() == 1;
        if (!oneRow) {
            int[] lead = Arrays.copyOf(sortedSequence.shape, sortedSequence.dim() - 1);
            int[] valueLead = values.dim() == 0 ? null : Arrays.copyOf(values.shape, values.dim() - 1);
            if (values.dim() != sortedSequence.dim() || !Arrays.equals(lead, valueLead)) {
                throw new ShapeMismatchException(op + ": the sorted sequence of shape "
                        + Shapes.str(sortedSequence.shape) + " and the values of shape " + Shapes.str(values.shape)
                        + " must agree in all dims but the last (or the sequence must be 1-d)");
            }
        }
        int length = sortedSequence.shape[sortedSequence.dim() - 1];
        long[] sortIndex = null;
        if (sorter != null) {
            if (sorter.dtype() != DType.INT64 && sorter.dtype() != DType.INT32) {
                throw new DTypeMismatchException(op + ": sorter must be int64 or int32, got " + sorter.dtype()
                        + "; convert it with .to(DType.INT64)");
            }
            if (!Arrays.equals(sorter.shape, sortedSequence.shape)) {
                throw new ShapeMismatchException(op + ": sorter of shape " + Shapes.str(sorter.shape) + " must have"
                        + " the sorted sequence's shape " + Shapes.str(sortedSequence.shape));
            }
            sortIndex = sorter.toLongArray();
            for (int i = 0; i < sortIndex.length; i++) {
                if (sortIndex[i] < 0 || sortIndex[i] >= length) {
                    throw new ShapeMismatchException(op + ": sorter index " + sortIndex[i] + " at flat position " + i
                            + " is out of range [0, " + length + ")");
                }
            }
        }
        boolean floating = sortedSequence.dtype().isFloatingPoint() || values.dtype().isFloatingPoint();
        double[] sd = floating ? sortedSequence.toDoubleArray() : null;
        double[] vd = floating ? values.toDoubleArray() : null;
        long[] sl = floating ? null : sortedSequence.toLongArray();
        long[] vl = floating ? null : values.toLongArray();
        int n = values.numel();
        int perRow = values.dim() == 0 ? 1 : values.shape[values.dim() - 1];
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            int rowStart = oneRow ? 0 : (i / Math.max(perRow, 1)) * length;
            int start = 0;
            int end = length;
            while (start < end) {
                int mid = start + ((end - start) >> 1);
                int at = rowStart + (sortIndex == null ? mid : (int) sortIndex[rowStart + mid]);
                boolean goRight = floating
                        ? (right ? !(sd[at] > vd[i]) : !(sd[at] >= vd[i]))
                        : (right ? sl[at] <= vl[i] : sl[at] < vl[i]);
                if (goRight) {
                    start = mid + 1;
                } else {
                    end = mid;
                }
            }
            out[i] = start;
        }
        Tensor result = Tensor.ofShape(out, values.shape);
        return outInt32 ? result.to(DType.INT32) : result;
    }

    static boolean rightFromSide(String side) {
        Args.notNull(side, "searchsorted", "side");
        return switch (side) {
            case "left" -> false;
            case "right" -> true;
            default -> throw new IllegalArgumentException("searchsorted: side must be \"left\" or \"right\", got \""
                    + side + "\"");
        };
    }

    static Tensor bucketize(Tensor x, Tensor boundaries, boolean right, boolean outInt32) {
        Args.notNull(boundaries, "bucketize", "boundaries");
        if (boundaries.dim() != 1) {
            throw new ShapeMismatchException("bucketize: boundaries must be 1-d, got shape "
                    + Shapes.str(boundaries.shape));
        }
        return searchsorted(boundaries, x, right, null, outInt32);
    }
}
