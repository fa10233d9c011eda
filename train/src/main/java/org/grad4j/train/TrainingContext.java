package org.grad4j.train;

import java.io.PrintStream;
import org.grad4j.nn.Module;
import org.grad4j.optim.Optimizer;

/** What a {@link Callback} sees of a running {@link Trainer#fit}: the model, the optimizer, the history so far. */
public final class TrainingContext {
    private final Module model;
    private final Optimizer optimizer;
    private final History history;
    private final PrintStream out;
    private String stopReason;

    TrainingContext(Module model, Optimizer optimizer, History history, PrintStream out) {
        this.model = model;
        this.optimizer = optimizer;
        this.history = history;
        this.out = out;
    }

    /** The model being trained. */
    public Module model() {
        return model;
    }

    /** The optimizer stepping it. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** The epochs finished so far. */
    public History history() {
        return history;
    }

    /** Asks the trainer to stop after the current epoch; {@code reason} is printed and kept in the history. */
    public void stop(String reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
    }

    /** Whether a callback asked to stop. */
    public boolean stopRequested() {
        return stopReason != null;
    }

    /** The reason given to {@link #stop(String)}, or null. */
    public String stopReason() {
        return stopReason;
    }

    /** Prints a note on the trainer's output (on its own line, after the epoch's line); nothing when silent. */
    public void log(String message) {
        if (out != null) {
            out.println("  " + message);
        }
    }
}
