package org.grad4j.nn;

import org.grad4j.core.Tensor;

/** {@link Activations#silu} (swish, {@code x * sigmoid(x)}) as a module. */
public class SiLU extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return Activations.silu(x);
    }
}
