package org.grad4j.nn;

import java.util.random.RandomGenerator;
import org.grad4j.core.DType;

/**
 * {@link Linear} under the name Keras users know; identical in every respect but the printed name.
 * <pre>{@code
 * Module layer = new Dense(784, 10);
 * }</pre>
 */
public class Dense extends Linear {
    /** Same as {@link Linear#Linear(int, int)}. */
    public Dense(int inFeatures, int outFeatures) {
        super(inFeatures, outFeatures);
    }

    /** Same as {@link Linear#Linear(int, int, boolean)}. */
    public Dense(int inFeatures, int outFeatures, boolean bias) {
        super(inFeatures, outFeatures, bias);
    }

    /** Same as {@link Linear#Linear(int, int, boolean, DType, RandomGenerator)}. */
    public Dense(int inFeatures, int outFeatures, boolean bias, DType dtype, RandomGenerator rng) {
        super(inFeatures, outFeatures, bias, dtype, rng);
    }
}
