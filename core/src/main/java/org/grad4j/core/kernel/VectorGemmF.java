package org.grad4j.core.kernel;

import java.util.Arrays;
import java.util.concurrent.ForkJoinTask;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Packed, cache-blocked float GEMM on the Vector API: {@code C = A B}, C contiguous row-major with row stride
 * {@code ldc}. {@link VectorGemmD} is its double twin, kept line for line in sync.
 *
 * <p>Loops (Goto/BLIS order): columns in blocks of {@link #NC}; k in balanced blocks of at most {@link #KC}; B's
 * {@code kc x nc} block is packed into column panels {@link #NR} wide (zero-padded, so the micro-kernel never
 * branches on n), then rows in blocks of at most {@link #MC}; each {@code MR x NR} tile of C is one micro-kernel
 * call that keeps the tile in 16 vector registers and does {@code MR x NR/L} FMAs per k step.
 *
 * <p>A is not packed when its rows are contiguous (a row-major activation, the common case): the micro-kernel
 * broadcasts straight from MR row streams, which the hardware prefetchers follow, and the block of A is reused from
 * L2 across B panels. Other layouts of A (transposed views in backward passes, general strides) are packed into a
 * row-major {@code mc x kc} block first. Packing B absorbs B's strides: a row-major B is copied with vector loads, a
 * transposed B (a Linear layer's {@code W^T}) is transposed into the panels, so no caller ever copies.
 *
 * <p>Edges: rows past m reuse the last valid row of A (valid memory, results discarded), columns past n read the
 * zero padding; partial tiles are written through a small tile buffer, so any m, n, k (including 0 and 1) works.
 */
final class VectorGemmF {
    private VectorGemmF() {
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Micro-tile rows: 8 rows x 2 vectors = 16 accumulators + 2 B vectors + 1 broadcast fit in 32 zmm registers. */
    static final int MR = 8;
    /** Micro-tile columns: two vectors, so each broadcast of A feeds two FMAs and loads stay below FMAs. */
    static final int NR = 2 * L;
    /** k block: a B micro-panel {@code KC x NR} (32 KB for floats at 512 bits) stays in a 48 KB L1 across row tiles. */
    static final int KC = 256;
    /** Row block: an {@code MC x KC} block of A (256 KB) stays in the 1-2 MB L2 across the B panels. */
    static final int MC = 256;
    /** Column block: a packed {@code KC x NC} block of B (2 MB) sits in L3; also bounds the scratch buffer. */
    static final int NC = 2048;

    private static final class Scratch {
        float[] a = new float[0];
        float[] b = new float[0];
        final float[] tile = new float[MR * NR];
        private int[] index = new int[0];
        private int indexStride = -1;

        /** {@code {0, stride, 2 stride, ...}}, at least {@code count} long, for gathers; kept while stride holds. */
        int[] gatherIndex(int stride, int count) {
            if (indexStride != stride || index.length < count) {
                index = new int[Math.max(count, NR)];
                for (int i = 0; i < index.length; i++) index[i] = i * stride;
                indexStride = stride;
            }
            return index;
        }

        float[] a(int size) {
            if (a.length < size) a = new float[size];
            return a;
        }

        float[] b(int size) {
            if (b.length < size) b = new float[size];
            return b;
        }
    }

    /** Per thread, grown on demand: a fresh buffer per call would cost a zeroed allocation of up to 2 MB. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    static void gemm(int m, int n, int k, float[] a, int aOff, int aRs, int aCs,
                     float[] b, int bOff, int bRs, int bCs, float[] c, int cOff) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            Arrays.fill(c, cOff, cOff + m * n, 0f);
            return;
        }
        int threads = GemmThreads.COUNT;
        if (threads > 1 && (long) m * n * k >= GemmThreads.MIN_WORK) {
            // Parts of C, one per thread: the first on the calling thread, the others forked to the common pool.
            // Each part packs its own panels in its own thread's scratch, so nothing is shared and the result does
            // not depend on which thread runs which part (or on whether the pool runs anything at all). The split
            // is along whichever of n and m has more micro-tiles, so parts stay whole tiles.
            boolean splitN = (n + NR - 1) / NR >= (m + MR - 1) / MR;
            int unit = splitN ? NR : MR;
            int units = ((splitN ? n : m) + unit - 1) / unit;
            int parts = Math.min(threads, units);
            if (parts > 1) {
                int extent = splitN ? n : m;
                ForkJoinTask<?>[] others = new ForkJoinTask<?>[parts - 1];
                for (int t = parts - 1; t >= 0; t--) {
                    int from = Math.min(extent, units * t / parts * unit);
                    int to = Math.min(extent, units * (t + 1) / parts * unit);
                    int len = to - from;
                    Runnable part = splitN
                            ? () -> multiply(m, len, k, a, aOff, aRs, aCs, b, bOff + from * bCs, bRs, bCs, c,
                                    cOff + from, n)
                            : () -> multiply(len, n, k, a, aOff + from * aRs, aRs, aCs, b, bOff, bRs, bCs, c,
                                    cOff + from * n, n);
                    if (t > 0) {
                        others[t - 1] = ForkJoinTask.adapt(part).fork();
                    } else {
                        part.run();
                    }
                }
                for (ForkJoinTask<?> other : others) other.join();
                return;
            }
        }
        multiply(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, n);
    }

    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    private static void multiply(int m, int n, int k, float[] a, int aOff, int aRs, int aCs,
                                 float[] b, int bOff, int bRs, int bCs, float[] c, int cOff, int ldc) {
        Scratch s = SCRATCH.get();
        // Balanced blocks: k = 784 runs as 4 x 196 rather than 3 x 256 + 16, so no block is mostly overhead.
        int kBlocks = (k + KC - 1) / KC;
        int kcMax = (k + kBlocks - 1) / kBlocks;
        int mBlocks = (m + MC - 1) / MC;
        int mcMax = roundUp((m + mBlocks - 1) / mBlocks, MR);
        boolean directA = aCs == 1;
        float[] bp = s.b(kcMax * roundUp(Math.min(n, NC), NR));
        float[] ap = directA ? null : s.a(Math.min(mcMax, m) * kcMax);
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += kcMax) {
                int kc = Math.min(kcMax, k - pc);
                packB(kc, nc, b, bOff + pc * bRs + jc * bCs, bRs, bCs, bp, s);
                for (int ic = 0; ic < m; ic += mcMax) {
                    int mc = Math.min(mcMax, m - ic);
                    if (directA) {
                        block(mc, nc, kc, a, aOff + ic * aRs + pc, aRs, bp, c, cOff + ic * ldc + jc, ldc, pc > 0,
                                s.tile);
                    } else {
                        packA(mc, kc, a, aOff + ic * aRs + pc * aCs, aRs, aCs, ap, s);
                        block(mc, nc, kc, ap, 0, kc, bp, c, cOff + ic * ldc + jc, ldc, pc > 0, s.tile);
                    }
                }
            }
        }
    }

    /**
     * B's {@code kc x nc} block into panels: panel {@code jr} (a multiple of NR) starts at {@code jr * kc} and holds
     * {@code kc} rows of {@code w} floats, w = NR, or L for a last panel of at most L columns; padding is zero
     * (it only feeds discarded columns of the tile; zero keeps stale scratch, maybe NaN or subnormal, out of the FMAs).
     */
    private static void packB(int kc, int nc, float[] b, int base, int bRs, int bCs, float[] bp, Scratch s) {
        for (int jr = 0; jr < nc; jr += NR) {
            int w = nc - jr > L ? NR : L;
            int cols = Math.min(w, nc - jr);
            int dst = jr * kc;
            if (bCs == 1) {
                // Row-major B: each panel row is a contiguous slice of a B row.
                if (cols == w) {
                    for (int p = 0; p < kc; p++) {
                        int src = base + p * bRs + jr;
                        int d = dst + p * w;
                        FloatVector.fromArray(S, b, src).intoArray(bp, d);
                        if (w == NR) FloatVector.fromArray(S, b, src + L).intoArray(bp, d + L);
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        int d = dst + p * w;
                        System.arraycopy(b, base + p * bRs + jr, bp, d, cols);
                        Arrays.fill(bp, d + cols, d + w, 0f);
                    }
                }
            } else if (bRs == 1 && cols == w && TRANSPOSES) {
                // Transposed B (a Linear layer's W^T): L x L blocks transposed in registers, 5x faster than a
                // scalar transposing loop (9.6 vs 49 us for a 784 x 128 weight, AVX-512 floats; gathers: 22 us).
                for (int half = 0; half < w; half += L) {
                    int src = base + (jr + half) * bCs;
                    int p0 = 0;
                    for (; p0 <= kc - L; p0 += L) transpose(b, src + p0, bCs, bp, dst + p0 * w + half, w);
                    for (int jj = 0; jj < L; jj++) {
                        for (int p = p0; p < kc; p++) bp[dst + p * w + half + jj] = b[src + jj * bCs + p];
                    }
                }
            } else if (cols == w) {
                // Strided B: a panel row is w elements bCs apart; gathers are 2x faster than scalar loads.
                int[] idx = s.gatherIndex(bCs, NR);
                for (int p = 0; p < kc; p++) {
                    int src = base + p * bRs + jr * bCs;
                    int d = dst + p * w;
                    FloatVector.fromArray(S, b, src, idx, 0).intoArray(bp, d);
                    if (w == NR) FloatVector.fromArray(S, b, src, idx, L).intoArray(bp, d + L);
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int src = base + p * bRs + jr * bCs;
                    int d = dst + p * w;
                    for (int jj = 0; jj < cols; jj++) bp[d + jj] = b[src + jj * bCs];
                    for (int jj = cols; jj < w; jj++) bp[d + jj] = 0f;
                }
            }
        }
    }

    /** A's {@code mc x kc} block (column stride != 1) into a row-major block with row stride kc. */
    private static void packA(int mc, int kc, float[] a, int base, int aRs, int aCs, float[] ap, Scratch s) {
        int r0 = 0;
        if (aRs == 1 && TRANSPOSES) {
            // Transposed A (a gradient's g^T in a backward pass): L x L blocks transposed in registers.
            for (; r0 <= mc - L; r0 += L) {
                int p0 = 0;
                for (; p0 <= kc - L; p0 += L) transpose(a, base + p0 * aCs + r0, aCs, ap, r0 * kc + p0, kc);
                for (int r = r0; r < r0 + L; r++) {
                    for (int p = p0; p < kc; p++) ap[r * kc + p] = a[base + r + p * aCs];
                }
            }
        }
        // Rows left (or any other layout): gathers along k, L elements aCs apart, then a scalar tail.
        int[] idx = s.gatherIndex(aCs, L);
        int full = kc - kc % L;
        for (int r = r0; r < mc; r++) {
            int src = base + r * aRs;
            int d = r * kc;
            for (int p = 0; p < full; p += L) FloatVector.fromArray(S, a, src + p * aCs, idx, 0).intoArray(ap, d + p);
            for (int p = full; p < kc; p++) ap[d + p] = a[src + p * aCs];
        }
    }

    // ---------------------------------------------------------------------------------------- L x L transposes

    /** Whether an in-register transpose exists for this lane count (8 or 16: AVX-512 floats/doubles, AVX2 floats). */
    private static final boolean TRANSPOSES = L == 8 || L == 16;
    private static final VectorShuffle<Float> UP1 = shift(1), UP2 = shift(2), UP4 = shift(4), UP8 = shift(8);
    private static final VectorShuffle<Float> DOWN1 = shift(-1), DOWN2 = shift(-2), DOWN4 = shift(-4);
    private static final VectorShuffle<Float> DOWN8 = shift(-8);
    private static final VectorMask<Float> HI1 = upper(1), HI2 = upper(2), HI4 = upper(4), HI8 = upper(8);

    /** Lane l takes lane l + h (mod L); null when h is not below the lane count. */
    private static VectorShuffle<Float> shift(int h) {
        if (Math.abs(h) >= L) return null;
        int[] index = new int[L];
        for (int l = 0; l < L; l++) index[l] = Math.floorMod(l + h, L);
        return VectorShuffle.fromArray(S, index, 0);
    }

    /** Lanes whose bit h is set. */
    private static VectorMask<Float> upper(int h) {
        if (h >= L) return null;
        boolean[] bits = new boolean[L];
        for (int l = 0; l < L; l++) bits[l] = (l & h) != 0;
        return VectorMask.fromArray(S, bits, 0);
    }

    /**
     * Reads L vectors {@code src[s0 + i * ss ..]} and writes their transpose as L vectors {@code dst[d0 + q * ds ..]}.
     * Butterfly stages h = L/2 .. 1 exchange h-lane blocks between rows i and i + h: each output is one lane
     * rotation (a vpermps) and one masked blend, so a 16 x 16 block costs 64 permutes instead of 256 scalar moves.
     */
    private static void transpose(float[] src, int s0, int ss, float[] dst, int d0, int ds) {
        if (L == 16) {
            transpose16(src, s0, ss, dst, d0, ds);
        } else {
            transpose8(src, s0, ss, dst, d0, ds);
        }
    }

    private static void transpose8(float[] src, int s0, int ss, float[] dst, int d0, int ds) {
        FloatVector r0 = FloatVector.fromArray(S, src, s0);
        FloatVector r1 = FloatVector.fromArray(S, src, s0 + ss);
        FloatVector r2 = FloatVector.fromArray(S, src, s0 + 2 * ss);
        FloatVector r3 = FloatVector.fromArray(S, src, s0 + 3 * ss);
        FloatVector r4 = FloatVector.fromArray(S, src, s0 + 4 * ss);
        FloatVector r5 = FloatVector.fromArray(S, src, s0 + 5 * ss);
        FloatVector r6 = FloatVector.fromArray(S, src, s0 + 6 * ss);
        FloatVector r7 = FloatVector.fromArray(S, src, s0 + 7 * ss);
        // lo[l] = (l & h) == 0 ? a[l] : b[l - h];  hi[l] = (l & h) == 0 ? a[l + h] : b[l]
        FloatVector t0 = r0.blend(r4.rearrange(DOWN4), HI4), t4 = r0.rearrange(UP4).blend(r4, HI4);
        FloatVector t1 = r1.blend(r5.rearrange(DOWN4), HI4), t5 = r1.rearrange(UP4).blend(r5, HI4);
        FloatVector t2 = r2.blend(r6.rearrange(DOWN4), HI4), t6 = r2.rearrange(UP4).blend(r6, HI4);
        FloatVector t3 = r3.blend(r7.rearrange(DOWN4), HI4), t7 = r3.rearrange(UP4).blend(r7, HI4);
        r0 = t0.blend(t2.rearrange(DOWN2), HI2);
        r2 = t0.rearrange(UP2).blend(t2, HI2);
        r1 = t1.blend(t3.rearrange(DOWN2), HI2);
        r3 = t1.rearrange(UP2).blend(t3, HI2);
        r4 = t4.blend(t6.rearrange(DOWN2), HI2);
        r6 = t4.rearrange(UP2).blend(t6, HI2);
        r5 = t5.blend(t7.rearrange(DOWN2), HI2);
        r7 = t5.rearrange(UP2).blend(t7, HI2);
        r0.blend(r1.rearrange(DOWN1), HI1).intoArray(dst, d0);
        r0.rearrange(UP1).blend(r1, HI1).intoArray(dst, d0 + ds);
        r2.blend(r3.rearrange(DOWN1), HI1).intoArray(dst, d0 + 2 * ds);
        r2.rearrange(UP1).blend(r3, HI1).intoArray(dst, d0 + 3 * ds);
        r4.blend(r5.rearrange(DOWN1), HI1).intoArray(dst, d0 + 4 * ds);
        r4.rearrange(UP1).blend(r5, HI1).intoArray(dst, d0 + 5 * ds);
        r6.blend(r7.rearrange(DOWN1), HI1).intoArray(dst, d0 + 6 * ds);
        r6.rearrange(UP1).blend(r7, HI1).intoArray(dst, d0 + 7 * ds);
    }

    private static void transpose16(float[] src, int s0, int ss, float[] dst, int d0, int ds) {
        FloatVector r0 = FloatVector.fromArray(S, src, s0);
        FloatVector r1 = FloatVector.fromArray(S, src, s0 + ss);
        FloatVector r2 = FloatVector.fromArray(S, src, s0 + 2 * ss);
        FloatVector r3 = FloatVector.fromArray(S, src, s0 + 3 * ss);
        FloatVector r4 = FloatVector.fromArray(S, src, s0 + 4 * ss);
        FloatVector r5 = FloatVector.fromArray(S, src, s0 + 5 * ss);
        FloatVector r6 = FloatVector.fromArray(S, src, s0 + 6 * ss);
        FloatVector r7 = FloatVector.fromArray(S, src, s0 + 7 * ss);
        FloatVector r8 = FloatVector.fromArray(S, src, s0 + 8 * ss);
        FloatVector r9 = FloatVector.fromArray(S, src, s0 + 9 * ss);
        FloatVector r10 = FloatVector.fromArray(S, src, s0 + 10 * ss);
        FloatVector r11 = FloatVector.fromArray(S, src, s0 + 11 * ss);
        FloatVector r12 = FloatVector.fromArray(S, src, s0 + 12 * ss);
        FloatVector r13 = FloatVector.fromArray(S, src, s0 + 13 * ss);
        FloatVector r14 = FloatVector.fromArray(S, src, s0 + 14 * ss);
        FloatVector r15 = FloatVector.fromArray(S, src, s0 + 15 * ss);
        FloatVector t0 = r0.blend(r8.rearrange(DOWN8), HI8), t8 = r0.rearrange(UP8).blend(r8, HI8);
        FloatVector t1 = r1.blend(r9.rearrange(DOWN8), HI8), t9 = r1.rearrange(UP8).blend(r9, HI8);
        FloatVector t2 = r2.blend(r10.rearrange(DOWN8), HI8), t10 = r2.rearrange(UP8).blend(r10, HI8);
        FloatVector t3 = r3.blend(r11.rearrange(DOWN8), HI8), t11 = r3.rearrange(UP8).blend(r11, HI8);
        FloatVector t4 = r4.blend(r12.rearrange(DOWN8), HI8), t12 = r4.rearrange(UP8).blend(r12, HI8);
        FloatVector t5 = r5.blend(r13.rearrange(DOWN8), HI8), t13 = r5.rearrange(UP8).blend(r13, HI8);
        FloatVector t6 = r6.blend(r14.rearrange(DOWN8), HI8), t14 = r6.rearrange(UP8).blend(r14, HI8);
        FloatVector t7 = r7.blend(r15.rearrange(DOWN8), HI8), t15 = r7.rearrange(UP8).blend(r15, HI8);
        r0 = t0.blend(t4.rearrange(DOWN4), HI4);
        r4 = t0.rearrange(UP4).blend(t4, HI4);
        r1 = t1.blend(t5.rearrange(DOWN4), HI4);
        r5 = t1.rearrange(UP4).blend(t5, HI4);
        r2 = t2.blend(t6.rearrange(DOWN4), HI4);
        r6 = t2.rearrange(UP4).blend(t6, HI4);
        r3 = t3.blend(t7.rearrange(DOWN4), HI4);
        r7 = t3.rearrange(UP4).blend(t7, HI4);
        r8 = t8.blend(t12.rearrange(DOWN4), HI4);
        r12 = t8.rearrange(UP4).blend(t12, HI4);
        r9 = t9.blend(t13.rearrange(DOWN4), HI4);
        r13 = t9.rearrange(UP4).blend(t13, HI4);
        r10 = t10.blend(t14.rearrange(DOWN4), HI4);
        r14 = t10.rearrange(UP4).blend(t14, HI4);
        r11 = t11.blend(t15.rearrange(DOWN4), HI4);
        r15 = t11.rearrange(UP4).blend(t15, HI4);
        t0 = r0.blend(r2.rearrange(DOWN2), HI2);
        t2 = r0.rearrange(UP2).blend(r2, HI2);
        t1 = r1.blend(r3.rearrange(DOWN2), HI2);
        t3 = r1.rearrange(UP2).blend(r3, HI2);
        t4 = r4.blend(r6.rearrange(DOWN2), HI2);
        t6 = r4.rearrange(UP2).blend(r6, HI2);
        t5 = r5.blend(r7.rearrange(DOWN2), HI2);
        t7 = r5.rearrange(UP2).blend(r7, HI2);
        t8 = r8.blend(r10.rearrange(DOWN2), HI2);
        t10 = r8.rearrange(UP2).blend(r10, HI2);
        t9 = r9.blend(r11.rearrange(DOWN2), HI2);
        t11 = r9.rearrange(UP2).blend(r11, HI2);
        t12 = r12.blend(r14.rearrange(DOWN2), HI2);
        t14 = r12.rearrange(UP2).blend(r14, HI2);
        t13 = r13.blend(r15.rearrange(DOWN2), HI2);
        t15 = r13.rearrange(UP2).blend(r15, HI2);
        t0.blend(t1.rearrange(DOWN1), HI1).intoArray(dst, d0);
        t0.rearrange(UP1).blend(t1, HI1).intoArray(dst, d0 + ds);
        t2.blend(t3.rearrange(DOWN1), HI1).intoArray(dst, d0 + 2 * ds);
        t2.rearrange(UP1).blend(t3, HI1).intoArray(dst, d0 + 3 * ds);
        t4.blend(t5.rearrange(DOWN1), HI1).intoArray(dst, d0 + 4 * ds);
        t4.rearrange(UP1).blend(t5, HI1).intoArray(dst, d0 + 5 * ds);
        t6.blend(t7.rearrange(DOWN1), HI1).intoArray(dst, d0 + 6 * ds);
        t6.rearrange(UP1).blend(t7, HI1).intoArray(dst, d0 + 7 * ds);
        t8.blend(t9.rearrange(DOWN1), HI1).intoArray(dst, d0 + 8 * ds);
        t8.rearrange(UP1).blend(t9, HI1).intoArray(dst, d0 + 9 * ds);
        t10.blend(t11.rearrange(DOWN1), HI1).intoArray(dst, d0 + 10 * ds);
        t10.rearrange(UP1).blend(t11, HI1).intoArray(dst, d0 + 11 * ds);
        t12.blend(t13.rearrange(DOWN1), HI1).intoArray(dst, d0 + 12 * ds);
        t12.rearrange(UP1).blend(t13, HI1).intoArray(dst, d0 + 13 * ds);
        t14.blend(t15.rearrange(DOWN1), HI1).intoArray(dst, d0 + 14 * ds);
        t14.rearrange(UP1).blend(t15, HI1).intoArray(dst, d0 + 15 * ds);
    }

    /** All micro-tiles of an {@code mc x nc} block of C; A rows at {@code aBase + r * lda}, contiguous along k. */
    private static void block(int mc, int nc, int kc, float[] a, int aBase, int lda, float[] bp,
                              float[] c, int cBase, int ldc, boolean accumulate, float[] tile) {
        for (int jr = 0; jr < nc; jr += NR) {
            int cols = Math.min(NR, nc - jr);
            int bIdx = jr * kc;
            for (int ir = 0; ir < mc; ir += MR) {
                int rows = Math.min(MR, mc - ir);
                int aRow = aBase + ir * lda;
                int cIdx = cBase + ir * ldc + jr;
                if (rows > MR / 2) {
                    if (cols > L) {
                        kernel8x2(kc, a, aRow, lda, rows, bp, bIdx, c, cIdx, ldc, cols, accumulate, tile);
                    } else {
                        kernel8x1(kc, a, aRow, lda, rows, bp, bIdx, c, cIdx, ldc, cols, accumulate, tile);
                    }
                } else if (cols > L) {
                    kernel4x2(kc, a, aRow, lda, rows, bp, bIdx, c, cIdx, ldc, cols, accumulate, tile);
                } else {
                    kernel4x1(kc, a, aRow, lda, rows, bp, bIdx, c, cIdx, ldc, cols, accumulate, tile);
                }
            }
        }
    }

    /** Copies the valid {@code rows x cols} corner of a tile (row stride w) into C, adding if accumulating. */
    private static void flush(float[] tile, int w, int rows, int cols, float[] c, int cIdx, int ldc,
                              boolean accumulate) {
        for (int r = 0; r < rows; r++) {
            int t = r * w;
            int d = cIdx + r * ldc;
            if (accumulate) {
                for (int j = 0; j < cols; j++) c[d + j] += tile[t + j];
            } else {
                System.arraycopy(tile, t, c, d, cols);
            }
        }
    }

    private static void kernel8x2(int kc, float[] a, int a0, int lda, int rows, float[] bp, int bIdx,
                                  float[] c, int cIdx, int ldc, int cols, boolean accumulate, float[] tile) {
        int a1 = a0 + Math.min(1, rows - 1) * lda;
        int a2 = a0 + Math.min(2, rows - 1) * lda;
        int a3 = a0 + Math.min(3, rows - 1) * lda;
        int a4 = a0 + Math.min(4, rows - 1) * lda;
        int a5 = a0 + Math.min(5, rows - 1) * lda;
        int a6 = a0 + Math.min(6, rows - 1) * lda;
        int a7 = a0 + Math.min(7, rows - 1) * lda;
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00;
        FloatVector c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00;
        FloatVector c71 = c00;
        for (int p = 0; p < kc; p++) {
            int bq = bIdx + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, bp, bq);
            FloatVector b1 = FloatVector.fromArray(S, bp, bq + L);
            FloatVector av = FloatVector.broadcast(S, a[a0 + p]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, a[a1 + p]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, a[a2 + p]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, a[a3 + p]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(S, a[a4 + p]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(S, a[a5 + p]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(S, a[a6 + p]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(S, a[a7 + p]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
        }
        if (rows == MR && cols == NR) {
            if (accumulate) {
                c00 = c00.add(FloatVector.fromArray(S, c, cIdx));
                c01 = c01.add(FloatVector.fromArray(S, c, cIdx + L));
                c10 = c10.add(FloatVector.fromArray(S, c, cIdx + ldc));
                c11 = c11.add(FloatVector.fromArray(S, c, cIdx + ldc + L));
                c20 = c20.add(FloatVector.fromArray(S, c, cIdx + 2 * ldc));
                c21 = c21.add(FloatVector.fromArray(S, c, cIdx + 2 * ldc + L));
                c30 = c30.add(FloatVector.fromArray(S, c, cIdx + 3 * ldc));
                c31 = c31.add(FloatVector.fromArray(S, c, cIdx + 3 * ldc + L));
                c40 = c40.add(FloatVector.fromArray(S, c, cIdx + 4 * ldc));
                c41 = c41.add(FloatVector.fromArray(S, c, cIdx + 4 * ldc + L));
                c50 = c50.add(FloatVector.fromArray(S, c, cIdx + 5 * ldc));
                c51 = c51.add(FloatVector.fromArray(S, c, cIdx + 5 * ldc + L));
                c60 = c60.add(FloatVector.fromArray(S, c, cIdx + 6 * ldc));
                c61 = c61.add(FloatVector.fromArray(S, c, cIdx + 6 * ldc + L));
                c70 = c70.add(FloatVector.fromArray(S, c, cIdx + 7 * ldc));
                c71 = c71.add(FloatVector.fromArray(S, c, cIdx + 7 * ldc + L));
            }
            c00.intoArray(c, cIdx);
            c01.intoArray(c, cIdx + L);
            c10.intoArray(c, cIdx + ldc);
            c11.intoArray(c, cIdx + ldc + L);
            c20.intoArray(c, cIdx + 2 * ldc);
            c21.intoArray(c, cIdx + 2 * ldc + L);
            c30.intoArray(c, cIdx + 3 * ldc);
            c31.intoArray(c, cIdx + 3 * ldc + L);
            c40.intoArray(c, cIdx + 4 * ldc);
            c41.intoArray(c, cIdx + 4 * ldc + L);
            c50.intoArray(c, cIdx + 5 * ldc);
            c51.intoArray(c, cIdx + 5 * ldc + L);
            c60.intoArray(c, cIdx + 6 * ldc);
            c61.intoArray(c, cIdx + 6 * ldc + L);
            c70.intoArray(c, cIdx + 7 * ldc);
            c71.intoArray(c, cIdx + 7 * ldc + L);
        } else {
            c00.intoArray(tile, 0);
            c01.intoArray(tile, L);
            c10.intoArray(tile, NR);
            c11.intoArray(tile, NR + L);
            c20.intoArray(tile, 2 * NR);
            c21.intoArray(tile, 2 * NR + L);
            c30.intoArray(tile, 3 * NR);
            c31.intoArray(tile, 3 * NR + L);
            c40.intoArray(tile, 4 * NR);
            c41.intoArray(tile, 4 * NR + L);
            c50.intoArray(tile, 5 * NR);
            c51.intoArray(tile, 5 * NR + L);
            c60.intoArray(tile, 6 * NR);
            c61.intoArray(tile, 6 * NR + L);
            c70.intoArray(tile, 7 * NR);
            c71.intoArray(tile, 7 * NR + L);
            flush(tile, NR, rows, cols, c, cIdx, ldc, accumulate);
        }
    }

    /** One vector of columns (a last panel of at most L columns, e.g. n = 10 logits). */
    private static void kernel8x1(int kc, float[] a, int a0, int lda, int rows, float[] bp, int bIdx,
                                  float[] c, int cIdx, int ldc, int cols, boolean accumulate, float[] tile) {
        int a1 = a0 + Math.min(1, rows - 1) * lda;
        int a2 = a0 + Math.min(2, rows - 1) * lda;
        int a3 = a0 + Math.min(3, rows - 1) * lda;
        int a4 = a0 + Math.min(4, rows - 1) * lda;
        int a5 = a0 + Math.min(5, rows - 1) * lda;
        int a6 = a0 + Math.min(6, rows - 1) * lda;
        int a7 = a0 + Math.min(7, rows - 1) * lda;
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bIdx + p * L);
            c0 = FloatVector.broadcast(S, a[a0 + p]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, a[a1 + p]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, a[a2 + p]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, a[a3 + p]).fma(b0, c3);
            c4 = FloatVector.broadcast(S, a[a4 + p]).fma(b0, c4);
            c5 = FloatVector.broadcast(S, a[a5 + p]).fma(b0, c5);
            c6 = FloatVector.broadcast(S, a[a6 + p]).fma(b0, c6);
            c7 = FloatVector.broadcast(S, a[a7 + p]).fma(b0, c7);
        }
        if (rows == MR && cols == L) {
            if (accumulate) {
                c0 = c0.add(FloatVector.fromArray(S, c, cIdx));
                c1 = c1.add(FloatVector.fromArray(S, c, cIdx + ldc));
                c2 = c2.add(FloatVector.fromArray(S, c, cIdx + 2 * ldc));
                c3 = c3.add(FloatVector.fromArray(S, c, cIdx + 3 * ldc));
                c4 = c4.add(FloatVector.fromArray(S, c, cIdx + 4 * ldc));
                c5 = c5.add(FloatVector.fromArray(S, c, cIdx + 5 * ldc));
                c6 = c6.add(FloatVector.fromArray(S, c, cIdx + 6 * ldc));
                c7 = c7.add(FloatVector.fromArray(S, c, cIdx + 7 * ldc));
            }
            c0.intoArray(c, cIdx);
            c1.intoArray(c, cIdx + ldc);
            c2.intoArray(c, cIdx + 2 * ldc);
            c3.intoArray(c, cIdx + 3 * ldc);
            c4.intoArray(c, cIdx + 4 * ldc);
            c5.intoArray(c, cIdx + 5 * ldc);
            c6.intoArray(c, cIdx + 6 * ldc);
            c7.intoArray(c, cIdx + 7 * ldc);
        } else {
            c0.intoArray(tile, 0);
            c1.intoArray(tile, L);
            c2.intoArray(tile, 2 * L);
            c3.intoArray(tile, 3 * L);
            c4.intoArray(tile, 4 * L);
            c5.intoArray(tile, 5 * L);
            c6.intoArray(tile, 6 * L);
            c7.intoArray(tile, 7 * L);
            flush(tile, L, rows, cols, c, cIdx, ldc, accumulate);
        }
    }

    /** At most 4 rows left: half the rows, so a 1-row product does not compute 8. */
    private static void kernel4x2(int kc, float[] a, int a0, int lda, int rows, float[] bp, int bIdx,
                                  float[] c, int cIdx, int ldc, int cols, boolean accumulate, float[] tile) {
        int a1 = a0 + Math.min(1, rows - 1) * lda;
        int a2 = a0 + Math.min(2, rows - 1) * lda;
        int a3 = a0 + Math.min(3, rows - 1) * lda;
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00;
        FloatVector c31 = c00;
        for (int p = 0; p < kc; p++) {
            int bq = bIdx + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, bp, bq);
            FloatVector b1 = FloatVector.fromArray(S, bp, bq + L);
            FloatVector av = FloatVector.broadcast(S, a[a0 + p]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, a[a1 + p]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, a[a2 + p]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, a[a3 + p]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        flush(tile, NR, rows, cols, c, cIdx, ldc, accumulate);
    }

    private static void kernel4x1(int kc, float[] a, int a0, int lda, int rows, float[] bp, int bIdx,
                                  float[] c, int cIdx, int ldc, int cols, boolean accumulate, float[] tile) {
        int a1 = a0 + Math.min(1, rows - 1) * lda;
        int a2 = a0 + Math.min(2, rows - 1) * lda;
        int a3 = a0 + Math.min(3, rows - 1) * lda;
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bIdx + p * L);
            c0 = FloatVector.broadcast(S, a[a0 + p]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, a[a1 + p]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, a[a2 + p]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, a[a3 + p]).fma(b0, c3);
        }
        c0.intoArray(tile, 0);
        c1.intoArray(tile, L);
        c2.intoArray(tile, 2 * L);
        c3.intoArray(tile, 3 * L);
        flush(tile, L, rows, cols, c, cIdx, ldc, accumulate);
    }
}
