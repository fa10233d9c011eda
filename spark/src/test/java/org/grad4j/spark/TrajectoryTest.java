package org.grad4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaRDD;
import org.grad4j.core.Tensor;
import org.grad4j.nn.CrossEntropyLoss;
import org.grad4j.nn.Module;
import org.grad4j.optim.Adam;
import org.grad4j.optim.AdamW;
import org.grad4j.optim.Optimizer;
import org.grad4j.optim.RMSProp;
import org.grad4j.optim.SGD;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** 20 distributed steps land where 20 single-machine steps on the same combined batches land (float64, 1e-9). */
class TrajectoryTest {
    static final int STEPS = 20;

    static Stream<Arguments> cases() {
        List<SerializableFunction<List<Tensor>, ? extends Optimizer>> optimizers = List.of(
                params -> new SGD(params, SGD.options(0.05).momentum(0.9).nesterov(true).weightDecay(1e-3)),
                params -> new RMSProp(params, RMSProp.options().lr(0.01).momentum(0.5).centered(true)),
                params -> new Adam(params, Adam.options().lr(0.01).amsgrad(true)),
                params -> new AdamW(params, AdamW.options().lr(0.01).weightDecay(0.1)));
        List<String> names = List.of("SGD momentum nesterov", "RMSProp centered", "Adam amsgrad", "AdamW");
        Stream.Builder<Arguments> out = Stream.builder();
        for (Strategy s : List.of(Strategy.DRIVER, Strategy.SLICED)) {
            for (int i = 0; i < optimizers.size(); i++) {
                out.add(Arguments.of(s, names.get(i), optimizers.get(i)));
            }
        }
        return out.build();
    }

    static Module mlp32() {
        return new org.grad4j.nn.Sequential(
                new org.grad4j.nn.Linear(4, 8, true, org.grad4j.core.DType.FLOAT32, new java.util.Random(1)),
                new org.grad4j.nn.Tanh(),
                new org.grad4j.nn.Linear(8, 3, true, org.grad4j.core.DType.FLOAT32, new java.util.Random(2)));
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = Strategy.class, names = {"DRIVER", "SLICED"})
    void aFloat32ModelTrainsInFloat32(Strategy strategy) {
        JavaRDD<Example> data = SparkTestSupport.rdd(SparkTestSupport.blobs(60, 12), 2);
        DistributedTrainer trainer = DistributedTrainer.builder()
                .model(TrajectoryTest::mlp32)
                .loss(CrossEntropyLoss::new)
                .optimizer(params -> new Adam(params, Adam.options().lr(0.01)))
                .labels(Labels.CLASS_INDEX)
                .batchSize(12)
                .strategy(strategy)
                .build();
        double[] distributed;
        BatchPlan plan;
        try (TrainingRun run = trainer.start(data)) {
            run.train(5);
            plan = run.plan();
            distributed = FlatParameters.values(run.model().parameters());
            assertEquals(org.grad4j.core.DType.FLOAT32, run.model().parameters().get(0).dtype());
        }
        Module model = mlp32();
        Optimizer local = new Adam(model.parameters(), Adam.options().lr(0.01));
        List<List<Example>> parts = SparkTestSupport.partitions(data);
        CrossEntropyLoss loss = new CrossEntropyLoss();
        for (int t = 0; t < 5; t++) {
            local.zeroGrad();
            List<Example> batch = SparkTestSupport.globalBatch(parts, plan, t);
            double[] x = new double[batch.size() * 4];
            double[] y = new double[batch.size()];
            for (int i = 0; i < batch.size(); i++) {
                System.arraycopy(batch.get(i).features(), 0, x, 4 * i, 4);
                y[i] = batch.get(i).label()[0];
            }
            Tensor in = Tensor.of(x, batch.size(), 4).to(org.grad4j.core.DType.FLOAT32);
            loss.forward(model.forward(in), Labels.CLASS_INDEX.toTensor(y, batch.size(), 1,
                    org.grad4j.core.DType.FLOAT32)).backward();
            local.step();
        }
        double diff = SparkTestSupport.maxAbsDiff(distributed, FlatParameters.values(model.parameters()));
        assertTrue(diff <= 1e-5, strategy + ": max parameter difference " + diff);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void twentyStepsEqualSingleMachineTraining(Strategy strategy, String name,
            SerializableFunction<List<Tensor>, ? extends Optimizer> optimizer) {
        JavaRDD<Example> data = SparkTestSupport.rdd(SparkTestSupport.blobs(90, 11), 3);
        DistributedTrainer trainer = DistributedTrainer.builder()
                .model(SparkTestSupport::mlp)
                .loss(CrossEntropyLoss::new)
                .optimizer(optimizer)
                .labels(Labels.CLASS_INDEX)
                .batchSize(16)
                .seed(5)
                .strategy(strategy)
                .build();
        double[] distributed;
        List<Double> losses = new java.util.ArrayList<>();
        BatchPlan plan;
        try (TrainingRun run = trainer.start(data)) {
            assertEquals(strategy, run.strategy());
            plan = run.plan();
            for (StepMetrics m : run.train(STEPS)) {
                losses.add(m.loss());
            }
            distributed = FlatParameters.values(run.model().parameters());
        }
        assertTrue(plan.stepsPerEpoch() < STEPS, "the run crosses an epoch boundary (reshuffle)");

        Module model = SparkTestSupport.mlp();
        Optimizer local = optimizer.apply(model.parameters());
        List<List<Example>> parts = SparkTestSupport.partitions(data);
        CrossEntropyLoss loss = new CrossEntropyLoss();
        double[] start = FlatParameters.values(model.parameters());
        for (int t = 0; t < STEPS; t++) {
            double expectedLoss = SparkTestSupport.loss(model, loss, Labels.CLASS_INDEX,
                    SparkTestSupport.globalBatch(parts, plan, t)).item();
            assertEquals(expectedLoss, losses.get(t), 1e-9, "loss of step " + t);
            SparkTestSupport.localStep(model, loss, local, Labels.CLASS_INDEX, parts, plan, t);
        }
        double[] expected = FlatParameters.values(model.parameters());
        assertTrue(SparkTestSupport.maxAbsDiff(start, expected) > 1e-2, "training moved the parameters");
        double diff = SparkTestSupport.maxAbsDiff(distributed, expected);
        assertTrue(diff <= 1e-9, name + " with " + strategy + ": max parameter difference " + diff);
    }
}
