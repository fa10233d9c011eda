package org.grad4j.core;

/**
 * The numerics behind {@link Linalg}: one small dense matrix at a time, row-major {@code double[]}, always in
 * float64 (float32 inputs are widened by the caller). These routines trust their inputs (square where needed, the
 * right lengths); {@link Linalg} validates and reports. Algorithms were chosen for accuracy and robustness at the
 * small sizes autodiff code typically uses: LU with partial pivoting, Cholesky, Householder QR with LAPACK's sign
 * convention, cyclic Jacobi for symmetric eigenproblems and one-sided (Hestenes) Jacobi for the SVD, both of which
 * are accurate to a few ulps relative to the matrix norm.
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
            w[j * n + j] = beta;
            for (int i = j + 1; i < m; i++) w[i * n + j] = 0;
            for (int c = j + 1; c < n; c++) {
                double s = 0;
                for (int i = j; i < m; i++) s += v[i] * w[i * n + c];
                s *= tau;
                for (int i = j; i < m; i++) w[i * n + c] -= s * v[i];
            }
        }
        double[] r = new double[k * n];
        for (int i = 0; i < k; i++) {
            for (int c = i; c < n; c++) r[i * n + c] = w[i * n + c];
        }
        // Q = H_0 H_1 ... H_{k-1} applied to the first k columns of the identity, last reflector first
        double[] q = new double[m * k];
        for (int i = 0; i < k; i++) q[i * k + i] = 1;
        for (int j = k - 1; j >= 0; j--) {
            double[] v = vs[j];
            double tau = taus[j];
            if (tau == 0) {
                continue;
            }
            for (int c = 0; c < k; c++) {
                double s = 0;
                for (int i = j; i < m; i++) s += v[i] * q[i * k + c];
                s *= tau;
                for (int i = j; i < m; i++) q[i * k + c] -= s * v[i];
            }
        }
        return new double[][] {q, r};
    }

    /**
     * Eigen-decomposition of a symmetric matrix given by its lower triangle, by cyclic Jacobi rotations until no
     * off-diagonal element is significant against its diagonal pair. Returns ascending eigenvalues and the
     * eigenvectors as columns (row-major n x n), each normalised so that its largest-magnitude entry is positive.
     */
    static double[][] eigh(double[] lower, int n) {
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                a[i * n + j] = lower[i * n + j];
                a[j * n + i] = lower[i * n + j];
            }
        }
        double[] v = identity(n);
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            boolean rotated = false;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    double apq = a[p * n + q];
                    if (apq == 0) {
                        continue;
                    }
                    double app = a[p * n + p];
                    double aqq = a[q * n + q];
                    if (Math.abs(apq) <= 1e-18 * Math.sqrt(Math.abs(app) * Math.abs(aqq))
                            || Math.abs(app) + 1e3 * Math.abs(apq) == Math.abs(app)
                            && Math.abs(aqq) + 1e3 * Math.abs(apq) == Math.abs(aqq)) {
                        a[p * n + q] = 0;
                        a[q * n + p] = 0;
                        continue;
                    }
                    rotated = true;
                    double theta = (aqq - app) / (2 * apq);
                    double t = Math.abs(theta) > 1e150 ? 1 / (2 * theta)
                            : Math.copySign(1, theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    rotateColumns(a, n, n, p, q, c, s);
                    rotateRows(a, n, p, q, c, s);
                    rotateColumns(v, n, n, p, q, c, s);
                    a[p * n + q] = 0;
                    a[q * n + p] = 0;
                }
            }
            if (!rotated) {
                break;
            }
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) values[i] = a[i * n + i];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        java.util.Arrays.sort(order, (x, y) -> Double.compare(values[x], values[y]));
        double[] sortedValues = new double[n];
        double[] vectors = new double[n * n];
        for (int c = 0; c < n; c++) {
            int src = order[c];
            sortedValues[c] = values[src];
            for (int r = 0; r < n; r++) vectors[r * n + c] = v[r * n + src];
        }
        normaliseSigns(vectors, n, n, null, 0);
        return new double[][] {sortedValues, vectors};
    }

    /** Columns p, q of an r x c matrix: {@code (x_p, x_q) <- (c x_p - s x_q, s x_p + c x_q)}. */
    private static void rotateColumns(double[] x, int rows, int cols, int p, int q, double c, double s) {
        for (int k = 0; k < rows; k++) {
            double xp = x[k * cols + p];
            double xq = x[k * cols + q];
            x[k * cols + p] = c * xp - s * xq;
            x[k * cols + q] = s * xp + c * xq;
        }
    }

    private static void rotateRows(double[] x, int n, int p, int q, double c, double s) {
        for (int k = 0; k < n; k++) {
            double xp = x[p * n + k];
            double xq = x[q * n + k];
            x[p * n + k] = c * xp - s * xq;
            x[q * n + k] = s * xp + c * xq;
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
        if (m < n) {
            double[] at = transpose(a, m, n);
            double[][] t = svd(at, n, m);
            // A^T = U' S Vh'  =>  A = Vh'^T S U'^T
            double[] u = transpose(t[2], m, m);
            double[] vh = transpose(t[0], n, m);
            normaliseSigns(u, m, m, vh, n);
            return new double[][] {u, t[1], vh};
        }
        double[] w = a.clone();
        double[] v = identity(n);
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            boolean rotated = false;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    double alpha = 0;
                    double beta = 0;
                    double gamma = 0;
                    for (int k = 0; k < m; k++) {
                        double wp = w[k * n + p];
                        double wq = w[k * n + q];
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
                    rotateColumns(w, m, n, p, q, c, s);
                    rotateColumns(v, n, n, p, q, c, s);
                }
            }
            if (!rotated) {
                break;
            }
        }
        double[] norms = new double[n];
        for (int c = 0; c < n; c++) {
            double s = 0;
            for (int r = 0; r < m; r++) s = Math.hypot(s, w[r * n + c]);
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
            for (int r = 0; r < m; r++) u[r * n + c] = s[c] > 0 ? w[r * n + src] / s[c] : 0;
            for (int j = 0; j < n; j++) vh[c * n + j] = v[j * n + src];
        }
        completeBasis(u, m, n, s);
        normaliseSigns(u, m, n, vh, n);
        return new double[][] {u, s, vh};
    }

    /** Replaces the U columns of zero singular values by unit vectors orthogonal to all other columns. */
    private static void completeBasis(double[] u, int m, int n, double[] s) {
        for (int c = 0; c < n; c++) {
            if (s[c] > 0) {
                continue;
            }
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
                if (norm > 0.5) {
                    for (int r = 0; r < m; r++) u[r * n + c] = x[r] / norm;
                    break;
                }
            }
        }
    }

    static double[] transpose(double[] a, int rows, int cols) {
        double[] t = new double[a.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) t[c * rows + r] = a[r * cols + c];
        }
        return t;
    }
}
