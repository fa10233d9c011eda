package org.grad4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Comparisons into bool (byte) masks and {@code where} on bool masks: the SIMD kernels against the scalar twin and
 * against Java's own operators in a naive loop, for float, double and long, over sizes around the lane counts and
 * the 8-element mask blocks (0, 1, 3, 7, 15, 16, 17, 63, 64, 65, 1000, 1031), unit, broadcast and strided operands,
 * offsets, and inputs salted with NaN, +-Inf, +-0.0 and equal pairs. Masks for where hold 0, 1 and other non-zero
 * bytes (2, -1), which select as true. The test runs often enough for the JIT to compile the SIMD loops.
 */
class MaskKernelsTest {
    private static final int[] SIZES = {0, 1, 3, 7, 15, 16, 17, 63, 64, 65, 1000, 1031};
    private static final int[] STRIDES = {1, 0, 2};
    private static final BinaryOp[] COMPARISONS = {BinaryOp.GT, BinaryOp.GE, BinaryOp.LT, BinaryOp.LE, BinaryOp.EQ,
        BinaryOp.NE};

    private static final Kernels SCALAR = KernelProvider.scalar();
    private static Kernels vector;

    @BeforeAll
    static void loadVectorKernels() {
        vector = SimdKernelsForTests.loadOrSkip();
    }

    private static boolean expected(BinaryOp op, double a, double b) {
        return switch (op) {
            case GT -> a > b;
            case GE -> a >= b;
            case LT -> a < b;
            case LE -> a <= b;
            case EQ -> a == b;
            default -> a != b;
        };
    }

    private static boolean expected(BinaryOp op, long a, long b) {
        return switch (op) {
            case GT -> a > b;
            case GE -> a >= b;
            case LT -> a < b;
            case LE -> a <= b;
            case EQ -> a == b;
            default -> a != b;
        };
    }

    /** Values with specials and repeats, so that every comparison sees true, false, NaN and equal pairs. */
    private static double[] values(SplittableRandom rng, int length) {
        double[] specials = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0, 1.0, -1.0};
        double[] v = new double[length];
        for (int i = 0; i < length; i++) {
            int pick = rng.nextInt(10);
            v[i] = pick == 0 ? specials[rng.nextInt(specials.length)] : pick < 4 ? rng.nextInt(3) - 1 : rng.nextGaussian();
        }
        return v;
    }

    private static int span(int n, int stride) {
        return n == 0 ? 1 : (n - 1) * stride + 1;
    }

    @Test
    void comparisonsAgreeWithTheScalarKernelsAndJavasOperators() {
        SplittableRandom rng = new SplittableRandom(61);
        for (int round = 0; round < 3; round++) {
            for (int n : SIZES) {
                for (int aStride : STRIDES) {
                    for (int bStride : STRIDES) {
                        for (int outStride : new int[] {1, 2}) {
                            int aOff = rng.nextInt(3);
                            int bOff = rng.nextInt(3);
                            int outOff = rng.nextInt(3);
                            double[] a = values(rng, aOff + span(n, aStride));
                            double[] b = values(rng, bOff + span(n, bStride));
                            float[] af = new float[a.length];
                            float[] bf = new float[b.length];
                            long[] al = new long[a.length];
                            long[] bl = new long[b.length];
                            for (int i = 0; i < a.length; i++) {
                                af[i] = (float) a[i];
                                al[i] = Double.isNaN(a[i]) ? Long.MIN_VALUE : (long) (a[i] * 3);
                            }
                            for (int i = 0; i < b.length; i++) {
                                bf[i] = (float) b[i];
                                bl[i] = Double.isNaN(b[i]) ? Long.MAX_VALUE : (long) (b[i] * 3);
                            }
                            int outLen = outOff + span(n, outStride);
                            for (BinaryOp op : COMPARISONS) {
                                String where = op + " n=" + n + " strides a=" + aStride + " b=" + bStride + " out="
                                        + outStride;
                                byte[] s = new byte[outLen];
                                byte[] v = new byte[outLen];
                                java.util.Arrays.fill(s, (byte) 7);
                                java.util.Arrays.fill(v, (byte) 7);
                                SCALAR.compare(op, a, aOff, aStride, b, bOff, bStride, s, outOff, outStride, n);
                                vector.compare(op, a, aOff, aStride, b, bOff, bStride, v, outOff, outStride, n);
                                check("double " + where, s, v, i -> expected(op, a[aOff + i * aStride],
                                        b[bOff + i * bStride]), outOff, outStride, n);
                                java.util.Arrays.fill(s, (byte) 7);
                                java.util.Arrays.fill(v, (byte) 7);
                                SCALAR.compare(op, af, aOff, aStride, bf, bOff, bStride, s, outOff, outStride, n);
                                vector.compare(op, af, aOff, aStride, bf, bOff, bStride, v, outOff, outStride, n);
                                check("float " + where, s, v, i -> expected(op, af[aOff + i * aStride],
                                        bf[bOff + i * bStride]), outOff, outStride, n);
                                java.util.Arrays.fill(s, (byte) 7);
                                java.util.Arrays.fill(v, (byte) 7);
                                SCALAR.compare(op, al, aOff, aStride, bl, bOff, bStride, s, outOff, outStride, n);
                                vector.compare(op, al, aOff, aStride, bl, bOff, bStride, v, outOff, outStride, n);
                                check("long " + where, s, v, i -> expected(op, al[aOff + i * aStride],
                                        bl[bOff + i * bStride]), outOff, outStride, n);
                            }
                        }
                    }
                }
            }
        }
    }

    private interface Truth {
        boolean at(int i);
    }

    /** Both kernels wrote the truth as 0/1 at the output positions and left every other byte alone. */
    private static void check(String where, byte[] scalar, byte[] simd, Truth truth, int off, int stride, int n) {
        for (int i = 0; i < scalar.length; i++) {
            assertEquals(scalar[i], simd[i], where + ": byte " + i + " differs");
        }
        boolean[] written = new boolean[scalar.length];
        for (int i = 0; i < n; i++) {
            int at = off + i * stride;
            written[at] = true;
            assertEquals(truth.at(i) ? 1 : 0, simd[at], where + " at element " + i);
        }
        for (int i = 0; i < simd.length; i++) {
            if (!written[i]) {
                assertEquals(7, simd[i], where + ": wrote outside the output at " + i);
            }
        }
    }

    @Test
    void whereOnBoolMasksAgreesWithTheScalarKernelsAndANaiveLoop() {
        SplittableRandom rng = new SplittableRandom(62);
        byte[] truthy = {1, 1, 1, 2, -1};
        for (int round = 0; round < 3; round++) {
            for (int n : SIZES) {
                for (int cStride : new int[] {1, 0, 2}) {
                    for (int aStride : STRIDES) {
                        for (int bStride : STRIDES) {
                            int cOff = rng.nextInt(3);
                            int aOff = rng.nextInt(3);
                            int bOff = rng.nextInt(3);
                            byte[] cond = new byte[cOff + span(n, cStride)];
                            for (int i = 0; i < cond.length; i++) {
                                cond[i] = rng.nextBoolean() ? 0 : truthy[rng.nextInt(truthy.length)];
                            }
                            double[] a = values(rng, aOff + span(n, aStride));
                            double[] b = values(rng, bOff + span(n, bStride));
                            String where = "where n=" + n + " strides c=" + cStride + " a=" + aStride + " b="
                                    + bStride;
                            double[] sd = new double[n];
                            double[] vd = new double[n];
                            SCALAR.where(cond, cOff, cStride, a, aOff, aStride, b, bOff, bStride, sd, 0, 1, n);
                            vector.where(cond, cOff, cStride, a, aOff, aStride, b, bOff, bStride, vd, 0, 1, n);
                            float[] af = new float[a.length];
                            float[] bf = new float[b.length];
                            long[] al = new long[a.length];
                            long[] bl = new long[b.length];
                            for (int i = 0; i < a.length; i++) {
                                af[i] = (float) a[i];
                                al[i] = Double.doubleToRawLongBits(a[i]);
                            }
                            for (int i = 0; i < b.length; i++) {
                                bf[i] = (float) b[i];
                                bl[i] = Double.doubleToRawLongBits(b[i]);
                            }
                            float[] sf = new float[n];
                            float[] vf = new float[n];
                            SCALAR.where(cond, cOff, cStride, af, aOff, aStride, bf, bOff, bStride, sf, 0, 1, n);
                            vector.where(cond, cOff, cStride, af, aOff, aStride, bf, bOff, bStride, vf, 0, 1, n);
                            long[] sl = new long[n];
                            long[] vl = new long[n];
                            SCALAR.where(cond, cOff, cStride, al, aOff, aStride, bl, bOff, bStride, sl, 0, 1, n);
                            vector.where(cond, cOff, cStride, al, aOff, aStride, bl, bOff, bStride, vl, 0, 1, n);
                            for (int i = 0; i < n; i++) {
                                boolean take = cond[cOff + i * cStride] != 0;
                                int ai = aOff + i * aStride;
                                int bi = bOff + i * bStride;
                                long want = take ? al[ai] : bl[bi];
                                assertEquals(want, Double.doubleToRawLongBits(sd[i]), "double scalar " + where);
                                assertEquals(want, Double.doubleToRawLongBits(vd[i]), "double simd " + where);
                                int wantF = Float.floatToRawIntBits(take ? af[ai] : bf[bi]);
                                assertEquals(wantF, Float.floatToRawIntBits(sf[i]), "float scalar " + where);
                                assertEquals(wantF, Float.floatToRawIntBits(vf[i]), "float simd " + where);
                                assertEquals(want, sl[i], "long scalar " + where);
                                assertEquals(want, vl[i], "long simd " + where);
                            }
                        }
                    }
                }
            }
        }
    }
}
