package org.grad4j.nn;

import org.grad4j.core.Tensor;

/** {@link Activations#hardsigmoid(Tensor)} as a module, as {@code nn.Hardsigmoid}: {@code clamp(x / 6 + 1/2, 0, 1)}. */
public class Hardsigmoid extends Module {
    /** The activation; it has no parameters. */
    public Hardsigmoid() {
    }

    @Override
    public Tensor forward(Tensor x) {
        Args.notNull(x, "Hardsigmoid.forward", "x");
        return Activations.hardsigmoid(x);
    }
}
