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

    /**
     * Cross-entropy of logits against class indices (or probabilities) with the given reduction; see {@link
     * CrossEntropyLoss}.
     */
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
                throw new DTypeMismatchException(loss + ": a target of the logits' shape "
                        + Arrays.toString(target.shape()) + " holds probabilities and must be floating point, got "
                        + target.dtype() + "; class indices need shape " + Arrays.toString(withoutDim(logits, classDim))
                        + ", or convert the probabilities with .to(DType." + logits.dtype().name() + ")");
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

    /** Negative log-likelihood of log-probabilities against class indices, mean reduction; see {@link NLLLoss}. */
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

    // ------------------------------------------------------------------------------------------------ more losses

    /**
     * Smooth L1, as {@code F.smooth_l1_loss}: {@code 0.5 d^2 / beta} where {@code |d| < beta}, else {@code |d| - 0.5
     * beta}, with {@code d = input - target}; {@code beta = 0} is the L1 loss.
     */
    public static Tensor smoothL1(Tensor input, Tensor target, double beta, Reduction reduction) {
        Args.notNull(input, "smoothL1", "input");
        Args.notNull(target, "smoothL1", "target");
        checkPair("smoothL1", input, target);
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("smoothL1: beta must be >= 0 and finite, got " + beta);
        }
        Tensor d = input.sub(target);
        Tensor a = d.abs();
        if (beta == 0) {
            return reduce(a, reduction);
        }
        return reduce(Tensor.where(a.lt(beta), d.square().mul(0.5 / beta), a.sub(0.5 * beta)), reduction);
    }

    /**
     * Kullback-Leibler divergence, as {@code F.kl_div}: {@code input} holds log-probabilities, {@code target}
     * probabilities ({@code t (log t - input)}, 0 where {@code t = 0}) or, with {@code logTarget}, log-probabilities
     * ({@code exp(t) (t - input)}). MEAN averages over every element, as PyTorch's {@code 'mean'}; the mathematically
     * usual per-sample mean is {@link #klDivBatchMean}.
     */
    public static Tensor klDiv(Tensor input, Tensor target, Reduction reduction, boolean logTarget) {
        Args.notNull(input, "klDiv", "input");
        Args.notNull(target, "klDiv", "target");
        checkPair("klDiv", input, target);
        Tensor perElement;
        if (logTarget) {
            perElement = target.exp().mul(target.sub(input));
        } else {
            Tensor positive = target.gt(0);
            Tensor safeLog = Tensor.where(positive, target, target.onesLike()).log();
            perElement = Tensor.where(positive, target.mul(safeLog.sub(input)), target.zerosLike());
        }
        return reduce(perElement, reduction);
    }

    /** {@link #klDiv} summed and divided by the batch size (dim 0), PyTorch's {@code reduction='batchmean'}. */
    public static Tensor klDivBatchMean(Tensor input, Tensor target, boolean logTarget) {
        Args.notNull(input, "klDivBatchMean", "input");
        Args.notNull(target, "klDivBatchMean", "target");
        int batch = input.dim() == 0 ? 1 : input.size(0);
        return klDiv(input, target, Reduction.SUM, logTarget).div(batch);
    }

    /**
     * Poisson negative log-likelihood, as {@code F.poisson_nll_loss}: {@code exp(input) - target input} when
     * {@code logInput}, else {@code input - target log(input + eps)}; {@code full} adds Stirling's approximation of
     * {@code log(target!)} where {@code target > 1}.
     */
    public static Tensor poissonNll(Tensor input, Tensor target, boolean logInput, boolean full, double eps,
            Reduction reduction) {
        Args.notNull(input, "poissonNll", "input");
        Args.notNull(target, "poissonNll", "target");
        checkPair("poissonNll", input, target);
        Tensor loss = logInput ? input.exp().sub(target.mul(input)) : input.sub(target.mul(input.add(eps).log()));
        if (full) {
            Tensor safe = Tensor.where(target.gt(1), target, target.onesLike());
            Tensor stirling = safe.mul(safe.log()).sub(safe).add(safe.mul(2 * Math.PI).log().mul(0.5));
            loss = loss.add(Tensor.where(target.gt(1), stirling, target.zerosLike()));
        }
        return reduce(loss, reduction);
    }

    /**
     * Gaussian negative log-likelihood, as {@code F.gaussian_nll_loss}: {@code 0.5 (log var + (input - target)^2 /
     * var)} (plus {@code 0.5 log(2 pi)} when {@code full}); {@code var} broadcasts against the input (same shape, or
     * a last dim of 1) and is clamped to at least {@code eps} in value only, its gradient passing through as PyTorch.
     */
    public static Tensor gaussianNll(Tensor input, Tensor target, Tensor var, boolean full, double eps,
            Reduction reduction) {
        Args.notNull(input, "gaussianNll", "input");
        Args.notNull(target, "gaussianNll", "target");
        Args.notNull(var, "gaussianNll", "var");
        checkPair("gaussianNll", input, target);
        checkSameDtype("gaussianNll", "var", var, input);
        checkBroadcastsTo("gaussianNll", "var", var, input);
        if (var.lt(0).sum().item() > 0) {
            throw new IllegalArgumentException("gaussianNll: var has negative entries");
        }
        Tensor clamped = var.add(var.clampMin(eps).sub(var).detach());
        Tensor loss = clamped.log().add(input.sub(target).square().div(clamped)).mul(0.5);
        if (full) {
            loss = loss.add(0.5 * Math.log(2 * Math.PI));
        }
        return reduce(loss, reduction);
    }

    /**
     * Cosine embedding loss, as {@code F.cosine_embedding_loss}: for rows of {@code x1, x2} ({@code [N, D]} or
     * {@code [D]}) and labels {@code y} of +1 / -1: {@code 1 - cos} where {@code y = 1}, {@code max(0, cos -
     * margin)} where {@code y = -1}.
     */
    public static Tensor cosineEmbedding(Tensor x1, Tensor x2, Tensor y, double margin, Reduction reduction) {
        Args.notNull(x1, "cosineEmbedding", "x1");
        Args.notNull(x2, "cosineEmbedding", "x2");
        Args.notNull(y, "cosineEmbedding", "y");
        checkPair("cosineEmbedding", x1, x2);
        Tensor dot = x1.mul(x2).sum(-1);
        double eps = 1e-12;
        Tensor cos = dot.div(x1.square().sum(-1).add(eps).mul(x2.square().sum(-1).add(eps)).sqrt());
        checkLabels("cosineEmbedding", y, cos);
        Tensor loss = Tensor.where(y.eq(1), cos.rsub(1), cos.sub(margin).clampMin(0));
        return reduce(loss, reduction);
    }

    /** {@code max(0, -y (x1 - x2) + margin)} with labels {@code y} of +1 / -1, as {@code F.margin_ranking_loss}. */
    public static Tensor marginRanking(Tensor x1, Tensor x2, Tensor y, double margin, Reduction reduction) {
        Args.notNull(x1, "marginRanking", "x1");
        Args.notNull(x2, "marginRanking", "x2");
        Args.notNull(y, "marginRanking", "y");
        checkPair("marginRanking", x1, x2);
        checkLabels("marginRanking", y, x1);
        return reduce(y.neg().mul(x1.sub(x2)).add(margin).clampMin(0), reduction);
    }

    /**
     * Triplet margin loss, as {@code F.triplet_margin_loss}: {@code max(d(a, p) - d(a, n) + margin, 0)} with the
     * {@link Functional#pairwiseDistance p-norm distance}; {@code swap} uses {@code min(d(a, n), d(p, n))} as the
     * negative distance.
     */
    public static Tensor tripletMargin(Tensor anchor, Tensor positive, Tensor negative, double margin, double p,
            double eps, boolean swap, Reduction reduction) {
        Args.notNull(anchor, "tripletMargin", "anchor");
        Args.notNull(positive, "tripletMargin", "positive");
        Args.notNull(negative, "tripletMargin", "negative");
        checkPair("tripletMargin", anchor, positive);
        checkPair("tripletMargin", anchor, negative);
        Tensor dPos = Functional.pairwiseDistance(anchor, positive, p, eps, false);
        Tensor dNeg = Functional.pairwiseDistance(anchor, negative, p, eps, false);
        if (swap) {
            dNeg = dNeg.minimum(Functional.pairwiseDistance(positive, negative, p, eps, false));
        }
        return reduce(dPos.sub(dNeg).add(margin).clampMin(0), reduction);
    }

    /**
     * Multi-label one-versus-all loss, as {@code F.multilabel_soft_margin_loss}: {@code -(t log sigmoid(x) + (1 - t)
     * log sigmoid(-x))}, optionally weighted per class, averaged over the classes (last dim), then reduced over the
     * samples.
     */
    public static Tensor multiLabelSoftMargin(Tensor input, Tensor target, Tensor weight, Reduction reduction) {
        Args.notNull(input, "multiLabelSoftMargin", "input");
        Args.notNull(target, "multiLabelSoftMargin", "target");
        checkPair("multiLabelSoftMargin", input, target);
        Tensor loss = target.mul(Activations.logSigmoid(input))
                .add(target.rsub(1).mul(Activations.logSigmoid(input.neg()))).neg();
        if (weight != null) {
            checkSameDtype("multiLabelSoftMargin", "weight", weight, input);
            checkBroadcastsTo("multiLabelSoftMargin", "weight", weight, input);
            loss = loss.mul(weight);
        }
        return reduce(loss.mean(-1), reduction);
    }

    private static void checkLabels(String loss, Tensor y, Tensor like) {
        Args.notNull(y, loss, "y");
        if (!Arrays.equals(y.shape(), like.shape())) {
            throw new IllegalArgumentException(loss + ": labels of shape " + Arrays.toString(y.shape()) + " do not"
                    + " match the " + Arrays.toString(like.shape()) + " values they label");
        }
        checkSameDtype(loss, "y", y, like);
        if (y.abs().ne(1).sum().item() > 0) {
            throw new IllegalArgumentException(loss + ": labels must be 1 or -1");
        }
    }
}
