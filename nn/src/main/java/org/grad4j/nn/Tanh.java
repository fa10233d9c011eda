package org.grad4j.nn;

import org.grad4j.core.Tensor;

/** {@link Activations#tanh} as a module. */
public class Tanh extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return Activations.tanh(x);
    }
}
