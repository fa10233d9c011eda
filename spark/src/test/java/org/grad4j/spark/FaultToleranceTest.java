package org.grad4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.grad4j.core.Tensor;
import org.grad4j.nn.CrossEntropyLoss;
import org.grad4j.optim.Adam;
import org.grad4j.optim.Optimizer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Tasks that fail on their first attempt are re-run by Spark ({@code local[2,2]}) and change nothing. */
class FaultToleranceTest {

    /** A cross-entropy loss that throws in the first attempt of partition 1's tasks. */
    static final class FlakyLoss extends CrossEntropyLoss {
        @Override
        public Tensor forward(Tensor logits, Tensor target) {
            failOnFirstAttempt(1);
            return super.forward(logits, target);
        }
    }

    static void failOnFirstAttempt(int partition) {
        TaskContext task = TaskContext.get();
        if (task != null && task.attemptNumber() == 0 && task.partitionId() == partition) {
            throw new IllegalStateException("injected failure of the first attempt of partition " + partition);
        }
    }

    /** Adam whose construction fails in the first attempt of the slice owner 0's update (sliced strategy). */
    static Optimizer flakyAdam(List<Tensor> params) {
        failOnFirstAttempt(0);
        return new Adam(params, Adam.options().lr(0.01));
    }

    static final class FailureCounter extends SparkListener {
        volatile int failed;

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
            if (!end.taskInfo().successful()) {
                failed++;
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Strategy.class, names = {"DRIVER", "SLICED"})
    void aTaskThatFailsOnceLeavesTheTrajectoryUnchanged(Strategy strategy) {
        JavaRDD<Example> data = SparkTestSupport.rdd(SparkTestSupport.blobs(60, 21), 2);
        double[] clean = train(data, strategy, CrossEntropyLoss::new, params -> new Adam(params, Adam.options().lr(0.01)));
        FailureCounter failures = new FailureCounter();
        SparkTestSupport.spark().sparkContext().addSparkListener(failures);
        double[] flaky;
        try {
            flaky = train(data, strategy, FlakyLoss::new, FaultToleranceTest::flakyAdam);
        } finally {
            SparkTestSupport.spark().sparkContext().removeSparkListener(failures);
        }
        // the listener bus is asynchronous: give it a moment to deliver the last events
        long deadline = System.currentTimeMillis() + 5000;
        while (failures.failed < 8 && System.currentTimeMillis() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(failures.failed >= 8, "tasks failed and were retried: " + failures.failed);
        assertEquals(0.0, SparkTestSupport.maxAbsDiff(clean, flaky), 1e-12);
    }

    private static double[] train(JavaRDD<Example> data, Strategy strategy,
            SerializableSupplier<? extends CrossEntropyLoss> loss,
            SerializableFunction<List<Tensor>, ? extends Optimizer> optimizer) {
        DistributedTrainer trainer = DistributedTrainer.builder()
                .model(SparkTestSupport::mlp)
                .loss(loss)
                .optimizer(optimizer)
                .labels(Labels.CLASS_INDEX)
                .batchSize(12)
                .seed(8)
                .strategy(strategy)
                .build();
        try (TrainingRun run = trainer.start(data)) {
            run.train(8);
            return FlatParameters.values(run.model().parameters());
        }
    }
}
