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
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * float32 pow's float-lane path (Math.snippets' powfTable: x a normal positive float, |y| <= 32, |y log2 x| < 124;
 * every other lane takes the double-lane path): its error against mpmath at 200 bits
 * ({@code powf_table_reference.csv.gz}, script {@code powf_table_reference.py} beside it) and against StrictMath on
 * random pairs, exact results where the power is a float, and the SIMD kernels' bits equal to the scalar ones where
 * the rule between the two paths flips (y at and beside +-32, y log2 x at +-124, the smallest normal base), with such
 * a lane at every position of an array.
 */
class PowFloatTablePathTest {
    private static final Kernels SCALAR = KernelProvider.scalar();
    private static Kernels vector;

    @BeforeAll
    static void loadVectorKernels() {
        vector = SimdKernelsForTests.loadOrSkip();
    }

    private record Reference(float x, float y, double hi, double lo) {
    }

    private static List<Reference> references() throws IOException {
        List<Reference> rows = new ArrayList<>();
        try (InputStream raw = PowFloatTablePathTest.class.getResourceAsStream("powf_table_reference.csv.gz")) {
            assertTrue(raw != null, "powf_table_reference.csv.gz is missing (see powf_table_reference.py)");
            BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw),
                    StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] f = line.split(",");
                rows.add(new Reference((float) Double.parseDouble(f[0]), (float) Double.parseDouble(f[1]),
                        Double.parseDouble(f[2]), Double.parseDouble(f[3])));
            }
        }
        return rows;
    }

    /** The design bound is 0.5 ulp + 2^-27 relative (about 0.62 ulp); the bound is 1 ulp. */
    @Test
    void errorAgainstMpmathStaysWithinTheDesignBound() throws IOException {
        List<Reference> rows = references();
        assertTrue(rows.size() >= 6000, "rows: " + rows.size());
        double worst = 0;
        Reference worstAt = null;
        int tablePath = 0;
        double tableWorst = 0;
        for (Reference r : rows) {
            float got = ScalarKernels.powF(r.x(), r.y());
            double err = Math.abs(((double) got - r.hi()) - r.lo()) / Math.ulp((float) r.hi());
            if (Math.abs(r.y()) <= 32 && Math.abs(r.y() * Math.log(r.x()) / Math.log(2)) < 123.9) {
                tablePath++;
                tableWorst = Math.max(tableWorst, err);
            }
            if (!(err <= worst)) {
                worst = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err;
                worstAt = r;
            }
        }
        System.out.printf("float pow against mpmath: %d inputs, max %.4f ulp at %s; the %d on the float-lane path:"
                + " max %.4f ulp%n", rows.size(), worst, worstAt, tablePath, tableWorst);
        assertTrue(tablePath > 4000, "inputs on the float-lane path: " + tablePath);
        assertTrue(worst <= 0.62, "max " + worst + " ulp at " + worstAt);
    }

    @Test
    void simdGivesTheScalarBitsOnTheReferenceInputs() throws IOException {
        List<Reference> rows = references();
        float[] x = new float[rows.size()];
        float[] y = new float[rows.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = rows.get(i).x();
            y[i] = rows.get(i).y();
        }
        for (int n : new int[] {x.length, 1, 15, 16, 17, 31, 33, 63, 65, 1001}) {
            float[] simd = new float[n];
            float[] scalar = new float[n];
            vector.binary(BinaryOp.POW, x, 0, 1, y, 0, 1, simd, 0, 1, n);
            SCALAR.binary(BinaryOp.POW, x, 0, 1, y, 0, 1, scalar, 0, 1, n);
            for (int i = 0; i < n; i++) {
                assertEquals(Float.floatToIntBits(scalar[i]), Float.floatToIntBits(simd[i]),
                        "pow(" + x[i] + "f, " + y[i] + "f), n = " + n);
                assertEquals(Float.floatToIntBits(ScalarKernels.powF(x[i], y[i])), Float.floatToIntBits(scalar[i]));
            }
        }
    }

    /** StrictMath.pow in double is within one double ulp: exact for float ulps. 1.5 million random pairs. */
    @Test
    void errorAgainstStrictMathOnRandomPairsIsBelowOneUlpAndSimdMatches() {
        SplittableRandom rng = new SplittableRandom(28);
        int n = 1 << 19;
        float[] x = new float[n];
        float[] y = new float[n];
        double worst = 0;
        String worstAt = "";
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < n; i++) {
                switch (rng.nextInt(3)) {
                    case 0 -> x[i] = Float.intBitsToFloat(rng.nextInt(0x00800000, 0x7f800000));
                    case 1 -> x[i] = (float) rng.nextDouble(0.25, 4);
                    default -> x[i] = (float) (1 + rng.nextDouble(-1, 1) * Math.pow(10, -rng.nextDouble(1, 7.5)));
                }
                y[i] = round == 2 ? (float) rng.nextInt(-32, 33) : (float) rng.nextDouble(-32, 32);
            }
            float[] simd = new float[n];
            float[] scalar = new float[n];
            vector.binary(BinaryOp.POW, x, 0, 1, y, 0, 1, simd, 0, 1, n);
            SCALAR.binary(BinaryOp.POW, x, 0, 1, y, 0, 1, scalar, 0, 1, n);
            for (int i = 0; i < n; i++) {
                if (Float.floatToIntBits(simd[i]) != Float.floatToIntBits(scalar[i])) {
                    fail("pow(" + x[i] + "f, " + y[i] + "f): simd " + simd[i] + ", scalar " + scalar[i]);
                }
                double exact = StrictMath.pow(x[i], y[i]);
                float rounded = (float) exact;
                if (Float.isInfinite(rounded)) {
                    assertEquals(Float.floatToIntBits(rounded), Float.floatToIntBits(scalar[i]),
                            "pow(" + x[i] + "f, " + y[i] + "f)");
                    continue;
                }
                if (Math.abs(exact) < Float.MIN_NORMAL) {   // the double path's subnormal results
                    assertTrue(Math.abs(scalar[i] - exact) <= Float.MIN_VALUE, "pow(" + x[i] + "f, " + y[i] + "f)");
                    continue;
                }
                double err = Math.abs(scalar[i] - exact) / Math.ulp(rounded);
                if (err > worst) {
                    worst = err;
                    worstAt = "pow(" + x[i] + "f, " + y[i] + "f)";
                }
            }
        }
        System.out.printf("float pow against StrictMath: max %.4f ulp at %s%n", worst, worstAt);
        assertTrue(worst < 0.62, "max " + worst + " ulp at " + worstAt);
    }

    /** A power that is a float comes out exact: the error before the last rounding is far below half an ulp. */
    @Test
    void powersThatAreFloatsAreExact() {
        for (int base = 2; base <= 300; base++) {
            for (int k = -32; k <= 32; k++) {
                java.math.BigDecimal exact = k >= 0 ? java.math.BigDecimal.valueOf(base).pow(k)
                        : java.math.BigDecimal.ONE.divide(java.math.BigDecimal.valueOf(base).pow(-k),
                                java.math.MathContext.DECIMAL128);
                float rounded = exact.floatValue();
                if (!Float.isFinite(rounded) || rounded == 0 || new java.math.BigDecimal(rounded).compareTo(exact) != 0) {
                    continue;   // not a float
                }
                assertEquals(rounded, ScalarKernels.powF(base, k), base + "^" + k);
            }
        }
        for (int e = -126; e <= 127; e++) {
            for (int k = -32; k <= 32; k++) {
                double exact = Math.scalb(1.0, e * k);
                float rounded = (float) exact;
                if (rounded != 0 && Float.isFinite(rounded) && rounded == exact) {
                    assertEquals(rounded, ScalarKernels.powF(Math.scalb(1f, e), k), "2^" + e + "^" + k);
                }
            }
            assertEquals((float) Math.sqrt(Math.scalb(1.0, 2 * (e / 2))),
                    ScalarKernels.powF(Math.scalb(1f, 2 * (e / 2)), 0.5f), "sqrt(2^" + 2 * (e / 2) + ")");
        }
    }

    /**
     * Pairs at the rule between the two paths, each put at every position of an array of ordinary lanes: the SIMD
     * kernels (float-lane loop, its fallback for one vector, the scalar tail) give the scalar bits, element-wise and
     * with the pair's exponent broadcast, and the value agrees with StrictMath.
     */
    @Test
    void lanesAtTheRuleBetweenThePathsGiveTheScalarBitsWhereverTheySit() {
        float[][] pairs = {
            {16f, 31f}, {16f, Math.nextDown(31f)}, {0.0625f, 31f}, {0.0625f, Math.nextDown(31f)},
            {16f, -31f}, {16f, Math.nextUp(-31f)}, {3f, 32f}, {3f, -32f}, {1.5f, Math.nextUp(32f)},
            {1.5f, -Math.nextUp(32f)}, {0.7f, Math.nextDown(32f)}, {Float.MIN_NORMAL, 0.5f},
            {Math.nextDown(Float.MIN_NORMAL), 0.5f}, {Float.MIN_NORMAL, -0.96f}, {Float.MAX_VALUE, 0.97f},
            {Float.MAX_VALUE, -0.97f}, {1e-30f, 1.5f}, {1e30f, 4.1f}, {1e30f, 4.2f}, {1e-30f, -4.2f},
            {5f, 2f}, {5f, 0f}, {-5f, 3f}, {0f, 3f}, {-0f, 3f}, {Float.POSITIVE_INFINITY, 1.5f}, {Float.NaN, 1.5f},
            {1.5f, Float.NaN}, {1.0000001f, 32f}, {0.99999994f, -32f}};
        int n = 77;   // at 512 bits: four float vectors and a tail of 13; at 256 bits nine and a tail of 5
        float[] x = new float[n];
        float[] y = new float[n];
        float[] simd = new float[n];
        float[] scalar = new float[n];
        for (float[] pair : pairs) {
            double exact = StrictMath.pow(pair[0], pair[1]);
            float single = ScalarKernels.powF(pair[0], pair[1]);
            if (Float.isNaN((float) exact) || Float.isInfinite((float) exact) || (float) exact == 0) {
                assertEquals(Float.floatToIntBits((float) exact), Float.floatToIntBits(single),
                        "pow(" + pair[0] + "f, " + pair[1] + "f)");
            } else {
                assertTrue(Math.abs(single - exact) <= 0.62 * Math.ulp((float) exact),
                        "pow(" + pair[0] + "f, " + pair[1] + "f) = " + single + ", StrictMath " + exact);
            }
            for (int p = 0; p < n; p++) {
                Arrays.fill(x, 1.375f);
                Arrays.fill(y, 2.5f);
                x[p] = pair[0];
                y[p] = pair[1];
                vector.binary(BinaryOp.POW, x, 0, 1, y, 0, 1, simd, 0, 1, n);
                SCALAR.binary(BinaryOp.POW, x, 0, 1, y, 0, 1, scalar, 0, 1, n);
                assertSame(simd, scalar, "pow with lane " + p + " = pow(" + pair[0] + "f, " + pair[1] + "f)");
                assertEquals(Float.floatToIntBits(single), Float.floatToIntBits(scalar[p]));
                float[] w = {pair[1]};
                vector.binary(BinaryOp.POW, x, 0, 1, w, 0, 0, simd, 0, 1, n);
                SCALAR.binary(BinaryOp.POW, x, 0, 1, w, 0, 0, scalar, 0, 1, n);
                assertSame(simd, scalar, "pow(x, " + pair[1] + "f) with x[" + p + "] = " + pair[0]);
            }
        }
    }

    private static void assertSame(float[] simd, float[] scalar, String where) {
        for (int i = 0; i < simd.length; i++) {
            if (Float.floatToIntBits(simd[i]) != Float.floatToIntBits(scalar[i])) {
                fail(where + ": element " + i + ": simd " + simd[i] + ", scalar " + scalar[i]);
            }
        }
    }
}
