package org.grad4j.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;
import org.grad4j.core.DType;
import org.grad4j.core.Grad;
import org.grad4j.core.Tensor;
import org.grad4j.nn.CrossEntropyLoss;
import org.grad4j.nn.Linear;
import org.grad4j.nn.ReLU;
import org.grad4j.nn.Sequential;
import org.grad4j.nn.data.DataLoader;
import org.grad4j.nn.data.Splits;
import org.grad4j.nn.data.Standardizer;
import org.grad4j.nn.data.TensorDataset;
import org.grad4j.optim.Optimizer;
import org.grad4j.optim.SGD;
import org.grad4j.train.EarlyStop;
import org.grad4j.train.History;
import org.grad4j.train.Metrics;
import org.grad4j.train.Trainer;

/**
 * The study notes' training story on the 8x8 handwritten digits (1,797 images, shipped with this module; see
 * DIGITS-SOURCE.md): train / validation / test split, normalisation fitted on the training set only, mini-batch
 * gradient descent with per-epoch shuffling, a look at learning-rate trade-offs (with the manual loop), then the
 * {@link Trainer}: progress display, early stopping on the validation loss with the best weights restored, training
 * curves and a confusion matrix as PNG files, a test score, and a safetensors checkpoint reloaded into a fresh model.
 */
public final class DigitsClassifier {
    private static final long SEED = 7;
    private static final int BATCH = 32;

    private DigitsClassifier() {
    }

    /** Runs the digits story; prints as it goes. */
    public static void main(String[] args) throws IOException {
        TensorDataset all = load();
        List<TensorDataset> parts = Splits.random(all, new double[] {0.7, 0.15, 0.15}, SEED);
        TensorDataset rawTrain = parts.get(0);
        Standardizer scale = Standardizer.fit(rawTrain.features());
        TensorDataset train = rawTrain.withFeatures(scale.transform(rawTrain.features()));
        TensorDataset validation = parts.get(1).withFeatures(scale.transform(parts.get(1).features()));
        TensorDataset test = parts.get(2).withFeatures(scale.transform(parts.get(2).features()));
        System.out.printf("%d images of 8x8 pixels: %d train, %d validation, %d test; pixels standardised with the"
                + " training set's mean and std%n", all.size(), train.size(), validation.size(), test.size());

        System.out.println();
        System.out.println("== Learning-rate trade-offs: 3 epochs of SGD at each rate, validation loss after each");
        for (double lr : new double[] {0.001, 0.1, 3.0}) {
            Sequential model = newModel();
            Optimizer sgd = new SGD(model.parameters(), lr);
            DataLoader loader = new DataLoader(train, BATCH, true, SEED);
            StringBuilder losses = new StringBuilder();
            for (int epoch = 0; epoch < 3; epoch++) {
                trainOneEpoch(model, sgd, loader);
                double loss = evaluate(model, validation)[0];
                losses.append(String.format(Math.abs(loss) < 1e4 ? "%10.4f" : "%10.2e", loss));
            }
            String verdict = lr < 0.01 ? "too small: slow progress" : lr > 1 ? "too large: unstable or diverging"
                    : "a workable rate";
            System.out.printf("lr %-6s %s   (%s)%n", lr, losses, verdict);
        }

        System.out.println();
        System.out.println("== Training with the Trainer: SGD with momentum 0.9, lr 0.05, batches of " + BATCH
                + ", reshuffled every epoch; early stopping with patience 5, best weights restored");
        Sequential model = newModel();
        System.out.println(model);
        Optimizer optimizer = new SGD(model.parameters(), SGD.options(0.05).momentum(0.9));
        Path plots = Path.of("target", "digits");
        Trainer trainer = Trainer.builder(model, optimizer, new CrossEntropyLoss())
                .epochs(200)
                .batchSize(BATCH)
                .seed(SEED)
                .metrics(Metrics.accuracy())
                .callbacks(EarlyStop.onValidationLoss(5).minDelta(1e-4))
                .classNames(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"))
                .plotsTo(plots)
                .build();
        History history = trainer.fit(train, validation);
        Map<String, Double> testScore = trainer.evaluate(test);
        System.out.printf("best epoch %d of %d; test loss %.4f, test accuracy %.1f%% (%d images never seen in"
                + " training or model selection)%n", history.bestEpoch("val_loss"), history.size(),
                testScore.get("loss"), 100 * testScore.get("accuracy"), test.size());
        for (Path image : history.images()) {
            System.out.println("picture: " + image);
        }

        Path checkpoint = Path.of("target", "digits-mlp.safetensors");
        Files.createDirectories(checkpoint.getParent());
        model.save(checkpoint);
        Sequential reloaded = newModel();
        reloaded.load(checkpoint);
        double[] again = evaluate(reloaded, test);
        System.out.printf("checkpoint %s (%d bytes) reloaded into a fresh model: test accuracy %.1f%%%n",
                checkpoint.toAbsolutePath(), Files.size(checkpoint), 100 * again[1]);
    }

    private static Sequential newModel() {
        SplittableRandom rng = new SplittableRandom(SEED);
        return new Sequential(
                new Linear(64, 32, true, DType.FLOAT32, rng),
                new ReLU(),
                new Linear(32, 10, true, DType.FLOAT32, rng));
    }

    /** One pass over the shuffled training set; returns the mean training loss. */
    private static double trainOneEpoch(Sequential model, Optimizer optimizer, DataLoader loader) {
        model.train();
        CrossEntropyLoss lossFn = new CrossEntropyLoss();
        double total = 0;
        int batches = 0;
        for (TensorDataset.Batch batch : loader) {
            Tensor loss = lossFn.forward(model.forward(batch.features()), batch.targets());
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
            total += loss.item();
            batches++;
        }
        return total / batches;
    }

    /** Mean loss and accuracy over a dataset, with recording off. */
    private static double[] evaluate(Sequential model, TensorDataset data) {
        model.eval();
        return Grad.noGrad(() -> {
            Tensor logits = model.forward(data.features());
            double loss = new CrossEntropyLoss().forward(logits, data.targets()).item();
            double accuracy = logits.argmax(1).eq(data.targets()).to(DType.FLOAT32).mean().item();
            return new double[] {loss, accuracy};
        });
    }

    /** Reads the shipped CSV: 64 pixel values then the label, per row. */
    static TensorDataset load() throws IOException {
        List<float[]> rows = new ArrayList<>();
        try (InputStream raw = DigitsClassifier.class.getResourceAsStream("digits.csv.gz")) {
            if (raw == null) {
                throw new IOException("digits.csv.gz is missing from the examples module's resources");
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw),
                    StandardCharsets.US_ASCII));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] cells = line.split(",");
                if (cells.length != 65) {
                    throw new IOException("digits.csv.gz: row " + (rows.size() + 1) + " has " + cells.length
                            + " values, expected 65");
                }
                float[] row = new float[65];
                for (int i = 0; i < 65; i++) row[i] = Float.parseFloat(cells[i]);
                rows.add(row);
            }
        }
        int n = rows.size();
        float[] pixels = new float[n * 64];
        long[] labels = new long[n];   // class indices are int64, as in PyTorch
        for (int i = 0; i < n; i++) {
            System.arraycopy(rows.get(i), 0, pixels, i * 64, 64);
            labels[i] = (long) rows.get(i)[64];
        }
        return new TensorDataset(Tensor.of(pixels, n, 64), Tensor.of(labels, n));
    }
}
