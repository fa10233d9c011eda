package org.grad4j.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.grad4j.optim.Optimizer;
import org.grad4j.optim.OptimizerStateDict;

/**
 * {@link Strategy#SLICED}: parameters and optimizer state live as slices in the block manager, keyed by step.
 *
 * <p>Blocks of step {@code t}: {@code w_t_s} (slice {@code s} of the parameters before step {@code t}),
 * {@code o_t_s} (its optimizer state), {@code g_t_p_s} (partition {@code p}'s weighted gradient, slice {@code s}).
 * Step {@code t} reads only blocks of step {@code t} and writes only blocks of step {@code t} (gradients) and
 * {@code t + 1} (parameters, state), so any task can be re-run.
 */
final class SlicedSync implements Synchronizer {
    private final JavaRDD<Shard> shards;
    private final JavaRDD<Integer> owners;
    private final String runId;
    private final TrainingSpec spec;
    private final BatchPlan plan;
    private final SliceLayout layout;
    private final List<Tensor> params;
    private final Optimizer optimizer;
    private final Optimizer hyperOptimizer;
    /** The step whose parameter blocks exist. */
    private long current;
    /** The first step whose state blocks exist (steps before it start optimizers afresh). */
    private long firstStateStep;

    SlicedSync(JavaSparkContext jsc, JavaRDD<Shard> shards, String runId, TrainingSpec spec, BatchPlan plan,
            List<Tensor> params, Optimizer optimizer, Optimizer hyperOptimizer, long startStep) {
        this.shards = shards;
        this.runId = runId;
        this.spec = spec;
        this.plan = plan;
        this.params = params;
        this.optimizer = optimizer;
        this.hyperOptimizer = hyperOptimizer;
        DType dtype = params.get(0).dtype();
        for (Tensor p : params) {
            if (p.dtype() != dtype) {
                throw new IllegalArgumentException("DistributedTrainer: the sliced strategy needs every parameter"
                        + " in one dtype, got " + dtype + " and " + p.dtype() + "; use Strategy.DRIVER");
            }
        }
        this.layout = new SliceLayout(FlatParameters.count(params), plan.partitions(), dtype);
        List<Integer> ids = new ArrayList<>();
        for (int s = 0; s < layout.slices(); s++) {
            ids.add(s);
        }
        this.owners = jsc.parallelize(ids, layout.slices());
        push(startStep);
    }

    /** Writes the driver's parameters and optimizer state as the blocks of step {@code step}. */
    private void push(long step) {
        double[] w = FlatParameters.values(params);
        for (int s = 0; s < layout.slices(); s++) {
            BlockStore.put(BlockStore.id(runId, "w", step, s, 0), layout.cut(w, s));
        }
        SliceState[] states = sliceStates();
        if (states != null) {
            for (int s = 0; s < layout.slices(); s++) {
                BlockStore.put(BlockStore.id(runId, "o", step, s, 0), states[s]);
            }
            firstStateStep = step;
        } else {
            firstStateStep = step + 1;
        }
        current = step;
    }

    @Override
    public int stepsPerCall() {
        return 1;
    }

    /**
     * Runs the update job of the last step again after dropping its output blocks, as Spark does when a task's output
     * is lost or an attempt is re-run; the recomputed blocks must equal the lost ones. For tests.
     */
    void replayLastUpdate() {
        long step = current - 1;
        for (int s = 0; s < layout.slices(); s++) {
            BlockStore.removeLocal(BlockStore.id(runId, "w", step + 1, s, 0));
            BlockStore.removeLocal(BlockStore.id(runId, "o", step + 1, s, 0));
        }
        owners.mapPartitionsWithIndex(new SliceUpdateTask(runId, spec, layout, plan.partitions(), step,
                step >= firstStateStep, HyperParameters.of(hyperOptimizer)), true).collect();
    }

    /** The number of blocks of this run in the cluster (driver side). For tests. */
    int blockCount() {
        return BlockStore.count(runId);
    }

    @Override
    public PartialGradient step(long step) {
        if (step != current) {
            throw new IllegalStateException("SlicedSync: asked for step " + step + " but the blocks hold step " + current);
        }
        List<PartialGradient> losses = shards.mapPartitionsWithIndex(
                new SliceGradientTask(runId, spec, plan, layout, step), true).collect();
        owners.mapPartitionsWithIndex(new SliceUpdateTask(runId, spec, layout, plan.partitions(), step,
                step >= firstStateStep, HyperParameters.of(hyperOptimizer)), true).collect();
        current = step + 1;
        PartialGradient total = new PartialGradient(null, 0, 0);
        for (PartialGradient l : losses) {
            total.loss += l.loss;
            total.examples += l.examples;
        }
        return total;
    }

    @Override
    public void pull(long step) {
        double[] w = new double[layout.size()];
        SliceState[] states = new SliceState[layout.slices()];
        for (int s = 0; s < layout.slices(); s++) {
            layout.paste(BlockStore.get(BlockStore.id(runId, "w", step, s, 0), double[].class), w, s);
            if (step >= firstStateStep) {
                states[s] = BlockStore.get(BlockStore.id(runId, "o", step, s, 0), SliceState.class);
            }
        }
        FlatParameters.copyInto(w, params);
        if (step >= firstStateStep) {
            optimizer.loadStateDict(perParameter(states));
        }
    }

    /** The slices' states joined into the state dict of the driver's optimizer (over the model's parameters). */
    private OptimizerStateDict perParameter(SliceState[] states) {
        HyperParameters.of(hyperOptimizer).applyTo(optimizer);
        Map<String, Object> meta = StateDictJson.read(optimizer.stateDict());
        Map<String, Object> slice0 = StateDictJson.read(states[0].toDict(layout.dtype()));
        StateDictJson.setForAll(meta, params.size(), StateDictJson.firstOf(slice0, "steps"),
                StateDictJson.firstOf(slice0, "scalars"));
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (String key : states[0].tensors().keySet()) {
            String name = key.substring("state.0.".length());
            double[] flat = new double[layout.size()];
            for (int s = 0; s < states.length; s++) {
                layout.paste(states[s].tensors().get(key), flat, s);
            }
            int at = 0;
            for (int i = 0; i < params.size(); i++) {
                Tensor p = params.get(i);
                double[] part = java.util.Arrays.copyOfRange(flat, at, at + p.numel());
                Tensor t = Tensor.ofShape(part, p.shape());
                tensors.put("state." + i + "." + name, p.dtype() == DType.FLOAT64 ? t : t.to(p.dtype()));
                at += p.numel();
            }
        }
        return StateDictJson.write(tensors, meta);
    }

    /** The driver optimizer's state cut into slices, or null when it has none yet. */
    private SliceState[] sliceStates() {
        OptimizerStateDict dict = optimizer.stateDict();
        Map<String, Object> meta = StateDictJson.read(dict);
        Object step = StateDictJson.firstOf(meta, "steps");
        if (step == null) {
            return null;
        }
        Object scalars = StateDictJson.firstOf(meta, "scalars");
        Map<String, double[]> flat = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : dict.tensors().entrySet()) {
            String[] parts = e.getKey().split("\\.", 3);
            int index = Integer.parseInt(parts[1]);
            double[] whole = flat.computeIfAbsent(parts[2], k -> new double[layout.size()]);
            int at = 0;
            for (int i = 0; i < index; i++) {
                at += params.get(i).numel();
            }
            double[] v = e.getValue().toDoubleArray();
            System.arraycopy(v, 0, whole, at, v.length);
        }
        SliceState[] out = new SliceState[layout.slices()];
        for (int s = 0; s < layout.slices(); s++) {
            Tensor probe = Tensor.zeros(layout.dtype(), Math.max(1, layout.length(s))).requiresGrad(true);
            Optimizer sliceOptimizer = spec.optimizerFactory().apply(List.of(probe));
            HyperParameters.of(hyperOptimizer).applyTo(sliceOptimizer);
            Map<String, Object> sliceMeta = StateDictJson.read(sliceOptimizer.stateDict());
            StateDictJson.setForAll(sliceMeta, 1, step, scalars);
            LinkedHashMap<String, double[]> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, double[]> e : flat.entrySet()) {
                tensors.put("state.0." + e.getKey(), layout.cut(e.getValue(), s));
            }
            out[s] = new SliceState(tensors,
                    new LinkedHashMap<>(StateDictJson.write(Map.of(), sliceMeta).metadata()));
        }
        return out;
    }

    @Override
    public void close() {
        BlockStore.removeRun(runId);
    }

    /** Job 1 of a step: gather the parameters, compute the weighted gradient, store it cut into slices. */
    record SliceGradientTask(String runId, TrainingSpec spec, BatchPlan plan, SliceLayout layout, long step)
            implements Function2<Integer, Iterator<Shard>, Iterator<PartialGradient>> {
        @Override
        public Iterator<PartialGradient> call(Integer p, Iterator<Shard> shard) {
            double[] w = new double[layout.size()];
            for (int s = 0; s < layout.slices(); s++) {
                layout.paste(BlockStore.get(BlockStore.id(runId, "w", step, s, 0), double[].class), w, s);
            }
            PartialGradient g = Worker.gradient(runId, spec, plan, p, step, shard.next(), w);
            for (int s = 0; s < layout.slices(); s++) {
                BlockStore.put(BlockStore.id(runId, "g", step, p, s), layout.cut(g.vector, s));
                BlockStore.removeLocal(BlockStore.id(runId, "g", step - 1, p, s));
            }
            return List.of(new PartialGradient(null, g.loss, g.examples)).iterator();
        }
    }

    /** Job 2 of a step: sum one slice's gradients, step that slice's optimizer, store the new slice and state. */
    record SliceUpdateTask(String runId, TrainingSpec spec, SliceLayout layout, int partitions, long step,
            boolean hasState, HyperParameters hyper)
            implements Function2<Integer, Iterator<Integer>, Iterator<Integer>> {
        @Override
        public Iterator<Integer> call(Integer s, Iterator<Integer> ignored) {
            int n = layout.length(s);
            double[] sum = new double[n];
            for (int p = 0; p < partitions; p++) {
                double[] g = BlockStore.get(BlockStore.id(runId, "g", step, p, s), double[].class);
                for (int i = 0; i < n; i++) {
                    sum[i] += g[i];
                }
            }
            double[] w = BlockStore.get(BlockStore.id(runId, "w", step, s, 0), double[].class).clone();
            DType dtype = layout.dtype();
            Tensor slice = asTensor(w, dtype).requiresGrad(true);
            Optimizer optimizer = spec.optimizerFactory().apply(List.of(slice));
            if (hasState) {
                optimizer.loadStateDict(
                        BlockStore.get(BlockStore.id(runId, "o", step, s, 0), SliceState.class).toDict(dtype));
            }
            hyper.applyTo(optimizer);
            slice.setGrad(asTensor(sum, dtype));
            Worker.clipAndStep(spec, optimizer, List.of(slice));
            BlockStore.put(BlockStore.id(runId, "w", step + 1, s, 0), slice.toDoubleArray());
            BlockStore.put(BlockStore.id(runId, "o", step + 1, s, 0), SliceState.of(optimizer.stateDict()));
            BlockStore.removeLocal(BlockStore.id(runId, "w", step - 1, s, 0));
            BlockStore.removeLocal(BlockStore.id(runId, "o", step - 1, s, 0));
            return List.of(s).iterator();
        }

        private static Tensor asTensor(double[] v, DType dtype) {
            Tensor t = Tensor.of(v, v.length);
            return dtype == DType.FLOAT64 ? t : t.to(dtype);
        }
    }
}
