package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The cut-offs and checks of pinv, lstsqFull, slogdet, the norms and the dtype checks, at the values where a
 * comparison or a default tolerance decides: diagonal matrices (whose singular values are their entries, so the
 * expected results are hand-derived), a singular value exactly at the cut-off (treated as zero, as
 * {@code torch.linalg.pinv}), the float64 default tolerance {@code eps * max(m, n)}, rcond 0, and a square system
 * (no residuals, as PyTorch).
 */
class LinalgThresholdsTest {

    private static Tensor diag(double a, double b) {
        return Tensor.of(new double[][] {{a, 0}, {0, b}});
    }

    @Test
    void pinvDefaultToleranceIsFloat64EpsilonTimesTheLargerDim() {
        assertArrayEquals(new double[] {1, 0, 0, 1e9}, Linalg.pinv(diag(1, 1e-9)).toDoubleArray(), 1e-3);
        assertArrayEquals(new double[] {1, 0, 0, 0}, Linalg.pinv(diag(1, 3e-16)).toDoubleArray(), 0.0);
    }

    @Test
    void pinvCutoffScalesWithTheLargestSingularValueAndDropsValuesAtIt() {
        assertArrayEquals(new double[] {0.25, 0, 0, 0}, Linalg.pinv(diag(4, 1e-3), 1e-3).toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {0.5, 0, 0, 0}, Linalg.pinv(diag(2, 1), 0.5).toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {0.5, 0, 0, 1}, Linalg.pinv(diag(2, 1), 0.49).toDoubleArray(), 1e-15);
    }

    @Test
    void pinvRefusesNonFiniteEntries() {
        LinalgException e = assertThrows(LinalgException.class, () -> Linalg.pinv(diag(1, Double.NaN)));
        assertTrue(e.getMessage().startsWith("linalg.pinv"), e.getMessage());
    }

    @Test
    void lstsqFullRankUsesTheFloat64DefaultAndAcceptsRcondZero() {
        Tensor b = Tensor.of(new double[][] {{1}, {1}});
        Linalg.Lstsq fit = Linalg.lstsqFull(diag(1, 1e-9), b);
        assertArrayEquals(new long[] {2}, new long[] {fit.rank().toLongArray()[0]});
        assertArrayEquals(new double[] {1, 1e9}, fit.solution().toDoubleArray(), 1e-3);
        assertEquals(0, fit.residuals().numel(), "a square system has no residuals");
        Linalg.Lstsq exact = Linalg.lstsqFull(diag(2, 1e-20), b, 0.0);
        assertEquals(2, exact.rank().toLongArray()[0]);
        assertArrayEquals(new double[] {0.5, 1e20}, exact.solution().toDoubleArray(), 1e6);
        Tensor tall = Tensor.of(new double[][] {{1, 0}, {0, 1}, {1, 1}});
        Linalg.Lstsq over = Linalg.lstsqFull(tall, Tensor.of(new double[][] {{1}, {1}, {0}}));
        // normal equations [[2,1],[1,2]] x = [1,1]: x = [1/3, 1/3]; residual (1-1/3)^2*2 + (2/3)^2 = 4/3
        assertArrayEquals(new double[] {1.0 / 3, 1.0 / 3}, over.solution().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {4.0 / 3}, over.residuals().toDoubleArray(), 1e-12);
    }

    @Test
    void slogdetOfAnExactlySingularMatrixHasSignZero() {
        Linalg.SlogDet s = Linalg.slogdet(Tensor.of(new double[][] {{1, 2}, {2, 4}}));
        assertEquals(0.0, s.sign().item(), 0.0);
        assertEquals(Double.NEGATIVE_INFINITY, s.logAbsDet().item(), 0.0);
        Linalg.SlogDet neg = Linalg.slogdet(Tensor.of(new double[][] {{0, 2}, {3, 0}}));
        assertEquals(-1.0, neg.sign().item(), 0.0);
        assertEquals(Math.log(6), neg.logAbsDet().item(), 1e-15);
    }

    @Test
    void choleskyRefusesAPivotOfExactlyZero() {
        LinalgException e = assertThrows(LinalgException.class,
                () -> Linalg.cholesky(Tensor.of(new double[][] {{1, 1}, {1, 1}})));
        assertTrue(e.getMessage().contains("linalg.cholesky"), e.getMessage());
    }

    @Test
    void dtypeChecksNameTheOperation() {
        Tensor a = diag(2, 3);
        Tensor b32 = Tensor.of(new double[][] {{1}, {1}}).to(DType.FLOAT32);
        for (Runnable call : new Runnable[] {
            () -> Linalg.solveTriangular(a, b32, true),
            () -> Linalg.lstsqFull(a, b32),
            () -> Linalg.lstsq(a, b32),
        }) {
            DTypeMismatchException e = assertThrows(DTypeMismatchException.class, call::run);
            assertTrue(e.getMessage().startsWith("linalg."), e.getMessage());
        }
    }

    @Test
    void normsCheckTheirInputs() {
        Tensor vector = Tensor.of(new double[] {3, 4});
        IllegalArgumentException fro = assertThrows(IllegalArgumentException.class,
                () -> Linalg.matrixNorm(vector, "fro"));
        assertTrue(fro.getMessage().startsWith("linalg.matrix_norm"), fro.getMessage());
        IllegalArgumentException two = assertThrows(IllegalArgumentException.class,
                () -> Linalg.matrixNorm(vector, 2.0));
        assertTrue(two.getMessage().startsWith("linalg.matrix_norm"), two.getMessage());
        assertThrows(DTypeMismatchException.class, () -> Linalg.vectorNorm(Tensor.of(new long[] {3, 4})));
        assertEquals(5.0, Linalg.vectorNorm(vector.to(DType.FLOAT32)).item(), 0.0);
        Tensor m = Tensor.of(new double[][] {{1, -2}, {-3, 4}});
        assertEquals(6.0, Linalg.matrixNorm(m, 1.0).item(), 0.0);
        assertEquals(4.0, Linalg.matrixNorm(m, -1.0).item(), 0.0);
        assertEquals(7.0, Linalg.matrixNorm(m, Double.POSITIVE_INFINITY).item(), 0.0);
        assertEquals(3.0, Linalg.matrixNorm(m, Double.NEGATIVE_INFINITY).item(), 0.0);
    }
}
