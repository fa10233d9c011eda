package org.grad4j.nn;

import org.grad4j.core.Tensor;

/** {@link Activations#mish(Tensor)} as a module, as {@code nn.Mish}: {@code x tanh(softplus(x))}. */
public class Mish extends Module {
    /** The activation; it has no parameters. */
    public Mish() {
    }

    @Override
    public Tensor forward(Tensor x) {
        Args.notNull(x, "Mish.forward", "x");
        return Activations.mish(x);
    }
}
