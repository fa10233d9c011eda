package org.grad4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * float32 log, log1p and sigmoid check each vector for lanes outside their fast range (one integer comparison on the
 * bits of x, of 1 + x, and of sigmoid's rounded k) and then take those lanes from their wide versions. One rare lane
 * among ordinary ones, at every position of an array in turn (the paired or fourfold loop, the loop after it and the
 * scalar tail), must give the scalar kernels' bits; and every float near the ends of the fast ranges, on both sides,
 * must give the scalar bits and stay within 1 ulp of StrictMath (an independent float64 reference). 131 elements:
 * two iterations of sigmoid's fourfold loop at 512 bits and a tail, four of log's paired loop and a tail.
 */
class LogSigmoidFloatRareLaneTest {
    private static final Kernels SCALAR = KernelProvider.scalar();
    private static final int N = 131;
    private static Kernels vector;

    @BeforeAll
    static void loadVectorKernels() {
        vector = SimdKernelsForTests.loadOrSkip();
    }

    private static final float[] RARE_LOG = {0f, -0f, -1f, -Float.MIN_VALUE, Float.MIN_VALUE, 1e-40f,
        Math.nextDown(Float.MIN_NORMAL), Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};

    private static final float[] RARE_LOG1P = {-1f, -2f, Math.nextDown(-1f), Float.NEGATIVE_INFINITY,
        Float.POSITIVE_INFINITY, Float.NaN, Float.MAX_VALUE, -0f, 0f};

    private static final float[] RARE_SIGMOID = {-16.5f, -17f, -100f, -1e30f, 88f, 100f, 1e30f, Float.NaN,
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE, -Float.MAX_VALUE};

    @Test
    void aRareLaneAtAnyPositionGivesTheScalarBits() {
        rareLaneEverywhere(UnaryOp.LOG, RARE_LOG, 1.0625f);
        rareLaneEverywhere(UnaryOp.LOG1P, RARE_LOG1P, 0.0625f);
        rareLaneEverywhere(UnaryOp.SIGMOID, RARE_SIGMOID, 0.5f);
    }

    private static void rareLaneEverywhere(UnaryOp op, float[] rares, float ordinary) {
        float[] x = new float[N];
        float[] simd = new float[N];
        float[] scalar = new float[N];
        for (float rare : rares) {
            for (int p = 0; p < N; p++) {
                Arrays.fill(x, ordinary);
                x[p] = rare;
                vector.unary(op, x, 0, 1, simd, 0, 1, N);
                SCALAR.unary(op, x, 0, 1, scalar, 0, 1, N);
                assertSameFloats(simd, scalar, op + " with x[" + p + "] = " + rare);
            }
        }
    }

    @Test
    void everyFloatNearTheFastRangesEndsIsWithinOneUlpWithTheScalarBits() {
        // sigmoid: k = rint(-x / ln 2) in [-126, 23] is the fast range, x from about -16.29 to 87.68 (k = 24 reaches -17.0)
        checkRange(UnaryOp.SIGMOID, -17.4f, -16.2f, LogSigmoidFloatRareLaneTest::sigmoid);
        checkRange(UnaryOp.SIGMOID, 87.3f, 88.0f, LogSigmoidFloatRareLaneTest::sigmoid);
        checkRange(UnaryOp.SIGMOID, 86.3f, 86.7f, LogSigmoidFloatRareLaneTest::sigmoid);
        // log: [2^-126, +Inf) from the bits; 2^-126 with the subnormals below it and the largest floats
        checkBits(UnaryOp.LOG, 0x00700000, 0x00900000, StrictMath::log);
        checkBits(UnaryOp.LOG, 0x7f700000, 0x7f7fffff, StrictMath::log);
        // log1p: 1 + x near 2^-126 does not occur, but 1 + x rounding to the largest floats and near 0 does
        checkBits(UnaryOp.LOG1P, 0x7f700000, 0x7f7fffff, StrictMath::log1p);
        checkRange(UnaryOp.LOG1P, -1f, -0.99f, StrictMath::log1p);
    }

    private static double sigmoid(double x) {
        return 1 / (1 + StrictMath.exp(-x));
    }

    private static void checkRange(UnaryOp op, float from, float to, DoubleUnaryOperator reference) {
        checkBits(op, Float.floatToIntBits(from), Float.floatToIntBits(to), reference);
    }

    /** Every float whose bits lie between a and b (either order, same sign). */
    private static void checkBits(UnaryOp op, int a, int b, DoubleUnaryOperator reference) {
        int lo = Math.min(a, b);
        int n = Math.max(a, b) - lo + 1;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = Float.intBitsToFloat(lo + i);
        }
        float[] simd = new float[n];
        float[] scalar = new float[n];
        vector.unary(op, x, 0, 1, simd, 0, 1, n);
        SCALAR.unary(op, x, 0, 1, scalar, 0, 1, n);
        assertSameFloats(simd, scalar, op + " on [" + x[0] + ", " + x[n - 1] + "]");
        for (int i = 0; i < n; i++) {
            double exact = reference.applyAsDouble(x[i]);
            if (Double.isInfinite(exact) || Double.isNaN(exact)) {
                assertTrue(Float.compare((float) exact, scalar[i]) == 0, op + "(" + x[i] + ") = " + scalar[i]);
                continue;
            }
            float rounded = (float) exact;
            double ulp = Math.abs(exact) < Float.MIN_NORMAL ? Float.MIN_VALUE : Math.ulp(rounded);
            double err = Math.abs(scalar[i] - exact) / ulp;
            assertTrue(err <= 1, op + "(" + x[i] + ") = " + scalar[i] + ", " + err + " ulp from " + exact);
        }
    }

    private static void assertSameFloats(float[] simd, float[] scalar, String what) {
        for (int i = 0; i < simd.length; i++) {
            if (Float.floatToIntBits(simd[i]) != Float.floatToIntBits(scalar[i])) {
                fail(what + ": element " + i + " simd " + simd[i] + ", scalar " + scalar[i]);
            }
        }
    }
}
