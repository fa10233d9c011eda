package org.grad4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Differential tests: the Vector API kernels against the scalar reference, for every {@link Kernels} method, over
 * awkward sizes (around the 16-float / 8-double lane counts and far from them), strides 0 / 1 / 3, offsets, both
 * dtypes, and inputs salted with NaN, +-Inf, -0.0, subnormals and +-1000.
 *
 * <p>Tolerances: bit-exact (NaN matches any NaN) for every element-wise op, transcendental functions included
 * (both kernels run grad4j's own functions, the same operations in the same order: see Math.snippets), and for
 * every reduction and GEMM, which both follow one canonical order (Summation, GemmOrder); the double sums and
 * products are also checked against a naive loop, to n ulps of the condition bound {@code sum |terms|}.
 *
 * <p>Nothing here is timed. One test repeats the kernels until the JIT has compiled them, since the Vector API runs
 * as plain Java in the interpreter and only becomes SIMD code in C2: both paths must agree with the reference.
 */
class VectorKernelsTest {
    private static final int[] SIZES = {0, 1, 4, 6, 13, 15, 16, 17, 31, 33, 207, 702, 1024};
    private static final int[] STRIDES = {0, 1, 3};
    private static final int[] GEMM_DIMS = {1, 2, 3, 5, 8, 17, 31, 64, 65, 130};

    private static final Kernels SCALAR = KernelProvider.scalar();
    private static Kernels vector;

    @BeforeAll
    static void loadVectorKernels() {
        vector = SimdKernelsForTests.loadOrSkip();
    }

    @Test
    void theProviderPicksTheVectorKernelsWhenTheModuleIsPresent() {
        assumeTrue(!"scalar".equals(System.getProperty("grad4j.kernels")));
        assertEquals(vector.name(), KernelProvider.get().name(), KernelProvider.description());
        assertTrue(KernelProvider.description().contains("jdk.incubator.vector is available"),
                KernelProvider.description());
    }

    /** Integer arithmetic wraps in both kernels alike; SIMD lanes for ADD SUB MUL MAX MIN, the scalar loop else. */
    @Test
    void longBinaryOpsAgree() {
        SplittableRandom rng = new SplittableRandom(21);
        long[] specials = {Long.MIN_VALUE, Long.MAX_VALUE, -1, 0, 1, 2, 1L << 40};
        BinaryOp[] ops = {BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.MAX, BinaryOp.MIN, BinaryOp.POW};
        for (int n : SIZES) {
            for (int aStride : STRIDES) {
                for (int bStride : STRIDES) {
                    long[] a = new long[span(1, aStride, n)];
                    long[] b = new long[span(2, bStride, n)];
                    for (int i = 0; i < a.length; i++) {
                        a[i] = rng.nextInt(5) == 0 ? specials[rng.nextInt(specials.length)] : rng.nextLong(-1000, 1000);
                    }
                    for (int i = 0; i < b.length; i++) b[i] = rng.nextInt(4) == 0 ? 2 : rng.nextLong(0, 9);
                    for (BinaryOp op : ops) {
                        long[] expected = new long[n + 1];
                        long[] actual = new long[n + 1];
                        SCALAR.binary(op, a, 1, aStride, b, 2, bStride, expected, 1, 1, n);
                        vector.binary(op, a, 1, aStride, b, 2, bStride, actual, 1, 1, n);
                        assertTrue(Arrays.equals(expected, actual), op + " n=" + n + " strides " + aStride + ","
                                + bStride + ": " + Arrays.toString(expected) + " vs " + Arrays.toString(actual));
                    }
                }
            }
        }
    }

    /** The build runs this class a second time with -Dgrad4j.vectorBits=256; the kernels must then use 256 bits. */
    @Test
    void theVectorBitsPropertyChoosesTheWidth() {
        String bits = System.getProperty("grad4j.vectorBits");
        assumeTrue(bits != null, "only with -Dgrad4j.vectorBits");
        assertTrue(vector.name().startsWith("vector(" + bits + "-bit"), vector.name());
    }

    // ============================================================================================ inputs

    /** Gaussian values (scale 3) with about one in six replaced by a special value. */
    private static double[] values(SplittableRandom rng, int n) {
        double[] specials = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0, 1, -1,
            1000, -1000, 1e-40, -1e-310, 0.5, 2};
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextInt(6) == 0 ? specials[rng.nextInt(specials.length)] : 3 * rng.nextGaussian();
        }
        return v;
    }

    private static float[] floats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }

    /** Backing array for n elements at offset off with the given stride (stride 0: one element). */
    private static int span(int off, int stride, int n) {
        return off + (n == 0 ? 0 : (n - 1) * stride + 1);
    }

    // ============================================================================================ comparisons

    private static boolean sameBits(double x, double y) {
        return Double.doubleToLongBits(x) == Double.doubleToLongBits(y);
    }

    private static boolean withinUlps(double expected, double actual, double ulps, boolean isFloat) {
        if (sameBits(expected, actual) || expected == actual) {
            return true;
        }
        if (Double.isNaN(expected) || Double.isNaN(actual) || Double.isInfinite(expected)
                || Double.isInfinite(actual)) {
            return false;
        }
        double ulp = isFloat ? Math.ulp((float) expected) : Math.ulp(expected);
        return Math.abs(expected - actual) <= ulps * ulp;
    }

    private static void check(String what, double expected, double actual, double ulps, boolean isFloat) {
        boolean ok = ulps == 0 ? sameBits(expected, actual) : withinUlps(expected, actual, ulps, isFloat);
        if (!ok) {
            fail(what + ": scalar " + expected + ", vector " + actual
                    + (ulps == 0 ? " (must be bit-exact)" : " (tolerance " + ulps + " ulps)"));
        }
    }

    // ============================================================================================ unary

    @Test
    void unaryAgreesOnEverySizeStrideAndOffset() {
        SplittableRandom rng = new SplittableRandom(1);
        for (UnaryOp op : UnaryOp.values()) {
            for (int n : SIZES) {
                for (int xStride : STRIDES) {
                    for (int outStride : new int[] {1, 2}) {
                        int xOff = rng.nextInt(4);
                        int outOff = rng.nextInt(4);
                        double[] x = values(rng, span(xOff, xStride, n));
                        unaryCase(op, n, x, xOff, xStride, outOff, outStride);
                    }
                }
            }
        }
    }

    private static void unaryCase(UnaryOp op, int n, double[] x, int xOff, int xStride, int outOff, int outStride) {
        String where = op + " n=" + n + " xStride=" + xStride + " outStride=" + outStride;
        int outLen = span(outOff, outStride, n) + 2;
        float[] xf = floats(x);
        float[] ef = new float[outLen];
        float[] af = new float[outLen];
        Arrays.fill(ef, 42f);
        Arrays.fill(af, 42f);
        SCALAR.unary(op, xf, xOff, xStride, ef, outOff, outStride, n);
        vector.unary(op, xf, xOff, xStride, af, outOff, outStride, n);
        for (int i = 0; i < outLen; i++) {
            check("float " + where + " at " + i + " (x=" + input(xf, xOff, xStride, outOff, outStride, n, i) + ")",
                    ef[i], af[i], 0, true);
        }
        double[] ed = new double[outLen];
        double[] ad = new double[outLen];
        Arrays.fill(ed, 42);
        Arrays.fill(ad, 42);
        SCALAR.unary(op, x, xOff, xStride, ed, outOff, outStride, n);
        vector.unary(op, x, xOff, xStride, ad, outOff, outStride, n);
        for (int i = 0; i < outLen; i++) {
            check("double " + where + " at " + i, ed[i], ad[i], 0, false);
        }
    }

    /** The input behind output slot i, for failure messages. */
    private static String input(float[] x, int xOff, int xStride, int outOff, int outStride, int n, int i) {
        int k = i - outOff;
        return k >= 0 && k % outStride == 0 && k / outStride < n ? String.valueOf(x[xOff + k / outStride * xStride])
                : "-";
    }

    @Test
    void sigmoidIsExactlyZeroOrOneFarOutAndNeverNaN() {
        float[] xf = {1000f, -1000f, 300f, -300f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, 0f, -0f, 1000f, -1000f, 89f, -89f, 104f, -104f, 1000f};
        float[] out = new float[xf.length];
        vector.unary(UnaryOp.SIGMOID, xf, 0, 1, out, 0, 1, xf.length);
        for (int i = 0; i < xf.length; i++) {
            assertTrue(!Float.isNaN(out[i]), "sigmoid(" + xf[i] + ") is NaN");
        }
        assertEquals(1f, out[0]);
        assertEquals(0f, out[1]);
        assertEquals(1f, out[6]);
        assertEquals(0f, out[7]);
        assertEquals(0.5f, out[8]);
        double[] xd = new double[xf.length];
        for (int i = 0; i < xf.length; i++) xd[i] = xf[i];
        double[] od = new double[xd.length];
        vector.unary(UnaryOp.SIGMOID, xd, 0, 1, od, 0, 1, xd.length);
        assertEquals(1.0, od[0]);
        assertEquals(0.0, od[1]);
        for (double v : od) assertTrue(!Double.isNaN(v));
    }

    // ============================================================================================ binary

    @Test
    void binaryAgreesForEveryStrideCombination() {
        SplittableRandom rng = new SplittableRandom(2);
        for (BinaryOp op : BinaryOp.values()) {
            for (int n : SIZES) {
                for (int aStride : STRIDES) {
                    for (int bStride : STRIDES) {
                        for (int outStride : new int[] {1, 3}) {
                            binaryCase(rng, op, n, aStride, bStride, outStride, false);
                        }
                    }
                }
                binaryCase(rng, op, n, 1, 1, 1, true);   // out aliases a, as reductions and in-place ops do
            }
        }
    }

    @Test
    void powWithABroadcastTwoIsSquaring() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int n : SIZES) {
            double[] a = values(rng, n);
            double[] two = {2.0};
            double[] e = new double[n];
            double[] v = new double[n];
            SCALAR.binary(BinaryOp.POW, a, 0, 1, two, 0, 0, e, 0, 1, n);
            vector.binary(BinaryOp.POW, a, 0, 1, two, 0, 0, v, 0, 1, n);
            float[] af = floats(a);
            float[] ef = new float[n];
            float[] vf = new float[n];
            SCALAR.binary(BinaryOp.POW, af, 0, 1, new float[] {2f}, 0, 0, ef, 0, 1, n);
            vector.binary(BinaryOp.POW, af, 0, 1, new float[] {2f}, 0, 0, vf, 0, 1, n);
            for (int i = 0; i < n; i++) {
                check("double pow(" + a[i] + ", 2)", e[i], v[i], 0, false);
                check("float pow(" + af[i] + ", 2)", ef[i], vf[i], 0, true);
            }
        }
    }

    private static void binaryCase(SplittableRandom rng, BinaryOp op, int n, int aStride, int bStride,
                                   int outStride, boolean aliasOut) {
        String where = op + " n=" + n + " strides a=" + aStride + " b=" + bStride + " out=" + outStride
                + (aliasOut ? " (out aliases a)" : "");
        int aOff = aliasOut ? 0 : rng.nextInt(4);
        int bOff = rng.nextInt(4);
        int outOff = aliasOut ? 0 : rng.nextInt(4);
        double[] a = values(rng, span(aOff, aStride, n));
        double[] b = values(rng, span(bOff, bStride, n));
        if (rng.nextBoolean() && n > 0) {
            b[bOff] = a[aOff];   // ties matter for comparisons and max/min
        }
        int outLen = aliasOut ? a.length : span(outOff, outStride, n) + 2;
        double ulps = 0;

        float[] af = floats(a);
        float[] bf = floats(b);
        float[] ef = aliasOut ? af.clone() : new float[outLen];
        float[] vf = aliasOut ? af.clone() : new float[outLen];
        if (!aliasOut) {
            Arrays.fill(ef, 42f);
            Arrays.fill(vf, 42f);
        }
        SCALAR.binary(op, aliasOut ? ef : af, aOff, aStride, bf, bOff, bStride, ef, outOff, outStride, n);
        vector.binary(op, aliasOut ? vf : af, aOff, aStride, bf, bOff, bStride, vf, outOff, outStride, n);
        for (int i = 0; i < outLen; i++) check("float " + where + " at " + i, ef[i], vf[i], ulps, true);

        double[] ed = aliasOut ? a.clone() : new double[outLen];
        double[] vd = aliasOut ? a.clone() : new double[outLen];
        if (!aliasOut) {
            Arrays.fill(ed, 42);
            Arrays.fill(vd, 42);
        }
        SCALAR.binary(op, aliasOut ? ed : a, aOff, aStride, b, bOff, bStride, ed, outOff, outStride, n);
        vector.binary(op, aliasOut ? vd : a, aOff, aStride, b, bOff, bStride, vd, outOff, outStride, n);
        for (int i = 0; i < outLen; i++) check("double " + where + " at " + i, ed[i], vd[i], ulps, false);
    }

    @Test
    void maxAndMinPropagateNaNAndOrderSignedZerosAsMath() {
        float[] a = {Float.NaN, 1f, -0f, 0f, Float.NaN, -0f, 3f, Float.NEGATIVE_INFINITY};
        float[] b = {1f, Float.NaN, 0f, -0f, Float.NaN, -0f, Float.POSITIVE_INFINITY, -3f};
        for (BinaryOp op : new BinaryOp[] {BinaryOp.MAX, BinaryOp.MIN}) {
            float[] out = new float[a.length];
            vector.binary(op, a, 0, 1, b, 0, 1, out, 0, 1, a.length);
            for (int i = 0; i < a.length; i++) {
                float expected = op == BinaryOp.MAX ? Math.max(a[i], b[i]) : Math.min(a[i], b[i]);
                check(op + "(" + a[i] + ", " + b[i] + ")", expected, out[i], 0, true);
            }
        }
    }

    // ============================================================================================ where

    @Test
    void whereAgreesForEveryStrideCombination() {
        SplittableRandom rng = new SplittableRandom(4);
        double[] conditions = {0, -0.0, 1, -2, Double.NaN, 0.5};
        for (int n : SIZES) {
            for (int cStride : STRIDES) {
                for (int aStride : STRIDES) {
                    for (int bStride : STRIDES) {
                        int cOff = rng.nextInt(3);
                        int aOff = rng.nextInt(3);
                        int bOff = rng.nextInt(3);
                        int outStride = rng.nextBoolean() ? 1 : 2;
                        double[] cond = new double[span(cOff, cStride, n)];
                        for (int i = 0; i < cond.length; i++) cond[i] = conditions[rng.nextInt(conditions.length)];
                        double[] a = values(rng, span(aOff, aStride, n));
                        double[] b = values(rng, span(bOff, bStride, n));
                        int outLen = span(0, outStride, n) + 1;
                        String where = "where n=" + n + " strides c=" + cStride + " a=" + aStride + " b=" + bStride;

                        float[] ef = new float[outLen];
                        float[] vf = new float[outLen];
                        SCALAR.where(floats(cond), cOff, cStride, floats(a), aOff, aStride, floats(b), bOff, bStride,
                                ef, 0, outStride, n);
                        vector.where(floats(cond), cOff, cStride, floats(a), aOff, aStride, floats(b), bOff, bStride,
                                vf, 0, outStride, n);
                        for (int i = 0; i < outLen; i++) check("float " + where + " at " + i, ef[i], vf[i], 0, true);

                        double[] ed = new double[outLen];
                        double[] vd = new double[outLen];
                        SCALAR.where(cond, cOff, cStride, a, aOff, aStride, b, bOff, bStride, ed, 0, outStride, n);
                        vector.where(cond, cOff, cStride, a, aOff, aStride, b, bOff, bStride, vd, 0, outStride, n);
                        for (int i = 0; i < outLen; i++) check("double " + where + " at " + i, ed[i], vd[i], 0, false);
                    }
                }
            }
        }
    }

    // ============================================================================================ reductions

    @Test
    void reductionsAgree() {
        SplittableRandom rng = new SplittableRandom(5);
        for (int n : SIZES) {
            for (int stride : STRIDES) {
                for (int salt = 0; salt < 3; salt++) {
                    int off = rng.nextInt(4);
                    // salt 0: finite values only; 1: the usual specials; 2: finite with one -0.0/+0.0 pair only
                    double[] x = salt == 1 ? values(rng, span(off, stride, n)) : finite(rng, span(off, stride, n));
                    if (salt == 2 && n > 0) {
                        Arrays.fill(x, -0.0);
                        x[off + (n - 1) * stride] = 0.0;
                    }
                    reductionCase(x, off, stride, n);
                }
            }
        }
    }

    private static double[] finite(SplittableRandom rng, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = 3 * rng.nextGaussian() + (i % 7 == 0 ? 100 : 0);
        return v;
    }

    private static void reductionCase(double[] x, int off, int stride, int n) {
        String where = "n=" + n + " stride=" + stride + " off=" + off;
        float[] xf = floats(x);
        check("float sum " + where, SCALAR.sum(xf, off, stride, n), vector.sum(xf, off, stride, n), 0, false);
        check("double sum " + where, SCALAR.sum(x, off, stride, n), vector.sum(x, off, stride, n), 0, false);
        double naive = 0;
        double absSum = 0;
        for (int i = 0; i < n; i++) {
            naive += x[off + i * stride];
            absSum += Math.abs(x[off + i * stride]);
        }
        if (Double.isFinite(naive)) {
            assertEquals(naive, SCALAR.sum(x, off, stride, n), 2.3e-16 * (n + 1) * absSum,
                    "double sum vs a naive loop " + where);
        }
        if (n >= 1) {
            check("float max " + where, SCALAR.max(xf, off, stride, n), vector.max(xf, off, stride, n), 0, true);
            check("float min " + where, SCALAR.min(xf, off, stride, n), vector.min(xf, off, stride, n), 0, true);
            check("double max " + where, SCALAR.max(x, off, stride, n), vector.max(x, off, stride, n), 0, false);
            check("double min " + where, SCALAR.min(x, off, stride, n), vector.min(x, off, stride, n), 0, false);
        }
    }

    @Test
    void extremaFindNaNAnywhere() {
        for (int n : new int[] {1, 17, 64, 65, 1024}) {
            for (int at : new int[] {0, n / 2, n - 1}) {
                float[] xf = new float[n];
                double[] xd = new double[n];
                for (int i = 0; i < n; i++) {
                    xf[i] = i;
                    xd[i] = -i;
                }
                xf[at] = Float.NaN;
                xd[at] = Double.NaN;
                assertTrue(Double.isNaN(vector.max(xf, 0, 1, n)), "max n=" + n + " NaN at " + at);
                assertTrue(Double.isNaN(vector.min(xf, 0, 1, n)), "min n=" + n + " NaN at " + at);
                assertTrue(Double.isNaN(vector.max(xd, 0, 1, n)), "max n=" + n + " NaN at " + at);
                assertTrue(Double.isNaN(vector.min(xd, 0, 1, n)), "min n=" + n + " NaN at " + at);
            }
        }
    }

    // ============================================================================================ GEMM

    /** Operand layouts: row-major, transposed (column-major), and a general strided view with gaps. */
    private enum Layout { ROW_MAJOR, TRANSPOSED, STRIDED }

    @Test
    void gemmAgreesOnOddShapesInEveryLayout() {
        SplittableRandom rng = new SplittableRandom(6);
        for (int m : GEMM_DIMS) {
            for (int n : GEMM_DIMS) {
                for (int k : GEMM_DIMS) {
                    for (Layout la : new Layout[] {Layout.ROW_MAJOR, Layout.TRANSPOSED}) {
                        for (Layout lb : new Layout[] {Layout.ROW_MAJOR, Layout.TRANSPOSED}) {
                            gemmCase(rng, m, n, k, la, lb, false);
                        }
                    }
                }
            }
        }
    }

    @Test
    void gemmHandlesEmptyAndDegenerateShapes() {
        SplittableRandom rng = new SplittableRandom(7);
        int[] dims = {0, 1, 2, 17};
        for (int m : dims) {
            for (int n : dims) {
                for (int k : dims) {
                    for (Layout la : Layout.values()) {
                        for (Layout lb : Layout.values()) {
                            gemmCase(rng, m, n, k, la, lb, false);
                        }
                    }
                }
            }
        }
    }

    @Test
    void gemmAgreesOnStridedViewsSpecialValuesAndLargeProducts() {
        SplittableRandom rng = new SplittableRandom(8);
        int[][] shapes = {{5, 7, 3}, {33, 17, 65}, {64, 10, 128}, {64, 128, 10}, {130, 64, 31}, {9, 300, 260}};
        for (int[] s : shapes) {
            for (Layout la : Layout.values()) {
                for (Layout lb : Layout.values()) {
                    gemmCase(rng, s[0], s[1], s[2], la, lb, true);
                }
            }
        }
        gemmCase(rng, 300, 40, 260, Layout.ROW_MAJOR, Layout.ROW_MAJOR, false);   // k spans two blocks
        // Above the threading threshold (2^24 multiply-adds): split by columns, then by rows.
        gemmCase(rng, 130, 520, 260, Layout.ROW_MAJOR, Layout.TRANSPOSED, false);
        gemmCase(rng, 600, 70, 410, Layout.TRANSPOSED, Layout.ROW_MAJOR, false);
        // Nine k blocks (more than one group of packed B), several row blocks and two column blocks.
        gemmCase(rng, 140, 520, 2100, Layout.ROW_MAJOR, Layout.TRANSPOSED, false);
        gemmCase(rng, 140, 40, 2100, Layout.TRANSPOSED, Layout.ROW_MAJOR, false);
    }

    @Test
    void gemmResultsDoNotDependOnHowTheWorkIsSplit() {
        // A product large enough to be split across threads must equal, bit for bit, the same product computed one
        // row at a time (always on the calling thread): every element sums the same k blocks in the same order.
        SplittableRandom rng = new SplittableRandom(11);
        int m = 270;
        int n = 300;
        int k = 290;
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        for (int i = 0; i < a.length; i++) a[i] = (float) rng.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = (float) rng.nextGaussian();
        float[] whole = new float[m * n];
        float[] byRow = new float[m * n];
        vector.gemm(m, n, k, a, 0, k, 1, b, 0, 1, k, whole, 0);
        for (int i = 0; i < m; i++) vector.gemm(1, n, k, a, i * k, k, 1, b, 0, 1, k, byRow, i * n);
        for (int i = 0; i < m * n; i++) check("C[" + i / n + "][" + i % n + "]", byRow[i], whole[i], 0, true);
    }

    /** Strides for an r x c matrix stored after {@code off} in the given layout: {rowStride, colStride, length}. */
    private static int[] strides(Layout layout, int rows, int cols, int off) {
        return switch (layout) {
            case ROW_MAJOR -> new int[] {cols, 1, off + rows * cols};
            case TRANSPOSED -> new int[] {1, rows, off + rows * cols};
            case STRIDED -> new int[] {2 * cols + 1, 2, off + rows * (2 * cols + 1) + 1};
        };
    }

    private static void gemmCase(SplittableRandom rng, int m, int n, int k, Layout la, Layout lb, boolean specials) {
        String where = "gemm " + m + "x" + n + "x" + k + " A " + la + " B " + lb;
        int aOff = rng.nextInt(4);
        int bOff = rng.nextInt(4);
        int cOff = rng.nextInt(4);
        int[] as = strides(la, m, k, aOff);
        int[] bs = strides(lb, k, n, bOff);
        double[] a = new double[as[2]];
        double[] b = new double[bs[2]];
        for (int i = 0; i < a.length; i++) a[i] = rng.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = rng.nextGaussian();
        if (specials && m > 0 && k > 0 && n > 0) {
            a[aOff + rng.nextInt(m) * as[0] + rng.nextInt(k) * as[1]] = Double.NaN;
            b[bOff + rng.nextInt(k) * bs[0] + rng.nextInt(n) * bs[1]] = Double.POSITIVE_INFINITY;
            a[aOff + rng.nextInt(m) * as[0] + rng.nextInt(k) * as[1]] = -0.0;
        }
        int cLen = cOff + m * n + 3;

        float[] af = floats(a);
        float[] bf = floats(b);
        float[] ef = new float[cLen];
        float[] vf = new float[cLen];
        Arrays.fill(ef, Float.NaN);   // C must be overwritten, never accumulated into
        Arrays.fill(vf, Float.NaN);
        SCALAR.gemm(m, n, k, af, aOff, as[0], as[1], bf, bOff, bs[0], bs[1], ef, cOff);
        vector.gemm(m, n, k, af, aOff, as[0], as[1], bf, bOff, bs[0], bs[1], vf, cOff);

        double[] ed = new double[cLen];
        double[] vd = new double[cLen];
        Arrays.fill(ed, Double.NaN);
        Arrays.fill(vd, Double.NaN);
        SCALAR.gemm(m, n, k, a, aOff, as[0], as[1], b, bOff, bs[0], bs[1], ed, cOff);
        vector.gemm(m, n, k, a, aOff, as[0], as[1], b, bOff, bs[0], bs[1], vd, cOff);

        for (int i = 0; i < cLen; i++) {
            boolean inside = i >= cOff && i < cOff + m * n;
            if (!inside) {
                check(where + " wrote outside C at " + i, Float.NaN, vf[i], 0, true);
                check(where + " wrote outside C at " + i, Double.NaN, vd[i], 0, false);
                continue;
            }
            int row = (i - cOff) / n;
            int col = (i - cOff) % n;
            check("float " + where + " at C[" + row + "][" + col + "]", ef[i], vf[i], 0, true);
            check("double " + where + " at C[" + row + "][" + col + "]", ed[i], vd[i], 0, false);
            double naive = 0;
            double bound = 0;
            for (int p = 0; p < k; p++) {
                double term = a[aOff + row * as[0] + p * as[1]] * b[bOff + p * bs[0] + col * bs[1]];
                naive += term;
                bound += Math.abs(term);
            }
            if (Double.isFinite(naive)) {
                assertEquals(naive, ed[i], 2.3e-16 * (k + 1) * bound,
                        where + " vs a naive loop at C[" + row + "][" + col + "]");
            }
        }
    }

    // ============================================================================================ after JIT

    @Test
    void compiledKernelsStillAgree() {
        // Repeat every element-wise kernel and a few products until C2 has compiled them (>10^4 loop iterations
        // each), then compare once more: the interpreter runs the Vector API's Java fallback, C2 the SIMD code.
        SplittableRandom rng = new SplittableRandom(9);
        int n = 1024 + 13;
        double[] x = values(rng, n);
        double[] y = values(rng, n);
        float[] xf = floats(x);
        float[] yf = floats(y);
        float[] outF = new float[n];
        double[] outD = new double[n];
        for (int rep = 0; rep < 400; rep++) {
            for (UnaryOp op : UnaryOp.values()) {
                vector.unary(op, xf, 0, 1, outF, 0, 1, n);
                vector.unary(op, x, 0, 1, outD, 0, 1, n);
            }
            for (BinaryOp op : BinaryOp.values()) {
                vector.binary(op, xf, 0, 1, yf, 0, 1, outF, 0, 1, n);
                vector.binary(op, xf, 0, 1, yf, 5, 0, outF, 0, 1, n);
                vector.binary(op, x, 0, 1, y, 0, 1, outD, 0, 1, n);
                vector.binary(op, x, 0, 0, y, 0, 1, outD, 0, 1, n);
            }
            vector.where(yf, 0, 1, xf, 0, 1, yf, 0, 1, outF, 0, 1, n);
            vector.where(y, 0, 1, x, 0, 1, y, 0, 1, outD, 0, 1, n);
            vector.sum(xf, 0, 1, n);
            vector.sum(x, 0, 1, n);
            vector.max(xf, 0, 1, n);
            vector.min(x, 0, 1, n);
            vector.gemm(16, 32, 32, xf, 0, 32, 1, yf, 0, 32, 1, outF, 0);
            vector.gemm(16, 16, 32, x, 0, 32, 1, y, 0, 1, 32, outD, 0);
        }
        for (UnaryOp op : UnaryOp.values()) unaryCase(op, n, x, 0, 1, 0, 1);
        for (BinaryOp op : BinaryOp.values()) {
            for (int bStride : new int[] {0, 1}) binaryCase(rng, op, n, 1, bStride, 1, false);
        }
        reductionCase(x, 0, 1, n);
        reductionCase(finite(rng, n), 0, 1, n);
        SplittableRandom g = new SplittableRandom(10);
        for (Layout la : Layout.values()) {
            for (Layout lb : Layout.values()) gemmCase(g, 17, 33, 65, la, lb, true);
        }
        assertNotNull(vector);
    }
}
