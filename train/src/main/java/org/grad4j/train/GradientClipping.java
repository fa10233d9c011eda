package org.grad4j.train;

import org.grad4j.optim.ClipGrad;

/**
 * Clips the model's gradients after every backward pass, before the optimizer step, with {@link ClipGrad}.
 * <pre>{@code
 * .callbacks(GradientClipping.norm(1.0))     // total 2-norm at most 1
 * .callbacks(GradientClipping.value(0.5))    // every element in [-0.5, 0.5]
 * }</pre>
 */
public final class GradientClipping implements Callback {
    private final double limit;
    private final boolean byNorm;
    private double lastNorm = Double.NaN;

    private GradientClipping(double limit, boolean byNorm) {
        if (!(limit > 0)) {
            throw new IllegalArgumentException("GradientClipping: the limit must be positive, got " + limit);
        }
        this.limit = limit;
        this.byNorm = byNorm;
    }

    /** Rescales all gradients together so their total 2-norm is at most {@code maxNorm}. */
    public static GradientClipping norm(double maxNorm) {
        return new GradientClipping(maxNorm, true);
    }

    /** Clamps every gradient element to {@code [-clipValue, clipValue]}. */
    public static GradientClipping value(double clipValue) {
        return new GradientClipping(clipValue, false);
    }

    @Override
    public void afterBackward(TrainingContext context) {
        if (byNorm) {
            lastNorm = ClipGrad.clipGradNorm(context.model().parameters(), limit);
        } else {
            ClipGrad.clipGradValue(context.model().parameters(), limit);
        }
    }

    /** The total gradient norm before clipping at the last step (norm clipping only; NaN otherwise). */
    public double lastNorm() {
        return lastNorm;
    }
}
