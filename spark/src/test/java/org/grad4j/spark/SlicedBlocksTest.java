package org.grad4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.api.java.JavaRDD;
import org.grad4j.nn.CrossEntropyLoss;
import org.grad4j.optim.RMSProp;
import org.junit.jupiter.api.Test;

/** The sliced strategy's step-keyed blocks: recomputing lost ones changes nothing, and none outlive the run. */
class SlicedBlocksTest {

    static DistributedTrainer trainer() {
        return DistributedTrainer.builder()
                .model(SparkTestSupport::mlp)
                .loss(CrossEntropyLoss::new)
                .optimizer(params -> new RMSProp(params, RMSProp.options().lr(0.01).momentum(0.9)))
                .labels(Labels.CLASS_INDEX)
                .batchSize(12)
                .seed(4)
                .strategy(Strategy.SLICED)
                .build();
    }

    @Test
    void recomputingAStepsLostBlocksGivesTheSameTrajectory() {
        JavaRDD<Example> data = SparkTestSupport.rdd(SparkTestSupport.blobs(60, 17), 3);
        double[] straight;
        try (TrainingRun run = trainer().start(data)) {
            run.train(6);
            straight = FlatParameters.values(run.model().parameters());
        }
        double[] replayed;
        try (TrainingRun run = trainer().start(data)) {
            SlicedSync sync = (SlicedSync) run.synchronizer();
            for (int i = 0; i < 6; i++) {
                run.step();
                sync.replayLastUpdate(); // the update's output is dropped and recomputed from step-keyed inputs
            }
            replayed = FlatParameters.values(run.model().parameters());
            assertTrue(sync.blockCount() > 0);
            // what a step leaves: this step's gradients (3 x 3), parameters and state of this and the next step
            assertTrue(sync.blockCount() <= 9 + 2 * 3 + 2 * 3, "old steps' blocks are dropped: " + sync.blockCount());
            run.close();
            assertEquals(0, sync.blockCount(), "close() removes every block of the run");
        }
        assertEquals(0.0, SparkTestSupport.maxAbsDiff(straight, replayed), 0.0);
    }
}
