package org.grad4j.nn;

import org.grad4j.core.Tensor;

/** {@link Activations#selu(Tensor)} as a module, as {@code nn.SELU}: {@code scale * elu(x, alpha)} with the self-normalising constants. */
public class SELU extends Module {
    /** The activation; it has no parameters. */
    public SELU() {
    }

    @Override
    public Tensor forward(Tensor x) {
        Args.notNull(x, "SELU.forward", "x");
        return Activations.selu(x);
    }
}
