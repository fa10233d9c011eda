package org.grad4j.spark;

import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.grad4j.nn.Loss;
import org.grad4j.nn.Module;

/**
 * Model replicas on an executor, reused across tasks of one run so a step does not rebuild the model. A task takes
 * a replica for itself alone and overwrites every parameter before using it, so nothing a failed or concurrent
 * attempt left behind can leak into a result.
 */
final class Replicas {
    /** Replicas of the few most recent runs; an executor outlives runs, and their models must not pile up. */
    private static final int RUNS_KEPT = 4;
    private static final Map<String, ConcurrentLinkedQueue<Replica>> POOL = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(8, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, ConcurrentLinkedQueue<Replica>> eldest) {
                    return size() > RUNS_KEPT;
                }
            });

    private Replicas() {
    }

    /** A model, its loss and its parameter list. */
    record Replica(Module model, Loss loss, List<Tensor> params, DType dtype) {
    }

    static Replica acquire(String runId, TrainingSpec spec) {
        ConcurrentLinkedQueue<Replica> queue = POOL.computeIfAbsent(runId, k -> new ConcurrentLinkedQueue<>());
        Replica r = queue.poll();
        if (r != null) {
            return r;
        }
        Module model = spec.modelFactory().get();
        List<Tensor> params = model.parameters();
        if (params.isEmpty()) {
            throw new IllegalArgumentException("DistributedTrainer: the model factory built a model without parameters");
        }
        return new Replica(model, spec.lossFactory().get(), params, params.get(0).dtype());
    }

    static void release(String runId, Replica replica) {
        ConcurrentLinkedQueue<Replica> queue = POOL.get(runId);
        if (queue != null) {
            queue.offer(replica);
        }
    }

    /** Drops this JVM's replicas of a finished run. */
    static void forget(String runId) {
        POOL.remove(runId);
    }
}
