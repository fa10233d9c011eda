package org.grad4j.nn;

import java.util.random.RandomGenerator;
import org.grad4j.core.Tensor;

/**
 * Inverted dropout, as {@code nn.Dropout}: in training mode each element is zeroed with probability {@code p} and
 * the survivors are scaled by {@code 1 / (1 - p)}, so the expected value is unchanged; in evaluation mode
 * ({@link Module#eval()}) the input is returned as is.
 * <pre>{@code
 * Dropout drop = new Dropout(0.5, new SplittableRandom(1));   // the same masks on every run
 * Tensor y = drop.forward(x);            // training: about half the elements are 0, the rest doubled
 * drop.eval();
 * drop.forward(x) == x;                  // true
 * }</pre>
 * The gradient is the same mask times the same scale.
 */
public class Dropout extends Module {
    private final double p;
    private final transient RandomGenerator rng;

    /**
     * Dropout with probability {@code p} in [0, 1), drawing masks from the default generator
     * ({@link Init#generator()}, seeded by {@code Grad4j.manualSeed}).
     */
    public Dropout(double p) {
        this(p, null);
    }

    /** Dropout with probability {@code p} in [0, 1), drawing masks from {@code rng}. */
    public Dropout(double p, RandomGenerator rng) {
        Activations.checkDropoutP(p);
        this.p = p;
        this.rng = rng;
    }

    @Override
    public Tensor forward(Tensor x) {
        Args.notNull(x, "Dropout.forward", "x");
        return Activations.dropout(x, p, isTraining(), rng == null ? Init.generator() : rng);
    }

    /** The drop probability. */
    public double p() {
        return p;
    }

    @Override
    protected String extraRepr() {
        return "p=" + p;
    }
}
