package org.grad4j.nn;

import org.grad4j.core.Tensor;

/**
 * Average pooling to a fixed output size whatever the input size, as {@code nn.AdaptiveAvgPool2d}: output cell
 * {@code i} averages input rows {@code [floor(i H / outH), ceil((i + 1) H / outH))} (and likewise for columns).
 * {@code new AdaptiveAvgPool2d(1, 1)} is global average pooling. Functional form: {@link Functional#adaptiveAvgPool2d}.
 */
public class AdaptiveAvgPool2d extends Module {
    private final int outH;
    private final int outW;

    /** Output {@code [.., outH, outW]}. */
    public AdaptiveAvgPool2d(int outH, int outW) {
        this.outH = outH;
        this.outW = outW;
    }

    @Override
    public Tensor forward(Tensor x) {
        Args.notNull(x, "AdaptiveAvgPool2d.forward", "x");
        return Functional.adaptiveAvgPool2d(x, outH, outW);
    }

    @Override
    protected String extraRepr() {
        return "outputSize=[" + outH + ", " + outW + "]";
    }
}
