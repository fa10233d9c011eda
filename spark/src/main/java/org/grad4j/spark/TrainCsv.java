package org.grad4j.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.grad4j.nn.CrossEntropyLoss;
import org.grad4j.nn.Linear;
import org.grad4j.nn.Loss;
import org.grad4j.nn.MSELoss;
import org.grad4j.nn.Module;
import org.grad4j.nn.ReLU;
import org.grad4j.nn.Sequential;
import org.grad4j.optim.Adam;
import org.grad4j.optim.AdamW;
import org.grad4j.optim.Optimizer;
import org.grad4j.optim.RMSProp;
import org.grad4j.optim.SGD;

/**
 * Trains a multi-layer perceptron on a CSV file with {@link DistributedTrainer}: the entry point for
 * {@code spark-submit} (see the module's documentation) and for trying the trainer on a local master.
 *
 * <pre>
 * java ... org.grad4j.spark.TrainCsv local[4] data.csv --label species --epochs 10
 * spark-submit --class org.grad4j.spark.TrainCsv grad4j-spark-all.jar submit hdfs:///data/train.csv --label y
 * </pre>
 */
public final class TrainCsv {
    static final String USAGE = """
            usage: TrainCsv <master> <data.csv> [options]
              <master>             a Spark master URL (local[4], spark://host:7077, yarn, k8s://...), or 'submit' to use
                                   the one spark-submit was given
              <data.csv>           a CSV file or directory with a header line, on any file system Spark reads
            options:
              --label NAME         the label column (default label); every other column is a feature
              --task classify|regress   cross-entropy over classes (default) or mean squared error on one output
              --classes K          the number of classes (default: the largest label + 1)
              --hidden N[,N...]    hidden layer widths (default 32)
              --optimizer adam|adamw|sgd|rmsprop   (default adam)
              --lr X               learning rate (default 0.01)
              --batch B            global batch size (default 64)
              --epochs E           (default 5)
              --partitions P       repartition the data into P partitions (default: as read)
              --strategy auto|driver|sliced       (default auto)
              --local-steps K      average parameters every K local steps (default 1: exact synchronous SGD)
              --validation F       fraction held out for validation (default 0.2; 0 for none)
              --seed S             (default 1)
              --checkpoint DIR     save after every epoch; resume from DIR when it holds a checkpoint
              --output FILE        save the trained model as safetensors
            """;

    private TrainCsv() {
    }

    /** Parses the arguments, trains, prints progress per epoch; exits with 2 on bad arguments. */
    public static void main(String[] args) throws IOException {
        Map<String, String> options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("TrainCsv: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        run(options, System.out);
    }

    static Map<String, String> parse(String[] args) {
        if (args.length < 2) {
            throw new IllegalArgumentException("expected a master URL and a data path, got " + args.length
                    + " argument(s)");
        }
        Map<String, String> options = new LinkedHashMap<>();
        options.put("master", args[0]);
        options.put("data", args[1]);
        List<String> known = List.of("label", "task", "classes", "hidden", "optimizer", "lr", "batch", "epochs",
                "partitions", "strategy", "local-steps", "validation", "seed", "checkpoint", "output");
        for (int i = 2; i < args.length; i += 2) {
            String key = args[i].startsWith("--") ? args[i].substring(2) : null;
            if (key == null || !known.contains(key)) {
                throw new IllegalArgumentException("unknown option '" + args[i] + "'");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + args[i] + " needs a value");
            }
            options.put(key, args[i + 1]);
        }
        return options;
    }

    static void run(Map<String, String> o, PrintStream out) throws IOException {
        SparkConf conf = new SparkConf().setAppName("grad4j TrainCsv");
        if (!o.get("master").equals("submit")) {
            conf.setMaster(o.get("master"));
        }
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        try {
            String label = o.getOrDefault("label", "label");
            long seed = Long.parseLong(o.getOrDefault("seed", "1"));
            JavaRDD<Example> all = Examples.fromCsv(spark, o.get("data"), label);
            if (o.containsKey("partitions")) {
                all = all.repartition(Integer.parseInt(o.get("partitions")));
            }
            double validationFraction = Double.parseDouble(o.getOrDefault("validation", "0.2"));
            JavaRDD<Example> train = all;
            JavaRDD<Example> validation = null;
            if (validationFraction > 0) {
                JavaRDD<Example>[] split = all.randomSplit(new double[] {1 - validationFraction, validationFraction}, seed);
                train = split[0];
                validation = split[1].cache();
            }
            Example first = train.first();
            int inputs = first.features().length;
            boolean classify = !o.getOrDefault("task", "classify").equals("regress");
            int outputs = classify ? Integer.parseInt(o.getOrDefault("classes",
                    Integer.toString((int) all.map(e -> e.label()[0]).reduce(Math::max).doubleValue() + 1))) : 1;
            int[] hidden = parseWidths(o.getOrDefault("hidden", "32"));
            String optimizerName = o.getOrDefault("optimizer", "adam");
            double lr = Double.parseDouble(o.getOrDefault("lr", "0.01"));
            SerializableFunction<List<Tensor>, ? extends Optimizer> optimizer = switch (optimizerName) {
                case "adam" -> params -> new Adam(params, Adam.options().lr(lr));
                case "adamw" -> params -> new AdamW(params, AdamW.options().lr(lr));
                case "sgd" -> params -> new SGD(params, SGD.options(lr).momentum(0.9));
                case "rmsprop" -> params -> new RMSProp(params, RMSProp.options().lr(lr));
                default -> throw new IllegalArgumentException("TrainCsv: unknown optimizer '" + optimizerName
                        + "'; use adam, adamw, sgd or rmsprop");
            };
            SerializableSupplier<Loss> loss = classify ? CrossEntropyLoss::new : MSELoss::new;
            DistributedTrainer trainer = DistributedTrainer.builder()
                    .model(() -> mlp(inputs, hidden, outputs, seed))
                    .loss(loss)
                    .optimizer(optimizer)
                    .labels(classify ? Labels.CLASS_INDEX : Labels.VALUES)
                    .batchSize(Integer.parseInt(o.getOrDefault("batch", "64")))
                    .seed(seed)
                    .strategy(Strategy.valueOf(o.getOrDefault("strategy", "auto").toUpperCase(Locale.ROOT)))
                    .localSteps(Integer.parseInt(o.getOrDefault("local-steps", "1")))
                    .build();
            Path checkpoint = o.containsKey("checkpoint") ? Path.of(o.get("checkpoint")) : null;
            boolean resume = checkpoint != null && Files.exists(checkpoint.resolve(Checkpoint.PROPERTIES));
            try (TrainingRun run = resume ? trainer.resume(train, checkpoint) : trainer.start(train)) {
                out.printf(Locale.ROOT, "%s %,d examples in %d partitions, %,d parameters, strategy %s, %d steps per"
                        + " epoch%s%n", resume ? "resuming at step " + run.stepCount() + ":" : "training:",
                        sum(run.plan().partitionSizes()), run.plan().partitions(),
                        run.model().parameterCount(), run.strategy(), run.plan().stepsPerEpoch(),
                        validation == null ? "" : ", validating on " + validation.count());
                int epochs = Integer.parseInt(o.getOrDefault("epochs", "5"));
                for (int e = 0; e < epochs; e++) {
                    EpochMetrics m = run.trainEpochs(1, validation).get(0);
                    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "epoch %d: train loss %.4f",
                            m.epoch() + 1, m.trainLoss()));
                    if (m.validation() != null) {
                        line.append(String.format(Locale.ROOT, ", validation loss %.4f", m.validation().loss()));
                        if (classify) {
                            line.append(String.format(Locale.ROOT, ", accuracy %.3f", m.validation().accuracy()));
                        }
                    }
                    out.println(line.append(String.format(Locale.ROOT, " (%.1f s)", m.millis() / 1000)));
                    if (checkpoint != null) {
                        run.saveCheckpoint(checkpoint);
                    }
                }
                if (o.containsKey("output")) {
                    run.model().save(Path.of(o.get("output")));
                    out.println("model saved to " + o.get("output"));
                }
            }
        } finally {
            spark.stop();
        }
    }

    /** The model: Linear and ReLU layers, float64, initialised from {@code seed}. */
    static Module mlp(int inputs, int[] hidden, int outputs, long seed) {
        List<Module> layers = new ArrayList<>();
        Random rng = new Random(seed);
        int width = inputs;
        for (int h : hidden) {
            layers.add(new Linear(width, h, true, DType.FLOAT64, rng));
            layers.add(new ReLU());
            width = h;
        }
        layers.add(new Linear(width, outputs, true, DType.FLOAT64, rng));
        return new Sequential(layers);
    }

    private static int[] parseWidths(String text) {
        String[] parts = text.split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Integer.parseInt(parts[i].trim());
        }
        return out;
    }

    private static long sum(long[] values) {
        long s = 0;
        for (long v : values) {
            s += v;
        }
        return s;
    }
}
