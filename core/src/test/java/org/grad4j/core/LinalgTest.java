package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Linalg on jqwik-generated, well-conditioned matrices: forward results against identities and naive loops
 * (A inv(A) = I, Q R = A with orthonormal Q, U S Vh = A, L L^T = A, det by cofactor expansion, Moore-Penrose
 * conditions), gradients and second derivatives against finite differences (GradCheck), float32 against float64,
 * and the errors for singular, non-square and non-positive-definite input.
 */
class LinalgTest {
    private static final double TIGHT = 1e-12;

    // ------------------------------------------------------------------------------------ generated matrices

    /** An orthogonal n x n matrix: Gram-Schmidt (written out here, independent of Linalg) of a Gaussian matrix. */
    static double[][] orthogonal(SplittableRandom rng, int n) {
        double[][] q = new double[n][n];
        for (int c = 0; c < n; c++) {
            double[] v = new double[n];
            for (int r = 0; r < n; r++) v[r] = rng.nextGaussian();
            for (int pass = 0; pass < 2; pass++) {
                for (int o = 0; o < c; o++) {
                    double d = 0;
                    for (int r = 0; r < n; r++) d += v[r] * q[r][o];
                    for (int r = 0; r < n; r++) v[r] -= d * q[r][o];
                }
            }
            double norm = 0;
            for (int r = 0; r < n; r++) norm += v[r] * v[r];
            norm = Math.sqrt(norm);
            for (int r = 0; r < n; r++) q[r][c] = v[r] / norm;
        }
        return q;
    }

    /**
     * {@code U diag(s) V^T} (m x n) with singular values spread over [1, 1 + 0.7 k] at least 0.5 apart, so the
     * matrix is well conditioned and its singular values distinct; {@code symmetric} gives {@code Q diag(l) Q^T}
     * with eigenvalues at least 0.5 apart, of mixed sign unless {@code positive}.
     */
    static Tensor matrix(SplittableRandom rng, int m, int n, boolean symmetric, boolean positive, int... batch) {
        int count = 1;
        for (int b : batch) count *= b;
        double[] all = new double[count * m * n];
        for (int i = 0; i < count; i++) {
            int k = Math.min(m, n);
            double[][] u = orthogonal(rng, m);
            double[][] v = symmetric ? u : orthogonal(rng, n);
            double[] s = new double[k];
            for (int j = 0; j < k; j++) {
                s[j] = 1 + 0.7 * j + 0.2 * rng.nextDouble();
                if (symmetric && !positive) s[j] -= 0.35 * k + 0.5;
                if (!symmetric && rng.nextBoolean()) s[j] = -s[j]; // sign moves into U; |s| stays distinct
            }
            for (int r = 0; r < m; r++) {
                for (int c = 0; c < n; c++) {
                    double x = 0;
                    for (int j = 0; j < k; j++) x += u[r][j] * s[j] * v[c][j];
                    all[i * m * n + r * n + c] = x;
                }
            }
        }
        int[] shape = new int[batch.length + 2];
        System.arraycopy(batch, 0, shape, 0, batch.length);
        shape[batch.length] = m;
        shape[batch.length + 1] = n;
        return Tensor.ofShape(all, shape);
    }

    private static int[] batch(int rank) {
        return rank == 0 ? new int[0] : rank == 1 ? new int[] {2} : new int[] {2, 1};
    }

    private static Tensor eye(int n) {
        return Tensor.eye(n, DType.FLOAT64);
    }

    private static void assertClose(Tensor expected, Tensor actual, double tol, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], tol * Math.max(1, Math.abs(e[i])), what + " element " + i);
        }
    }

    private static void assertGradients(GradCheck.Fn f, long seed, boolean secondOrder, Tensor... inputs) {
        for (Tensor t : inputs) t.requiresGrad(true);
        GradCheck.Result first = GradCheck.check(f, inputs);
        assertTrue(first.passed(), first::report);
        if (secondOrder) {
            GradCheck.Result second = GradCheck.checkSecondOrder(f, seed, inputs);
            assertTrue(second.passed(), second::report);
        }
    }

    private static Tensor sym(Tensor x) {
        return x.add(x.mT()).mul(0.5);
    }

    // ------------------------------------------------------------------------------------------------ forward

    @Property(tries = 40)
    void invTimesAIsIdentity(@ForAll @IntRange(min = 1, max = 5) int n, @ForAll @IntRange(max = 2) int batchRank,
                             @ForAll long seed) {
        Tensor a = matrix(new SplittableRandom(seed), n, n, false, false, batch(batchRank));
        Tensor inv = Linalg.inv(a);
        assertClose(eye(n).expand(a.shape()), a.matmul(inv), 1e-12, "A inv(A)");
        assertClose(eye(n).expand(a.shape()), inv.matmul(a), 1e-12, "inv(A) A");
    }

    @Property(tries = 40)
    void detMatchesCofactorExpansionAndIsMultiplicative(@ForAll @IntRange(min = 1, max = 4) int n,
                                                        @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor a = Tensor.randn(rng, DType.FLOAT64, n, n);
        Tensor b = Tensor.randn(rng, DType.FLOAT64, n, n);
        assertEquals(cofactorDet(a.toDoubleArray(), n), Linalg.det(a).item(), 1e-12 * Math.max(1, Math.pow(3, n)));
        assertEquals(Linalg.det(a).item() * Linalg.det(b).item(), Linalg.det(a.matmul(b)).item(),
                1e-10 * Math.max(1, Math.pow(4, n)));
    }

    private static double cofactorDet(double[] a, int n) {
        if (n == 1) {
            return a[0];
        }
        double det = 0;
        for (int c = 0; c < n; c++) {
            double[] minor = new double[(n - 1) * (n - 1)];
            int p = 0;
            for (int r = 1; r < n; r++) {
                for (int j = 0; j < n; j++) {
                    if (j != c) minor[p++] = a[r * n + j];
                }
            }
            det += (c % 2 == 0 ? 1 : -1) * a[c] * cofactorDet(minor, n - 1);
        }
        return det;
    }

    @Test
    void detOfSingularAndEmptyAndBatchedMatrices() {
        assertEquals(0, Linalg.det(Tensor.of(new double[][] {{1, 2}, {2, 4}})).item(), 1e-15);
        assertEquals(0, Linalg.det(Tensor.zeros(DType.FLOAT64, 3, 3)).item());
        assertEquals(1, Linalg.det(Tensor.zeros(DType.FLOAT64, 0, 0)).item());
        Tensor batched = Tensor.stack(0, Tensor.eye(2, DType.FLOAT64).mul(2), Tensor.eye(2, DType.FLOAT64).mul(3));
        assertArrayEquals(new double[] {4, 9}, Linalg.det(batched).toDoubleArray(), 1e-15);
        // a permutation matrix: the pivot sign matters
        assertEquals(-1, Linalg.det(Tensor.of(new double[][] {{0, 1}, {1, 0}})).item());
    }

    @Property(tries = 40)
    void solveSolvesWithBroadcastAndVectors(@ForAll @IntRange(min = 1, max = 5) int n,
                                            @ForAll @IntRange(min = 1, max = 3) int k, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor a = matrix(rng, n, n, false, false, 2);
        Tensor b = Tensor.randn(rng, DType.FLOAT64, 1, n, k);      // broadcast over A's batch
        Tensor x = Linalg.solve(a, b);
        assertArrayEquals(new int[] {2, n, k}, x.shape());
        assertClose(b.expand(2, n, k), a.matmul(x), 1e-12, "A X");
        Tensor v = Tensor.randn(rng, DType.FLOAT64, n);
        Tensor xv = Linalg.solve(a, v);
        assertArrayEquals(new int[] {2, n}, xv.shape());
        assertClose(v.expand(2, n), a.matmul(xv.unsqueeze(-1)).squeeze(-1), 1e-12, "A x");
        Tensor batchVector = Tensor.randn(rng, DType.FLOAT64, 2, n);   // A's batch dims exactly: a vector per matrix
        assertArrayEquals(new int[] {2, n}, Linalg.solve(a, batchVector).shape());
    }

    @Property(tries = 30)
    void solveTriangularAndSlogdet(@ForAll @IntRange(min = 1, max = 5) int n, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor full = matrix(rng, n, n, false, false, 2);
        Tensor lower = Linalg.tril(full, 0).add(Tensor.eye(n, DType.FLOAT64).mul(3));
        Tensor b = Tensor.randn(rng, DType.FLOAT64, n, 2);
        Tensor x = Linalg.solveTriangular(lower.add(Linalg.tril(full, -1).mT()), b, false);  // upper part ignored
        assertClose(b.expand(2, n, 2), lower.matmul(x), 1e-12, "L X = B");
        Tensor xu = Linalg.solveTriangular(lower.mT(), b, true);
        assertClose(b.expand(2, n, 2), lower.mT().matmul(xu), 1e-12, "U X = B");
        Linalg.SlogDet sd = Linalg.slogdet(full);
        Tensor det = Linalg.det(full);
        assertClose(det, sd.sign().mul(sd.logAbsDet().exp()), 1e-12, "sign * exp(logabsdet)");
    }

    @Property(tries = 12)
    void solveTriangularAndSlogdetGradients(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor t = Linalg.tril(matrix(rng, n, n, false, false), 0).add(Tensor.eye(n, DType.FLOAT64).mul(3));
        Tensor b = Tensor.randn(rng, DType.FLOAT64, n, 2);
        assertGradients(in -> Linalg.solveTriangular(in[0], in[1], false), seed, true, t, b);
        assertGradients(in -> Linalg.solveTriangular(in[0], in[1], true), seed, true, t.detach().mT().contiguous(),
                b.detach().copy());
        assertGradients(in -> Linalg.slogdet(in[0]).logAbsDet(), seed, true, matrix(rng, n, n, false, false, 2));
    }

    @Test
    void singularTriangularAndSlogdet() {
        Tensor t = Tensor.of(new double[][] {{1, 0}, {2, 0}});
        LinalgException e = assertThrows(LinalgException.class,
                () -> Linalg.solveTriangular(t, Tensor.ones(DType.FLOAT64, 2, 1), false));
        assertTrue(e.getMessage().startsWith("linalg.solve_triangular: The diagonal element 2 is zero"),
                e.getMessage());
        Linalg.SlogDet sd = Linalg.slogdet(Tensor.zeros(DType.FLOAT64, 2, 2));
        assertEquals(0, sd.sign().item());
        assertEquals(Double.NEGATIVE_INFINITY, sd.logAbsDet().item());
        Linalg.SlogDet swap = Linalg.slogdet(Tensor.of(new double[][] {{0, 1}, {1, 0}}));
        assertEquals(-1, swap.sign().item());
        assertEquals(0, swap.logAbsDet().item());
        // a 200 x 200 matrix 3 I: det overflows nothing here, log|det| = 200 log 3
        Linalg.SlogDet big = Linalg.slogdet(Tensor.eye(200, DType.FLOAT64).mul(3));
        assertEquals(200 * Math.log(3), big.logAbsDet().item(), 1e-10);
    }

    @Property(tries = 40)
    void choleskyReconstructs(@ForAll @IntRange(min = 1, max = 5) int n, @ForAll @IntRange(max = 2) int batchRank,
                              @ForAll long seed) {
        Tensor a = matrix(new SplittableRandom(seed), n, n, true, true, batch(batchRank));
        Tensor l = Linalg.cholesky(a);
        assertClose(a, l.matmul(l.mT()), 1e-12, "L L^T");
        assertClose(Linalg.tril(l, 0), l, 0, "L is lower triangular");
        assertTrue(Linalg.diagonal(l).gt(0).sum().item() == Linalg.diagonal(l).numel());
        Tensor u = Linalg.cholesky(a, true);
        assertClose(a, u.mT().matmul(u), 1e-12, "U^T U");
    }

    @Test
    void choleskyReadsOnlyTheLowerTriangle() {
        Tensor a = Tensor.of(new double[][] {{4, 100}, {2, 3}});
        Tensor l = Linalg.cholesky(a);
        assertClose(Tensor.of(new double[][] {{4, 2}, {2, 3}}), l.matmul(l.mT()), TIGHT, "L L^T");
    }

    @Property(tries = 40)
    void qrReconstructsWithOrthonormalQ(@ForAll @IntRange(min = 1, max = 5) int m,
                                        @ForAll @IntRange(min = 1, max = 5) int n,
                                        @ForAll @IntRange(max = 2) int batchRank, @ForAll long seed) {
        Tensor a = Tensor.randn(new SplittableRandom(seed), DType.FLOAT64, concat(batch(batchRank), m, n));
        Linalg.QR qr = Linalg.qr(a);
        int k = Math.min(m, n);
        assertArrayEquals(concat(batch(batchRank), m, k), qr.q().shape());
        assertArrayEquals(concat(batch(batchRank), k, n), qr.r().shape());
        assertClose(a, qr.q().matmul(qr.r()), 1e-12, "Q R");
        assertClose(eye(k).expand(concat(batch(batchRank), k, k)), qr.q().mT().matmul(qr.q()), 1e-12, "Q^T Q");
        assertClose(qr.r().mT(), Linalg.tril(qr.r().mT(), 0), 0, "R upper");
    }

    @Property(tries = 30)
    void qrModesAndFullSvd(@ForAll @IntRange(min = 1, max = 5) int m, @ForAll @IntRange(min = 1, max = 5) int n,
                           @ForAll long seed) {
        Tensor a = Tensor.randn(new SplittableRandom(seed), DType.FLOAT64, 2, m, n);
        Linalg.QR complete = Linalg.qr(a, "complete");
        assertArrayEquals(new int[] {2, m, m}, complete.q().shape());
        assertArrayEquals(new int[] {2, m, n}, complete.r().shape());
        assertClose(a, complete.q().matmul(complete.r()), 1e-12, "complete Q R");
        assertClose(eye(m).expand(2, m, m), complete.q().mT().matmul(complete.q()), 1e-12, "complete Q^T Q");
        Linalg.QR reduced = Linalg.qr(a);
        assertClose(reduced.r(), Linalg.qr(a, "r").r(), 0, "mode r");
        assertEquals(0, Linalg.qr(a, "r").q().numel());
        Linalg.SVD full = Linalg.svd(a, true);
        int k = Math.min(m, n);
        assertArrayEquals(new int[] {2, m, m}, full.u().shape());
        assertArrayEquals(new int[] {2, n, n}, full.vh().shape());
        assertClose(eye(m).expand(2, m, m), full.u().mT().matmul(full.u()), 1e-12, "full U^T U");
        assertClose(eye(n).expand(2, n, n), full.vh().matmul(full.vh().mT()), 1e-12, "full Vh Vh^T");
        assertClose(a, full.u().narrow(-1, 0, k).mul(full.s().unsqueeze(-2)).matmul(full.vh().narrow(-2, 0, k)),
                1e-12, "U S Vh");
    }

    @Test
    void fullSvdGradientIgnoresTheCompletingColumnsAsPyTorch() {
        Tensor a = matrix(new SplittableRandom(4), 4, 2, false, false);
        Tensor x = a.detach().copy().requiresGrad(true);
        Linalg.svd(x, true).u().sum().backward();
        Tensor y = a.detach().copy().requiresGrad(true);
        Linalg.svd(y).u().sum().backward();
        assertClose(y.grad(), x.grad(), 1e-12, "full vs reduced gradient");
    }

    @Test
    void qrModesThatPyTorchCannotDifferentiateRefuseBackward() {
        Tensor tall = Tensor.randn(new SplittableRandom(1), DType.FLOAT64, 4, 2).requiresGrad(true);
        AutogradException e = assertThrows(AutogradException.class,
                () -> Linalg.qr(tall, "complete").q().sum().backward());
        assertTrue(e.getMessage().contains("not differentiable when mode='complete' and nrows > ncols"));
        e = assertThrows(AutogradException.class, () -> Linalg.qr(tall, "r").r().sum().backward());
        assertTrue(e.getMessage().contains("depends on Q, which is not computed when mode='r'"));
        Tensor wide = Tensor.randn(new SplittableRandom(2), DType.FLOAT64, 2, 4).requiresGrad(true);
        Linalg.qr(wide, "complete").q().sum().backward();            // m <= n: same as reduced, differentiable
        assertArrayEquals(new int[] {2, 4}, wide.grad().shape());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> Linalg.qr(tall, "full"));
        assertTrue(bad.getMessage().contains("unrecognized mode 'full'"));
    }

    @Property(tries = 40)
    void eighDiagonalises(@ForAll @IntRange(min = 1, max = 6) int n, @ForAll @IntRange(max = 2) int batchRank,
                          @ForAll long seed) {
        Tensor a = sym(Tensor.randn(new SplittableRandom(seed), DType.FLOAT64, concat(batch(batchRank), n, n)));
        Linalg.Eigh e = Linalg.eigh(a);
        Tensor v = e.eigenvectors();
        Tensor l = e.eigenvalues();
        assertClose(a.matmul(v), v.mul(l.unsqueeze(-2)), 1e-12, "A V = V diag(L)");
        assertClose(eye(n).expand(a.shape()), v.mT().matmul(v), 1e-12, "V^T V");
        double[] values = l.toDoubleArray();
        for (int i = 1; i < values.length; i++) {
            if (i % n != 0) assertTrue(values[i - 1] <= values[i], "ascending");
        }
        assertClose(l, Linalg.eigvalsh(a), 0, "eigvalsh");
    }

    @Property(tries = 30)
    void eighOfLargerAndStructuredMatrices(@ForAll @IntRange(min = 1, max = 40) int n,
                                           @ForAll @IntRange(max = 3) int structure, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] values = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double x = switch (structure) {
                    case 0 -> rng.nextGaussian();                                   // dense
                    case 1 -> i - j <= 1 ? rng.nextGaussian() : 0;                  // already tridiagonal
                    case 2 -> i == j ? rng.nextInt(3) : 0;                           // diagonal, repeated values
                    default -> (i == j ? 1 : 0) + 1e-9 * rng.nextGaussian();         // clustered near 1
                };
                values[i * n + j] = x;
                values[j * n + i] = x;
            }
        }
        Tensor a = Tensor.ofShape(values, new int[] {n, n});
        Linalg.Eigh e = Linalg.eigh(a);
        double scale = Math.max(1, Linalg.matrixNorm(a).item());
        assertClose(a.matmul(e.eigenvectors()), e.eigenvectors().mul(e.eigenvalues().unsqueeze(-2)), 1e-13 * n * scale,
                "A V = V diag(L)");
        assertClose(eye(n), e.eigenvectors().mT().matmul(e.eigenvectors()), 1e-13 * n, "V^T V");
        assertEquals(diagonal(a), e.eigenvalues().sum().item(), 1e-12 * n * scale, "trace = sum of eigenvalues");
    }

    private static double diagonal(Tensor a) {
        double t = 0;
        for (int i = 0; i < a.shape()[0]; i++) t += a.get(i, i);
        return t;
    }

    @Test
    void eighOfRepeatedEigenvaluesStillDiagonalises() {
        Tensor a = Tensor.of(new double[][] {{2, 0, 0}, {0, 2, 0}, {0, 0, 5}});
        Linalg.Eigh e = Linalg.eigh(a);
        assertArrayEquals(new double[] {2, 2, 5}, e.eigenvalues().toDoubleArray(), TIGHT);
        assertClose(a.matmul(e.eigenvectors()), e.eigenvectors().mul(e.eigenvalues().unsqueeze(-2)), TIGHT, "AV");
    }

    @Property(tries = 40)
    void svdReconstructs(@ForAll @IntRange(min = 1, max = 5) int m, @ForAll @IntRange(min = 1, max = 5) int n,
                         @ForAll @IntRange(max = 2) int batchRank, @ForAll long seed) {
        Tensor a = Tensor.randn(new SplittableRandom(seed), DType.FLOAT64, concat(batch(batchRank), m, n));
        Linalg.SVD f = Linalg.svd(a);
        int k = Math.min(m, n);
        assertClose(a, f.u().mul(f.s().unsqueeze(-2)).matmul(f.vh()), 1e-12, "U S Vh");
        assertClose(eye(k).expand(concat(batch(batchRank), k, k)), f.u().mT().matmul(f.u()), 1e-12, "U^T U");
        assertClose(eye(k).expand(concat(batch(batchRank), k, k)), f.vh().matmul(f.vh().mT()), 1e-12, "Vh Vh^T");
        double[] s = f.s().toDoubleArray();
        for (int i = 0; i < s.length; i++) {
            assertTrue(s[i] >= 0);
            if (i % k != 0) assertTrue(s[i - 1] >= s[i], "descending");
        }
    }

    @Property(tries = 30)
    void svdOfLargerAndRankDeficientMatrices(@ForAll @IntRange(min = 1, max = 24) int m,
                                             @ForAll @IntRange(min = 1, max = 24) int n,
                                             @ForAll @IntRange(max = 24) int rank, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int r = Math.min(rank, Math.min(m, n));
        Tensor a = Tensor.randn(rng, DType.FLOAT64, m, r).matmul(Tensor.randn(rng, DType.FLOAT64, r, n));
        Linalg.SVD f = Linalg.svd(a);
        int k = Math.min(m, n);
        double scale = Math.max(1, Linalg.matrixNorm(a).item());
        assertClose(a, f.u().mul(f.s().unsqueeze(-2)).matmul(f.vh()), 1e-13 * (m + n) * scale, "U S Vh");
        assertClose(eye(k), f.u().mT().matmul(f.u()), 1e-12 * (m + n), "U^T U");
        assertClose(eye(k), f.vh().matmul(f.vh().mT()), 1e-12 * (m + n), "Vh Vh^T");
        for (int i = r; i < k; i++) assertEquals(0, f.s().get(i), 1e-12 * scale, "singular value " + i);
    }

    @Test
    void svdOfRankDeficientMatrixKeepsOrthonormalFactors() {
        Tensor a = Tensor.of(new double[][] {{1, 2, 3}, {2, 4, 6}, {0, 0, 0}, {1, 2, 3}});
        Linalg.SVD f = Linalg.svd(a);
        assertEquals(0, f.s().get(1), 1e-12);
        assertEquals(0, f.s().get(2), 1e-12);
        assertClose(a, f.u().mul(f.s().unsqueeze(-2)).matmul(f.vh()), TIGHT, "U S Vh");
        assertClose(eye(3), f.u().mT().matmul(f.u()), TIGHT, "U^T U");
        assertClose(Tensor.scalar(Math.sqrt(14 * 6), DType.FLOAT64), Linalg.matrixNorm(a, 2), TIGHT, "2-norm");
    }

    @Property(tries = 30)
    void pinvSatisfiesMoorePenroseAndLstsqTheNormalEquations(@ForAll @IntRange(min = 1, max = 5) int m,
                                                             @ForAll @IntRange(min = 1, max = 5) int n,
                                                             @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor a = matrix(rng, m, n, false, false);
        Tensor p = Linalg.pinv(a);
        assertClose(a, a.matmul(p).matmul(a), 1e-12, "A P A");
        assertClose(p, p.matmul(a).matmul(p), 1e-12, "P A P");
        assertClose(a.matmul(p).mT(), a.matmul(p), 1e-12, "(A P)^T");
        assertClose(p.matmul(a).mT(), p.matmul(a), 1e-12, "(P A)^T");
        Tensor b = Tensor.randn(rng, DType.FLOAT64, m, 2);
        Tensor x = Linalg.lstsq(a, b);
        assertArrayEquals(new int[] {n, 2}, x.shape());
        assertClose(Tensor.zeros(DType.FLOAT64, n, 2), a.mT().matmul(a.matmul(x).sub(b)), 1e-11, "A^T (A X - B)");
        assertClose(p.matmul(b), x, 1e-11, "minimum-norm solution");
    }

    @Test
    void normsMatchLoops() {
        Tensor a = Tensor.of(new double[][] {{1, -2, 3}, {-4, 5, -6}});
        assertEquals(Math.sqrt(91), Linalg.matrixNorm(a).item(), TIGHT);
        assertEquals(9, Linalg.matrixNorm(a, 1).item(), TIGHT);                        // max column |sum|
        assertEquals(5, Linalg.matrixNorm(a, -1).item(), TIGHT);
        assertEquals(15, Linalg.matrixNorm(a, Double.POSITIVE_INFINITY).item(), TIGHT); // max row |sum|
        assertEquals(6, Linalg.matrixNorm(a, Double.NEGATIVE_INFINITY).item(), TIGHT);
        Tensor s = Linalg.svdvals(a);
        assertEquals(s.get(0), Linalg.matrixNorm(a, 2).item(), TIGHT);
        assertEquals(s.get(1), Linalg.matrixNorm(a, -2).item(), TIGHT);
        assertEquals(s.get(0) + s.get(1), Linalg.matrixNorm(a, "nuc").item(), TIGHT);
        assertEquals(91, s.square().sum().item(), 1e-12);
        Tensor v = Tensor.of(new double[] {3, -4, 0});
        assertEquals(5, Linalg.vectorNorm(v).item(), TIGHT);
        assertEquals(7, Linalg.vectorNorm(v, 1).item(), TIGHT);
        assertEquals(4, Linalg.vectorNorm(v, Double.POSITIVE_INFINITY).item(), TIGHT);
        assertEquals(0, Linalg.vectorNorm(v, Double.NEGATIVE_INFINITY).item(), TIGHT);
        assertEquals(2, Linalg.vectorNorm(v, 0).item(), TIGHT);
        assertEquals(Math.cbrt(27 + 64), Linalg.vectorNorm(v, 3).item(), TIGHT);
        assertArrayEquals(new double[] {Math.sqrt(17), Math.sqrt(29), Math.sqrt(45)},
                Linalg.vectorNorm(a, 2, new int[] {0}, false).toDoubleArray(), TIGHT);
        assertArrayEquals(new int[] {2, 1}, Linalg.vectorNorm(a, 2, new int[] {1}, true).shape());
        assertArrayEquals(new int[] {3}, Linalg.matrixNorm(Tensor.zeros(DType.FLOAT64, 3, 2, 2)).shape());
    }

    @Test
    void spectralFunctionsStayFiniteAtRepeatedValues() {
        // only the singular values / eigenvalues are used, so the E denominators of the vector rules never enter
        Tensor x = Tensor.eye(3, DType.FLOAT64).requiresGrad(true);
        Linalg.matrixNorm(x, "nuc").backward();
        assertClose(Tensor.eye(3, DType.FLOAT64), x.grad(), TIGHT, "d nuc(I) / dI");
        Tensor y = Tensor.eye(3, DType.FLOAT64).mul(2).requiresGrad(true);
        Linalg.eigvalsh(y).sum().backward();
        assertClose(Tensor.eye(3, DType.FLOAT64), y.grad(), TIGHT, "d trace / dA");
        Tensor z = Tensor.eye(3, DType.FLOAT64).requiresGrad(true);
        Linalg.pinv(z).sum().backward();
        assertClose(Tensor.full(-1, DType.FLOAT64, 3, 3), z.grad(), TIGHT, "d sum(pinv(A)) / dA at I");
    }

    @Test
    void twoNormGradientAtZeroIsZeroNotNaN() {
        Tensor z = Tensor.zeros(DType.FLOAT64, 3).requiresGrad(true);
        Linalg.vectorNorm(z).backward();
        assertArrayEquals(new double[] {0, 0, 0}, z.grad().toDoubleArray());
        Tensor z3 = Tensor.zeros(DType.FLOAT64, 3).requiresGrad(true);
        Linalg.vectorNorm(z3, 3).backward();
        assertArrayEquals(new double[] {0, 0, 0}, z3.grad().toDoubleArray());
    }

    @Test
    void float32InputsGiveFloat32ResultsAccurateToFloatPrecision() {
        Tensor a64 = matrix(new SplittableRandom(5), 4, 4, true, true);
        Tensor a = a64.to(DType.FLOAT32);
        assertEquals(DType.FLOAT32, Linalg.inv(a).dtype());
        assertClose(Linalg.inv(a64), Linalg.inv(a), 1e-5, "inv float32");
        assertClose(Linalg.det(a64), Linalg.det(a), 1e-5, "det float32");
        assertClose(Linalg.cholesky(a64), Linalg.cholesky(a), 1e-5, "cholesky float32");
        assertClose(Linalg.eigvalsh(a64), Linalg.eigvalsh(a), 1e-5, "eigvalsh float32");
        assertClose(Linalg.svdvals(a64), Linalg.svdvals(a), 1e-5, "svdvals float32");
        assertEquals(DType.FLOAT32, Linalg.qr(a).q().dtype());
        Tensor x = a.requiresGrad(true);
        Linalg.det(x).backward();
        assertEquals(DType.FLOAT32, x.grad().dtype());
    }

    // ------------------------------------------------------------------------------------------------ gradients

    @Property(tries = 12)
    void detInvSolveGradients(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(max = 1) int batchRank,
                              @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor a = matrix(rng, n, n, false, false, batch(batchRank));
        Tensor b = Tensor.randn(rng, DType.FLOAT64, n, 2);
        assertGradients(in -> Linalg.det(in[0]), seed, true, a);
        assertGradients(in -> Linalg.inv(in[0]), seed, true, a);
        assertGradients(in -> Linalg.solve(in[0], in[1]), seed, true, a, b);
    }

    @Property(tries = 12)
    void choleskyGradients(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(max = 1) int batchRank,
                           @ForAll long seed) {
        Tensor a = matrix(new SplittableRandom(seed), n, n, true, true, batch(batchRank));
        // perturbations stay symmetric, as gradcheck does for torch's cholesky
        assertGradients(in -> Linalg.cholesky(sym(in[0])), seed, true, a);
    }

    @Property(tries = 12)
    void qrGradients(@ForAll @IntRange(min = 1, max = 4) int m, @ForAll @IntRange(min = 1, max = 4) int n,
                     @ForAll long seed) {
        Tensor a = matrix(new SplittableRandom(seed), m, n, false, false);
        assertGradients(in -> {
            Linalg.QR f = Linalg.qr(in[0]);
            return Tensor.concat(0, f.q().flatten(), f.r().flatten());
        }, seed, m * n <= 9, a);
    }

    @Property(tries = 12)
    void eighGradients(@ForAll @IntRange(min = 1, max = 4) int n, @ForAll @IntRange(max = 1) int batchRank,
                       @ForAll long seed) {
        Tensor a = matrix(new SplittableRandom(seed), n, n, true, false, batch(batchRank));
        // eigenvectors are defined up to sign: check the sign-invariant V * V
        assertGradients(in -> {
            Linalg.Eigh e = Linalg.eigh(sym(in[0]));
            return Tensor.concat(0, e.eigenvalues().flatten(), e.eigenvectors().square().flatten());
        }, seed, n <= 3, a);
    }

    @Property(tries = 12)
    void svdGradients(@ForAll @IntRange(min = 1, max = 4) int m, @ForAll @IntRange(min = 1, max = 4) int n,
                      @ForAll long seed) {
        Tensor a = matrix(new SplittableRandom(seed), m, n, false, false);
        assertGradients(in -> {
            Linalg.SVD f = Linalg.svd(in[0]);
            return Tensor.concat(0, f.s(), f.u().square().flatten(), f.vh().square().flatten(),
                    f.u().mul(f.s().unsqueeze(-2)).matmul(f.vh()).flatten());
        }, seed, m * n <= 9, a);
    }

    @Property(tries = 12)
    void composedGradients(@ForAll @IntRange(min = 1, max = 3) int m, @ForAll @IntRange(min = 1, max = 3) int n,
                           @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor a = matrix(rng, m, n, false, false);
        Tensor b = Tensor.randn(rng, DType.FLOAT64, m, 2);
        assertGradients(in -> Linalg.pinv(in[0]), seed, true, a);
        assertGradients(in -> Linalg.lstsq(in[0], in[1]), seed, true, a, b);
        assertGradients(in -> Linalg.matrixNorm(in[0], "nuc"), seed, true, a);
        assertGradients(in -> Linalg.matrixNorm(in[0], 2), seed, true, a);
        assertGradients(in -> Linalg.matrixNorm(in[0]), seed, true, a);
        assertGradients(in -> Linalg.vectorNorm(in[0], 3, new int[] {-1}, false), seed, true, a);
        assertGradients(in -> Linalg.vectorNorm(in[0], -1.5, new int[] {0}, true), seed, true, a);
    }

    @Test
    void javadocExamplesRun() {
        // Linalg's class comment
        Tensor a = Tensor.of(new double[][] {{4, 1}, {1, 3}}).requiresGrad(true);
        Tensor x = Linalg.solve(a, Tensor.of(new double[] {1, 2}));
        Linalg.det(a).backward();
        assertArrayEquals(new double[] {1.0 / 11, 7.0 / 11}, x.toDoubleArray(), TIGHT);
        assertArrayEquals(new double[] {3, -1, -1, 4}, a.grad().toDoubleArray(), TIGHT);   // det(a) a^-T
        // Functional's class comment
        java.util.function.Function<Tensor, Tensor> f = v -> v.pow(3).sum();
        Tensor p = Tensor.of(new double[] {1, 2});
        assertArrayEquals(new double[] {6, 0, 0, 12}, Functional.hessian(f, p).toDoubleArray(), TIGHT);
        assertArrayEquals(new double[] {Math.E, 0, 0, Math.exp(2)},
                Functional.jacobian(v -> v.exp(), p).toDoubleArray(), TIGHT);
        assertArrayEquals(new double[] {Math.E, Math.exp(2)},
                Functional.jvp(v -> v.exp(), p, p.onesLike()).product().toDoubleArray(), TIGHT);
        // Tensor.einsum's javadoc
        Tensor m = Tensor.of(new double[][] {{1, 2}, {3, 4}});
        assertEquals(5, Tensor.einsum("ii", m).item(), 0);
        assertArrayEquals(new double[] {1, 4}, Tensor.einsum("ii->i", m).toDoubleArray(), 0);
        assertArrayEquals(new double[] {1, 3, 2, 4}, Tensor.einsum("...ij->...ji", m).toDoubleArray(), 0);
    }

    // ------------------------------------------------------------------------------------------------ errors

    @Test
    void singularInputFailsLikePyTorch() {
        Tensor singular = Tensor.of(new double[][] {{1, 2}, {2, 4}});
        LinalgException e = assertThrows(LinalgException.class, () -> Linalg.inv(singular));
        assertEquals("linalg.inv: The diagonal element 2 is zero, the inversion could not be completed because the"
                + " input matrix is singular (input shape [2, 2]).", e.getMessage());
        Tensor batch = Tensor.stack(0, Tensor.eye(2, DType.FLOAT64), Tensor.zeros(DType.FLOAT64, 2, 2));
        e = assertThrows(LinalgException.class, () -> Linalg.inv(batch));
        assertTrue(e.getMessage().startsWith("linalg.inv: (Batch element 1): The diagonal element 1 is zero"),
                e.getMessage());
        e = assertThrows(LinalgException.class, () -> Linalg.solve(singular, Tensor.ones(DType.FLOAT64, 2)));
        assertTrue(e.getMessage().startsWith("linalg.solve: The solver failed because the input matrix is singular"),
                e.getMessage());
        e = assertThrows(LinalgException.class, () -> Linalg.lstsq(Tensor.zeros(DType.FLOAT64, 3, 2),
                Tensor.ones(DType.FLOAT64, 3, 1)));
        assertTrue(e.getMessage().contains("rank deficient") && e.getMessage().contains("pinv"), e.getMessage());
        assertThrows(LinalgException.class, () -> Linalg.svd(Tensor.of(new double[][] {{Double.NaN, 0}, {0, 1}})));
        e = assertThrows(LinalgException.class, () -> Linalg.eigh(Tensor.of(new double[][] {{1, 0}, {Double.NaN, 1}})));
        assertTrue(e.getMessage().startsWith("linalg.eigh: The algorithm failed to converge"), e.getMessage());
    }

    @Test
    void detGradientOfASingularMatrixIsItsCofactorMatrix() {
        Tensor x = Tensor.of(new double[][] {{1, 2}, {2, 4}}).requiresGrad(true);
        Tensor d = Linalg.det(x);
        assertEquals(0, d.item(), 1e-15);
        d.backward();
        assertArrayEquals(new double[] {4, -2, -2, 1}, x.grad().toDoubleArray(), 1e-12);
        Tensor zero = Tensor.zeros(DType.FLOAT64, 3, 3).requiresGrad(true);
        Linalg.det(zero).backward();
        assertArrayEquals(new double[9], zero.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void notPositiveDefiniteFailsLikePyTorch() {
        LinalgException e = assertThrows(LinalgException.class,
                () -> Linalg.cholesky(Tensor.of(new double[][] {{1, 2}, {2, 1}})));
        assertEquals("linalg.cholesky: The factorization could not be completed because the input is not"
                + " positive-definite (the leading minor of order 2 is not positive-definite; input shape [2, 2]).",
                e.getMessage());
        Tensor batch = Tensor.stack(0, Tensor.eye(2, DType.FLOAT64), Tensor.eye(2, DType.FLOAT64).neg());
        e = assertThrows(LinalgException.class, () -> Linalg.cholesky(batch));
        assertTrue(e.getMessage().startsWith("linalg.cholesky: (Batch element 1): ") && e.getMessage()
                .contains("order 1"), e.getMessage());
        assertThrows(LinalgException.class,
                () -> Linalg.cholesky(Tensor.of(new double[][] {{Double.NaN, 0}, {0, 1}})));
    }

    @Test
    void shapeAndDtypeErrorsNameTheOp() {
        Tensor rect = Tensor.zeros(DType.FLOAT64, 3, 2);
        for (var call : new org.junit.jupiter.api.function.Executable[] {() -> Linalg.det(rect),
            () -> Linalg.inv(rect), () -> Linalg.cholesky(rect), () -> Linalg.eigh(rect),
            () -> Linalg.solve(rect, rect)}) {
            ShapeMismatchException e = assertThrows(ShapeMismatchException.class, call);
            assertTrue(e.getMessage().contains("A must be batches of square matrices, but they are 3 by 2 matrices"),
                    e.getMessage());
        }
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class,
                () -> Linalg.svd(Tensor.zeros(DType.FLOAT64, 3)));
        assertTrue(e.getMessage().startsWith("linalg.svd: The input tensor A must have at least 2 dimensions"));
        e = assertThrows(ShapeMismatchException.class,
                () -> Linalg.solve(Tensor.eye(3, DType.FLOAT64), Tensor.zeros(DType.FLOAT64, 2, 1)));
        assertTrue(e.getMessage().startsWith("linalg.solve: incompatible shapes"), e.getMessage());
        e = assertThrows(ShapeMismatchException.class,
                () -> Linalg.lstsq(Tensor.eye(3, DType.FLOAT64), Tensor.zeros(DType.FLOAT64, 3)));
        assertTrue(e.getMessage().startsWith("linalg.lstsq:"), e.getMessage());
        assertThrows(DTypeMismatchException.class,
                () -> Linalg.solve(Tensor.eye(2, DType.FLOAT64), Tensor.ones(DType.FLOAT32, 2)));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> Linalg.matrixNorm(rect, 3));
        assertTrue(bad.getMessage().startsWith("linalg.matrix_norm: Order 3.0 not supported"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Linalg.matrixNorm(rect, "max"));
    }

    private static int[] concat(int[] batch, int... last) {
        int[] s = java.util.Arrays.copyOf(batch, batch.length + last.length);
        System.arraycopy(last, 0, s, batch.length, last.length);
        return s;
    }
}
