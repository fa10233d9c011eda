package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The dense factorisations at the cases their loops branch on, against hand-derived values and the defining
 * identities: LU pivoting where the diagonal entry is exactly 0 after elimination, the SVD of exactly
 * rank-deficient matrices (U must stay orthonormal: a zero singular value's column is completed), singular values
 * 150 orders of magnitude apart (one-sided Jacobi keeps the small one to full relative accuracy), eigh's and
 * the SVD's invariance under scaling by powers of ten up to 1e+-200 (squares of entries overflow from 1e154),
 * eigh's residual when a Householder column has a tiny tail, and its sign convention on ties.
 */
class DenseDecompositionsEdgesTest {

    private static Tensor matrix(double[] values, int rows, int cols) {
        return Tensor.of(values, rows, cols).to(DType.FLOAT64);
    }

    @Test
    void luPivotsPastAnEliminatedZeroOnTheDiagonal() {
        // after the first column, the (1, 1) entry is exactly 0 and a row below has the pivot; the entries above
        // and to the right of it are larger than that pivot, so only the rows below the diagonal may be compared
        double[] a = {1, 5, 7, 1, 5, 1, 0, 1, 1};
        assertEquals(6.0, Linalg.det(matrix(a, 3, 3)).item(), 1e-14);
        double[] p = {1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1};
        assertEquals(-1.0, Linalg.det(matrix(p, 4, 4)).item(), 0.0);
        // solve against the hand-derived solutions: A x = A (1, 2, 3)^T, P x = (4, 3, 2, 1)^T
        Tensor x = Linalg.solve(matrix(a, 3, 3), matrix(new double[] {32, 14, 5}, 3, 1));
        assertArrayEquals(new double[] {1, 2, 3}, x.toDoubleArray(), 1e-13);
        Tensor y = Linalg.solve(matrix(p, 4, 4), matrix(new double[] {4, 3, 2, 1}, 4, 1));
        assertArrayEquals(new double[] {4, 2, 3, 1}, y.toDoubleArray(), 0.0);
    }

    private static void assertOrthonormalColumns(Tensor q, double tol, String what) {
        int rows = q.shape()[0];
        int cols = q.shape()[1];
        double[] v = q.toDoubleArray();
        for (int i = 0; i < cols; i++) {
            for (int j = 0; j < cols; j++) {
                double dot = 0;
                for (int r = 0; r < rows; r++) dot += v[r * cols + i] * v[r * cols + j];
                assertEquals(i == j ? 1.0 : 0.0, dot, tol, what + ": column " + i + " . column " + j);
            }
        }
    }

    private static void assertReconstructs(double[] a, int m, int n, Linalg.SVD f, double tol, String what) {
        int k = Math.min(m, n);
        double[] u = f.u().toDoubleArray();
        double[] s = f.s().toDoubleArray();
        double[] vh = f.vh().toDoubleArray();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int t = 0; t < k; t++) sum += u[i * k + t] * s[t] * vh[t * n + j];
                assertEquals(a[i * n + j], sum, tol, what + ": A at " + i + ", " + j);
            }
        }
    }

    @Test
    void svdOfAMatrixWithAZeroColumnHasAnOrthonormalU() {
        // columns e_j - (1, ..., 1) / m for j < m - 1, then a zero column: the singular value 0's left singular
        // vector is (1, ..., 1) / sqrt(m), whose entries are all at most 0.5 from m = 4 on
        for (int m = 2; m <= 7; m++) {
            double[] a = new double[m * m];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m - 1; j++) a[i * m + j] = (i == j ? 1 : 0) - 1.0 / m;
            }
            String what = "m = " + m;
            Linalg.SVD f = Linalg.svd(matrix(a, m, m));
            assertEquals(0.0, f.s().toDoubleArray()[m - 1], 0.0, what + ": the last singular value");
            assertOrthonormalColumns(f.u(), 1e-14, what + ", U");
            assertOrthonormalColumns(f.vh().mT(), 1e-14, what + ", V");
            double[] last = f.u().select(1, m - 1).toDoubleArray();
            for (double entry : last) assertEquals(1 / Math.sqrt(m), Math.abs(entry), 1e-14, what + ": u_last");
            assertReconstructs(a, m, m, f, 1e-14, what);
            // a wide matrix, factored through its transpose: A^T (its last row zero) and a zero column
            double[] wide = new double[m * (m + 1)];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) wide[i * (m + 1) + j] = a[j * m + i];
            }
            Linalg.SVD g = Linalg.svd(matrix(wide, m, m + 1));
            assertEquals(0.0, g.s().toDoubleArray()[m - 1], 0.0, what + " wide: the last singular value");
            assertOrthonormalColumns(g.u(), 1e-14, what + " wide, U");
            assertOrthonormalColumns(g.vh().mT(), 1e-14, what + " wide, V");
            assertReconstructs(wide, m, m + 1, g, 1e-14, what + " wide");
        }
    }

    @Test
    void singularValuesOneHundredAndFiftyOrdersApartKeepTheirRelativeAccuracy() {
        // [[a, b], [0, 1]] with a = 1e-150, b = 1e-5: s1 = sqrt((1 + a^2 + b^2 + sqrt(...)) / 2), s1 s2 = |det| = a
        double a = 1e-150;
        double b = 1e-5;
        double t = 1 + a * a + b * b;
        double s1 = Math.sqrt((t + Math.sqrt(t * t - 4 * a * a)) / 2);
        double s2 = a / s1;
        for (boolean transposed : new boolean[] {false, true}) {
            double[] values = transposed ? new double[] {a, 0, b, 1} : new double[] {a, b, 0, 1};
            Tensor s = Linalg.svdvals(matrix(values, 2, 2));
            double[] sv = s.toDoubleArray();
            assertEquals(s1, sv[0], 1e-15 * s1, "largest, transposed " + transposed);
            assertEquals(s2, sv[1], 1e-14 * s2, "smallest, transposed " + transposed);
        }
    }

    private static double[] eigenvalues(double[] a, int n) {
        return Linalg.eigvalsh(matrix(a, n, n)).toDoubleArray();
    }

    @Test
    void eigenvaluesScaleWithTheMatrix() {
        double[] a = {2, -1, 0, 0.5, -1, 3, 0.25, 0, 0, 0.25, -1, 1, 0.5, 0, 1, 0};
        double[] base = eigenvalues(a, 4);
        for (double scale : new double[] {1e-200, 1e-20, 1e-3, 1e20, 1e200}) {
            double[] scaled = a.clone();
            for (int i = 0; i < scaled.length; i++) scaled[i] *= scale;
            double[] values = eigenvalues(scaled, 4);
            for (int i = 0; i < 4; i++) {
                assertEquals(base[i] * scale, values[i], 1e-13 * 4 * scale, "scale " + scale + ", eigenvalue " + i);
            }
        }
        double[] singular = Linalg.svdvals(matrix(a, 4, 4)).toDoubleArray();
        for (double scale : new double[] {1e-200, 1e200}) {
            double[] scaled = a.clone();
            for (int i = 0; i < scaled.length; i++) scaled[i] *= scale;
            double[] values = Linalg.svdvals(matrix(scaled, 4, 4)).toDoubleArray();
            for (int i = 0; i < 4; i++) {
                assertEquals(singular[i] * scale, values[i], 1e-13 * 4 * scale, "svd, scale " + scale + ", " + i);
            }
        }
        // a zero diagonal: nothing to compare the off-diagonal entries with but themselves
        assertArrayEquals(new double[] {-1, 1}, eigenvalues(new double[] {0, 1, 1, 0}, 2), 1e-15);
        assertArrayEquals(new double[] {-Math.sqrt(2), 0, Math.sqrt(2)},
                eigenvalues(new double[] {0, 1, 0, 1, 0, 1, 0, 1, 0}, 3), 1e-15);
    }

    @Test
    void eighStaysAccurateWhenAReflectorHasATinyTail() {
        // column 0 below the sub-diagonal is (1e-6): the reflector's first entry must not come from cancellation
        for (double tail : new double[] {1e-6, 1e-9, -1e-7}) {
            double[] a = {2, 1, tail, 1, 3, 0.5, tail, 0.5, 1};
            Linalg.Eigh f = Linalg.eigh(matrix(a, 3, 3));
            double[] l = f.eigenvalues().toDoubleArray();
            double[] v = f.eigenvectors().toDoubleArray();
            for (int c = 0; c < 3; c++) {
                for (int r = 0; r < 3; r++) {
                    double av = 0;
                    for (int k = 0; k < 3; k++) av += a[r * 3 + k] * v[k * 3 + c];
                    assertEquals(l[c] * v[r * 3 + c], av, 1e-14 * 4, "tail " + tail + ": (A v - l v) at " + r + ", " + c);
                }
            }
            assertOrthonormalColumns(f.eigenvectors(), 1e-14, "tail " + tail);
        }
    }

    @Test
    void theFirstOfTiedLargestEntriesIsMadePositive() {
        Linalg.Eigh f = Linalg.eigh(matrix(new double[] {0, 1, 1, 0}, 2, 2));
        double[] v = f.eigenvectors().toDoubleArray();
        // eigenvalue -1: (1, -1) / sqrt(2); eigenvalue 1: (1, 1) / sqrt(2); both entries of equal magnitude
        assertEquals(Math.abs(v[0]), Math.abs(v[2]), 0.0, "a tie");
        assertTrue(v[0] > 0 && v[2] < 0, "first entry positive: " + java.util.Arrays.toString(v));
        assertTrue(v[1] > 0 && v[3] > 0, java.util.Arrays.toString(v));
    }
}
