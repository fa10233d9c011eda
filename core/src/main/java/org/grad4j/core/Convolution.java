package org.grad4j.core;

import static org.grad4j.core.Node.in;
import static org.grad4j.core.Node.record;

import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Supplier;
import org.grad4j.core.kernel.Kernels;
import org.grad4j.core.kernel.UnaryOp;

/**
 * Convolution on the GEMM. The primitives are the dual pair {@code im2col} / {@code col2im} (each is the other's
 * gradient, so second derivatives work); a convolution is then one matrix product of the weight with each image's
 * columns, and its backward is the matmul rule: {@code dW = sum_n g_n cols_n^T} (a convolution of the input with the
 * output gradient) and {@code dx = col2im(W^T g)} (a transposed convolution of the output gradient with the weight).
 * A transposed convolution is the same two steps in the other order.
 *
 * <p>Layout: {@code im2col} turns {@code x [N, C, H, W]} into {@code cols [N, C kh kw, oh ow]} (PyTorch's
 * {@code unfold} layout), rows in {@code (c, i, j)} order, so the product {@code W [Cout, C kh kw] x cols_n} of each
 * image is already that image's {@code [Cout, oh, ow]} output: no layout change before the next layer, in either
 * direction. Each column row is a run of one input row (stride 1: a plain array copy), with zero padding applied
 * inside the copy; col2im adds the runs back.
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

    /**
     * {@code [N, C, H, W] -> [N, C kh kw, oh ow]} for an explicit output size (ceil-mode pooling has one more window
     * than {@link Geometry#outH}; windows past the input read zeros); backward: {@link #col2im}.
     */
    static Tensor im2col(Tensor x, Geometry g, int oh, int ow) {
        int[] s = x.shape;
        long total = (long) s[0] * s[1] * g.kh * g.kw * oh * ow;
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("im2col: the column matrix of " + total + " elements is too large"
                    + " for one array; use a smaller batch");
        }
        // a new array, so zero where the copy below leaves the padding entries
        Tensor out = Tensor.empty(x.dtype(), new int[] {s[0], s[1] * g.kh * g.kw, oh * ow});
        Runs runs = new Runs(s, x.strides, g, oh, ow);
        int perImage = out.shape[1] * out.shape[2];
        for (int n = 0; n < s[0]; n++) {
            runs.copy(x.storage, x.offset + n * x.strides[0], out.storage, n * perImage, oh * ow, false);
        }
        int[] inShape = s.clone();
        return record("im2col", out, in(x), Node.NONE, (grad, n) -> in(col2im(grad, inShape, g, oh, ow)));
    }

    /** Adds each column entry back to the input position it was copied from; backward: {@link #im2col}. */
    static Tensor col2im(Tensor cols, int[] inShape, Geometry g, int oh, int ow) {
        int[] expected = {inShape[0], inShape[1] * g.kh * g.kw, oh * ow};
        if (!Arrays.equals(cols.shape, expected)) {
            throw new ShapeMismatchException("col2im: columns of shape " + Shapes.str(cols.shape) + " do not fit"
                    + " the image shape " + Shapes.str(inShape) + " (expected " + Shapes.str(expected) + ")");
        }
        Tensor out = Tensor.zeros(cols.dtype(), inShape);
        Tensor dense = cols.contiguous();
        Runs runs = new Runs(inShape, out.strides, g, oh, ow);
        for (int n = 0; n < inShape[0]; n++) {
            int colsAt = dense.offset + n * expected[1] * expected[2];
            if (runs.canFold()) {
                runs.fold(out.storage, n * out.strides[0], dense.storage, colsAt, oh * ow);
            } else {
                runs.copy(out.storage, n * out.strides[0], dense.storage, colsAt, oh * ow, true);
            }
        }
        return record("col2im", out, in(cols), Node.NONE, (grad, n) -> in(im2col(grad, g, oh, ow)));
    }

    /*
     * The walk shared by im2col and col2im: column row (c, i, j) holds, for each output row oy, the input row
     * iy = oy sh - ph + i dh read at ix = ox sw - pw + j dw. The in-range outputs are a rectangle [yLo, yHi) x
     * [lo, hi), found once per column row, so the inner loops have no bounds tests and are plain array loops that
     * C2 compiles whole (a call per input row segment cost more than the copy: LeNet's second layer has 256,000 of
     * them per im2col, 10 elements each).
     */
    record Runs(int channels, int h, int w, int[] strides, Geometry g, int oh, int ow) {
        Runs(int[] shape, int[] strides, Geometry g, int oh, int ow) {
            this(shape[1], shape[2], shape[3], strides, g, oh, ow);
        }

        /**
         * One image, its first element at {@code image}: to its columns at {@code colsAt}, {@code ld} apart (im2col;
         * the padding entries are left as they are, zero in every column array), or, with {@code add}, the columns
         * added back into it (col2im).
         */
        void copy(Storage image, int imageAt, Storage cols, int colsAt, int ld, boolean add) {
            int step = g.sw * strides[3];
            int rowStep = g.sh * strides[2];
            boolean f = image instanceof Storage.F32;
            int row = colsAt;
            for (int c = 0; c < channels; c++) {
                int plane = imageAt + c * strides[1];
                for (int i = 0; i < g.kh; i++) {
                    int shiftY = i * g.dh - g.ph;             // iy = oy sh + shiftY
                    int yLo = first(shiftY, g.sh, oh);
                    int yHi = end(shiftY, g.sh, h, oh, yLo);
                    for (int j = 0; j < g.kw; j++, row += ld) {
                        int shift = j * g.dw - g.pw;          // ix = ox sw + shift
                        int lo = first(shift, g.sw, ow);
                        int hi = end(shift, g.sw, w, ow, lo);
                        int src = plane + shiftY * strides[2] + shift * strides[3];
                        if (f && add) {
                            WindowsF.col2im(image.floats(), src, rowStep, step, cols.floats(), row, ow, yLo, yHi,
                                    lo, hi);
                        } else if (f) {
                            WindowsF.im2col(image.floats(), src, rowStep, step, cols.floats(), row, ow, yLo, yHi,
                                    lo, hi);
                        } else if (add) {
                            WindowsD.col2im(image.doubles(), src, rowStep, step, cols.doubles(), row, ow, yLo, yHi,
                                    lo, hi);
                        } else {
                            WindowsD.im2col(image.doubles(), src, rowStep, step, cols.doubles(), row, ow, yLo, yHi,
                                    lo, hi);
                        }
                    }
                }
            }
        }

        /**
         * col2im of one image into its (contiguous-row) place, overwriting it: each image row summed once from the
         * column entries that read it, so no element is read back after a store that only partly overlaps it
         * (adding the runs tap by tap did that on every tap and ran at a third of the speed). Needs horizontal
         * stride 1 and unit column stride; {@link #canFold}.
         */
        void fold(Storage image, int imageAt, Storage cols, int colsAt, int ld) {
            // Row r of every channel reads the same taps, so the channels' rows r go to the kernel together (its
            // SIMD form sums four rows at once, which needs their term counts equal).
            int[] bases = new int[channels * g.kh];
            int[] counts = new int[channels];
            for (int r = 0; r < h; r++) {
                int count = 0;
                for (int i = 0; i < g.kh; i++) {
                    int t = r + g.ph - i * g.dh;                     // = oy sh
                    if (t >= 0 && t % g.sh == 0 && t / g.sh < oh) {
                        for (int c = 0; c < channels; c++) {
                            bases[c * g.kh + count] = colsAt + (c * g.kh + i) * g.kw * ld + t / g.sh * ow;
                        }
                        count++;
                    }
                }
                Arrays.fill(counts, count);
                int at = imageAt + r * strides[2];
                if (image instanceof Storage.F32) {
                    Pointwise.KERNELS.foldRows(cols.floats(), bases, counts, g.kh, channels, ld, g.kw, g.dw, g.pw, ow,
                            image.floats(), at, strides[1], w);
                } else {
                    Pointwise.KERNELS.foldRows(cols.doubles(), bases, counts, g.kh, channels, ld, g.kw, g.dw, g.pw,
                            ow, image.doubles(), at, strides[1], w);
                }
            }
        }

        boolean canFold() {
            return g.sw == 1 && strides[3] == 1;
        }

        /** The first output o with {@code o stride + shift >= 0} (at most {@code out}). */
        private static int first(int shift, int stride, int out) {
            return Math.min(out, shift >= 0 ? 0 : (-shift + stride - 1) / stride);
        }

        /** One past the last output o with {@code o stride + shift < size} (at least {@code lo}). */
        private static int end(int shift, int stride, int size, int out, int lo) {
            return Math.max(lo, Math.min(out, shift >= size ? 0 : (size - 1 - shift) / stride + 1));
        }
    }

    // ------------------------------------------------------------------------------------------------ convolution

    /*
     * A convolution is three primitives, closed under differentiation: the forward product, the input gradient
     * (which is the transposed convolution) and the weight gradient; the derivative of each is written with the
     * other two. Each runs image by image on one reused column buffer of C kh kw x oh ow (LeNet's second layer:
     * 160 KB, which stays in L2 between im2col and the GEMM), instead of materialising the columns of the whole
     * batch (10 MB there, written once and read back from memory) and saving them for the backward pass: the weight
     * gradient recomputes them, which costs less than reading them back. Threads take contiguous ranges of images,
     * each with buffers of its own. Sums run in a fixed order (the weight gradient's images in turn within each of
     * WEIGHT_GRAD_PARTS fixed parts of the batch, then the parts in order; the GEMM's fixed k order), so results
     * depend on nothing but the inputs, the number of threads included.
     */

    /**
     * Bytes of a grouped column buffer: it and the GEMM's packed copy of it stay in half of a 1 MB L2. LeNet's second
     * layer (160 KB of columns an image), by thread CPU time of its forward and backward at batch 64: two images a
     * GEMM 9.1-9.4 ms, one 9.3-9.7, four (640 KB) 9.6-9.9.
     */
    static final long COLUMN_BYTES = 384 << 10;

    /** A convolution's shapes: input {@code [N, Cin, H, W]}, {@code Cout} outputs in {@code groups}, output oh x ow. */
    record Conv(int[] inShape, int cout, int groups, Geometry g, int oh, int ow) {
        int cinPerGroup() {
            return inShape[1] / groups;
        }

        int coutPerGroup() {
            return cout / groups;
        }

        /** Column rows per group: {@code Cin / groups * kh * kw}. */
        int rows() {
            return cinPerGroup() * g.kh * g.kw;
        }

        int positions() {
            return oh * ow;
        }

        /**
         * The row stride of the column buffer: the positions rounded up to a multiple of 16 (when there are enough of
         * them for the waste to be small), so that the GEMM packs whole vector panels; a partial last panel is
         * packed element by element with zero fill (LeNet's 10 x 10 positions: a quarter of the forward's time).
         */
        int ld() {
            int l = positions();
            return l % 16 == 0 || l < 64 ? l : (l + 15) / 16 * 16;
        }

        /**
         * Images side by side in one GEMM of the forward and the input gradient (their columns next to each other,
         * N = images x positions): enough that N fills whole 16-wide vector panels, when the positions alone do not
         * (LeNet's 10 x 10: four images would make N = 400; the L2 bound below allows two, N = 200 padded to 208,
         * where one image padded to 112 wasted 12% of those GEMMs); at most 8, and fewer when their columns would
         * not stay in L2 (at most {@link #COLUMN_BYTES}). Each element of C still sums its k in the same order, so the grouping
         * changes no bit.
         */
        int imagesPerGemm(DType dtype) {
            int elementBytes = dtype == DType.FLOAT64 ? 8 : 4;
            int l = positions();
            if (l % 16 == 0) {
                return 1;
            }
            int g = 2;
            while (g < 8 && (g * l) % 16 != 0) g++;
            while (g > 1 && (long) g * l * rows() * groups * elementBytes > COLUMN_BYTES) g--;
            return g;
        }

        /** The column buffer's row stride for {@code images} images side by side (rounded as {@link #ld}). */
        int ld(int images) {
            if (images == 1) {
                return ld();
            }
            int n = images * positions();
            return n % 16 == 0 || n < 64 ? n : (n + 15) / 16 * 16;
        }

        /** A zeroed column buffer for {@code images} images side by side, {@code groups rows x ld(images)}. */
        Storage columns(DType dtype, int images) {
            return Tensor.zeros(dtype, groups * rows() * ld(images)).storage;
        }

        /** Multiply-adds of one convolution over the batch (the forward; each gradient is the same). */
        long forwardWork() {
            return (long) inShape[0] * cout * rows() * positions();
        }

        int[] outShape() {
            return new int[] {inShape[0], cout, oh, ow};
        }

        int[] weightShape() {
            return new int[] {cout, cinPerGroup(), g.kh, g.kw};
        }

        Runs runs(int[] imageStrides) {
            return new Runs(inShape, imageStrides, g, oh, ow);
        }

        /** A zeroed column buffer, {@code groups rows x ld}: the padding columns stay zero. */
        Storage columns(DType dtype) {
            return Tensor.zeros(dtype, groups * rows() * ld()).storage;
        }
    }

    /** {@code y_n = W cols(x_n)} per group: {@code [N, Cout, oh, ow]}; backward: input and weight gradients. */
    static Tensor convForward(Tensor x, Tensor weight, Conv c) {
        return convForward(x, weight, null, c);
    }

    /**
     * {@link #convForward(Tensor, Tensor, Conv)} plus a bias {@code [Cout]} (or null), added to each image's output
     * while it is in cache rather than by a broadcast add over the whole batch; its gradient is g summed over the
     * batch and the positions.
     */
    static Tensor convForward(Tensor x, Tensor weight, Tensor bias, Conv c) {
        return convForward(x, weight, bias, c, false);
    }

    /**
     * {@link #convForward(Tensor, Tensor, Tensor, Conv)}, with {@code relu} followed by ReLU: each image's output is
     * passed through relu's kernel while it is in cache, on the thread that computed it, in place (no second array
     * of the output's size and no pass over it on the calling thread). One node {@code conv2dRelu} saves the
     * output, as relu's does; its rule is relu's rule ({@link Pointwise#reluGrad}) followed by the convolution's, so
     * values and gradients, higher-order ones included, are those of {@code conv2d(...).relu()}.
     */
    static Tensor convForward(Tensor x, Tensor weight, Tensor bias, Conv c, boolean relu) {
        Tensor w = weight.contiguous();
        Tensor b = bias == null ? null : bias.contiguous();
        Tensor out = Tensor.empty(x.dtype(), c.outShape());
        if (forwardOnTiles(c)) {
            Storage wt = transposedWeight(w, c);
            forEachPart(c, c.forwardWork(), (from, to) -> forwardTiles(x, wt, b, c, out, from, to, relu, null));
        } else {
            forEachPart(c, c.forwardWork(), (from, to) -> forwardImages(x, w, b, c, out, from, to, relu, null));
        }
        Tensor[] inputs = b == null ? in(x, weight) : in(x, weight, bias);
        if (relu) {
            return record("conv2dRelu", out, inputs, in(x, weight, out),
                    (g, node) -> convGrads(node, Pointwise.reluGrad(node, g, node.saved(2)), c, b != null));
        }
        return record("conv2d", out, inputs, in(x, weight), (g, node) -> convGrads(node, g, c, b != null));
    }

    /**
     * {@code maxPool2d(relu(conv2d(x)))} in one op, the pooling's windows given by their taps over the convolution's
     * output ({@link Pooling#taps}): each thread computes the convolution and ReLU of its images into a buffer of
     * one GEMM's images (in cache) and pools them from there, so the activation {@code [N, Cout, oh, ow]} is never
     * allocated or read back. One node {@code conv2dReluMaxPool2d} saves x, the weight and the pooled values; its
     * rule is the pooling's rule followed by ReLU's, in one pass ({@link Pooling#scatterWherePositive}), then the
     * convolution's. With createGraph the three rules run as recorded ops on the activation recomputed from x, so
     * values and gradients, higher-order ones included, are those of the three ops one after the other.
     */
    static Tensor convReluPoolForward(Tensor x, Tensor weight, Tensor bias, Conv c, int[][] rowTaps,
            int[][] colTaps) {
        Tensor w = weight.contiguous();
        Tensor b = bias == null ? null : bias.contiguous();
        int l = c.positions();
        int pooledPlane = rowTaps.length * colTaps.length;
        int[] yShape = c.outShape();
        Tensor pooled = Tensor.empty(x.dtype(), new int[] {yShape[0], c.cout, rowTaps.length, colTaps.length});
        int[] idx = new int[yShape[0] * c.cout * pooledPlane];
        Pooling.PlaneLoop loop = Pooling.PlaneLoop.of(rowTaps, colTaps, x.dtype(), c.ow, 1, c.ow);
        boolean tiles = forwardOnTiles(c);
        Storage wt = tiles ? transposedWeight(w, c) : null;
        int per = tiles ? 1 : c.imagesPerGemm(x.dtype());
        long work = c.forwardWork() + Pooling.work(yShape[0] * c.cout, rowTaps, colTaps);
        forEachPart(c, work, (from, to) -> {
            Tensor images = Tensor.empty(x.dtype(), new int[] {Math.min(per, to - from) * c.cout * l});
            ImageSink pool = (n0, count) -> {
                for (int plane = 0; plane < count * c.cout; plane++) {
                    Pooling.maxPlane(loop, images.storage, plane * l, c.ow, 1, c.ow, rowTaps, colTaps,
                            pooled.storage, idx, (n0 * c.cout + plane) * pooledPlane);
                }
                Pooling.checkWindows("conv2dReluMaxPool2d", idx, n0 * c.cout * pooledPlane,
                        (n0 + count) * c.cout * pooledPlane, yShape);
            };
            if (tiles) {
                forwardTiles(x, wt, b, c, images, from, to, true, pool);
            } else {
                forwardImages(x, w, b, c, images, from, to, true, pool);
            }
        });
        Tensor[] inputs = b == null ? in(x, weight) : in(x, weight, bias);
        Tensor[] saved = b == null ? in(x, weight, pooled) : in(x, weight, pooled, bias);
        return record("conv2dReluMaxPool2d", pooled, inputs, saved, (g, node) -> {
            Tensor dy;
            if (node.unrecordedWalk == null) {
                Tensor y;
                try (Grad.Scope off = Grad.disabled()) {
                    y = convForward(node.saved(0).detach(), node.saved(1).detach(),
                            b == null ? null : node.saved(3).detach(), c, true);
                }
                dy = Pointwise.reluGrad(node, Pooling.scatterByPlane(g, idx, yShape), y);
            } else if (!node.needsGrad(0) && node.needsGrad(1) && !weightGradOnTiles(c)
                    && (b == null || !node.needsGrad(2) || biasGradSplits(yShape))) {
                return reluPoolWeightAndBiasGrads(node, g, idx, c, b != null);
            } else {
                dy = Pooling.scatterWherePositive(g, idx, node.saved(2), yShape);
            }
            return convGrads(node, dy, c, b != null);
        });
    }

    /**
     * The weight and bias gradients of {@link #convReluPoolForward} when x needs none (a network's first layer):
     * each thread makes the gradient of one image at a time ({@link Pooling#scatterPlanesWherePositive}) in a buffer
     * of one image, which the weight gradient's GEMM reads at once and the bias's per-image channel sums read too;
     * the batch's gradient {@code [N, Cout, oh, ow]} is never allocated. The sums run as in {@link #convWeightGrad}
     * (its GEMM path) and {@link #biasGrad} (per image a kernel sum per channel, the images added in order in
     * double), so the bits are theirs.
     */
    private static Tensor[] reluPoolWeightAndBiasGrads(Node node, Tensor grad, int[] idx, Conv c, boolean bias) {
        Tensor g = grad.contiguous();
        Tensor pooled = node.saved(2).contiguous();
        Tensor x = node.saved(0);
        int l = c.positions();
        int batch = c.inShape[0];
        int perPlane = batch * c.cout == 0 ? 0 : idx.length / (batch * c.cout);
        double[] sums = bias && node.needsGrad(2) ? new double[batch * c.cout] : null;
        Tensor dw = weightGradGemm(x, c, () -> {
            Storage image = Tensor.empty(g.dtype(), new int[] {c.cout * l}).storage;
            return new GradImages() {
                @Override
                public int load(int n) {
                    if (image instanceof Storage.F32 f) {
                        Arrays.fill(f.data, 0f);
                    } else {
                        Arrays.fill(image.doubles(), 0.0);
                    }
                    Pooling.scatterPlanesWherePositive(g, idx, pooled, l, perPlane, n * c.cout, (n + 1) * c.cout,
                            image, 0);
                    if (sums != null) {
                        for (int ch = 0; ch < c.cout; ch++) sums[n * c.cout + ch] = channelSum(image, ch * l, l);
                    }
                    return 0;
                }

                @Override
                public Storage storage() {
                    return image;
                }
            };
        });
        if (!bias) {
            return in(null, dw);
        }
        Tensor db = null;
        if (sums != null) {
            db = Tensor.empty(g.dtype(), new int[] {c.cout});
            for (int ch = 0; ch < c.cout; ch++) {
                double acc = sums[ch];
                for (int n = 1; n < batch; n++) acc += sums[n * c.cout + ch];
                db.storage.set(ch, acc);
            }
        }
        return in(null, dw, db);
    }

    /** The gradients of a convolution's input, weight and (with {@code bias}) bias for its output gradient g. */
    private static Tensor[] convGrads(Node node, Tensor g, Conv c, boolean bias) {
        Tensor dx = node.needsGrad(0) ? convInputGrad(g, node.saved(1), c) : null;
        Tensor dw = node.needsGrad(1) ? convWeightGrad(node.saved(0), g, c) : null;
        return bias ? in(dx, dw, node.needsGrad(2) ? biasGrad(node, g) : null) : in(dx, dw);
    }

    /** relu's kernel over {@code len} elements at {@code at}, in place. */
    private static void reluInPlace(Storage s, int at, int len) {
        if (s instanceof Storage.F32 f) {
            Pointwise.KERNELS.unary(UnaryOp.RELU, f.data, at, 1, f.data, at, 1, len);
        } else {
            double[] d = s.doubles();
            Pointwise.KERNELS.unary(UnaryOp.RELU, d, at, 1, d, at, 1, len);
        }
    }

    /**
     * The bias's gradient, {@code g.sum(0, 2, 3)}. Without createGraph, on a contiguous float gradient of at least two
     * images, two channels and two positions, the channels are split across threads (each channel's sum computed
     * by one thread in exactly the operations of the reduction: per image a kernel sum over the channel's positions,
     * the images added in order in double from the first), so the bits are those of {@code g.sum} whatever the
     * thread count; otherwise, and with createGraph (where the rule must be differentiable), the reduction itself.
     */
    static Tensor biasGrad(Node node, Tensor g) {
        int[] s = g.shape;
        if (node.unrecordedWalk == null || !g.dtype().isFloatingPoint() || !g.isContiguous() || s.length != 4
                || !biasGradSplits(s)) {
            return g.sum(new int[] {0, 2, 3}, false);
        }
        int batch = s[0];
        int channels = s[1];
        int positions = s[2] * s[3];
        Tensor out = Tensor.empty(g.dtype(), new int[] {channels});
        // about 0.5 ns an element on LeNet's layers (a kernel call per image and channel): split from 2^16 elements
        forEachPart(channels, (long) g.numel() * BIAS_GRAD_WORK_WEIGHT, (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                int at = g.offset + ch * positions;
                double acc;
                if (g.storage instanceof Storage.F32 f) {
                    acc = Pointwise.KERNELS.sum(f.data, at, 1, positions);
                    for (int n = 1; n < batch; n++) {
                        acc += Pointwise.KERNELS.sum(f.data, at + n * channels * positions, 1, positions);
                    }
                } else {
                    double[] d = g.storage.doubles();
                    acc = Pointwise.KERNELS.sum(d, at, 1, positions);
                    for (int n = 1; n < batch; n++) {
                        acc += Pointwise.KERNELS.sum(d, at + n * channels * positions, 1, positions);
                    }
                }
                out.storage.set(ch, acc);
            }
        });
        return out;
    }

    /** Whether {@link #biasGrad} sums a contiguous float gradient of this 4-d shape by channels (else the reduction). */
    private static boolean biasGradSplits(int[] s) {
        return s[0] >= 2 && s[1] >= 2 && (long) s[2] * s[3] >= 2;
    }

    /** {@link #biasGrad}'s per-channel sum of image n: the kernel's sum over the channel's positions of g at {@code at}. */
    private static double channelSum(Storage g, int at, int positions) {
        return g instanceof Storage.F32 f ? Pointwise.KERNELS.sum(f.data, at, 1, positions)
                : Pointwise.KERNELS.sum(g.doubles(), at, 1, positions);
    }

    /** Work units per gradient element of {@link #biasGrad}, against {@link #minParallelWork}. */
    private static final long BIAS_GRAD_WORK_WEIGHT = 64;

    /**
     * Images {@code [from, to)} of {@link #convForward}, with buffers of their own (one call per thread), in GEMMs
     * of {@link Conv#imagesPerGemm} images. With a {@code sink}, {@code out} holds only the images of one GEMM
     * (image {@code n0 + i} at slot i), handed to the sink as soon as they are written.
     */
    private static void forwardImages(Tensor x, Tensor w, Tensor b, Conv c, Tensor out, int from, int to,
            boolean relu, ImageSink sink) {
        Unfolder unfolder = new Unfolder(c, x);
        int per = c.imagesPerGemm(x.dtype());
        Storage cols = c.columns(x.dtype(), per);
        int l = c.positions();
        int ld = c.ld(per);
        int rows = c.rows();
        int coutG = c.coutPerGroup();
        // the GEMM writes straight into the output when one image's rows are exactly its output rows
        Storage wide = per == 1 && ld == l ? null : Tensor.empty(x.dtype(), new int[] {coutG * ld}).storage;
        for (int n0 = from; n0 < to; n0 += per) {
            int images = Math.min(per, to - n0);
            int slot = sink == null ? n0 : 0;
            // a short last group multiplies only its own columns; a full one the whole (zero-padded) rows
            int n = images == per ? ld : images * l;
            for (int i = 0; i < images; i++) unfolder.unfold(n0 + i, cols, i * l, ld);
            for (int grp = 0; grp < c.groups; grp++) {
                if (wide == null) {
                    gemm(coutG, l, rows, w.storage, w.offset + grp * coutG * rows, rows, 1, cols, grp * rows * ld, ld,
                            1, out.storage, (slot * c.cout + grp * coutG) * l);
                } else {
                    gemm(coutG, n, rows, w.storage, w.offset + grp * coutG * rows, rows, 1, cols, grp * rows * ld, ld,
                            1, wide, 0);
                    for (int i = 0; i < images; i++) {
                        copyRows(wide, i * l, n, out.storage, ((slot + i) * c.cout + grp * coutG) * l, l, coutG, l);
                    }
                }
                if (b != null) {
                    for (int i = 0; i < images; i++) {
                        addRowConstants(out.storage, ((slot + i) * c.cout + grp * coutG) * l, l, coutG, b.storage,
                                b.offset + grp * coutG);
                    }
                }
            }
            if (relu) {
                reluInPlace(out.storage, slot * c.cout * l, images * c.cout * l);
            }
            if (sink != null) {
                sink.accept(n0, images);
            }
        }
    }

    /**
     * {@code dx = col2im(W^T g_n)} per image: the gradient of {@link #convForward} with respect to its input, and the
     * transposed convolution of {@code g [N, Cout, oh, ow]}; backward: a convolution and a weight gradient. Batches
     * that {@link LaneInputGrad} takes are computed there, directly, with images in vector lanes.
     */
    static Tensor convInputGrad(Tensor grad, Tensor weight, Conv c) {
        Tensor g = grad.contiguous();
        int rows = c.rows();
        int coutG = c.coutPerGroup();
        Tensor out;
        if (LaneInputGrad.applies(c)) {
            out = LaneInputGrad.compute(g, weight.contiguous(), c);
        } else {
            // W^T of each group, made contiguous once ([groups, rows, Cout / groups]) rather than packed per image.
            Tensor wt = weight.contiguous().view(c.groups, coutG, rows).mT().contiguous();
            out = Tensor.zeros(g.dtype(), c.inShape);
            forEachPart(c, c.forwardWork(), (from, to) -> inputGradImages(g, wt, c, out, from, to));
        }
        return record("convTranspose2d", out, in(grad, weight), in(grad, weight), (gg, node) -> in(
                node.needsGrad(0) ? convForward(gg, node.saved(1), c) : null,
                node.needsGrad(1) ? convWeightGrad(gg, node.saved(0), c) : null));
    }

    /** Images {@code [from, to)} of {@link #convInputGrad}, with buffers of their own, in grouped GEMMs. */
    private static void inputGradImages(Tensor g, Tensor wt, Conv c, Tensor out, int from, int to) {
        int per = c.imagesPerGemm(g.dtype());
        int l = c.positions();
        int ld = c.ld(per);
        int rows = c.rows();
        int coutG = c.coutPerGroup();
        Storage cols = c.columns(g.dtype(), per);
        Runs runs = c.runs(out.strides);
        // g's rows copied side by side into ld-wide rows (zero beyond) unless one image's rows are exactly g's
        Storage wide = per == 1 && ld == l ? null : Tensor.zeros(g.dtype(), c.cout * ld).storage;
        for (int n0 = from; n0 < to; n0 += per) {
            int images = Math.min(per, to - n0);
            int n = images == per ? ld : images * l;
            int gAt = g.offset + n0 * c.cout * l;
            if (wide != null) {
                for (int i = 0; i < images; i++) {
                    copyRows(g.storage, gAt + i * c.cout * l, l, wide, i * l, n, c.cout, l);
                }
            }
            for (int grp = 0; grp < c.groups; grp++) {
                gemm(rows, n, coutG, wt.storage, wt.offset + grp * rows * coutG, coutG, 1,
                        wide == null ? g.storage : wide, wide == null ? gAt + grp * coutG * l : grp * coutG * n, n, 1,
                        cols, grp * rows * n);
            }
            for (int i = 0; i < images; i++) {
                if (runs.canFold()) {
                    runs.fold(out.storage, (n0 + i) * out.strides[0], cols, i * l, n);
                } else {
                    runs.copy(out.storage, (n0 + i) * out.strides[0], cols, i * l, n, true);
                }
            }
        }
    }

    /**
     * The weight gradient sums its images in this many fixed, contiguous parts (each image by image, then the part
     * sums in order), whatever the number of threads, so that threads can take whole parts and the bits never
     * depend on how many there are.
     */
    static final int WEIGHT_GRAD_PARTS = 4;

    /**
     * {@code dW = sum_n g_n cols(x_n)^T} per group: the gradient of {@link #convForward} with respect to its weight,
     * {@code [Cout, Cin / groups, kh, kw]}; backward: an input gradient (for x) and a convolution (for g).
     * The sum runs over {@link #WEIGHT_GRAD_PARTS} fixed parts of the batch.
     */
    static Tensor convWeightGrad(Tensor x, Tensor grad, Conv c) {
        Tensor g = grad.contiguous();
        int batch = c.inShape[0];
        int parts = Math.max(1, Math.min(batch, WEIGHT_GRAD_PARTS));
        if (weightGradOnTiles(c)) {
            return record("conv2dWeightGrad", weightGradTiles(x, g, c, parts), in(x, grad), in(x, grad),
                    (gw, node) -> in(node.needsGrad(0) ? convInputGrad(node.saved(1), gw, c) : null,
                            node.needsGrad(1) ? convForward(node.saved(0), gw, c) : null));
        }
        GradImages whole = new GradImages() {
            @Override
            public int load(int n) {
                return g.offset + n * c.cout * c.positions();
            }

            @Override
            public Storage storage() {
                return g.storage;
            }
        };
        Tensor out = weightGradGemm(x, c, () -> whole);
        return record("conv2dWeightGrad", out, in(x, grad), in(x, grad), (gw, node) -> in(
                node.needsGrad(0) ? convInputGrad(node.saved(1), gw, c) : null,
                node.needsGrad(1) ? convForward(node.saved(0), gw, c) : null));
    }

    /** Where the weight gradient's GEMM path reads each image's output gradient: one instance per thread. */
    private interface GradImages {
        /** Makes image n's gradient {@code [Cout, positions]} readable in {@link #storage()}; returns its offset. */
        int load(int n);

        Storage storage();
    }

    /**
     * The weight gradient on the GEMM path: {@link #WEIGHT_GRAD_PARTS} fixed parts of the batch (threads take whole
     * parts: thread t the parts {@code [parts t / T, parts (t + 1) / T)}), each summed image by image, the parts added
     * in order; the images' gradients read through one {@code GradImages} per thread.
     */
    private static Tensor weightGradGemm(Tensor x, Conv c, Supplier<GradImages> perThread) {
        int batch = c.inShape[0];
        int parts = Math.max(1, Math.min(batch, WEIGHT_GRAD_PARTS));
        Tensor[] partSums = new Tensor[parts];
        forEachPart(parts, c.forwardWork(), (p0, p1) -> {
            // buffers per thread, shared by its parts
            Storage cols = c.columns(x.dtype());
            Storage part = Tensor.empty(x.dtype(), new int[] {c.rows() * c.coutPerGroup()}).storage;
            GradImages g = perThread.get();
            for (int p = p0; p < p1; p++) {
                partSums[p] = weightGradImages(x, g, c, batch * p / parts, batch * (p + 1) / parts, cols, part);
            }
        });
        Tensor sumT = partSums[0];
        for (int p = 1; p < parts; p++) {
            addRows(sumT.storage, 0, 0, partSums[p].storage, 0, 1, sumT.numel());
        }
        return sumT.mT().contiguous().view(c.weightShape());
    }

    /**
     * {@code sum_n cols_n g_n^T} over images {@code [from, to)} in order: {@code [groups, rows, Cout / groups]}; in the
     * calling thread's column buffer (padding entries zero) and GEMM output buffer.
     */
    private static Tensor weightGradImages(Tensor x, GradImages g, Conv c, int from, int to, Storage cols,
            Storage part) {
        int l = c.positions();
        int ld = c.ld();
        int rows = c.rows();
        int coutG = c.coutPerGroup();
        // Computed transposed, dW^T = sum_n cols_n g_n^T: the GEMM then reads the large column buffer in place as
        // its A operand and packs only the small g_n^T, where dW = g_n cols_n^T has it transpose-pack the columns
        // (LeNet's second layer: 3.8 against 5.0 ms a batch). One transpose of the sum at the end.
        Tensor sumT = Tensor.zeros(x.dtype(), c.groups, rows, coutG);
        Unfolder unfolder = new Unfolder(c, x);
        for (int n = from; n < to; n++) {
            unfolder.unfold(n, cols, ld);
            int gAt = g.load(n);
            for (int grp = 0; grp < c.groups; grp++) {
                gemm(rows, coutG, l, cols, grp * rows * ld, ld, 1, g.storage(), gAt + grp * coutG * l, 1, l, part,
                        0);
                addRows(sumT.storage, grp * rows * coutG, coutG, part, coutG, rows, coutG);
            }
        }
        return sumT;
    }

    /** im2col of one image at a time into a reused column buffer whose padding entries are zero and stay so. */
    private record Unfolder(Tensor x, Runs runs) {
        Unfolder(Conv c, Tensor x) {
            this(x, c.runs(x.strides));
        }

        /** Image n's columns into {@code cols} (row stride {@code ld}); padding entries are left as they are. */
        void unfold(int n, Storage cols, int ld) {
            unfold(n, cols, 0, ld);
        }

        /** As {@link #unfold(int, Storage, int)}, the columns starting at {@code colsAt} of each row. */
        void unfold(int n, Storage cols, int colsAt, int ld) {
            runs.copy(x.storage, x.offset + n * x.strides[0], cols, colsAt, ld, false);
        }
    }

    // ------------------------------------------------------------------------------------------------ tiles

    /*
     * The forward and the weight gradient without a column matrix: Kernels.convRows computes ten rows of a result
     * from ten consecutive input elements, with the other operand (W^T, or g^T) read as vectors of output channels.
     * Forward: the ten rows are ten positions of an output row (stride 1), read from the image itself (a
     * zero-bordered copy when there is padding), q runs over the taps (c, i, j). Weight gradient: the ten rows are
     * ten taps, read from a copy of the image laid out [oy][x][i][c] (x's rows oy sh + i dh side by side, channels
     * last, so that the taps (j, i, c) of one position are consecutive), q runs over the positions. Both sum in the GEMM's order, so
     * the bits are those of im2col and the GEMM: the forward cuts its taps into the GEMM's k blocks, the weight
     * gradient sums each image's positions as the per-image GEMM did, then adds the image to its part's sum.
     * This saves writing and packing a column matrix kh kw times the image (LeNet's second layer: im2col took a
     * fifth of its forward) and the weight gradient's per-image GEMM setup and row adds.
     */

    /** Whether the tiles serve convolutions at all; not final only so that tests can hold them to the GEMM path. */
    static boolean tilesEnabled = true;

    /**
     * Taps from which the forward runs on tiles: below, the transposed store of each image's output costs more than
     * im2col (LeNet's first layer, 25 taps). Not final only for tests.
     */
    static int forwardTilesMinRows = 64;

    static boolean forwardOnTiles(Conv c) {
        return tilesEnabled && c.groups == 1 && c.g.sw == 1 && c.ow >= Kernels.CONV_ROWS
                && c.rows() >= forwardTilesMinRows;
    }

    /**
     * Input channels from which the weight gradient runs on tiles: with fewer, its copies into the taps buffer go
     * element by element and g^T is long (LeNet's first layer, one channel and 784 positions: 1.3 ms more a batch
     * than the GEMM path). Not final only for tests.
     */
    static int weightGradTilesMinChannels = 8;

    static boolean weightGradOnTiles(Conv c) {
        return tilesEnabled && c.groups == 1 && c.g.dw == 1 && c.rows() >= Kernels.CONV_ROWS
                && c.inShape[1] >= weightGradTilesMinChannels;
    }

    /** Output channels rounded up to whole vectors (16 floats), the row length of W^T, g^T and the tile results. */
    private static int paddedCout(Conv c) {
        return (c.cout + 15) / 16 * 16;
    }

    /** {@code W^T [rows, paddedCout]}, zero beyond Cout, taps in (c, i, j) order. */
    private static Storage transposedWeight(Tensor w, Conv c) {
        int rows = c.rows();
        int ld = paddedCout(c);
        Storage wt = Tensor.zeros(w.dtype(), rows * ld).storage;
        transpose(w.storage, w.offset, rows, c.cout, rows, wt, 0, ld);
        return wt;
    }

    private static void convRows(Storage src, int base, int[] offsets, int from, int to, Storage w, int wOff, int ldw,
            int cols, Storage dst, int dOff, int ldd, boolean add) {
        if (src instanceof Storage.F32) {
            Pointwise.KERNELS.convRows(src.floats(), base, offsets, from, to, w.floats(), wOff, ldw, cols,
                    dst.floats(), dOff, ldd, add);
        } else {
            Pointwise.KERNELS.convRows(src.doubles(), base, offsets, from, to, w.doubles(), wOff, ldw, cols,
                    dst.doubles(), dOff, ldd, add);
        }
    }

    /**
     * Images {@code [from, to)} of {@link #convForward} on tiles: each output row in tiles of ten positions (a last
     * tile overlapping the one before it when the row is not a multiple of ten; it recomputes the same values),
     * each tile through the GEMM's k blocks, into {@code out^T [positions, paddedCout]}; then out^T transposed into
     * the image's output with the bias. With a {@code sink}, {@code out} holds one image, handed to the sink as
     * soon as it is written.
     */
    private static void forwardTiles(Tensor x, Storage wt, Tensor b, Conv c, Tensor out, int from, int to,
            boolean relu, ImageSink sink) {
        Geometry g = c.g;
        int rows = c.rows();
        int l = c.positions();
        int ld = paddedCout(c);
        int kc = Kernels.gemmKBlock(rows);
        int tile = Kernels.CONV_ROWS;
        int channels = c.inShape[1];
        int h = c.inShape[2];
        int w = c.inShape[3];
        boolean inPlace = g.ph == 0 && g.pw == 0 && x.isContiguous();
        int hp = h + 2 * g.ph;
        int wp = w + 2 * g.pw;
        int[] offsets = new int[rows];
        for (int ch = 0, k = 0; ch < channels; ch++) {
            for (int i = 0; i < g.kh; i++) {
                for (int j = 0; j < g.kw; j++) offsets[k++] = (ch * hp + i * g.dh) * wp + j * g.dw;
            }
        }
        Storage padded = inPlace ? null : Tensor.zeros(x.dtype(), channels * hp * wp).storage;
        Storage outT = Tensor.empty(x.dtype(), new int[] {l * ld}).storage;
        for (int n = from; n < to; n++) {
            Storage src = inPlace ? x.storage : padded;
            int image = inPlace ? x.offset + n * channels * h * w : 0;
            if (!inPlace) {
                copyInto(x, n, padded, g.ph, g.pw, hp, wp);
            }
            for (int oy = 0; oy < c.oh; oy++) {
                for (int ox = 0; ox < c.ow; ox += tile) {
                    int x0 = Math.min(ox, c.ow - tile);
                    int base = image + oy * g.sh * wp + x0;
                    for (int k0 = 0; k0 < rows; k0 += kc) {
                        convRows(src, base, offsets, k0, Math.min(rows, k0 + kc), wt, 0, ld, ld, outT,
                                (oy * c.ow + x0) * ld, ld, k0 > 0);
                    }
                }
            }
            int slot = sink == null ? n : 0;
            storeTransposed(outT, ld, out.storage, slot * c.cout * l, c.cout, l, b);
            if (relu) {
                reluInPlace(out.storage, slot * c.cout * l, c.cout * l);
            }
            if (sink != null) {
                sink.accept(n, 1);
            }
        }
    }

    /** Image n of x into the interior of a zero-bordered {@code [C, hp, wp]} buffer (borders never written). */
    private static void copyInto(Tensor x, int n, Storage to, int ph, int pw, int hp, int wp) {
        int[] st = x.strides;
        for (int ch = 0; ch < x.shape[1]; ch++) {
            for (int y = 0; y < x.shape[2]; y++) {
                int src = x.offset + n * st[0] + ch * st[1] + y * st[2];
                int dst = (ch * hp + y + ph) * wp + pw;
                if (to instanceof Storage.F32) {
                    float[] s = x.storage.floats();
                    float[] d = to.floats();
                    for (int i = 0; i < x.shape[3]; i++) d[dst + i] = s[src + i * st[3]];
                } else {
                    double[] s = x.storage.doubles();
                    double[] d = to.doubles();
                    for (int i = 0; i < x.shape[3]; i++) d[dst + i] = s[src + i * st[3]];
                }
            }
        }
    }

    /** {@code out[at + co l + p] = outT[p ld + co] (+ bias[co])} for co < cout, p < l. */
    private static void storeTransposed(Storage outT, int ld, Storage out, int at, int cout, int l, Tensor bias) {
        transpose(outT, 0, ld, l, cout, out, at, l);
        if (bias != null) {
            addRowConstants(out, at, l, cout, bias.storage, bias.offset);
        }
    }

    /** {@code dst[dOff + j ldd + i] = src[sOff + i lds + j]}, {@code i < rows, j < cols}. */
    private static void transpose(Storage src, int sOff, int lds, int rows, int cols, Storage dst, int dOff, int ldd) {
        if (src instanceof Storage.F32) {
            Pointwise.KERNELS.transpose(src.floats(), sOff, lds, rows, cols, dst.floats(), dOff, ldd);
        } else {
            Pointwise.KERNELS.transpose(src.doubles(), sOff, lds, rows, cols, dst.doubles(), dOff, ldd);
        }
    }

    /**
     * {@link #convWeightGrad} on tiles: the parts of the batch as the GEMM path's (threads take whole parts), each
     * part's sum {@code [taps rounded up to ten, paddedCout]} in (j, i, c) tap order, the parts added in order, then
     * laid out as the weight.
     */
    private static Tensor weightGradTiles(Tensor x, Tensor g, Conv c, int parts) {
        int batch = c.inShape[0];
        Storage[] partSums = new Storage[parts];
        forEachPart(parts, c.forwardWork(), (p0, p1) -> {
            TapImage taps = new TapImage(x, g, c);
            for (int p = p0; p < p1; p++) {
                partSums[p] = taps.sum(batch * p / parts, batch * (p + 1) / parts);
            }
        });
        Storage sum = partSums[0];
        int len = TapImage.rowsPadded(c) * paddedCout(c);
        for (int p = 1; p < parts; p++) addRows(sum, 0, 0, partSums[p], 0, 1, len);
        Tensor out = Tensor.empty(x.dtype(), c.weightShape());
        int ld = paddedCout(c);
        int channels = c.inShape[1];
        Geometry geo = c.g;
        for (int co = 0, d = 0; co < c.cout; co++) {
            for (int ch = 0; ch < channels; ch++) {
                for (int i = 0; i < geo.kh; i++) {
                    for (int j = 0; j < geo.kw; j++, d++) {
                        int t = TapImage.tapRow(c, ch, i, j);
                        if (sum instanceof Storage.F32) {
                            out.storage.floats()[d] = sum.floats()[t * ld + co];
                        } else {
                            out.storage.doubles()[d] = sum.doubles()[t * ld + co];
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * One thread's buffers of the weight gradient on tiles. Image n first goes channels-last into a zero-bordered
     * {@code [hp][wp][C]} copy, then into the taps buffer {@code [oy][x][i][C]} (for each output row oy, input rows
     * {@code oy sh + i dh} side by side, C channels at a time), so that tap (j, i, c) of output position (oy, ox) is
     * at {@code (oy wp + ox sw) kh C + (j kh + i) C + c}: the taps of one position are consecutive (horizontal
     * dilation 1). g_n goes transposed into {@code [positions, paddedCout]}.
     */
    private static final class TapImage {
        final Tensor x;
        final Tensor g;
        final Conv c;
        final int hp;
        final int wp;
        final int[] positions;
        final Storage channelsLast;
        final Storage taps;
        final Storage gt;
        final Storage tile;

        TapImage(Tensor x, Tensor g, Conv c) {
            this.x = x;
            this.g = g;
            this.c = c;
            hp = c.inShape[2] + 2 * c.g.ph;
            wp = c.inShape[3] + 2 * c.g.pw;
            int perPosition = c.inShape[1] * c.g.kh;
            positions = new int[c.positions()];
            for (int oy = 0; oy < c.oh; oy++) {
                for (int ox = 0; ox < c.ow; ox++) positions[oy * c.ow + ox] = (oy * wp + ox * c.g.sw) * perPosition;
            }
            channelsLast = Tensor.zeros(x.dtype(), hp * wp * c.inShape[1]).storage;
            // the last tile reads up to nine taps past the last position's (its rows beyond the taps are discarded)
            taps = Tensor.zeros(x.dtype(), c.oh * wp * perPosition + Kernels.CONV_ROWS).storage;
            gt = Tensor.zeros(x.dtype(), c.positions() * paddedCout(c)).storage;
            tile = Tensor.empty(x.dtype(), new int[] {Kernels.CONV_ROWS * paddedCout(c)}).storage;
        }

        static int rowsPadded(Conv c) {
            return (c.rows() + Kernels.CONV_ROWS - 1) / Kernels.CONV_ROWS * Kernels.CONV_ROWS;
        }

        /** Row of the sums that holds tap (ch, i, j). */
        static int tapRow(Conv c, int ch, int i, int j) {
            return (j * c.g.kh + i) * c.inShape[1] + ch;
        }

        /** {@code sum_n cols_n g_n^T} over images {@code [from, to)}, image by image, in a fresh zeroed buffer. */
        Storage sum(int from, int to) {
            int ld = paddedCout(c);
            int l = c.positions();
            int kc = Kernels.gemmKBlock(l);
            int rows = rowsPadded(c);
            Storage sum = Tensor.zeros(x.dtype(), rows * ld).storage;
            for (int n = from; n < to; n++) {
                load(n);
                for (int t0 = 0; t0 < rows; t0 += Kernels.CONV_ROWS) {
                    if (kc >= l) {
                        convRows(taps, t0, positions, 0, l, gt, 0, ld, ld, sum, t0 * ld, ld, true);
                    } else {
                        // the image's own sum first, in the GEMM's position blocks, then added (the GEMM path's bits)
                        for (int p0 = 0; p0 < l; p0 += kc) {
                            convRows(taps, t0, positions, p0, Math.min(l, p0 + kc), gt, 0, ld, ld, tile, 0, ld,
                                    p0 > 0);
                        }
                        addRows(sum, t0 * ld, 0, tile, 0, 1, Kernels.CONV_ROWS * ld);
                    }
                }
            }
            return sum;
        }

        /** Image n's taps and its output gradient transposed into the buffers. */
        void load(int n) {
            Geometry geo = c.g;
            int channels = c.inShape[1];
            int h = c.inShape[2];
            int w = c.inShape[3];
            int[] st = x.strides;
            boolean f = taps instanceof Storage.F32;
            Object cl = f ? channelsLast.floats() : channelsLast.doubles();
            int image = x.offset + n * st[0];
            if (st[3] == 1 && st[2] == w && geo.pw == 0) {
                // whole planes: [C, h w] -> [h w, C] below the top border
                transpose(x.storage, image, st[1], channels, h * w, channelsLast, geo.ph * wp * channels, channels);
            } else if (st[3] == 1) {
                for (int y = 0; y < h; y++) {
                    transpose(x.storage, image + y * st[2], st[1], channels, w, channelsLast,
                            ((y + geo.ph) * wp + geo.pw) * channels, channels);
                }
            } else {
                copyChannelsLast(n, cl);
            }
            Object t = f ? taps.floats() : taps.doubles();
            int step = geo.kh * channels;
            for (int oy = 0; oy < c.oh; oy++) {
                for (int i = 0; i < geo.kh; i++) {
                    int from = (oy * geo.sh + i * geo.dh) * wp * channels;
                    int to = (oy * wp * geo.kh + i) * channels;
                    if (channels >= 8) {
                        for (int xp = 0; xp < wp; xp++) {
                            System.arraycopy(cl, from + xp * channels, t, to + xp * step, channels);
                        }
                    } else if (f) {
                        copyStrided((float[]) cl, from, (float[]) t, to, wp, channels, step);
                    } else {
                        copyStrided((double[]) cl, from, (double[]) t, to, wp, channels, step);
                    }
                }
            }
            int ld = paddedCout(c);
            int l = c.positions();
            transpose(g.storage, g.offset + n * c.cout * l, l, c.cout, l, gt, 0, ld);
        }

        /** Image n into the channels-last buffer element by element (an input whose rows are not contiguous). */
        private void copyChannelsLast(int n, Object cl) {
            Geometry geo = c.g;
            int channels = c.inShape[1];
            int h = c.inShape[2];
            int w = c.inShape[3];
            int[] st = x.strides;
            boolean f = taps instanceof Storage.F32;
            for (int ch = 0; ch < channels; ch++) {
                for (int y = 0; y < h; y++) {
                    int src = x.offset + n * st[0] + ch * st[1] + y * st[2];
                    int dst = ((y + geo.ph) * wp + geo.pw) * channels + ch;
                    if (f) {
                        float[] s = x.storage.floats();
                        float[] d = (float[]) cl;
                        for (int k = 0; k < w; k++) d[dst + k * channels] = s[src + k * st[3]];
                    } else {
                        double[] s = x.storage.doubles();
                        double[] d = (double[]) cl;
                        for (int k = 0; k < w; k++) d[dst + k * channels] = s[src + k * st[3]];
                    }
                }
            }
        }

        /** {@code count} runs of {@code len}: {@code to[at + r step ..] = from[from0 + r len ..]}. */
        private static void copyStrided(float[] from, int from0, float[] to, int at, int count, int len, int step) {
            for (int r = 0; r < count; r++) {
                for (int e = 0; e < len; e++) to[at + r * step + e] = from[from0 + r * len + e];
            }
        }

        private static void copyStrided(double[] from, int from0, double[] to, int at, int count, int len,
                int step) {
            for (int r = 0; r < count; r++) {
                for (int e = 0; e < len; e++) to[at + r * step + e] = from[from0 + r * len + e];
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ threads

    /**
     * Threads for a convolution's images: as many as the GEMM may use ({@code -Dgrad4j.gemm.threads}, default the
     * processor count, at most the common pool's parallelism plus the caller, as for the GEMM). Not final only so that tests can
     * compare thread counts in one JVM.
     */
    static int threads = Math.max(1, Integer.getInteger("grad4j.gemm.threads",
            Math.min(Runtime.getRuntime().availableProcessors(), ForkJoinPool.getCommonPoolParallelism() + 1)));

    /**
     * Multiply-adds from which a convolution's images are split across threads: 2^22, about 50 us on one core, well
     * above the tens of microseconds waking a parked helper thread costs (LeNet's layers: 10-80 times more).
     * Not final only for tests.
     */
    static long minParallelWork = 1L << 22;

    /** Runs {@code body(from, to)} over the images of {@code c}, split into contiguous ranges across threads. */
    private static void forEachPart(Conv c, long work, PartBody body) {
        forEachPart(c.inShape[0], work, body);
    }

    /**
     * {@code body(from, to)} over {@code [0, count)}: on the calling thread, or in contiguous ranges, one per
     * thread, claimed by the caller and grad4j's helper threads ({@code ParallelParts.split}). Each range writes only its own
     * part of the result, so nothing depends on which thread runs what.
     */
    static void forEachPart(int count, long work, PartBody body) {
        ParallelParts.split(count, work < minParallelWork ? 1 : Math.min(threads, count), body::run);
    }

    @FunctionalInterface
    interface PartBody {
        void run(int from, int to);
    }

    /** Receives the images {@code [n0, n0 + count)} of a forward as soon as they are written (see forwardImages). */
    @FunctionalInterface
    private interface ImageSink {
        void accept(int n0, int count);
    }

    /** {@code count} rows of {@code len}: {@code to[at + r toStride ..] = from[from0 + r fromStride ..]}. */
    private static void copyRows(Storage from, int from0, int fromStride, Storage to, int at, int toStride, int count,
            int len) {
        Object src = from instanceof Storage.F32 ? from.floats() : from.doubles();
        Object dst = from instanceof Storage.F32 ? to.floats() : to.doubles();
        for (int r = 0; r < count; r++) System.arraycopy(src, from0 + r * fromStride, dst, at + r * toStride, len);
    }

    /** {@code count} rows of {@code len}: {@code dst[at + r dstStride ..] += src[r srcStride ..]}. */
    private static void addRows(Storage dst, int at, int dstStride, Storage src, int srcStride, int count, int len) {
        for (int r = 0; r < count; r++) {
            int d = at + r * dstStride;
            int s = r * srcStride;
            if (dst instanceof Storage.F32) {
                float[] to = dst.floats();
                float[] from = src.floats();
                for (int i = 0; i < len; i++) to[d + i] += from[s + i];
            } else {
                double[] to = dst.doubles();
                double[] from = src.doubles();
                for (int i = 0; i < len; i++) to[d + i] += from[s + i];
            }
        }
    }

    /** Adds {@code b[b0 + r]} to row r of {@code count} contiguous rows of {@code len} at {@code at}. */
    private static void addRowConstants(Storage out, int at, int len, int count, Storage b, int b0) {
        for (int r = 0; r < count; r++) {
            int d = at + r * len;
            if (out instanceof Storage.F32) {
                float[] o = out.floats();
                float v = b.floats()[b0 + r];
                for (int i = 0; i < len; i++) o[d + i] += v;
            } else {
                double[] o = out.doubles();
                double v = b.doubles()[b0 + r];
                for (int i = 0; i < len; i++) o[d + i] += v;
            }
        }
    }

    private static void gemm(int m, int n, int k, Storage a, int aOff, int aRs, int aCs, Storage b, int bOff, int bRs,
            int bCs, Storage c, int cOff) {
        if (a instanceof Storage.F32) {
            Pointwise.KERNELS.gemm(m, n, k, a.floats(), aOff, aRs, aCs, b.floats(), bOff, bRs, bCs, c.floats(), cOff);
        } else {
            Pointwise.KERNELS.gemm(m, n, k, a.doubles(), aOff, aRs, aCs, b.doubles(), bOff, bRs, bCs, c.doubles(),
                    cOff);
        }
    }

    /**
     * {@code x [N, Cin, H, W]}, {@code weight [Cout, Cin / groups, kh, kw]}, optional {@code bias [Cout]} ->
     * {@code [N, Cout, oh, ow]}, with {@code relu} followed by ReLU. Validated by the caller ({@link Tensor#conv2d}).
     */
    static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, Geometry g, int groups, boolean relu) {
        int cout = weight.shape[0];
        Conv c = new Conv(x.shape.clone(), cout, groups, g, g.outH(x.shape[2]), g.outW(x.shape[3]));
        return convForward(x, weight, bias, c, relu);
    }

    /**
     * {@code x [N, Cin, H, W]}, {@code weight [Cin, Cout / groups, kh, kw]} -> {@code [N, Cout, oh, ow]} with
     * {@code oh = (H - 1) sh - 2 ph + dh (kh - 1) + outputPadding + 1}: the gradient of {@link #conv2d} with respect
     * to its input, as {@code torch.nn.functional.conv_transpose2d}.
     */
    static Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias, Geometry g, int groups, int[] outShape) {
        // x is read as the output gradient of the convolution that this one transposes: outShape -> x's shape.
        Conv c = new Conv(outShape, x.shape[1], groups, g, x.shape[2], x.shape[3]);
        Tensor out = convInputGrad(x, weight, c);
        return bias == null ? out : out.add(bias.view(outShape[1], 1, 1));
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
        return conv2dChecked("conv2d", x, weight, bias, stride, padding, dilation, groups, false);
    }

    /**
     * {@code relu(conv2d(...))} ({@link #convForward(Tensor, Tensor, Tensor, Conv, boolean)}); with anomaly
     * detection on, the two ops unfused, so that its checks name the op that made a NaN.
     */
    static Tensor conv2dReluChecked(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding,
            int[] dilation, int groups) {
        if (AnomalyMode.isEnabled()) {
            return conv2dChecked("conv2dRelu", x, weight, bias, stride, padding, dilation, groups, false).relu();
        }
        return conv2dChecked("conv2dRelu", x, weight, bias, stride, padding, dilation, groups, true);
    }

    /**
     * {@code relu(conv2d(...)).maxPool2d(...)} ({@link #convReluPoolForward}); with anomaly detection on, the ops
     * unfused, so that its checks name the op that made a NaN.
     */
    static Tensor conv2dReluMaxPool2dChecked(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding,
            int[] dilation, int groups, int[] kernelSize, int[] poolStride, int[] poolPadding, int[] poolDilation,
            boolean ceilMode) {
        String op = "conv2dReluMaxPool2d";
        if (AnomalyMode.isEnabled()) {
            return conv2dChecked(op, x, weight, bias, stride, padding, dilation, groups, false).relu()
                    .maxPool2d(kernelSize, poolStride, poolPadding, poolDilation, ceilMode);
        }
        Conv c = checkedConv(op, x, weight, bias, stride, padding, dilation, groups);
        Geometry pool = Pooling.geometry(op, kernelSize, poolStride, pair(op, "poolPadding", poolPadding),
                pair(op, "poolDilation", poolDilation));
        int oh = Pooling.outSize(c.oh, pool.kh, pool.sh, pool.ph, pool.dh, ceilMode);
        int ow = Pooling.outSize(c.ow, pool.kw, pool.sw, pool.pw, pool.dw, ceilMode);
        if (oh <= 0 || ow <= 0) {
            throw new ShapeMismatchException(op + ": the convolution's output of shape " + Shapes.str(c.outShape())
                    + " is too small for the pooling's kernel " + pool.kh + "x" + pool.kw + " with dilation "
                    + pool.dh + "x" + pool.dw + " and padding " + pool.ph + "x" + pool.pw + " (output would be "
                    + oh + "x" + ow + ")");
        }
        return convReluPoolForward(x, weight, bias, c, Pooling.taps(c.oh, pool.kh, pool.sh, pool.ph, pool.dh, oh),
                Pooling.taps(c.ow, pool.kw, pool.sw, pool.pw, pool.dw, ow));
    }

    private static Tensor conv2dChecked(String op, Tensor x, Tensor weight, Tensor bias, int[] stride,
            int[] padding, int[] dilation, int groups, boolean relu) {
        return convForward(x, weight, bias, checkedConv(op, x, weight, bias, stride, padding, dilation, groups), relu);
    }

    /** A convolution's shapes from validated arguments (the checks of {@code conv2d}, naming {@code op}). */
    private static Conv checkedConv(String op, Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding,
            int[] dilation, int groups) {
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
        return new Conv(x.shape.clone(), cout, groups, g, g.outH(x.shape[2]), g.outW(x.shape[3]));
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
        return im2col(x, g, oh, ow);
    }
}
