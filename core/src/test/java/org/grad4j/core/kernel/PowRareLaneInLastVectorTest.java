package org.grad4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * float64 {@code pow} by one exponent, with a lane the vector path hands to the scalar rules (a negative base under a
 * non-integer exponent, a zero or subnormal base, a power beyond the double range) in the last vector of an output
 * that ends exactly there: the lane-by-lane fallback must write that vector's lanes and nothing after them. Every
 * element is compared bit for bit with {@link ScalarKernels#pow}. Exponents on both sides of 32, where the SIMD
 * kernels switch between their two paths.
 */
class PowRareLaneInLastVectorTest {
    private static List<Kernels> kernels() {
        List<Kernels> all = new ArrayList<>();
        all.add(KernelProvider.scalar());
        if (KernelProvider.get() != KernelProvider.scalar()) all.add(KernelProvider.get());
        return all;
    }

    @Test
    void aRareLaneInTheLastVectorIsComputedByTheScalarRulesAndNothingIsWrittenPastTheEnd() {
        double[] exponents = {40.5, -40.5, 33, 3.5, -2.5, 31};
        double[] rare = {-1.5, 0.0, -0.0, Double.MIN_VALUE, 1e300, 1e-300, Double.NaN, Double.POSITIVE_INFINITY};
        for (Kernels k : kernels()) {
            for (int n : new int[] {16, 64}) {
                for (double y : exponents) {
                    for (double r : rare) {
                        for (int at = n - 8; at < n; at++) {
                            double[] x = new double[n];
                            for (int i = 0; i < n; i++) x[i] = 0.75 + i / (2.0 * n);
                            x[at] = r;
                            double[] out = new double[n];   // ends with the last vector: a write past it throws
                            k.binary(BinaryOp.POW, x, 0, 1, new double[] {y}, 0, 0, out, 0, 1, n);
                            String where = k.name() + " pow(" + r + ", " + y + ") at " + at + " of " + n;
                            for (int i = 0; i < n; i++) {
                                assertEquals(Double.doubleToLongBits(ScalarKernels.pow(x[i], y)),
                                        Double.doubleToLongBits(out[i]), where + ", element " + i);
                            }
                        }
                    }
                }
            }
        }
    }
}
