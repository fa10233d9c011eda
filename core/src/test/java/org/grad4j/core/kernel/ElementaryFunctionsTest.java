package org.grad4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * grad4j's own exp, log, log1p, expm1, tanh, sigmoid, erf, sin, cos and pow: the SIMD kernels give the scalar
 * kernels' bits for a million inputs per function and dtype (random bit patterns over the whole domain plus ranges
 * plus edge values), including while the JIT compiles them; special values are java.lang.Math's; errors against an
 * mpmath reference (elementary_reference.py, 200-bit, committed with its output) stay within the documented bounds,
 * and the float32 functions (computed in float lanes) stay within 1 ulp of the float64 ones on two million floats.
 * NaN results are compared as NaN (payload bits are not part of the promise).
 */
class ElementaryFunctionsTest {
    private static final UnaryOp[] FUNCTIONS = {UnaryOp.EXP, UnaryOp.LOG, UnaryOp.LOG1P, UnaryOp.EXPM1,
        UnaryOp.TANH, UnaryOp.SIGMOID, UnaryOp.ERF, UnaryOp.SIN, UnaryOp.COS};
    private static final int MILLION = 1_000_000;

    private static final Kernels SCALAR = KernelProvider.scalar();
    private static Kernels vector;

    @BeforeAll
    static void loadVectorKernels() {
        vector = SimdKernelsForTests.loadOrSkip();
    }

    // ============================================================================================ inputs

    /** Values where an implementation is most likely to go wrong: specials, thresholds, reduction boundaries. */
    static double[] edges() {
        double ln2 = Math.log(2);
        List<Double> v = new ArrayList<>(List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0,
                -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, -Double.MIN_NORMAL, Double.MAX_VALUE,
                -Double.MAX_VALUE, 1.0, -1.0, 0.5, -0.5, 2.0, 1e-300, -1e-300, 1e-20, -1e-20, 1e-8, -1e-8,
                709.782712893384, 709.7827128933841, 709.78, 709.79, 710.0, -745.1332191019411,
                -745.1332191019412, -708.3964185322641, -708.4, -744.44, -746.0, 88.72283, 88.72284, 89.0,
                -103.97208, -103.97209, -87.33655, -87.33654, 22.0, -22.0, 21.99, 40.0, 40.000001, -60.0, -37.5,
                -0.9999999999999999, -1.0000000000000002, 0x1.0p20, -0x1.0p20, Math.nextDown(0x1.0p20),
                Math.PI, Math.PI / 2, Math.PI / 4, -Math.PI / 4, 1e22, 1e300, ln2 / 2, -ln2 / 2,
                Math.sqrt(2), Math.sqrt(0.5), 6.0, -6.0, 5.9, 2.5, 0.84));
        for (double d : List.copyOf(v)) {
            v.add(Math.nextUp(d));
            v.add(Math.nextDown(d));
            v.add((double) (float) d);
        }
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** A million doubles: 40% random bit patterns (every exponent), 60% uniform within assorted scales, the edges. */
    static double[] doubles(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] scales = {1e-6, 1, 3, 30, 100, 750, 1e6, 0x1.0p21};
        double[] edges = edges();
        double[] x = new double[MILLION];
        System.arraycopy(edges, 0, x, 0, edges.length);
        for (int i = edges.length; i < MILLION; i++) {
            x[i] = rng.nextInt(5) < 2 ? Double.longBitsToDouble(rng.nextLong())
                    : (2 * rng.nextDouble() - 1) * scales[rng.nextInt(scales.length)];
        }
        return x;
    }

    static float[] floats(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] scales = {1e-6f, 1, 3, 30, 100, 750, 1e6f, 0x1.0p21f};
        double[] edges = edges();
        float[] x = new float[MILLION];
        for (int i = 0; i < edges.length; i++) x[i] = (float) edges[i];
        for (int i = edges.length; i < MILLION; i++) {
            x[i] = rng.nextInt(5) < 2 ? Float.intBitsToFloat(rng.nextInt())
                    : (float) ((2 * rng.nextDouble() - 1) * scales[rng.nextInt(scales.length)]);
        }
        return x;
    }

    // ============================================================================================ bit equality

    @Test
    void simdAndScalarGiveTheSameBitsForAMillionDoubles() {
        double[] x = doubles(1);
        double[] simd = new double[MILLION];
        double[] scalar = new double[MILLION];
        for (UnaryOp op : FUNCTIONS) {
            vector.unary(op, x, 0, 1, simd, 0, 1, MILLION);
            SCALAR.unary(op, x, 0, 1, scalar, 0, 1, MILLION);
            assertSameBits(op.name(), x, null, scalar, simd);
        }
        double[] y = doubles(2);
        for (int i = 0; i < MILLION; i++) y[i] = i % 3 == 0 ? Math.rint(y[i] % 64) : y[i] % 64;
        vector.binary(BinaryOp.POW, x, 0, 1, y, 0, 1, simd, 0, 1, MILLION);
        SCALAR.binary(BinaryOp.POW, x, 0, 1, y, 0, 1, scalar, 0, 1, MILLION);
        assertSameBits("POW", x, y, scalar, simd);
    }

    @Test
    void simdAndScalarGiveTheSameBitsForAMillionFloats() {
        float[] x = floats(3);
        float[] simd = new float[MILLION];
        float[] scalar = new float[MILLION];
        for (UnaryOp op : FUNCTIONS) {
            vector.unary(op, x, 0, 1, simd, 0, 1, MILLION);
            SCALAR.unary(op, x, 0, 1, scalar, 0, 1, MILLION);
            for (int i = 0; i < MILLION; i++) {
                if (Float.floatToIntBits(simd[i]) != Float.floatToIntBits(scalar[i])) {
                    fail(op + "(" + x[i] + "f): simd " + simd[i] + ", scalar " + scalar[i]);
                }
            }
        }
    }

    /** Float pow, grad4j's own: StrictMath's special values, the sign rule for negative bases, x^2 = x * x. */
    @Test
    void floatPowHasMathsSpecialValues() {
        float[] v = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, 1f, -1f, 2f, -2f, 0.5f,
            -0.5f, 3f, -3f, 1.5f, -1.5f, 1e-45f, -1e-45f, 1e30f, -1e30f, 0x1.0p24f, -0x1.0p24f, 0x1.0p24f + 2,
            -0x1.0p24f - 2, 127f, -149f, 128f, -150f, 0.1f, 2.5e-7f};
        for (float x : v) {
            for (float y : v) {
                float expected = (float) StrictMath.pow(x, y);
                float actual = ScalarKernels.powF(x, y);
                String where = "pow(" + x + "f, " + y + "f)";
                if (Float.isNaN(expected) || Float.isInfinite(expected) || expected == 0 || expected == 1
                        || expected == -1) {
                    assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(actual), where);
                } else {
                    assertEquals(expected, actual, Math.ulp(expected), where);
                }
            }
            assertEquals(Float.floatToIntBits(x * x), Float.floatToIntBits(ScalarKernels.powF(x, 2f)), "pow(x, 2)");
        }
        float[] a = floats(7);
        float[] b = new float[a.length];
        SplittableRandom rng = new SplittableRandom(8);
        for (int i = 0; i < b.length; i++) b[i] = i % 3 == 0 ? rng.nextInt(-40, 41) : (float) (rng.nextDouble() * 80 - 40);
        float[] simd = new float[a.length];
        float[] scalar = new float[a.length];
        vector.binary(BinaryOp.POW, a, 0, 1, b, 0, 1, simd, 0, 1, a.length);
        SCALAR.binary(BinaryOp.POW, a, 0, 1, b, 0, 1, scalar, 0, 1, a.length);
        for (int i = 0; i < a.length; i++) {
            assertEquals(Float.floatToIntBits(scalar[i]), Float.floatToIntBits(simd[i]), "pow(" + a[i] + ", " + b[i] + ")");
            double exact = StrictMath.pow(a[i], b[i]);
            float rounded = (float) exact;
            if (Float.isFinite(rounded) && Math.abs(exact) >= Float.MIN_NORMAL) {
                assertTrue(Math.abs(scalar[i] - exact) <= Math.ulp(rounded), "pow(" + a[i] + "f, " + b[i] + "f) = "
                        + scalar[i] + ", StrictMath " + exact);
            }
        }
    }

    /**
     * Float64 pow, grad4j's own: every special case of Math.pow's javadoc (NaN, +-0, +-Inf, |x| = 1 with infinite y,
     * negative x with odd, even and non-integer y, y = 0 and 1, overflow, underflow, subnormal results) gives Math's
     * bits; elsewhere within 1 ulp of Math.pow; integer powers that a double holds exactly are exact.
     */
    @Test
    void doublePowHasMathsSpecialValues() {
        double[] v = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0, 1.0, -1.0, 2.0, -2.0,
            0.5, -0.5, 3.0, -3.0, 1.5, -1.5, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, -Double.MAX_VALUE,
            Double.MAX_VALUE, 1e-310, -1e-310, 0x1.0p53, -0x1.0p53, 0x1.0p53 + 2, -0x1.0p53 - 2, 0x1.0p52 + 1,
            -0x1.0p52 - 1, 1023, -1022, 1024, -1074, -1075, 0.1, 1e300, -1e300, 1.0000000000000002,
            0.9999999999999999, 7.0, -7.0, 1e-5, 1e5, 709.0, -745.0, 1 / 3.0, -1 / 3.0, 0x1.0p-1022, 0x1.0p1023};
        for (double x : v) {
            for (double y : v) {
                double expected = Math.pow(x, y);
                double actual = ScalarKernels.pow(x, y);
                String where = "pow(" + x + ", " + y + "): Math " + expected + ", grad4j " + actual;
                boolean special = Double.isNaN(expected) || Double.isInfinite(expected) || expected == 0
                        || Math.abs(expected) == 1 || Double.isNaN(x) || Double.isNaN(y) || Double.isInfinite(x)
                        || Double.isInfinite(y) || x == 0 || y == 0 || y == 1 || y == 2;
                if (special) {
                    assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(actual), where);
                } else {
                    assertEquals(expected, actual, Math.ulp(expected), where);
                    assertEquals(Math.signum(expected), Math.signum(actual), where);
                }
            }
        }
        SplittableRandom rng = new SplittableRandom(9);
        for (int i = 0; i < 100_000; i++) {   // integer powers held exactly by a double come out exact
            long base = rng.nextLong(-1000, 1001);
            int exponent = rng.nextInt(0, 80);
            java.math.BigInteger exact = java.math.BigInteger.valueOf(base).pow(exponent);
            if (exact.abs().bitLength() <= 53) {
                assertEquals(exact.doubleValue(), ScalarKernels.pow(base, exponent), "pow(" + base + ", " + exponent + ")");
            }
        }
        for (int i = 0; i < 200_000; i++) {   // overflow, underflow and subnormal results where Math has them
            double x = rng.nextBoolean() ? Double.longBitsToDouble(rng.nextLong()) : rng.nextDouble(-3, 3);
            double y = rng.nextInt(3) == 0 ? Math.rint(rng.nextDouble(-1100, 1100)) : rng.nextDouble(-2000, 2000);
            double expected = Math.pow(x, y);
            double actual = ScalarKernels.pow(x, y);
            String where = "pow(" + x + ", " + y + "): Math " + expected + ", grad4j " + actual;
            if (Double.isNaN(expected) || Double.isInfinite(expected) || expected == 0) {
                assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(actual), where);
            } else {
                assertEquals(expected, actual, 2 * Math.ulp(expected), where);
            }
        }
        assertEquals(Double.MIN_VALUE, ScalarKernels.pow(2, -1074));
        assertEquals(0.0, ScalarKernels.pow(2, -1076));
        assertEquals(-2 * Double.MIN_VALUE, ScalarKernels.pow(-2, -1073));
        assertEquals(Double.POSITIVE_INFINITY, ScalarKernels.pow(2, 1024));
        assertEquals(Double.MAX_VALUE, ScalarKernels.pow(Double.MAX_VALUE, 1));
    }

    /** Runs past the JIT's compile thresholds with the same input: every round must give the first round's bits. */
    @Test
    void resultsDoNotChangeWhenTheJitCompilesTheKernels() {
        double[] x = doubles(4);
        int n = 4099;
        for (UnaryOp op : FUNCTIONS) {
            double[] first = new double[n];
            float[] firstF = new float[n];
            float[] xf = new float[n];
            for (int i = 0; i < n; i++) xf[i] = (float) x[i];
            vector.unary(op, x, 0, 1, first, 0, 1, n);
            vector.unary(op, xf, 0, 1, firstF, 0, 1, n);
            double[] again = new double[n];
            float[] againF = new float[n];
            for (int round = 0; round < 300; round++) {
                vector.unary(op, x, 0, 1, again, 0, 1, n);
                vector.unary(op, xf, 0, 1, againF, 0, 1, n);
                for (int i = 0; i < n; i++) {
                    if (Double.doubleToLongBits(first[i]) != Double.doubleToLongBits(again[i])
                            || Float.floatToIntBits(firstF[i]) != Float.floatToIntBits(againF[i])) {
                        fail(op + " round " + round + " of x = " + x[i] + ": " + first[i] + " then " + again[i]);
                    }
                }
            }
        }
    }

    private static void assertSameBits(String op, double[] x, double[] y, double[] expected, double[] actual) {
        for (int i = 0; i < x.length; i++) {
            if (Double.doubleToLongBits(expected[i]) != Double.doubleToLongBits(actual[i])) {
                fail(op + "(" + x[i] + (y == null ? "" : ", " + y[i]) + "): scalar " + expected[i] + " simd "
                        + actual[i]);
            }
        }
    }

    // ============================================================================================ special values

    @Test
    void specialValuesAreThoseOfJavaLangMath() {
        Map<UnaryOp, DoubleUnaryOperator> math = new EnumMap<>(UnaryOp.class);
        math.put(UnaryOp.EXP, Math::exp);
        math.put(UnaryOp.LOG, Math::log);
        math.put(UnaryOp.LOG1P, Math::log1p);
        math.put(UnaryOp.EXPM1, Math::expm1);
        math.put(UnaryOp.TANH, Math::tanh);
        math.put(UnaryOp.SIN, Math::sin);
        math.put(UnaryOp.COS, Math::cos);
        double[] specials = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0,
            Double.MIN_VALUE, -Double.MIN_VALUE, 1e-310, -1e-310, 1e-20, -1e-20};
        for (Map.Entry<UnaryOp, DoubleUnaryOperator> e : math.entrySet()) {
            for (double s : specials) {
                double expected = e.getValue().applyAsDouble(s);
                double actual = ScalarKernels.apply(e.getKey(), s);
                boolean tiny = Math.abs(s) < 1e-15 && s != 0;   // odd functions return x itself, within an ulp
                if (tiny && Double.isFinite(expected)) {
                    assertEquals(expected, actual, Math.ulp(expected), e.getKey() + "(" + s + ")");
                } else {
                    assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(actual),
                            e.getKey() + "(" + s + "): Math gives " + expected + ", grad4j " + actual);
                }
            }
        }
        assertTrue(Double.isNaN(ScalarKernels.log(-1.0)));
        assertTrue(Double.isNaN(ScalarKernels.log1p(-2.0)));
        assertEquals(Double.NEGATIVE_INFINITY, ScalarKernels.log1p(-1.0));
        assertEquals(1.0, ScalarKernels.sigmoid(Double.POSITIVE_INFINITY));
        assertEquals(0.0, ScalarKernels.sigmoid(Double.NEGATIVE_INFINITY));
        assertEquals(0.5, ScalarKernels.sigmoid(-0.0));
        assertEquals(0.0, ScalarKernels.sigmoid(-1000));
        assertTrue(Double.isNaN(ScalarKernels.sigmoid(Double.NaN)));
        assertEquals(-1.0, ScalarKernels.erf(Double.NEGATIVE_INFINITY));
        assertEquals(Double.doubleToLongBits(-0.0), Double.doubleToLongBits(ScalarKernels.erf(-0.0)));
    }

    /** Overflow and underflow happen where Math's do, in double and in float, with subnormal results on the way. */
    @Test
    void overflowAndUnderflowThresholdsMatchMath() {
        for (double x : edges()) {
            for (UnaryOp op : new UnaryOp[] {UnaryOp.EXP, UnaryOp.EXPM1}) {
                double expected = op == UnaryOp.EXP ? Math.exp(x) : Math.expm1(x);
                double actual = ScalarKernels.apply(op, x);
                assertEquals(Double.isInfinite(expected), Double.isInfinite(actual), op + "(" + x + ")");
                assertEquals(expected == 0, actual == 0, op + "(" + x + ")");
                float expectedF = (float) (op == UnaryOp.EXP ? Math.exp((float) x) : Math.expm1((float) x));
                float[] out = new float[1];
                SCALAR.unary(op, new float[] {(float) x}, 0, 1, out, 0, 1, 1);
                assertEquals(Float.isInfinite(expectedF), Float.isInfinite(out[0]), op + "(" + (float) x + "f)");
                assertEquals(expectedF == 0, out[0] == 0, op + "(" + (float) x + "f)");
            }
        }
        assertEquals(Math.exp(-745.0), ScalarKernels.exp(-745.0));   // the smallest subnormal
        assertEquals(Math.exp(-740.0), ScalarKernels.exp(-740.0), Math.ulp(Math.exp(-740.0)));
    }

    // ============================================================================================ ulp errors

    /**
     * The float32 functions (float lanes, their own polynomials) against grad4j's float64 ones, whose error (at most
     * 2 float64 ulps, checked against mpmath below) is negligible at float precision: within 1 float ulp on two
     * million floats (random bit patterns over every exponent, and uniform within assorted scales).
     */
    @Test
    void float32FunctionsAreWithinOneUlpOfTheFloat64Ones() {
        float[] x = new float[2 * MILLION];
        float[] a = floats(5);
        float[] b = floats(6);
        System.arraycopy(a, 0, x, 0, MILLION);
        System.arraycopy(b, 0, x, MILLION, MILLION);
        float[] got = new float[x.length];
        for (UnaryOp op : FUNCTIONS) {
            SCALAR.unary(op, x, 0, 1, got, 0, 1, x.length);
            double worst = 0;
            float worstAt = 0;
            for (int i = 0; i < x.length; i++) {
                double exact = ScalarKernels.apply(op, (double) x[i]);
                float rounded = (float) exact;
                if (Float.isNaN(rounded) || Float.isInfinite(rounded)) {
                    assertEquals(Float.floatToIntBits(rounded), Float.floatToIntBits(got[i]), op + "(" + x[i] + "f)");
                    continue;
                }
                double ulp = Math.abs(exact) < Float.MIN_NORMAL ? Float.MIN_VALUE : Math.ulp(rounded);
                double err = Math.abs(got[i] - exact) / ulp;
                if (!(err <= worst)) {
                    worst = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err;
                    worstAt = x[i];
                }
            }
            assertTrue(worst <= 1.0, op + " float32: " + worst + " ulp at x = " + worstAt + "f");
        }
    }

    /** Maximum error in ulps allowed per function, double and float; measured maxima are in the README. */
    private static final Map<String, double[]> BOUNDS = Map.of(
            "EXP", new double[] {1, 1}, "EXPM1", new double[] {2, 1}, "LOG", new double[] {1, 1},
            "LOG1P", new double[] {1.5, 1}, "TANH", new double[] {2, 1}, "SIGMOID", new double[] {1.5, 1},
            "ERF", new double[] {1.5, 1}, "SIN", new double[] {1.5, 1}, "COS", new double[] {1.5, 1},
            "POW", new double[] {1, 1});   // double pow: grad4j's own since the float64 pow commit

    @Test
    void errorsAgainstTheMpmathReferenceStayWithinTheBounds() throws IOException {
        Map<String, double[]> worst = new java.util.TreeMap<>();   // {double max, float max, double at, float at}
        // double pow with a normal x and |y| <= 32 (its table path, where |y log x| < 708): max, x, y
        double[] tablePath = new double[3];
        try (InputStream raw = getClass().getResourceAsStream("elementary_reference.csv.gz")) {
            assertTrue(raw != null, "elementary_reference.csv.gz is missing (see elementary_reference.py)");
            BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw),
                    StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] f = line.split(",");
                String name = f[0];
                double x = Double.parseDouble(f[1]);
                double y = f[2].equals("-") ? Double.NaN : Double.parseDouble(f[2]);
                double hi = Double.parseDouble(f[3]);
                double lo = Double.parseDouble(f[4]);
                double[] w = worst.computeIfAbsent(name, k -> new double[4]);
                double got = name.equals("POW") ? ScalarKernels.pow(x, y)
                        : ScalarKernels.apply(UnaryOp.valueOf(name), x);
                double err = Math.abs((got - hi) - lo) / Math.ulp(hi);
                boolean tableCase = name.equals("POW") && Math.abs(y) <= 32 && Math.abs(x) >= Double.MIN_NORMAL;
                if (tableCase && !(err <= tablePath[0])) {
                    tablePath[0] = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err;
                    tablePath[1] = x;
                    tablePath[2] = y;
                }
                if (!(err <= w[0])) {
                    w[0] = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err;
                    w[2] = x;
                }
                if ((float) x == x && (Double.isNaN(y) || (float) y == y)) {
                    float gotF = name.equals("POW") ? ScalarKernels.powF((float) x, (float) y)
                            : (float) ScalarKernels.apply(UnaryOp.valueOf(name), (float) x);
                    float exactF = (float) hi;
                    double errF = Math.abs(((double) gotF - hi) - lo) / Math.ulp(exactF);
                    if (Float.isInfinite(exactF)) {
                        errF = Float.isInfinite(gotF) ? 0 : Double.POSITIVE_INFINITY;
                    }
                    if (!(errF <= w[1])) {
                        w[1] = Double.isNaN(errF) ? Double.POSITIVE_INFINITY : errF;
                        w[3] = x;
                    }
                }
            }
        }
        StringBuilder report = new StringBuilder("max error in ulps (double, float):");
        worst.forEach((name, w) -> report.append(String.format("%n  %-8s %.3f (x = %s)   %.3f (x = %s)", name, w[0],
                w[2], w[1], w[3])));
        report.append(String.format("%n  POW with normal x, |y| <= 32: %.3f (x = %s, y = %s)", tablePath[0],
                tablePath[1], tablePath[2]));
        System.out.println(report);
        assertEquals(BOUNDS.keySet(), worst.keySet());
        worst.forEach((name, w) -> {
            assertTrue(w[0] <= BOUNDS.get(name)[0], name + " double: " + report);
            assertTrue(w[1] <= BOUNDS.get(name)[1], name + " float: " + report);
        });
    }
}
