package org.grad4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.grad4j.nn.CrossEntropyLoss;
import org.grad4j.optim.Adam;
import org.grad4j.optim.SGD;
import org.junit.jupiter.api.Test;

/** A small classifier learns separable blobs; the same through a Spark SQL table and with local steps. */
class ConvergenceTest {

    static DistributedTrainer.Builder classifier(List<EpochMetrics> epochs) {
        return DistributedTrainer.builder()
                .model(SparkTestSupport::mlp)
                .loss(CrossEntropyLoss::new)
                .optimizer(params -> new Adam(params, Adam.options().lr(0.05)))
                .labels(Labels.CLASS_INDEX)
                .batchSize(32)
                .seed(1)
                .listener(new TrainingListener() {
                    @Override
                    public void onEpoch(EpochMetrics m) {
                        epochs.add(m);
                    }
                });
    }

    @Test
    void aSmallClassifierConvergesAndIsEvaluatedOnADistributedValidationSet() {
        JavaRDD<Example> train = SparkTestSupport.rdd(SparkTestSupport.blobs(400, 1), 2);
        JavaRDD<Example> validation = SparkTestSupport.rdd(SparkTestSupport.blobs(200, 2), 3);
        List<EpochMetrics> epochs = new ArrayList<>();
        try (TrainingRun run = classifier(epochs).build().start(train)) {
            Evaluation before = run.evaluate(validation);
            List<EpochMetrics> result = run.trainEpochs(4, validation);
            assertEquals(epochs, result);
            assertEquals(4, result.size());
            assertEquals(200, before.examples());
            EpochMetrics last = result.get(3);
            assertTrue(last.trainLoss() < result.get(0).trainLoss(), "the training loss fell");
            assertTrue(last.validation().loss() < before.loss() / 2, before + " -> " + last.validation());
            assertTrue(last.validation().accuracy() > 0.9, "accuracy " + last.validation().accuracy());
            assertEquals(4 * run.plan().stepsPerEpoch(), run.stepCount());
        }
    }

    @Test
    void trainsFromASparkSqlTable() {
        StructType schema = new StructType().add("a", DataTypes.DoubleType).add("b", DataTypes.DoubleType)
                .add("c", DataTypes.DoubleType).add("d", DataTypes.DoubleType).add("label", DataTypes.IntegerType);
        List<Row> rows = new ArrayList<>();
        for (Example e : SparkTestSupport.blobs(300, 4)) {
            double[] x = e.features();
            rows.add(RowFactory.create(x[0], x[1], x[2], x[3], (int) e.label()[0]));
        }
        Dataset<Row> table = SparkTestSupport.spark().createDataFrame(SparkTestSupport.jsc().parallelize(rows, 2), schema);
        List<EpochMetrics> epochs = new ArrayList<>();
        try (TrainingRun run = classifier(epochs).build().start(table, "label", "a", "b", "c", "d")) {
            run.trainEpochs(3, null);
            Evaluation eval = run.evaluate(Examples.fromDataset(table, "label", "a", "b", "c", "d"));
            assertEquals(300, eval.examples());
            assertTrue(eval.accuracy() > 0.9, "accuracy " + eval.accuracy());
        }
    }

    @Test
    void localStepsConvergeToo() {
        JavaRDD<Example> train = SparkTestSupport.rdd(SparkTestSupport.blobs(400, 1), 2);
        List<EpochMetrics> epochs = new ArrayList<>();
        try (TrainingRun run = classifier(epochs).optimizer(params -> new SGD(params, SGD.options(0.2).momentum(0.5)))
                .localSteps(4).build().start(train)) {
            assertEquals(Strategy.DRIVER, run.strategy());
            StepMetrics first = run.step();
            assertEquals(4, first.step(), "one round is four local steps");
            run.train(36);
            Evaluation eval = run.evaluate(SparkTestSupport.rdd(SparkTestSupport.blobs(200, 2), 2));
            assertTrue(eval.accuracy() > 0.9, "accuracy " + eval.accuracy());
        }
    }
}
