package org.grad4j.nn;

import org.grad4j.core.DType;

/**
 * Batch normalisation over the channels of a [N, C, H, W] input, as {@code nn.BatchNorm2d}: PyTorch's parameter and
 * buffer names ({@code weight}, {@code bias}, {@code running_mean}, {@code running_var}), defaults (eps 1e-5,
 * momentum 0.1) and initialisation, so a PyTorch state dict loads as is; see {@link BatchNorm} for the train/eval
 * behaviour. Functional form: {@link Functional#batchNorm}.
 * <pre>{@code
 * BatchNorm2d bn = new BatchNorm2d(16);
 * bn.forward(x);      // training: batch statistics, running statistics updated
 * bn.eval();
 * bn.forward(x);      // evaluation: running statistics
 * }</pre>
 */
public class BatchNorm2d extends BatchNorm {
    /** PyTorch's defaults: eps 1e-5, momentum 0.1, affine, tracking running statistics, float32. */
    public BatchNorm2d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true, DType.FLOAT32);
    }

    /** Every option; a null momentum is PyTorch's {@code momentum=None}, the cumulative moving average. */
    public BatchNorm2d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats,
            DType dtype) {
        super(numFeatures, eps, momentum, affine, trackRunningStats, dtype);
    }

    @Override
    boolean acceptsRank(int rank) {
        return rank == 4;
    }

    @Override
    String expectedShape() {
        return "[N, C, H, W]";
    }
}
