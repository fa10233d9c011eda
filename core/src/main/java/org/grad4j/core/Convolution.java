package org.grad4j.core;

import static org.grad4j.core.Node.in;
import static org.grad4j.core.Node.record;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Convolution on the GEMM. The primitives are the dual pair {@code im2col} / {@code col2im} (each is the other's
 * gradient, so second derivatives work); a convolution is then one batched matrix product of the weight with the
 * columns, and its backward is the matmul rule: {@code dW = g cols^T} (a convolution of the input with the output
 * gradient) and {@code dx = col2im(W^T g)} (a transposed convolution of the output gradient with the weight). A
 * transposed convolution is the same two steps in the other order.
 *
 * <p>Layout: {@code im2col} turns {@code x [N, C, H, W]} into {@code cols [N * oh * ow, C * kh * kw]}, one row per
 * output position in {@code (n, oy, ox)} order, columns in {@code (c, i, j)} order, so a convolution is the product
 * {@code cols W^T} of a Linear layer: one GEMM for the whole batch, a weight gradient {@code g^T cols} that needs no
 * batch reduction, and no transposed operand that the GEMM would have to gather column by column (measured: with
 * {@code [C kh kw, N oh ow]} columns, LeNet's first weight gradient was 5x slower). Zero padding is applied inside
 * the copy.
 */
final class Convolution {
    private Convolution() {
    }

    /** Kernel size, stride, padding and dilation along height and width, checked and with output sizes. */
    record Geometry(int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw) {
        int outH(int h) {
            return out(h, kh, sh, ph, dh);
        }

        int outW(int w) {
            return out(w, kw, sw, pw, dw);
        }

        /** In long arithmetic, so huge kernels or dilations give "too small" rather than an overflowed size. */
        private static int out(int size, int k, int s, int p, int d) {
            long span = (long) size + 2L * p - (long) d * (k - 1) - 1;
            return span < 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, span / s + 1);
        }

        static Geometry of(String op, int[] kernel, int[] stride, int[] padding, int[] dilation) {
            for (int i = 0; i < 2; i++) {
                if (kernel[i] <= 0 || stride[i] <= 0 || dilation[i] <= 0 || padding[i] < 0) {
                    throw new IllegalArgumentException(op + ": kernel size, stride and dilation must be positive and"
                            + " padding non-negative, got kernel " + Arrays.toString(kernel) + ", stride "
                            + Arrays.toString(stride) + ", padding " + Arrays.toString(padding) + ", dilation "
                            + Arrays.toString(dilation));
                }
            }
            return new Geometry(kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1], dilation[0],
                    dilation[1]);
        }
    }

    // ------------------------------------------------------------------------------------------------ primitives

    /** {@code [N, C, H, W] -> [N oh ow, C kh kw]}; backward: {@link #col2im}. */
    static Tensor im2col(Tensor x, Geometry g) {
        int[] s = x.shape;
        int oh = g.outH(s[2]);
        int ow = g.outW(s[3]);
        int[] plan = plan(s, x.strides, g, oh, ow);
        Tensor out = Tensor.empty(x.dtype(), new int[] {s[0] * oh * ow, s[1] * g.kh * g.kw});
        int base = x.offset;
        if (x.dtype() == DType.FLOAT32) {
            float[] src = x.storage.floats();
            float[] dst = out.storage.floats();
            for (int k = 0; k < plan.length; k++) {
                int at = plan[k];
                dst[k] = at >= 0 ? src[base + at] : 0f;
            }
        } else {
            double[] src = x.storage.doubles();
            double[] dst = out.storage.doubles();
            for (int k = 0; k < plan.length; k++) {
                int at = plan[k];
                dst[k] = at >= 0 ? src[base + at] : 0d;
            }
        }
        int[] inShape = s;
        return record("im2col", out, in(x), Node.NONE, (grad, n) -> in(col2im(grad, inShape, g)));
    }

    /** Adds each column entry back to the input position it was copied from; backward: {@link #im2col}. */
    static Tensor col2im(Tensor cols, int[] inShape, Geometry g) {
        int oh = g.outH(inShape[2]);
        int ow = g.outW(inShape[3]);
        int[] expected = {inShape[0] * oh * ow, inShape[1] * g.kh * g.kw};
        if (!Arrays.equals(cols.shape, expected)) {
            throw new ShapeMismatchException("col2im: columns of shape " + Shapes.str(cols.shape) + " do not fit"
                    + " the image shape " + Shapes.str(inShape) + " (expected " + Shapes.str(expected) + ")");
        }
        Tensor out = Tensor.zeros(cols.dtype(), inShape);
        int[] plan = plan(inShape, out.strides, g, oh, ow);
        Tensor dense = cols.contiguous();
        int base = dense.offset;
        if (cols.dtype() == DType.FLOAT32) {
            float[] src = dense.storage.floats();
            float[] dst = out.storage.floats();
            for (int k = 0; k < plan.length; k++) {
                int at = plan[k];
                if (at >= 0) dst[at] += src[base + k];
            }
        } else {
            double[] src = dense.storage.doubles();
            double[] dst = out.storage.doubles();
            for (int k = 0; k < plan.length; k++) {
                int at = plan[k];
                if (at >= 0) dst[at] += src[base + k];
            }
        }
        return record("col2im", out, in(cols), Node.NONE, (grad, n) -> in(im2col(grad, g)));
    }

    private record PlanKey(int[] shape, int[] strides, Geometry g) {
        @Override
        public boolean equals(Object o) {
            return o instanceof PlanKey k && Arrays.equals(shape, k.shape) && Arrays.equals(strides, k.strides)
                    && g.equals(k.g);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * Arrays.hashCode(shape) + Arrays.hashCode(strides)) + g.hashCode();
        }
    }

    /*
     * The source position (relative to the tensor's offset) of every column entry, or -1 for padding. A training
     * loop convolves the same shapes every step, so recent plans are kept: the copy is then one pass over an int
     * array, the same for float32 and float64, and the index arithmetic is done once per shape.
     */
    private static final int PLAN_CACHE_SIZE = 32;
    private static final Map<PlanKey, int[]> PLANS = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<PlanKey, int[]> eldest) {
            return size() > PLAN_CACHE_SIZE;
        }
    };

    private static int[] plan(int[] shape, int[] strides, Geometry g, int oh, int ow) {
        PlanKey key = new PlanKey(shape.clone(), strides.clone(), g);
        synchronized (PLANS) {
            int[] cached = PLANS.get(key);
            if (cached != null) {
                return cached;
            }
        }
        int[] plan = buildPlan(shape, strides, g, oh, ow);
        synchronized (PLANS) {
            PLANS.put(key, plan);
        }
        return plan;
    }

    private static int[] buildPlan(int[] shape, int[] strides, Geometry g, int oh, int ow) {
        int batch = shape[0];
        int channels = shape[1];
        int h = shape[2];
        int w = shape[3];
        long total = (long) channels * g.kh * g.kw * batch * oh * ow;
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("im2col: the column matrix of " + total + " elements is too large"
                    + " for one array; use a smaller batch");
        }
        int[] plan = new int[(int) total];
        int k = 0;
        for (int n = 0; n < batch; n++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    for (int c = 0; c < channels; c++) {
                        int planeBase = n * strides[0] + c * strides[1];
                        for (int i = 0; i < g.kh; i++) {
                            int iy = oy * g.sh - g.ph + i * g.dh;
                            boolean rowInside = iy >= 0 && iy < h;
                            int rowBase = planeBase + iy * strides[2];
                            for (int j = 0; j < g.kw; j++) {
                                int ix = ox * g.sw - g.pw + j * g.dw;
                                plan[k++] = rowInside && ix >= 0 && ix < w ? rowBase + ix * strides[3] : -1;
                            }
                        }
                    }
                }
            }
        }
        return plan;
    }

    // ------------------------------------------------------------------------------------------------ composed ops

    /**
     * {@code x [N, Cin, H, W]}, {@code weight [Cout, Cin / groups, kh, kw]}, optional {@code bias [Cout]} ->
     * {@code [N, Cout, oh, ow]}. Validated by the caller ({@link Tensor#conv2d}).
     */
    static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, Geometry g, int groups) {
        int batch = x.shape[0];
        int cin = x.shape[1];
        int cout = weight.shape[0];
        int oh = g.outH(x.shape[2]);
        int ow = g.outW(x.shape[3]);
        int positions = batch * oh * ow;
        int rows = cin / groups * g.kh * g.kw;
        Tensor cols = im2col(x, g);
        Tensor out;
        if (groups == 1) {
            out = cols.matmul(weight.reshape(cout, rows).mT());
        } else {
            Tensor grouped = cols.view(positions, groups, rows).permute(1, 0, 2);
            out = grouped.matmul(weight.reshape(groups, cout / groups, rows).mT()).permute(1, 0, 2)
                    .reshape(positions, cout);
        }
        if (bias != null) {
            out = out.add(bias);
        }
        return transposeCopy(out.view(batch, oh * ow, cout)).view(batch, cout, oh, ow);
    }

    private static final int TILE = 32;

    /*
     * The GEMM leaves a convolution's output channels-last; the next layers (element-wise ops, pooling, the next
     * im2col) run fastest on dense channels-first memory, and element-wise kernels on a permuted view fall back to
     * strided scalar loops, so the layout is changed once, here, in cache-sized tiles.
     */

    /** {@code [B, M, N]} (any strides) -> dense {@code [B, N, M]}; its gradient is the same copy of g. */
    static Tensor transposeCopy(Tensor x) {
        int batch = x.shape[0];
        int m = x.shape[1];
        int n = x.shape[2];
        Tensor out = Tensor.empty(x.dtype(), new int[] {batch, n, m});
        int sb = x.strides[0];
        int sm = x.strides[1];
        int sn = x.strides[2];
        boolean f = x.dtype() == DType.FLOAT32;
        for (int b = 0; b < batch; b++) {
            int src0 = x.offset + b * sb;
            int dst0 = b * m * n;
            for (int i0 = 0; i0 < m; i0 += TILE) {
                int i1 = Math.min(m, i0 + TILE);
                for (int j0 = 0; j0 < n; j0 += TILE) {
                    int j1 = Math.min(n, j0 + TILE);
                    if (f) {
                        float[] src = x.storage.floats();
                        float[] dst = out.storage.floats();
                        for (int j = j0; j < j1; j++) {
                            for (int i = i0; i < i1; i++) dst[dst0 + j * m + i] = src[src0 + i * sm + j * sn];
                        }
                    } else {
                        double[] src = x.storage.doubles();
                        double[] dst = out.storage.doubles();
                        for (int j = j0; j < j1; j++) {
                            for (int i = i0; i < i1; i++) dst[dst0 + j * m + i] = src[src0 + i * sm + j * sn];
                        }
                    }
                }
            }
        }
        return record("transposeCopy", out, in(x), Node.NONE, (g, node) -> in(transposeCopy(g)));
    }

    /**
     * {@code x [N, Cin, H, W]}, {@code weight [Cin, Cout / groups, kh, kw]} -> {@code [N, Cout, oh, ow]} with
     * {@code oh = (H - 1) sh - 2 ph + dh (kh - 1) + outputPadding + 1}: the gradient of {@link #conv2d} with respect
     * to its input, as {@code torch.nn.functional.conv_transpose2d}.
     */
    static Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias, Geometry g, int groups, int[] outShape) {
        int batch = x.shape[0];
        int cin = x.shape[1];
        int positions = batch * x.shape[2] * x.shape[3];
        int rows = weight.shape[1] * g.kh * g.kw;
        // x read as the output gradient of the convolution being transposed: [N h w, Cin]
        Tensor grad = x.permute(0, 2, 3, 1).reshape(positions, cin);
        Tensor cols;
        if (groups == 1) {
            cols = grad.matmul(weight.reshape(cin, rows));
        } else {
            Tensor grouped = grad.view(positions, groups, cin / groups).permute(1, 0, 2);
            cols = grouped.matmul(weight.reshape(groups, cin / groups, rows)).permute(1, 0, 2)
                    .reshape(positions, groups * rows);
        }
        Tensor out = col2im(cols, outShape, g);
        return bias == null ? out : out.add(bias.view(1, outShape[1], 1, 1));
    }

    // ------------------------------------------------------------------------------------------------ validation

    static int[] pair(String op, String what, int[] v) {
        if (v == null || v.length != 2) {
            throw new IllegalArgumentException(op + ": " + what + " must have 2 entries {height, width}, got "
                    + Arrays.toString(v));
        }
        return v;
    }

    static void checkImage(String op, Tensor x) {
        if (!x.dtype().isFloatingPoint()) {
            throw new DTypeMismatchException(op + ": expects a floating-point input (float32 or float64), got "
                    + x.dtype() + "; convert it with .to(DType.FLOAT32)");
        }
        if (x.dim() != 4) {
            throw new ShapeMismatchException(op + ": expects a 4-d input [N, C, H, W], got shape " + Shapes.str(x.shape)
                    + (x.dim() == 3 ? "; add the batch dim with unsqueeze(0)" : ""));
        }
        if (!x.dtype().isFloatingPoint()) {
            throw new DTypeMismatchException(op + ": " + x.dtype() + " inputs are not supported (shape "
                    + Shapes.str(x.shape) + "); convert with .to(DType.FLOAT32) or .to(DType.FLOAT64)");
        }
    }

    static void checkOutput(String op, Tensor x, Geometry g, int oh, int ow) {
        if (oh <= 0 || ow <= 0) {
            throw new ShapeMismatchException(op + ": the input of shape " + Shapes.str(x.shape) + " is too small for"
                    + " kernel " + g.kh + "x" + g.kw + " with dilation " + g.dh + "x" + g.dw + " and padding " + g.ph
                    + "x" + g.pw + " (output would be " + oh + "x" + ow + ")");
        }
    }

    static Tensor conv2dChecked(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation,
            int groups) {
        String op = "conv2d";
        if (weight == null) {
            throw new IllegalArgumentException(op + ": weight is null (only the bias may be null)");
        }
        checkImage(op, x);
        if (weight.dim() != 4) {
            throw new ShapeMismatchException(op + ": weight must be 4-d [Cout, Cin / groups, kh, kw], got shape "
                    + Shapes.str(weight.shape));
        }
        Pointwise.checkDtypes(op, x, weight);
        int cin = x.shape[1];
        int cout = weight.shape[0];
        if (groups <= 0 || cin % groups != 0 || cout % groups != 0) {
            throw new IllegalArgumentException(op + ": groups (" + groups + ") must be positive and divide both the"
                    + " input channels (" + cin + ") and the output channels (" + cout + ")");
        }
        if (weight.shape[1] * groups != cin) {
            throw new ShapeMismatchException(op + ": weight of shape " + Shapes.str(weight.shape) + " with groups="
                    + groups + " expects " + weight.shape[1] * groups + " input channels, but the input of shape "
                    + Shapes.str(x.shape) + " has " + cin);
        }
        checkBias(op, x, bias, cout);
        Geometry g = Geometry.of(op, new int[] {weight.shape[2], weight.shape[3]}, pair(op, "stride", stride),
                pair(op, "padding", padding), pair(op, "dilation", dilation));
        checkOutput(op, x, g, g.outH(x.shape[2]), g.outW(x.shape[3]));
        return conv2d(x, weight, bias, g, groups);
    }

    private static void checkBias(String op, Tensor x, Tensor bias, int channels) {
        if (bias == null) {
            return;
        }
        Pointwise.checkDtypes(op, x, bias);
        if (bias.dim() != 1 || bias.shape[0] != channels) {
            throw new ShapeMismatchException(op + ": bias must have shape [" + channels + "], got "
                    + Shapes.str(bias.shape));
        }
    }

    static Tensor convTranspose2dChecked(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding,
            int[] outputPadding, int[] dilation, int groups) {
        String op = "convTranspose2d";
        if (weight == null) {
            throw new IllegalArgumentException(op + ": weight is null (only the bias may be null)");
        }
        checkImage(op, x);
        if (weight.dim() != 4) {
            throw new ShapeMismatchException(op + ": weight must be 4-d [Cin, Cout / groups, kh, kw], got shape "
                    + Shapes.str(weight.shape));
        }
        Pointwise.checkDtypes(op, x, weight);
        int cin = x.shape[1];
        if (groups <= 0 || cin % groups != 0) {
            throw new IllegalArgumentException(op + ": groups (" + groups + ") must be positive and divide the input"
                    + " channels (" + cin + ")");
        }
        if (weight.shape[0] != cin) {
            throw new ShapeMismatchException(op + ": weight of shape " + Shapes.str(weight.shape) + " expects "
                    + weight.shape[0] + " input channels, but the input of shape " + Shapes.str(x.shape) + " has "
                    + cin);
        }
        int cout = weight.shape[1] * groups;
        checkBias(op, x, bias, cout);
        Geometry g = Geometry.of(op, new int[] {weight.shape[2], weight.shape[3]}, pair(op, "stride", stride),
                pair(op, "padding", padding), pair(op, "dilation", dilation));
        int[] op2 = pair(op, "outputPadding", outputPadding);
        if (op2[0] < 0 || op2[1] < 0 || (op2[0] >= g.sh && op2[0] >= g.dh) || (op2[1] >= g.sw && op2[1] >= g.dw)) {
            throw new IllegalArgumentException(op + ": outputPadding " + Arrays.toString(op2) + " must be"
                    + " non-negative and smaller than either the stride or the dilation");
        }
        int oh = (x.shape[2] - 1) * g.sh - 2 * g.ph + g.dh * (g.kh - 1) + op2[0] + 1;
        int ow = (x.shape[3] - 1) * g.sw - 2 * g.pw + g.dw * (g.kw - 1) + op2[1] + 1;
        if (oh <= 0 || ow <= 0) {
            throw new ShapeMismatchException(op + ": the output for input " + Shapes.str(x.shape) + " would be " + oh
                    + "x" + ow + "; reduce the padding");
        }
        return convTranspose2d(x, weight, bias, g, groups, new int[] {x.shape[0], cout, oh, ow});
    }

    static Tensor unfoldChecked(Tensor x, int[] kernelSize, int[] stride, int[] padding, int[] dilation) {
        String op = "unfold";
        checkImage(op, x);
        Geometry g = Geometry.of(op, pair(op, "kernelSize", kernelSize), pair(op, "stride", stride),
                pair(op, "padding", padding), pair(op, "dilation", dilation));
        int oh = g.outH(x.shape[2]);
        int ow = g.outW(x.shape[3]);
        checkOutput(op, x, g, oh, ow);
        int rows = x.shape[1] * g.kh * g.kw;
        return im2col(x, g).view(x.shape[0], oh * ow, rows).permute(0, 2, 1);
    }
}
