package org.grad4j.nn;

import org.grad4j.core.Tensor;

/**
 * Max pooling to a fixed output size, as {@code nn.AdaptiveMaxPool2d}, with the windows of
 * {@link AdaptiveAvgPool2d}. Functional form: {@link Functional#adaptiveMaxPool2d}.
 */
public class AdaptiveMaxPool2d extends Module {
    private final int outH;
    private final int outW;

    /** Output {@code [.., outH, outW]}. */
    public AdaptiveMaxPool2d(int outH, int outW) {
        this.outH = outH;
        this.outW = outW;
    }

    @Override
    public Tensor forward(Tensor x) {
        Args.notNull(x, "AdaptiveMaxPool2d.forward", "x");
        return Functional.adaptiveMaxPool2d(x, outH, outW);
    }

    /** {@code {values, indices}}, the indices (int64) being flat positions in each input plane. */
    public Tensor[] forwardWithIndices(Tensor x) {
        Args.notNull(x, "AdaptiveMaxPool2d.forwardWithIndices", "x");
        return Functional.adaptiveMaxPool2dWithIndices(x, outH, outW);
    }

    @Override
    protected String extraRepr() {
        return "outputSize=[" + outH + ", " + outW + "]";
    }
}
