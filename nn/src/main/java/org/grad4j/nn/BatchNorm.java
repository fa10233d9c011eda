package org.grad4j.nn;

import org.grad4j.core.DType;
import org.grad4j.core.Tensor;

/**
 * The shared body of {@link BatchNorm1d} and {@link BatchNorm2d}, as PyTorch's {@code _BatchNorm}: parameters
 * {@code weight} (ones) and {@code bias} (zeros) when affine, buffers {@code running_mean} (zeros),
 * {@code running_var} (ones) and {@code num_batches_tracked} (an int64 scalar, 0) when tracking running statistics,
 * so a PyTorch state dict loads strictly. Training mode normalises with the batch's statistics
 * and updates the running ones ({@code running = (1 - momentum) running + momentum batch}, unbiased variance; a null
 * momentum, PyTorch's {@code momentum=None}, makes it the cumulative moving average, {@code momentum = 1 /
 * num_batches_tracked}); evaluation mode ({@link Module#eval()}) normalises with the running statistics.
 */
public abstract class BatchNorm extends Module {
    private final int numFeatures;
    private final double eps;
    private final Double momentum;
    private final Tensor weight;
    private final Tensor bias;
    private final transient Tensor runningMean;
    private final transient Tensor runningVar;
    private final transient Tensor numBatchesTracked;

    /** Called by the subclasses; see {@link BatchNorm2d#BatchNorm2d(int, double, Double, boolean, boolean, DType)}. */
    protected BatchNorm(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats,
            DType dtype) {
        Args.notNull(dtype, "BatchNorm", "dtype");
        if (numFeatures <= 0 || !(eps >= 0) || (momentum != null && !(momentum >= 0 && momentum <= 1))) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": numFeatures must be positive, eps >= 0"
                    + " and momentum in [0, 1] (or null for a cumulative average), got numFeatures=" + numFeatures
                    + ", eps=" + eps + ", momentum=" + momentum);
        }
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.weight = affine ? Tensor.ones(dtype, numFeatures).requiresGrad(true) : null;
        this.bias = affine ? Tensor.zeros(dtype, numFeatures).requiresGrad(true) : null;
        this.runningMean = trackRunningStats ? registerBuffer("running_mean", Tensor.zeros(dtype, numFeatures)) : null;
        this.runningVar = trackRunningStats ? registerBuffer("running_var", Tensor.ones(dtype, numFeatures)) : null;
        this.numBatchesTracked = trackRunningStats
                ? registerBuffer("num_batches_tracked", Tensor.scalar(0L, DType.INT64)) : null;
    }

    /** The input ranks this layer accepts, for the error message; checked by forward. */
    abstract boolean acceptsRank(int rank);

    abstract String expectedShape();

    @Override
    public Tensor forward(Tensor x) {
        Args.notNull(x, "BatchNorm.forward", "x");
        if (!acceptsRank(x.dim()) || x.size(1) != numFeatures) {
            throw new IllegalArgumentException(name() + "(" + numFeatures + "): expects an input " + expectedShape()
                    + " with C = " + numFeatures + ", got shape " + java.util.Arrays.toString(x.shape()));
        }
        double factor = momentum == null ? 0 : momentum;
        if (isTraining() && numBatchesTracked != null) {
            numBatchesTracked.addInPlace(Tensor.scalar(1L, DType.INT64));
            if (momentum == null) {
                factor = 1.0 / numBatchesTracked.itemLong();
            }
        }
        return Functional.batchNorm(x, runningMean, runningVar, weight, bias, isTraining(), factor, eps);
    }

    /** The scale {@code [C]}, or null when not affine. */
    public Tensor weight() {
        return weight;
    }

    /** The shift {@code [C]}, or null when not affine. */
    public Tensor bias() {
        return bias;
    }

    /** The running mean {@code [C]} (the live buffer), or null when not tracking. */
    public Tensor runningMean() {
        return runningMean;
    }

    /** The running (unbiased) variance {@code [C]} (the live buffer), or null when not tracking. */
    public Tensor runningVar() {
        return runningVar;
    }

    /** How many training batches have updated the running statistics (an int64 scalar), or null when not tracking. */
    public Tensor numBatchesTracked() {
        return numBatchesTracked;
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + eps + ", momentum=" + (momentum == null ? "None" : momentum) + ", affine="
                + (weight != null)
                + ", trackRunningStats=" + (runningMean != null);
    }
}
