package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fused Adam step gives bit for bit what the in-place op sequence it replaces gives. */
class FusedUpdatesTest {

    private static Tensor random(DType dtype, long seed, int... shape) {
        return Tensor.randn(new SplittableRandom(seed), dtype, shape);
    }

    /** Adam's update as in-place ops, one rounding per op (the reference). */
    private static void adamInPlace(Tensor p, Tensor g, Tensor m, Tensor v, double beta1, double beta2,
                                    double stepSize, double sqrtBc2, double eps, double decay) {
        if (decay != 1) {
            p.mulInPlace(decay);
        }
        m.mulInPlace(beta1).addInPlace(g.copy().mulInPlace(1 - beta1));
        v.mulInPlace(beta2).addInPlace(g.copy().mulInPlace(1 - beta2).mulInPlace(g));
        Tensor denom = v.copy().sqrtInPlace().divInPlace(sqrtBc2).addInPlace(eps);
        p.addInPlace(m.copy().mulInPlace(-stepSize).divInPlace(denom));
    }

    @Test
    void adamMatchesTheInPlaceSequenceBitForBitOverSeveralSteps() {
        try (Grad.Scope off = Grad.disabled()) {
            for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                for (int n : new int[] {1, 7, 16, 33, 1000, 4099}) {
                    for (double decay : new double[] {1, 1 - 1e-3 * 0.01}) {
                        Tensor p = random(dtype, 1, n);
                        Tensor pRef = p.copy();
                        Tensor m = Tensor.zeros(dtype, n);
                        Tensor v = Tensor.zeros(dtype, n);
                        Tensor mRef = m.copy();
                        Tensor vRef = v.copy();
                        for (int step = 1; step <= 5; step++) {
                            Tensor g = random(dtype, 10 + step, n).mul(step == 3 ? 1e-30 : 0.1);
                            double stepSize = 1e-3 / (1 - Math.pow(0.9, step));
                            double sqrtBc2 = Math.sqrt(1 - Math.pow(0.999, step));
                            FusedUpdates.adam(p, g, m, v, 0.9, 0.999, stepSize, sqrtBc2, 1e-8, decay);
                            adamInPlace(pRef, g, mRef, vRef, 0.9, 0.999, stepSize, sqrtBc2, 1e-8, decay);
                            String what = dtype + " n=" + n + " decay=" + decay + " step " + step;
                            assertArrayEquals(mRef.toDoubleArray(), m.toDoubleArray(), 0, what);
                            assertArrayEquals(vRef.toDoubleArray(), v.toDoubleArray(), 0, what);
                            assertArrayEquals(pRef.toDoubleArray(), p.toDoubleArray(), 0, what);
                        }
                        assertEquals(5, p.version());
                        assertEquals(5, m.version());
                    }
                }
            }
        }
    }

    @Test
    void adamWorksOnAnOffsetViewAndRefusesWhatItCannotFuse() {
        try (Grad.Scope off = Grad.disabled()) {
            Tensor big = random(DType.FLOAT32, 1, 3, 10);
            Tensor row = big.select(0, 1);                           // contiguous, offset 10
            Tensor ref = row.copy();
            Tensor g = random(DType.FLOAT32, 2, 10);
            Tensor m = Tensor.zeros(10);
            Tensor v = Tensor.zeros(10);
            FusedUpdates.adam(row, g, m, v, 0.9, 0.999, 0.01, 0.04, 1e-8, 1);
            adamInPlace(ref, g, Tensor.zeros(10), Tensor.zeros(10), 0.9, 0.999, 0.01, 0.04, 1e-8, 1);
            assertArrayEquals(ref.toDoubleArray(), row.toDoubleArray(), 0);
            assertArrayEquals(random(DType.FLOAT32, 1, 3, 10).select(0, 0).toDoubleArray(),
                    big.select(0, 0).toDoubleArray(), 0);

            Tensor square = random(DType.FLOAT32, 3, 4, 4);
            assertTrue(FusedUpdates.canFuse(square, square.copy()));
            assertFalse(FusedUpdates.canFuse(square.t(), square.copy()));              // not contiguous
            assertFalse(FusedUpdates.canFuse(square, square.to(DType.FLOAT64)));       // dtypes differ
            assertFalse(FusedUpdates.canFuse(square, square.reshape(16)));             // shapes differ, one storage
            assertFalse(FusedUpdates.canFuse(square.reshape(16), random(DType.FLOAT32, 4, 4, 4)));
            assertFalse(FusedUpdates.canFuse(Tensor.of(new long[] {1, 2}, 2), Tensor.of(new long[] {1, 2}, 2)));
            assertThrows(IllegalArgumentException.class,
                    () -> FusedUpdates.adam(square, square, square, square, 0.9, 0.999, 0.1, 1, 1e-8, 1));
        }
        Tensor leaf = Tensor.zeros(3).requiresGrad(true);
        assertThrows(AutogradException.class, () -> FusedUpdates.adam(leaf, Tensor.zeros(3), Tensor.zeros(3),
                Tensor.zeros(3), 0.9, 0.999, 0.1, 1, 1e-8, 1));
    }
}
