package org.grad4j.core.kernel;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SIMD pow loops check each vector (in float pow's one-exponent loop: each of the two float vectors' two double
 * halves) for lanes their fast path cannot take, and hand such a vector to the scalar rules. One rare lane among
 * ordinary ones, put at every position of an array in turn, reaches every one of those checks, in the paired loop,
 * the single-vector loop that follows it and the scalar tail: wherever it sits, the result must have the scalar
 * kernels' bits. (Random data rarely puts a rare lane in the last quarter of a pair with the first three ordinary.)
 * 121 elements: three iterations of the paired float loop at 512 bits (32 floats each), one more vector and a tail;
 * at 256 bits seven pairs and a tail.
 */
class PowRareLaneAtEveryPositionTest {
    private static final Kernels SCALAR = KernelProvider.scalar();
    private static final int N = 121;
    private static Kernels vector;

    @BeforeAll
    static void loadVectorKernels() {
        vector = SimdKernelsForTests.loadOrSkip();
    }

    /** Bases the fast path cannot take, or whose power leaves its range for the exponents used below. */
    private static final float[] RARE_FLOAT_BASES = {100f, 1e-30f, Float.POSITIVE_INFINITY, -2f, -0.5f, 0f, -0f,
        Float.NaN, 1e-40f, Float.MAX_VALUE};

    private static final float[] FLOAT_EXPONENTS = {40f, -40f, 0.05f, 1.5f, 3f};

    @Test
    void floatPowWithOneExponentGivesTheScalarBitsWhereverTheRareBaseSits() {
        for (float e : FLOAT_EXPONENTS) {
            floatRareAtEveryPosition("pow(x, " + e + "f)", RARE_FLOAT_BASES, true, filled(1.0625f),
                    new float[] {e});
        }
    }

    /** Exponents the fast path leaves to the scalar rules (exact or special answers) or whose power leaves its range. */
    private static final float[] RARE_FLOAT_EXPONENTS = {2f, 0f, -0f, 1f, 0.5f, -1f, 1e10f, -1e10f, 3000f,
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};

    @Test
    void floatPowWithVaryingExponentsGivesTheScalarBitsWhereverTheRareLaneSits() {
        floatRareAtEveryPosition("pow(1.0625f, w)", RARE_FLOAT_EXPONENTS, false, filled(1.0625f), filled(1.5f));
        floatRareAtEveryPosition("pow(x, 0.05f) elementwise", RARE_FLOAT_BASES, true, filled(1.0625f), filled(0.05f));
    }

    /** With the bounds of the loop's test on the bits of x: the least normal and the largest finite, each sign. */
    private static final double[] RARE_DOUBLE_BASES = {1e300, 1e-300, Double.POSITIVE_INFINITY, -2, -0.5, 0, -0.0,
        Double.NaN, 1e-310, Double.MAX_VALUE, Double.MIN_NORMAL, Math.nextDown(Double.MIN_NORMAL),
        -Double.MIN_NORMAL, -Double.MAX_VALUE, Double.NEGATIVE_INFINITY, Double.longBitsToDouble(0xfff8000000000000L)};

    /**
     * nextUp(32) and 40 are just beyond the SIMD path's |y| <= 32 (32 itself takes it); the powers of two after them
     * fail the loop's first test (a zero fraction field) and pass its exact check to the table path.
     */
    private static final double[] RARE_DOUBLE_EXPONENTS = {2, 0, -0.0, 1, 0.5, -1, 1e300, -1e300, 3000, 0x1p52 + 1,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, Math.nextUp(32.0), -Math.nextUp(32.0), 40,
        4, -4, 0.25, -0.5, -2, 16, 32, -32, 0x1p-30, Double.MIN_VALUE, Math.nextDown(32.0), -Math.nextDown(32.0),
        Double.longBitsToDouble(0xfff8000000000000L)};

    @Test
    void doublePowGivesTheScalarBitsWhereverTheRareLaneSits() {
        for (double e : new double[] {40, -40, 32, -32, 0.05, 1.5, 3}) {
            doubleRareAtEveryPosition("pow(x, " + e + ")", RARE_DOUBLE_BASES, true, filled(1.0625), new double[] {e});
        }
        doubleRareAtEveryPosition("pow(1.0625, w)", RARE_DOUBLE_EXPONENTS, false, filled(1.0625), filled(1.5));
        // exponents 0.3 elementwise: the rare base alone must fail the loop's first test (on the bits of x and y);
        // with |y| < 0.5, the table's log of an infinite or NaN base's bits (about 710) passes the later |y log x| test
        doubleRareAtEveryPosition("pow(x, 0.3) elementwise", RARE_DOUBLE_BASES, true, filled(1.0625), filled(0.3));
        // exponents 1.5 and 40 in every vector: each lane of 40 comes from the pair loop run on its vector
        double[] mixed = new double[N];
        for (int i = 0; i < N; i++) {
            mixed[i] = i % 3 == 0 ? 40 : 1.5;
        }
        doubleRareAtEveryPosition("pow(x, 1.5 or 40) elementwise", RARE_DOUBLE_BASES, true, filled(1.0625), mixed);
    }

    /**
     * For each rare value and each position p of N: the bases and exponents (N of each, or one exponent for every
     * lane) with the rare value at p of the bases ({@code inBase}) or of the exponents; SIMD and scalar pow must give
     * the same bits.
     */
    private static void floatRareAtEveryPosition(String what, float[] rares, boolean inBase, float[] bases,
                                                 float[] exponents) {
        int wStep = exponents.length == 1 ? 0 : 1;
        float[] simd = new float[N];
        float[] scalar = new float[N];
        for (float rare : rares) {
            for (int p = 0; p < N; p++) {
                float[] x = bases.clone();
                float[] w = exponents.clone();
                (inBase ? x : w)[p] = rare;
                vector.binary(BinaryOp.POW, x, 0, 1, w, 0, wStep, simd, 0, 1, N);
                SCALAR.binary(BinaryOp.POW, x, 0, 1, w, 0, wStep, scalar, 0, 1, N);
                assertSameFloats(simd, scalar, what + " with " + (inBase ? "x[" : "w[") + p + "] = " + rare);
            }
        }
    }

    /** {@link #floatRareAtEveryPosition} for doubles. */
    private static void doubleRareAtEveryPosition(String what, double[] rares, boolean inBase, double[] bases,
                                                  double[] exponents) {
        int wStep = exponents.length == 1 ? 0 : 1;
        double[] simd = new double[N];
        double[] scalar = new double[N];
        for (double rare : rares) {
            for (int p = 0; p < N; p++) {
                double[] x = bases.clone();
                double[] w = exponents.clone();
                (inBase ? x : w)[p] = rare;
                vector.binary(BinaryOp.POW, x, 0, 1, w, 0, wStep, simd, 0, 1, N);
                SCALAR.binary(BinaryOp.POW, x, 0, 1, w, 0, wStep, scalar, 0, 1, N);
                assertSameDoubles(simd, scalar, what + " with " + (inBase ? "x[" : "w[") + p + "] = " + rare);
            }
        }
    }

    private static float[] filled(float value) {
        float[] a = new float[N];
        Arrays.fill(a, value);
        return a;
    }

    private static double[] filled(double value) {
        double[] a = new double[N];
        Arrays.fill(a, value);
        return a;
    }

    private static void assertSameFloats(float[] simd, float[] scalar, String what) {
        for (int i = 0; i < simd.length; i++) {
            boolean same = Float.floatToIntBits(simd[i]) == Float.floatToIntBits(scalar[i]);
            if (!same) {
                fail(what + ": element " + i + " simd " + simd[i] + ", scalar " + scalar[i]);
            }
        }
    }

    private static void assertSameDoubles(double[] simd, double[] scalar, String what) {
        for (int i = 0; i < simd.length; i++) {
            boolean same = Double.doubleToLongBits(simd[i]) == Double.doubleToLongBits(scalar[i]);
            if (!same) {
                fail(what + ": element " + i + " simd " + simd[i] + ", scalar " + scalar[i]);
            }
        }
    }
}
