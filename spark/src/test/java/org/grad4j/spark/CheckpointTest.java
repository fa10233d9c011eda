package org.grad4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.grad4j.nn.CrossEntropyLoss;
import org.grad4j.optim.Adam;
import org.grad4j.optim.StepLR;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Stopping, saving and resuming gives the trajectory of a run that never stopped. */
class CheckpointTest {
    @TempDir
    Path dir;

    static DistributedTrainer trainer(Strategy strategy) {
        return DistributedTrainer.builder()
                .model(SparkTestSupport::mlp)
                .loss(CrossEntropyLoss::new)
                .optimizer(params -> new Adam(params, Adam.options().lr(0.02)))
                .scheduler(opt -> new StepLR(opt, 4, 0.5), true)
                .labels(Labels.CLASS_INDEX)
                .batchSize(10)
                .seed(13)
                .strategy(strategy)
                .build();
    }

    @ParameterizedTest(name = "saved with {0}, resumed with {1}")
    @CsvSource({"DRIVER, DRIVER", "SLICED, SLICED", "SLICED, DRIVER", "DRIVER, SLICED"})
    void resumingGivesTheSameTrajectoryAsNotStopping(Strategy saved, Strategy resumed) throws IOException {
        JavaRDD<Example> data = SparkTestSupport.rdd(SparkTestSupport.blobs(70, 31), 2);
        double[] straight;
        double lrStraight;
        try (TrainingRun run = trainer(saved).start(data)) {
            run.train(14);
            straight = FlatParameters.values(run.model().parameters());
            lrStraight = run.optimizer().paramGroups().get(0).lr();
        }
        Path checkpoint = dir.resolve("ckpt");
        try (TrainingRun run = trainer(saved).start(data)) {
            run.train(6);
            run.saveCheckpoint(checkpoint);
            run.train(3); // work after the checkpoint is lost when we resume from it
        }
        assertTrue(Files.exists(checkpoint.resolve("model.safetensors")));
        try (TrainingRun run = trainer(resumed).resume(data, checkpoint)) {
            assertEquals(6, run.stepCount());
            run.train(8);
            assertEquals(14, run.stepCount());
            double[] after = FlatParameters.values(run.model().parameters());
            assertTrue(SparkTestSupport.maxAbsDiff(straight, after) <= 1e-12,
                    "max difference " + SparkTestSupport.maxAbsDiff(straight, after));
            assertEquals(lrStraight, run.optimizer().paramGroups().get(0).lr(), 0.0, "the scheduler resumed too");
            assertEquals(0.02 * 0.25 * 0.5, lrStraight, 1e-15);
        }
    }

    @Test
    void resumingOnDifferentlyPartitionedDataIsRefusedWithTheReason() throws IOException {
        Path checkpoint = dir.resolve("ckpt2");
        List<Example> examples = SparkTestSupport.blobs(40, 3);
        try (TrainingRun run = trainer(Strategy.DRIVER).start(SparkTestSupport.rdd(examples, 2))) {
            run.train(2);
            run.saveCheckpoint(checkpoint);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> trainer(Strategy.DRIVER).resume(SparkTestSupport.rdd(examples, 3), checkpoint));
        assertTrue(e.getMessage().contains("partition sizes [20, 20]"), e.getMessage());
        IOException missing = assertThrows(IOException.class,
                () -> trainer(Strategy.DRIVER).resume(SparkTestSupport.rdd(examples, 2), dir.resolve("nothing")));
        assertTrue(missing.getMessage().contains("not a finished checkpoint"), missing.getMessage());
        assertArrayEquals(new long[] {20, 20}, new BatchPlan(new long[] {20, 20}, 10, 13).partitionSizes());
    }
}
