package org.grad4j.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Saves the model (safetensors, atomically) whenever a monitored value reaches a new best, as Keras's
 * {@code ModelCheckpoint(save_best_only=True)}; the file then always holds the best weights seen.
 * <pre>{@code
 * .callbacks(new BestCheckpoint(Path.of("target/best.safetensors"), "val_accuracy"))
 * }</pre>
 */
public final class BestCheckpoint implements Callback {
    private final Path file;
    private final String monitor;
    private double best = Double.NaN;
    private int bestEpoch = -1;

    /** Saves to {@code file} when {@code monitor} improves (lower for losses and errors, else higher). */
    public BestCheckpoint(Path file, String monitor) {
        this.file = file;
        this.monitor = monitor;
    }

    @Override
    public void onEpochEnd(TrainingContext context, int epoch, Map<String, Double> values) {
        Double value = values.get(monitor);
        if (value == null) {
            throw new IllegalStateException("BestCheckpoint: '" + monitor + "' was not measured; measured are "
                    + values.keySet());
        }
        if (Double.isNaN(value)) return;
        boolean higher = Trainer.higherIsBetter(monitor);
        if (bestEpoch < 0 || (higher ? value > best : value < best)) {
            best = value;
            bestEpoch = epoch;
            try {
                Path parent = file.toAbsolutePath().getParent();
                if (parent != null) Files.createDirectories(parent);
                context.model().save(file, Map.of("epoch", Integer.toString(epoch), monitor, Double.toString(value)));
            } catch (IOException e) {
                throw new UncheckedIOException("BestCheckpoint: could not write " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /** The epoch (from 1) whose weights the file holds, or -1. */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** The checkpoint file. */
    public Path file() {
        return file;
    }
}
