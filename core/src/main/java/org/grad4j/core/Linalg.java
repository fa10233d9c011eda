package org.grad4j.core;

import static org.grad4j.core.Node.in;
import static org.grad4j.core.Node.record;

import java.util.Arrays;

/**
 * Linear algebra as {@code torch.linalg}: every function takes a matrix or a batch of matrices ({@code [..., m, n]},
 * leading dims are batch dims), float32 or float64, and is differentiable with PyTorch's derivative formulas.
 * <pre>{@code
 * Tensor a = Tensor.of(new double[][] {{4, 1}, {1, 3}}).requiresGrad(true);
 * Tensor x = Linalg.solve(a, Tensor.of(new double[] {1, 2}));   // a x = b
 * Linalg.det(a).backward();                                      // a.grad() = det(a) a^-T
 * }</pre>
 *
 * <p>Primitives with derivative rules: {@link #det}, {@link #slogdet}, {@link #inv}, {@link #solve},
 * {@link #solveTriangular}, {@link #cholesky}, {@link #qr},
 * {@link #eigh}, {@link #svd}, {@link #pinv} and the p-norms of {@link #vectorNorm}; each is its forward (the numerics of
 * {@code DenseDecompositions}, in float64 whatever the input dtype) followed by its rule, written with tensor ops so
 * second derivatives work. Decompositions with several outputs record one node per output: their rules are linear
 * in the output gradients, so the input's gradient is the sum of the per-output parts. The other functions are
 * composed and need no rules.
 *
 * <p>Like PyTorch: inv, solve and cholesky fail with a {@link LinalgException} naming the batch element when a
 * matrix is singular or not positive-definite; the gradients of eigh and svd are finite only for distinct
 * eigenvalues / singular values (and for non-zero singular values where U or V of a non-square matrix are used),
 * and results that depend on the signs of eigenvectors or singular vectors are not well defined.
 */
public final class Linalg {
    private Linalg() {
    }

    /**
     * A QR decomposition {@code A = Q R}.
     *
     * @param q orthonormal columns, {@code [..., m, k]} (reduced) or {@code [..., m, m]} (complete)
     * @param r upper triangular, {@code [..., k, n]} (reduced) or {@code [..., m, n]} (complete)
     */
    public record QR(Tensor q, Tensor r) {
    }

    /**
     * The eigen-decomposition {@code A = V diag(L) V^T} of symmetric matrices.
     *
     * @param eigenvalues  L, ascending, {@code [..., n]}
     * @param eigenvectors V, the matching orthonormal eigenvectors as columns, {@code [..., n, n]}
     */
    public record Eigh(Tensor eigenvalues, Tensor eigenvectors) {
    }

    /**
     * A singular value decomposition {@code A = U diag(S) Vh}.
     *
     * @param u  left singular vectors as columns, {@code [..., m, k]} (reduced) or {@code [..., m, m]} (full)
     * @param s  singular values, descending, {@code [..., k]} with {@code k = min(m, n)}
     * @param vh right singular vectors as rows, {@code [..., k, n]} (reduced) or {@code [..., n, n]} (full)
     */
    public record SVD(Tensor u, Tensor s, Tensor vh) {
    }

    /**
     * The full result of {@link #lstsqFull(Tensor, Tensor, double)}, as {@code torch.linalg.lstsq}'s (driver gelsd).
     *
     * @param solution       the minimum-norm least-squares solution X, {@code [..., n, k]}
     * @param residuals      {@code ||A X - B||^2} per column of B, {@code [..., k]}, when {@code m > n} and every
     *                       matrix has full rank; otherwise an empty tensor of shape {@code [0]}, as PyTorch
     * @param rank           the effective rank of each matrix (int64, the batch shape)
     * @param singularValues the singular values of A, descending, {@code [..., min(m, n)]}
     */
    public record Lstsq(Tensor solution, Tensor residuals, Tensor rank, Tensor singularValues) {
    }

    // ------------------------------------------------------------------------------------ validation and batching

    private static void notNull(String op, String name, Tensor t) {
        if (t == null) {
            throw new IllegalArgumentException(op + ": " + name + " is null");
        }
    }

    private static void requireMatrix(String op, Tensor a) {
        notNull(op, "A", a);
        if (a.dtype() != DType.FLOAT32 && a.dtype() != DType.FLOAT64) {
            throw new DTypeMismatchException(op + ": expected a float32 or float64 tensor, got " + a.dtype());
        }
        if (a.dim() < 2) {
            throw new ShapeMismatchException(op + ": The input tensor A must have at least 2 dimensions, got shape "
                    + Shapes.str(a.shape));
        }
    }

    private static void requireSquare(String op, Tensor a) {
        requireMatrix(op, a);
        int m = a.shape[a.dim() - 2];
        int n = a.shape[a.dim() - 1];
        if (m != n) {
            throw new ShapeMismatchException(op + ": A must be batches of square matrices, but they are " + m + " by "
                    + n + " matrices (shape " + Shapes.str(a.shape) + ")");
        }
    }

    private static int batchCount(Tensor a) {
        int rows = a.shape[a.dim() - 2];
        int cols = a.shape[a.dim() - 1];
        return rows * cols == 0 ? Shapes.numel(Arrays.copyOf(a.shape, a.dim() - 2)) : a.numel() / (rows * cols);
    }

    private static String batchPrefix(Tensor a, int b) {
        return a.dim() > 2 ? "(Batch element " + b + "): " : "";
    }

    /** LAPACK's iterative eigen/SVD solvers cannot converge on NaN or infinity; PyTorch reports it, so do we. */
    private static void requireFinite(String op, Tensor a, double[] matrix, int b) {
        for (double v : matrix) {
            if (!Double.isFinite(v)) {
                throw new LinalgException(op + ": " + batchPrefix(a, b) + "The algorithm failed to converge because"
                        + " the input matrix contained non-finite values (input shape " + Shapes.str(a.shape) + ").");
            }
        }
    }

    private static double[] matrixAt(double[] all, int b, int size) {
        return Arrays.copyOfRange(all, b * size, (b + 1) * size);
    }

    private static Tensor result(double[] values, DType dtype, int... shape) {
        Tensor t = Tensor.ofShape(values, shape);
        return dtype == DType.FLOAT64 ? t : t.to(dtype);
    }

    private static int[] withLast(int[] batchOf, int dropped, int... last) {
        int keep = batchOf.length - dropped;
        int[] s = Arrays.copyOf(batchOf, keep + last.length);
        System.arraycopy(last, 0, s, keep, last.length);
        return s;
    }

    // ------------------------------------------------------------------------------------- matrix helpers (composed)

    /** Lower triangle including diagonal {@code k} (0 = main, -1 = strictly lower), as {@code torch.tril}. */
    static Tensor tril(Tensor x, int k) {
        int m = x.shape[x.dim() - 2];
        int n = x.shape[x.dim() - 1];
        double[] mask = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) mask[i * n + j] = j - i <= k ? 1 : 0;
        }
        return x.mul(result(mask, x.dtype(), m, n));
    }

    /** The main diagonal of the last two dims, {@code [..., n, n] -> [..., n]}. */
    static Tensor diagonal(Tensor x) {
        int n = Math.min(x.shape[x.dim() - 2], x.shape[x.dim() - 1]);
        return x.narrow(-2, 0, n).narrow(-1, 0, n).mul(Tensor.eye(n, x.dtype())).sum(-1);
    }

    /** A batch of diagonal matrices from a batch of vectors, {@code [..., n] -> [..., n, n]}. */
    static Tensor diagEmbed(Tensor v) {
        int n = v.shape[v.dim() - 1];
        return v.unsqueeze(-1).mul(Tensor.eye(n, v.dtype()));
    }

    /** {@code X - X^T}. */
    private static Tensor skew(Tensor x) {
        return x.sub(x.mT());
    }

    // ------------------------------------------------------------------------------------------------------- det

    /**
     * Determinant, {@code [..., n, n] -> [...]}, by LU with partial pivoting (0 for a singular matrix). Gradient: the
     * cofactor matrix, {@code g det(A) A^-T} for well-conditioned A; for a singular or nearly singular A (where that
     * formula is 0 * inf), through the SVD: {@code g det(U) det(Vh) U diag(prod_{j != i} s_j) Vh}, which needs
     * distinct singular values for second derivatives.
     */
    public static Tensor det(Tensor a) {
        requireSquare("linalg.det", a);
        int n = a.shape[a.dim() - 1];
        int batches = batchCount(a);
        double[] all = a.toDoubleArray();
        double[] dets = new double[batches];
        for (int b = 0; b < batches; b++) dets[b] = DenseDecompositions.det(matrixAt(all, b, n * n), n);
        Tensor out = result(dets, a.dtype(), Arrays.copyOf(a.shape, a.dim() - 2));
        return record("linalg_det", out, in(a), in(a, out), (g, node) -> {
            Tensor x = node.saved(0);
            Tensor gd = g.unsqueeze(-1).unsqueeze(-1);
            Tensor cofactors = nearlySingular(x) ? cofactorsBySvd(x)
                    : node.saved(1).unsqueeze(-1).unsqueeze(-1).mul(inv(x).mT());
            return in(gd.mul(cofactors));
        });
    }

    /**
     * Whether some matrix of the batch has {@code s_min <= 1e-8 s_max}: there {@code det(A) A^-T} is a product of a
     * tiny and a huge factor, fine in value but its derivative (second order) loses all digits to cancellation.
     */
    private static boolean nearlySingular(Tensor x) {
        int n = x.shape[x.dim() - 1];
        if (n == 0) {
            return false;
        }
        double[] all = x.toDoubleArray();
        for (int b = 0; b < batchCount(x); b++) {
            double[] s = DenseDecompositions.svd(matrixAt(all, b, n * n), n, n)[1];
            if (!(s[n - 1] > 1e-8 * s[0])) {
                return true;
            }
        }
        return false;
    }

    /** {@code det(U) det(Vh) U diag(prod_{j != i} s_j) Vh}: the cofactor matrix, also of a singular matrix. */
    private static Tensor cofactorsBySvd(Tensor x) {
        int n = x.shape[x.dim() - 1];
        SVD f = svd(x);
        Tensor sign;
        try (Grad.Scope off = Grad.disabled()) {
            sign = det(f.u()).mul(det(f.vh())).unsqueeze(-1).unsqueeze(-1);
        }
        Tensor eye = Tensor.eye(n, x.dtype());
        // others[i][j] = s_j for j != i, 1 on the diagonal; multiply its columns together
        Tensor others = f.s().unsqueeze(-2).mul(eye.rsub(1)).add(eye);
        Tensor products = others.select(-1, 0);
        for (int j = 1; j < n; j++) products = products.mul(others.select(-1, j));
        return f.u().mul(products.unsqueeze(-2)).matmul(f.vh()).mul(sign);
    }

    // ------------------------------------------------------------------------------------------------------- inv

    /** Inverse of square matrices. Gradient: {@code -A^-T g A^-T}, written with the saved output. */
    public static Tensor inv(Tensor a) {
        requireSquare("linalg.inv", a);
        int n = a.shape[a.dim() - 1];
        int batches = batchCount(a);
        double[] all = a.toDoubleArray();
        double[] out = new double[all.length];
        double[] id = DenseDecompositions.identity(n);
        for (int b = 0; b < batches; b++) {
            DenseDecompositions.LU f = DenseDecompositions.lu(matrixAt(all, b, n * n), n);
            if (f.zeroPivot() != 0) {
                throw new LinalgException("linalg.inv: " + batchPrefix(a, b) + "The diagonal element " + f.zeroPivot()
                        + " is zero, the inversion could not be completed because the input matrix is singular"
                        + " (input shape " + Shapes.str(a.shape) + ").");
            }
            System.arraycopy(DenseDecompositions.luSolve(f, n, id, n), 0, out, b * n * n, n * n);
        }
        Tensor result = result(out, a.dtype(), a.shape);
        return record("linalg_inv", result, in(a), in(result), (g, node) -> {
            Tensor invT = node.saved(0).mT();
            return in(invT.matmul(g).matmul(invT).neg());
        });
    }

    // --------------------------------------------------------------------------------------------------- slogdet

    /**
     * The sign and the log of the absolute value of the determinant.
     *
     * @param sign      1, -1, or 0 for a singular matrix; {@code [...]}, not differentiable
     * @param logAbsDet {@code log|det A|} ({@code -inf} for a singular matrix), {@code [...]}
     */
    public record SlogDet(Tensor sign, Tensor logAbsDet) {
    }

    /**
     * {@code det A = sign * exp(logAbsDet)}, from the LU factorisation, without the overflow or underflow of
     * {@link #det} for large matrices (as {@code torch.linalg.slogdet}). Gradient of logAbsDet: {@code g A^-T}
     * (A must be invertible for it).
     */
    public static SlogDet slogdet(Tensor a) {
        requireSquare("linalg.slogdet", a);
        int n = a.shape[a.dim() - 1];
        int batches = batchCount(a);
        double[] all = a.toDoubleArray();
        double[] signs = new double[batches];
        double[] logs = new double[batches];
        for (int b = 0; b < batches; b++) {
            DenseDecompositions.LU f = DenseDecompositions.lu(matrixAt(all, b, n * n), n);
            if (f.zeroPivot() != 0) {
                logs[b] = Double.NEGATIVE_INFINITY;
                continue;
            }
            double sign = f.sign();
            double log = 0;
            for (int i = 0; i < n; i++) {
                double u = f.lu()[i * n + i];
                sign *= Math.signum(u);
                log += Math.log(Math.abs(u));
            }
            signs[b] = sign;
            logs[b] = log;
        }
        int[] batchShape = Arrays.copyOf(a.shape, a.dim() - 2);
        Tensor logAbsDet = result(logs, a.dtype(), batchShape);
        record("linalg_slogdet", logAbsDet, in(a), in(a), (g, node) -> {
            Tensor invT;
            try {
                invT = inv(node.saved(0)).mT();
            } catch (LinalgException e) {
                throw new LinalgException("linalg.slogdet backward: the gradient A^-T of log|det A| needs an"
                        + " invertible A, but " + e.getMessage(), e);
            }
            return in(g.unsqueeze(-1).unsqueeze(-1).mul(invT));
        });
        return new SlogDet(result(signs, a.dtype(), batchShape), logAbsDet);
    }

    // -------------------------------------------------------------------------------------------------- triangular

    /**
     * Solves {@code A X = B} for triangular A ({@code [..., n, n]}, only its lower or upper triangle is read) and B
     * {@code [..., n, k]} with broadcast batch dims, by substitution, as {@code torch.linalg.solve_triangular(A, B,
     * upper=upper)}. A zero on the diagonal throws (PyTorch returns infinities there). Gradients:
     * {@code gB = solveTriangular(A^T, g, !upper)}, {@code gA = -(gB X^T)} restricted to A's triangle.
     */
    public static Tensor solveTriangular(Tensor a, Tensor b, boolean upper) {
        requireSquare("linalg.solve_triangular", a);
        notNull("linalg.solve_triangular", "B", b);
        Pointwise.checkDtypes("linalg.solve_triangular", a, b);
        int n = a.shape[a.dim() - 1];
        if (b.dim() < 2) {
            throw new ShapeMismatchException("linalg.solve_triangular: The input tensor B must have at least 2"
                    + " dimensions, got shape " + Shapes.str(b.shape) + " (unsqueeze(-1) a vector)");
        }
        if (b.shape[b.dim() - 2] != n) {
            throw new ShapeMismatchException("linalg.solve_triangular: incompatible shapes of A and B for the"
                    + " equation AX = B (" + Shapes.str(a.shape) + " and " + Shapes.str(b.shape) + ")");
        }
        int[] batch;
        try {
            batch = Shapes.broadcast("linalg.solve_triangular", Arrays.copyOf(a.shape, a.dim() - 2),
                    Arrays.copyOf(b.shape, b.dim() - 2));
        } catch (ShapeMismatchException e) {
            throw new ShapeMismatchException("linalg.solve_triangular: the batch dims of A " + Shapes.str(a.shape)
                    + " and B " + Shapes.str(b.shape) + " cannot be broadcast together");
        }
        int k = b.shape[b.dim() - 1];
        return triangularPrimitive(a.expand(withLast(batch, 0, n, n)), b.expand(withLast(batch, 0, n, k)), upper);
    }

    private static Tensor triangularPrimitive(Tensor a, Tensor b, boolean upper) {
        int n = a.shape[a.dim() - 1];
        int k = b.shape[b.dim() - 1];
        int batches = batchCount(a);
        double[] as = a.toDoubleArray();
        double[] bs = b.toDoubleArray();
        double[] xs = new double[bs.length];
        int[] zeroAt = new int[1];
        for (int i = 0; i < batches; i++) {
            double[] x = DenseDecompositions.triangularSolve(matrixAt(as, i, n * n), n, matrixAt(bs, i, n * k), k,
                    upper, zeroAt);
            if (x == null) {
                throw new LinalgException("linalg.solve_triangular: " + batchPrefix(a, i) + "The diagonal element "
                        + zeroAt[0] + " is zero: the triangular matrix is singular (A has shape "
                        + Shapes.str(a.shape) + ").");
            }
            System.arraycopy(x, 0, xs, i * n * k, n * k);
        }
        Tensor x = result(xs, a.dtype(), b.shape);
        return record("linalg_solve_triangular", x, in(a, b), in(a, x), (g, node) -> {
            Tensor gb = triangularPrimitive(node.saved(0).mT(), g, !upper);
            Tensor ga = null;
            if (node.needsGrad(0)) {
                Tensor full = gb.matmul(node.saved(1).mT()).neg();
                ga = upper ? tril(full.mT(), 0).mT() : tril(full, 0);
            }
            return in(ga, gb);
        });
    }

    // ----------------------------------------------------------------------------------------------------- solve

    /**
     * Solves {@code A X = B} for X, as {@code torch.linalg.solve}: A is {@code [..., n, n]}; B is {@code [..., n, k]},
     * or a vector {@code [..., n]} when it is 1-d or has exactly A's batch dims; batch dims broadcast. Gradients:
     * {@code gB = solve(A^T, g)}, {@code gA = -gB X^T}.
     */
    public static Tensor solve(Tensor a, Tensor b) {
        requireSquare("linalg.solve", a);
        notNull("linalg.solve", "B", b);
        Pointwise.checkDtypes("linalg.solve", a, b);
        int n = a.shape[a.dim() - 1];
        boolean vector = b.dim() == 1 || b.dim() == a.dim() - 1
                && Arrays.equals(b.shape, Arrays.copyOf(a.shape, a.dim() - 1));
        Tensor rhs = vector ? b.unsqueeze(-1) : b;
        if (rhs.dim() < 2 || rhs.shape[rhs.dim() - 2] != n) {
            throw new ShapeMismatchException("linalg.solve: incompatible shapes of A and B for the equation AX = B ("
                    + Shapes.str(a.shape) + " and " + Shapes.str(b.shape) + "): B needs " + n + " rows");
        }
        int[] batch;
        try {
            batch = Shapes.broadcast("linalg.solve", Arrays.copyOf(a.shape, a.dim() - 2),
                    Arrays.copyOf(rhs.shape, rhs.dim() - 2));
        } catch (ShapeMismatchException e) {
            throw new ShapeMismatchException("linalg.solve: the batch dims of A " + Shapes.str(a.shape) + " and B "
                    + Shapes.str(b.shape) + " cannot be broadcast together");
        }
        int k = rhs.shape[rhs.dim() - 1];
        Tensor x = solvePrimitive(a.expand(withLast(batch, 0, n, n)), rhs.expand(withLast(batch, 0, n, k)));
        return vector ? x.squeeze(-1) : x;
    }

    /** A {@code [..., n, n]} and B {@code [..., n, k]} with equal batch dims. */
    private static Tensor solvePrimitive(Tensor a, Tensor b) {
        int n = a.shape[a.dim() - 1];
        int k = b.shape[b.dim() - 1];
        int batches = batchCount(a);
        double[] as = a.toDoubleArray();
        double[] bs = b.toDoubleArray();
        double[] xs = new double[bs.length];
        for (int i = 0; i < batches; i++) {
            DenseDecompositions.LU f = DenseDecompositions.lu(matrixAt(as, i, n * n), n);
            if (f.zeroPivot() != 0) {
                throw new LinalgException("linalg.solve: " + batchPrefix(a, i) + "The solver failed because the input"
                        + " matrix is singular (the diagonal element " + f.zeroPivot() + " of its LU factorization is"
                        + " zero; A has shape " + Shapes.str(a.shape) + ").");
            }
            System.arraycopy(DenseDecompositions.luSolve(f, n, matrixAt(bs, i, n * k), k), 0, xs, i * n * k, n * k);
        }
        Tensor x = result(xs, a.dtype(), b.shape);
        return record("linalg_solve", x, in(a, b), in(a, x), (g, node) -> {
            Tensor gb = solvePrimitive(node.saved(0).mT(), g);
            return in(node.needsGrad(0) ? gb.matmul(node.saved(1).mT()).neg() : null, gb);
        });
    }

    // -------------------------------------------------------------------------------------------------- cholesky

    /**
     * The lower Cholesky factor L of symmetric positive-definite matrices ({@code A = L L^T}), reading only the
     * lower triangle of A. Gradient (PyTorch's): {@code gA = sym(L^-T Phi(L^T tril(gL)) L^-1)}, where Phi takes the
     * lower triangle and halves the diagonal and {@code sym(X) = (X + X^T) / 2}.
     */
    public static Tensor cholesky(Tensor a) {
        requireSquare("linalg.cholesky", a);
        int n = a.shape[a.dim() - 1];
        int batches = batchCount(a);
        double[] all = a.toDoubleArray();
        double[] out = new double[all.length];
        int[] failed = new int[1];
        for (int b = 0; b < batches; b++) {
            double[] l = DenseDecompositions.cholesky(matrixAt(all, b, n * n), n, failed);
            if (l == null) {
                throw new LinalgException("linalg.cholesky: " + batchPrefix(a, b) + "The factorization could not be"
                        + " completed because the input is not positive-definite (the leading minor of order "
                        + failed[0] + " is not positive-definite; input shape " + Shapes.str(a.shape) + ").");
            }
            System.arraycopy(l, 0, out, b * n * n, n * n);
        }
        Tensor result = result(out, a.dtype(), a.shape);
        return record("linalg_cholesky", result, in(a), in(result), (g, node) -> {
            Tensor l = node.saved(0);
            Tensor phi = tril(l.mT().matmul(tril(g, 0)), 0);
            phi = phi.sub(diagEmbed(diagonal(phi)).mul(0.5));
            // L^-T phi L^-1 by two triangular solves: X = L^-T phi, then (L^-T X^T)^T = X L^-1
            Tensor x = solveTriangular(l.mT(), phi, true);
            Tensor ga = solveTriangular(l.mT(), x.mT(), true).mT();
            return in(ga.add(ga.mT()).mul(0.5));
        });
    }

    /** Cholesky factor, upper ({@code A = U^T U}) when {@code upper}, else lower. */
    public static Tensor cholesky(Tensor a, boolean upper) {
        Tensor l = cholesky(a);
        return upper ? l.mT() : l;
    }

    // -------------------------------------------------------------------------------------------------------- qr

    /**
     * Reduced QR decomposition by Householder reflections (LAPACK's sign convention, so Q and R equal PyTorch's up to
     * rounding). Gradient (PyTorch's, for {@code m >= n}): with {@code M = R gR^T - gQ^T Q},
     * {@code gA = (gQ + Q copyltu(M)) R^-T}; for {@code m < n} the square left block is handled so and the rest gets
     * {@code Q gR_right}. R must be invertible for the gradient.
     */
    public static QR qr(Tensor a) {
        requireMatrix("linalg.qr", a);
        int m = a.shape[a.dim() - 2];
        int n = a.shape[a.dim() - 1];
        int k = Math.min(m, n);
        int batches = batchCount(a);
        double[] all = a.toDoubleArray();
        double[] qs = new double[batches * m * k];
        double[] rs = new double[batches * k * n];
        for (int b = 0; b < batches; b++) {
            double[][] f = DenseDecompositions.qr(matrixAt(all, b, m * n), m, n);
            System.arraycopy(f[0], 0, qs, b * m * k, m * k);
            System.arraycopy(f[1], 0, rs, b * k * n, k * n);
        }
        Tensor q = result(qs, a.dtype(), withLast(a.shape, 2, m, k));
        Tensor r = result(rs, a.dtype(), withLast(a.shape, 2, k, n));
        Tensor[] qr = {q, r};
        // one node per output; each saves both outputs (their own nodes attach below, before any backward runs)
        record("linalg_qr_r", r, in(a), qr, (g, node) -> in(qrBackward(null, g, node.saved(0), node.saved(1))));
        record("linalg_qr_q", q, in(a), qr, (g, node) -> in(qrBackward(g, null, node.saved(0), node.saved(1))));
        return new QR(q, r);
    }

    /**
     * QR in one of PyTorch's modes: {@code "reduced"} (as {@link #qr(Tensor)}), {@code "complete"} (Q is m x m, R is
     * m x n; differentiable only when {@code m <= n}, as in PyTorch) or {@code "r"} (R only, Q is an empty tensor; not
     * differentiable, as in PyTorch).
     */
    public static QR qr(Tensor a, String mode) {
        requireMatrix("linalg.qr", a);
        int m = a.shape[a.dim() - 2];
        int n = a.shape[a.dim() - 1];
        switch (mode == null ? "" : mode) {
            case "reduced":
                return qr(a);
            case "complete":
                if (m <= n) {
                    return qr(a);
                }
                break;
            case "r":
                break;
            default:
                throw new IllegalArgumentException("linalg.qr: received unrecognized mode '" + mode + "' but expected"
                        + " one of 'reduced' (default), 'r', or 'complete'");
        }
        boolean complete = mode.equals("complete");
        int batches = batchCount(a);
        double[] all = a.toDoubleArray();
        int rows = complete ? m : Math.min(m, n);
        double[] qs = new double[complete ? batches * m * m : 0];
        double[] rs = new double[batches * rows * n];
        for (int b = 0; b < batches; b++) {
            double[][] f = DenseDecompositions.qr(matrixAt(all, b, m * n), m, n, complete);
            if (complete) {
                System.arraycopy(f[0], 0, qs, b * m * m, m * m);
            }
            System.arraycopy(f[1], 0, rs, b * rows * n, rows * n);
        }
        Tensor q = complete ? result(qs, a.dtype(), withLast(a.shape, 2, m, m)) : result(qs, a.dtype(), 0);
        Tensor r = result(rs, a.dtype(), withLast(a.shape, 2, rows, n));
        String why = complete ? "linalg.qr: The QR decomposition is not differentiable when mode='complete' and"
                + " nrows > ncols (here " + m + " > " + n + "); use mode 'reduced'"
                : "linalg.qr: The derivative of linalg.qr depends on Q, which is not computed when mode='r'. Please"
                + " use Linalg.qr(A) (mode 'reduced') if you are going to differentiate through linalg.qr.";
        Node.Rule refuse = (g, node) -> {
            throw new AutogradException(why);
        };
        record("linalg_qr_r", r, in(a), Node.NONE, refuse);
        if (complete) {
            record("linalg_qr_q", q, in(a), Node.NONE, refuse);
        }
        return new QR(q, r);
    }

    private static Tensor qrBackward(Tensor gq, Tensor gr, Tensor q, Tensor r) {
        int m = q.shape[q.dim() - 2];
        int n = r.shape[r.dim() - 1];
        if (m >= n) {
            return qrBackwardTall(gq, gr, q, r);
        }
        // A = [X | Y] with X = Q U (square), Y = Q V; V = Q^T Y feeds back into Q
        Tensor u = r.narrow(-1, 0, m);
        Tensor gu = gr == null ? null : gr.narrow(-1, 0, m);
        Tensor gv = gr == null ? null : gr.narrow(-1, m, n - m);
        Tensor y = null;
        Tensor gqTotal = gq;
        if (gv != null) {
            y = q.matmul(r.narrow(-1, m, n - m));
            Tensor viaV = y.matmul(gv.mT());
            gqTotal = gqTotal == null ? viaV : gqTotal.add(viaV);
        }
        Tensor gx = qrBackwardTall(gqTotal, gu, q, u);
        Tensor gy = gv == null ? Tensor.zeros(q.dtype(), withLast(q.shape, 1, n - m)) : q.matmul(gv);
        return Tensor.concat(-1, gx, gy);
    }

    /** {@code gA = (gQ + Q copyltu(M)) R^-T} with {@code M = R gR^T - gQ^T Q}; null gradients count as zero. */
    private static Tensor qrBackwardTall(Tensor gq, Tensor gr, Tensor q, Tensor r) {
        Tensor mm = null;
        if (gr != null) {
            mm = r.matmul(gr.mT());
        }
        if (gq != null) {
            Tensor t = gq.mT().matmul(q);
            mm = mm == null ? t.neg() : mm.sub(t);
        }
        Tensor lower = tril(mm, -1);
        Tensor copyltu = lower.add(lower.mT()).add(diagEmbed(diagonal(mm)));
        Tensor left = q.matmul(copyltu);
        if (gq != null) {
            left = left.add(gq);
        }
        return solveTriangular(r, left.mT(), true).mT();                 // left R^-T
    }

    // ------------------------------------------------------------------------------------------------------ eigh

    /**
     * Eigenvalues (ascending) and eigenvectors of symmetric matrices, reading the lower triangle, by Householder
     * tridiagonalisation and implicit QR; each eigenvector's largest-magnitude entry is made positive. Gradient
     * (PyTorch's): {@code gA = V (diag(gL) + skew(V^T gV) / 2 / E) V^T} with {@code E_ij = L_j - L_i}.
     */
    public static Eigh eigh(Tensor a) {
        requireSquare("linalg.eigh", a);
        int n = a.shape[a.dim() - 1];
        int batches = batchCount(a);
        double[] all = a.toDoubleArray();
        double[] values = new double[batches * n];
        double[] vectors = new double[batches * n * n];
        for (int b = 0; b < batches; b++) {
            double[] matrix = matrixAt(all, b, n * n);
            requireFinite("linalg.eigh", a, matrix, b);
            double[][] f = DenseDecompositions.eigh(matrix, n);
            System.arraycopy(f[0], 0, values, b * n, n);
            System.arraycopy(f[1], 0, vectors, b * n * n, n * n);
        }
        Tensor l = result(values, a.dtype(), withLast(a.shape, 2, n));
        Tensor v = result(vectors, a.dtype(), a.shape);
        Tensor[] lv = {l, v};
        record("linalg_eigh_eigenvalues", l, in(a), lv, (g, node) -> {
            Tensor vs = node.saved(1);
            return in(vs.matmul(diagEmbed(g)).matmul(vs.mT()));
        });
        record("linalg_eigh_eigenvectors", v, in(a), lv, (g, node) -> {
            Tensor ls = node.saved(0);
            Tensor vs = node.saved(1);
            Tensor e = ls.unsqueeze(-2).sub(ls.unsqueeze(-1)).add(Tensor.eye(n, ls.dtype()));
            Tensor inner = skew(vs.mT().matmul(g)).mul(0.5).div(e);
            return in(vs.matmul(inner).matmul(vs.mT()));
        });
        return new Eigh(l, v);
    }

    /** Eigenvalues of symmetric matrices, ascending; gradient {@code V diag(g) V^T}. */
    public static Tensor eigvalsh(Tensor a) {
        return eigh(a).eigenvalues();
    }

    // ------------------------------------------------------------------------------------------------------- svd

    /**
     * Reduced singular value decomposition ({@code full_matrices=False}; see {@link #svd(Tensor, boolean)} for the
     * full one, PyTorch's default) by one-sided Jacobi; each column of U has
     * its largest-magnitude entry positive (V's rows are flipped to match). Gradient: PyTorch's svd_backward, with
     * {@code E_jk = S_k^2 - S_j^2}: {@code gA = U [(skew(U^T gU) S + S skew(V^T gV)) / E + diag(gS)] Vh} plus
     * {@code (I - U U^T) gU S^-1 Vh} for tall or {@code U S^-1 gV^T (I - V V^T)} for wide matrices.
     */
    public static SVD svd(Tensor a) {
        requireMatrix("linalg.svd", a);
        int m = a.shape[a.dim() - 2];
        int n = a.shape[a.dim() - 1];
        int k = Math.min(m, n);
        int batches = batchCount(a);
        double[] all = a.toDoubleArray();
        double[] us = new double[batches * m * k];
        double[] ss = new double[batches * k];
        double[] vhs = new double[batches * k * n];
        for (int b = 0; b < batches; b++) {
            double[] matrix = matrixAt(all, b, m * n);
            requireFinite("linalg.svd", a, matrix, b);
            double[][] f = DenseDecompositions.svd(matrix, m, n);
            System.arraycopy(f[0], 0, us, b * m * k, m * k);
            System.arraycopy(f[1], 0, ss, b * k, k);
            System.arraycopy(f[2], 0, vhs, b * k * n, k * n);
        }
        Tensor u = result(us, a.dtype(), withLast(a.shape, 2, m, k));
        Tensor s = result(ss, a.dtype(), withLast(a.shape, 2, k));
        Tensor vh = result(vhs, a.dtype(), withLast(a.shape, 2, k, n));
        Tensor[] usv = {u, s, vh};
        record("linalg_svd_s", s, in(a), usv, (g, node) ->
                in(node.saved(0).matmul(diagEmbed(g)).matmul(node.saved(2))));
        record("linalg_svd_u", u, in(a), usv, (g, node) ->
                in(svdBackward(g, null, node.saved(0), node.saved(1), node.saved(2))));
        record("linalg_svd_vh", vh, in(a), usv, (g, node) ->
                in(svdBackward(null, g, node.saved(0), node.saved(1), node.saved(2))));
        return new SVD(u, s, vh);
    }

    /**
     * The SVD with {@code fullMatrices = true} (PyTorch's default) gives U m x m and Vh n x n: the reduced factors
     * completed by orthonormal bases of their complements. As in PyTorch, gradients reaching the completing
     * columns of U and rows of Vh are ignored (those bases are arbitrary); the rest is differentiable as
     * {@link #svd(Tensor)}.
     */
    public static SVD svd(Tensor a, boolean fullMatrices) {
        SVD reduced = svd(a);
        int m = a.shape[a.dim() - 2];
        int n = a.shape[a.dim() - 1];
        int k = Math.min(m, n);
        if (!fullMatrices || m == n) {
            return reduced;
        }
        boolean tall = m > n;
        Tensor known = tall ? reduced.u() : reduced.vh().mT();
        int rows = tall ? m : n;
        double[] all = known.toDoubleArray();
        int batches = batchCount(known);
        double[] extra = new double[batches * rows * (rows - k)];
        for (int b = 0; b < batches; b++) {
            double[] basis = DenseDecompositions.orthonormalComplement(matrixAt(all, b, rows * k), rows, k);
            System.arraycopy(basis, 0, extra, b * rows * (rows - k), rows * (rows - k));
        }
        Tensor complement = result(extra, a.dtype(), withLast(a.shape, 2, rows, rows - k));
        return tall ? new SVD(Tensor.concat(-1, reduced.u(), complement), reduced.s(), reduced.vh())
                : new SVD(reduced.u(), reduced.s(), Tensor.concat(-2, reduced.vh(), complement.mT()));
    }

    /** The part of svd_backward from gU or gVh (one of them null), as PyTorch's FunctionsManual. */
    private static Tensor svdBackward(Tensor gu, Tensor gvh, Tensor u, Tensor s, Tensor vh) {
        int m = u.shape[u.dim() - 2];
        int n = vh.shape[vh.dim() - 1];
        int k = s.shape[s.dim() - 1];
        Tensor s2 = s.square();
        Tensor e = s2.unsqueeze(-2).sub(s2.unsqueeze(-1)).add(Tensor.eye(k, s.dtype()));
        Tensor inner;
        if (gu != null) {
            inner = skew(u.mT().matmul(gu)).mul(s.unsqueeze(-2)).div(e);
        } else {
            Tensor gv = gvh.mT();
            inner = s.unsqueeze(-1).mul(skew(vh.matmul(gv))).div(e);
        }
        if (gu != null && m > k) {
            Tensor gusInv = gu.div(s.unsqueeze(-2));
            Tensor ga = u.matmul(inner).add(gusInv).sub(u.matmul(u.mT().matmul(gusInv)));
            return ga.matmul(vh);
        }
        if (gvh != null && n > k) {
            Tensor sInvGvh = gvh.div(s.unsqueeze(-1));
            Tensor ga = inner.matmul(vh).add(sInvGvh).sub(sInvGvh.matmul(vh.mT()).matmul(vh));
            return u.matmul(ga);
        }
        return u.matmul(inner).matmul(vh);
    }

    /** Singular values, descending; gradient {@code U diag(g) Vh}. */
    public static Tensor svdvals(Tensor a) {
        return svd(a).s();
    }

    // ----------------------------------------------------------------------------------------------------- norms

    /** The 2-norm of all elements, as {@code torch.linalg.vector_norm(x)}. */
    public static Tensor vectorNorm(Tensor x) {
        return vectorNorm(x, 2, new int[0], false);
    }

    /** The {@code ord}-norm of all elements. */
    public static Tensor vectorNorm(Tensor x, double ord) {
        return vectorNorm(x, ord, new int[0], false);
    }

    /**
     * The {@code ord}-norm over {@code dims} (all dims when empty), as {@code torch.linalg.vector_norm}: {@code ord}
     * may be any real, {@code Double.POSITIVE_INFINITY} (max |x|), {@code NEGATIVE_INFINITY} (min |x|) or 0 (the
     * number of non-zeros, in x's dtype, gradient 0). The gradient is PyTorch's ({@code Tensor.norm} is the same
     * op): {@code g x |x|^(p-2) / norm^(p-1)}, 0 where the norm is 0 (rather than NaN), and for p below 1 also 0 at
     * elements that are 0; shared evenly among the largest (smallest) magnitudes for +-infinity.
     */
    public static Tensor vectorNorm(Tensor x, double ord, int[] dims, boolean keepDim) {
        notNull("linalg.vector_norm", "x", x);
        if (dims == null) {
            throw new IllegalArgumentException("linalg.vector_norm: dims is null; pass new int[0] for all dims");
        }
        if (x.dtype() != DType.FLOAT32 && x.dtype() != DType.FLOAT64) {
            throw new DTypeMismatchException("linalg.vector_norm: expected a float32 or float64 tensor, got "
                    + x.dtype());
        }
        if (Double.isNaN(ord)) {
            throw new IllegalArgumentException("linalg.vector_norm: ord must be a number, got NaN");
        }
        return Norms.norm("linalg.vector_norm", x, ord, dims, keepDim);
    }

    /** The Frobenius norm of each matrix. */
    public static Tensor matrixNorm(Tensor a) {
        return matrixNorm(a, "fro");
    }

    /** {@code "fro"} (Frobenius) or {@code "nuc"} (nuclear: the sum of singular values) norm of each matrix. */
    public static Tensor matrixNorm(Tensor a, String ord) {
        requireMatrix("linalg.matrix_norm", a);
        Args.notNull(ord, "linalg.matrix_norm", "ord");
        return switch (ord) {
            case "fro" -> vectorNorm(a, 2, new int[] {-2, -1}, false);
            case "nuc" -> svdvals(a).sum(-1);
            default -> throw new IllegalArgumentException("linalg.matrix_norm: Order " + ord + " not supported;"
                    + " use \"fro\", \"nuc\" or a number (1, -1, 2, -2, infinity, -infinity)");
        };
    }

    /**
     * Operator norms of each matrix, as {@code torch.linalg.matrix_norm(A, ord)}: 1 / -1 are the max / min absolute
     * column sum, infinity / -infinity the max / min absolute row sum, 2 / -2 the largest / smallest singular value.
     */
    public static Tensor matrixNorm(Tensor a, double ord) {
        requireMatrix("linalg.matrix_norm", a);
        if (ord == 1 || ord == -1) {
            Tensor colSums = a.abs().sum(-2);
            return ord > 0 ? colSums.amax(new int[] {-1}, false) : colSums.amin(new int[] {-1}, false);
        }
        if (Double.isInfinite(ord)) {
            Tensor rowSums = a.abs().sum(-1);
            return ord > 0 ? rowSums.amax(new int[] {-1}, false) : rowSums.amin(new int[] {-1}, false);
        }
        if (ord == 2 || ord == -2) {
            Tensor s = svdvals(a);
            return ord > 0 ? s.select(-1, 0) : s.select(-1, s.shape[s.dim() - 1] - 1);
        }
        throw new IllegalArgumentException("linalg.matrix_norm: Order " + ord + " not supported; use 1, -1, 2, -2,"
                + " Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, \"fro\" or \"nuc\"");
    }

    // ---------------------------------------------------------------------------------------------- pinv, lstsq

    /** Moore-Penrose pseudo-inverse, singular values below {@code eps * max(m, n) * max(S)} treated as zero. */
    public static Tensor pinv(Tensor a) {
        requireMatrix("linalg.pinv", a);
        double eps = a.dtype() == DType.FLOAT64 ? Math.ulp(1.0) : Math.ulp(1.0f);
        return pinv(a, eps * Math.max(a.shape[a.dim() - 2], a.shape[a.dim() - 1]));
    }

    /**
     * Pseudo-inverse {@code V diag(1/S) U^T} from the SVD, with singular values at or below {@code rtol * max(S)}
     * treated as zero (as {@code torch.linalg.pinv(A, rtol=rtol)}). Gradient (PyTorch's pinv_backward, from the
     * differential of the pseudo-inverse where the rank does not change; P is the saved output):
     * {@code gA = -P^T g P^T + (I - A P) g^T P P^T + P^T P g^T (I - P A)}, which needs no distinct singular values.
     */
    public static Tensor pinv(Tensor a, double rtol) {
        requireMatrix("linalg.pinv", a);
        int m = a.shape[a.dim() - 2];
        int n = a.shape[a.dim() - 1];
        int k = Math.min(m, n);
        int batches = batchCount(a);
        double[] all = a.toDoubleArray();
        double[] out = new double[batches * n * m];
        for (int b = 0; b < batches; b++) {
            double[] matrix = matrixAt(all, b, m * n);
            requireFinite("linalg.pinv", a, matrix, b);
            double[][] f = DenseDecompositions.svd(matrix, m, n);
            double[] u = f[0];
            double[] sv = f[1];
            double[] vh = f[2];
            double cutoff = k == 0 ? 0 : rtol * sv[0];
            for (int j = 0; j < k; j++) {
                if (!(sv[j] > cutoff)) {
                    continue;
                }
                double inverse = 1 / sv[j];
                for (int r = 0; r < n; r++) {
                    double vr = vh[j * n + r] * inverse;
                    for (int c = 0; c < m; c++) out[b * n * m + r * m + c] += vr * u[c * k + j];
                }
            }
        }
        Tensor p = result(out, a.dtype(), withLast(a.shape, 2, n, m));
        return record("linalg_pinv", p, in(a), in(a, p), (g, node) -> {
            Tensor x = node.saved(0);
            Tensor pv = node.saved(1);
            Tensor pt = pv.mT();
            Tensor gt = g.mT();
            Tensor first = pt.matmul(g).matmul(pt).neg();
            Tensor second = gt.matmul(pv).matmul(pt);
            second = second.sub(x.matmul(pv.matmul(second)));                     // (I - A P) g^T P P^T
            Tensor third = pt.matmul(pv).matmul(gt);
            third = third.sub(third.matmul(pv).matmul(x));                         // P^T P g^T (I - P A)
            return in(first.add(second).add(third));
        });
    }

    /** {@link #lstsqFull(Tensor, Tensor, double)} with PyTorch's default {@code rcond = eps * max(m, n)}. */
    public static Lstsq lstsqFull(Tensor a, Tensor b) {
        requireMatrix("linalg.lstsq", a);
        double eps = a.dtype() == DType.FLOAT64 ? Math.ulp(1.0) : Math.ulp(1.0f);
        return lstsqFull(a, b, eps * Math.max(a.shape[a.dim() - 2], a.shape[a.dim() - 1]));
    }

    /**
     * Least squares for any rank, as {@code torch.linalg.lstsq(A, B, rcond, driver="gelsd")}: singular values at or
     * below {@code rcond * max(S)} count as zero, so X is the minimum-norm solution {@code pinv(A, rcond) B} (and
     * differentiable as pinv and matmul are); also the squared residuals, the rank and the singular values.
     */
    public static Lstsq lstsqFull(Tensor a, Tensor b, double rcond) {
        requireMatrix("linalg.lstsq", a);
        notNull("linalg.lstsq", "B", b);
        Pointwise.checkDtypes("linalg.lstsq", a, b);
        int m = a.shape[a.dim() - 2];
        int n = a.shape[a.dim() - 1];
        if (b.dim() < 2 || b.shape[b.dim() - 2] != m) {
            throw new ShapeMismatchException("linalg.lstsq: input.size(-2) should match other.size(-2): A has shape "
                    + Shapes.str(a.shape) + " and B " + Shapes.str(b.shape) + " (B must be [..., " + m
                    + ", k]; unsqueeze(-1) a vector)");
        }
        if (!(rcond >= 0)) {
            throw new IllegalArgumentException("linalg.lstsq: rcond must be non-negative, got " + rcond);
        }
        Tensor singular = svdvals(a);
        Tensor solution = pinv(a, rcond).matmul(b);
        Tensor s = singular.detach();
        Tensor rank = s.gt(s.amax(-1, true).mul(rcond)).sum(-1);
        Tensor residuals = Tensor.zeros(a.dtype(), 0);
        boolean fullRank = m > n && java.util.Arrays.stream(rank.toLongArray()).allMatch(r -> r == n);
        if (fullRank) {
            residuals = a.matmul(solution).sub(b).square().sum(-2);
        }
        return new Lstsq(solution, residuals, rank, singular);
    }

    /**
     * Least-squares solution of {@code A X = B} (the minimum-norm solution for wide A), for full-rank A
     * {@code [..., m, n]} and B {@code [..., m, k]}: through the QR of A ({@code m >= n}: {@code X = R^-1 Q^T B}) or of
     * {@code A^T} ({@code m < n}: {@code X = Q R^-T B}). Composed, so its gradient is the QR's and solve's. A
     * rank-deficient A fails; {@link #lstsqFull} handles any rank and gives residuals, rank and S too.
     */
    public static Tensor lstsq(Tensor a, Tensor b) {
        requireMatrix("linalg.lstsq", a);
        notNull("linalg.lstsq", "B", b);
        Pointwise.checkDtypes("linalg.lstsq", a, b);
        int m = a.shape[a.dim() - 2];
        int n = a.shape[a.dim() - 1];
        if (b.dim() < 2 || b.shape[b.dim() - 2] != m) {
            throw new ShapeMismatchException("linalg.lstsq: input.size(-2) should match other.size(-2): A has shape "
                    + Shapes.str(a.shape) + " and B " + Shapes.str(b.shape) + " (B must be [..., " + m
                    + ", k]; unsqueeze(-1) a vector)");
        }
        try {
            if (m >= n) {
                QR f = qr(a);
                return solveTriangular(f.r(), f.q().mT().matmul(b), true);
            }
            QR f = qr(a.mT());
            return f.q().matmul(solveTriangular(f.r().mT(), b, false));
        } catch (LinalgException e) {
            throw new LinalgException("linalg.lstsq: A " + Shapes.str(a.shape) + " is rank deficient (its QR factor R"
                    + " is singular); use Linalg.pinv(A).matmul(B) for the minimum-norm solution", e);
        }
    }
}
