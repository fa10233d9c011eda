package org.grad4j.core;

/**
 * Walks several operands over one iteration shape, calling a body for each innermost run. Adjacent dims that are
 * laid out contiguously for every operand are merged first, so a contiguous or simply broadcast operation becomes a
 * few long runs that the kernels can vectorise.
 */
final class StridedLoop {
    private StridedLoop() {
    }

    interface Body {
        /** One run of {@code n} elements; operand k starts at {@code offsets[k]}, steps by {@code strides[k]}. Read-only arrays. */
        void run(int[] offsets, int[] strides, int n);
    }

    static void forEach(int[] shape, int[][] strides, int[] offsets, Body body) {
        int operands = strides.length;
        int rank = shape.length;
        int numel = 1;
        for (int d : shape) {
            if (d == 0) {
                return;
            }
            numel *= d;
        }
        if (allDense(shape, strides)) {
            // Every operand row-major and gap-free: the dims below would merge into one run; skip the bookkeeping.
            body.run(offsets, UNIT_STRIDES[operands], numel);
            return;
        }
        int[] dims = new int[rank];
        int[][] st = new int[operands][rank];
        int r = 0;
        for (int d = 0; d < rank; d++) {
            if (shape[d] == 1) {
                continue;
            }
            if (r > 0 && mergeable(st, strides, r - 1, d, shape[d], operands)) {
                dims[r - 1] *= shape[d];
                for (int k = 0; k < operands; k++) st[k][r - 1] = strides[k][d];
                continue;
            }
            dims[r] = shape[d];
            for (int k = 0; k < operands; k++) st[k][r] = strides[k][d];
            r++;
        }
        int[] off = offsets.clone();
        int[] inner = new int[operands];
        if (r == 0) {
            body.run(off, inner, 1);
            return;
        }
        for (int k = 0; k < operands; k++) inner[k] = st[k][r - 1];
        int n = dims[r - 1];
        int outer = r - 1;
        int[] counter = new int[Math.max(outer, 1)];
        while (true) {
            body.run(off, inner, n);
            int d = outer - 1;
            while (d >= 0) {
                counter[d]++;
                for (int k = 0; k < operands; k++) off[k] += st[k][d];
                if (counter[d] < dims[d]) {
                    break;
                }
                for (int k = 0; k < operands; k++) off[k] -= st[k][d] * dims[d];
                counter[d] = 0;
                d--;
            }
            if (d < 0) {
                return;
            }
        }
    }

    /** Whether merged dim {@code prev} can absorb original dim {@code d} of size {@code size} for all operands. */
    /** Unit strides for 0 to 4 operands (read-only: bodies only read the arrays they are given). */
    private static final int[][] UNIT_STRIDES = {{}, {1}, {1, 1}, {1, 1, 1}, {1, 1, 1, 1}};

    /** Whether every operand has the row-major strides of {@code shape} (dims of size 1 may have any stride). */
    private static boolean allDense(int[] shape, int[][] strides) {
        if (strides.length >= UNIT_STRIDES.length) {
            return false;
        }
        for (int[] st : strides) {
            int expected = 1;
            for (int d = shape.length - 1; d >= 0; d--) {
                if (shape[d] != 1 && st[d] != expected) {
                    return false;
                }
                expected *= shape[d];
            }
        }
        return true;
    }

    private static boolean mergeable(int[][] merged, int[][] strides, int prev, int d, int size, int operands) {
        for (int k = 0; k < operands; k++) {
            if ((long) merged[k][prev] != (long) strides[k][d] * size) {
                return false;
            }
        }
        return true;
    }
}
