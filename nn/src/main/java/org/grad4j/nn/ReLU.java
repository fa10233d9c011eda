package org.grad4j.nn;

import org.grad4j.core.Tensor;

/** {@link Activations#relu} as a module: {@code new Sequential(new Linear(4, 8), new ReLU())}. */
public class ReLU extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return Activations.relu(x);
    }
}
