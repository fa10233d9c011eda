package org.grad4j.nn;

import org.grad4j.core.Tensor;

/**
 * {@link Activations#softmax} along a fixed dim, as a module: {@code new Softmax(-1)} normalises the last dim.
 */
public class Softmax extends Module {
    private final int dim;

    /** Softmax along {@code dim} (negative counts from the end). */
    public Softmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Activations.softmax(x, dim);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
