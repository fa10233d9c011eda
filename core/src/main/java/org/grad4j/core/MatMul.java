package org.grad4j.core;

import static org.grad4j.core.Node.in;
import static org.grad4j.core.Node.record;
import static org.grad4j.core.Node.recordSavingInputs;

import java.util.Arrays;
import org.grad4j.core.kernel.BinaryOp;
import org.grad4j.core.kernel.UnaryOp;

/**
 * Matrix product. The primitive multiplies batches of matrices (rank >= 2, batch dims broadcast); 1-d operands
 * are handled by composing with unsqueeze/squeeze, so they need no rule of their own. Operands are passed to the
 * GEMM kernel with their strides, so transposed views are not copied.
 */
final class MatMul {
    private MatMul() {
    }

    static Tensor matmul(Tensor a, Tensor b) {
        Args.notNull(b, "matmul", "other");
        Pointwise.checkDtypes("matmul", a, b);
        if (!a.dtype().isFloatingPoint()) {
            throw new DTypeMismatchException("matmul: " + a.dtype() + " tensors are not supported (shapes "
                    + Shapes.str(a.shape) + " and " + Shapes.str(b.shape) + "); convert both with .to(DType.FLOAT32)"
                    + " or .to(DType.FLOAT64)");
        }
        if (a.dim() == 0 || b.dim() == 0) {
            throw new ShapeMismatchException("matmul: both arguments need at least 1 dimension, got shapes "
                    + Shapes.str(a.shape) + " and " + Shapes.str(b.shape) + "; use mul for scalars");
        }
        if (a.dim() == 1 && b.dim() == 1) {
            check(a, b, a.shape[0], b.shape[0]);
            return batched(a.unsqueeze(0), b.unsqueeze(1)).reshape();
        }
        if (a.dim() == 1) {
            return batched(a.unsqueeze(0), b).squeeze(-2);
        }
        if (b.dim() == 1) {
            return batched(a, b.unsqueeze(1)).squeeze(-1);
        }
        return batched(a, b);
    }

    private static void check(Tensor a, Tensor b, int ka, int kb) {
        if (ka != kb) {
            throw new ShapeMismatchException("matmul: shapes " + Shapes.str(a.shape) + " and " + Shapes.str(b.shape)
                    + " cannot be multiplied (" + ka + " != " + kb + ")");
        }
    }

    /** {@code [..., m, k] x [..., k, n] -> [broadcast..., m, n]}; backward: {@code g b^T} and {@code a^T g}. */
    static Tensor batched(Tensor a, Tensor b) {
        int ra = a.dim();
        int rb = b.dim();
        int m = a.shape[ra - 2];
        int k = a.shape[ra - 1];
        int n = b.shape[rb - 1];
        check(a, b, k, b.shape[rb - 2]);
        int[] batchA = Arrays.copyOf(a.shape, ra - 2);
        int[] batchB = Arrays.copyOf(b.shape, rb - 2);
        int[] batch;
        try {
            batch = Shapes.broadcast("matmul", batchA, batchB);
        } catch (ShapeMismatchException e) {
            throw new ShapeMismatchException("matmul: batch dims of shapes " + Shapes.str(a.shape) + " and "
                    + Shapes.str(b.shape) + " cannot be broadcast together");
        }
        int[] outShape = Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        Tensor out = Tensor.empty(a.dtype(), outShape);
        int[] aBatchStrides = Shapes.broadcastStrides(batchA, Arrays.copyOf(a.strides, ra - 2), batch);
        int[] bBatchStrides = Shapes.broadcastStrides(batchB, Arrays.copyOf(b.strides, rb - 2), batch);
        int aRs = a.strides[ra - 2];
        int aCs = a.strides[ra - 1];
        int bRs = b.strides[rb - 2];
        int bCs = b.strides[rb - 1];
        int[] cOff = {0};
        int block = m * n;
        boolean f = a.dtype() == DType.FLOAT32;
        StridedLoop.forEach(batch, new int[][] {aBatchStrides, bBatchStrides}, new int[] {a.offset, b.offset},
                (o, s, len) -> {
                    for (int i = 0; i < len; i++) {
                        int ao = o[0] + i * s[0];
                        int bo = o[1] + i * s[1];
                        if (f) {
                            Pointwise.KERNELS.gemm(m, n, k, a.storage.floats(), ao, aRs, aCs, b.storage.floats(), bo,
                                    bRs, bCs, out.storage.floats(), cOff[0]);
                        } else {
                            Pointwise.KERNELS.gemm(m, n, k, a.storage.doubles(), ao, aRs, aCs, b.storage.doubles(), bo,
                                    bRs, bCs, out.storage.doubles(), cOff[0]);
                        }
                        cOff[0] += block;
                    }
                });
        return recordSavingInputs("matmul", out, in(a, b), (g, node) -> in(
                node.needsGrad(0) ? gradA(g, node.saved(0), node.saved(1)) : null,
                node.needsGrad(1) ? gradB(g, node.saved(0), node.saved(1)) : null));
    }

    /**
     * {@code x W^T + b} for a 2-d input and weight and a bias of {@code [out]} or null, recorded as one op of
     * {@code (x, W, b)} rather than a transpose, a product and an add: no intermediate product tensor, and the
     * rule sees the weight itself, so it can write the weight's gradient {@code g^T x} straight into W's zeroed
     * gradient buffer ({@link Node#gradBuffer}) instead of allocating it. Same products and the same rounded sums
     * as {@code x.matmul(W.t()).add(b)}, so the same bits. Other ranks and bias shapes compose those ops.
     */
    static Tensor linear(Tensor x, Tensor w, Tensor b) {
        return linear("linear", x, w, b, false);
    }

    /**
     * {@code relu(x W^T + b)}: for a 2-d input one node {@code linearRelu}, whose forward adds the bias and applies
     * relu's kernel in place on the product's fresh output, row by row while it is in cache (no pre-activation
     * array). It saves the output, as relu does; its rule is relu's rule ({@link Pointwise#reluGrad}) followed by
     * linear's ({@link #linearGrads}), so values and gradients, higher-order ones included, are the bits of
     * {@code linear(x, W, b).relu()}. Other ranks and dtypes compose the two ops; so does anomaly detection, so that
     * its checks name the op that made a NaN.
     */
    static Tensor linearRelu(Tensor x, Tensor w, Tensor b) {
        if (AnomalyMode.isEnabled()) {
            return linear("linearRelu", x, w, b, false).relu();
        }
        return linear("linearRelu", x, w, b, true);
    }

    private static Tensor linear(String op, Tensor x, Tensor w, Tensor b, boolean relu) {
        Args.notNull(x, op, "input");
        Args.notNull(w, op, "weight");
        if (w.dim() != 2) {
            throw new ShapeMismatchException(op + ": the weight must be 2-d [out, in], got shape "
                    + Shapes.str(w.shape));
        }
        if (x.dim() == 0 || x.shape[x.dim() - 1] != w.shape[1]) {
            throw new ShapeMismatchException(op + ": the input's last dim must be the weight's in features "
                    + w.shape[1] + " (weight [out, in] = " + Shapes.str(w.shape) + "), got input shape "
                    + Shapes.str(x.shape) + "; reshape the input to [..., " + w.shape[1] + "]");
        }
        if (b != null && b.dim() == 1 && b.shape[0] != w.shape[0]) {
            throw new ShapeMismatchException(op + ": the bias must have the weight's out features " + w.shape[0]
                    + " (weight [out, in] = " + Shapes.str(w.shape) + "), got bias shape " + Shapes.str(b.shape));
        }
        boolean oneOp = x.dim() == 2 && x.dtype() == w.dtype() && x.dtype().isFloatingPoint()
                && (b == null || (b.dim() == 1 && b.shape[0] == w.shape[0] && b.dtype() == w.dtype()));
        if (!oneOp) {
            Tensor y = x.matmul(w.mT());   // matmul explains shape and dtype errors
            y = b == null ? y : y.add(b);
            return relu ? y.relu() : y;
        }
        Tensor out;
        try (Grad.Scope off = Grad.disabled()) {
            out = batched(x, w.mT());
        }
        Tensor[] inputs = b == null ? in(x, w) : in(x, w, b);
        if (relu) {
            biasReluInPlace(out, b);
            return record("linearRelu", out, inputs, in(x, w, out),
                    (g, node) -> linearGrads(node, Pointwise.reluGrad(node, g, node.saved(2)), b != null));
        }
        if (b != null) {
            Pointwise.zipInto(BinaryOp.ADD, out, out, b);
        }
        return record("linear", out, inputs, in(x, w), (g, node) -> linearGrads(node, g, b != null));
    }

    /** linear's rule: the gradients of x, W and (with {@code bias}) b for the output gradient g. */
    private static Tensor[] linearGrads(Node node, Tensor g, boolean bias) {
        Tensor gx = node.needsGrad(0) ? g.matmul(node.saved(1)) : null;
        Tensor gw = node.needsGrad(1) ? linearWeightGrad(g, node.saved(0), node) : null;
        return bias ? in(gx, gw, node.needsGrad(2) ? g : null) : in(gx, gw);   // the engine sums g's rows
    }

    /**
     * {@code out = relu(out + b)} on the product's contiguous {@code [m, n]} output, each row's bias add and relu
     * done one after the other (the kernels of {@code add} and {@code relu}, so their bits); rows split as an
     * element-wise op's would be.
     */
    private static void biasReluInPlace(Tensor out, Tensor b) {
        int rows = out.shape[0];
        int cols = out.shape[1];
        ParallelParts.units(rows, (long) rows * cols * (b == null ? 2 : 3), (r0, r1) -> {
            int from = r0 * cols;
            int len = (r1 - r0) * cols;
            if (out.storage instanceof Storage.F32 o) {
                float[] d = o.data;
                if (b != null) {
                    float[] bs = b.storage.floats();
                    for (int r = r0; r < r1; r++) {
                        Pointwise.KERNELS.binary(BinaryOp.ADD, d, r * cols, 1, bs, b.offset,
                                b.strides[0], d, r * cols, 1, cols);
                        Pointwise.KERNELS.unary(UnaryOp.RELU, d, r * cols, 1, d, r * cols, 1,
                                cols);
                    }
                } else {
                    Pointwise.KERNELS.unary(UnaryOp.RELU, d, from, 1, d, from, 1, len);
                }
            } else {
                double[] d = out.storage.doubles();
                if (b != null) {
                    double[] bs = b.storage.doubles();
                    for (int r = r0; r < r1; r++) {
                        Pointwise.KERNELS.binary(BinaryOp.ADD, d, r * cols, 1, bs, b.offset,
                                b.strides[0], d, r * cols, 1, cols);
                        Pointwise.KERNELS.unary(UnaryOp.RELU, d, r * cols, 1, d, r * cols, 1,
                                cols);
                    }
                } else {
                    Pointwise.KERNELS.unary(UnaryOp.RELU, d, from, 1, d, from, 1, len);
                }
            }
        });
    }

    /** {@code g^T x}, written into the weight's gradient buffer when the engine offers one. */
    private static Tensor linearWeightGrad(Tensor g, Tensor x, Node node) {
        Tensor buffer = node.gradBuffer(1);
        if (buffer == null || g.dtype() != buffer.dtype()) {
            return g.mT().matmul(x);
        }
        int m = g.shape[1];
        int n = x.shape[1];
        int k = g.shape[0];
        if (buffer.dtype() == DType.FLOAT32) {
            Pointwise.KERNELS.gemm(m, n, k, g.storage.floats(), g.offset, g.strides[1], g.strides[0],
                    x.storage.floats(), x.offset, x.strides[0], x.strides[1], buffer.storage.floats(), 0);
        } else {
            Pointwise.KERNELS.gemm(m, n, k, g.storage.doubles(), g.offset, g.strides[1], g.strides[0],
                    x.storage.doubles(), x.offset, x.strides[0], x.strides[1], buffer.storage.doubles(), 0);
        }
        buffer.storage.bumpVersion();
        return buffer;
    }

    /*
     * Gradients in the operand's own layout, as torch's mm_mat1_backward / mm_mat2_backward: for a transposed operand
     * (a Linear layer's W^T) the product is computed transposed, (g^T a)^T instead of a^T g. Same value; but the
     * gradient of W then arrives contiguous, so accumulating it is an array copy rather than a strided transpose
     * (which was ~20% of an MLP training step), and the GEMM packs the small g^T instead of the large a^T.
     */

    /** {@code dA = g B^T}. */
    private static Tensor gradA(Tensor g, Tensor a, Tensor b) {
        return transposedLayout(a) ? b.matmul(g.mT()).mT() : g.matmul(b.mT());
    }

    /** {@code dB = A^T g}. */
    private static Tensor gradB(Tensor g, Tensor a, Tensor b) {
        return transposedLayout(b) ? g.mT().matmul(a).mT() : a.mT().matmul(g);
    }

    /** Whether the last two dims form a column-major (transposed) matrix: unit stride down columns, not along rows. */
    private static boolean transposedLayout(Tensor t) {
        int r = t.dim();
        return t.shape[r - 2] > 1 && t.shape[r - 1] > 1 && t.strides[r - 2] == 1 && t.strides[r - 1] != 1;
    }
}
