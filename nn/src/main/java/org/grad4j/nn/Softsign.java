package org.grad4j.nn;

import org.grad4j.core.Tensor;

/** {@link Activations#softsign(Tensor)} as a module, as {@code nn.Softsign}: {@code x / (1 + |x|)}. */
public class Softsign extends Module {
    /** The activation; it has no parameters. */
    public Softsign() {
    }

    @Override
    public Tensor forward(Tensor x) {
        Args.notNull(x, "Softsign.forward", "x");
        return Activations.softsign(x);
    }
}
