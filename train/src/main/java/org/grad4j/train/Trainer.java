package org.grad4j.train;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.grad4j.core.Grad;
import org.grad4j.core.Grad4j;
import org.grad4j.core.Tensor;
import org.grad4j.nn.Loss;
import org.grad4j.nn.Module;
import org.grad4j.nn.data.DataLoader;
import org.grad4j.nn.data.Dataset;
import org.grad4j.nn.data.TensorDataset;
import org.grad4j.optim.Optimizer;

/**
 * The training loop for the common case, as Keras's {@code fit}: epochs of mini-batches, metrics, validation after
 * every epoch, callbacks, a per-epoch {@link History}, progress on the console and pictures at the end. The manual
 * loop ({@code forward, loss, zeroGrad, backward, step}) stays available and is what this runs.
 * <pre>{@code
 * Grad4j.manualSeed(42);
 * var model = new Sequential(new Linear(784, 128), new ReLU(), new Linear(128, 10));
 * Trainer trainer = Trainer.builder(model, new Adam(model.parameters()), new CrossEntropyLoss())
 *         .epochs(20).batchSize(64).seed(42)
 *         .metrics(Metrics.accuracy())
 *         .callbacks(EarlyStop.onValidationLoss(3), GradientClipping.norm(5))
 *         .classNames(Mnist.FASHION_CLASSES)               // confusion matrix of the validation set
 *         .plotsTo(Path.of("target/plots"))                 // training-curves.png, confusion-matrix.png
 *         .build();
 * History history = trainer.fit(train, validation);
 * }</pre>
 * Progress: a bar per epoch on a terminal, one line per epoch otherwise ({@link Progress}); the line ends with the
 * epoch's wall time (validation included) and the training pass's samples per second. Each epoch's values are
 * {@code loss}, the metrics, {@code val_loss} and {@code val_<metric>} when there is validation data, and
 * {@code lr} (the first parameter group's learning rate during the epoch). The training loss is the mean of the
 * batch losses weighted by batch size, measured while the weights change, as Keras and PyTorch's usual loops do;
 * validation runs in {@link Module#eval() eval} mode without recording.
 */
public final class Trainer {
    private final Module model;
    private final Optimizer optimizer;
    private final Loss loss;
    private final int epochs;
    private final int batchSize;
    private final Long seed;
    private final List<Metric> metrics;
    private final List<Callback> callbacks;
    private final Progress progress;
    private final PrintStream out;
    private final Path plotsDirectory;
    private final List<String> classNames;
    private final boolean confusionMatrix;

    private Trainer(Builder b) {
        this.model = b.model;
        this.optimizer = b.optimizer;
        this.loss = b.loss;
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.seed = b.seed;
        this.metrics = List.copyOf(b.metrics);
        this.callbacks = List.copyOf(b.callbacks);
        this.progress = b.progress;
        this.out = b.out;
        this.plotsDirectory = b.plotsDirectory;
        this.classNames = b.classNames;
        this.confusionMatrix = b.confusionMatrix;
    }

    /** A trainer for {@code model}, stepped by {@code optimizer}, minimising {@code loss}. */
    public static Builder builder(Module model, Optimizer optimizer, Loss loss) {
        return new Builder(model, optimizer, loss);
    }

    /**
     * Trains on {@code train} (shuffled every epoch, in batches of the builder's size; seeded by its seed, else
     * from {@link Grad4j}) and validates on {@code validation} after every epoch ({@code null} for none).
     */
    public History fit(Dataset train, Dataset validation) {
        if (seed != null) {
            Grad4j.manualSeed(seed);
        }
        DataLoader trainLoader = new DataLoader(train, batchSize, true, Grad4j.generator().nextLong());
        DataLoader validationLoader = validation == null ? null : new DataLoader(validation, batchSize, false, 0);
        return fit(trainLoader, validationLoader);
    }

    /** Trains with loaders of your own (their batch size, shuffling and transforms); {@code validation} may be null. */
    public History fit(DataLoader train, DataLoader validation) {
        if (train == null) {
            throw new IllegalArgumentException("Trainer.fit: no training data");
        }
        if (train.batchesPerEpoch() == 0) {
            throw new IllegalArgumentException("Trainer.fit: the training data has no batches (" + train.dataset()
                    .size() + " samples, batch size " + train.batchSize() + ")");
        }
        Progress mode = progress.resolve();
        PrintStream log = mode == Progress.NONE ? null : out;
        History history = new History();
        TrainingContext context = new TrainingContext(model, optimizer, history, log);
        for (Callback c : callbacks) c.onTrainBegin(context);
        int width = Integer.toString(epochs).length();
        for (int epoch = 1; epoch <= epochs && !context.stopRequested(); epoch++) {
            long start = System.nanoTime();
            for (Callback c : callbacks) c.onEpochBegin(context, epoch);
            String prefix = String.format("epoch %" + width + "d/%d", epoch, epochs);
            Progress.Bar bar = mode == Progress.BAR ? new Progress.Bar(out, prefix, train.batchesPerEpoch()) : null;
            double lr = optimizer.paramGroups().get(0).lr();
            Map<String, Double> values = trainOneEpoch(train, context, bar);
            double trainSeconds = (System.nanoTime() - start) / 1e9;
            if (validation != null) {
                evaluate(validation).forEach((name, v) -> values.put("val_" + name, v));
            }
            values.put("lr", lr);
            double seconds = (System.nanoTime() - start) / 1e9;
            history.add(epoch, values, seconds);
            String line = prefix + "  " + describe(values) + String.format(Locale.ROOT, "  (%s, %,.0f samples/s)",
                    duration(seconds), train.samplesPerEpoch() / trainSeconds);
            if (bar != null) {
                bar.finish(line);
            } else if (log != null) {
                log.println(line);
            }
            for (Callback c : callbacks) c.onEpochEnd(context, epoch, values);
        }
        if (context.stopRequested()) {
            history.stopReason(context.stopReason());
            context.log(context.stopReason());
        }
        for (Callback c : callbacks) c.onTrainEnd(context);
        finish(history, validation != null ? validation : train);
        return history;
    }

    private Map<String, Double> trainOneEpoch(DataLoader train, TrainingContext context, Progress.Bar bar) {
        model.train();
        for (Metric m : metrics) m.reset();
        double lossSum = 0;
        long samples = 0;
        int batchIndex = 0;
        for (TensorDataset.Batch batch : train) {
            Tensor output = model.forward(batch.features());
            Tensor batchLoss = loss.forward(output, batch.targets());
            optimizer.zeroGrad();
            batchLoss.backward();
            for (Callback c : callbacks) c.afterBackward(context);
            optimizer.step();
            double value = batchLoss.item();
            int n = batch.size();
            lossSum += value * n;
            samples += n;
            Tensor detached = output.detach();
            Grad.noGrad(() -> {
                for (Metric m : metrics) m.update(detached, batch.targets());
            });
            for (Callback c : callbacks) c.onBatchEnd(context, batchIndex, value);
            batchIndex++;
            if (bar != null) bar.update(batchIndex, samples, lossSum / samples);
        }
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("loss", lossSum / samples);
        for (Metric m : metrics) values.put(m.name(), m.result());
        return values;
    }

    /**
     * The loss and the metrics over {@code data}, in eval mode without recording; the model's mode is restored.
     */
    public Map<String, Double> evaluate(DataLoader data) {
        boolean wasTraining = model.isTraining();
        model.eval();
        try {
            return Grad.noGrad(() -> {
                for (Metric m : metrics) m.reset();
                double lossSum = 0;
                long samples = 0;
                for (TensorDataset.Batch batch : data) {
                    Tensor output = model.forward(batch.features());
                    lossSum += loss.forward(output, batch.targets()).item() * batch.size();
                    samples += batch.size();
                    for (Metric m : metrics) m.update(output, batch.targets());
                }
                Map<String, Double> values = new LinkedHashMap<>();
                values.put("loss", samples == 0 ? Double.NaN : lossSum / samples);
                for (Metric m : metrics) values.put(m.name(), m.result());
                return values;
            });
        } finally {
            model.train(wasTraining);
        }
    }

    /** {@link #evaluate(DataLoader)} over a dataset, in batches of the builder's size. */
    public Map<String, Double> evaluate(Dataset data) {
        return evaluate(new DataLoader(data, batchSize, false, 0));
    }

    /** The confusion matrix of the model over {@code data} (eval mode, no recording). */
    public ConfusionMatrix confusionMatrix(DataLoader data) {
        boolean wasTraining = model.isTraining();
        model.eval();
        try {
            return Grad.noGrad(() -> {
                ConfusionMatrix matrix = null;
                for (TensorDataset.Batch batch : data) {
                    Tensor output = model.forward(batch.features());
                    if (matrix == null) {
                        int classes = output.dim() == 2 && output.size(1) > 1 ? output.size(1) : 2;
                        matrix = new ConfusionMatrix(classNames != null ? classNames.size() : classes);
                    }
                    matrix.update(output, batch.targets());
                }
                return matrix;
            });
        } finally {
            model.train(wasTraining);
        }
    }

    private void finish(History history, DataLoader confusionData) {
        if (confusionMatrix || classNames != null) {
            history.confusionMatrix(confusionMatrix(confusionData));
        }
        if (plotsDirectory == null || history.size() == 0) {
            return;
        }
        try {
            history.addImage(Charts.writeTrainingCurves(history, plotsDirectory.resolve("training-curves.png")));
            if (history.confusionMatrix().isPresent()) {
                history.addImage(Charts.writeConfusionMatrix(history.confusionMatrix().get(), classNames,
                        plotsDirectory.resolve("confusion-matrix.png")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Trainer: could not write the pictures to " + plotsDirectory + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Whether larger values of a history name are better: false for losses and errors ({@code loss},
     * {@code val_loss}, {@code mae}, {@code rmse}, {@code mse}, anything with "loss" or "error"), true otherwise.
     */
    public static boolean higherIsBetter(String name) {
        String n = name.startsWith("val_") ? name.substring(4) : name;
        return !(n.contains("loss") || n.contains("error") || n.equals("mae") || n.equals("rmse") || n.equals("mse")
                || n.equals("lr"));
    }

    static String describe(Map<String, Double> values) {
        StringBuilder s = new StringBuilder();
        values.forEach((name, v) -> {
            if (s.length() > 0) s.append("  ");
            s.append(name).append(' ').append(format(v));
        });
        return s.toString();
    }

    /** A value as the progress lines show it: 4 decimals, or scientific for very small or large values. */
    static String format(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return Double.toString(v);
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e5)) return String.format(Locale.ROOT, "%.3e", v);
        return String.format(Locale.ROOT, "%.4f", v);
    }

    /** A duration as {@code 0.42 s}, {@code 12.3 s} or {@code 3:05}. */
    static String duration(double seconds) {
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)) return "-";
        if (seconds < 10) return String.format(Locale.ROOT, "%.2f s", seconds);
        if (seconds < 60) return String.format(Locale.ROOT, "%.1f s", seconds);
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    /** Options of a {@link Trainer}; every one has a default. */
    public static final class Builder {
        private final Module model;
        private final Optimizer optimizer;
        private final Loss loss;
        private int epochs = 10;
        private int batchSize = 32;
        private Long seed;
        private final List<Metric> metrics = new ArrayList<>();
        private final List<Callback> callbacks = new ArrayList<>();
        private Progress progress = Progress.AUTO;
        private PrintStream out = System.out;
        private Path plotsDirectory;
        private List<String> classNames;
        private boolean confusionMatrix;

        private Builder(Module model, Optimizer optimizer, Loss loss) {
            if (model == null || optimizer == null || loss == null) {
                throw new IllegalArgumentException("Trainer.builder: model, optimizer and loss are all required, got"
                        + " model=" + model + ", optimizer=" + optimizer + ", loss=" + loss);
            }
            this.model = model;
            this.optimizer = optimizer;
            this.loss = loss;
        }

        /** Number of epochs (default 10); callbacks may stop earlier. */
        public Builder epochs(int epochs) {
            if (epochs < 1) {
                throw new IllegalArgumentException("Trainer: epochs must be >= 1, got " + epochs);
            }
            this.epochs = epochs;
            return this;
        }

        /** Samples per batch when {@code fit} is given datasets (default 32). */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("Trainer: batchSize must be >= 1, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Seeds {@link Grad4j#manualSeed} when {@code fit} starts, so shuffling and dropout repeat. Weights are
         * initialised when the model is built, before: call {@code Grad4j.manualSeed} before building it too.
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Metrics measured on training and validation data, in this order (the loss is always measured). */
        public Builder metrics(Metric... metrics) {
            this.metrics.addAll(List.of(metrics));
            return this;
        }

        /** Callbacks, run in this order (after any given before). */
        public Builder callbacks(Callback... callbacks) {
            this.callbacks.addAll(List.of(callbacks));
            return this;
        }

        /** How progress is shown (default {@link Progress#AUTO}). */
        public Builder progress(Progress progress) {
            this.progress = java.util.Objects.requireNonNull(progress, "progress");
            return this;
        }

        /** Where progress goes (default {@code System.out}). */
        public Builder output(PrintStream out) {
            this.out = java.util.Objects.requireNonNull(out, "out");
            return this;
        }

        /**
         * Writes {@code training-curves.png} (loss and the first metric, training and validation, per epoch) and,
         * for classifiers with a confusion matrix, {@code confusion-matrix.png} to this directory at the end.
         */
        public Builder plotsTo(Path directory) {
            this.plotsDirectory = directory;
            return this;
        }

        /** Computes a confusion matrix on the validation data after training, with these class names. */
        public Builder classNames(List<String> classNames) {
            this.classNames = List.copyOf(classNames);
            return this;
        }

        /** Computes a confusion matrix on the validation data after training, classes numbered from 0. */
        public Builder confusionMatrix(boolean enabled) {
            this.confusionMatrix = enabled;
            return this;
        }

        /** The trainer. */
        public Trainer build() {
            return new Trainer(this);
        }
    }
}
