package org.grad4j.nn;

import org.grad4j.core.Tensor;

/** {@link Activations#logSigmoid(Tensor)} as a module, as {@code nn.LogSigmoid}: {@code log(sigmoid(x))}, finite everywhere. */
public class LogSigmoid extends Module {
    /** The activation; it has no parameters. */
    public LogSigmoid() {
    }

    @Override
    public Tensor forward(Tensor x) {
        Args.notNull(x, "LogSigmoid.forward", "x");
        return Activations.logSigmoid(x);
    }
}
