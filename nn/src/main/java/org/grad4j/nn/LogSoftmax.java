package org.grad4j.nn;

import org.grad4j.core.Tensor;

/** {@link Activations#logSoftmax} along a fixed dim, as a module; pair it with {@link NLLLoss}. */
public class LogSoftmax extends Module {
    private final int dim;

    /** Log-softmax along {@code dim} (negative counts from the end). */
    public LogSoftmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Activations.logSoftmax(x, dim);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
