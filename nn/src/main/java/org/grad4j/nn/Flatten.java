package org.grad4j.nn;

import org.grad4j.core.Tensor;

/**
 * Flattens dims {@code startDim..endDim} (inclusive; negative counts from the end) into one, as
 * {@code nn.Flatten}. The default {@code (1, -1)} keeps the batch dim: {@code [N, C, H, W] -> [N, C*H*W]}.
 * <pre>{@code
 * new Flatten().forward(Tensor.zeros(2, 3, 4)).shape();   // [2, 12]
 * }</pre>
 */
public class Flatten extends Module {
    private final int startDim;
    private final int endDim;

    /** Flattens all dims but the first (the batch dim). */
    public Flatten() {
        this(1, -1);
    }

    /** Flattens dims {@code startDim..endDim}, both inclusive. */
    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override
    public Tensor forward(Tensor x) {
        Args.notNull(x, "Flatten.forward", "x");
        return x.flatten(startDim, endDim);
    }

    @Override
    protected String extraRepr() {
        return "startDim=" + startDim + ", endDim=" + endDim;
    }
}
