package org.grad4j.spark;

import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.grad4j.core.Tensor;
import org.grad4j.optim.ClipGrad;
import org.grad4j.optim.Optimizer;

/** {@link Strategy#DRIVER}: broadcast the parameters, tree-aggregate the gradients, step on the driver. */
final class DriverSync implements Synchronizer {
    private final JavaSparkContext jsc;
    private final JavaRDD<Shard> shards;
    private final String runId;
    private final TrainingSpec spec;
    private final BatchPlan plan;
    private final List<Tensor> params;
    private final Optimizer optimizer;
    private final double clipGradNorm;
    private final int localSteps;
    private final int treeDepth;

    DriverSync(JavaSparkContext jsc, JavaRDD<Shard> shards, String runId, TrainingSpec spec, BatchPlan plan,
            List<Tensor> params, Optimizer optimizer, double clipGradNorm, int localSteps, int treeDepth) {
        this.jsc = jsc;
        this.shards = shards;
        this.runId = runId;
        this.spec = spec;
        this.plan = plan;
        this.params = params;
        this.optimizer = optimizer;
        this.clipGradNorm = clipGradNorm;
        this.localSteps = localSteps;
        this.treeDepth = treeDepth;
    }

    @Override
    public int stepsPerCall() {
        return localSteps;
    }

    @Override
    public PartialGradient step(long step) {
        Broadcast<double[]> weights = jsc.broadcast(FlatParameters.values(params));
        try {
            if (localSteps > 1) {
                PartialGradient averaged = shards.mapPartitionsWithIndex(
                        new LocalStepsTask(runId, spec, plan, HyperParameters.of(optimizer), step, localSteps, weights),
                        true).treeReduce(PartialGradient::sum, treeDepth);
                FlatParameters.copyInto(averaged.vector, params);
                return averaged;
            }
            PartialGradient total = gradient(step, weights);
            FlatParameters.setGradients(total.vector, params);
            if (clipGradNorm > 0) {
                ClipGrad.clipGradNorm(params, clipGradNorm);
            }
            if (spec.clipGradValue() > 0) {
                ClipGrad.clipGradValue(params, spec.clipGradValue());
            }
            optimizer.step();
            return total;
        } finally {
            weights.destroy();
        }
    }

    /** The summed weighted gradient of step {@code step} at the broadcast parameters. */
    PartialGradient gradient(long step, Broadcast<double[]> weights) {
        return shards.mapPartitionsWithIndex(gradientTask(step, weights), true)
                .treeReduce(PartialGradient::sum, treeDepth);
    }

    GradientTask gradientTask(long step, Broadcast<double[]> weights) {
        return new GradientTask(runId, spec, plan, step, weights);
    }

    @Override
    public void pull(long step) {
        // the driver's model and optimizer are the live ones
    }

    @Override
    public void close() {
    }

    /** A partition's weighted gradient at the broadcast parameters; the closure carries the broadcast's handle only. */
    record GradientTask(String runId, TrainingSpec spec, BatchPlan plan, long step, Broadcast<double[]> weights)
            implements Function2<Integer, Iterator<Shard>, Iterator<PartialGradient>> {
        @Override
        public Iterator<PartialGradient> call(Integer p, Iterator<Shard> shard) {
            return List.of(Worker.gradient(runId, spec, plan, p, step, shard.next(), weights.value())).iterator();
        }
    }

    /** {@code localSteps} steps of a partition's own optimizer, then its share-weighted parameters. */
    record LocalStepsTask(String runId, TrainingSpec spec, BatchPlan plan, HyperParameters hyper, long step,
            int localSteps, Broadcast<double[]> weights)
            implements Function2<Integer, Iterator<Shard>, Iterator<PartialGradient>> {
        @Override
        public Iterator<PartialGradient> call(Integer p, Iterator<Shard> shard) {
            return List.of(Worker.localSteps(runId, spec, plan, hyper, p, step, localSteps, shard.next(),
                    weights.value())).iterator();
        }
    }
}
