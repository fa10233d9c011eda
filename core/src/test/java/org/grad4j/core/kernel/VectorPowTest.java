package org.grad4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * pow on SIMD lanes (Math.snippets' powd and powf, with vectors holding a rare case handed to ScalarKernels lane by
 * lane) gives ScalarKernels.pow's and powF's bits: over a million random pairs per dtype (random bit patterns,
 * uniform ranges, negative bases with integer and non-integer exponents, exponents near the overflow and underflow
 * thresholds), every pair of edge values, rare cases mixed into otherwise ordinary vectors, and broadcast exponents
 * and bases (the stride-0 loops, including the exponents the scalar rules answer: 0, 1, 0.5, -1, 2). NaN results are
 * compared as NaN.
 */
class VectorPowTest {
    private static final int MILLION = 1_000_000;
    private static final Kernels SCALAR = KernelProvider.scalar();
    private static Kernels vector;

    @BeforeAll
    static void loadVectorKernels() {
        vector = SimdKernelsForTests.loadOrSkip();
    }

    /** Bases and exponents where pow is most likely to go wrong. */
    private static double[] edges() {
        List<Double> v = new ArrayList<>(List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0,
                -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, -Double.MIN_NORMAL, Double.MAX_VALUE,
                -Double.MAX_VALUE, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 3.0, -3.0, 1.5, -1.5, 10.0, 0.1, 1e-300, 1e300,
                0x1.0p24, 0x1.0p51, 0x1.0p52, 0x1.0p53, -0x1.0p53, 0x1.0p53 + 2, 1023.0, 1024.0, -1074.0, -1075.0,
                127.0, 128.0, -149.0, -150.0, (double) Float.MIN_NORMAL, (double) Float.MIN_VALUE, 709.0, 745.0,
                Math.E, Math.PI, 1e-8, -1e-8));
        for (double d : List.copyOf(v)) {
            v.add(Math.nextUp(d));
            v.add(Math.nextDown(d));
        }
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** x[i], y[i]: every pair of edges, then random pairs of several kinds up to a million. */
    private static double[][] pairs(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] edges = edges();
        double[] x = new double[MILLION];
        double[] y = new double[MILLION];
        int n = 0;
        for (double a : edges) {
            for (double b : edges) {
                x[n] = a;
                y[n++] = b;
            }
        }
        double[] special = {0, 1, 2, 0.5, -1, Double.NaN, Double.POSITIVE_INFINITY, -0.0};
        for (; n < MILLION; n++) {
            switch (rng.nextInt(6)) {
                case 0 -> {   // any bits
                    x[n] = Double.longBitsToDouble(rng.nextLong());
                    y[n] = Double.longBitsToDouble(rng.nextLong());
                }
                case 1 -> {   // positive bases, moderate exponents
                    x[n] = rng.nextDouble() * Math.pow(10, rng.nextInt(-30, 31));
                    y[n] = (2 * rng.nextDouble() - 1) * 40;
                }
                case 2 -> {   // negative bases: integer exponents (odd and even), sometimes not
                    x[n] = -rng.nextDouble() * Math.pow(10, rng.nextInt(-5, 6));
                    y[n] = rng.nextInt(4) == 0 ? rng.nextDouble() * 10 : rng.nextInt(-60, 61);
                }
                case 3 -> {   // y log x near the overflow and underflow thresholds
                    x[n] = 1 + rng.nextDouble() * 9;
                    double t = (rng.nextBoolean() ? 1 : -1) * (700 + rng.nextDouble() * 50);
                    y[n] = t / Math.log(x[n]);
                }
                case 4 -> {   // x near 1 with huge exponents
                    x[n] = 1 + (2 * rng.nextDouble() - 1) * 1e-12;
                    y[n] = (2 * rng.nextDouble() - 1) * 1e14;
                }
                default -> {   // an ordinary pair, now and then a rare case among ordinary lanes
                    x[n] = rng.nextDouble() * 100;
                    y[n] = rng.nextInt(8) == 0 ? special[rng.nextInt(special.length)] : rng.nextDouble() * 6 - 3;
                }
            }
        }
        return new double[][] {x, y};
    }

    @Test
    void doublePowOnSimdLanesGivesTheScalarBits() {
        double[][] p = pairs(11);
        double[] x = p[0];
        double[] y = p[1];
        double[] simd = new double[MILLION];
        double[] scalar = new double[MILLION];
        vector.binary(BinaryOp.POW, x, 0, 1, y, 0, 1, simd, 0, 1, MILLION);
        SCALAR.binary(BinaryOp.POW, x, 0, 1, y, 0, 1, scalar, 0, 1, MILLION);
        for (int i = 0; i < MILLION; i++) {
            if (Double.doubleToLongBits(simd[i]) != Double.doubleToLongBits(scalar[i])) {
                fail("pow(" + x[i] + ", " + y[i] + "): simd " + simd[i] + ", scalar " + scalar[i]);
            }
        }
    }

    @Test
    void floatPowOnSimdLanesGivesTheScalarBits() {
        double[][] p = pairs(12);
        float[] x = new float[MILLION];
        float[] y = new float[MILLION];
        SplittableRandom rng = new SplittableRandom(13);
        for (int i = 0; i < MILLION; i++) {
            x[i] = (float) p[0][i];
            // float bit patterns too, and exponents below and above 2^24 (where every float is an even integer)
            y[i] = i % 7 == 0 ? Float.intBitsToFloat(rng.nextInt()) : i % 11 == 0 ? rng.nextInt(-60, 61) * 0x1.0p20f
                    : (float) p[1][i];
        }
        float[] simd = new float[MILLION];
        float[] scalar = new float[MILLION];
        vector.binary(BinaryOp.POW, x, 0, 1, y, 0, 1, simd, 0, 1, MILLION);
        SCALAR.binary(BinaryOp.POW, x, 0, 1, y, 0, 1, scalar, 0, 1, MILLION);
        for (int i = 0; i < MILLION; i++) {
            if (Float.floatToIntBits(simd[i]) != Float.floatToIntBits(scalar[i])) {
                fail("pow(" + x[i] + "f, " + y[i] + "f): simd " + simd[i] + ", scalar " + scalar[i]);
            }
        }
    }

    @Test
    void broadcastExponentsAndBasesGiveTheScalarBits() {
        double[][] p = pairs(14);
        int n = 4099;   // not a multiple of any lane count: the tail runs in ScalarKernels
        double[] x = java.util.Arrays.copyOf(p[0], n);
        float[] xf = new float[n];
        for (int i = 0; i < n; i++) xf[i] = (float) x[i];
        double[] exponents = {0, 1, 2, 0.5, -1, -0.0, 3, -3, 1.5, -2.5, 0.25, 1e-3, 40, -40, 1e10,
            Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        double[] simd = new double[n];
        double[] scalar = new double[n];
        float[] simdF = new float[n];
        float[] scalarF = new float[n];
        for (double e : exponents) {
            double[] b = {e};
            vector.binary(BinaryOp.POW, x, 0, 1, b, 0, 0, simd, 0, 1, n);
            SCALAR.binary(BinaryOp.POW, x, 0, 1, b, 0, 0, scalar, 0, 1, n);
            vector.binary(BinaryOp.POW, b, 0, 0, x, 0, 1, simd, 0, 1, n);   // broadcast base, varying exponent
            double[] scalarBase = new double[n];
            SCALAR.binary(BinaryOp.POW, b, 0, 0, x, 0, 1, scalarBase, 0, 1, n);
            float[] bf = {(float) e};
            vector.binary(BinaryOp.POW, xf, 0, 1, bf, 0, 0, simdF, 0, 1, n);
            SCALAR.binary(BinaryOp.POW, xf, 0, 1, bf, 0, 0, scalarF, 0, 1, n);
            for (int i = 0; i < n; i++) {
                assertTrue(Float.floatToIntBits(simdF[i]) == Float.floatToIntBits(scalarF[i]),
                        "pow(" + xf[i] + "f, " + bf[0] + "f): simd " + simdF[i] + ", scalar " + scalarF[i]);
                assertTrue(Double.doubleToLongBits(simd[i]) == Double.doubleToLongBits(scalarBase[i]),
                        "pow(" + e + ", " + x[i] + "): simd " + simd[i] + ", scalar " + scalarBase[i]);
            }
            vector.binary(BinaryOp.POW, x, 0, 1, b, 0, 0, simd, 0, 1, n);
            for (int i = 0; i < n; i++) {
                assertTrue(Double.doubleToLongBits(simd[i]) == Double.doubleToLongBits(scalar[i]),
                        "pow(" + x[i] + ", " + e + "): simd " + simd[i] + ", scalar " + scalar[i]);
            }
        }
    }

    /**
     * float pow with one exponent runs two float vectors per iteration and the last odd vector on its own: 4,123
     * elements are an odd number of whole vectors at 512 bits (257) and at 256 bits (515); bases that overflow
     * (y log2 x beyond +-200), negative and zero bases sit in both loops.
     */
    @Test
    void floatPowWithOneExponentOverAnOddNumberOfVectorsGivesTheScalarBits() {
        SplittableRandom rng = new SplittableRandom(16);
        int n = 4123;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rng.nextDouble() * Math.pow(10, rng.nextInt(-30, 31)));
        }
        x[n - 20] = -2f;
        x[n - 30] = 0f;
        x[n - 40] = 3e38f;
        x[100] = -3f;
        x[200] = 1e-30f;
        float[] simd = new float[n];
        float[] scalar = new float[n];
        for (float e : new float[] {1.5f, -2.5f, 3f, 0.25f, 40f, -7f}) {
            float[] b = {e};
            vector.binary(BinaryOp.POW, x, 0, 1, b, 0, 0, simd, 0, 1, n);
            SCALAR.binary(BinaryOp.POW, x, 0, 1, b, 0, 0, scalar, 0, 1, n);
            for (int i = 0; i < n; i++) {
                assertTrue(Float.floatToIntBits(simd[i]) == Float.floatToIntBits(scalar[i]),
                        "pow(" + x[i] + "f, " + e + "f): simd " + simd[i] + ", scalar " + scalar[i]);
            }
        }
    }

    /** The SIMD lanes are right, not only equal: within 1 ulp of StrictMath.pow on ordinary pairs. */
    @Test
    void doublePowOnSimdLanesIsWithinOneUlpOfStrictMath() {
        SplittableRandom rng = new SplittableRandom(15);
        int n = 100_000;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = (rng.nextBoolean() ? 1 : -1) * rng.nextDouble() * Math.pow(10, rng.nextInt(-20, 21));
            y[i] = x[i] < 0 ? rng.nextInt(-30, 31) : (2 * rng.nextDouble() - 1) * 30;
        }
        double[] simd = new double[n];
        vector.binary(BinaryOp.POW, x, 0, 1, y, 0, 1, simd, 0, 1, n);
        for (int i = 0; i < n; i++) {
            double expected = StrictMath.pow(x[i], y[i]);
            if (Double.isFinite(expected) && Math.abs(expected) >= Double.MIN_NORMAL) {
                assertTrue(Math.abs(simd[i] - expected) <= Math.ulp(expected),
                        "pow(" + x[i] + ", " + y[i] + ") = " + simd[i] + ", StrictMath " + expected);
            }
        }
    }
}
