package org.grad4j.nn;

import org.grad4j.core.Tensor;

/** {@link Activations#sigmoid} as a module. */
public class Sigmoid extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return Activations.sigmoid(x);
    }
}
