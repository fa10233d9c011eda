package org.grad4j.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.grad4j.core.DType;
import org.grad4j.nn.Linear;
import org.grad4j.nn.MSELoss;
import org.grad4j.nn.Module;
import org.grad4j.nn.ReLU;
import org.grad4j.nn.Sequential;
import org.grad4j.optim.Adam;
import org.grad4j.optim.Optimizer;
import org.junit.jupiter.api.Test;

/**
 * Per-step time of distributed training in local mode against parameter count and against compute per step, for
 * both strategies, next to the same step on one machine without Spark. Not part of {@code mvn test} (the name does
 * not match the test patterns); run it with
 *
 * <pre>
 * mvn -B -q test -pl spark -am -Dtest=SyncOverheadBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * and read the tables on standard output ({@code -Dbench.steps=N} changes the measured steps, default 8).
 */
class SyncOverheadBenchmark {
    static final int STEPS = Integer.getInteger("bench.steps", 8);

    @Test
    void overheadAgainstParameterCount() {
        warmUp();
        System.out.println("\nstep time against parameter count (one Linear layer, global batch 4, local[2], 2 partitions, Adam)");
        System.out.println("| parameters | one machine (ms) | driver strategy (ms) | sliced strategy (ms) |");
        System.out.println("| ---: | ---: | ---: | ---: |");
        for (int[] shape : new int[][] {{10, 100}, {100, 100}, {100, 1000}, {1000, 1000}, {1000, 10000}}) {
            int in = shape[0];
            int out = shape[1];
            SerializableSupplier<Module> model = () -> new Linear(in, out, true, DType.FLOAT64, new Random(1));
            JavaRDD<Example> data = SparkTestSupport.jsc().parallelize(regression(64, in, out, 3), 2).cache();
            double local = localStep(model, data, 4);
            double driver = distributedStep(model, data, 4, Strategy.DRIVER);
            double sliced = distributedStep(model, data, 4, Strategy.SLICED);
            System.out.printf(Locale.ROOT, "| %,d | %.2f | %.1f | %.1f |%n", (long) in * out + out, local, driver, sliced);
            data.unpersist();
        }
    }

    @Test
    void overheadAgainstComputePerStep() {
        warmUp();
        System.out.println("\nstep time against compute per step (MLP 64-256-256-1, 83,713 parameters, local[2], 2 partitions, Adam)");
        System.out.println("| global batch | one machine (ms) | driver strategy (ms) | sliced strategy (ms) |");
        System.out.println("| ---: | ---: | ---: | ---: |");
        SerializableSupplier<Module> model = () -> new Sequential(new Linear(64, 256, true, DType.FLOAT64, new Random(1)),
                new ReLU(), new Linear(256, 256, true, DType.FLOAT64, new Random(2)), new ReLU(),
                new Linear(256, 1, true, DType.FLOAT64, new Random(3)));
        JavaRDD<Example> data = SparkTestSupport.jsc().parallelize(regression(16384, 64, 1, 4), 2).cache();
        for (int batch : new int[] {16, 256, 2048, 16384}) {
            double local = localStep(model, data, batch);
            double driver = distributedStep(model, data, batch, Strategy.DRIVER);
            double sliced = distributedStep(model, data, batch, Strategy.SLICED);
            System.out.printf(Locale.ROOT, "| %,d | %.1f | %.1f | %.1f |%n", batch, local, driver, sliced);
        }
        data.unpersist();
    }

    private static boolean warm;

    /** A first, untimed round of every path, so the JIT has compiled them before anything is measured. */
    private static synchronized void warmUp() {
        if (warm) {
            return;
        }
        warm = true;
        SerializableSupplier<Module> model = () -> new Linear(100, 100, true, DType.FLOAT64, new Random(1));
        JavaRDD<Example> data = SparkTestSupport.jsc().parallelize(regression(256, 100, 100, 3), 2).cache();
        for (int i = 0; i < 3; i++) {
            localStep(model, data, 64);
            distributedStep(model, data, 64, Strategy.DRIVER);
            distributedStep(model, data, 64, Strategy.SLICED);
        }
        data.unpersist();
    }

    private static List<Example> regression(int n, int in, int out, long seed) {
        Random rng = new Random(seed);
        List<Example> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] x = new double[in];
            for (int j = 0; j < in; j++) {
                x[j] = rng.nextGaussian();
            }
            double[] y = new double[out];
            for (int j = 0; j < out; j++) {
                y[j] = rng.nextGaussian();
            }
            list.add(new Example(x, y));
        }
        return list;
    }

    private static DistributedTrainer trainer(SerializableSupplier<Module> model, int batch, Strategy strategy) {
        return DistributedTrainer.builder()
                .model(model)
                .loss(MSELoss::new)
                .optimizer(params -> new Adam(params, Adam.options().lr(1e-3)))
                .batchSize(batch)
                .strategy(strategy)
                .build();
    }

    /** The median step time (ms) of {@code STEPS} steps after two warm-up steps. */
    private static double distributedStep(SerializableSupplier<Module> model, JavaRDD<Example> data, int batch,
            Strategy strategy) {
        try (TrainingRun run = trainer(model, batch, strategy).start(data)) {
            run.train(2);
            double[] times = new double[STEPS];
            for (int i = 0; i < STEPS; i++) {
                times[i] = run.step().millis();
            }
            return median(times);
        }
    }

    /** The median time (ms) of the same step on one machine: forward, backward and Adam on the whole batch. */
    private static double localStep(SerializableSupplier<Module> factory, JavaRDD<Example> data, int batch) {
        List<List<Example>> parts = SparkTestSupport.partitions(data);
        BatchPlan plan = new BatchPlan(new long[] {parts.get(0).size(), parts.get(1).size()}, batch, 0);
        Module model = factory.get();
        Optimizer adam = new Adam(model.parameters(), Adam.options().lr(1e-3));
        MSELoss loss = new MSELoss();
        double[] times = new double[STEPS];
        for (int i = -2; i < STEPS; i++) {
            List<Example> examples = SparkTestSupport.globalBatch(parts, plan, i + 2);
            long start = System.nanoTime();
            adam.zeroGrad();
            SparkTestSupport.loss(model, loss, Labels.VALUES, examples).backward();
            adam.step();
            if (i >= 0) {
                times[i] = (System.nanoTime() - start) / 1e6;
            }
        }
        return median(times);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s[s.length / 2];
    }
}
