package org.grad4j.core;

/**
 * The numerics behind {@link Linalg}: one small dense matrix at a time, row-major {@code double[]}, always in
 * float64 (float32 inputs are widened by the caller). These routines trust their inputs (square where needed, the
 * right lengths); {@link Linalg} validates and reports. Algorithms were chosen for accuracy and robustness at the
 * small sizes autodiff code typically uses: LU with partial pivoting, Cholesky, Householder QR with LAPACK's sign
 * convention, Householder tridiagonalisation with implicit Wilkinson-shifted QR for symmetric eigenproblems, and
 * one-sided (Hestenes) Jacobi for the SVD (accurate even for the small singular values), all backward stable.
 */
final class DenseDecompositions {
    private DenseDecompositions() {
    }

    private static final int MAX_SWEEPS = 100;

    /** An LU factorisation {@code P A = L U} stored in one array, with its pivot rows and permutation sign. */
    record LU(double[] lu, int[] pivots, int sign, int zeroPivot) {
    }

    /**
     * LU with partial pivoting (LAPACK's getrf). {@code zeroPivot} is the 1-based index of the first exactly zero
     * diagonal element of U (as LAPACK's info), or 0.
     */
    static LU lu(double[] a, int n) {
        double[] lu = a.clone();
        int[] piv = new int[n];
        int sign = 1;
        int zero = 0;
        for (int k = 0; k < n; k++) {
            int p = k;
            double best = Math.abs(lu[k * n + k]);
            for (int i = k + 1; i < n; i++) {
                double v = Math.abs(lu[i * n + k]);
                if (v > best) {
                    best = v;
                    p = i;
                }
            }
            piv[k] = p;
            if (p != k) {
                sign = -sign;
                for (int j = 0; j < n; j++) {
                    double t = lu[k * n + j];
                    lu[k * n + j] = lu[p * n + j];
                    lu[p * n + j] = t;
                }
            }
            double pivot = lu[k * n + k];
            if (pivot == 0) {
                if (zero == 0) zero = k + 1;
                continue;
            }
            for (int i = k + 1; i < n; i++) {
                double f = lu[i * n + k] / pivot;
                lu[i * n + k] = f;
                if (f != 0) {
                    for (int j = k + 1; j < n; j++) lu[i * n + j] -= f * lu[k * n + j];
                }
            }
        }
        return new LU(lu, piv, sign, zero);
    }

    static double det(double[] a, int n) {
        LU f = lu(a, n);
        if (f.zeroPivot != 0) {
            return 0;
        }
        double d = f.sign;
        for (int i = 0; i < n; i++) d *= f.lu[i * n + i];
        return d;
    }

    /** Solves {@code A X = B} for an n x k right-hand side with a non-singular factorisation. */
    static double[] luSolve(LU f, int n, double[] b, int k) {
        double[] x = b.clone();
        double[] lu = f.lu;
        for (int i = 0; i < n; i++) {
            int p = f.pivots[i];
            if (p != i) {
                for (int j = 0; j < k; j++) {
                    double t = x[i * k + j];
                    x[i * k + j] = x[p * k + j];
                    x[p * k + j] = t;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < i; r++) {
                double l = lu[i * n + r];
                if (l != 0) {
                    for (int j = 0; j < k; j++) x[i * k + j] -= l * x[r * k + j];
                }
            }
        }
        for (int i = n - 1; i >= 0; i--) {
            for (int r = i + 1; r < n; r++) {
                double u = lu[i * n + r];
                if (u != 0) {
                    for (int j = 0; j < k; j++) x[i * k + j] -= u * x[r * k + j];
                }
            }
            double d = lu[i * n + i];
            for (int j = 0; j < k; j++) x[i * k + j] /= d;
        }
        return x;
    }

    /**
     * Solves {@code T X = B} (n x k) for a triangular T given in a full n x n array, reading only its lower (or
     * upper) triangle. Returns null and puts the 1-based index of a zero diagonal element in {@code zeroAt[0]}.
     */
    static double[] triangularSolve(double[] t, int n, double[] b, int k, boolean upper, int[] zeroAt) {
        double[] x = b.clone();
        for (int step = 0; step < n; step++) {
            int i = upper ? n - 1 - step : step;
            double d = t[i * n + i];
            if (d == 0) {
                zeroAt[0] = i + 1;
                return null;
            }
            int from = upper ? i + 1 : 0;
            int to = upper ? n : i;
            for (int r = from; r < to; r++) {
                double c = t[i * n + r];
                if (c != 0) {
                    for (int j = 0; j < k; j++) x[i * k + j] -= c * x[r * k + j];
                }
            }
            for (int j = 0; j < k; j++) x[i * k + j] /= d;
        }
        return x;
    }

    static double[] identity(int n) {
        double[] id = new double[n * n];
        for (int i = 0; i < n; i++) id[i * n + i] = 1;
        return id;
    }

    /**
     * The lower Cholesky factor of a symmetric positive-definite matrix, reading only its lower triangle. Returns
     * null and puts the order of the first leading minor that is not positive-definite in {@code failedMinor[0]}.
     */
    static double[] cholesky(double[] a, int n, int[] failedMinor) {
        double[] l = new double[n * n];
        for (int j = 0; j < n; j++) {
            double d = a[j * n + j];
            for (int k = 0; k < j; k++) d -= l[j * n + k] * l[j * n + k];
            if (!(d > 0)) {
                failedMinor[0] = j + 1;
                return null;
            }
            double ljj = Math.sqrt(d);
            l[j * n + j] = ljj;
            for (int i = j + 1; i < n; i++) {
                double s = a[i * n + j];
                for (int k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
                l[i * n + j] = s / ljj;
            }
        }
        return l;
    }

    /**
     * Reduced Householder QR of an m x n matrix: Q is m x k and R is k x n with k = min(m, n). The reflectors follow
     * LAPACK's dlarfg (R's diagonal is {@code -sign(alpha) * norm}, no reflection for an already-reduced column), so
     * signs agree with PyTorch's.
     */
    static double[][] qr(double[] a, int m, int n) {
        return qr(a, m, n, false);
    }

    /** QR with Q m x m and R m x n when {@code complete}, else the reduced one. */
    static double[][] qr(double[] a, int m, int n, boolean complete) {
        int k = Math.min(m, n);
        double[] w = a.clone();
        double[][] vs = new double[k][];
        double[] taus = new double[k];
        for (int j = 0; j < k; j++) {
            double alpha = w[j * n + j];
            double tail = 0;
            for (int i = j + 1; i < m; i++) tail = Math.hypot(tail, w[i * n + j]);
            double[] v = new double[m];
            v[j] = 1;
            if (tail == 0) {
                taus[j] = 0;
                vs[j] = v;
                continue;
            }
            double beta = -Math.copySign(Math.hypot(alpha, tail), alpha);
            double tau = (beta - alpha) / beta;
            double scale = 1 / (alpha - beta);
            for (int i = j + 1; i < m; i++) v[i] = w[i * n + j] * scale;
            taus[j] = tau;
            vs[j] = v;
            // apply H = I - tau v v^T to the remaining columns
            w[j * n + j] = beta;   // below it, column j is not read again (R is the upper triangle)
            for (int c = j + 1; c < n; c++) {
                double s = 0;
                for (int i = j; i < m; i++) s += v[i] * w[i * n + c];
                s *= tau;
                for (int i = j; i < m; i++) w[i * n + c] -= s * v[i];
            }
        }
        int rows = complete ? m : k;
        double[] r = new double[rows * n];
        for (int i = 0; i < k; i++) {
            for (int c = i; c < n; c++) r[i * n + c] = w[i * n + c];
        }
        // Q = H_0 H_1 ... H_{k-1} applied to the first columns of the identity, last reflector first
        int cols = complete ? m : k;
        double[] q = new double[m * cols];
        for (int i = 0; i < cols; i++) q[i * cols + i] = 1;
        for (int j = k - 1; j >= 0; j--) {
            double[] v = vs[j];
            double tau = taus[j];
            if (tau == 0) {
                continue;
            }
            for (int c = 0; c < cols; c++) {
                double s = 0;
                for (int i = j; i < m; i++) s += v[i] * q[i * cols + c];
                s *= tau;
                for (int i = j; i < m; i++) q[i * cols + c] -= s * v[i];
            }
        }
        return new double[][] {q, r};
    }

    /**
     * Eigen-decomposition of a symmetric matrix given by its lower triangle: Householder reduction to tridiagonal
     * form, then implicit QR steps with Wilkinson shifts (Golub and Van Loan, algorithms 8.3.1 and 8.3.3), both
     * backward stable. Returns ascending eigenvalues and the eigenvectors as columns (row-major n x n), each
     * normalised so that its largest-magnitude entry is positive.
     */
    static double[][] eigh(double[] lower, int n) {
        double scale = rangeScale(lower);
        if (scale != 1) {
            double[][] f = eigh(scaled(lower, scale), n);
            for (int i = 0; i < n; i++) f[0][i] /= scale;
            return f;
        }
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                a[i * n + j] = lower[i * n + j];
                a[j * n + i] = lower[i * n + j];
            }
        }
        // zt holds the accumulated orthogonal transformation transposed: its rows are the eigenvector columns, so
        // that every update below runs over contiguous memory
        double[] zt = tridiagonalise(a, n);
        double[] d = new double[n];
        double[] e = new double[Math.max(n - 1, 0)];
        for (int i = 0; i < n; i++) d[i] = a[i * n + i];
        for (int i = 0; i + 1 < n; i++) e[i] = a[(i + 1) * n + i];
        tridiagonalQr(d, e, zt, n);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        java.util.Arrays.sort(order, (x, y) -> Double.compare(d[x], d[y]));
        double[] sortedValues = new double[n];
        double[] vectors = new double[n * n];
        for (int c = 0; c < n; c++) {
            int src = order[c];
            sortedValues[c] = d[src];
            for (int r = 0; r < n; r++) vectors[r * n + c] = zt[src * n + r];
        }
        normaliseSigns(vectors, n, n, null, 0);
        return new double[][] {sortedValues, vectors};
    }

    /**
     * Reduces the symmetric {@code a} to tridiagonal {@code T = Q^T A Q} by Householder reflections
     * {@code H = I - 2 v v^T} on rows and columns below the diagonal, and returns {@code Q^T}. T's diagonal and
     * sub-diagonal are left in {@code a}; its other entries are scratch (the zeros of T are not written, as nothing
     * reads them).
     */
    private static double[] tridiagonalise(double[] a, int n) {
        double[] qt = identity(n);
        double[] v = new double[n];
        double[] p = new double[n];
        for (int k = 0; k + 2 < n; k++) {
            int lo = k + 1;
            double tail = 0;
            for (int i = lo + 1; i < n; i++) tail = Math.hypot(tail, a[i * n + k]);
            if (tail == 0) {
                continue;
            }
            double x0 = a[lo * n + k];
            double alpha = -Math.copySign(Math.hypot(x0, tail), x0);
            v[lo] = x0 - alpha;   // v is read from lo on only
            for (int i = lo + 1; i < n; i++) v[i] = a[i * n + k];
            double norm = 0;
            for (int i = lo; i < n; i++) norm = Math.hypot(norm, v[i]);
            for (int i = lo; i < n; i++) v[i] /= norm;
            // A22 <- H A22 H = A22 - 2 (v w^T + w v^T) with p = A22 v, w = p - (v^T p) v
            double vp = 0;
            for (int i = lo; i < n; i++) {
                double s = 0;
                for (int j = lo; j < n; j++) s += a[i * n + j] * v[j];
                p[i] = s;
                vp += v[i] * s;
            }
            for (int i = lo; i < n; i++) p[i] -= vp * v[i];
            for (int i = lo; i < n; i++) {
                for (int j = lo; j < n; j++) a[i * n + j] -= 2 * (v[i] * p[j] + p[i] * v[j]);
            }
            a[lo * n + k] = alpha;
            // Q <- Q H, i.e. the rows of Q^T: row_i <- row_i - 2 v_i (v^T Q^T)
            double[] vq = new double[n];
            for (int i = lo; i < n; i++) {
                if (v[i] != 0) {
                    for (int j = 0; j < n; j++) vq[j] += v[i] * qt[i * n + j];
                }
            }
            for (int i = lo; i < n; i++) {
                double f = 2 * v[i];
                if (f != 0) {
                    for (int j = 0; j < n; j++) qt[i * n + j] -= f * vq[j];
                }
            }
        }
        return qt;
    }

    /**
     * Diagonalises the symmetric tridiagonal matrix (diagonal d, sub-diagonal e) in place by implicit shifted QR
     * steps on its unreduced blocks, chasing the bulge with Givens rotations that are also applied to the rows of
     * {@code zt}. Off-diagonal entries below {@code eps (|d_i| + |d_i+1|)} are set to zero (deflation).
     */
    private static void tridiagonalQr(double[] d, double[] e, double[] zt, int n) {
        double eps = Math.ulp(1.0);
        int hi = n - 1;
        int steps = 0;
        while (hi > 0) {
            for (int i = 0; i < hi; i++) {
                if (Math.abs(e[i]) <= eps * (Math.abs(d[i]) + Math.abs(d[i + 1]))) e[i] = 0;
            }
            if (e[hi - 1] == 0) {
                hi--;
                continue;
            }
            if (++steps > 60 * n) {
                break; // not reached for finite input (QR with Wilkinson shifts converges globally)
            }
            int lo = hi - 1;
            while (lo > 0 && e[lo - 1] != 0) lo--;
            // Wilkinson shift: the eigenvalue of the trailing 2 x 2 block closer to its last diagonal entry
            double dd = (d[hi - 1] - d[hi]) / 2;
            double b = e[hi - 1];
            double mu = d[hi] - b * b / (dd + Math.copySign(Math.hypot(dd, b), dd));
            double x = d[lo] - mu;
            double z = e[lo];
            for (int k = lo; k < hi; k++) {
                double r = Math.hypot(x, z);
                double c = r == 0 ? 1 : x / r;
                double s = r == 0 ? 0 : z / r;
                if (k > lo) {
                    e[k - 1] = r;
                }
                // rotate rows and columns k, k+1 of the tridiagonal matrix
                double dk = d[k];
                double dk1 = d[k + 1];
                double ek = e[k];
                d[k] = c * c * dk + 2 * c * s * ek + s * s * dk1;
                d[k + 1] = s * s * dk - 2 * c * s * ek + c * c * dk1;
                e[k] = c * s * (dk1 - dk) + (c * c - s * s) * ek;
                if (k + 1 < hi) {
                    // the rotation creates a bulge at (k+2, k), removed by the next rotation
                    x = e[k];
                    z = s * e[k + 1];
                    e[k + 1] = c * e[k + 1];
                }
                rotatePair(zt, n, k, k + 1, c, -s);
            }
        }
    }

    /** Rows p, q (of length len): {@code (x_p, x_q) <- (c x_p - s x_q, s x_p + c x_q)}. */
    private static void rotatePair(double[] x, int len, int p, int q, double c, double s) {
        int po = p * len;
        int qo = q * len;
        for (int k = 0; k < len; k++) {
            double xp = x[po + k];
            double xq = x[qo + k];
            x[po + k] = c * xp - s * xq;
            x[qo + k] = s * xp + c * xq;
        }
    }

    /**
     * Flips column signs of a rows x cols matrix so each column's largest-magnitude entry is positive; the same flip
     * is applied to the rows of {@code partner} (cols x partnerCols) so that a factorisation stays intact.
     */
    private static void normaliseSigns(double[] x, int rows, int cols, double[] partner, int partnerCols) {
        for (int c = 0; c < cols; c++) {
            double best = 0;
            for (int r = 0; r < rows; r++) {
                if (Math.abs(x[r * cols + c]) > Math.abs(best)) best = x[r * cols + c];
            }
            if (best < 0) {
                for (int r = 0; r < rows; r++) x[r * cols + c] = -x[r * cols + c];
                if (partner != null) {
                    for (int j = 0; j < partnerCols; j++) partner[c * partnerCols + j] = -partner[c * partnerCols + j];
                }
            }
        }
    }

    /**
     * Reduced SVD {@code A = U diag(S) Vh} of an m x n matrix by one-sided Jacobi: columns are rotated pairwise until
     * all are orthogonal to working precision; their norms are the singular values. Returns U (m x k), S (k,
     * descending) and Vh (k x n), k = min(m, n).
     */
    static double[][] svd(double[] a, int m, int n) {
        double scale = rangeScale(a);
        if (scale != 1) {
            double[][] f = svd(scaled(a, scale), m, n);
            for (int i = 0; i < f[1].length; i++) f[1][i] /= scale;
            return f;
        }
        if (m < n) {
            double[] at = transpose(a, m, n);
            double[][] t = svd(at, n, m);
            // A^T = U' S Vh'  =>  A = Vh'^T S U'^T
            double[] u = transpose(t[2], m, m);
            double[] vh = transpose(t[0], n, m);
            normaliseSigns(u, m, m, vh, n);
            return new double[][] {u, t[1], vh};
        }
        // columns of A and of V are kept as rows (wt: n x m, vt: n x n) so that every dot product and rotation
        // runs over contiguous memory
        double[] wt = transpose(a, m, n);
        double[] vt = identity(n);
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            boolean rotated = false;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    double alpha = 0;
                    double beta = 0;
                    double gamma = 0;
                    int po = p * m;
                    int qo = q * m;
                    for (int k = 0; k < m; k++) {
                        double wp = wt[po + k];
                        double wq = wt[qo + k];
                        alpha += wp * wp;
                        beta += wq * wq;
                        gamma += wp * wq;
                    }
                    if (gamma == 0 || Math.abs(gamma) <= 1e-16 * Math.sqrt(alpha * beta)) {
                        continue;
                    }
                    rotated = true;
                    double zeta = (beta - alpha) / (2 * gamma);
                    double t = Math.abs(zeta) > 1e150 ? 1 / (2 * zeta)
                            : Math.copySign(1, zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
                    double c = 1 / Math.sqrt(1 + t * t);
                    double s = c * t;
                    rotatePair(wt, m, p, q, c, s);
                    rotatePair(vt, n, p, q, c, s);
                }
            }
            if (!rotated) {
                break;
            }
        }
        double[] norms = new double[n];
        for (int c = 0; c < n; c++) {
            double s = 0;
            for (int r = 0; r < m; r++) s = Math.hypot(s, wt[c * m + r]);
            norms[c] = s;
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        java.util.Arrays.sort(order, (x, y) -> Double.compare(norms[y], norms[x]));
        double[] u = new double[m * n];
        double[] s = new double[n];
        double[] vh = new double[n * n];
        for (int c = 0; c < n; c++) {
            int src = order[c];
            s[c] = norms[src];
            for (int r = 0; r < m; r++) u[r * n + c] = s[c] > 0 ? wt[src * m + r] / s[c] : 0;
            System.arraycopy(vt, src * n, vh, c * n, n);
        }
        completeBasis(u, m, n, s);
        normaliseSigns(u, m, n, vh, n);
        return new double[][] {u, s, vh};
    }

    /**
     * Replaces the U columns of zero singular values by unit vectors orthogonal to all other columns: the first unit
     * vector {@code e_i} whose residual, after projecting out the other columns, is longer than 0.5, else the one
     * with the longest residual. That one is at least {@code 1 / sqrt(m)} long (the squared residuals of all
     * {@code e_i} sum to the dimension left free, at least 1), but may be shorter than 0.5: for m >= 4, when the free
     * direction is {@code (1, ..., 1) / sqrt(m)}.
     */
    private static void completeBasis(double[] u, int m, int n, double[] s) {
        for (int c = 0; c < n; c++) {
            if (s[c] > 0) {
                continue;
            }
            double[] best = null;
            double bestNorm = 0;
            for (int e = 0; e < m; e++) {
                double[] x = new double[m];
                x[e] = 1;
                for (int pass = 0; pass < 2; pass++) {
                    for (int o = 0; o < n; o++) {
                        if (o == c || s[o] == 0 && o > c) {
                            continue;
                        }
                        double d = 0;
                        for (int r = 0; r < m; r++) d += x[r] * u[r * n + o];
                        for (int r = 0; r < m; r++) x[r] -= d * u[r * n + o];
                    }
                }
                double norm = 0;
                for (int r = 0; r < m; r++) norm = Math.hypot(norm, x[r]);
                if (norm > bestNorm) {
                    best = x;
                    bestNorm = norm;
                }
                if (norm > 0.5) {
                    break;
                }
            }
            for (int r = 0; r < m; r++) u[r * n + c] = best[r] / bestNorm;
        }
    }

    /**
     * An orthonormal basis (m x (m - k)) of the complement of the k orthonormal columns of {@code u} (m x k): the
     * last columns of the complete QR of u.
     */
    static double[] orthonormalComplement(double[] u, int m, int k) {
        double[] q = qr(u, m, k, true)[0];
        double[] out = new double[m * (m - k)];
        for (int r = 0; r < m; r++) {
            System.arraycopy(q, r * m + k, out, r * (m - k), m - k);
        }
        return out;
    }

    /**
     * 1, or a power of two that brings the largest magnitude in {@code a} to [1, 2) when it is above 2^500 or below
     * 2^-500: eigh and svd square entries (the Wilkinson shift, the Jacobi column norms), which overflows from
     * about 1e154 and underflows below 1e-154. Scaling by a power of two is exact, so a matrix in range is factored
     * with the same bits as before, and one out of range as its scaled copy is (values scaled back).
     */
    private static double rangeScale(double[] a) {
        double max = 0;
        for (double v : a) max = Math.max(max, Math.abs(v));
        if (max == 0 || !Double.isFinite(max) || (max <= 0x1p500 && max >= 0x1p-500)) {
            return 1;
        }
        return Math.scalb(1.0, -Math.getExponent(max));
    }

    private static double[] scaled(double[] a, double scale) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) out[i] = a[i] * scale;
        return out;
    }

    static double[] transpose(double[] a, int rows, int cols) {
        double[] t = new double[a.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) t[c * rows + r] = a[r * cols + c];
        }
        return t;
    }
}
