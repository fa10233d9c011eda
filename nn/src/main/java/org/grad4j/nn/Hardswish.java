package org.grad4j.nn;

import org.grad4j.core.Tensor;

/** {@link Activations#hardswish(Tensor)} as a module, as {@code nn.Hardswish}: {@code x * hardsigmoid(x)}. */
public class Hardswish extends Module {
    /** The activation; it has no parameters. */
    public Hardswish() {
    }

    @Override
    public Tensor forward(Tensor x) {
        Args.notNull(x, "Hardswish.forward", "x");
        return Activations.hardswish(x);
    }
}
