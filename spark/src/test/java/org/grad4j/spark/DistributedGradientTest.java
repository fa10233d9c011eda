package org.grad4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.grad4j.nn.CrossEntropyLoss;
import org.grad4j.nn.Module;
import org.grad4j.optim.SGD;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DistributedGradientTest {

    @ParameterizedTest(name = "{0} partitions")
    @ValueSource(ints = {1, 2, 4})
    void distributedGradientEqualsTheSingleMachineGradientOfTheCombinedBatch(int partitions) {
        JavaRDD<Example> data = SparkTestSupport.rdd(SparkTestSupport.blobs(103, 7), partitions);
        DistributedTrainer trainer = DistributedTrainer.builder()
                .model(SparkTestSupport::mlp)
                .loss(CrossEntropyLoss::new)
                .optimizer(params -> new SGD(params, 0.1))
                .labels(Labels.CLASS_INDEX)
                .batchSize(24)
                .seed(3)
                .strategy(Strategy.DRIVER)
                .build();
        try (TrainingRun run = trainer.start(data)) {
            assertEquals(partitions, run.plan().partitions());
            double[] distributed = run.gradient();

            Module model = SparkTestSupport.mlp();
            List<Example> batch = SparkTestSupport.globalBatch(SparkTestSupport.partitions(data), run.plan(), 0);
            assertEquals(24, batch.size());
            SparkTestSupport.loss(model, new CrossEntropyLoss(), Labels.CLASS_INDEX, batch).backward();
            double[] local = FlatParameters.gradients(model.parameters());

            double scale = 0;
            for (double v : local) {
                scale = Math.max(scale, Math.abs(v));
            }
            assertTrue(scale > 1e-3, "the gradient is not trivially zero");
            assertTrue(SparkTestSupport.maxAbsDiff(distributed, local) <= 1e-14 * Math.max(1, scale) * 10,
                    "max difference " + SparkTestSupport.maxAbsDiff(distributed, local));
        }
    }

    @ParameterizedTest(name = "{0} partitions")
    @ValueSource(ints = {1, 2, 4})
    void theGlobalBatchHasTheRequestedSizeAndNoRepeatsWithinAnEpoch(int partitions) {
        BatchPlan plan = new BatchPlan(partitions == 1 ? new long[] {50} : partitions == 2 ? new long[] {20, 30}
                : new long[] {10, 15, 0, 25}, 10, 9);
        long seen = 0;
        java.util.Set<String> used = new java.util.HashSet<>();
        for (long t = 0; t < plan.stepsPerEpoch(); t++) {
            int total = 0;
            for (int p = 0; p < partitions; p++) {
                for (int row : plan.indices(p, t)) {
                    assertTrue(used.add(p + ":" + row), "row " + row + " of partition " + p + " drawn twice");
                    assertTrue(row >= 0 && row < plan.partitionSize(p));
                    total++;
                }
            }
            assertEquals(10, total);
            seen += total;
        }
        assertEquals(50, seen);
    }
}
