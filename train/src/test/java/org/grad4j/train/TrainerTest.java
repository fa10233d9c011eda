package org.grad4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.grad4j.nn.CrossEntropyLoss;
import org.grad4j.nn.Linear;
import org.grad4j.nn.MSELoss;
import org.grad4j.nn.Sequential;
import org.grad4j.nn.data.TensorDataset;
import org.grad4j.optim.ClipGrad;
import org.grad4j.optim.SGD;
import org.grad4j.optim.StepLR;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    @TempDir
    Path dir;

    /** y = x on 8 points in [-1, 1], one weight starting at 0. */
    private static TensorDataset line(double slope) {
        double[] x = new double[8];
        double[] y = new double[8];
        for (int i = 0; i < 8; i++) {
            x[i] = -1 + 2.0 * i / 7;
            y[i] = slope * x[i];
        }
        return new TensorDataset(Tensor.of(x, 8, 1), Tensor.of(y, 8, 1));
    }

    private static Linear zeroWeight() {
        Linear layer = new Linear(1, 1, false, DType.FLOAT64, new SplittableRandom(0));
        org.grad4j.nn.Init.zeros(layer.weight());
        return layer;
    }

    private static String run(Trainer.Builder builder, TensorDataset train, TensorDataset validation) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        builder.output(new PrintStream(bytes, true, StandardCharsets.UTF_8)).build().fit(train, validation);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void callbacksRunInTheDocumentedOrder() {
        List<String> events = new ArrayList<>();
        Callback recorder = new Callback() {
            public void onTrainBegin(TrainingContext c) {
                events.add("begin");
            }

            public void onEpochBegin(TrainingContext c, int epoch) {
                events.add("epoch" + epoch);
            }

            public void afterBackward(TrainingContext c) {
                events.add("backward");
            }

            public void onBatchEnd(TrainingContext c, int batch, double loss) {
                events.add("batch" + batch);
            }

            public void onEpochEnd(TrainingContext c, int epoch, Map<String, Double> values) {
                events.add("end" + epoch + values.keySet());
            }

            public void onTrainEnd(TrainingContext c) {
                events.add("finish");
            }
        };
        Linear model = zeroWeight();
        run(Trainer.builder(model, new SGD(model.parameters(), 0.1), new MSELoss()).epochs(2).batchSize(4)
                .metrics(Metrics.mae()).callbacks(recorder).progress(Progress.NONE), line(1), line(1));
        assertEquals(List.of("begin", "epoch1", "backward", "batch0", "backward", "batch1",
                "end1[loss, mae, val_loss, val_mae, lr]", "epoch2", "backward", "batch0", "backward", "batch1",
                "end2[loss, mae, val_loss, val_mae, lr]", "finish"), events);
    }

    @Test
    void plainLinesOnePerEpochWithTheValues() {
        Linear model = zeroWeight();
        String text = run(Trainer.builder(model, new SGD(model.parameters(), 0.1), new MSELoss()).epochs(3)
                .batchSize(8).metrics(Metrics.rmse()).progress(Progress.LINES), line(1), line(1));
        assertFalse(text.contains("\r"));
        String[] lines = text.split("\n");
        assertEquals(3, lines.length, text);
        Pattern format = Pattern.compile("epoch [1-3]/3  loss \\d\\.\\d{4}  rmse \\d\\.\\d{4}  val_loss \\d\\.\\d{4}"
                + "  val_rmse \\d\\.\\d{4}  lr 0\\.1000  \\(\\d+\\.\\d\\d s, [\\d,]+ samples/s\\)");
        for (String l : lines) assertTrue(format.matcher(l).matches(), l);
    }

    @Test
    void barRedrawsInPlaceAndEndsWithTheEpochLine() {
        Linear model = zeroWeight();
        String text = run(Trainer.builder(model, new SGD(model.parameters(), 0.1), new MSELoss()).epochs(2)
                .batchSize(2).progress(Progress.BAR), line(1), null);
        assertTrue(text.contains("\repoch 1/2 [") && text.contains("4/4") && text.contains("samples/s"), text);
        assertTrue(text.contains("ETA"), text);
        String[] lines = text.split("\n");
        assertEquals(2, lines.length);
        assertTrue(lines[1].substring(lines[1].lastIndexOf('\r') + 1).startsWith("epoch 2/2  loss "), lines[1]);
    }

    @Test
    void historyMatchesAHandComputedSgdRun() {
        // Full batch, loss mean((w x - x)^2) = (w - 1)^2 m with m = mean(x^2); gradient 2 (w - 1) m.
        TensorDataset data = line(1);
        double m = data.features().square().mean().item();
        Linear model = zeroWeight();
        Trainer.Builder b = Trainer.builder(model, new SGD(model.parameters(), 0.5), new MSELoss()).epochs(3)
                .batchSize(8).progress(Progress.NONE);
        History h = b.build().fit(data, data);
        double w = 0;
        double[] expectedTrain = new double[3];
        double[] expectedValidation = new double[3];
        for (int e = 0; e < 3; e++) {
            expectedTrain[e] = (w - 1) * (w - 1) * m;          // measured before the step
            w -= 0.5 * 2 * (w - 1) * m;
            expectedValidation[e] = (w - 1) * (w - 1) * m;     // measured after the epoch
        }
        assertArrayEquals(expectedTrain, h.series("loss"), 1e-12);
        assertArrayEquals(expectedValidation, h.series("val_loss"), 1e-12);
        assertEquals(3, h.size());
        assertEquals(3, h.bestEpoch("val_loss"));
        assertEquals(List.of("loss", "val_loss", "lr"), List.copyOf(h.names()));
        assertEquals(w, model.weight().item(), 1e-12);
    }

    @Test
    void earlyStoppingRestoresTheBestWeights() throws Exception {
        // Trained towards y = x, validated against y = 0.3 x: the validation loss falls while w < 0.3, then rises.
        Linear model = zeroWeight();
        EarlyStop stop = EarlyStop.onValidationLoss(2);
        Path checkpoint = dir.resolve("best.safetensors");
        BestCheckpoint best = new BestCheckpoint(checkpoint, "val_loss");
        Trainer trainer = Trainer.builder(model, new SGD(model.parameters(), 0.1), new MSELoss()).epochs(50)
                .batchSize(8).callbacks(stop, best).progress(Progress.NONE).build();
        History h = trainer.fit(line(1), line(0.3));
        int bestEpoch = h.bestEpoch("val_loss");
        assertEquals(bestEpoch + 2, h.size(), "stopped after 2 epochs without improvement");
        assertTrue(h.stopReason().orElseThrow().contains("has not improved for 2 epochs"));
        assertEquals(bestEpoch, stop.bestEpoch());
        assertEquals(bestEpoch, best.bestEpoch());
        double restoredLoss = trainer.evaluate(line(0.3)).get("loss");
        assertEquals(h.series("val_loss")[bestEpoch - 1], restoredLoss, 1e-12, "weights of the best epoch are back");
        Linear fromFile = zeroWeight();
        fromFile.load(checkpoint);
        assertEquals(model.weight().item(), fromFile.weight().item(), 0, "the checkpoint holds the best weights");
    }

    @Test
    void schedulerStepsPerEpochAndClippingBoundsTheGradient() {
        Linear model = zeroWeight();
        SGD sgd = new SGD(model.parameters(), 0.4);
        double[] norms = new double[1];
        Callback measure = new Callback() {
            public void afterBackward(TrainingContext c) {
                norms[0] = Math.max(norms[0], ClipGrad.clipGradNorm(c.model().parameters(), Double.MAX_VALUE));
            }
        };
        GradientClipping clip = GradientClipping.norm(0.01);
        History h = Trainer.builder(model, sgd, new MSELoss()).epochs(4).batchSize(8)
                .callbacks(new SchedulerStep(new StepLR(sgd, 1, 0.5)), clip, measure).progress(Progress.NONE)
                .build().fit(line(1), null);
        assertArrayEquals(new double[] {0.4, 0.2, 0.1, 0.05}, h.series("lr"), 1e-15);
        assertTrue(norms[0] <= 0.01 + 1e-12, "clipped before the step, max norm seen " + norms[0]);
        assertTrue(clip.lastNorm() > 0.01);
    }

    @Test
    void picturesAreWrittenAsPngsOfTheExpectedSize() throws Exception {
        double[] x = new double[60];
        long[] y = new long[30];
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 30; i++) {
            int c = i % 3;
            y[i] = c;
            x[2 * i] = c + 0.3 * rng.nextGaussian();
            x[2 * i + 1] = -c + 0.3 * rng.nextGaussian();
        }
        TensorDataset data = new TensorDataset(Tensor.of(x, 30, 2), Tensor.of(y, 30));
        Sequential model = new Sequential(new Linear(2, 3, true, DType.FLOAT64, new SplittableRandom(1)));
        History h = Trainer.builder(model, new SGD(model.parameters(), 0.5), new CrossEntropyLoss()).epochs(5)
                .batchSize(10).seed(1).metrics(Metrics.accuracy()).classNames(List.of("a", "b", "c"))
                .plotsTo(dir.resolve("plots")).progress(Progress.NONE).build().fit(data, data);
        assertEquals(2, h.images().size());
        BufferedImage curves = ImageIO.read(h.images().get(0).toFile());
        assertEquals(2 * Charts.PANEL_WIDTH, curves.getWidth());
        assertEquals(Charts.PANEL_HEIGHT, curves.getHeight());
        BufferedImage cm = ImageIO.read(dir.resolve("plots/confusion-matrix.png").toFile());
        assertArrayEquals(Charts.confusionMatrixSize(3), new int[] {cm.getWidth(), cm.getHeight()});
        assertEquals(30, h.confusionMatrix().orElseThrow().total());
        try (var files = Files.list(dir.resolve("plots"))) {
            assertEquals(2, files.count(), "no temporary files left behind");
        }
    }

    @Test
    void sameSeedSameHistory() {
        TensorDataset data = line(1);
        double[][] runs = new double[2][];
        for (int r = 0; r < 2; r++) {
            Linear model = zeroWeight();
            runs[r] = Trainer.builder(model, new SGD(model.parameters(), 0.1), new MSELoss()).epochs(3).batchSize(3)
                    .seed(7).progress(Progress.NONE).build().fit(data, null).series("loss");
        }
        assertArrayEquals(runs[0], runs[1], 0);
    }
}
