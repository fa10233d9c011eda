package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * {@link Linalg#lstsqFull(Tensor, Tensor)}'s default cut-off, {@code rcond = eps * max(m, n)} as
 * {@code torch.linalg.lstsq(driver="gelsd")}: a singular value of {@code 1.5 eps} relative to the largest counts as
 * zero for a 2x2 matrix (the cut-off is 2 eps), so the solution is the minimum-norm one of rank 1. Hand-derived
 * values for diagonal matrices.
 */
class LinalgDefaultCutoffTest {

    @Test
    void aSingularValueBelowEpsTimesTheSizeCountsAsZero() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            double eps = dtype == DType.FLOAT64 ? Math.ulp(1.0) : Math.ulp(1.0f);
            double tiny = 1.5 * eps;   // below 2 eps (the default cut-off of a 2x2), above eps / 2
            Tensor a = Tensor.of(new double[] {1, 0, 0, tiny}, 2, 2).to(dtype);
            Tensor b = Tensor.of(new double[] {3, 1}, 2, 1).to(dtype);
            Linalg.Lstsq r = Linalg.lstsqFull(a, b);
            assertEquals(1L, r.rank().toLongArray()[0], dtype.toString());
            assertArrayEquals(new double[] {3, 0}, r.solution().toDoubleArray(), 0.0, dtype.toString());
            // With a cut-off below it, the small value counts and the solution follows it.
            Linalg.Lstsq kept = Linalg.lstsqFull(a, b, eps / 4);
            assertEquals(2L, kept.rank().toLongArray()[0], dtype.toString());
            assertEquals(1 / tiny, kept.solution().toDoubleArray()[1], 1e-3 / tiny, dtype.toString());
        }
    }
}
