package org.grad4j.nn;

import org.grad4j.core.Tensor;

/**
 * {@link Activations#gelu(Tensor, Activations.GeluApproximation)} as a module: exact (erf) by default, as PyTorch;
 * {@code new GELU(GeluApproximation.TANH)} for the tanh approximation.
 */
public class GELU extends Module {
    private final Activations.GeluApproximation approximation;

    /** The exact GELU, {@code x * Phi(x)} with the error function. */
    public GELU() {
        this(Activations.GeluApproximation.NONE);
    }

    /** GELU with the given formula (exact, or PyTorch's tanh approximation). */
    public GELU(Activations.GeluApproximation approximation) {
        this.approximation = Args.notNull(approximation, "GELU", "approximation");
    }

    @Override
    public Tensor forward(Tensor x) {
        return Activations.gelu(x, approximation);
    }

    @Override
    protected String extraRepr() {
        return approximation == Activations.GeluApproximation.NONE ? "" : "approximation=" + approximation;
    }
}
