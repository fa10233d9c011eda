package org.grad4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The scalar kernels' vectorisable loops (contiguous operands at out's offset, in place, broadcast scalars; stride-1
 * max, min and sums) against the element-wise definition (for sums: Summation's order written out), bit for bit, next
 * to the layouts that keep the strided loops.
 * Inputs include NaN, infinities, signed zeros and subnormals. {@code VectorKernelsTest} holds the same kernels to the
 * SIMD ones.
 */
class ScalarElementwiseTest {
    private static final Kernels SCALAR = KernelProvider.scalar();
    private static final int[] SIZES = {0, 1, 7, 16, 33, 1000};
    private static final double[] SPECIALS = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0,
        0.0, Double.MIN_VALUE, -1e-310, 1e-40, -3.5, 2.0};

    private static double[] values(SplittableRandom rng, int length) {
        double[] v = new double[length];
        for (int i = 0; i < length; i++) {
            v[i] = rng.nextInt(4) == 0 ? SPECIALS[rng.nextInt(SPECIALS.length)] : rng.nextGaussian() * 10;
        }
        return v;
    }

    private static float[] floats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }

    private static void same(String where, double expected, double actual) {
        if (Double.isNaN(expected) && Double.isNaN(actual)) {
            return;   // NaN payloads are outside the promise
        }
        assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(actual), where);
    }

    private static void same(String where, float expected, float actual) {
        if (Float.isNaN(expected) && Float.isNaN(actual)) {
            return;
        }
        assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(actual), where);
    }

    /** Unary ops with their definitions; float results are the float function of the float input. */
    @Test
    void unaryLoopsGiveTheDefinitionInEveryLayout() {
        SplittableRandom rng = new SplittableRandom(5);
        UnaryOp[] ops = {UnaryOp.NEG, UnaryOp.ABS, UnaryOp.SQRT, UnaryOp.RELU};
        DoubleUnaryOperator[] defs = {v -> -v, Math::abs, Math::sqrt,
            v -> v > 0 ? v : (Double.isNaN(v) ? v : 0.0)};
        for (int o = 0; o < ops.length; o++) {
            for (int n : SIZES) {
                // {xOff, xStride, outOff, outStride, inPlace}
                int[][] layouts = {{0, 1, 0, 1, 0}, {3, 1, 3, 1, 0}, {3, 1, 3, 1, 1}, {2, 1, 5, 1, 0}, {1, 2, 0, 1, 0},
                    {0, 1, 1, 3, 0}};
                for (int[] l : layouts) {
                    String where = ops[o] + " n=" + n + " layout " + java.util.Arrays.toString(l);
                    int length = 6 + 3 * n;
                    double[] x = values(rng, length);
                    float[] xf = floats(x);
                    double[] out = l[4] == 1 ? x : new double[length];
                    float[] outF = l[4] == 1 ? xf : new float[length];
                    double[] x0 = x.clone();
                    float[] xf0 = xf.clone();
                    SCALAR.unary(ops[o], x, l[0], l[1], out, l[2], l[3], n);
                    SCALAR.unary(ops[o], xf, l[0], l[1], outF, l[2], l[3], n);
                    for (int i = 0; i < n; i++) {
                        double in = x0[l[0] + i * l[1]];
                        same(where + " double at " + i, defs[o].applyAsDouble(in), out[l[2] + i * l[3]]);
                        float inF = xf0[l[0] + i * l[1]];
                        same(where + " float at " + i, (float) defs[o].applyAsDouble(inF), outF[l[2] + i * l[3]]);
                    }
                }
            }
        }
    }

    @Test
    void binaryLoopsGiveTheDefinitionInEveryLayout() {
        SplittableRandom rng = new SplittableRandom(6);
        BinaryOp[] ops = {BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV, BinaryOp.MAX, BinaryOp.MIN};
        DoubleBinaryOperator[] defs = {(p, q) -> p + q, (p, q) -> p - q, (p, q) -> p * q, (p, q) -> p / q,
            Math::max, Math::min};
        // {aOff, aStride, bOff, bStride, outOff, outStride, inPlace (out is a)}
        int[][] layouts = {{0, 1, 0, 1, 0, 1, 0}, {4, 1, 4, 1, 4, 1, 0}, {4, 1, 4, 1, 4, 1, 1}, {4, 1, 2, 0, 4, 1, 0},
            {4, 1, 2, 0, 4, 1, 1}, {2, 0, 4, 1, 4, 1, 0}, {0, 1, 3, 1, 0, 1, 0}, {1, 1, 0, 1, 2, 1, 0},
            {0, 2, 0, 1, 0, 1, 0}, {0, 1, 0, 1, 0, 2, 0}};
        for (int o = 0; o < ops.length; o++) {
            for (int n : SIZES) {
                for (int[] l : layouts) {
                    String where = ops[o] + " n=" + n + " layout " + java.util.Arrays.toString(l);
                    int length = 6 + 2 * n;
                    double[] a = values(rng, length);
                    double[] b = values(rng, length);
                    float[] af = floats(a);
                    float[] bf = floats(b);
                    double[] out = l[6] == 1 ? a : new double[length];
                    float[] outF = l[6] == 1 ? af : new float[length];
                    double[] a0 = a.clone();
                    float[] af0 = af.clone();
                    SCALAR.binary(ops[o], a, l[0], l[1], b, l[2], l[3], out, l[4], l[5], n);
                    SCALAR.binary(ops[o], af, l[0], l[1], bf, l[2], l[3], outF, l[4], l[5], n);
                    for (int i = 0; i < n; i++) {
                        double expected = defs[o].applyAsDouble(a0[l[0] + i * l[1]], b[l[2] + i * l[3]]);
                        same(where + " double at " + i, expected, out[l[4] + i * l[5]]);
                        float ef = floatOp(ops[o], af0[l[0] + i * l[1]], bf[l[2] + i * l[3]]);
                        same(where + " float at " + i, ef, outF[l[4] + i * l[5]]);
                    }
                }
            }
        }
    }

    /** The op in float arithmetic (not a double result rounded: that could differ for add and mul). */
    private static float floatOp(BinaryOp op, float p, float q) {
        return switch (op) {
            case ADD -> p + q;
            case SUB -> p - q;
            case MUL -> p * q;
            case DIV -> p / q;
            case MAX -> Math.max(p, q);
            case MIN -> Math.min(p, q);
            default -> throw new IllegalArgumentException(op.toString());
        };
    }

    @Test
    void contiguousMaxAndMinFindNaNAndOrderSignedZeros() {
        SplittableRandom rng = new SplittableRandom(7);
        for (int n : new int[] {1, 2, 15, 16, 17, 100, 1000}) {
            for (int off : new int[] {0, 3}) {
                for (int trial = 0; trial < 20; trial++) {
                    double[] x = values(rng, off + n);
                    float[] xf = floats(x);
                    double max = x[off];
                    double min = x[off];
                    float maxF = xf[off];
                    float minF = xf[off];
                    for (int i = off + 1; i < off + n; i++) {
                        max = Math.max(max, x[i]);
                        min = Math.min(min, x[i]);
                        maxF = Math.max(maxF, xf[i]);
                        minF = Math.min(minF, xf[i]);
                    }
                    String where = "n=" + n + " off=" + off;
                    same("max " + where, max, SCALAR.max(x, off, 1, n));
                    same("min " + where, min, SCALAR.min(x, off, 1, n));
                    same("float max " + where, (double) maxF, SCALAR.max(xf, off, 1, n));
                    same("float min " + where, (double) minF, SCALAR.min(xf, off, 1, n));
                }
            }
        }
        same("max of -0 and +0", 0.0, SCALAR.max(new double[] {-0.0, 0.0, -0.0}, 0, 1, 3));
        same("min of +0 and -0", -0.0, SCALAR.min(new float[] {0.0f, -0.0f, 0.0f}, 0, 1, 3));
    }

    /** Summation's order written out: up to 31 terms left to right, else 32 round-robin partials and a pair tree. */
    private static double canonicalSum(double[] terms) {
        if (terms.length < 32) {
            double s = 0;
            for (double t : terms) s += t;
            return s;
        }
        double[] p = new double[32];
        for (int i = 0; i < terms.length; i++) p[i % 32] += terms[i];
        for (int width = 32; width > 1; width /= 2) {
            for (int j = 0; j < width / 2; j++) p[j] = p[2 * j] + p[2 * j + 1];
        }
        return p[0];
    }

    @Test
    void contiguousSumsFollowTheCanonicalOrder() {
        SplittableRandom rng = new SplittableRandom(8);
        for (int n : new int[] {0, 1, 31, 32, 33, 64, 95, 1000, 4099}) {
            for (int off : new int[] {0, 5}) {
                double[] x = new double[off + n];
                for (int i = 0; i < x.length; i++) x[i] = rng.nextGaussian() * Math.pow(10, rng.nextInt(12) - 6);
                float[] xf = floats(x);
                double[] terms = java.util.Arrays.copyOfRange(x, off, off + n);
                double[] termsF = new double[n];
                for (int i = 0; i < n; i++) termsF[i] = xf[off + i];
                same("sum n=" + n + " off=" + off, canonicalSum(terms), SCALAR.sum(x, off, 1, n));
                same("float sum n=" + n + " off=" + off, canonicalSum(termsF), SCALAR.sum(xf, off, 1, n));
            }
        }
    }
}
