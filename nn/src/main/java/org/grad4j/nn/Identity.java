package org.grad4j.nn;

import org.grad4j.core.Tensor;

/** Returns its input unchanged (the same tensor), as {@code nn.Identity}; a placeholder in a {@link Sequential}. */
public class Identity extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x;
    }
}
