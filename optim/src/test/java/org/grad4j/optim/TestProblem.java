package org.grad4j.optim;

import java.util.List;
import org.grad4j.core.Tensor;

/**
 * The non-quadratic test function shared with generate_torch_reference.py, over x in R^3 and y in R^2:
 * {@code f = sum_i [(1 - x_i)^2 + 5 (x_{i+1} - x_i^2)^2] + sum_j [y_j^4 / 4 + sin(2 y_j)] + 0.3 x_2 y_0},
 * once with grad4j ops (gradients by backward) and once with its gradient written out by hand in doubles.
 */
final class TestProblem {
    static final double[] X0 = {-1.2, 1.0, 0.5};
    static final double[] Y0 = {0.7, -0.4};
    static final int STEPS = 25;

    private TestProblem() {
    }

    static Tensor x() {
        return Tensor.of(X0).requiresGrad(true);
    }

    static Tensor y() {
        return Tensor.of(Y0).requiresGrad(true);
    }

    static Tensor f(Tensor x, Tensor y) {
        Tensor x0 = x.narrow(0, 0, 2);
        Tensor x1 = x.narrow(0, 1, 2);
        Tensor rosen = x0.rsub(1).square().sum().add(x1.sub(x0.square()).square().sum().mul(5));
        Tensor wave = y.pow(4).div(4).add(y.mul(2).sin()).sum();
        return rosen.add(wave).add(x.select(0, 2).mul(y.select(0, 0)).mul(0.3));
    }

    /** Runs {@code steps} steps of {@code opt} on f (or -f) and returns the final [x, y] values. */
    static double[] run(Optimizer opt, Tensor x, Tensor y, boolean negate, int steps) {
        for (int i = 0; i < steps; i++) {
            opt.zeroGrad();
            Tensor loss = f(x, y);
            (negate ? loss.neg() : loss).backward();
            opt.step();
        }
        return concat(x, y);
    }

    static double[] concat(Tensor x, Tensor y) {
        double[] xs = x.toDoubleArray();
        double[] ys = y.toDoubleArray();
        double[] out = new double[xs.length + ys.length];
        System.arraycopy(xs, 0, out, 0, xs.length);
        System.arraycopy(ys, 0, out, xs.length, ys.length);
        return out;
    }

    /** The analytic gradient of f (or -f) at (x, y), as {gx, gy}. */
    static double[][] gradient(double[] x, double[] y, boolean negate) {
        double[] gx = new double[3];
        double[] gy = new double[2];
        for (int i = 0; i < 2; i++) {
            double r = x[i + 1] - x[i] * x[i];
            gx[i] += -2 * (1 - x[i]) - 20 * x[i] * r;
            gx[i + 1] += 10 * r;
        }
        for (int j = 0; j < 2; j++) {
            gy[j] = y[j] * y[j] * y[j] + 2 * Math.cos(2 * y[j]);
        }
        gx[2] += 0.3 * y[0];
        gy[0] += 0.3 * x[2];
        if (negate) {
            for (int i = 0; i < 3; i++) gx[i] = -gx[i];
            for (int j = 0; j < 2; j++) gy[j] = -gy[j];
        }
        return new double[][] {gx, gy};
    }

    /** Runs the plain-double reference: one {@link Reference} per parameter (x first, then y). */
    static double[] runReference(Reference forX, Reference forY, boolean negate, int steps) {
        double[] x = X0.clone();
        double[] y = Y0.clone();
        for (int i = 0; i < steps; i++) {
            double[][] g = gradient(x, y, negate);
            forX.step(x, g[0]);
            forY.step(y, g[1]);
        }
        return new double[] {x[0], x[1], x[2], y[0], y[1]};
    }

    static List<Tensor> params(Tensor x, Tensor y) {
        return List.of(x, y);
    }

    /** One parameter's optimizer in plain doubles; holds that parameter's state. */
    interface Reference {
        void step(double[] p, double[] grad);
    }
}
