package org.grad4j.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.grad4j.core.Tensor;
import org.grad4j.nn.Loss;
import org.grad4j.nn.Module;
import org.grad4j.optim.LRScheduler;
import org.grad4j.optim.Optimizer;

/**
 * Synchronous data-parallel mini-batch training of a grad4j model on Apache Spark.
 *
 * <p>Each step, every partition computes the gradient of its share of the global batch (see {@link BatchPlan}) with
 * an ordinary grad4j model, the gradients are summed weighted by the shares, and the optimizer steps once: a step
 * equals a single-machine step on the combined batch, up to the order in which floats are summed. The loss must be
 * the mean over the batch ({@code Reduction.MEAN}, without class weights or an ignore index, whose weighted means do
 * not split over partitions).
 *
 * <pre>{@code
 * DistributedTrainer trainer = DistributedTrainer.builder()
 *         .model(() -> new Sequential(new Linear(4, 16, true, DType.FLOAT64, new Random(1)), new ReLU(),
 *                                     new Linear(16, 3, true, DType.FLOAT64, new Random(2))))
 *         .loss(CrossEntropyLoss::new)
 *         .optimizer(params -> new Adam(params, Adam.options().lr(1e-2)))
 *         .labels(Labels.CLASS_INDEX)
 *         .batchSize(64)
 *         .seed(42)
 *         .build();
 * try (TrainingRun run = trainer.start(examples)) {        // JavaRDD<Example>, cached by the run
 *     run.trainEpochs(10, validation);                      // progress goes to the listener
 *     run.model().save(Path.of("model.safetensors"));
 * }
 * }</pre>
 *
 * <p>The model factory must build the same architecture every time; its initial values matter only on the driver
 * (the tasks receive the driver's parameters). Models with buffers updated during training (running statistics) are
 * not supported: buffers are not synchronised.
 */
public final class DistributedTrainer {
    final SerializableSupplier<? extends Module> modelFactory;
    final SerializableSupplier<? extends Loss> lossFactory;
    final SerializableFunction<List<Tensor>, ? extends Optimizer> optimizerFactory;
    final Function<Optimizer, ? extends LRScheduler> schedulerFactory;
    final boolean schedulerPerStep;
    final Labels labels;
    final int batchSize;
    final long seed;
    final Strategy strategy;
    final long slicedThreshold;
    final int localSteps;
    final double clipGradNorm;
    final double clipGradValue;
    final int treeDepth;
    final TrainingListener listener;

    private DistributedTrainer(Builder b) {
        this.modelFactory = Objects.requireNonNull(b.modelFactory, "DistributedTrainer: model(...) is required");
        this.lossFactory = Objects.requireNonNull(b.lossFactory, "DistributedTrainer: loss(...) is required");
        this.optimizerFactory = Objects.requireNonNull(b.optimizerFactory,
                "DistributedTrainer: optimizer(...) is required");
        this.schedulerFactory = b.schedulerFactory;
        this.schedulerPerStep = b.schedulerPerStep;
        this.labels = b.labels;
        this.batchSize = b.batchSize;
        this.seed = b.seed;
        this.strategy = b.strategy;
        this.slicedThreshold = b.slicedThreshold;
        this.localSteps = b.localSteps;
        this.clipGradNorm = b.clipGradNorm;
        this.clipGradValue = b.clipGradValue;
        this.treeDepth = b.treeDepth;
        this.listener = b.listener;
        if (strategy == Strategy.SLICED && localSteps > 1) {
            throw new IllegalArgumentException("DistributedTrainer: local steps average whole models on the driver;"
                    + " use Strategy.DRIVER (or AUTO) with localSteps(" + localSteps + ")");
        }
        if (strategy == Strategy.SLICED && clipGradNorm > 0) {
            throw new IllegalArgumentException("DistributedTrainer: clipGradNorm needs the whole gradient, which the"
                    + " sliced strategy never gathers; use Strategy.DRIVER, or clipGradValue");
        }
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts a run on {@code data} (cached for the run's lifetime) from the model factory's initial parameters. */
    public TrainingRun start(JavaRDD<Example> data) {
        try {
            return new TrainingRun(this, data, null);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // only restoring a checkpoint reads files
        }
    }

    /** Starts a run on a Spark SQL table: numeric feature columns and a numeric label column. */
    public TrainingRun start(Dataset<Row> data, String labelColumn, String... featureColumns) {
        return start(Examples.fromDataset(data, labelColumn, featureColumns));
    }

    /**
     * Continues a run saved by {@link TrainingRun#saveCheckpoint}: model, optimizer and scheduler state, and the step
     * (the data position). With the same data, partitioning and settings, the run goes on exactly as if it had not
     * stopped.
     */
    public TrainingRun resume(JavaRDD<Example> data, Path checkpoint) throws IOException {
        return new TrainingRun(this, data, Checkpoint.read(checkpoint));
    }

    /** Configures a {@link DistributedTrainer}. */
    public static final class Builder {
        private SerializableSupplier<? extends Module> modelFactory;
        private SerializableSupplier<? extends Loss> lossFactory;
        private SerializableFunction<List<Tensor>, ? extends Optimizer> optimizerFactory;
        private Function<Optimizer, ? extends LRScheduler> schedulerFactory;
        private boolean schedulerPerStep;
        private Labels labels = Labels.VALUES;
        private int batchSize = 32;
        private long seed = 0;
        private Strategy strategy = Strategy.AUTO;
        private long slicedThreshold = 250_000;
        private int localSteps = 1;
        private double clipGradNorm;
        private double clipGradValue;
        private int treeDepth = 2;
        private TrainingListener listener = new TrainingListener() {
        };

        private Builder() {
        }

        /** Builds the model, on the driver and once per executor thread. */
        public Builder model(SerializableSupplier<? extends Module> factory) {
            this.modelFactory = Objects.requireNonNull(factory, "model factory");
            return this;
        }

        /** Builds the loss; it must return the mean over the batch. */
        public Builder loss(SerializableSupplier<? extends Loss> factory) {
            this.lossFactory = Objects.requireNonNull(factory, "loss factory");
            return this;
        }

        /**
         * Builds the optimizer over a parameter list: the model's parameters on the driver, or one flat slice
         * tensor per owner with {@link Strategy#SLICED}.
         */
        public Builder optimizer(SerializableFunction<List<Tensor>, ? extends Optimizer> factory) {
            this.optimizerFactory = Objects.requireNonNull(factory, "optimizer factory");
            return this;
        }

        /**
         * A learning-rate scheduler over the driver's optimizer, stepped after every epoch (or every step when
         * {@code perStep}); its rates reach the tasks with each step.
         */
        public Builder scheduler(Function<Optimizer, ? extends LRScheduler> factory, boolean perStep) {
            this.schedulerFactory = Objects.requireNonNull(factory, "scheduler factory");
            this.schedulerPerStep = perStep;
            return this;
        }

        /** How labels become targets (default {@link Labels#VALUES}). */
        public Builder labels(Labels labels) {
            this.labels = Objects.requireNonNull(labels, "labels");
            return this;
        }

        /** The global batch size, split over the partitions (default 32). */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("DistributedTrainer: batch size must be >= 1, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** The seed of the per-epoch shuffles (default 0). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The synchronisation strategy (default {@link Strategy#AUTO}). */
        public Builder strategy(Strategy strategy) {
            this.strategy = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /** The parameter count from which {@link Strategy#AUTO} picks {@link Strategy#SLICED} (default 250,000). */
        public Builder slicedThreshold(long parameters) {
            this.slicedThreshold = parameters;
            return this;
        }

        /**
         * Every partition takes {@code k} steps with its own optimizer on its own shares before the parameters are
         * averaged (weighted by the shares). Fewer synchronisations, but NOT the same as single-machine training:
         * the partitions' optimizers start afresh each round (momentum and Adam's moments do not carry over), and
         * the average of k local steps differs from k global steps. {@code k = 1} (the default) is exact.
         */
        public Builder localSteps(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("DistributedTrainer: local steps must be >= 1, got " + k);
            }
            this.localSteps = k;
            return this;
        }

        /** Scales the summed gradient to a 2-norm of at most {@code maxNorm} before each step (driver strategy). */
        public Builder clipGradNorm(double maxNorm) {
            if (!(maxNorm > 0)) {
                throw new IllegalArgumentException("DistributedTrainer: clipGradNorm needs maxNorm > 0, got " + maxNorm);
            }
            this.clipGradNorm = maxNorm;
            return this;
        }

        /** Clamps each element of the summed gradient to {@code [-v, v]} before each step. */
        public Builder clipGradValue(double v) {
            if (!(v > 0)) {
                throw new IllegalArgumentException("DistributedTrainer: clipGradValue needs a value > 0, got " + v);
            }
            this.clipGradValue = v;
            return this;
        }

        /** The depth of {@code treeAggregate} in the driver strategy (default 2). */
        public Builder treeDepth(int depth) {
            if (depth < 1) {
                throw new IllegalArgumentException("DistributedTrainer: tree depth must be >= 1, got " + depth);
            }
            this.treeDepth = depth;
            return this;
        }

        /** Receives progress on the driver. */
        public Builder listener(TrainingListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** The trainer; fails on a missing factory or settings that contradict each other. */
        public DistributedTrainer build() {
            return new DistributedTrainer(this);
        }
    }
}
