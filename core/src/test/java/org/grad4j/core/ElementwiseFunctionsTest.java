package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Forward values of the element-wise functions of issue 8 against naive loops over {@link Math} (and exact
 * references: BigDecimal for fmod, powers of two for log2 and exp2) at awkward values, in float64, float32 and
 * non-contiguous layouts; their dtype rules; their errors; and their gradients where a property test cannot reach
 * (zeros of the rounding ops, NaN routing of nanToNum, nothing recorded by the NaN/inf tests).
 */
class ElementwiseFunctionsTest {
    private static final double NAN = Double.NaN;
    private static final double INF = Double.POSITIVE_INFINITY;
    private static final double[] AWKWARD = {NAN, INF, -INF, 0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE,
        Double.MIN_NORMAL, 1e-300, 1e-10, -1e-10, 0.1, 0.5, -0.5, 0.75, 1.0, -1.0, 1.5, -1.5, 2.5, -2.5, 3.0, 7.3,
        -7.3, 20.0, 100.0, -300.0, 709.0, 711.0, 1e15, 4503599627370497.0, 1e300, -1e300, Double.MAX_VALUE};

    private static Tensor f32(float... values) {
        return Tensor.of(values);
    }

    private static Tensor f64(double... values) {
        return Tensor.of(values);
    }

    /** The values in a strided view (every other element of a larger tensor), to exercise the loops' strides. */
    private static Tensor strided(double... values) {
        double[] wide = new double[2 * values.length];
        for (int i = 0; i < values.length; i++) {
            wide[2 * i] = values[i];
            wide[2 * i + 1] = 12345;
        }
        Tensor t = Tensor.of(wide).slice(0, 0, wide.length, 2);
        assertFalse(t.isContiguous());
        return t;
    }

    private static void assertWithinUlps(String what, double expected, double actual, int ulps) {
        if (Double.isNaN(expected) || Double.isInfinite(expected)) {
            assertEquals(0, Double.compare(expected, actual), what + ": expected " + expected + ", got " + actual);
            return;
        }
        assertTrue(Math.abs(expected - actual) <= ulps * Math.ulp(expected),
                what + ": expected " + expected + ", got " + actual);
    }

    /** Each element against the naive function, in float64 (contiguous and strided) and float32. */
    private static void checkUnary(String name, UnaryOperator<Tensor> op, DoubleUnaryOperator naive, int ulps) {
        double[] got = op.apply(f64(AWKWARD)).toDoubleArray();
        double[] gotStrided = op.apply(strided(AWKWARD)).toDoubleArray();
        float[] got32 = op.apply(f64(AWKWARD).to(DType.FLOAT32)).toFloatArray();
        for (int i = 0; i < AWKWARD.length; i++) {
            double x = AWKWARD[i];
            assertWithinUlps(name + "(" + x + ")", naive.applyAsDouble(x), got[i], ulps);
            assertEquals(Double.doubleToLongBits(got[i]), Double.doubleToLongBits(gotStrided[i]), name + " strided");
            float x32 = (float) x;
            float expected32 = (float) naive.applyAsDouble(x32);
            if (Float.isNaN(expected32) || Float.isInfinite(expected32)) {
                assertEquals(0, Float.compare(expected32, got32[i]), name + "(" + x32 + "f)");
            } else {
                assertTrue(Math.abs(expected32 - got32[i]) <= ulps * Math.ulp(expected32),
                        name + "(" + x32 + "f): expected " + expected32 + ", got " + got32[i]);
            }
        }
    }

    // ============================================================================================ values

    @Test
    void trigonometricAndHyperbolicAgainstMath() {
        checkUnary("tan", Tensor::tan, Math::tan, 1);
        checkUnary("asin", Tensor::asin, Math::asin, 1);
        checkUnary("acos", Tensor::acos, Math::acos, 1);
        checkUnary("atan", Tensor::atan, Math::atan, 1);
        checkUnary("sinh", Tensor::sinh, Math::sinh, 2);
        checkUnary("cosh", Tensor::cosh, Math::cosh, 2);
        checkUnary("log10", Tensor::log10, Math::log10, 1);
        checkUnary("exp2", Tensor::exp2, x -> Math.pow(2, x), 1);
    }

    /** Naive textbook formulas, where they are accurate (moderate magnitudes), and the edges by value. */
    @Test
    void inverseHyperbolicAgainstTextbookFormulas() {
        for (double x = -30; x <= 30; x += 0.37) {
            if (Math.abs(x) > 0.3) {
                double naive = Math.signum(x) * Math.log(Math.abs(x) + Math.sqrt(x * x + 1));
                assertWithinUlps("asinh(" + x + ")", naive, f64(x).asinh().item(), 4);
            }
            if (x > 1.3) {
                assertWithinUlps("acosh(" + x + ")", Math.log(x + Math.sqrt(x * x - 1)), f64(x).acosh().item(), 4);
            }
        }
        for (double x = -0.95; x <= 0.95; x += 0.05) {
            if (Math.abs(x) > 0.3) {
                assertWithinUlps("atanh(" + x + ")", 0.5 * Math.log((1 + x) / (1 - x)), f64(x).atanh().item(), 8);
            }
        }
        // Near 0 they are x to double precision (the naive formulas lose everything there); -0.0 keeps its sign.
        for (double x : new double[] {1e-10, -1e-10, 1e-300, Double.MIN_VALUE}) {
            assertEquals(x, f64(x).asinh().item(), Math.ulp(x));
            assertEquals(x, f64(x).atanh().item(), Math.ulp(x));
            assertEquals(x, f64(x).sinh().item(), Math.ulp(x));
        }
        assertEquals(Double.doubleToLongBits(-0.0), Double.doubleToLongBits(f64(-0.0).asinh().item()));
        assertEquals(Double.doubleToLongBits(-0.0), Double.doubleToLongBits(f64(-0.0).atanh().item()));
        // Large: no overflow in x^2.
        assertWithinUlps("asinh(1e300)", Math.log(2) + Math.log(1e300), f64(1e300).asinh().item(), 2);
        assertWithinUlps("acosh(1e300)", Math.log(2) + Math.log(1e300), f64(1e300).acosh().item(), 2);
        assertWithinUlps("asinh(-MAX)", -(Math.log(2) + Math.log(Double.MAX_VALUE)),
                f64(-Double.MAX_VALUE).asinh().item(), 2);
    }

    @Test
    void domainEdgesAsPyTorch() {
        assertArrayEquals(new double[] {0, NAN, NAN, INF, NAN}, f64(1, 0.5, -1, INF, NAN).acosh().toDoubleArray());
        assertArrayEquals(new double[] {INF, -INF, NAN, NAN, 0}, f64(1, -1, 2, -1.5, 0).atanh().toDoubleArray());
        assertArrayEquals(new double[] {NAN, NAN, Math.PI / 2, -Math.PI / 2}, f64(2, -1.0000001, 1, -1).asin()
                .toDoubleArray());
        assertArrayEquals(new double[] {NAN, 0, Math.PI}, f64(1.5, 1, -1).acos().toDoubleArray());
        assertArrayEquals(new double[] {-INF, -INF, NAN, INF, NAN}, f64(0, -0.0, -1, INF, -INF).log2()
                .toDoubleArray());
        assertArrayEquals(new double[] {-INF, NAN, 3}, f64(0, -2, 1000).log10().toDoubleArray());
        assertArrayEquals(new double[] {0, INF, 1}, f64(-INF, INF, 0).exp2().toDoubleArray());
        assertArrayEquals(new double[] {INF, -INF}, f64(INF, -INF).sinh().toDoubleArray());
        assertArrayEquals(new double[] {INF, INF}, f64(INF, -INF).cosh().toDoubleArray());
        assertArrayEquals(new float[] {0, (float) (Math.log(2) + Math.log(1e30f))}, f32(1f, 1e30f).acosh()
                .toFloatArray());
    }

    /** Exact at every power of two, normal and subnormal, in both dtypes; 2^k back again. */
    @Test
    void log2AndExp2AreExactAtPowersOfTwo() {
        for (int k = -1074; k <= 1023; k++) {
            double x = Math.scalb(1.0, k);
            assertEquals(k, f64(x).log2().item(), "log2(2^" + k + ")");
            assertEquals(x, f64(k).exp2().item(), "exp2(" + k + ")");
        }
        for (int k = -149; k <= 127; k++) {
            float x = Math.scalb(1f, k);
            assertEquals(k, f32(x).log2().item(), "log2(2^" + k + "f)");
            assertEquals(x, f32((float) k).exp2().item(), "exp2(" + k + "f)");
        }
        // Elsewhere about an ulp of log(x) / ln 2.
        for (double x = 0.01; x < 1e6; x *= 1.37) {
            assertWithinUlps("log2(" + x + ")", Math.log(x) / Math.log(2), f64(x).log2().item(), 2);
        }
    }

    @Test
    void roundingAgainstMath() {
        checkUnary("floor", Tensor::floor, Math::floor, 0);
        checkUnary("ceil", Tensor::ceil, Math::ceil, 0);
        checkUnary("round", Tensor::round, Math::rint, 0);
        checkUnary("trunc", Tensor::trunc, x -> x < 0 ? Math.ceil(x) : Math.floor(x), 0);
        checkUnary("frac", Tensor::frac, x -> x - (x < 0 ? Math.ceil(x) : Math.floor(x)), 0);
        assertArrayEquals(new double[] {0, 2, 2, -0.0, -2, 4, -4}, f64(0.5, 1.5, 2.5, -0.5, -1.5, 3.5, -4.5).round()
                .toDoubleArray(), "halves to even");
        assertArrayEquals(new double[] {-0.5, 0.25, 0.0, NAN, NAN}, f64(-1.5, 3.25, -2, INF, NAN).frac()
                .toDoubleArray());
        assertEquals(Double.doubleToLongBits(-0.0), Double.doubleToLongBits(f64(-0.3).trunc().item()));
        assertEquals(Double.doubleToLongBits(-0.0), Double.doubleToLongBits(f64(-0.3).ceil().item()));
    }

    /** PyTorch's formula evaluated in the tensor's dtype: float32 2.675f is 2.67499995, yet rounds to 2.68. */
    @Test
    void roundWithDecimals() {
        assertArrayEquals(new double[] {1.25, 2.68, -0.38, 0.12, 1234.5}, f64(1.2525, 2.675, -0.375, 0.125, 1234.5)
                .round(2).toDoubleArray(), 1e-15);
        assertArrayEquals(new float[] {1.25f, 2.68f, -0.38f}, f32(1.25f, 2.675f, -0.375f).round(2)
                .toFloatArray());
        assertArrayEquals(new double[] {1200, 1400, -1400, 0, -0.0}, f64(1250, 1350, -1450, 40, -40).round(-2)
                .toDoubleArray());
        assertArrayEquals(new double[] {2, 2}, f64(2.5, 2.4).round(0).toDoubleArray());
        for (double x : AWKWARD) {
            for (int d = -3; d <= 3; d++) {
                double scale = Math.pow(10, Math.abs(d));
                double naive = d >= 0 ? Math.rint(x * scale) / scale : Math.rint(x / scale) * scale;
                assertEquals(0, Double.compare(naive, f64(x).round(d).item()), "round(" + x + ", " + d + ")");
            }
        }
    }

    /** Against BigDecimal's exact truncating remainder, for every finite pair (even 1e300 fmod 1e-300). */
    @Test
    void fmodIsTheExactTruncatedRemainder() {
        Tensor a = f64(AWKWARD).reshape(-1, 1);
        Tensor b = f64(AWKWARD).reshape(1, -1);
        double[] got = a.fmod(b).toDoubleArray();
        float[] got32 = a.to(DType.FLOAT32).fmod(b.to(DType.FLOAT32)).toFloatArray();
        int n = AWKWARD.length;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double x = AWKWARD[i];
                double y = AWKWARD[j];
                double expected;
                if (Double.isNaN(x) || Double.isNaN(y) || Double.isInfinite(x) || y == 0) {
                    expected = NAN;
                } else if (Double.isInfinite(y)) {
                    expected = x;
                } else {
                    expected = new BigDecimal(x).remainder(new BigDecimal(y)).doubleValue();
                    expected = Math.copySign(expected, x);   // a zero remainder keeps the dividend's sign
                }
                assertEquals(0, Double.compare(expected, got[i * n + j]), "fmod(" + x + ", " + y + ")");
                float x32 = (float) x;
                float y32 = (float) y;
                float e32 = Float.isFinite(x32) && Float.isFinite(y32) && y32 != 0
                        ? Math.copySign(new BigDecimal(x32).remainder(new BigDecimal(y32)).floatValue(), x32)
                        : Float.isFinite(x32) && Float.isInfinite(y32) ? x32 : Float.NaN;
                assertEquals(0, Float.compare(e32, got32[i * n + j]), "fmod(" + x32 + "f, " + y32 + "f)");
            }
        }
    }

    /** fmod takes the dividend's sign, remainder the divisor's; they differ by the divisor where the signs differ. */
    @Test
    void fmodAndRemainderAgree() {
        Tensor a = f64(-7, 7, -7, 7, -6, 5.5, -5.5).reshape(-1, 1);
        Tensor b = f64(3, -3, -3, 3, 2.5, -2).reshape(1, -1);
        double[] fmod = a.fmod(b).toDoubleArray();
        double[] rem = a.remainder(b).toDoubleArray();
        double[] divisors = b.expand(7, 6).contiguous().toDoubleArray();
        for (int i = 0; i < fmod.length; i++) {
            boolean adjust = fmod[i] != 0 && Math.signum(fmod[i]) != Math.signum(divisors[i]);
            assertEquals(adjust ? fmod[i] + divisors[i] : fmod[i], rem[i], 1e-12, "element " + i);
        }
        assertArrayEquals(new long[] {-1, 1, -1, 1}, Tensor.of(new long[] {-7, 7, -7, 7})
                .fmod(Tensor.of(new long[] {3, -3, -3, 3})).toLongArray());
        assertArrayEquals(new long[] {2, -2, -1, 1}, Tensor.of(new long[] {-7, 7, -7, 7})
                .remainder(Tensor.of(new long[] {3, -3, -3, 3})).toLongArray());
        assertArrayEquals(new double[] {1.5, 0.5, 0.5}, f64(3.5, -3.5, 2.5).remainder(2.0).toDoubleArray());
        assertArrayEquals(new double[] {1.5, -1.5, 0.5}, f64(3.5, -3.5, 2.5).fmod(2.0).toDoubleArray());
        assertArrayEquals(new long[] {Long.MIN_VALUE % 7, 0}, Tensor.of(new long[] {Long.MIN_VALUE, Long.MIN_VALUE})
                .fmod(Tensor.of(new long[] {7, -1})).toLongArray());
    }

    @Test
    void lerpFollowsPyTorchsFormula() {
        double[] s = {-2.5, 0, 1, 3.25, 1e30, INF};
        double[] e = {-1, 0.5, 7, -3, 1, 2};
        for (double w : new double[] {-0.7, 0, 0.25, 0.5, 0.8, 1, 2}) {
            double[] got = f64(s).lerp(f64(e), w).toDoubleArray();
            double[] gotTensor = f64(s).lerp(f64(e), Tensor.scalar(w, DType.FLOAT64)).toDoubleArray();
            for (int i = 0; i < s.length; i++) {
                double diff = e[i] - s[i];
                double naive = w < 0.5 ? Math.fma(w, diff, s[i]) : Math.fma(-diff, 1 - w, e[i]);
                assertEquals(0, Double.compare(naive, got[i]), "lerp(" + s[i] + ", " + e[i] + ", " + w + ")");
                assertEquals(0, Double.compare(naive, gotTensor[i]), "tensor weight " + w);
            }
        }
        // Exact at the ends, even where start + w (end - start) would round.
        assertArrayEquals(new double[] {0.1, 1e30}, f64(0.1, 1e30).lerp(f64(0.7, 1), 0.0).toDoubleArray());
        assertArrayEquals(new double[] {0.7, 1}, f64(0.1, 1e30).lerp(f64(0.7, 1), 1.0).toDoubleArray());
        // Tensor weights broadcast against both ends.
        Tensor out = f64(0, 10).reshape(2, 1).lerp(f64(1, 20), f64(0, 0.5, 1).reshape(3, 1, 1));
        assertArrayEquals(new int[] {3, 2, 2}, out.shape());
        assertArrayEquals(new double[] {0, 0, 10, 10, 0.5, 10, 5.5, 15, 1, 20, 1, 20}, out.toDoubleArray());
    }

    @Test
    void logAddExpIsStable() {
        double ln2 = Math.log(2);
        assertArrayEquals(new double[] {1000 + ln2, -1000 + ln2, 1000, -INF, INF, 3, NAN, INF},
                f64(1000, -1000, 1000, -INF, INF, 3, NAN, INF).logAddExp(f64(1000, -1000, -1000, -INF, INF, -INF, 0,
                        -INF)).toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {1001, -999, 1000, -INF, INF, 3, NAN},
                f64(1000, -1000, 1000, -INF, INF, 3, NAN).logAddExp2(f64(1000, -1000, -1000, -INF, INF, -INF, 0))
                        .toDoubleArray(), 1e-12);
        assertEquals(1e-300, f64(0).logAddExp(f64(Math.log(1e-300))).item() / 1.0, 1e-310);
        assertEquals(Math.log(3), f64(Math.log(1)).logAddExp(f64(Math.log(2))).item(), 1e-15);
        assertEquals((float) (1e4 + Math.log1p(Math.exp(-1))), f32(1e4f).logAddExp(f32(1e4f - 1))
                .item(), 1e-3);
    }

    @Test
    void hypotDoesNotOverflowOrUnderflow() {
        double big = Math.scalb(1.0, 1000);
        double small = Math.scalb(1.0, -1060);
        assertArrayEquals(new double[] {5 * big, 5 * small, 5, INF, INF, NAN, Double.MAX_VALUE},
                f64(3 * big, 3 * small, -3, INF, NAN, NAN, Double.MAX_VALUE).hypot(f64(4 * big, 4 * small, 4, NAN,
                        -INF, 1, 0)).toDoubleArray());
        float big32 = Math.scalb(1f, 120);
        float small32 = Math.scalb(1f, -140);
        assertArrayEquals(new float[] {5 * big32, 5 * small32}, f32(3 * big32, 3 * small32).hypot(f32(4 * big32,
                4 * small32)).toFloatArray());
        for (double a = -5; a <= 5; a += 0.7) {
            for (double b = -4; b <= 4; b += 0.9) {
                assertWithinUlps("hypot", Math.hypot(a, b), f64(a).hypot(f64(b)).item(), 1);
                assertWithinUlps("atan2", Math.atan2(a, b), f64(a).atan2(f64(b)).item(), 1);
            }
        }
        assertArrayEquals(new double[] {0, Math.PI, -0.0, -Math.PI, Math.PI / 2}, f64(0, 0, -0.0, -0.0, 1)
                .atan2(f64(0, -0.0, 0, -0.0, 0)).toDoubleArray());
    }

    // ============================================================================================ clamp

    @Test
    void clampWithTensorBoundsBroadcastsAndPropagatesNaN() {
        double[] xs = {NAN, -INF, -3, -1, 0, 0.5, 1, 2, 4, INF};
        double[] los = {NAN, -1, 0, 3};
        double[] his = {NAN, -2, 0, 2.5, INF};
        Tensor x = f64(xs).reshape(-1, 1, 1);
        Tensor lo = f64(los).reshape(1, -1, 1);
        Tensor hi = f64(his).reshape(1, 1, -1);
        double[] both = x.clamp(lo, hi).toDoubleArray();
        double[] onlyLo = x.reshape(-1, 1).clamp(lo.reshape(1, -1), null).toDoubleArray();
        double[] onlyHi = x.reshape(-1, 1).clamp(null, hi.reshape(1, -1)).toDoubleArray();
        int k = 0;
        for (double v : xs) {
            for (double l : los) {
                for (double h : his) {
                    double naive = Double.isNaN(v) || Double.isNaN(l) || Double.isNaN(h) ? NAN
                            : Math.min(Math.max(v, l), h);
                    assertEquals(0, Double.compare(naive, both[k++]), "clamp(" + v + ", " + l + ", " + h + ")");
                }
            }
        }
        k = 0;
        for (double v : xs) {
            for (double l : los) {
                assertEquals(0, Double.compare(Double.isNaN(v) || Double.isNaN(l) ? NAN : Math.max(v, l),
                        onlyLo[k++]), "clamp(" + v + ", min=" + l + ")");
            }
        }
        k = 0;
        for (double v : xs) {
            for (double h : his) {
                assertEquals(0, Double.compare(Double.isNaN(v) || Double.isNaN(h) ? NAN : Math.min(v, h),
                        onlyHi[k++]), "clamp(" + v + ", max=" + h + ")");
            }
        }
        assertArrayEquals(new double[] {1, 1, 1}, f64(0, 5, 1.5).clamp(f64(2), f64(1)).toDoubleArray(),
                "min > max gives max");
        assertArrayEquals(new double[] {1, 2}, f64(0, 5).clampMin(f64(1)).clampMax(f64(2)).toDoubleArray());
    }

    /** PyTorch's clamp_backward and clamp_backward_min_max, element by element. */
    @Test
    void clampRoutesGradientsAsPyTorch() {
        Tensor x = f64(-3, 0.5, 4, 1, 2, 0.5).requiresGrad(true);
        Tensor lo = f64(0, 0, 0, 1, 3, 2).requiresGrad(true);     // x == lo at 3; lo > hi at 4, 5
        Tensor hi = f64(2, 2, 2, 2, 1, 1).requiresGrad(true);
        x.clamp(lo, hi).backward(f64(1, 1, 1, 1, 1, 1));
        assertArrayEquals(new double[] {0, 1, 0, 1, 0, 0}, x.grad().toDoubleArray());
        assertArrayEquals(new double[] {1, 0, 0, 0, 0, 0}, lo.grad().toDoubleArray());
        assertArrayEquals(new double[] {0, 0, 1, 0, 1, 1}, hi.grad().toDoubleArray());
        // Broadcast bounds: their gradients are summed back to their shapes.
        Tensor x2 = f64(-1, 0.5, 3).requiresGrad(true);
        Tensor lo2 = f64(0).requiresGrad(true);
        Tensor hi2 = f64(1, 2).reshape(2, 1).requiresGrad(true);
        x2.clamp(lo2, hi2).sum().backward();
        assertArrayEquals(new double[] {2}, lo2.grad().toDoubleArray());
        assertArrayEquals(new double[] {1, 1}, hi2.grad().toDoubleArray());
        assertArrayEquals(new double[] {0, 2, 0}, x2.grad().toDoubleArray());
    }

    // ============================================================================================ nanToNum, tests

    @Test
    void nanToNumDefaultsAndValues() {
        double[] x = {NAN, INF, -INF, 1.5, -0.0};
        assertArrayEquals(new double[] {0, Double.MAX_VALUE, -Double.MAX_VALUE, 1.5, -0.0}, f64(x).nanToNum()
                .toDoubleArray());
        assertArrayEquals(new float[] {0, Float.MAX_VALUE, -Float.MAX_VALUE, 1.5f, -0.0f}, f64(x).to(DType.FLOAT32)
                .nanToNum().toFloatArray());
        assertArrayEquals(new double[] {7, Double.MAX_VALUE, -Double.MAX_VALUE, 1.5, -0.0}, f64(x).nanToNum(7)
                .toDoubleArray());
        assertArrayEquals(new double[] {-1, 2, -3, 1.5, -0.0}, f64(x).nanToNum(-1, 2.0, -3.0).toDoubleArray());
        assertArrayEquals(new double[] {1.5, 1e300, -Double.MAX_VALUE, 1.5, -0.0}, f64(x).nanToNum(1.5, 1e300, null)
                .toDoubleArray());
        // Values are rounded to the dtype: 1e300 is inf in float32, as in PyTorch.
        assertArrayEquals(new float[] {0, Float.POSITIVE_INFINITY, -4f, 1.5f, -0.0f}, f64(x).to(DType.FLOAT32)
                .nanToNum(0, 1e300, -4.0).toFloatArray());
        assertArrayEquals(new double[] {NAN, INF, -INF}, f64(NAN, INF, -INF).nanToNum(NAN, INF, -INF)
                .toDoubleArray());
    }

    @Test
    void nanToNumGradientPassesOnlyWhereFinite() {
        Tensor x = f64(NAN, INF, -INF, 2, -3).requiresGrad(true);
        x.nanToNum().mul(f64(1, 2, 3, 4, 5)).sum().backward();
        assertArrayEquals(new double[] {0, 0, 0, 4, 5}, x.grad().toDoubleArray());
    }

    @Test
    void nanAndInfinityTests() {
        Tensor x = strided(NAN, INF, -INF, 0, -0.0, 1e308, Double.MIN_VALUE);
        assertArrayEquals(new boolean[] {true, false, false, false, false, false, false}, x.isNan().toBooleanArray());
        assertArrayEquals(new boolean[] {false, true, true, false, false, false, false}, x.isInf().toBooleanArray());
        assertArrayEquals(new boolean[] {false, false, false, true, true, true, true}, x.isFinite().toBooleanArray());
        assertArrayEquals(new boolean[] {false, true, false, false, false, false, false}, x.isPosInf()
                .toBooleanArray());
        assertArrayEquals(new boolean[] {false, false, true, false, false, false, false}, x.isNegInf()
                .toBooleanArray());
        Tensor x32 = x.to(DType.FLOAT32);
        assertArrayEquals(new boolean[] {true, false, false, false, false, false, false}, x32.isNan()
                .toBooleanArray());
        assertArrayEquals(new boolean[] {false, true, true, false, false, true, false}, x32.isInf().toBooleanArray(),
                "1e308 is inf in float32");
        Tensor leaf = f64(NAN, 1).requiresGrad(true);
        Tensor mask = leaf.isNan();
        assertEquals(DType.BOOL, mask.dtype());
        assertFalse(mask.requiresGrad());
        assertArrayEquals(new int[] {2, 3}, Tensor.zeros(2, 3).isFinite().shape());
    }

    // ============================================================================================ dtypes

    @Test
    void floatFunctionsOfIntegersComputeInFloat32() {
        Tensor ints = Tensor.of(new long[] {1, 2, -3});
        for (UnaryOperator<Tensor> op : List.<UnaryOperator<Tensor>>of(Tensor::tan, Tensor::asin, Tensor::acos,
                Tensor::atan, Tensor::sinh, Tensor::cosh, Tensor::asinh, Tensor::acosh, Tensor::atanh, Tensor::log2,
                Tensor::log10, Tensor::exp2)) {
            Tensor out = op.apply(ints);
            assertEquals(DType.FLOAT32, out.dtype());
            assertArrayEquals(op.apply(ints.to(DType.FLOAT32)).toFloatArray(), out.toFloatArray());
        }
        assertArrayEquals(new float[] {2, 4, 0.125f}, ints.exp2().toFloatArray());
        assertEquals(DType.FLOAT32, Tensor.of(new boolean[] {true}).exp2().dtype());
        assertEquals(DType.FLOAT32, ints.atan2(ints).dtype());
        assertEquals(DType.FLOAT32, ints.hypot(Tensor.of(new int[] {1, 2, 3})).dtype());
        assertEquals(DType.FLOAT32, ints.logAddExp(ints).dtype());
        assertEquals(DType.FLOAT32, ints.lerp(ints, 0.5).dtype());
        assertArrayEquals(new float[] {1, 2, -3}, ints.lerp(ints.mul(3L), 0.0).toFloatArray());
    }

    @Test
    void binaryOpsPromoteAsTheOtherBinaryOps() {
        Tensor a32 = f32(1f, 2f);
        Tensor b64 = f64(3.0, 4.0);
        assertEquals(DType.FLOAT64, a32.atan2(b64).dtype());
        assertEquals(DType.FLOAT64, a32.hypot(b64).dtype());
        assertEquals(DType.FLOAT64, a32.logAddExp2(b64).dtype());
        assertEquals(DType.FLOAT64, a32.fmod(b64).dtype());
        assertEquals(DType.FLOAT64, a32.lerp(a32, b64).dtype());
        assertEquals(DType.FLOAT32, a32.atan2(Tensor.scalar(2.0, DType.FLOAT64)).dtype(), "0-d of the same category");
        assertEquals(DType.FLOAT32, a32.clamp(Tensor.scalar(0.0, DType.FLOAT64), null).dtype());
        assertEquals(DType.FLOAT64, a32.clamp(b64, null).dtype());
        Tensor ints = Tensor.of(new long[] {-3, 5});
        assertEquals(DType.FLOAT32, ints.clamp(f32(0.5f, 0.5f), null).dtype());
        assertArrayEquals(new float[] {0.5f, 5}, ints.clamp(f32(0.5f, 0.5f), null).toFloatArray());
        assertEquals(DType.INT64, ints.clamp(Tensor.of(new int[] {0, 0}), Tensor.of(new int[] {4, 4})).dtype());
        assertArrayEquals(new long[] {0, 4}, ints.clamp(Tensor.of(new int[] {0, 0}), Tensor.of(new int[] {4, 4}))
                .toLongArray());
        // A float32 leaf in a float64 expression gets a float32 gradient.
        Tensor leaf = f32(0.5f, 2f).requiresGrad(true);
        leaf.atan2(b64).sum().backward();
        assertEquals(DType.FLOAT32, leaf.grad().dtype());
    }

    @Test
    void roundingKeepsIntegersAndFmodKeepsThemIntegral() {
        Tensor i64 = Tensor.of(new long[] {1, -2, 3});
        for (UnaryOperator<Tensor> op : List.<UnaryOperator<Tensor>>of(Tensor::floor, Tensor::ceil, Tensor::round,
                Tensor::trunc, Tensor::nanToNum)) {
            Tensor out = op.apply(i64);
            assertEquals(DType.INT64, out.dtype());
            assertArrayEquals(new long[] {1, -2, 3}, out.toLongArray());
            assertNotSame(i64, out);
        }
        Tensor u8 = Tensor.of(new byte[] {3, (byte) 200});
        assertEquals(DType.UINT8, u8.trunc().dtype());
        assertArrayEquals(new byte[] {3, (byte) 200}, u8.floor().toByteArray());
        Tensor i32 = Tensor.of(new int[] {-7, 7});
        assertEquals(DType.INT32, i32.fmod(3L).dtype());
        assertArrayEquals(new int[] {-1, 1}, i32.fmod(3L).toIntArray());
        assertEquals(DType.FLOAT32, i32.fmod(2.5).dtype());
        assertArrayEquals(new float[] {-2, 2}, i32.fmod(2.5).toFloatArray());
        assertEquals(DType.INT64, i32.fmod(Tensor.of(new long[] {4, 4})).dtype());
        assertEquals(DType.FLOAT32, i32.remainder(2.5).dtype());
        assertArrayEquals(new float[] {0.5f, 2}, i32.remainder(2.5).toFloatArray());
        assertEquals(DType.INT64, Tensor.of(new boolean[] {true, false}).fmod(Tensor.of(new boolean[] {true, true}))
                .dtype(), "bools compute as int64, as remainder");
        assertArrayEquals(new boolean[] {false, false, false}, i64.isNan().toBooleanArray());
        assertArrayEquals(new boolean[] {false, false, false}, i64.isInf().toBooleanArray());
        assertArrayEquals(new boolean[] {true, true, true}, i64.isFinite().toBooleanArray());
        assertArrayEquals(new boolean[] {false}, Tensor.of(new boolean[] {true}).isPosInf().toBooleanArray());
    }

    // ============================================================================================ gradients

    /** Zero gradients, and (with createGraph) zero second derivatives rather than an error, as relu's. */
    @Test
    void roundingOpsHaveZeroGradients() {
        for (UnaryOperator<Tensor> op : List.<UnaryOperator<Tensor>>of(Tensor::floor, Tensor::ceil, Tensor::round,
                Tensor::trunc, t -> t.round(2))) {
            Tensor x = f64(0.3, -1.7, 2.5).requiresGrad(true);
            Tensor g = Autograd.grad(op.apply(x).mul(x).sum(), x, true);
            Tensor expected = op.apply(x.detach());
            assertArrayEquals(expected.toDoubleArray(), g.toDoubleArray());
            Tensor gg = Autograd.grad(g.sum(), x, false);
            assertArrayEquals(new double[] {0, 0, 0}, gg.toDoubleArray());
        }
        Tensor x = f64(0.3, -1.7).requiresGrad(true);
        x.frac().sum().backward();
        assertArrayEquals(new double[] {1, 1}, x.grad().toDoubleArray());
    }

    @Test
    void fmodGradientsAsPyTorch() {
        Tensor a = f64(7.5, -7.5, 2).requiresGrad(true);
        Tensor b = f64(2, 2, -3).requiresGrad(true);
        a.fmod(b).sum().backward();
        assertArrayEquals(new double[] {1, 1, 1}, a.grad().toDoubleArray());
        assertArrayEquals(new double[] {-3, 3, 0}, b.grad().toDoubleArray(), "-trunc(a / b)");
        Tensor c = f64(5).requiresGrad(true);
        Tensor ints = Tensor.of(new long[] {7, -7});
        ints.fmod(c).sum().backward();
        assertArrayEquals(new double[] {0}, c.grad().toDoubleArray(), "-trunc(7/5) - trunc(-7/5) = -1 + 1");
        assertNull(Tensor.of(new long[] {1}).fmod(2L).gradFnName());
    }

    // ============================================================================================ errors

    private static String message(Class<? extends Throwable> type, org.junit.jupiter.api.function.Executable call) {
        return assertThrows(type, call).getMessage();
    }

    @Test
    void errorsNameTheOpAndTheValues() {
        Tensor ints = Tensor.of(new long[] {4, 5});
        String m = message(IllegalArgumentException.class, () -> ints.fmod(Tensor.of(new long[] {2, 0})));
        assertTrue(m.startsWith("fmod: integer division by zero") && m.contains("int64") && m.contains("[2]"), m);
        m = message(IllegalArgumentException.class, () -> ints.fmod(0L));
        assertTrue(m.contains("fmod") && m.contains("ZeroDivisionError"), m);
        m = message(DTypeMismatchException.class, () -> ints.round(2));
        assertTrue(m.contains("round") && m.contains("decimals=2") && m.contains("int64"), m);
        m = message(DTypeMismatchException.class, () -> ints.frac());
        assertTrue(m.contains("frac") && m.contains("int64") && m.contains("FLOAT32"), m);
        m = message(DTypeMismatchException.class, () -> Tensor.of(new boolean[] {true}).floor());
        assertTrue(m.contains("floor") && m.contains("bool"), m);
        m = message(IllegalArgumentException.class, () -> f64(1).clamp((Tensor) null, null));
        assertTrue(m.contains("clamp") && m.contains("min and max"), m);
        m = message(IllegalArgumentException.class, () -> f64(1).clampMin((Tensor) null));
        assertTrue(m.contains("clampMin") && m.contains("min"), m);
        m = message(ShapeMismatchException.class, () -> f64(1, 2).atan2(f64(1, 2, 3)));
        assertTrue(m.contains("atan2") && m.contains("[2]") && m.contains("[3]"), m);
        m = message(ShapeMismatchException.class, () -> f64(1, 2).lerp(f64(1, 2), f64(1, 2, 3)));
        assertTrue(m.contains("lerp"), m);
        m = message(ShapeMismatchException.class, () -> f64(1, 2).clamp(f64(1, 2, 3), null));
        assertTrue(m.contains("clamp"), m);
        m = message(ShapeMismatchException.class, () -> f64(1, 2).fmod(f64(1, 2, 3)));
        assertTrue(m.contains("fmod"), m);
    }
}
