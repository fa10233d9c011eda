package org.grad4j.nn;

import java.util.random.RandomGenerator;
import org.grad4j.core.Tensor;

/**
 * Channel dropout, as {@code nn.Dropout2d}: in training mode each channel of {@code [N, C, H, W]} (or
 * {@code [C, H, W]}) is zeroed as a whole with probability {@code p}, the rest scaled by {@code 1 / (1 - p)}; in
 * evaluation mode the input is returned as is. Functional form: {@link Functional#dropout2d}.
 */
public class Dropout2d extends Module {
    private final double p;
    private final transient RandomGenerator rng;

    /** Probability {@code p} in [0, 1), masks from the thread's default generator. */
    public Dropout2d(double p) {
        this(p, null);
    }

    /** Probability {@code p} in [0, 1), masks from {@code rng}. */
    public Dropout2d(double p, RandomGenerator rng) {
        Activations.checkDropoutP(p);
        this.p = p;
        this.rng = rng;
    }

    @Override
    public Tensor forward(Tensor x) {
        Args.notNull(x, "Dropout2d.forward", "x");
        return Functional.dropout2d(x, p, isTraining(), rng == null ? Init.generator() : rng);
    }

    @Override
    protected String extraRepr() {
        return "p=" + p;
    }
}
