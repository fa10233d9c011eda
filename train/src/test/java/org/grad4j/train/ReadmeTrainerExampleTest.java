package org.grad4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.grad4j.core.Grad4j;
import org.grad4j.core.Tensor;
import org.grad4j.nn.CrossEntropyLoss;
import org.grad4j.nn.Flatten;
import org.grad4j.nn.Linear;
import org.grad4j.nn.ReLU;
import org.grad4j.nn.Sequential;
import org.grad4j.nn.data.Mnist;
import org.grad4j.nn.data.TensorDataset;
import org.grad4j.optim.Adam;
import org.grad4j.optim.StepLR;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's Trainer example, run as written on a small synthetic stand-in for Fashion-MNIST. */
class ReadmeTrainerExampleTest {
    @TempDir
    Path dir;

    /** 28x28 images whose class is the brightest of 10 horizontal bands, plus noise. */
    private static TensorDataset bands(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] pixels = new float[n * 784];
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            int c = rng.nextInt(10);
            labels[i] = c;
            for (int p = 0; p < 784; p++) {
                int row = p / 28;
                pixels[i * 784 + p] = (float) (0.3 * rng.nextDouble() + (row / 3 == c ? 0.6 : 0));
            }
        }
        return new TensorDataset(Tensor.of(pixels, n, 28, 28), Tensor.of(labels, n));
    }

    @Test
    void readmeTrainerExample() throws Exception {
        TensorDataset train = bands(600, 1);
        TensorDataset validation = bands(200, 2);
        TensorDataset test = bands(200, 3);
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        Grad4j.manualSeed(42);
        var model = new Sequential(new Flatten(), new Linear(784, 128), new ReLU(), new Linear(128, 10));
        var optimizer = new Adam(model.parameters());
        Trainer trainer = Trainer.builder(model, optimizer, new CrossEntropyLoss())
                .epochs(20).batchSize(64).seed(42)
                .metrics(Metrics.accuracy(), Metrics.topK(3))
                .callbacks(EarlyStop.onValidationLoss(3),
                        new BestCheckpoint(dir.resolve("best.safetensors"), "val_accuracy"),
                        new SchedulerStep(new StepLR(optimizer, 5, 0.5)),
                        GradientClipping.norm(5.0))
                .classNames(Mnist.FASHION_CLASSES)
                .plotsTo(dir.resolve("plots"))
                .output(new PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8))
                .build();
        History history = trainer.fit(train, validation);
        Map<String, Double> score = trainer.evaluate(test);

        assertTrue(score.get("accuracy") > 0.9, "the bands are easy: " + score + "\n" + log);
        assertTrue(score.get("top3") >= score.get("accuracy"));
        assertEquals(java.util.List.of("loss", "accuracy", "top3", "val_loss", "val_accuracy", "val_top3", "lr"),
                java.util.List.copyOf(history.names()));
        assertTrue(Files.isRegularFile(dir.resolve("best.safetensors")));
        assertTrue(Files.isRegularFile(dir.resolve("plots/training-curves.png")));
        assertTrue(Files.isRegularFile(dir.resolve("plots/confusion-matrix.png")));
        assertEquals(200, history.confusionMatrix().orElseThrow().total());
    }
}
