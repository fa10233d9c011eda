package org.grad4j.nn;

import java.util.Arrays;
import org.grad4j.core.DType;
import org.grad4j.core.DTypeMismatchException;
import org.grad4j.core.Tensor;

/**
 * Loss functions as static methods, as {@code torch.nn.functional}; each also exists as a module
 * ({@link MSELoss}, {@link CrossEntropyLoss}, ...). Every loss is a composition of core tensor ops, takes a
 * {@link Reduction} (MEAN by default), checks its inputs with messages that name the loss and the shapes, and stays
 * finite, with finite gradients, for logits as large as {@code +-1000}.
 * <pre>{@code
 * Tensor loss = Losses.crossEntropy(logits, new int[] {2, 0, 1});      // logits [3, C], class indices
 * loss.backward();
 * Tensor perElement = Losses.mse(prediction, target, Reduction.NONE);
 * }</pre>
 * Targets never receive gradients.
 */
public final class Losses {
    private Losses() {
    }

    /** PyTorch's default {@code ignore_index}: no class index equals it, so nothing is ignored by default. */
    public static final int DEFAULT_IGNORE_INDEX = -100;

    // ------------------------------------------------------------------------------------------------ regression

    /** Mean squared error, {@code (input - target)^2}, averaged. */
    public static Tensor mse(Tensor input, Tensor target) {
        return mse(input, target, Reduction.MEAN);
    }

    /** Squared error {@code (input - target)^2}, reduced. Shapes and dtypes must match. */
    public static Tensor mse(Tensor input, Tensor target, Reduction reduction) {
        Args.notNull(reduction, "mse", "reduction");
        checkPair("mse", input, target);
        Tensor d = input.sub(target);
        return reduce(d.mul(d), reduction);
    }

    /** Mean absolute error (L1), averaged. */
    public static Tensor l1(Tensor input, Tensor target) {
        return l1(input, target, Reduction.MEAN);
    }

    /** Absolute error {@code |input - target|}, reduced (gradient 0 where they are equal, as PyTorch). */
    public static Tensor l1(Tensor input, Tensor target, Reduction reduction) {
        Args.notNull(reduction, "l1", "reduction");
        checkPair("l1", input, target);
        return reduce(PiecewiseLinear.abs(input.sub(target)), reduction);
    }

    /** Mean absolute error: the same as {@link #l1(Tensor, Tensor, Reduction)}. */
    public static Tensor mae(Tensor input, Tensor target, Reduction reduction) {
        return l1(input, target, reduction);
    }

    /** Huber loss with {@code delta = 1}, averaged. */
    public static Tensor huber(Tensor input, Tensor target) {
        return huber(input, target, 1.0, Reduction.MEAN);
    }

    /**
     * Huber loss, as {@code F.huber_loss}: with {@code d = input - target}, {@code 0.5 d^2} where
     * {@code |d| < delta}, else {@code delta (|d| - 0.5 delta)}; quadratic near 0, linear in the tails.
     */
    public static Tensor huber(Tensor input, Tensor target, double delta, Reduction reduction) {
        Args.notNull(reduction, "huber", "reduction");
        if (!(delta > 0) || Double.isInfinite(delta)) {
            throw new IllegalArgumentException("huber: delta must be positive and finite, got " + delta);
        }
        checkPair("huber", input, target);
        Tensor d = input.sub(target);
        Tensor a = d.abs();
        Tensor quadratic = d.mul(d).mul(0.5);
        Tensor linear = a.sub(0.5 * delta).mul(delta);
        return reduce(Tensor.where(a.lt(delta), quadratic, linear), reduction);
    }

    // ------------------------------------------------------------------------------------------------ binary

    /** Binary cross-entropy on probabilities, averaged. */
    public static Tensor bce(Tensor input, Tensor target) {
        return bce(input, target, null, Reduction.MEAN);
    }

    /**
     * Binary cross-entropy on probabilities, as {@code F.binary_cross_entropy}:
     * {@code -w (t log(x) + (1 - t) log(1 - x))}, with each log clamped at {@code -100} as PyTorch does, so
     * {@code x = 0} or {@code 1} gives a finite loss. Where a log is clamped its gradient is 0 (the derivative of
     * the clamped function; PyTorch's hand-written backward gives a large finite value there instead).
     * Prefer {@link #bceWithLogits} on logits: it is stable without clamping.
     *
     * @param input  probabilities in [0, 1]
     * @param target same shape, values in [0, 1]
     * @param weight optional rescaling broadcast to the input's shape, or null
     */
    public static Tensor bce(Tensor input, Tensor target, Tensor weight, Reduction reduction) {
        Args.notNull(reduction, "bce", "reduction");
        checkPair("bce", input, target);
        checkUnitInterval("bce", "input", input);
        checkUnitInterval("bce", "target", target);
        Tensor loss = target.mul(clampedLog(input)).add(target.rsub(1).mul(clampedLog(input.rsub(1)))).neg();
        return reduce(applyWeight("bce", loss, weight, "weight"), reduction);
    }

    /** {@code max(log(x), -100)}, with a finite gradient everywhere (0 where clamped, including at x = 0). */
    private static Tensor clampedLog(Tensor x) {
        Tensor positive = x.gt(0);
        Tensor safe = Tensor.where(positive, x, x.onesLike());     // log is never evaluated at 0
        return Tensor.where(positive, safe.log(), Tensor.scalar(-100, x.dtype())).clampMin(-100);
    }

    /** Binary cross-entropy on logits, averaged. */
    public static Tensor bceWithLogits(Tensor input, Tensor target) {
        return bceWithLogits(input, target, null, null, Reduction.MEAN);
    }

    /**
     * Binary cross-entropy on logits (sigmoid folded in), as {@code F.binary_cross_entropy_with_logits}, in the
     * stable form {@code max(x, 0) - x t + log1p(exp(-|x|))}. With {@code posWeight} (PyTorch's {@code pos_weight},
     * weighting positive examples, broadcast along the last dim) it is
     * {@code (1 - t) x + (1 + (posWeight - 1) t) (max(-x, 0) + log1p(exp(-|x|)))}.
     *
     * @param weight    optional rescaling broadcast to the input's shape, or null
     * @param posWeight optional weight of positives, broadcast to the input's shape (typically {@code [classes]}),
     *                  or null
     */
    public static Tensor bceWithLogits(Tensor input, Tensor target, Tensor weight, Tensor posWeight,
                                       Reduction reduction) {
        Args.notNull(reduction, "bceWithLogits", "reduction");
        checkPair("bceWithLogits", input, target);
        Tensor zero = Tensor.scalar(0, input.dtype());
        Tensor softTail = input.abs().neg().exp().log1p();           // log1p(exp(-|x|)), in (0, log 2]
        Tensor loss;
        if (posWeight == null) {
            // max(x, 0) - x t written as (1 - t) max(x, 0) - t min(x, 0): x = +inf with t = 0 gives inf, not NaN
            loss = target.rsub(1).mul(input.maximum(zero)).sub(target.mul(input.minimum(zero))).add(softTail);
        } else {
            checkBroadcastsTo("bceWithLogits", "posWeight", posWeight, input);
            Tensor logWeight = posWeight.sub(1).mul(target).add(1);
            loss = target.rsub(1).mul(input).add(logWeight.mul(input.neg().maximum(zero).add(softTail)));
        }
        return reduce(applyWeight("bceWithLogits", loss, weight, "weight"), reduction);
    }

    // ------------------------------------------------------------------------------------------------ classification

    /** Cross-entropy from logits {@code [N, C]} and class indices, averaged. */
    public static Tensor crossEntropy(Tensor logits, int[] target) {
        return crossEntropy(logits, indexTensor("crossEntropy", logits, target), null, DEFAULT_IGNORE_INDEX, 0,
                Reduction.MEAN);
    }

    /** Cross-entropy from logits and a target of class indices or of probabilities, averaged. */
    public static Tensor crossEntropy(Tensor logits, Tensor target) {
        return crossEntropy(logits, target, null, DEFAULT_IGNORE_INDEX, 0, Reduction.MEAN);
    }

    public static Tensor crossEntropy(Tensor logits, Tensor target, Reduction reduction) {
        return crossEntropy(logits, target, null, DEFAULT_IGNORE_INDEX, 0, reduction);
    }

    /**
     * Cross-entropy from unnormalised logits, as {@code F.cross_entropy}. The class dim is dim 1 ({@code [N, C]},
     * {@code [N, C, d1, ...]}), or dim 0 for a single sample {@code [C]}. The target is either
     * <ul>
     *   <li>class indices: an int64 (or int32) tensor of the logits' shape without the class dim ({@code [N]},
     *       {@code [N, d1, ...]}, or a scalar), values in {@code [0, C)} or equal to {@code ignoreIndex}; or</li>
     *   <li>probabilities: a tensor of the logits' shape and dtype (soft labels).</li>
     * </ul>
     * Per sample, with {@code logp = logSoftmax(logits)}, {@code eps = labelSmoothing}:
     * {@code (1 - eps) * -w[y] logp[y] + (eps / C) * -sum_c w[c] logp[c]} for indices, and
     * {@code -sum_c w[c] q[c] logp[c]} with {@code q = (1 - eps) p + eps / C} for probabilities. MEAN divides the
     * sum by {@code sum w[y]} over non-ignored samples for indices (a weighted mean, as PyTorch) and by the number of
     * samples for probabilities.
     *
     * @param weight         per-class weights {@code [C]}, or null
     * @param ignoreIndex    class index whose samples count for nothing (indices only; PyTorch's default -100)
     * @param labelSmoothing in [0, 1]
     */
    public static Tensor crossEntropy(Tensor logits, Tensor target, Tensor weight, int ignoreIndex,
                                      double labelSmoothing, Reduction reduction) {
        String loss = "crossEntropy";
        Args.notNull(logits, loss, "logits");
        Args.notNull(target, loss, "target");
        Args.notNull(reduction, loss, "reduction");
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException(loss + ": labelSmoothing must be in [0, 1], got " + labelSmoothing);
        }
        int classDim = classDim(loss, logits);
        checkClassWeight(loss, logits, weight, classDim);
        Tensor logp = logits.logSoftmax(classDim);
        if (target.dim() == logits.dim()) {
            if (!target.dtype().isFloatingPoint()) {
                throw new DTypeMismatchException(loss + ": a target of the logits' shape " + Arrays.toString(target.shape())
                        + " holds probabilities and must be floating point, got " + target.dtype() + "; class indices"
                        + " need shape " + Arrays.toString(withoutDim(logits, classDim)) + ", or convert the"
                        + " probabilities with .to(DType." + logits.dtype().name() + ")");
            }
            checkSameDtype(loss, "target", target, logits);
            if (!Arrays.equals(target.shape(), logits.shape())) {
                throw new IllegalArgumentException(loss + ": target shape " + Arrays.toString(target.shape())
                        + " fits neither class indices (expected " + Arrays.toString(withoutDim(logits, classDim))
                        + ") nor probabilities (expected " + Arrays.toString(logits.shape()) + ", the logits' shape)");
            }
            return probabilityCrossEntropy(logp, target, weight, classDim, labelSmoothing, reduction);
        }
        return classIndexLoss(loss, logp, target, weight, ignoreIndex, labelSmoothing, reduction);
    }

    private static Tensor probabilityCrossEntropy(Tensor logp, Tensor target, Tensor weight, int classDim,
                                                  double smoothing, Reduction reduction) {
        int classes = logp.size(classDim);
        Tensor q = smoothing > 0 ? target.mul(1 - smoothing).add(smoothing / classes) : target;
        Tensor terms = logp.mul(q);
        if (weight != null) {
            terms = terms.mul(broadcastAlongClassDim(weight, logp.dim(), classDim));
        }
        Tensor perSample = terms.sum(classDim).neg();
        if (reduction == Reduction.MEAN) {
            return perSample.sum().div(classes == 0 ? 0 : logp.numel() / classes);
        }
        return reduce(perSample, reduction);
    }

    /** Negative log-likelihood from log-probabilities and class indices, averaged. */
    public static Tensor nll(Tensor logProbs, int[] target) {
        return nll(logProbs, indexTensor("nll", logProbs, target), null, DEFAULT_IGNORE_INDEX, Reduction.MEAN);
    }

    public static Tensor nll(Tensor logProbs, Tensor target) {
        return nll(logProbs, target, null, DEFAULT_IGNORE_INDEX, Reduction.MEAN);
    }

    /**
     * Negative log-likelihood, as {@code F.nll_loss}: {@code -w[y] logProbs[y]} per sample, with the layout rules of
     * {@link #crossEntropy(Tensor, Tensor, Tensor, int, double, Reduction)} for class indices; MEAN is the weighted
     * mean {@code sum / sum w[y]} over non-ignored samples. Feed it {@link Activations#logSoftmax} output.
     */
    public static Tensor nll(Tensor logProbs, Tensor target, Tensor weight, int ignoreIndex, Reduction reduction) {
        Args.notNull(logProbs, "nll", "logProbs");
        Args.notNull(target, "nll", "target");
        Args.notNull(reduction, "nll", "reduction");
        int classDim = classDim("nll", logProbs);
        checkClassWeight("nll", logProbs, weight, classDim);
        if (target.dim() == logProbs.dim()) {
            throw new IllegalArgumentException("nll: target shape " + Arrays.toString(target.shape())
                    + " must be the input's shape without the class dim, "
                    + Arrays.toString(withoutDim(logProbs, classDim)) + " (class indices; nll has no probability"
                    + " targets, crossEntropy has)");
        }
        return classIndexLoss("nll", logProbs, target, weight, ignoreIndex, 0, reduction);
    }

    /** The shared class-index path: weighted NLL of {@code logp} plus optional label smoothing. */
    private static Tensor classIndexLoss(String loss, Tensor logp, Tensor target, Tensor weight, int ignoreIndex,
                                         double smoothing, Reduction reduction) {
        int classDim = logp.dim() == 1 ? 0 : 1;
        int classes = logp.size(classDim);
        int[] targetShape = withoutDim(logp, classDim);
        if (!Arrays.equals(target.shape(), targetShape)) {
            throw new IllegalArgumentException(loss + ": target shape " + Arrays.toString(target.shape())
                    + " does not match the input shape " + Arrays.toString(logp.shape()) + "; class indices need shape "
                    + Arrays.toString(targetShape) + " (the input's shape without the class dim " + classDim + ")");
        }
        if (target.dtype() != DType.INT64 && target.dtype() != DType.INT32) {
            throw new DTypeMismatchException(loss + ": class-index targets must be int64 or int32, got a "
                    + target.dtype() + " tensor of shape " + Arrays.toString(target.shape()) + "; convert it with"
                    + " .to(DType.INT64) (or pass probabilities with the input's shape)");
        }
        long[] values = target.toLongArray();
        int rows = values.length;
        long[] safeIndex = new long[rows];
        double[] keep = new double[rows];
        for (int i = 0; i < rows; i++) {
            long v = values[i];
            if (v == ignoreIndex) {
                continue;
            }
            if (v < 0 || v >= classes) {
                throw new IllegalArgumentException(loss + ": class index " + v + " at flat position " + i
                        + " is out of range for " + classes + " classes (input shape "
                        + Arrays.toString(logp.shape()) + ")");
            }
            safeIndex[i] = v;
            keep[i] = 1;
        }
        // [N, C, d1..] -> [N, d1.., C] -> [rows, C]: one row per sample.
        Tensor rowsByClass;
        if (logp.dim() == 1) {
            rowsByClass = logp.reshape(1, classes);
        } else if (logp.dim() == 2) {
            rowsByClass = logp;
        } else {
            int[] order = new int[logp.dim()];
            order[0] = 0;
            for (int d = 2; d < logp.dim(); d++) order[d - 1] = d;
            order[logp.dim() - 1] = 1;
            rowsByClass = logp.permute(order).reshape(rows, classes);
        }
        DType dtype = logp.dtype();
        Tensor keepMask = Tensor.of(keep, rows).to(dtype);
        Tensor sampleWeight = weight == null ? keepMask
                : weight.indexSelect(0, Tensor.of(safeIndex, rows)).mul(keepMask);
        Tensor picked = rowsByClass.gather(1, Tensor.of(safeIndex, rows, 1)).reshape(rows);
        Tensor perSample = picked.mul(sampleWeight).neg();
        if (smoothing > 0) {
            Tensor weighted = weight == null ? rowsByClass : rowsByClass.mul(weight);
            Tensor smooth = weighted.sum(1).neg().mul(keepMask);
            perSample = perSample.mul(1 - smoothing).add(smooth.mul(smoothing / classes));
        }
        return switch (reduction) {
            case NONE -> perSample.reshape(targetShape);
            case SUM -> perSample.sum();
            case MEAN -> weightedMean(perSample, sampleWeight);
        };
    }

    /**
     * {@code sum(perSample) / sum(weights)}. When every sample is ignored (total weight 0) the loss is NaN and its
     * gradient 0, as in PyTorch, instead of a 0/0 that would send NaN into every gradient.
     */
    private static Tensor weightedMean(Tensor perSample, Tensor sampleWeight) {
        Tensor total = sampleWeight.sum();
        if (total.item() == 0) {
            return perSample.sum().mul(0.0).add(Double.NaN);
        }
        return perSample.sum().div(total);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** Applies a reduction to per-element losses. */
    public static Tensor reduce(Tensor perElement, Reduction reduction) {
        Args.notNull(perElement, "reduce", "perElement");
        Args.notNull(reduction, "reduce", "reduction");
        return switch (reduction) {
            case MEAN -> perElement.mean();
            case SUM -> perElement.sum();
            case NONE -> perElement;
        };
    }

    private static void checkPair(String loss, Tensor input, Tensor target) {
        Args.notNull(input, loss, "input");
        Args.notNull(target, loss, "target");
        if (!Arrays.equals(input.shape(), target.shape())) {
            throw new IllegalArgumentException(loss + ": target shape " + Arrays.toString(target.shape())
                    + " does not match input shape " + Arrays.toString(input.shape())
                    + " (no broadcasting here: it silently gives wrong losses; reshape the target, e.g."
                    + " target.reshape(input.shape()) or unsqueeze)");
        }
        checkSameDtype(loss, "target", target, input);
    }

    private static void checkSameDtype(String loss, String what, Tensor t, Tensor input) {
        if (t.dtype() != input.dtype()) {
            throw new IllegalArgumentException(loss + ": " + what + " is " + t.dtype() + " but the input is "
                    + input.dtype() + "; convert with .to(DType." + input.dtype().name() + ")");
        }
    }

    private static void checkUnitInterval(String loss, String what, Tensor t) {
        double[] v = t.toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            if (!(v[i] >= 0 && v[i] <= 1)) {
                throw new IllegalArgumentException(loss + ": " + what + " must hold probabilities in [0, 1], but"
                        + " flat position " + i + " is " + v[i] + " (shape " + Arrays.toString(t.shape()) + ")"
                        + (what.equals("input") ? "; apply sigmoid first, or use bceWithLogits on logits" : ""));
            }
        }
    }

    private static void checkBroadcastsTo(String loss, String what, Tensor t, Tensor input) {
        checkSameDtype(loss, what, t, input);
        int[] s = t.shape();
        int[] in = input.shape();
        boolean ok = s.length <= in.length;
        for (int i = 1; ok && i <= s.length; i++) {
            int a = s[s.length - i];
            ok = a == 1 || a == in[in.length - i];
        }
        if (!ok) {
            throw new IllegalArgumentException(loss + ": " + what + " of shape " + Arrays.toString(s)
                    + " does not broadcast to the input's shape " + Arrays.toString(in));
        }
    }

    private static Tensor applyWeight(String loss, Tensor perElement, Tensor weight, String what) {
        if (weight == null) {
            return perElement;
        }
        checkBroadcastsTo(loss, what, weight, perElement);
        return perElement.mul(weight);
    }

    private static int classDim(String loss, Tensor input) {
        if (input.dim() == 0) {
            throw new IllegalArgumentException(loss + ": the input must have a class dim ([C], [N, C] or"
                    + " [N, C, d1, ...]), got a scalar");
        }
        return input.dim() == 1 ? 0 : 1;
    }

    private static void checkClassWeight(String loss, Tensor input, Tensor weight, int classDim) {
        if (weight == null) {
            return;
        }
        if (weight.dim() != 1 || weight.size(0) != input.size(classDim)) {
            throw new IllegalArgumentException(loss + ": weight must have shape [" + input.size(classDim)
                    + "] (one per class), got " + Arrays.toString(weight.shape()));
        }
        checkSameDtype(loss, "weight", weight, input);
    }

    private static int[] withoutDim(Tensor t, int dim) {
        int[] s = t.shape();
        int[] out = new int[s.length - 1];
        for (int i = 0, j = 0; i < s.length; i++) {
            if (i != dim) out[j++] = s[i];
        }
        return out;
    }

    private static Tensor broadcastAlongClassDim(Tensor weight, int rank, int classDim) {
        int[] shape = new int[rank - classDim];
        Arrays.fill(shape, 1);
        shape[0] = weight.size(0);
        return weight.reshape(shape);
    }

    /** Class indices from an {@code int[]} as an int64 tensor of the target shape for {@code input}. */
    static Tensor indexTensor(String loss, Tensor input, int[] target) {
        Args.notNull(input, loss, "input");
        Args.notNull(target, loss, "target");
        int classDim = classDim(loss, input);
        int[] shape = withoutDim(input, classDim);
        int n = 1;
        for (int d : shape) n *= d;
        if (target.length != n) {
            throw new IllegalArgumentException(loss + ": " + target.length + " class indices given for input shape "
                    + Arrays.toString(input.shape()) + ", which needs " + n + " (shape " + Arrays.toString(shape)
                    + ")");
        }
        long[] v = new long[n];
        for (int i = 0; i < n; i++) v[i] = target[i];
        return Tensor.ofShape(v, shape);
    }
}
