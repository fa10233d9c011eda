package org.grad4j.core;

import java.util.Arrays;
import org.grad4j.core.kernel.BinaryOp;
import org.grad4j.core.kernel.Kernels;
import org.grad4j.core.kernel.UnaryOp;

/**
 * Optimizer updates done in one pass over a parameter and its state, as PyTorch's fused / foreach optimizers: each
 * element is loaded from memory once instead of once per in-place op, with no parameter-sized scratch buffers. The
 * arithmetic is the in-place ops' own, in the same order and with the same rounding (hyper-parameters rounded to the
 * tensors' dtype, one rounding per operation), so a fused step gives bit for bit what the sequence of in-place ops
 * gives.
 *
 * <pre>{@code
 * if (FusedUpdates.canFuse(p, grad, m, v)) {
 *     FusedUpdates.adam(p, grad, m, v, 0.9, 0.999, stepSize, Math.sqrt(biasCorrection2), 1e-8, 1.0);
 * }
 * }</pre>
 */
public final class FusedUpdates {
    private FusedUpdates() {
    }

    /**
     * Whether {@link #adam} can update these tensors: all float32 or all float64, the same shape, each contiguous
     * and in its own storage (a fused pass reads and writes element by element, so no operand may alias another).
     */
    public static boolean canFuse(Tensor... tensors) {
        Args.notNull(tensors, "FusedUpdates.canFuse", "tensors");
        if (tensors.length == 0 || tensors[0] == null) {
            return false;
        }
        Tensor first = tensors[0];
        if (!first.dtype().isFloatingPoint()) {
            return false;
        }
        for (int i = 0; i < tensors.length; i++) {
            Tensor t = tensors[i];
            if (t == null || t.dtype() != first.dtype() || !Arrays.equals(t.shape, first.shape) || !t.isContiguous()) {
                return false;
            }
            for (int j = 0; j < i; j++) {
                if (t.storage == tensors[j].storage) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * One Adam step in place, element by element, as the in-place sequence
     * <pre>
     * param *= decay                                       (only when decay != 1: AdamW's decoupled weight decay)
     * expAvg = expAvg * beta1 + grad * (1 - beta1)
     * expAvgSq = expAvgSq * beta2 + grad * (1 - beta2) * grad
     * param += expAvg * (-stepSize) / (sqrt(expAvgSq) / sqrtBiasCorrection2 + eps)
     * </pre>
     * Bumps the version counters of the three tensors it modifies. Call it with recording off (an optimizer's step).
     *
     * @throws IllegalArgumentException if {@link #canFuse} refuses the four tensors
     */
    public static void adam(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, double beta1, double beta2,
                            double stepSize, double sqrtBiasCorrection2, double eps, double decay) {
        if (!canFuse(param, grad, expAvg, expAvgSq)) {
            throw new IllegalArgumentException("FusedUpdates.adam: param, grad, expAvg and expAvgSq must be contiguous"
                    + " float tensors of one dtype and shape in separate storages; use the in-place ops instead");
        }
        InPlace.checkAllowed("FusedUpdates.adam", param, grad);
        int n = param.numel();
        int off = param.offset;
        boolean aligned = grad.offset == off && expAvg.offset == off && expAvgSq.offset == off;
        // Seven array elements read or written per parameter; element-wise, so the split changes no bits.
        ParallelParts.elements(n, 7, (from, to) -> {
            int len = to - from;
            if (aligned && param.dtype() == DType.FLOAT32) {
                adamFloatAligned(param.storage.floats(), grad.storage.floats(), expAvg.storage.floats(),
                        expAvgSq.storage.floats(), off + from, len, (float) beta1, (float) (1 - beta1),
                        (float) beta2, (float) (1 - beta2), (float) -stepSize, (float) sqrtBiasCorrection2,
                        (float) eps, (float) decay, decay != 1);
            } else if (aligned) {
                adamDoubleAligned(param.storage.doubles(), grad.storage.doubles(), expAvg.storage.doubles(),
                        expAvgSq.storage.doubles(), off + from, len, beta1, 1 - beta1, beta2, 1 - beta2, -stepSize,
                        sqrtBiasCorrection2, eps, decay, decay != 1);
            } else if (param.dtype() == DType.FLOAT32) {
                adamFloat(param.storage.floats(), param.offset + from, grad.storage.floats(), grad.offset + from,
                        expAvg.storage.floats(), expAvg.offset + from, expAvgSq.storage.floats(),
                        expAvgSq.offset + from, len, (float) beta1, (float) (1 - beta1), (float) beta2,
                        (float) (1 - beta2), (float) -stepSize, (float) sqrtBiasCorrection2, (float) eps,
                        (float) decay, decay != 1);
            } else {
                adamDouble(param.storage.doubles(), param.offset + from, grad.storage.doubles(), grad.offset + from,
                        expAvg.storage.doubles(), expAvg.offset + from, expAvgSq.storage.doubles(),
                        expAvgSq.offset + from, len, beta1, 1 - beta1, beta2, 1 - beta2, -stepSize,
                        sqrtBiasCorrection2, eps, decay, decay != 1);
            }
        });
        param.storage.bumpVersion();
        expAvg.storage.bumpVersion();
        expAvgSq.storage.bumpVersion();
    }

    // The usual case, every operand at the same offset (whole storages): one plain loop whose accesses all use the
    // same index, which C2 vectorizes (sqrt and division included), about 4x faster than the chunked kernel calls
    // below. Java's float arithmetic has no FMA contraction, so each operation rounds exactly as the kernels do.
    private static void adamFloatAligned(float[] p, float[] g, float[] m, float[] v, int off, int n, float beta1,
                                         float oneMinusBeta1, float beta2, float oneMinusBeta2, float negStepSize,
                                         float sqrtBiasCorrection2, float eps, float decay, boolean decayed) {
        for (int i = off; i < off + n; i++) {
            float d = g[i];
            float mi = m[i] * beta1 + d * oneMinusBeta1;
            float vi = v[i] * beta2 + d * oneMinusBeta2 * d;
            m[i] = mi;
            v[i] = vi;
            float denom = (float) Math.sqrt(vi) / sqrtBiasCorrection2 + eps;
            float pi = decayed ? p[i] * decay : p[i];
            p[i] = pi + mi * negStepSize / denom;
        }
    }

    private static void adamDoubleAligned(double[] p, double[] g, double[] m, double[] v, int off, int n,
                                          double beta1, double oneMinusBeta1, double beta2, double oneMinusBeta2,
                                          double negStepSize, double sqrtBiasCorrection2, double eps, double decay,
                                          boolean decayed) {
        for (int i = off; i < off + n; i++) {
            double d = g[i];
            double mi = m[i] * beta1 + d * oneMinusBeta1;
            double vi = v[i] * beta2 + d * oneMinusBeta2 * d;
            m[i] = mi;
            v[i] = vi;
            double denom = Math.sqrt(vi) / sqrtBiasCorrection2 + eps;
            double pi = decayed ? p[i] * decay : p[i];
            p[i] = pi + mi * negStepSize / denom;
        }
    }

    /** Elements per chunk: the slices of the six operands (96 KB) stay in L2 from the first op to the last. */
    private static final int CHUNK = 4096;
    private static final ThreadLocal<float[][]> FLOAT_SCRATCH = ThreadLocal.withInitial(() -> new float[2][CHUNK]);
    private static final ThreadLocal<double[][]> DOUBLE_SCRATCH = ThreadLocal.withInitial(() -> new double[2][CHUNK]);

    // Operands at different offsets (views): chunk by chunk through the element-wise kernels themselves, the same
    // operations in the same order as the in-place sequence, each chunk loaded from memory once.
    private static void adamFloat(float[] p, int po, float[] g, int go, float[] m, int mo, float[] v, int vo, int n,
                                  float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2,
                                  float negStepSize, float sqrtBiasCorrection2, float eps, float decay,
                                  boolean decayed) {
        Kernels k = Pointwise.KERNELS;
        float[][] scratch = FLOAT_SCRATCH.get();
        float[] t = scratch[0];
        float[] denom = scratch[1];
        float[] c = new float[] {beta1, oneMinusBeta1, beta2, oneMinusBeta2, negStepSize, sqrtBiasCorrection2, eps,
            decay};
        for (int start = 0; start < n; start += CHUNK) {
            int len = Math.min(CHUNK, n - start);
            int pi = po + start;
            int gi = go + start;
            int mi = mo + start;
            int vi = vo + start;
            k.binary(BinaryOp.MUL, m, mi, 1, c, 0, 0, m, mi, 1, len);                  // m *= beta1
            k.binary(BinaryOp.MUL, g, gi, 1, c, 1, 0, t, 0, 1, len);                   // m += g * (1 - beta1)
            k.binary(BinaryOp.ADD, m, mi, 1, t, 0, 1, m, mi, 1, len);
            k.binary(BinaryOp.MUL, v, vi, 1, c, 2, 0, v, vi, 1, len);                  // v *= beta2
            k.binary(BinaryOp.MUL, g, gi, 1, c, 3, 0, t, 0, 1, len);                   // v += g * (1 - beta2) * g
            k.binary(BinaryOp.MUL, t, 0, 1, g, gi, 1, t, 0, 1, len);
            k.binary(BinaryOp.ADD, v, vi, 1, t, 0, 1, v, vi, 1, len);
            k.unary(UnaryOp.SQRT, v, vi, 1, denom, 0, 1, len);                         // sqrt(v) / sqrtBc2 + eps
            k.binary(BinaryOp.DIV, denom, 0, 1, c, 5, 0, denom, 0, 1, len);
            k.binary(BinaryOp.ADD, denom, 0, 1, c, 6, 0, denom, 0, 1, len);
            if (decayed) {
                k.binary(BinaryOp.MUL, p, pi, 1, c, 7, 0, p, pi, 1, len);              // p *= decay
            }
            k.binary(BinaryOp.MUL, m, mi, 1, c, 4, 0, t, 0, 1, len);                   // p += m * -step / denom
            k.binary(BinaryOp.DIV, t, 0, 1, denom, 0, 1, t, 0, 1, len);
            k.binary(BinaryOp.ADD, p, pi, 1, t, 0, 1, p, pi, 1, len);
        }
    }

    private static void adamDouble(double[] p, int po, double[] g, int go, double[] m, int mo, double[] v, int vo,
                                   int n, double beta1, double oneMinusBeta1, double beta2, double oneMinusBeta2,
                                   double negStepSize, double sqrtBiasCorrection2, double eps, double decay,
                                   boolean decayed) {
        Kernels k = Pointwise.KERNELS;
        double[][] scratch = DOUBLE_SCRATCH.get();
        double[] t = scratch[0];
        double[] denom = scratch[1];
        double[] c = new double[] {beta1, oneMinusBeta1, beta2, oneMinusBeta2, negStepSize, sqrtBiasCorrection2,
            eps, decay};
        for (int start = 0; start < n; start += CHUNK) {
            int len = Math.min(CHUNK, n - start);
            int pi = po + start;
            int gi = go + start;
            int mi = mo + start;
            int vi = vo + start;
            k.binary(BinaryOp.MUL, m, mi, 1, c, 0, 0, m, mi, 1, len);
            k.binary(BinaryOp.MUL, g, gi, 1, c, 1, 0, t, 0, 1, len);
            k.binary(BinaryOp.ADD, m, mi, 1, t, 0, 1, m, mi, 1, len);
            k.binary(BinaryOp.MUL, v, vi, 1, c, 2, 0, v, vi, 1, len);
            k.binary(BinaryOp.MUL, g, gi, 1, c, 3, 0, t, 0, 1, len);
            k.binary(BinaryOp.MUL, t, 0, 1, g, gi, 1, t, 0, 1, len);
            k.binary(BinaryOp.ADD, v, vi, 1, t, 0, 1, v, vi, 1, len);
            k.unary(UnaryOp.SQRT, v, vi, 1, denom, 0, 1, len);
            k.binary(BinaryOp.DIV, denom, 0, 1, c, 5, 0, denom, 0, 1, len);
            k.binary(BinaryOp.ADD, denom, 0, 1, c, 6, 0, denom, 0, 1, len);
            if (decayed) {
                k.binary(BinaryOp.MUL, p, pi, 1, c, 7, 0, p, pi, 1, len);
            }
            k.binary(BinaryOp.MUL, m, mi, 1, c, 4, 0, t, 0, 1, len);
            k.binary(BinaryOp.DIV, t, 0, 1, denom, 0, 1, t, 0, 1, len);
            k.binary(BinaryOp.ADD, p, pi, 1, t, 0, 1, p, pi, 1, len);
        }
    }
}
