package org.grad4j.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.grad4j.nn.Module;
import org.grad4j.optim.LRScheduler;
import org.grad4j.optim.Optimizer;
import org.grad4j.optim.OptimizerStateDict;

/**
 * One distributed training run over one data set: its steps, metrics, evaluation and checkpoints. The run caches the
 * data packed per partition; {@link #close()} releases it and every block the run stored.
 */
public final class TrainingRun implements AutoCloseable {
    private final DistributedTrainer trainer;
    private final JavaSparkContext jsc;
    private final String runId = UUID.randomUUID().toString().replace("-", "");
    private final TrainingSpec spec;
    private final JavaRDD<Shard> shards;
    private final BatchPlan plan;
    private final Module model;
    private final List<Tensor> params;
    private final Optimizer optimizer;
    private final Optimizer hyperOptimizer;
    private final LRScheduler scheduler;
    private final Strategy strategy;
    private final Synchronizer sync;
    private long step;
    private boolean pulled = true;
    private boolean closed;
    private double epochLossSum;
    private long epochSteps;
    private long epochStartNanos = System.nanoTime();
    private JavaRDD<Example> validation;

    TrainingRun(DistributedTrainer trainer, JavaRDD<Example> data, Checkpoint checkpoint) throws IOException {
        this.trainer = trainer;
        this.jsc = JavaSparkContext.fromSparkContext(data.context());
        this.spec = new TrainingSpec(trainer.modelFactory, trainer.lossFactory, trainer.optimizerFactory,
                trainer.labels, trainer.clipGradValue);
        this.shards = data.mapPartitionsWithIndex(
                (Function2<Integer, Iterator<Example>, Iterator<Shard>>) (p, it) -> List.of(Shard.pack(p, it)).iterator(),
                true).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            List<int[]> shapes = shards.map(s -> new int[] {s.rows, s.featureWidth, s.labelWidth}).collect();
            long[] sizes = new long[shapes.size()];
            int[] widths = null;
            for (int p = 0; p < sizes.length; p++) {
                int[] s = shapes.get(p);
                sizes[p] = s[0];
                if (s[0] > 0) {
                    if (widths != null && (widths[1] != s[1] || widths[2] != s[2])) {
                        throw new IllegalArgumentException("DistributedTrainer: partition " + p + " has examples of "
                                + s[1] + " features and " + s[2] + " label values, another partition " + widths[1]
                                + " and " + widths[2] + "; every example needs the same widths");
                    }
                    widths = s;
                }
            }
            this.plan = new BatchPlan(sizes, trainer.batchSize, trainer.seed);
            this.model = trainer.modelFactory.get();
            this.params = model.parameters();
            if (params.isEmpty()) {
                throw new IllegalArgumentException("DistributedTrainer: the model factory built a model without parameters");
            }
            if (widths != null) {
                checkModelAcceptsData(widths[1], widths[2]);
            }
            this.optimizer = trainer.optimizerFactory.apply(params);
            this.strategy = resolve(trainer, FlatParameters.count(params));
            if (strategy == Strategy.SLICED) {
                this.hyperOptimizer = trainer.optimizerFactory.apply(List.of(Tensor.zeros(DType.FLOAT64, 1).requiresGrad(true)));
                if (hyperOptimizer.paramGroups().size() != 1 || optimizer.paramGroups().size() != 1) {
                    throw new IllegalArgumentException("DistributedTrainer: the sliced strategy needs an optimizer with one"
                            + " param group (it steps flat slices, which cut across layers); use Strategy.DRIVER for"
                            + " per-layer groups");
                }
            } else {
                this.hyperOptimizer = optimizer;
            }
            this.scheduler = trainer.schedulerFactory == null ? null : trainer.schedulerFactory.apply(hyperOptimizer);
            if (checkpoint != null) {
                restore(checkpoint);
            }
            this.sync = strategy == Strategy.SLICED
                    ? new SlicedSync(jsc, shards, runId, spec, plan, params, optimizer, hyperOptimizer, step)
                    : new DriverSync(jsc, shards, runId, spec, plan, params, optimizer, trainer.clipGradNorm,
                            trainer.localSteps, trainer.treeDepth);
        } catch (RuntimeException | IOException e) {
            shards.unpersist(false);
            throw e;
        }
    }

    /** Runs one all-zero example through the driver's model and loss, so a mismatch fails here, not in a task. */
    private void checkModelAcceptsData(int features, int labelWidth) {
        DType dtype = params.get(0).dtype();
        try (org.grad4j.core.Grad.Scope off = org.grad4j.core.Grad.disabled()) {
            Tensor x = Labels.features(new double[features], 1, features, dtype);
            Tensor y = spec.labels().toTensor(new double[labelWidth], 1, labelWidth, dtype);
            trainer.lossFactory.get().forward(model.forward(x), y);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("DistributedTrainer: the model and loss do not accept the data's"
                    + " examples (" + features + " features, " + labelWidth + " label value(s), labels as "
                    + spec.labels() + "): " + e.getMessage(), e);
        }
    }

    private Strategy resolve(DistributedTrainer t, long parameterCount) {
        Strategy s = t.strategy;
        if (s == Strategy.SLICED && parameterCount < plan.partitions()) {
            throw new IllegalArgumentException("DistributedTrainer: the sliced strategy cuts " + parameterCount
                    + " parameters into " + plan.partitions() + " slices; use fewer partitions or Strategy.DRIVER");
        }
        if (s != Strategy.AUTO) {
            return s;
        }
        boolean sliceable = parameterCount >= t.slicedThreshold && plan.partitions() >= 2 && t.localSteps == 1
                && t.clipGradNorm == 0 && optimizer.paramGroups().size() == 1;
        return sliceable ? Strategy.SLICED : Strategy.DRIVER;
    }

    private void restore(Checkpoint c) throws IOException {
        long[] saved = Arrays.stream(c.get("partitionSizes").split(",")).mapToLong(Long::parseLong).toArray();
        if (!Arrays.equals(saved, plan.partitionSizes()) || Integer.parseInt(c.get("batchSize")) != plan.batchSize()
                || Long.parseLong(c.get("seed")) != plan.seed()) {
            throw new IllegalArgumentException("DistributedTrainer.resume: the checkpoint was taken with partition"
                    + " sizes " + Arrays.toString(saved) + ", batch size " + c.get("batchSize") + " and seed "
                    + c.get("seed") + " but this run has " + Arrays.toString(plan.partitionSizes()) + ", "
                    + plan.batchSize() + " and " + plan.seed() + "; resume with the same data, partitioning and"
                    + " settings, or start a new run from the saved model");
        }
        model.load(c.directory().resolve(Checkpoint.MODEL));
        optimizer.loadStateDict(OptimizerStateDict.load(c.directory().resolve(Checkpoint.OPTIMIZER)));
        if (hyperOptimizer != optimizer) {
            HyperParameters.of(optimizer).applyTo(hyperOptimizer);
        }
        Map<String, String> schedulerState = c.withPrefix("scheduler.");
        if (scheduler != null && !schedulerState.isEmpty()) {
            scheduler.loadStateDict(schedulerState);
        }
        step = Long.parseLong(c.get("step"));
    }

    /** The synchronizer (for tests). */
    Synchronizer synchronizer() {
        return sync;
    }

    /** The strategy in use ({@link Strategy#AUTO} resolved). */
    public Strategy strategy() {
        return strategy;
    }

    /** Which examples each partition uses at each step. */
    public BatchPlan plan() {
        return plan;
    }

    /** The number of steps done (the data position). */
    public long stepCount() {
        return step;
    }

    /** The driver's model, holding the current parameters. */
    public Module model() {
        pull();
        return model;
    }

    /** The driver's optimizer over the model's parameters, holding the current state and hyper-parameters. */
    public Optimizer optimizer() {
        pull();
        return optimizer;
    }

    /** The scheduler, or null. */
    public LRScheduler scheduler() {
        return scheduler;
    }

    private void pull() {
        if (!pulled) {
            sync.pull(step);
            pulled = true;
        }
    }

    /** One synchronous step (or one round of local steps); reports to the listener and returns the metrics. */
    public StepMetrics step() {
        long t = step;
        long start = System.nanoTime();
        PartialGradient r = sync.step(t);
        step += sync.stepsPerCall();
        pulled = strategy == Strategy.DRIVER;
        if (scheduler != null && trainer.schedulerPerStep) {
            scheduler.step();
        }
        StepMetrics m = new StepMetrics(step, plan.epochOf(t), r.loss, r.examples, (System.nanoTime() - start) / 1e6);
        epochLossSum += r.loss;
        epochSteps++;
        trainer.listener.onStep(m);
        if (plan.epochOf(step) > plan.epochOf(t)) {
            endEpoch(plan.epochOf(t));
        }
        return m;
    }

    private EpochMetrics lastEpoch;

    private void endEpoch(long epoch) {
        if (scheduler != null && !trainer.schedulerPerStep) {
            scheduler.step();
        }
        Evaluation v = validation == null ? null : evaluate(validation);
        lastEpoch = new EpochMetrics(epoch, epochLossSum / epochSteps, v, (System.nanoTime() - epochStartNanos) / 1e6);
        epochLossSum = 0;
        epochSteps = 0;
        epochStartNanos = System.nanoTime();
        trainer.listener.onEpoch(lastEpoch);
    }

    /** Runs {@code steps} steps (with local steps, rounds of them until at least {@code steps} are done). */
    public List<StepMetrics> train(long steps) {
        List<StepMetrics> out = new ArrayList<>();
        long target = step + steps;
        while (step < target) {
            out.add(step());
        }
        return out;
    }

    /**
     * Trains to the end of the current epoch and then {@code epochs - 1} more, evaluating on {@code validation}
     * (may be null) after each.
     */
    public List<EpochMetrics> trainEpochs(int epochs, JavaRDD<Example> validation) {
        this.validation = validation;
        List<EpochMetrics> out = new ArrayList<>();
        try {
            for (int e = 0; e < epochs; e++) {
                long end = (plan.epochOf(step) + 1) * plan.stepsPerEpoch();
                while (step < end) {
                    step();
                }
                out.add(lastEpoch);
            }
        } finally {
            this.validation = null;
        }
        return out;
    }

    /**
     * The mean gradient of the loss over the next step's global batch at the current parameters, as one flat vector
     * (see {@link FlatParameters}); the run does not move.
     */
    public double[] gradient() {
        pull();
        Broadcast<double[]> weights = jsc.broadcast(FlatParameters.values(params));
        try {
            return shards.mapPartitionsWithIndex(new DriverSync.GradientTask(runId, spec, plan, step, weights), true)
                    .treeReduce(PartialGradient::sum, trainer.treeDepth).vector;
        } finally {
            weights.destroy();
        }
    }

    /** The current model's mean loss (and accuracy, for class labels) over {@code data}, computed by the executors. */
    public Evaluation evaluate(JavaRDD<Example> data) {
        pull();
        Broadcast<double[]> weights = jsc.broadcast(FlatParameters.values(params));
        try {
            double[] sums = data.mapPartitionsWithIndex(new EvaluateTask(runId, spec, weights), true)
                    .treeReduce((a, b) -> {
                        for (int i = 0; i < a.length; i++) {
                            a[i] += b[i];
                        }
                        return a;
                    }, trainer.treeDepth);
            double n = sums[2];
            return new Evaluation(sums[0] / n, spec.labels() == Labels.CLASS_INDEX ? sums[1] / n : Double.NaN, (long) n);
        } finally {
            weights.destroy();
        }
    }

    /** Evaluates a partition of examples with a replica at the broadcast parameters. */
    record EvaluateTask(String runId, TrainingSpec spec, Broadcast<double[]> weights)
            implements Function2<Integer, Iterator<Example>, Iterator<double[]>> {
        @Override
        public Iterator<double[]> call(Integer p, Iterator<Example> examples) {
            Shard shard = Shard.pack(p, examples);
            if (shard.rows == 0) {
                return List.of(new double[3]).iterator();
            }
            Replicas.Replica r = Replicas.acquire(runId, spec);
            try {
                FlatParameters.copyInto(weights.value(), r.params());
                return List.of(Worker.evaluate(r, spec, shard, 1024)).iterator();
            } finally {
                Replicas.release(runId, r);
            }
        }
    }

    /**
     * Saves the run to {@code dir} (created if needed): model, optimizer and scheduler state, and the step. Resume
     * with {@link DistributedTrainer#resume}.
     */
    public void saveCheckpoint(Path dir) throws IOException {
        pull();
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve(Checkpoint.PROPERTIES));
        model.save(dir.resolve(Checkpoint.MODEL));
        optimizer.stateDict().save(dir.resolve(Checkpoint.OPTIMIZER));
        Map<String, String> props = new LinkedHashMap<>();
        props.put("step", Long.toString(step));
        props.put("seed", Long.toString(plan.seed()));
        props.put("batchSize", Integer.toString(plan.batchSize()));
        StringBuilder sizes = new StringBuilder();
        for (long n : plan.partitionSizes()) {
            sizes.append(sizes.isEmpty() ? "" : ",").append(n);
        }
        props.put("partitionSizes", sizes.toString());
        props.put("strategy", strategy.name());
        if (scheduler != null) {
            for (Map.Entry<String, String> e : scheduler.stateDict().entrySet()) {
                props.put("scheduler." + e.getKey(), e.getValue());
            }
        }
        Checkpoint.writeProperties(dir, props);
    }

    /** Releases the cached data and every block the run stored. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            pull();
        } finally {
            sync.close();
            shards.unpersist(false);
            Replicas.forget(runId);
        }
    }
}
