package org.grad4j.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.grad4j.core.Grad4j;
import org.grad4j.core.Tensor;
import org.grad4j.nn.CrossEntropyLoss;
import org.grad4j.nn.Flatten;
import org.grad4j.nn.Linear;
import org.grad4j.nn.Module;
import org.grad4j.nn.ReLU;
import org.grad4j.nn.Sequential;
import org.grad4j.nn.data.DataLoader;
import org.grad4j.nn.data.ImageTransforms;
import org.grad4j.nn.data.Mnist;
import org.grad4j.nn.data.Splits;
import org.grad4j.nn.data.TensorDataset;
import org.grad4j.optim.Adam;
import org.grad4j.train.Charts;
import org.grad4j.train.ConfusionMatrix;
import org.grad4j.train.History;
import org.grad4j.train.Metrics;
import org.grad4j.train.Trainer;

/**
 * Fashion-MNIST (70,000 28x28 grey images of clothes, 10 classes) with the {@link Trainer}: 55,000 images to train,
 * 5,000 to validate (stratified), the official 10,000 to test. Needs the four IDX files (plain or gzipped) in
 * {@code /usr/share/datasets/fashion-mnist} or the directory given by {@code -Dgrad4j.data=...}.
 * <pre>
 * mvn -q compile exec:exec -pl examples -am -Dgrad4j.demo=fashion
 * </pre>
 * Models by name ({@code -Dgrad4j.demo=fashion} is the MLP): see {@link #model(String)}.
 */
public final class FashionMnistExample {
    /** Where the files are looked for unless {@code -Dgrad4j.data} says otherwise. */
    public static final Path DEFAULT_DIRECTORY = Path.of("/usr/share/datasets/fashion-mnist");
    private static final long SEED = 42;

    private FashionMnistExample() {
    }

    /**
     * The model for a name: {@code mlp} (784-128-10) or {@code cnn} ({@link FashionCnn}'s network behind a channel
     * dim). Add new architectures here: the input is {@code [batch, 28, 28]} with pixels in [0, 1] and the output 10
     * logits.
     */
    static Module model(String kind) {
        return switch (kind) {
            case "mlp" -> new Sequential(new Flatten(), new Linear(784, 128), new ReLU(), new Linear(128, 10));
            case "cnn" -> new Sequential(new ChannelDim(), FashionCnn.model(SEED));
            default -> throw new IllegalArgumentException("Fashion-MNIST example: unknown model '" + kind
                    + "'; known: mlp, cnn");
        };
    }

    /** {@code [N, H, W] -> [N, 1, H, W]}: grey images as the one-channel input of a convolution. */
    static final class ChannelDim extends Module {
        @Override
        public Tensor forward(Tensor x) {
            return x.unsqueeze(1);
        }
    }

    private static TensorDataset pixelsToFloat(TensorDataset raw) {
        return raw.withFeatures(ImageTransforms.toFloat(raw.features()));
    }

    /** Trains the model named {@code kind} ("mlp", "cnn") on the files in {@code directory} and reports. */
    public static void run(String kind, Path directory) throws IOException {
        if (!Mnist.isPresent(directory)) {
            System.out.println("Fashion-MNIST files not found in " + directory + ": put train-images-idx3-ubyte.gz,"
                    + " train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz there,"
                    + " or pass -Dgrad4j.data=<directory>");
            return;
        }
        long start = System.nanoTime();
        TensorDataset all = pixelsToFloat(Mnist.load(directory, true));      // uint8 0..255 -> float32 0..1
        TensorDataset test = pixelsToFloat(Mnist.load(directory, false));
        List<TensorDataset> parts = Splits.stratified(all, new double[] {55.0 / 60, 5.0 / 60}, SEED);
        System.out.printf("Fashion-MNIST from %s: %d train, %d validation, %d test images (read in %.1f s)%n",
                directory, parts.get(0).size(), parts.get(1).size(), test.size(), (System.nanoTime() - start) / 1e9);

        Grad4j.manualSeed(SEED);
        Module model = model(kind);
        System.out.println(model);
        Path plots = Path.of("target", "fashion-mnist-" + kind);
        Trainer trainer = Trainer.builder(model, new Adam(model.parameters()), new CrossEntropyLoss())
                .epochs(10)
                .batchSize(64)
                .seed(SEED)
                .metrics(Metrics.accuracy())
                .plotsTo(plots)
                .build();
        History history = trainer.fit(parts.get(0), parts.get(1));
        Map<String, Double> score = trainer.evaluate(test);
        double[] seconds = history.epochs().stream().mapToDouble(History.Epoch::seconds).toArray();
        double mean = java.util.Arrays.stream(seconds).average().orElse(Double.NaN);
        System.out.printf("%s: test accuracy %.2f%% (loss %.4f) after %d epochs; %.2f s per epoch on average"
                + " (validation included)%n", kind, 100 * score.get("accuracy"), score.get("loss"), history.size(),
                mean);
        ConfusionMatrix matrix = trainer.confusionMatrix(new DataLoader(test, 1000, false, 0));
        Path confusion = Charts.writeConfusionMatrix(matrix, Mnist.FASHION_CLASSES,
                plots.resolve("test-confusion-matrix.png"));
        for (Path image : history.images()) System.out.println("picture: " + image);
        System.out.println("picture: " + confusion + " (test set)");
    }
}
