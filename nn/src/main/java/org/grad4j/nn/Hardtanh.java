package org.grad4j.nn;

import org.grad4j.core.Tensor;

/** {@link Activations#hardtanh(Tensor, double, double)} as a module, as {@code nn.Hardtanh} (defaults -1, 1). */
public class Hardtanh extends Module {
    private final double min;
    private final double max;

    /** Clamps to [-1, 1]. */
    public Hardtanh() {
        this(-1, 1);
    }

    /** Clamps to [min, max]. */
    public Hardtanh(double min, double max) {
        if (!(min <= max)) {
            throw new IllegalArgumentException("Hardtanh: min (" + min + ") must not exceed max (" + max + ")");
        }
        this.min = min;
        this.max = max;
    }

    @Override
    public Tensor forward(Tensor x) {
        Args.notNull(x, "Hardtanh.forward", "x");
        return Activations.hardtanh(x, min, max);
    }

    @Override
    protected String extraRepr() {
        return "min=" + min + ", max=" + max;
    }
}
