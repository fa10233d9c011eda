package org.grad4j.spark;

import java.util.List;
import org.grad4j.core.Grad;
import org.grad4j.core.Tensor;
import org.grad4j.optim.ClipGrad;
import org.grad4j.optim.Optimizer;

/** What a task does with a model replica: a pure function of its inputs, so a re-run attempt gives the same result. */
final class Worker {
    private Worker() {
    }

    /**
     * The gradient of partition {@code p}'s share of step {@code step}, at parameters {@code weights}, weighted by
     * {@code share / batchSize}; a partition with no share contributes an all-zero vector.
     */
    static PartialGradient gradient(String runId, TrainingSpec spec, BatchPlan plan, int p, long step, Shard shard,
            double[] weights) {
        int[] rows = plan.indices(p, step);
        if (rows.length == 0) {
            return new PartialGradient(new double[weights.length], 0, 0);
        }
        Replicas.Replica r = Replicas.acquire(runId, spec);
        try {
            FlatParameters.copyInto(weights, r.params());
            r.model().train();
            for (Tensor t : r.params()) {
                t.zeroGrad();
            }
            double loss;
            try (Grad.Scope on = Grad.enabled()) {
                Tensor l = lossOf(spec, r, shard, rows);
                l.backward();
                loss = l.item();
            }
            double weight = (double) rows.length / plan.batchSize();
            double[] g = FlatParameters.gradients(r.params());
            for (int i = 0; i < g.length; i++) {
                g[i] *= weight;
            }
            return new PartialGradient(g, loss * weight, rows.length);
        } finally {
            Replicas.release(runId, r);
        }
    }

    /** The mean loss of the replica over the given rows of the shard (recorded, ready for backward). */
    static Tensor lossOf(TrainingSpec spec, Replicas.Replica r, Shard shard, int[] rows) {
        Tensor x = Labels.features(shard.gatherFeatures(rows), rows.length, shard.featureWidth, r.dtype());
        Tensor y = spec.labels().toTensor(shard.gatherLabels(rows), rows.length, shard.labelWidth, r.dtype());
        Tensor l = r.loss().forward(r.model().forward(x), y);
        if (l.numel() != 1) {
            throw new IllegalArgumentException("DistributedTrainer: the loss returned a tensor of shape "
                    + java.util.Arrays.toString(l.shape()) + "; it must be the mean over the batch (a scalar), so"
                    + " create it with Reduction.MEAN");
        }
        return l;
    }

    /**
     * {@code localSteps} steps of the partition's own optimizer from {@code weights} on its shares of steps
     * {@code step .. step + localSteps - 1}; returns the final parameters weighted by the partition's share.
     */
    static PartialGradient localSteps(String runId, TrainingSpec spec, BatchPlan plan, HyperParameters hyper, int p,
            long step, int localSteps, Shard shard, double[] weights) {
        if (plan.share(p) == 0) {
            return new PartialGradient(new double[weights.length], 0, 0);
        }
        Replicas.Replica r = Replicas.acquire(runId, spec);
        try {
            FlatParameters.copyInto(weights, r.params());
            r.model().train();
            Optimizer optimizer = spec.optimizerFactory().apply(r.params());
            hyper.applyTo(optimizer);
            double lossSum = 0;
            long examples = 0;
            for (int k = 0; k < localSteps; k++) {
                int[] rows = plan.indices(p, step + k);
                optimizer.zeroGrad();
                try (Grad.Scope on = Grad.enabled()) {
                    Tensor l = lossOf(spec, r, shard, rows);
                    l.backward();
                    lossSum += l.item();
                }
                if (spec.clipGradValue() > 0) {
                    ClipGrad.clipGradValue(r.params(), spec.clipGradValue());
                }
                optimizer.step();
                examples += rows.length;
            }
            double weight = (double) plan.share(p) / plan.batchSize();
            double[] w = FlatParameters.values(r.params());
            for (int i = 0; i < w.length; i++) {
                w[i] *= weight;
            }
            return new PartialGradient(w, lossSum / localSteps * weight, examples);
        } finally {
            Replicas.release(runId, r);
        }
    }

    /** Evaluates the replica on a whole partition, in chunks: [loss sum, correct predictions, examples]. */
    static double[] evaluate(Replicas.Replica r, TrainingSpec spec, Shard shard, int chunk) {
        double lossSum = 0;
        double correct = 0;
        r.model().eval();
        try (Grad.Scope off = Grad.disabled()) {
            for (int from = 0; from < shard.rows; from += chunk) {
                int n = Math.min(chunk, shard.rows - from);
                int[] rows = new int[n];
                for (int i = 0; i < n; i++) {
                    rows[i] = from + i;
                }
                Tensor x = Labels.features(shard.gatherFeatures(rows), n, shard.featureWidth, r.dtype());
                double[] labels = shard.gatherLabels(rows);
                Tensor y = spec.labels().toTensor(labels, n, shard.labelWidth, r.dtype());
                Tensor out = r.model().forward(x);
                lossSum += r.loss().forward(out, y).item() * n;
                if (spec.labels() == Labels.CLASS_INDEX) {
                    double[] predicted = out.argmax(1, false).toDoubleArray();
                    for (int i = 0; i < n; i++) {
                        if (predicted[i] == labels[i]) {
                            correct++;
                        }
                    }
                }
            }
        }
        r.model().train();
        return new double[] {lossSum, correct, shard.rows};
    }

    /** Steps an optimizer once on one flat tensor. */
    static void clipAndStep(TrainingSpec spec, Optimizer optimizer, List<Tensor> params) {
        if (spec.clipGradValue() > 0) {
            ClipGrad.clipGradValue(params, spec.clipGradValue());
        }
        optimizer.step();
    }
}
