package org.grad4j.core;

/**
 * A convolution's input gradient computed directly, with the images of the batch in vector lanes:
 * {@code dx[n, c, y, x] = sum over the taps (i, j) that reach (y, x) and over co of w[co, c, i, j] g[n, co, oy, ox]}.
 * A block of {@link #lanes} images is interleaved (element e of image l at {@code e lanes + l}), so every image of the
 * block sees the same taps and a vector of lanes meets no edge: the kernel visits exactly the taps inside the output,
 * with no zero padding and no masks, one fused multiply-add per tap and output channel
 * ({@code Kernels.convInputGradLanes}), then the block is interleaved back to NCHW.
 *
 * <p>Why not the GEMM of {@link Convolution#convInputGrad} ({@code col2im(W^T g)}): its k is only {@code Cout}
 * (LeNet's second layer: 32), and the column matrix it writes (400 rows of the image's positions) must then be summed
 * back tap by tap into the image, which cost as much as a third of the GEMM (LeNet's second layer at batch 64, one
 * core, by thread CPU time under load: 3.0 ms for the GEMM path, of which 0.65 ms the fold).
 *
 * <p>Each element is one chain of fmas from +0.0 in a fixed order (row taps, then column taps, then co), computed by
 * one lane whatever the other lanes hold, so the bits do not depend on the block, the thread or the vector width;
 * they differ from the GEMM path's (a sum over co per tap, then the taps added).
 */
final class LaneInputGrad {
    private LaneInputGrad() {
    }

    /**
     * Images interleaved in one block: 64 bytes' worth of elements twice (16 floats or 8 doubles in each of two 512-bit
     * vectors), independent of the machine's vector width so that the blocks, and the work per thread, are too.
     */
    static int lanes(DType dtype) {
        return dtype == DType.FLOAT64 ? 16 : 32;
    }

    /**
     * Whether {@link #compute} serves this convolution: at least 16 images (half a float block: fewer leave most
     * lanes idle) and input channels per group in whole blocks of eight (the kernel's register block; others would
     * run on its scalar remainder loop). Depends on shapes only, so a given shape always takes the same path.
     */
    static boolean applies(Convolution.Conv c) {
        return c.inShape()[0] >= 16 && c.cinPerGroup() % 8 == 0;
    }

    /**
     * {@code dx [N, Cin, H, W]} for a contiguous {@code g [N, Cout, oh, ow]} and a contiguous weight
     * {@code [Cout, Cin / groups, kh, kw]}.
     */
    static Tensor compute(Tensor g, Tensor weight, Convolution.Conv c) {
        int lanes = lanes(g.dtype());
        Taps taps = new Taps(c, lanes);
        Storage wt = transposedWeight(weight, c);
        Tensor out = Tensor.empty(g.dtype(), c.inShape());
        int batch = c.inShape()[0];
        int blocks = (batch + lanes - 1) / lanes;
        Convolution.forEachPart(blocks, c.forwardWork(), (b0, b1) -> {
            int gLen = c.cout() * c.oh() * c.ow();
            int dxLen = c.inShape()[1] * c.inShape()[2] * c.inShape()[3];
            Storage gt = Tensor.empty(g.dtype(), new int[] {gLen * lanes}).storage;
            Storage dxt = Tensor.empty(g.dtype(), new int[] {dxLen * lanes}).storage;
            for (int b = b0; b < b1; b++) {
                int n0 = b * lanes;
                int count = Math.min(lanes, batch - n0);
                interleave(g.storage, g.offset + n0 * gLen, gLen, count, gt, lanes);
                block(gt, wt, dxt, c, taps, count, lanes);
                deinterleave(dxt, dxLen, count, out.storage, n0 * dxLen, lanes);
            }
        });
        return out;
    }

    /** One block's groups through the kernel. */
    private static void block(Storage gt, Storage wt, Storage dxt, Convolution.Conv c, Taps taps, int count,
            int lanes) {
        int coutG = c.coutPerGroup();
        int cinG = c.cinPerGroup();
        int h = c.inShape()[2];
        int w = c.inShape()[3];
        int gPlane = c.oh() * c.ow() * lanes;
        for (int grp = 0; grp < c.groups(); grp++) {
            int gOff = grp * coutG * gPlane;
            int wOff = grp * c.g().kh() * c.g().kw() * coutG * cinG;
            int dxOff = grp * cinG * h * w * lanes;
            if (gt instanceof Storage.F32) {
                Pointwise.KERNELS.convInputGradLanes(gt.floats(), gOff, gPlane, wt.floats(), wOff, coutG, cinG,
                        taps.rowStart, taps.rowG, taps.rowW, taps.colStart, taps.colG, taps.colW, dxt.floats(), dxOff,
                        h, w, count, lanes);
            } else {
                Pointwise.KERNELS.convInputGradLanes(gt.doubles(), gOff, gPlane, wt.doubles(), wOff, coutG, cinG,
                        taps.rowStart, taps.rowG, taps.rowW, taps.colStart, taps.colG, taps.colW, dxt.doubles(),
                        dxOff, h, w, count, lanes);
            }
        }
    }

    /**
     * The weight {@code [groups Cout/groups, Cin/groups, kh, kw]} as {@code [groups, kh, kw, Cout/groups, Cin/groups]}:
     * for a tap and an output channel, the input channels of a kernel register block are adjacent.
     */
    private static Storage transposedWeight(Tensor weight, Convolution.Conv c) {
        int coutG = c.coutPerGroup();
        int cinG = c.cinPerGroup();
        int kh = c.g().kh();
        int kw = c.g().kw();
        Storage out = Tensor.empty(weight.dtype(), new int[] {c.cout() * cinG * kh * kw}).storage;
        boolean f = weight.storage instanceof Storage.F32;
        int at = weight.offset;
        for (int grp = 0; grp < c.groups(); grp++) {
            for (int co = 0; co < coutG; co++) {
                for (int ci = 0; ci < cinG; ci++) {
                    for (int i = 0; i < kh; i++) {
                        for (int j = 0; j < kw; j++, at++) {
                            int to = (((grp * kh + i) * kw + j) * coutG + co) * cinG + ci;
                            if (f) {
                                out.floats()[to] = weight.storage.floats()[at];
                            } else {
                                out.doubles()[to] = weight.storage.doubles()[at];
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    /** {@code dst[e lanes + l] = src[from + l len + e]} for the {@code count} images l of a block. */
    private static void interleave(Storage src, int from, int len, int count, Storage dst, int lanes) {
        if (src instanceof Storage.F32) {
            Pointwise.KERNELS.transpose(src.floats(), from, len, count, len, dst.floats(), 0, lanes);
        } else {
            Pointwise.KERNELS.transpose(src.doubles(), from, len, count, len, dst.doubles(), 0, lanes);
        }
    }

    /** {@code dst[to + l len + e] = src[e lanes + l]} for the {@code count} images l of a block. */
    private static void deinterleave(Storage src, int len, int count, Storage dst, int to, int lanes) {
        if (src instanceof Storage.F32) {
            Pointwise.KERNELS.transpose(src.floats(), 0, lanes, len, count, dst.floats(), to, len);
        } else {
            Pointwise.KERNELS.transpose(src.doubles(), 0, lanes, len, count, dst.doubles(), to, len);
        }
    }

    /**
     * For each input row y, the row taps i that reach it (ascending), with their output row's offset into the
     * interleaved g ({@code oy ow lanes}) and their offset into the transposed weight ({@code i kw Cout/groups
     * Cin/groups}); the same for columns. A tap reaches y when {@code y + ph - i dh} is a multiple of the stride
     * whose quotient oy is an output row.
     */
    private record Taps(int[] rowStart, int[] rowG, int[] rowW, int[] colStart, int[] colG, int[] colW) {
        Taps(Convolution.Conv c, int lanes) {
            this(new int[c.inShape()[2] + 1], new int[c.inShape()[2] * c.g().kh()],
                    new int[c.inShape()[2] * c.g().kh()], new int[c.inShape()[3] + 1],
                    new int[c.inShape()[3] * c.g().kw()], new int[c.inShape()[3] * c.g().kw()]);
            Convolution.Geometry g = c.g();
            int block = c.coutPerGroup() * c.cinPerGroup();
            fill(rowStart, rowG, rowW, c.inShape()[2], g.kh(), g.sh(), g.ph(), g.dh(), c.oh(), c.ow() * lanes,
                    g.kw() * block);
            fill(colStart, colG, colW, c.inShape()[3], g.kw(), g.sw(), g.pw(), g.dw(), c.ow(), lanes, block);
        }

        private static void fill(int[] start, int[] gAt, int[] wAt, int size, int k, int stride, int pad,
                int dilation, int out, int gStep, int wStep) {
            int n = 0;
            for (int y = 0; y < size; y++) {
                start[y] = n;
                for (int i = 0; i < k; i++) {
                    int t = y + pad - i * dilation;
                    if (t >= 0 && t % stride == 0 && t / stride < out) {
                        gAt[n] = t / stride * gStep;
                        wAt[n] = i * wStep;
                        n++;
                    }
                }
            }
            start[size] = n;
        }
    }
}
