package org.grad4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The general strided loops of the element-wise kernels and of the sums, which tensor ops reach only through views
 * (an output with a stride other than 1, a copy into a column, a sum down a column): every unary and binary op,
 * {@code where} with a value or a byte mask, and the canonical sum, for output strides 2 and 3, input strides 0, 1,
 * 2 and 3 and offsets, in float, double and long, on the scalar kernels and the selected ones. The reference is the
 * same kernel on contiguous, aligned copies of the operands (a different loop, which the other kernel tests hold to
 * naive loops) and, for the exact ops, Java's own operators; elements between the strided outputs must stay as
 * they were. The sum is held to a transcription of {@link Summation}'s order (32 round-robin partials, a pairwise
 * tree).
 */
class StridedKernelPathsTest {
    private static final float SENTINEL_F = 7.25f;
    private static final double SENTINEL_D = 7.25;
    private static final long SENTINEL_L = 7;

    private static List<Kernels> kernels() {
        List<Kernels> all = new ArrayList<>();
        all.add(KernelProvider.scalar());
        if (KernelProvider.get() != KernelProvider.scalar()) all.add(KernelProvider.get());
        return all;
    }

    private static final int[] SIZES = {1, 5, 17, 40, 67};

    private static double[] values(SplittableRandom rng, int length) {
        double[] v = new double[length];
        for (int i = 0; i < length; i++) {
            v[i] = switch (rng.nextInt(12)) {
                case 0 -> 0.0;
                case 1 -> -0.0;
                case 2 -> Double.NaN;
                case 3 -> rng.nextInt(5) - 2;   // small integers: exact powers, ties, equal operands
                default -> (rng.nextDouble() - 0.4) * 6;
            };
        }
        return v;
    }

    private static float[] floats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }

    private static double[] gather(double[] x, int off, int stride, int n) {
        double[] g = new double[n];
        for (int i = 0; i < n; i++) g[i] = x[off + i * stride];
        return g;
    }

    private static float[] gather(float[] x, int off, int stride, int n) {
        float[] g = new float[n];
        for (int i = 0; i < n; i++) g[i] = x[off + i * stride];
        return g;
    }

    private static long[] gather(long[] x, int off, int stride, int n) {
        long[] g = new long[n];
        for (int i = 0; i < n; i++) g[i] = x[off + i * stride];
        return g;
    }

    /** Length of an array holding n elements at off with stride s (at least one element for a broadcast). */
    private static int span(int off, int stride, int n) {
        return off + Math.max(1, (n - 1) * stride + 1) + 2;
    }

    private static void assertStrided(String where, double[] expected, double[] out, int off, int stride) {
        for (int at = 0; at < out.length; at++) {
            int rel = at - off;
            boolean written = rel >= 0 && rel % stride == 0 && rel / stride < expected.length;
            double want = written ? expected[rel / stride] : SENTINEL_D;
            assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(out[at]),
                    where + " at " + at + ": " + want + " vs " + out[at]);
        }
    }

    private static void assertStrided(String where, float[] expected, float[] out, int off, int stride) {
        for (int at = 0; at < out.length; at++) {
            int rel = at - off;
            boolean written = rel >= 0 && rel % stride == 0 && rel / stride < expected.length;
            float want = written ? expected[rel / stride] : SENTINEL_F;
            assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(out[at]),
                    where + " at " + at + ": " + want + " vs " + out[at]);
        }
    }

    private static void assertStrided(String where, long[] expected, long[] out, int off, int stride) {
        for (int at = 0; at < out.length; at++) {
            int rel = at - off;
            boolean written = rel >= 0 && rel % stride == 0 && rel / stride < expected.length;
            assertEquals(written ? expected[rel / stride] : SENTINEL_L, out[at], where + " at " + at);
        }
    }

    @Test
    void unaryOpsThroughStridesMatchTheContiguousLoop() {
        SplittableRandom rng = new SplittableRandom(71);
        for (Kernels k : kernels()) {
            for (UnaryOp op : UnaryOp.values()) {
                for (int n : SIZES) {
                    for (int[] s : new int[][] {{2, 1}, {1, 2}, {3, 3}, {1, 3}}) {
                        int xOff = rng.nextInt(3);
                        int outOff = rng.nextInt(3);
                        double[] x = values(rng, span(xOff, s[0], n));
                        String where = k.name() + " " + op + " n=" + n + " strides " + Arrays.toString(s);

                        double[] expected = new double[n];
                        k.unary(op, gather(x, xOff, s[0], n), 0, 1, expected, 0, 1, n);
                        double[] out = new double[span(outOff, s[1], n)];
                        Arrays.fill(out, SENTINEL_D);
                        k.unary(op, x, xOff, s[0], out, outOff, s[1], n);
                        assertStrided("double " + where, expected, out, outOff, s[1]);

                        float[] xf = floats(x);
                        float[] expectedF = new float[n];
                        k.unary(op, gather(xf, xOff, s[0], n), 0, 1, expectedF, 0, 1, n);
                        float[] outF = new float[out.length];
                        Arrays.fill(outF, SENTINEL_F);
                        k.unary(op, xf, xOff, s[0], outF, outOff, s[1], n);
                        assertStrided("float " + where, expectedF, outF, outOff, s[1]);

                        if (op == UnaryOp.IDENTITY || op == UnaryOp.NEG || op == UnaryOp.ABS) {
                            for (int i = 0; i < n; i++) {
                                double v = x[xOff + i * s[0]];
                                double want = op == UnaryOp.IDENTITY ? v : op == UnaryOp.NEG ? -v : Math.abs(v);
                                assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(expected[i]),
                                        where + " against Java at " + i);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void identityCopiesContiguousRunsAtAnyOffset() {
        SplittableRandom rng = new SplittableRandom(72);
        for (Kernels k : kernels()) {
            for (int n : SIZES) {
                double[] x = values(rng, n + 3);
                double[] out = new double[n + 4];
                Arrays.fill(out, SENTINEL_D);
                k.unary(UnaryOp.IDENTITY, x, 2, 1, out, 1, 1, n);
                assertStrided(k.name() + " double copy n=" + n, gather(x, 2, 1, n), out, 1, 1);
                float[] xf = floats(x);
                float[] outF = new float[n + 4];
                Arrays.fill(outF, SENTINEL_F);
                k.unary(UnaryOp.IDENTITY, xf, 2, 1, outF, 1, 1, n);
                assertStrided(k.name() + " float copy n=" + n, gather(xf, 2, 1, n), outF, 1, 1);
            }
        }
    }

    @Test
    void binaryOpsThroughStridesMatchTheContiguousLoop() {
        SplittableRandom rng = new SplittableRandom(73);
        int[][] strides = {{1, 1, 2}, {0, 1, 2}, {1, 0, 3}, {2, 3, 2}, {2, 1, 1}, {1, 2, 1}, {0, 2, 1}, {3, 0, 1}};
        for (Kernels k : kernels()) {
            for (BinaryOp op : BinaryOp.values()) {
                for (int n : SIZES) {
                    for (int[] s : strides) {
                        int aOff = rng.nextInt(3);
                        int bOff = rng.nextInt(3);
                        int outOff = rng.nextInt(3);
                        double[] a = values(rng, span(aOff, s[0], n));
                        double[] b = values(rng, span(bOff, s[1], n));
                        String where = k.name() + " " + op + " n=" + n + " strides " + Arrays.toString(s);

                        double[] expected = new double[n];
                        k.binary(op, gather(a, aOff, s[0], n), 0, 1, gather(b, bOff, s[1], n), 0, 1, expected, 0, 1,
                                n);
                        double[] out = new double[span(outOff, s[2], n)];
                        Arrays.fill(out, SENTINEL_D);
                        k.binary(op, a, aOff, s[0], b, bOff, s[1], out, outOff, s[2], n);
                        assertStrided("double " + where, expected, out, outOff, s[2]);

                        float[] af = floats(a);
                        float[] bf = floats(b);
                        float[] expectedF = new float[n];
                        k.binary(op, gather(af, aOff, s[0], n), 0, 1, gather(bf, bOff, s[1], n), 0, 1, expectedF, 0,
                                1, n);
                        float[] outF = new float[out.length];
                        Arrays.fill(outF, SENTINEL_F);
                        k.binary(op, af, aOff, s[0], bf, bOff, s[1], outF, outOff, s[2], n);
                        assertStrided("float " + where, expectedF, outF, outOff, s[2]);

                        for (int i = 0; i < n; i++) {
                            double x = a[aOff + i * s[0]];
                            double y = b[bOff + i * s[1]];
                            Double want = switch (op) {
                                case ADD -> x + y;
                                case SUB -> x - y;
                                case MUL -> x * y;
                                case DIV -> x / y;
                                case MAX -> Math.max(x, y);
                                case MIN -> Math.min(x, y);
                                case GT -> x > y ? 1.0 : 0.0;
                                case LT -> x < y ? 1.0 : 0.0;
                                case EQ -> x == y ? 1.0 : 0.0;
                                default -> null;
                            };
                            if (want != null) {
                                assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(expected[i]),
                                        where + " against Java at " + i);
                            }
                        }
                    }
                }
            }
            // long: the ops the integer kernels have
            for (BinaryOp op : new BinaryOp[] {BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.MAX, BinaryOp.MIN}) {
                for (int n : SIZES) {
                    for (int[] s : strides) {
                        long[] a = new long[span(1, s[0], n)];
                        long[] b = new long[span(2, s[1], n)];
                        for (int i = 0; i < a.length; i++) a[i] = rng.nextLong(-1000, 1000);
                        for (int i = 0; i < b.length; i++) b[i] = rng.nextLong(-1000, 1000);
                        long[] out = new long[span(2, s[2], n)];
                        Arrays.fill(out, SENTINEL_L);
                        k.binary(op, a, 1, s[0], b, 2, s[1], out, 2, s[2], n);
                        long[] expected = new long[n];
                        for (int i = 0; i < n; i++) {
                            long x = a[1 + i * s[0]];
                            long y = b[2 + i * s[1]];
                            expected[i] = switch (op) {
                                case ADD -> x + y;
                                case SUB -> x - y;
                                case MUL -> x * y;
                                case MAX -> Math.max(x, y);
                                default -> Math.min(x, y);
                            };
                        }
                        assertStrided(k.name() + " long " + op + " n=" + n + " strides " + Arrays.toString(s),
                                expected, out, 2, s[2]);
                    }
                }
            }
        }
    }

    @Test
    void whereThroughStridesPicksAsANaiveLoop() {
        SplittableRandom rng = new SplittableRandom(74);
        // condition, a, b, out strides: includes the mask-and-scalar shape (1, 1, 0, 1) and its near misses
        // odd strides above 1 with unit-stride outputs too: (s | 1) != 1 is what sends them to the strided loop
        int[][] strides = {{1, 1, 0, 1}, {2, 1, 0, 1}, {1, 2, 0, 1}, {1, 1, 1, 1}, {1, 1, 0, 2}, {0, 1, 2, 1},
            {1, 0, 1, 3}, {3, 2, 1, 2}, {3, 1, 1, 1}, {1, 3, 1, 1}, {1, 1, 3, 1}, {1, 3, 0, 1}};
        for (Kernels k : kernels()) {
            for (int n : SIZES) {
                for (int[] s : strides) {
                    String where = k.name() + " n=" + n + " strides " + Arrays.toString(s);
                    double[] cond = values(rng, span(1, s[0], n));
                    byte[] mask = new byte[cond.length];
                    for (int i = 0; i < mask.length; i++) mask[i] = (byte) (rng.nextInt(3) == 0 ? 0 : 1 + rng.nextInt(3));
                    double[] a = values(rng, span(2, s[1], n));
                    double[] b = values(rng, span(0, s[2], n));
                    double[] byValue = new double[n];
                    double[] byMask = new double[n];
                    for (int i = 0; i < n; i++) {
                        double c = cond[1 + i * s[0]];
                        byValue[i] = c != 0 ? a[2 + i * s[1]] : b[i * s[2]];   // NaN selects a
                        byMask[i] = mask[1 + i * s[0]] != 0 ? a[2 + i * s[1]] : b[i * s[2]];
                    }
                    double[] out = new double[span(1, s[3], n)];
                    Arrays.fill(out, SENTINEL_D);
                    k.where(cond, 1, s[0], a, 2, s[1], b, 0, s[2], out, 1, s[3], n);
                    assertStrided("double where " + where, byValue, out, 1, s[3]);
                    Arrays.fill(out, SENTINEL_D);
                    k.where(mask, 1, s[0], a, 2, s[1], b, 0, s[2], out, 1, s[3], n);
                    assertStrided("double mask where " + where, byMask, out, 1, s[3]);

                    float[] outF = new float[out.length];
                    Arrays.fill(outF, SENTINEL_F);
                    k.where(floats(cond), 1, s[0], floats(a), 2, s[1], floats(b), 0, s[2], outF, 1, s[3], n);
                    assertStrided("float where " + where, floats(byValue), outF, 1, s[3]);
                    Arrays.fill(outF, SENTINEL_F);
                    k.where(mask, 1, s[0], floats(a), 2, s[1], floats(b), 0, s[2], outF, 1, s[3], n);
                    assertStrided("float mask where " + where, floats(byMask), outF, 1, s[3]);

                    long[] al = new long[a.length];
                    long[] bl = new long[b.length];
                    for (int i = 0; i < al.length; i++) al[i] = rng.nextLong();
                    for (int i = 0; i < bl.length; i++) bl[i] = rng.nextLong();
                    long[] expectedL = new long[n];
                    for (int i = 0; i < n; i++) expectedL[i] = mask[1 + i * s[0]] != 0 ? al[2 + i * s[1]] : bl[i * s[2]];
                    long[] outL = new long[out.length];
                    Arrays.fill(outL, SENTINEL_L);
                    k.where(mask, 1, s[0], al, 2, s[1], bl, 0, s[2], outL, 1, s[3], n);
                    assertStrided("long mask where " + where, expectedL, outL, 1, s[3]);
                }
            }
        }
    }

    @Test
    void comparisonsIntoMasksThroughStridesMatchJava() {
        SplittableRandom rng = new SplittableRandom(76);
        int[][] strides = {{1, 1}, {3, 1}, {1, 3}, {0, 3}, {3, 0}, {2, 1}, {1, 2}};
        BinaryOp[] ops = {BinaryOp.GT, BinaryOp.GE, BinaryOp.LT, BinaryOp.LE, BinaryOp.EQ, BinaryOp.NE};
        for (Kernels k : kernels()) {
            for (BinaryOp op : ops) {
                for (int n : SIZES) {
                    for (int[] s : strides) {
                        for (int outStride : new int[] {1, 2}) {
                            double[] a = values(rng, span(1, s[0], n));
                            double[] b = values(rng, span(2, s[1], n));
                            float[] af = floats(a);
                            float[] bf = floats(b);
                            long[] al = new long[a.length];
                            long[] bl = new long[b.length];
                            for (int i = 0; i < al.length; i++) al[i] = rng.nextInt(4) - 2;
                            for (int i = 0; i < bl.length; i++) bl[i] = rng.nextInt(4) - 2;
                            byte[] wantD = new byte[n];
                            byte[] wantF = new byte[n];
                            byte[] wantL = new byte[n];
                            for (int i = 0; i < n; i++) {
                                wantD[i] = compare(op, a[1 + i * s[0]], b[2 + i * s[1]]);
                                wantF[i] = compare(op, af[1 + i * s[0]], bf[2 + i * s[1]]);
                                wantL[i] = compare(op, al[1 + i * s[0]], bl[2 + i * s[1]]);
                            }
                            String where = k.name() + " " + op + " n=" + n + " strides " + Arrays.toString(s)
                                    + " out " + outStride;
                            byte[] out = new byte[span(1, outStride, n)];
                            Arrays.fill(out, (byte) 7);
                            k.compare(op, a, 1, s[0], b, 2, s[1], out, 1, outStride, n);
                            assertMask("double " + where, wantD, out, 1, outStride);
                            Arrays.fill(out, (byte) 7);
                            k.compare(op, af, 1, s[0], bf, 2, s[1], out, 1, outStride, n);
                            assertMask("float " + where, wantF, out, 1, outStride);
                            Arrays.fill(out, (byte) 7);
                            k.compare(op, al, 1, s[0], bl, 2, s[1], out, 1, outStride, n);
                            assertMask("long " + where, wantL, out, 1, outStride);
                        }
                    }
                }
            }
        }
    }

    /** Java's comparison operators (false for NaN except !=). */
    private static byte compare(BinaryOp op, double x, double y) {
        boolean r = switch (op) {
            case GT -> x > y;
            case GE -> x >= y;
            case LT -> x < y;
            case LE -> x <= y;
            case EQ -> x == y;
            default -> x != y;
        };
        return (byte) (r ? 1 : 0);
    }

    private static byte compare(BinaryOp op, long x, long y) {
        return compare(op, (double) x, (double) y);   // the test's longs are small, exact as doubles
    }

    private static void assertMask(String where, byte[] expected, byte[] out, int off, int stride) {
        for (int at = 0; at < out.length; at++) {
            int rel = at - off;
            boolean written = rel >= 0 && rel % stride == 0 && rel / stride < expected.length;
            assertEquals(written ? expected[rel / stride] : 7, out[at], where + " at " + at);
        }
    }

    /** Summation's order, transcribed: left to right below 32 elements, else 32 round-robin partials and a tree. */
    private static double canonicalSum(double[] v) {
        if (v.length < 32) {
            double s = 0;
            for (double x : v) s += x;
            return s;
        }
        double[] p = new double[32];
        for (int i = 0; i < v.length; i++) p[i % 32] += v[i];
        for (int width = 32; width > 1; width /= 2) {
            double[] q = new double[width / 2];
            for (int j = 0; j < width / 2; j++) q[j] = p[2 * j] + p[2 * j + 1];
            p = q;
        }
        return p[0];
    }

    @Test
    void stridedSumsFollowTheCanonicalOrder() {
        SplittableRandom rng = new SplittableRandom(75);
        for (Kernels k : kernels()) {
            for (int n : new int[] {1, 31, 32, 33, 63, 64, 100, 257}) {
                for (int stride : new int[] {1, 2, 3}) {
                    int off = rng.nextInt(3);
                    double[] x = new double[span(off, stride, n)];
                    // magnitudes over 12 decades: any other order of the adds changes the rounded result
                    for (int i = 0; i < x.length; i++) x[i] = (rng.nextDouble() - 0.5) * Math.pow(10, rng.nextInt(12));
                    String where = k.name() + " sum n=" + n + " stride " + stride;
                    double[] g = gather(x, off, stride, n);
                    assertEquals(canonicalSum(g), k.sum(x, off, stride, n), 0.0, "double " + where);
                    float[] xf = floats(x);
                    double[] gf = new double[n];
                    for (int i = 0; i < n; i++) gf[i] = xf[off + i * stride];
                    assertEquals(canonicalSum(gf), k.sum(xf, off, stride, n), 0.0, "float " + where);
                    long[] xl = new long[x.length];
                    long expectedL = 0;
                    for (int i = 0; i < xl.length; i++) xl[i] = (long) x[i];
                    for (int i = 0; i < n; i++) expectedL += xl[off + i * stride];
                    assertEquals(expectedL, k.sum(xl, off, stride, n), "long " + where);
                }
            }
        }
    }
}
