package org.grad4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.grad4j.core.DType;
import org.grad4j.core.GradCheck;
import org.grad4j.core.Tensor;

/** Small helpers shared by the nn tests. */
final class TestTensors {
    private TestTensors() {
    }

    /** Standard normal float64 leaf that requires grad. */
    static Tensor leaf(long seed, int... shape) {
        return Tensor.randn(new SplittableRandom(seed), DType.FLOAT64, shape).requiresGrad(true);
    }

    /** Standard normal float64 constant. */
    static Tensor randn(long seed, int... shape) {
        return Tensor.randn(new SplittableRandom(seed), DType.FLOAT64, shape);
    }

    /** Uniform values in [lo, hi) as a float64 tensor. */
    static Tensor uniform(long seed, double lo, double hi, int... shape) {
        return Tensor.rand(new SplittableRandom(seed), DType.FLOAT64, shape).mul(hi - lo).add(lo);
    }

    static void assertGradients(GradCheck.Fn f, Tensor... inputs) {
        GradCheck.Result r = GradCheck.check(f, inputs);
        assertTrue(r.passed(), r::report);
    }

    static void assertDirectional(GradCheck.Fn f, long seed, Tensor... inputs) {
        GradCheck.Result r = GradCheck.checkDirectional(f, seed, inputs);
        assertTrue(r.passed(), r::report);
    }

    /** Element-wise {@code |expected - actual| <= tol * max(1, |expected|)}, with the first failing index reported. */
    static void assertClose(double[] expected, Tensor actual, double tol) {
        assertClose(expected, actual.toDoubleArray(), tol);
    }

    static void assertClose(double[] expected, double[] actual, double tol) {
        assertEquals(expected.length, actual.length, "length");
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            boolean ok = e == a || Math.abs(e - a) <= tol * Math.max(1, Math.abs(e));
            int index = i;
            assertTrue(ok, () -> "element " + index + ": expected " + e + ", got " + a + " (expected "
                    + Arrays.toString(expected) + ", actual " + Arrays.toString(actual) + ")");
        }
    }

    static void assertClose(double expected, Tensor actual, double tol) {
        assertClose(new double[] {expected}, actual, tol);
    }

    static void assertAllFinite(Tensor t, String what) {
        double[] v = t.toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            int index = i;
            assertTrue(Double.isFinite(v[i]), () -> what + ": element " + index + " is " + v[index] + " in "
                    + Arrays.toString(v));
        }
    }

    /** Bit patterns of a tensor's values (float32 as int bits widened, float64 as long bits). */
    static long[] bits(Tensor t) {
        if (t.dtype() == DType.FLOAT32) {
            float[] f = t.toFloatArray();
            long[] out = new long[f.length];
            for (int i = 0; i < f.length; i++) out[i] = Float.floatToRawIntBits(f[i]);
            return out;
        }
        double[] d = t.toDoubleArray();
        long[] out = new long[d.length];
        for (int i = 0; i < d.length; i++) out[i] = Double.doubleToRawLongBits(d[i]);
        return out;
    }
}
