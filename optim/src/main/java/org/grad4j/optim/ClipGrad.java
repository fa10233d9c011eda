package org.grad4j.optim;

import java.util.ArrayList;
import java.util.List;
import org.grad4j.core.Grad;
import org.grad4j.core.Tensor;

/**
 * Gradient clipping, as {@code torch.nn.utils.clip_grad_norm_} and {@code clip_grad_value_}. Call between
 * {@code backward()} and {@code optimizer.step()}; parameters whose grad is null are ignored.
 *
 * <pre>{@code
 * loss.backward();
 * double norm = ClipGrad.clipGradNorm(params, 1.0);       // total 2-norm before clipping
 * ClipGrad.clipGradValue(params, 0.5);                    // or: clamp each element to [-0.5, 0.5]
 * optimizer.step();
 * }</pre>
 */
public final class ClipGrad {
    private ClipGrad() {
    }

    /** {@link #clipGradNorm(Iterable, double, double, boolean)} with the 2-norm, not failing on a non-finite norm. */
    public static double clipGradNorm(Iterable<Tensor> params, double maxNorm) {
        checkParams("clipGradNorm", params);
        return clipGradNorm(params, maxNorm, 2.0, false);
    }

    /** {@link #clipGradNorm(Iterable, double, double, boolean)} not failing on a non-finite norm. */
    public static double clipGradNorm(Iterable<Tensor> params, double maxNorm, double normType) {
        checkParams("clipGradNorm", params);
        return clipGradNorm(params, maxNorm, normType, false);
    }

    /**
     * Scales all gradients together so that their total norm (as if concatenated into one vector) is at most
     * {@code maxNorm}: when {@code c = maxNorm / (total + 1e-6)} is below 1, every grad is multiplied by {@code c}.
     *
     * @param normType         the p of the p-norm ({@code > 0}), or {@code Double.POSITIVE_INFINITY} for the max norm
     * @param errorIfNonfinite throw {@link ArithmeticException} instead of scaling when the total norm is NaN or
     *                         infinite (otherwise, as PyTorch, the grads are scaled by the non-finite coefficient)
     * @return the total norm before clipping (0 when no parameter has a grad)
     */
    public static double clipGradNorm(Iterable<Tensor> params, double maxNorm, double normType,
            boolean errorIfNonfinite) {
        checkParams("clipGradNorm", params);
        if (!(maxNorm >= 0)) {
            throw new IllegalArgumentException("clipGradNorm: invalid maxNorm = " + maxNorm + "; expected maxNorm >= 0");
        }
        if (!(normType > 0)) {
            throw new IllegalArgumentException("clipGradNorm: invalid normType = " + normType
                    + "; expected a p > 0 (2 for the Euclidean norm) or Double.POSITIVE_INFINITY");
        }
        List<Tensor> grads = grads(params);
        if (grads.isEmpty()) {
            return 0;
        }
        double total;
        try (Grad.Scope off = Grad.disabled()) {
            if (normType == Double.POSITIVE_INFINITY) {
                total = Double.NEGATIVE_INFINITY;
                for (Tensor g : grads) {
                    double m = g.detach().abs().max().item();
                    total = Double.isNaN(m) || Double.isNaN(total) ? Double.NaN : Math.max(total, m);
                }
            } else {
                // as torch: the p-norm of the per-tensor p-norms
                double sum = 0;
                for (Tensor g : grads) {
                    double n = pNorm(g.detach(), normType);
                    sum += normType == 2 ? n * n : normType == 1 ? n : Math.pow(n, normType);
                }
                total = normType == 2 ? Math.sqrt(sum) : normType == 1 ? sum : Math.pow(sum, 1 / normType);
            }
            if (errorIfNonfinite && !Double.isFinite(total)) {
                throw new ArithmeticException("clipGradNorm: the total norm of order " + normType + " of the gradients"
                        + " is " + total + ", so they cannot be clipped; find the NaN/inf gradient (e.g. with"
                        + " anomaly detection), or pass errorIfNonfinite = false to scale by it anyway");
            }
            double coef = maxNorm / (total + 1e-6);
            if (!(coef >= 1)) {
                for (Tensor g : grads) {
                    g.detach().mulInPlace(coef);
                }
            }
        }
        return total;
    }

    private static double pNorm(Tensor g, double p) {
        if (p == 2) {
            return Math.sqrt(g.mul(g).sum().item());
        }
        if (p == 1) {
            return g.abs().sum().item();
        }
        return Math.pow(g.abs().pow(p).sum().item(), 1 / p);
    }

    /** Clamps every gradient element into {@code [-clipValue, clipValue]}, in place. */
    public static void clipGradValue(Iterable<Tensor> params, double clipValue) {
        checkParams("clipGradValue", params);
        if (!(clipValue >= 0)) {
            throw new IllegalArgumentException("clipGradValue: invalid clipValue = " + clipValue
                    + "; expected clipValue >= 0 (the grads are clamped to [-clipValue, clipValue])");
        }
        try (Grad.Scope off = Grad.disabled()) {
            for (Tensor g : grads(params)) {
                g.detach().clampInPlace(-clipValue, clipValue);
            }
        }
    }

    private static List<Tensor> grads(Iterable<Tensor> params) {
        List<Tensor> grads = new ArrayList<>();
        for (Tensor p : params) {
            if (p.grad() != null) {
                grads.add(p.grad());
            }
        }
        return grads;
    }

    private static void checkParams(String operation, Iterable<Tensor> params) {
        Args.notNull(params, "ClipGrad." + operation, "params");
        int i = 0;
        for (Tensor p : params) {
            Args.notNull(p, "ClipGrad." + operation, "parameter " + i++);
        }
    }
}
