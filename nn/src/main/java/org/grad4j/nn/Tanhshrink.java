package org.grad4j.nn;

import org.grad4j.core.Tensor;

/** {@link Activations#tanhshrink(Tensor)} as a module, as {@code nn.Tanhshrink}: {@code x - tanh(x)}. */
public class Tanhshrink extends Module {
    /** The activation; it has no parameters. */
    public Tanhshrink() {
    }

    @Override
    public Tensor forward(Tensor x) {
        Args.notNull(x, "Tanhshrink.forward", "x");
        return Activations.tanhshrink(x);
    }
}
