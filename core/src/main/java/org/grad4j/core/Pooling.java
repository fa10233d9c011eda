package org.grad4j.core;

import static org.grad4j.core.Node.in;
import static org.grad4j.core.Node.record;

/**
 * Max pooling. The forward finds, for every output position, the flat index (within its {@code H x W} plane) of the
 * largest input in its window; the values are then a "take by plane index", whose gradient is the dual "scatter-add
 * by plane index" and vice versa, so the rule is differentiable and second derivatives work. Windows are given as
 * the input rows and columns each output row and column reads ("taps", -1 free: out-of-range taps are skipped, which
 * is padding with -infinity), so regular, dilated, ceil-mode and adaptive pooling share one loop. Average pooling is
 * composed from {@link Convolution#im2col} and a mean, adaptive average pooling from two matrix products.
 */
final class Pooling {
    private Pooling() {
    }

    /** Values and plane indices of a max pooling. */
    record MaxResult(Tensor values, int[] idx) {
        /** The indices as an int64 tensor of the values' shape, as PyTorch returns them. */
        Tensor indices() {
            Tensor t = Tensor.empty(DType.INT64, values.shape);
            long[] dst = t.storage.longs();
            for (int i = 0; i < idx.length; i++) dst[i] = idx[i];
            return t;
        }
    }

    /** The input rows (or columns) read by each output row (or column) of a regular pooling window. */
    static int[][] taps(int size, int kernel, int stride, int padding, int dilation, int outSize) {
        int[][] taps = new int[outSize][];
        for (int o = 0; o < outSize; o++) {
            int[] t = new int[kernel];
            for (int i = 0; i < kernel; i++) {
                int at = o * stride - padding + i * dilation;
                t[i] = at >= 0 && at < size ? at : -1;
            }
            taps[o] = t;
        }
        return taps;
    }

    /** Adaptive windows: output {@code o} reads {@code [floor(o size / out), ceil((o + 1) size / out))}. */
    static int[][] adaptiveTaps(int size, int outSize) {
        int[][] taps = new int[outSize][];
        for (int o = 0; o < outSize; o++) {
            int start = (int) Math.floorDiv((long) o * size, outSize);
            int end = (int) -Math.floorDiv(-(long) (o + 1) * size, outSize);
            int[] t = new int[end - start];
            for (int i = 0; i < t.length; i++) t[i] = start + i;
            taps[o] = t;
        }
        return taps;
    }

    /** {@code x [N, C, H, W]} -> max over each window, {@code [N, C, rowTaps.length, colTaps.length]}. */
    static MaxResult maxPool2d(Tensor x, int[][] rowTaps, int[][] colTaps) {
        int batch = x.shape[0];
        int channels = x.shape[1];
        int h = x.shape[2];
        int w = x.shape[3];
        int oh = rowTaps.length;
        int ow = colTaps.length;
        int planes = batch * channels;
        int[] idx = new int[planes * oh * ow];
        Tensor out = Tensor.empty(x.dtype(), new int[] {batch, channels, oh, ow});
        int[] strides = x.strides;
        PlaneLoop loop = PlaneLoop.of(rowTaps, colTaps, x.dtype(), strides[2], strides[3], w);
        // Planes are independent, so threads take contiguous ranges of them (same bits whatever the count).
        Convolution.forEachPart(planes, work(planes, rowTaps, colTaps), (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int base = x.offset + plane / channels * strides[0] + plane % channels * strides[1];
                maxPlane(loop, x.storage, base, strides[2], strides[3], w, rowTaps, colTaps, out.storage, idx,
                        plane * oh * ow);
            }
            checkWindows("maxPool2d", idx, from * oh * ow, to * oh * ow, x.shape);
        });
        int[] planeShape = {batch, channels, h, w};
        Tensor values = record("maxPool2d", out, in(x), Node.NONE,
                (g, node) -> in(scatterByPlane(g, idx, planeShape)));
        return new MaxResult(values, idx);
    }

    /** Which loop pools a plane: chosen once per call from the windows, the dtype and the input's strides. */
    enum PlaneLoop {
        /** 2x2 windows at stride 2 of a float plane with dense rows: {@code Kernels.maxPool2x2}. */
        DENSE_2X2,
        /** Windows of two adjacent rows and columns, float. */
        PAIRS_F32,
        /** Any windows, float. */
        F32,
        /** Any windows, double. */
        F64;

        static PlaneLoop of(int[][] rowTaps, int[][] colTaps, DType dtype, int sh, int sw, int w) {
            boolean pairs = adjacentPairs(rowTaps) && adjacentPairs(colTaps);
            boolean f = dtype == DType.FLOAT32;
            if (pairs && f && sw == 1 && sh == w && evenPairs(rowTaps) && evenPairs(colTaps)) {
                return DENSE_2X2;
            }
            return pairs && f ? PAIRS_F32 : f ? F32 : F64;
        }
    }

    /**
     * One plane of a max pooling: the plane at {@code base} of {@code src} (row and column strides sh, sw; row
     * length w) into {@code dst} and {@code idx} from {@code first}, by {@code loop}.
     */
    static void maxPlane(PlaneLoop loop, Storage src, int base, int sh, int sw, int w, int[][] rowTaps,
            int[][] colTaps, Storage dst, int[] idx, int first) {
        switch (loop) {
            case DENSE_2X2 -> Pointwise.KERNELS.maxPool2x2(src.floats(), base, w, rowTaps.length, colTaps.length,
                    dst.floats(), idx, first);
            case PAIRS_F32 -> maxPlane2x2(src.floats(), base, sh, sw, w, rowTaps, colTaps, dst.floats(), idx, first);
            case F32 -> WindowsF.maxPlane(src.floats(), base, sh, sw, w, rowTaps, colTaps, dst.floats(), idx, first);
            case F64 -> WindowsD.maxPlane(src.doubles(), base, sh, sw, w, rowTaps, colTaps, dst.doubles(), idx,
                    first);
        }
    }

    /** Work of pooling {@code planes} planes, against {@code Convolution}'s split threshold. */
    static long work(int planes, int[][] rowTaps, int[][] colTaps) {
        long work = (long) planes * rowTaps.length * colTaps.length
                * Math.max(1, rowTaps.length == 0 ? 0 : rowTaps[0].length)
                * Math.max(1, colTaps.length == 0 ? 0 : colTaps[0].length);
        return work * POOL_WORK_WEIGHT;
    }

    /**
     * Rejects a pooling with a window entirely in the padding (an index left negative in {@code [from, to)}) of an
     * input of this shape; called by each thread on the windows it pooled.
     */
    static void checkWindows(String op, int[] idx, int from, int to, int[] inputShape) {
        for (int k = from; k < to; k++) {
            if (idx[k] < 0) {
                throw new ShapeMismatchException(op + ": a window lies entirely in the padding of an input of"
                        + " shape " + Shapes.str(inputShape) + "; padding must be at most half the kernel size");
            }
        }
    }

    /**
     * A window tap of max pooling costs tens of a convolution's multiply-adds (about 1 ns, one element at a time,
     * against some 0.02 ns per fma in the GEMM); counted as 32, both of LeNet's poolings (0.5 and 0.3 ms a batch on
     * one core) are split across threads like the convolutions around them. The scatter of the gradient counts 16
     * per element of the input plane: LeNet's first (0.3 ms) is split, its second (51,200 elements) is not.
     */
    private static final long POOL_WORK_WEIGHT = 32;

    /** Work per input element of {@link #scatterByPlane}, against {@code Convolution}'s split threshold. */
    private static final long SCATTER_WORK_WEIGHT = 16;

    /** Whether every window reads two adjacent in-range positions (2x2 pooling without padding or dilation). */
    private static boolean adjacentPairs(int[][] taps) {
        for (int[] t : taps) {
            if (t.length != 2 || t[0] < 0 || t[1] != t[0] + 1) {
                return false;
            }
        }
        return true;
    }

    /** Whether window o reads positions 2o and 2o + 1 (2x2 pooling at stride 2, LeNet's). */
    private static boolean evenPairs(int[][] taps) {
        for (int o = 0; o < taps.length; o++) {
            if (taps[o][0] != 2 * o) {
                return false;
            }
        }
        return true;
    }

    /*
     * The winner of a window is found in two steps: the maximum (Math.max, which propagates NaN), then the first
     * tap equal to it. Tracking the index while comparing is a chain of data-dependent selects that C2 compiles to
     * branches, which mispredict on every other tap of real data: that was 5x slower (4 ms against 0.7 ms for the
     * first pooling of the LeNet step). The winner's own value is stored, so max(-0.0, 0.0) keeps the first one's
     * sign. A NaN wins (the last NaN of the window, as torch's max pooling), found by the rarely taken slow path.
     */
    private static void maxPlane2x2(float[] src, int base, int sh, int sw, int w, int[][] rowTaps, int[][] colTaps,
            float[] dst, int[] idx, int k) {
        for (int[] rows : rowTaps) {
            int r = rows[0];
            int top = base + r * sh;
            int bottom = top + sh;
            for (int[] cols : colTaps) {
                int c = cols[0];
                int at = c * sw;
                float a = src[top + at];
                float b = src[top + at + sw];
                float d = src[bottom + at];
                float e = src[bottom + at + sw];
                float v = Math.max(Math.max(a, b), Math.max(d, e));
                int pick = e == v ? 3 : 0;
                pick = d == v ? 2 : pick;
                pick = b == v ? 1 : pick;
                pick = a == v ? 0 : pick;
                if (v != v) {
                    pick = e != e ? 3 : d != d ? 2 : b != b ? 1 : 0;
                }
                int dy = pick >> 1;
                int dx = pick & 1;
                idx[k] = (r + dy) * w + c + dx;
                dst[k++] = src[top + dy * sh + at + dx * sw];
            }
        }
    }

    /**
     * {@code out[n, c, p] += g[n, c, q]} at {@code p = idx[n, c, q]} into zeros of {@code planeShape}; the gradient
     * of that is {@link #takeByPlane}.
     */
    static Tensor scatterByPlane(Tensor g, int[] idx, int[] planeShape) {
        Tensor dense = g.contiguous();
        Tensor out = Tensor.zeros(g.dtype(), planeShape);
        int planeSize = planeShape[2] * planeShape[3];
        int planes = planeShape[0] * planeShape[1];
        int perPlane = planes == 0 ? 0 : idx.length / planes;
        int base = dense.offset;
        // Planes are independent: threads take contiguous ranges of them.
        Convolution.forEachPart(planes, (long) planes * planeSize * SCATTER_WORK_WEIGHT, (from, to) -> {
            if (g.dtype() == DType.FLOAT32) {
                float[] src = dense.storage.floats();
                float[] dst = out.storage.floats();
                for (int plane = from; plane < to; plane++) {
                    int k = plane * perPlane;
                    int at = plane * planeSize;
                    for (int q = k; q < k + perPlane; q++) dst[at + idx[q]] += src[base + q];
                }
            } else {
                double[] src = dense.storage.doubles();
                double[] dst = out.storage.doubles();
                for (int plane = from; plane < to; plane++) {
                    int k = plane * perPlane;
                    int at = plane * planeSize;
                    for (int q = k; q < k + perPlane; q++) dst[at + idx[q]] += src[base + q];
                }
            }
        });
        int[] pooledShape = g.shape;
        return record("maxPool2dBackward", out, in(g), Node.NONE,
                (gg, node) -> in(takeByPlane(gg, idx, pooledShape)));
    }

    /**
     * {@code where(y > 0, scatterByPlane(g, idx, planeShape), 0)} in one pass, for a max pooling of {@code y =
     * relu(...)} whose values are {@code pooled}: ReLU's rule after the pooling's. The pooled value of window q is
     * y at its winner {@code idx[q]}, so the mask at that position is {@code pooled[q] > 0} for every window it wins:
     * a window's gradient is added only where that holds, every other position keeps the +0 of the zeroed result,
     * so the bits are those of the two rules one after the other (the windows' sums included, and NaN winners,
     * whose mask is false). Not recorded: for rules run without createGraph.
     */
    static Tensor scatterWherePositive(Tensor g, int[] idx, Tensor pooled, int[] planeShape) {
        Tensor dense = g.contiguous();
        Tensor values = pooled.contiguous();
        Tensor out = Tensor.zeros(g.dtype(), planeShape);
        int planeSize = planeShape[2] * planeShape[3];
        int planes = planeShape[0] * planeShape[1];
        int perPlane = planes == 0 ? 0 : idx.length / planes;
        Convolution.forEachPart(planes, (long) planes * planeSize * SCATTER_WORK_WEIGHT, (from, to) ->
                scatterPlanesWherePositive(dense, idx, values, planeSize, perPlane, from, to, out.storage,
                        from * planeSize));
        return out;
    }

    /**
     * Planes {@code [from, to)} of {@link #scatterWherePositive} (g and pooled contiguous) added into {@code dst},
     * plane p at {@code dstAt + (p - from) planeSize}; dst holds zeros there.
     */
    static void scatterPlanesWherePositive(Tensor g, int[] idx, Tensor pooled, int planeSize, int perPlane,
            int from, int to, Storage dst, int dstAt) {
        int g0 = g.offset;
        int v0 = pooled.offset;
        if (dst instanceof Storage.F32 f) {
            float[] src = g.storage.floats();
            float[] y = pooled.storage.floats();
            float[] d = f.data;
            for (int plane = from; plane < to; plane++) {
                int at = dstAt + (plane - from) * planeSize;
                for (int q = plane * perPlane; q < (plane + 1) * perPlane; q++) {
                    if (y[v0 + q] > 0) {
                        d[at + idx[q]] += src[g0 + q];
                    }
                }
            }
        } else {
            double[] src = g.storage.doubles();
            double[] y = pooled.storage.doubles();
            double[] d = dst.doubles();
            for (int plane = from; plane < to; plane++) {
                int at = dstAt + (plane - from) * planeSize;
                for (int q = plane * perPlane; q < (plane + 1) * perPlane; q++) {
                    if (y[v0 + q] > 0) {
                        d[at + idx[q]] += src[g0 + q];
                    }
                }
            }
        }
    }

    /** {@code out[n, c, q] = x[n, c, idx[n, c, q]]}; the gradient of that is {@link #scatterByPlane}. */
    static Tensor takeByPlane(Tensor x, int[] idx, int[] pooledShape) {
        Tensor dense = x.contiguous();
        Tensor out = Tensor.empty(x.dtype(), pooledShape);
        int planeSize = x.shape[2] * x.shape[3];
        int planes = x.shape[0] * x.shape[1];
        int perPlane = planes == 0 ? 0 : idx.length / planes;
        int base = dense.offset;
        if (x.dtype() == DType.FLOAT32) {
            float[] src = dense.storage.floats();
            float[] dst = out.storage.floats();
            for (int k = 0; k < idx.length; k++) dst[k] = src[base + k / perPlane * planeSize + idx[k]];
        } else {
            double[] src = dense.storage.doubles();
            double[] dst = out.storage.doubles();
            for (int k = 0; k < idx.length; k++) dst[k] = src[base + k / perPlane * planeSize + idx[k]];
        }
        int[] planeShape = x.shape;
        return record("takeByPlane", out, in(x), Node.NONE, (g, node) -> in(scatterByPlane(g, idx, planeShape)));
    }

    /** Rows of an adaptive averaging matrix {@code [out, size]}: {@code 1 / window} inside each window. */
    static Tensor adaptiveAverager(int size, int outSize, DType dtype) {
        int[][] taps = adaptiveTaps(size, outSize);
        Tensor m = Tensor.zeros(dtype, outSize, size);
        for (int o = 0; o < outSize; o++) {
            for (int t : taps[o]) m.storage.set(o * size + t, 1.0 / taps[o].length);
        }
        return m;
    }

    // ------------------------------------------------------------------------------------------------ validated entry points

    /** Output size of a pooling window along one dim, with PyTorch's ceil-mode rule (no window starts in the padding). */
    static int outSize(int size, int kernel, int stride, int padding, int dilation, boolean ceilMode) {
        long span = (long) size + 2L * padding - (long) dilation * (kernel - 1) - 1;
        if (span < 0) {
            return 0;
        }
        long out = (ceilMode ? (span + stride - 1) / stride : span / stride) + 1;
        if (ceilMode && (out - 1) * stride >= (long) size + padding) {
            out--;
        }
        return (int) Math.min(Integer.MAX_VALUE, out);
    }

    private static Convolution.Geometry geometry(String op, Tensor x, int[] kernelSize, int[] stride, int[] padding,
            int[] dilation) {
        Convolution.checkImage(op, x);
        return geometry(op, kernelSize, stride, padding, dilation);
    }

    /** A max pooling's window, validated (padding at most half the kernel); a null or empty stride is the kernel. */
    static Convolution.Geometry geometry(String op, int[] kernelSize, int[] stride, int[] padding, int[] dilation) {
        int[] k = Convolution.pair(op, "kernelSize", kernelSize);
        int[] s = stride == null || stride.length == 0 ? k : Convolution.pair(op, "stride", stride);
        Convolution.Geometry g = Convolution.Geometry.of(op, k, s, Convolution.pair(op, "padding", padding),
                Convolution.pair(op, "dilation", dilation));
        if (2L * g.ph() > g.kh() || 2L * g.pw() > g.kw()) {
            throw new IllegalArgumentException(op + ": padding " + java.util.Arrays.toString(padding) + " must be at"
                    + " most half the kernel size " + java.util.Arrays.toString(k));
        }
        return g;
    }

    /** {@code {values, indices}}, the indices null unless {@code withIndices}. */
    static Tensor[] maxPool2dChecked(Tensor x, int[] kernelSize, int[] stride, int[] padding, int[] dilation,
            boolean ceilMode, boolean withIndices) {
        String op = "maxPool2d";
        Convolution.Geometry g = geometry(op, x, kernelSize, stride, padding, dilation);
        int oh = outSize(x.shape[2], g.kh(), g.sh(), g.ph(), g.dh(), ceilMode);
        int ow = outSize(x.shape[3], g.kw(), g.sw(), g.pw(), g.dw(), ceilMode);
        Convolution.checkOutput(op, x, g, oh, ow);
        MaxResult r = maxPool2d(x, taps(x.shape[2], g.kh(), g.sh(), g.ph(), g.dh(), oh),
                taps(x.shape[3], g.kw(), g.sw(), g.pw(), g.dw(), ow));
        return new Tensor[] {r.values(), withIndices ? r.indices() : null};
    }

    /**
     * Composed: the sum over each window of {@code im2col}'s columns divided by the window's count, PyTorch's
     * divisor: the window clipped to the padded input (ceil mode's last window may reach past it), or, without
     * {@code countIncludePad}, to the input itself.
     */
    static Tensor avgPool2dChecked(Tensor x, int[] kernelSize, int[] stride, int[] padding, boolean ceilMode,
            boolean countIncludePad) {
        String op = "avgPool2d";
        Convolution.Geometry g = geometry(op, x, kernelSize, stride, padding, new int[] {1, 1});
        int h = x.shape[2];
        int w = x.shape[3];
        int oh = outSize(h, g.kh(), g.sh(), g.ph(), 1, ceilMode);
        int ow = outSize(w, g.kw(), g.sw(), g.pw(), 1, ceilMode);
        Convolution.checkOutput(op, x, g, oh, ow);
        int batch = x.shape[0];
        int channels = x.shape[1];
        int window = g.kh() * g.kw();
        Tensor sums = Convolution.im2col(x, g, oh, ow).view(batch, channels, window, oh * ow).sum(2);
        int[] rows = divisors(h, g.kh(), g.sh(), g.ph(), oh, countIncludePad);
        int[] cols = divisors(w, g.kw(), g.sw(), g.pw(), ow, countIncludePad);
        boolean uniform = true;
        for (int r : rows) {
            for (int c : cols) uniform &= r * c == window;
        }
        Tensor pooled;
        if (uniform) {
            pooled = sums.div(window);
        } else {
            Tensor counts = Tensor.empty(x.dtype(), new int[] {oh * ow});
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) counts.storage.set(i * ow + j, (double) rows[i] * cols[j]);
            }
            pooled = sums.div(counts);
        }
        return pooled.view(batch, channels, oh, ow);
    }

    /** Along one dim, the number of positions of each window counted by the divisor. */
    private static int[] divisors(int size, int kernel, int stride, int padding, int outSize, boolean includePad) {
        int[] counts = new int[outSize];
        for (int o = 0; o < outSize; o++) {
            int start = o * stride - padding;
            int end = Math.min(start + kernel, size + padding);
            counts[o] = includePad ? end - start : Math.min(end, size) - Math.max(start, 0);
        }
        return counts;
    }

    static Tensor adaptiveAvgPool2dChecked(Tensor x, int outH, int outW) {
        checkAdaptive("adaptiveAvgPool2d", x, outH, outW);
        Tensor rows = adaptiveAverager(x.shape[2], outH, x.dtype());
        Tensor cols = adaptiveAverager(x.shape[3], outW, x.dtype());
        return rows.matmul(x).matmul(cols.t());
    }

    static Tensor[] adaptiveMaxPool2dChecked(Tensor x, int outH, int outW) {
        checkAdaptive("adaptiveMaxPool2d", x, outH, outW);
        MaxResult r = maxPool2d(x, adaptiveTaps(x.shape[2], outH), adaptiveTaps(x.shape[3], outW));
        return new Tensor[] {r.values(), r.indices()};
    }

    private static void checkAdaptive(String op, Tensor x, int outH, int outW) {
        Convolution.checkImage(op, x);
        if (outH <= 0 || outW <= 0 || x.shape[2] == 0 || x.shape[3] == 0) {
            throw new IllegalArgumentException(op + ": output size " + outH + "x" + outW + " must be positive and the"
                    + " input's spatial size non-zero, got input shape " + Shapes.str(x.shape));
        }
    }
}
