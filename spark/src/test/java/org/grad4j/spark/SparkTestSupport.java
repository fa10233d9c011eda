package org.grad4j.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.grad4j.core.DType;
import org.grad4j.core.Grad;
import org.grad4j.core.Tensor;
import org.grad4j.nn.Linear;
import org.grad4j.nn.Loss;
import org.grad4j.nn.Module;
import org.grad4j.nn.Sequential;
import org.grad4j.nn.Tanh;
import org.grad4j.optim.Optimizer;

/** One embedded Spark for the whole test JVM (startup costs seconds), and the single-machine reference. */
final class SparkTestSupport {
    private static SparkSession session;

    private SparkTestSupport() {
    }

    /**
     * {@code local[2,2]}: two threads, and a failed task is tried once more (tests without failures run as on
     * {@code local[2]}). Loopback only, no UI.
     */
    static synchronized SparkSession spark() {
        if (session == null) {
            SparkConf conf = new SparkConf()
                    .setMaster("local[2,2]")
                    .setAppName("grad4j-spark-tests")
                    .set("spark.ui.enabled", "false")
                    .set("spark.driver.host", "127.0.0.1")
                    .set("spark.driver.bindAddress", "127.0.0.1")
                    .set("spark.sql.shuffle.partitions", "2")
                    .set("spark.log.level", "WARN");
            session = SparkSession.builder().config(conf).getOrCreate();
            Runtime.getRuntime().addShutdownHook(new Thread(session::stop));
        }
        return session;
    }

    static JavaSparkContext jsc() {
        return JavaSparkContext.fromSparkContext(spark().sparkContext());
    }

    /** A small float64 MLP, 4 -> 8 -> 3, with fixed initial values. */
    static Module mlp() {
        return new Sequential(new Linear(4, 8, true, DType.FLOAT64, new Random(1)), new Tanh(),
                new Linear(8, 3, true, DType.FLOAT64, new Random(2)));
    }

    /** {@code n} examples: 4 features, a class in 0..2 that depends on them (learnable), fixed by {@code seed}. */
    static List<Example> blobs(int n, long seed) {
        Random rng = new Random(seed);
        double[][] centres = {{2, 0, 0, 1}, {-2, 1, 0, -1}, {0, -2, 1, 0}};
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int c = rng.nextInt(3);
            double[] x = new double[4];
            for (int j = 0; j < 4; j++) {
                x[j] = centres[c][j] + rng.nextGaussian();
            }
            out.add(Example.of(x, c));
        }
        return out;
    }

    static JavaRDD<Example> rdd(List<Example> examples, int partitions) {
        return jsc().parallelize(examples, partitions);
    }

    /** The examples of each partition, numbered as the trainer numbers them ({@link Example#CONTENT_ORDER}). */
    static List<List<Example>> partitions(JavaRDD<Example> data) {
        List<List<Example>> parts = new ArrayList<>();
        for (List<Example> part : data.glom().collect()) {
            List<Example> sorted = new ArrayList<>(part);
            sorted.sort(Example.CONTENT_ORDER);
            parts.add(sorted);
        }
        return parts;
    }

    /** The combined global batch of step {@code step}: every partition's rows, partition after partition. */
    static List<Example> globalBatch(List<List<Example>> parts, BatchPlan plan, long step) {
        List<Example> batch = new ArrayList<>();
        for (int p = 0; p < parts.size(); p++) {
            for (int row : plan.indices(p, step)) {
                batch.add(parts.get(p).get(row));
            }
        }
        return batch;
    }

    /** The mean loss over {@code batch}, recorded, on a single machine. */
    static Tensor loss(Module model, Loss loss, Labels labels, List<Example> batch) {
        int n = batch.size();
        int d = batch.get(0).features().length;
        int k = batch.get(0).label().length;
        double[] x = new double[n * d];
        double[] y = new double[n * k];
        for (int i = 0; i < n; i++) {
            System.arraycopy(batch.get(i).features(), 0, x, i * d, d);
            System.arraycopy(batch.get(i).label(), 0, y, i * k, k);
        }
        try (Grad.Scope on = Grad.enabled()) {
            return loss.forward(model.forward(Tensor.of(x, n, d)), labels.toTensor(y, n, k, DType.FLOAT64));
        }
    }

    /** One single-machine step on the combined batch of step {@code step}. */
    static void localStep(Module model, Loss loss, Optimizer optimizer, Labels labels, List<List<Example>> parts,
            BatchPlan plan, long step) {
        optimizer.zeroGrad();
        loss(model, loss, labels, globalBatch(parts, plan, step)).backward();
        optimizer.step();
    }

    static double maxAbsDiff(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        }
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
