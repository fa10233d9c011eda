package org.grad4j.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.grad4j.core.Grad;
import org.grad4j.core.Grad4j;
import org.grad4j.core.Tensor;
import org.grad4j.nn.Linear;
import org.grad4j.nn.Loss;
import org.grad4j.nn.Losses;
import org.grad4j.nn.Module;
import org.grad4j.nn.ReLU;
import org.grad4j.nn.Reduction;
import org.grad4j.nn.Sequential;
import org.grad4j.optim.Adam;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's nn/optim section, run as written: a Sequential model, a custom layer, a custom loss, save/load. */
class ReadmeTrainingExampleTest {

    /** A custom layer: y = x * scale + shift, one learnable pair per feature. */
    static class ScaleShift extends Module {
        final Tensor scale = Tensor.ones(3).requiresGrad(true);
        final Tensor shift = Tensor.zeros(3).requiresGrad(true);

        @Override
        public Tensor forward(Tensor x) {
            return x.mul(scale).add(shift);
        }
    }

    /** A custom loss: mean of log(cosh(input - target)), written as d + softplus(-2d) - log 2. */
    static class LogCoshLoss extends Loss {
        LogCoshLoss() {
            super(Reduction.MEAN);
        }

        @Override
        public Tensor forward(Tensor input, Tensor target) {
            Tensor d = input.sub(target);
            Tensor perElement = d.add(d.mul(-2).exp().log1p()).sub(Math.log(2));
            return Losses.reduce(perElement, reduction());
        }
    }

    @Test
    void readmeTrainingExample(@TempDir Path dir) throws Exception {
        Tensor x = Tensor.randn(1, 256, 3);
        Tensor y = x.matmul(Tensor.of(new float[] {2, -1, 0.5f}, 3, 1)).add(0.3);   // a linear target

        Grad4j.manualSeed(42);
        var model = new Sequential(new ScaleShift(), new Linear(3, 16), new ReLU(), new Linear(16, 1));
        var optimizer = new Adam(model.parameters(), Adam.options().lr(0.01));
        var lossFn = new LogCoshLoss();
        double first = Double.NaN;
        double last = Double.NaN;
        for (int step = 0; step < 300; step++) {
            Tensor loss = lossFn.forward(model.forward(x), y);
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
            if (step == 0) first = loss.item();
            last = loss.item();
        }
        assertTrue(last < first / 20, "training reduces the loss: " + first + " -> " + last);

        model.save(dir.resolve("model.safetensors"));
        var restored = new Sequential(new ScaleShift(), new Linear(3, 16), new ReLU(), new Linear(16, 1));
        restored.load(dir.resolve("model.safetensors"));
        Grad.noGrad(() -> assertArrayEquals(model.forward(x).toFloatArray(), restored.forward(x).toFloatArray(), 0f));
        assertEquals(java.util.List.of("0.scale", "0.shift", "1.weight", "1.bias", "3.weight", "3.bias"),
                java.util.List.copyOf(model.namedParameters().keySet()));
    }
}
