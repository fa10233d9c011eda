package org.grad4j.core;

import java.util.Arrays;
import org.grad4j.core.kernel.BinaryOp;
import org.grad4j.core.kernel.UnaryOp;

/**
 * In-place updates (what optimizers and initialisers use). They record no graph, so they are refused on tensors
 * that take part in one while grad mode is on; each bumps the storage's version counter so autograd can tell when a
 * saved tensor was overwritten.
 */
final class InPlace {
    private InPlace() {
    }

    static void checkAllowed(String op, Tensor self, Tensor other) {
        if (!Grad.isEnabled()) {
            return;
        }
        if (self.requiresGrad()) {
            throw new AutogradException(op + ": a " + (self.isLeaf() ? "leaf " : "") + "tensor that requires grad"
                    + " (shape " + Shapes.str(self.shape) + ") cannot be modified in place while grad mode is on;"
                    + " do the update inside try (var off = Grad.disabled()) { ... }, or use the out-of-place op");
        }
        if (other != null && other.requiresGrad()) {
            throw new AutogradException(op + ": the argument requires grad but an in-place op records no graph;"
                    + " use the out-of-place op, or pass other.detach()");
        }
    }

    /** The result of {@code self op other} must keep self's shape and fit self's dtype, as PyTorch's in-place ops. */
    private static void checkTarget(String op, Tensor self, Tensor other, DType result) {
        if (result != null && !Promotion.canCast(result, self.dtype())) {
            throw new DTypeMismatchException(op + ": the result type " + result + " (of this " + self.dtype()
                    + " tensor and a " + other.dtype() + " argument) cannot be written into this " + self.dtype()
                    + " tensor; use the out-of-place op, or convert the argument with .to(DType."
                    + self.dtype().name() + ")");
        }
        int[] shape = Shapes.broadcast(op, self.shape, other.shape);
        if (!Arrays.equals(shape, self.shape)) {
            throw new ShapeMismatchException(op + ": the argument of shape " + Shapes.str(other.shape)
                    + " cannot be broadcast to this tensor's shape " + Shapes.str(self.shape)
                    + " (an in-place result must keep the shape)");
        }
        if (hasOverlap(self)) {
            throw new ShapeMismatchException(op + ": this tensor is an expanded view in which several elements share"
                    + " one memory location (strides " + Arrays.toString(self.strides) + "); call contiguous() first");
        }
    }

    private static boolean hasOverlap(Tensor t) {
        for (int d = 0; d < t.shape.length; d++) {
            if (t.strides[d] == 0 && t.shape[d] > 1) {
                return true;
            }
        }
        return false;
    }

    static Tensor apply(String op, Tensor self, BinaryOp kind, Tensor other) {
        Args.notNull(other, op, "other");
        checkAllowed(op, self, other);
        DType result = Promotion.resultType(self, other);
        if (kind == BinaryOp.DIV) {
            result = Promotion.floatOf(result);
        }
        checkTarget(op, self, other, result);
        Tensor operand = other.sharesStorageWith(self) ? Pointwise.map(UnaryOp.IDENTITY, other) : other;
        if (self.dtype().isFloatingPoint() && operand.dtype() == self.dtype()) {
            Pointwise.zipInto(kind, self, self, operand);
        } else {
            // Mixed dtypes: computed in the promoted dtype, then converted, as PyTorch's in-place ops do.
            Tensor computed = kind == BinaryOp.DIV ? Pointwise.div(self.detach(), operand.detach())
                    : Pointwise.zip(op, kind, self, operand);
            Pointwise.copyInto(self, computed);
        }
        self.storage.bumpVersion();
        return self;
    }

    static void applyUnchecked(Tensor self, BinaryOp kind, Tensor other) {
        Pointwise.zipInto(kind, self, self, Casts.convert(other, self.dtype()));
        self.storage.bumpVersion();
    }

    /** Elements per chunk of {@link #addScaled}'s scratch: 16 KB of floats stays in L1 between the two passes. */
    private static final int CHUNK = 4096;
    private static final ThreadLocal<float[]> FLOAT_CHUNK = ThreadLocal.withInitial(() -> new float[CHUNK]);
    private static final ThreadLocal<double[]> DOUBLE_CHUNK = ThreadLocal.withInitial(() -> new double[CHUNK]);

    /**
     * {@code self += alpha * other}, rounding {@code alpha * other} before the add as {@code add_(other, alpha)}
     * does, through a small per-thread chunk instead of a tensor-sized temporary.
     */
    static Tensor addScaled(Tensor self, Tensor other, double alpha) {
        String op = "addInPlace";
        Args.notNull(other, op, "other");
        checkAllowed(op, self, other);
        if (!self.dtype().isFloatingPoint() || other.dtype() != self.dtype()) {
            Tensor term;
            try (Grad.Scope off = Grad.disabled()) {
                term = other.mul(alpha);
            }
            return apply(op, self, BinaryOp.ADD, term);
        }
        checkTarget(op, self, other, self.dtype());
        Tensor operand = other.sharesStorageWith(self) ? Pointwise.map(UnaryOp.IDENTITY, other) : other;
        int[][] strides = {self.strides, Shapes.broadcastStrides(operand.shape, operand.strides, self.shape)};
        boolean f = self.dtype() == DType.FLOAT32;   // checked above: self and operand share a float dtype
        float[] alphaF = {(float) alpha};
        double[] alphaD = {alpha};
        StridedLoop.forEach(self.shape, strides, new int[] {self.offset, operand.offset}, (o, s, len) -> {
            for (int start = 0; start < len; start += CHUNK) {
                int n = Math.min(CHUNK, len - start);
                int at = o[0] + start * s[0];
                int from = o[1] + start * s[1];
                if (f) {
                    float[] chunk = FLOAT_CHUNK.get();
                    Pointwise.KERNELS.binary(BinaryOp.MUL, operand.storage.floats(), from, s[1], alphaF, 0, 0,
                            chunk, 0, 1, n);
                    Pointwise.KERNELS.binary(BinaryOp.ADD, self.storage.floats(), at, s[0], chunk, 0, 1,
                            self.storage.floats(), at, s[0], n);
                } else {
                    double[] chunk = DOUBLE_CHUNK.get();
                    Pointwise.KERNELS.binary(BinaryOp.MUL, operand.storage.doubles(), from, s[1], alphaD, 0, 0,
                            chunk, 0, 1, n);
                    Pointwise.KERNELS.binary(BinaryOp.ADD, self.storage.doubles(), at, s[0], chunk, 0, 1,
                            self.storage.doubles(), at, s[0], n);
                }
            }
        });
        self.storage.bumpVersion();
        return self;
    }

    /** Element i is read and written at the same position, so the kernel can run over self in place. */
    static Tensor map(String op, Tensor self, UnaryOp kind) {
        checkAllowed(op, self, null);
        if (!self.dtype().isFloatingPoint()) {
            throw new DTypeMismatchException(op + ": the result is floating point and cannot be written into this "
                    + self.dtype() + " tensor; use the out-of-place op");
        }
        if (hasOverlap(self)) {
            checkTarget(op, self, self, null);
        }
        Pointwise.mapInto(kind, self, self);
        self.storage.bumpVersion();
        return self;
    }

    static Tensor addcmul(Tensor self, Tensor t1, Tensor t2, double value, boolean divide) {
        String op = divide ? "addcdivInPlace" : "addcmulInPlace";
        Args.notNull(t1, op, "tensor1");
        Args.notNull(t2, op, "tensor2");
        checkAllowed(op, self, t1);
        checkAllowed(op, self, t2);
        Tensor term;
        try (Grad.Scope off = Grad.disabled()) {
            term = divide ? t1.div(t2) : t1.mul(t2);
            if (value != 1) {
                term = term.mul(value);
            }
        }
        return apply(op, self, BinaryOp.ADD, term);
    }

    static Tensor fill(Tensor self, double value) {
        checkAllowed("fill", self, null);
        checkTarget("fill", self, Tensor.scalar(value, self.dtype()), null);
        boolean whole = self.offset == 0 && self.numel() == self.storage.length() && self.isContiguous();
        if (whole) {
            self.storage.fill(value);   // converts as Tensor.scalar does; an array fill instead of a broadcast loop
        } else {
            Pointwise.copyInto(self, Tensor.scalar(value, self.dtype()));
        }
        self.storage.bumpVersion();
        if (whole && Double.doubleToRawLongBits(value) == 0) {
            self.storage.markZeroed();   // a zeroed gradient buffer: the engine may write the next gradient into it
        }
        return self;
    }

    static Tensor copyFrom(Tensor self, Tensor source) {
        Args.notNull(source, "copyFrom", "source");
        checkAllowed("copyFrom", self, source);
        checkTarget("copyFrom", self, source, null);   // copyFrom converts any dtype, as copy_ does
        Tensor src = source.sharesStorageWith(self) ? Pointwise.map(UnaryOp.IDENTITY, source) : source;
        Pointwise.copyInto(self, src);
        self.storage.bumpVersion();
        return self;
    }
}
