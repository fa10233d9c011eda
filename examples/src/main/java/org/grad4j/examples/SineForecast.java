package org.grad4j.examples;

import java.util.Locale;
import java.util.SplittableRandom;
import org.grad4j.core.DType;
import org.grad4j.core.Grad;
import org.grad4j.core.Tensor;
import org.grad4j.nn.LSTM;
import org.grad4j.nn.Linear;
import org.grad4j.nn.Losses;
import org.grad4j.nn.Module;
import org.grad4j.nn.RecurrentOptions;
import org.grad4j.optim.Adam;

/**
 * Sequence forecasting with an LSTM: from the last 24 noisy samples of a sum of two sines (random phases and
 * amplitudes per sequence), predict the next clean value. Compared with the naive forecast "the next value equals the
 * last one": the LSTM learns the oscillation and beats it by a wide margin.
 *
 * <pre>
 * mvn -q compile exec:exec -pl examples -am -Ddemo.main=org.grad4j.examples.SineForecast -Ddemo.args="600"
 * </pre>
 * Argument: training steps (default 600).
 */
public final class SineForecast {
    private SineForecast() {
    }

    static final int WINDOW = 24;

    /** LSTM(1 -> 32), then a linear read-out of the last hidden state. */
    static final class Model extends Module {
        final LSTM lstm;
        final Linear head;

        Model(SplittableRandom rng) {
            lstm = new LSTM(1, 32, RecurrentOptions.create().batchFirst(true).rng(rng));
            head = new Linear(32, 1, true, DType.FLOAT32, rng);
        }

        /** {@code [N, WINDOW, 1]} -> {@code [N, 1]}. */
        @Override
        public Tensor forward(Tensor x) {
            Tensor h = lstm.forward(x, null, null).h();     // [1, N, 32]: the last step's hidden state
            return head.forward(h.select(0, 0));
        }
    }

    /** A batch of windows and their next clean values: {@code {x [N, WINDOW, 1], y [N, 1], naive [N, 1]}}. */
    static Tensor[] batch(int n, SplittableRandom rng) {
        float[] x = new float[n * WINDOW];
        float[] y = new float[n];
        float[] naive = new float[n];
        for (int i = 0; i < n; i++) {
            double a1 = 0.5 + rng.nextDouble();
            double a2 = 0.5 * rng.nextDouble();
            double p1 = rng.nextDouble() * 2 * Math.PI;
            double p2 = rng.nextDouble() * 2 * Math.PI;
            for (int t = 0; t <= WINDOW; t++) {
                double clean = a1 * Math.sin(0.3 * t + p1) + a2 * Math.sin(0.77 * t + p2);
                if (t < WINDOW) {
                    x[i * WINDOW + t] = (float) (clean + 0.05 * rng.nextGaussian());
                } else {
                    y[i] = (float) clean;
                }
            }
            naive[i] = x[i * WINDOW + WINDOW - 1];
        }
        return new Tensor[] {Tensor.of(x, n, WINDOW, 1), Tensor.of(y, n, 1), Tensor.of(naive, n, 1)};
    }

    /** Test mean squared errors of the model and of the naive forecast. */
    public record Result(double modelMse, double naiveMse) {
    }

    /** Trains for {@code steps} steps of batch 64; prints progress every {@code printEvery} steps (0: silent). */
    public static Result train(int steps, int printEvery, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Model model = new Model(rng);
        Adam optimizer = new Adam(model.parameters(), Adam.options().lr(1e-2));
        Tensor[] test = batch(512, new SplittableRandom(seed + 1));
        for (int step = 1; step <= steps; step++) {
            Tensor[] b = batch(64, rng);
            Tensor loss = Losses.mse(model.forward(b[0]), b[1]);
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
            if (printEvery > 0 && step % printEvery == 0) {
                System.out.printf(Locale.ROOT, "step %4d: training MSE %.4f%n", step, loss.item());
            }
        }
        double mse;
        try (var off = Grad.disabled()) {
            mse = Losses.mse(model.forward(test[0]), test[1]).item();
        }
        return new Result(mse, Losses.mse(test[2], test[1]).item());
    }

    /** Argument: training steps (default 600). */
    public static void main(String[] args) {
        String joined = String.join(" ", args).trim();
        int steps = joined.isEmpty() ? 600 : Integer.parseInt(joined.split("\\s+")[0]);
        Result r = train(steps, 50, 3);
        System.out.printf(Locale.ROOT, "test MSE %.4f, naive 'same as last value' forecast %.4f (%.0fx better)%n",
                r.modelMse(), r.naiveMse(), r.naiveMse() / r.modelMse());
    }
}
