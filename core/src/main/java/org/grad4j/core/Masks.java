package org.grad4j.core;

import java.util.Arrays;
import org.grad4j.core.kernel.BinaryOp;

/**
 * Bool masks: masked fill and select, logical ops and truth counts. All are compositions of primitives ({@code where},
 * {@code indexSelect}, comparisons, {@code sum}), so they need no derivative rules of their own.
 */
final class Masks {
    private Masks() {
    }

    static void checkBool(String op, Tensor mask) {
        Args.notNull(mask, op, "mask");
        if (mask.dtype() != DType.BOOL) {
            throw new DTypeMismatchException(op + ": the mask must be a bool tensor, got " + mask.dtype() + " (shape "
                    + Shapes.str(mask.shape) + "); compare to get one (x.gt(0)) or convert with .to(DType.BOOL)");
        }
    }

    static Tensor maskedFill(Tensor x, Tensor mask, Tensor value) {
        checkBool("maskedFill", mask);
        int[] shape = Shapes.broadcast("maskedFill", x.shape, mask.shape);
        if (!Arrays.equals(shape, x.shape)) {
            throw new ShapeMismatchException("maskedFill: the mask of shape " + Shapes.str(mask.shape)
                    + " cannot be broadcast to the tensor's shape " + Shapes.str(x.shape));
        }
        return Tensor.where(mask, value, x);
    }

    static Tensor maskedSelect(Tensor x, Tensor mask) {
        checkBool("maskedSelect", mask);
        int[] shape = Shapes.broadcast("maskedSelect", x.shape, mask.shape);
        Tensor flat = x.expand(shape).reshape(-1);
        boolean[] keep = mask.expand(shape).toBooleanArray();
        int count = 0;
        for (boolean k : keep) {
            if (k) count++;
        }
        int[] positions = new int[count];
        for (int i = 0, j = 0; i < keep.length; i++) {
            if (keep[i]) positions[j++] = i;
        }
        return flat.indexSelect(0, positions);
    }

    static Tensor logical(String op, Tensor a, Tensor b) {
        Args.notNull(b, op, "other");
        Tensor x = a.dtype() == DType.BOOL ? a : a.ne(0L);
        Tensor y = b.dtype() == DType.BOOL ? b : b.ne(0L);
        return switch (op) {
            case "logicalAnd" -> Pointwise.zip(op, BinaryOp.MIN, x, y);
            case "logicalOr" -> Pointwise.zip(op, BinaryOp.MAX, x, y);
            default -> Pointwise.compare(op, BinaryOp.NE, x, y);
        };
    }

    /** The number (int64) of true elements over {@code dims} (all when null). */
    static Tensor truthCount(Tensor x, int[] dims, boolean keepDim) {
        Tensor truth = x.dtype() == DType.BOOL ? x : x.ne(0L);
        return dims == null ? truth.sum() : truth.sum(dims, keepDim);
    }
}
