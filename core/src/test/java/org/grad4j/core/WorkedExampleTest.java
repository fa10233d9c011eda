package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The study notes' worked example: a 2-2-1 sigmoid network, MSE over a batch of two, one gradient step with
 * learning rate 0.5. The expected numbers come from {@link HandDerived}, a scalar transcription of the notes'
 * backpropagation formulas (delta = (y - t) y (1 - y), dE/dW = delta a^T) that shares no code with grad4j.
 *
 * <p>Where we differ from the notes: they report E_total = 0.150875 and, after the step, E_1 = 0.26909. Exact
 * float64 arithmetic gives E_total = 0.1508669 and E_1 = 0.2690440: differences of 8e-6 and 5e-5 (5e-5 and 2e-4
 * relative), which is what rounding the hidden activations and outputs to 4-5 significant digits before the next
 * step produces. We assert our values against the exact computation to 1e-12 and against the notes' rounded
 * figures only to their stated precision.
 */
class WorkedExampleTest {

    private static final double[][] X = {{0.05, 0.10}, {0.80, 0.20}};
    private static final double[] TARGETS = {0.01, 0.99};
    private static final double LEARNING_RATE = 0.5;

    /** The same network written with plain doubles and the notes' delta rules. */
    static final class HandDerived {
        double[][] w1 = {{0.15, 0.20}, {0.25, 0.30}};
        double b1 = 0.35;
        double[] w2 = {0.40, 0.45};
        double b2 = 0.60;
        double[][] gradW1 = new double[2][2];
        double gradB1;
        double[] gradW2 = new double[2];
        double gradB2;

        static double sigmoid(double z) {
            return 1 / (1 + Math.exp(-z));
        }

        double[] hidden(double[] x) {
            double[] a = new double[2];
            for (int j = 0; j < 2; j++) a[j] = sigmoid(w1[j][0] * x[0] + w1[j][1] * x[1] + b1);
            return a;
        }

        double output(double[] x) {
            double[] a = hidden(x);
            return sigmoid(w2[0] * a[0] + w2[1] * a[1] + b2);
        }

        double sampleError(int i) {
            double y = output(X[i]);
            return 0.5 * (y - TARGETS[i]) * (y - TARGETS[i]);
        }

        /** Batch loss and its gradients: E = mean of 1/2 (y - t)^2, so each sample's delta carries a 1/2. */
        double lossAndGradients() {
            double loss = 0;
            for (int i = 0; i < 2; i++) {
                double[] a = hidden(X[i]);
                double y = output(X[i]);
                loss += sampleError(i) / 2;
                double deltaOut = (y - TARGETS[i]) * y * (1 - y) / 2;
                for (int j = 0; j < 2; j++) {
                    gradW2[j] += deltaOut * a[j];
                    double deltaHidden = deltaOut * w2[j] * a[j] * (1 - a[j]);
                    gradW1[j][0] += deltaHidden * X[i][0];
                    gradW1[j][1] += deltaHidden * X[i][1];
                    gradB1 += deltaHidden;
                }
                gradB2 += deltaOut;
            }
            return loss;
        }

        void step() {
            for (int j = 0; j < 2; j++) {
                w2[j] -= LEARNING_RATE * gradW2[j];
                w1[j][0] -= LEARNING_RATE * gradW1[j][0];
                w1[j][1] -= LEARNING_RATE * gradW1[j][1];
            }
            b1 -= LEARNING_RATE * gradB1;
            b2 -= LEARNING_RATE * gradB2;
        }
    }

    @Test
    void oneStepMatchesTheHandDerivedBackpropagation() {
        HandDerived reference = new HandDerived();
        double expectedLoss = reference.lossAndGradients();

        Tensor x = Tensor.of(X);
        Tensor t = Tensor.of(TARGETS, 2, 1);
        Tensor w1 = Tensor.of(new double[][] {{0.15, 0.20}, {0.25, 0.30}}).requiresGrad(true);
        Tensor b1 = Tensor.scalar(0.35, DType.FLOAT64).requiresGrad(true);
        Tensor w2 = Tensor.of(new double[][] {{0.40, 0.45}}).requiresGrad(true);
        Tensor b2 = Tensor.scalar(0.60, DType.FLOAT64).requiresGrad(true);

        Tensor hidden = x.matmul(w1.t()).add(b1).sigmoid();
        Tensor y = hidden.matmul(w2.t()).add(b2).sigmoid();
        Tensor loss = y.sub(t).square().mul(0.5).mean();
        loss.backward();

        assertEquals(expectedLoss, loss.item(), 1e-12);
        assertEquals(0.1508669, loss.item(), 5e-8);
        assertEquals(0.150875, loss.item(), 1e-5, "the notes' rounded E_total");
        assertArrayEquals(new double[] {reference.gradW1[0][0], reference.gradW1[0][1],
            reference.gradW1[1][0], reference.gradW1[1][1]}, w1.grad().toDoubleArray());
        assertEquals(reference.gradB1, b1.grad().item(), 1e-14);
        assertArrayEquals(reference.gradW2, w2.grad().toDoubleArray());
        assertEquals(reference.gradB2, b2.grad().item(), 1e-14);
        // Hand-checked magnitudes of the notes: dE/dw2 ~ [0.02778, 0.02754], dE/db2 ~ 0.04796.
        assertEquals(0.027784, w2.grad().get(0, 0), 1e-6);
        assertEquals(0.047964, b2.grad().item(), 1e-6);

        Grad.noGrad(() -> {
            for (Tensor p : new Tensor[] {w1, b1, w2, b2}) {
                p.subInPlace(p.grad().mul(LEARNING_RATE));
            }
        });
        reference.step();
        Tensor y1 = Tensor.of(X[0], 1, 2).matmul(w1.t()).add(b1).sigmoid().matmul(w2.t()).add(b2).sigmoid();
        double e1 = 0.5 * Math.pow(y1.item() - TARGETS[0], 2);
        assertEquals(reference.sampleError(0), e1, 1e-12);
        assertEquals(0.2690440, e1, 5e-8);
        assertEquals(0.26909, e1, 1e-4, "the notes' rounded E_1 after one step");
    }

    @Test
    void float32GivesTheSameStepToFloatPrecision() {
        HandDerived reference = new HandDerived();
        double expectedLoss = reference.lossAndGradients();
        Tensor x = Tensor.of(X).to(DType.FLOAT32);
        Tensor t = Tensor.of(new float[] {0.01f, 0.99f}, 2, 1);
        Tensor w1 = Tensor.of(new float[][] {{0.15f, 0.20f}, {0.25f, 0.30f}}).requiresGrad(true);
        Tensor b1 = Tensor.scalar(0.35).requiresGrad(true);
        Tensor w2 = Tensor.of(new float[][] {{0.40f, 0.45f}}).requiresGrad(true);
        Tensor b2 = Tensor.scalar(0.60).requiresGrad(true);
        Tensor loss = x.matmul(w1.t()).add(b1).sigmoid().matmul(w2.t()).add(b2).sigmoid()
                .sub(t).square().mul(0.5).mean();
        loss.backward();
        assertEquals(DType.FLOAT32, loss.dtype());
        assertEquals(expectedLoss, loss.item(), 1e-6);
        assertEquals(reference.gradB2, b2.grad().item(), 1e-6);
        assertEquals(reference.gradW1[1][0], w1.grad().get(1, 0), 1e-7);
    }

    private static void assertArrayEquals(double[] expected, double[] actual) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual, 1e-14);
    }
}
