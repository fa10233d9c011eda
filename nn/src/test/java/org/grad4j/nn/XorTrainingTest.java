package org.grad4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.grad4j.core.DType;
import org.grad4j.core.Grad;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;

/** End to end: a Sequential MLP learns XOR with plain gradient descent written out here. */
class XorTrainingTest {

    @Test
    void mlpLearnsXorToFullAccuracy() {
        SplittableRandom rng = new SplittableRandom(2024);
        Sequential model = new Sequential(
                new Linear(2, 8, true, DType.FLOAT32, rng),
                new Tanh(),
                new Linear(8, 1, true, DType.FLOAT32, rng));
        Tensor x = Tensor.of(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});
        Tensor y = Tensor.of(new float[][] {{0}, {1}, {1}, {0}});
        Loss criterion = new BCEWithLogitsLoss();
        double lr = 0.5;
        double first = Double.NaN;
        double last = Double.NaN;
        for (int step = 0; step < 2000; step++) {
            model.zeroGrad();
            Tensor loss = criterion.forward(model.forward(x), y);
            loss.backward();
            Grad.noGrad(() -> {
                for (Tensor p : model.parameters()) {
                    p.subInPlace(p.grad().mul(lr));
                }
            });
            last = loss.item();
            if (step == 0) first = last;
        }
        assertTrue(last < 0.05 * first, "loss fell from " + first + " to " + last);
        Tensor predictions = Grad.noGrad(() -> model.forward(x).gt(0));
        float[] predicted = predictions.toFloatArray();
        float[] expected = y.toFloatArray();
        int correct = 0;
        for (int i = 0; i < 4; i++) {
            if (predicted[i] == expected[i]) correct++;
        }
        assertEquals(4, correct, "accuracy on the four XOR points");
    }

    @Test
    void mseVersionAlsoLearnsXorAndSurvivesASaveLoadCycle(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        SplittableRandom rng = new SplittableRandom(7);
        Sequential model = new Sequential(new Linear(2, 8, true, DType.FLOAT64, rng), new Tanh(),
                new Linear(8, 1, true, DType.FLOAT64, rng));
        Tensor x = Tensor.of(new double[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});
        Tensor y = Tensor.of(new double[][] {{-1}, {1}, {1}, {-1}});
        for (int step = 0; step < 1500; step++) {
            model.zeroGrad();
            Losses.mse(model.forward(x), y).backward();
            Grad.noGrad(() -> {
                for (Tensor p : model.parameters()) p.subInPlace(p.grad().mul(0.1));
            });
        }
        java.nio.file.Path file = dir.resolve("xor.safetensors");
        model.save(file);
        Sequential restored = new Sequential(new Linear(2, 8, true, DType.FLOAT64, new SplittableRandom(1)),
                new Tanh(), new Linear(8, 1, true, DType.FLOAT64, new SplittableRandom(2)));
        restored.load(file);
        double[] out = restored.forward(x).toDoubleArray();
        double[] target = y.toDoubleArray();
        for (int i = 0; i < 4; i++) {
            assertEquals(Math.signum(target[i]), Math.signum(out[i]), "point " + i + ": " + out[i]);
        }
    }
}
