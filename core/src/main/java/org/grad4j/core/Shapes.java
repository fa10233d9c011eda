package org.grad4j.core;

import java.util.Arrays;

/** Shape arithmetic shared by the ops: element counts, strides, broadcasting, dim normalisation. */
final class Shapes {
    private Shapes() {
    }

    static final int[] SCALAR = new int[0];

    /** The most elements one tensor (one storage) holds: the largest Java array the JVM allocates. */
    static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    static int numel(int[] shape) {
        for (int d : shape) {
            if (d == 0) {
                return 0;
            }
        }
        long n = 1;
        for (int d : shape) {
            n *= d;   // n <= MAX_ELEMENTS < 2^31 before, d < 2^31: the product fits in a long, so it cannot wrap
            if (n > MAX_ELEMENTS || n < 0) {
                throw new ShapeMismatchException("tensor of shape " + str(shape) + " has "
                        + product(shape) + " elements; a grad4j tensor"
                        + " holds at most " + MAX_ELEMENTS + " (one Java array)");
            }
        }
        return (int) n;
    }

    private static java.math.BigInteger product(int[] shape) {
        java.math.BigInteger p = java.math.BigInteger.ONE;
        for (int d : shape) {
            p = p.multiply(java.math.BigInteger.valueOf(d));
        }
        return p;
    }

    private static final int[] NO_DIMS = new int[0];

    static int[] contiguousStrides(int[] shape) {
        if (shape.length == 0) {
            return NO_DIMS;   // a 0-d tensor's strides: shared, as an empty array cannot be modified
        }
        int[] strides = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= Math.max(shape[i], 1);
        }
        return strides;
    }

    static String str(int[] shape) {
        return Arrays.toString(shape);
    }

    static void checkShape(String op, int[] shape) {
        Args.notNull(shape, op, "shape");
        for (int d : shape) {
            if (d < 0) {
                throw new ShapeMismatchException(op + ": negative dimension in shape " + str(shape));
            }
        }
        numel(shape);
    }

    /** Maps a possibly negative dim into [0, rank); names the op when it is out of range. */
    static int dim(String op, int dim, int rank) {
        int r = Math.max(rank, 1);
        if (dim < -r || dim >= r) {
            throw new ShapeMismatchException(op + ": dimension " + dim + " is out of range for a tensor of rank "
                    + rank + " (expected a value in [" + (-r) + ", " + (r - 1) + "])");
        }
        return dim < 0 ? dim + r : dim;
    }

    /**
     * Like {@link #dim} for ops that index into an existing dim (select, narrow, slice, split, indexSelect, size):
     * a 0-d tensor has none, which {@link #dim} would otherwise map to 0 as reductions want.
     */
    static int existingDim(String op, int dim, int rank) {
        if (rank == 0) {
            throw new ShapeMismatchException(op + ": a 0-d tensor has no dimension " + dim
                    + " to index; reshape it to 1-d first (x.reshape(1))");
        }
        return dim(op, dim, rank);
    }

    /** Normalised, sorted, duplicate-free dims; an empty array means all dims. */
    static int[] dims(String op, int[] dims, int rank) {
        Args.notNull(dims, op, "dims");
        if (dims.length == 0) {
            int[] all = new int[rank];
            for (int i = 0; i < rank; i++) all[i] = i;
            return all;
        }
        int[] out = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            out[i] = dim(op, dims[i], rank);
        }
        Arrays.sort(out);
        for (int i = 1; i < out.length; i++) {
            if (out[i] == out[i - 1]) {
                throw new ShapeMismatchException(op + ": dimension " + out[i] + " appears more than once in "
                        + Arrays.toString(dims));
            }
        }
        // A 0-d tensor accepts dim 0 or -1 (as PyTorch does); it has no actual dim to reduce.
        return rank == 0 ? SCALAR : out;
    }

    /** NumPy broadcasting of two shapes. */
    static int[] broadcast(String op, int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new ShapeMismatchException(op + ": shapes " + str(a) + " and " + str(b)
                        + " cannot be broadcast together (dimension " + i + ": " + da + " vs " + db
                        + "); sizes must be equal or one of them 1");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Strides that read a tensor of {@code shape/strides} as if it had the broadcast shape {@code target}. */
    static int[] broadcastStrides(int[] shape, int[] strides, int[] target) {
        int[] out = new int[target.length];
        int lead = target.length - shape.length;
        for (int i = 0; i < shape.length; i++) {
            out[lead + i] = shape[i] == 1 && target[lead + i] != 1 ? 0 : strides[i];
        }
        return out;
    }

    /**
     * Strides for viewing {@code oldShape/oldStrides} as {@code newShape} without copying, or null when the memory
     * layout makes that impossible (the algorithm of PyTorch's computeStride: split the old dims into contiguous
     * chunks and map each chunk onto new dims).
     */
    static int[] viewStrides(int[] oldShape, int[] oldStrides, int[] newShape) {
        int[] newStrides = new int[newShape.length];
        // A 0-d tensor can be viewed as any all-ones shape; the chunk walk below needs at least one old dim.
        if (numel(oldShape) == 0 || oldShape.length == 0) {
            return contiguousStrides(newShape);
        }
        int viewD = newShape.length - 1;
        long chunkBaseStride = oldStrides.length > 0 ? oldStrides[oldStrides.length - 1] : 1;
        long tensorNumel = 1;
        long viewNumel = 1;
        for (int tensorD = oldShape.length - 1; tensorD >= 0; tensorD--) {
            tensorNumel *= oldShape[tensorD];
            if (tensorD == 0 || (oldShape[tensorD - 1] != 1
                    && oldStrides[tensorD - 1] != tensorNumel * chunkBaseStride)) {
                while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1)) {
                    newStrides[viewD] = (int) (viewNumel * chunkBaseStride);
                    viewNumel *= newShape[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) {
                    return null;
                }
                if (tensorD > 0) {
                    chunkBaseStride = oldStrides[tensorD - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        if (viewD != -1) {
            return null;
        }
        return newStrides;
    }

    /** Resolves one -1 entry of a requested shape against an element count. */
    static int[] inferShape(String op, int[] requested, int numel, int[] from) {
        Args.notNull(requested, op, "shape");
        int[] shape = requested.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == -1) {
                if (infer >= 0) {
                    throw new ShapeMismatchException(op + ": only one dimension can be -1, got " + str(requested));
                }
                infer = i;
            } else if (shape[i] < 0) {
                throw new ShapeMismatchException(op + ": invalid size " + shape[i] + " in shape " + str(requested));
            } else {
                known *= shape[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || numel % known != 0) {
                throw new ShapeMismatchException(op + ": shape " + str(requested) + " is invalid for input of shape "
                        + str(from) + " (" + numel + " elements)");
            }
            shape[infer] = (int) (numel / known);
        } else if (known != numel) {
            throw new ShapeMismatchException(op + ": shape " + str(requested) + " is invalid for input of shape "
                    + str(from) + " (" + numel + " elements vs " + known + ")");
        }
        return shape;
    }
}
