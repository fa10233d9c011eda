package org.grad4j.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a {@link Trainer#fit} run measured, one {@link Epoch} per epoch, as Keras's {@code History}: the training
 * loss and metrics ({@code loss}, {@code accuracy}...), the validation ones ({@code val_loss},
 * {@code val_accuracy}...), the learning rate ({@code lr}) and the epoch's wall time.
 * <pre>{@code
 * History h = trainer.fit(train, validation);
 * double[] validationLoss = h.series("val_loss");
 * int best = h.bestEpoch("val_accuracy");     // 1-based
 * }</pre>
 */
public final class History {
    private final List<Epoch> epochs = new ArrayList<>();
    private ConfusionMatrix confusionMatrix;
    private final List<Path> images = new ArrayList<>();
    private String stopReason;

    /**
     * One epoch's results.
     *
     * @param epoch the epoch number, from 1
     * @param values metric name to value, in the order they were measured
     * @param seconds wall time of the epoch, validation included
     */
    public record Epoch(int epoch, Map<String, Double> values, double seconds) {
        /** The value of {@code name}; NaN when it was not measured. */
        public double get(String name) {
            Double v = values.get(name);
            return v == null ? Double.NaN : v;
        }
    }

    void add(int epoch, Map<String, Double> values, double seconds) {
        epochs.add(new Epoch(epoch, Collections.unmodifiableMap(new LinkedHashMap<>(values)), seconds));
    }

    void confusionMatrix(ConfusionMatrix matrix) {
        this.confusionMatrix = matrix;
    }

    void addImage(Path image) {
        images.add(image);
    }

    void stopReason(String reason) {
        this.stopReason = reason;
    }

    /** The epochs run, in order. */
    public List<Epoch> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    /** Number of epochs run. */
    public int size() {
        return epochs.size();
    }

    /** The last epoch's results; fails when no epoch ran. */
    public Epoch last() {
        if (epochs.isEmpty()) {
            throw new IllegalStateException("History: no epoch has run");
        }
        return epochs.get(epochs.size() - 1);
    }

    /** Every measured name, in first-seen order (e.g. loss, accuracy, val_loss, val_accuracy, lr). */
    public Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        for (Epoch e : epochs) names.addAll(e.values().keySet());
        return names;
    }

    /** The values of {@code name}, one per epoch (NaN where it was not measured). */
    public double[] series(String name) {
        double[] out = new double[epochs.size()];
        for (int i = 0; i < out.length; i++) out[i] = epochs.get(i).get(name);
        return out;
    }

    /**
     * The epoch (from 1) with the best value of {@code name}: the lowest for losses and errors, the highest
     * otherwise (see {@link Trainer#higherIsBetter(String)}); -1 when it was never measured.
     */
    public int bestEpoch(String name) {
        boolean higher = Trainer.higherIsBetter(name);
        int best = -1;
        double bestValue = Double.NaN;
        for (Epoch e : epochs) {
            double v = e.get(name);
            if (Double.isNaN(v)) continue;
            if (best < 0 || (higher ? v > bestValue : v < bestValue)) {
                best = e.epoch();
                bestValue = v;
            }
        }
        return best;
    }

    /** The confusion matrix on the validation data after training, for classifiers (see Trainer.Builder). */
    public Optional<ConfusionMatrix> confusionMatrix() {
        return Optional.ofNullable(confusionMatrix);
    }

    /** The pictures written at the end of the run (training curves, confusion matrix). */
    public List<Path> images() {
        return Collections.unmodifiableList(images);
    }

    /** Why training stopped before its last epoch (e.g. early stopping), if it did. */
    public Optional<String> stopReason() {
        return Optional.ofNullable(stopReason);
    }

    /** One line per epoch. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        for (Epoch e : epochs) {
            s.append("epoch ").append(e.epoch());
            e.values().forEach((k, v) -> s.append("  ").append(k).append(' ').append(Trainer.format(v)));
            s.append('\n');
        }
        return s.toString();
    }
}
