package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The cases where the one-pass backward rules of {@link FusedBackward} must stand aside: a second-order graph
 * (createGraph), a non-contiguous incoming gradient, mixed dtypes and broadcast operands. Each is checked against
 * hand-derived derivatives, for one-element tensors (the scalar fast path) and small vectors, in both float dtypes.
 */
class FusedBackwardPathsTest {

    private static final double[] XS = {-1.5, -0.25, 0.75, 2.0};

    private static Tensor leaf(DType dtype, double... values) {
        return Tensor.of(values).to(dtype).requiresGrad(true);
    }

    private static void assertClose(double[] expected, Tensor actual, double tol, String what) {
        double[] a = actual.toDoubleArray();
        assertEquals(expected.length, a.length, what);
        for (int i = 0; i < a.length; i++) {
            assertEquals(expected[i], a[i], tol * Math.max(1, Math.abs(expected[i])), what + " [" + i + "]");
        }
    }

    private static double[] map(double[] xs, DoubleUnaryOperator f) {
        double[] out = new double[xs.length];
        for (int i = 0; i < xs.length; i++) out[i] = f.applyAsDouble(xs[i]);
        return out;
    }

    /** First and second derivative of {@code op} (summed), through createGraph, against the hand-derived ones. */
    private static void assertSecondOrder(UnaryOperator<Tensor> op, DoubleUnaryOperator first, DoubleUnaryOperator second,
                                          String name) {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            double tol = dtype == DType.FLOAT32 ? 1e-5 : 1e-12;
            for (double[] xs : new double[][] {{XS[2]}, XS}) {
                Tensor x = leaf(dtype, xs);
                Tensor y = op.apply(x).sum();
                Tensor dx = Autograd.grad(y, x, true);
                assertTrue(dx.requiresGrad(), name + ": the createGraph gradient must carry a graph");
                assertClose(map(xs, first), dx, tol, name + " first " + dtype + " n=" + xs.length);
                Tensor d2x = Autograd.grad(dx.sum(), x, false);
                assertClose(map(xs, second), d2x, tol, name + " second " + dtype + " n=" + xs.length);
            }
        }
    }

    @Test
    void secondDerivativesOfTheFusedUnaryRules() {
        assertSecondOrder(Tensor::tanh, v -> 1 - Math.tanh(v) * Math.tanh(v),
                v -> -2 * Math.tanh(v) * (1 - Math.tanh(v) * Math.tanh(v)), "tanh");
        DoubleUnaryOperator s = v -> 1 / (1 + Math.exp(-v));
        assertSecondOrder(Tensor::sigmoid, v -> s.applyAsDouble(v) * (1 - s.applyAsDouble(v)),
                v -> s.applyAsDouble(v) * (1 - s.applyAsDouble(v)) * (1 - 2 * s.applyAsDouble(v)), "sigmoid");
        // relu's derivative is a step: its own derivative is 0, but the first-order gradient must still be a graph
        assertSecondOrder(x -> x.relu().mul(x), v -> v > 0 ? 2 * v : 0, v -> v > 0 ? 2 : 0, "relu(x) * x");
        assertSecondOrder(x -> x.neg().mul(x).mul(x), v -> -3 * v * v, v -> -6 * v, "-x^3");
        assertSecondOrder(x -> x.mul(x), v -> 2 * v, v -> 2, "x * x");
        assertSecondOrder(x -> x.div(x.add(3)), v -> 3 / ((v + 3) * (v + 3)), v -> -6 / Math.pow(v + 3, 3), "x / (x + 3)");
    }

    @Test
    void nonContiguousIncomingGradients() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            double tol = dtype == DType.FLOAT32 ? 1e-6 : 1e-14;
            // [2, 2] input; the gradient reaching tanh/sigmoid/relu/neg/mul/div is the transpose of a contiguous one
            double[] xs = {0.5, -1.0, 1.5, -2.0};
            double[] w = {1, 2, 3, 4};  // weights applied after the transpose: element (i, j) of x.t() gets w[2i + j]
            double[] wOfX = {w[0], w[2], w[1], w[3]};  // the weight each element of x (row-major) receives
            Tensor weights = Tensor.of(w, 2, 2).to(dtype);
            Tensor c = Tensor.of(new double[] {2, 3, -1, 4}, 2, 2).to(dtype);
            double[] cs = {2, 3, -1, 4};
            String[] names = {"tanh", "sigmoid", "relu", "neg", "mul", "div"};
            for (String name : names) {
                Tensor x = Tensor.of(xs, 2, 2).to(dtype).requiresGrad(true);
                Tensor y = switch (name) {
                    case "tanh" -> x.tanh();
                    case "sigmoid" -> x.sigmoid();
                    case "relu" -> x.relu();
                    case "neg" -> x.neg();
                    case "mul" -> x.mul(c);
                    default -> x.div(c);
                };
                y.t().mul(weights).sum().backward();
                double[] expected = new double[4];
                for (int i = 0; i < 4; i++) {
                    double v = xs[i];
                    double local = switch (name) {
                        case "tanh" -> 1 - Math.tanh(v) * Math.tanh(v);
                        case "sigmoid" -> Math.exp(-v) / ((1 + Math.exp(-v)) * (1 + Math.exp(-v)));
                        case "relu" -> v > 0 ? 1 : 0;
                        case "neg" -> -1;
                        case "mul" -> cs[i];
                        default -> 1 / cs[i];
                    };
                    expected[i] = local * wOfX[i];
                }
                assertClose(expected, x.grad(), tol, name + " " + dtype);
            }
            // a gradient that is an expanded scalar (sum's rule), for the divisor's side too
            Tensor a = Tensor.of(xs, 2, 2).to(dtype).requiresGrad(true);
            Tensor b = Tensor.of(cs, 2, 2).to(dtype).requiresGrad(true);
            a.div(b).sum().backward();
            assertClose(map(cs, v -> 1 / v), a.grad(), tol, "div a " + dtype);
            double[] db = new double[4];
            for (int i = 0; i < 4; i++) db[i] = -xs[i] / (cs[i] * cs[i]);
            assertClose(db, b.grad(), tol, "div b " + dtype);
        }
    }

    @Test
    void mixedDtypesAndBroadcastOperands() {
        // float32 * float64: the product is float64, the float32 operand's gradient float32
        Tensor a = leaf(DType.FLOAT32, 1.5, -2.0, 0.25);
        Tensor b = leaf(DType.FLOAT64, 4.0, 0.5, -8.0);
        a.mul(b).sum().backward();
        assertEquals(DType.FLOAT32, a.grad().dtype());
        assertArrayEquals(new double[] {4.0, 0.5, -8.0}, a.grad().toDoubleArray());
        assertArrayEquals(new double[] {1.5, -2.0, 0.25}, b.grad().toDoubleArray());
        Tensor p = leaf(DType.FLOAT64, 3.0);
        Tensor q = leaf(DType.FLOAT32, 2.0);
        p.div(q).backward();
        assertArrayEquals(new double[] {0.5}, p.grad().toDoubleArray());
        assertArrayEquals(new double[] {-0.75}, q.grad().toDoubleArray());

        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            // a one-element operand of another shape ([1] and []) against a vector, on either side
            Tensor v = leaf(dtype, 1, 2, 3);
            Tensor s = Tensor.of(new double[] {2}, 1).to(dtype).requiresGrad(true);
            Tensor z = Tensor.scalar(4.0).to(dtype).requiresGrad(true);
            v.mul(s).div(z).sum().backward();
            assertArrayEquals(new double[] {0.5, 0.5, 0.5}, v.grad().toDoubleArray(), dtype.toString());
            assertArrayEquals(new double[] {1.5}, s.grad().toDoubleArray(), dtype.toString());
            assertArrayEquals(new int[] {1}, s.grad().shape());
            assertArrayEquals(new double[] {-0.75}, z.grad().toDoubleArray(), dtype.toString());
            assertEquals(0, z.grad().dim());
            Tensor s2 = Tensor.of(new double[] {2}, 1).to(dtype).requiresGrad(true);
            Tensor v2 = leaf(dtype, 1, 2, 4);
            s2.div(v2).sum().backward();
            assertArrayEquals(new double[] {1.75}, s2.grad().toDoubleArray(), dtype.toString());
            assertArrayEquals(new double[] {-2, -0.5, -0.125}, v2.grad().toDoubleArray(), dtype.toString());
            // a row against a matrix: neither operand is one element nor of the gradient's shape
            Tensor m = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3).to(dtype).requiresGrad(true);
            Tensor r = leaf(dtype, 1, 2, 4);
            m.mul(r).sum().backward();
            assertArrayEquals(new double[] {1, 2, 4, 1, 2, 4}, m.grad().toDoubleArray(), dtype.toString());
            assertArrayEquals(new double[] {5, 7, 9}, r.grad().toDoubleArray(), dtype.toString());
        }
    }

    @Test
    void oneElementOperandsNeedingOnlyOneGradient() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor a = leaf(dtype, 3.0);
            Tensor b = Tensor.scalar(5.0).to(dtype);
            a.mul(b).backward();
            assertArrayEquals(new double[] {5.0}, a.grad().toDoubleArray());
            Tensor c = Tensor.scalar(3.0).to(dtype);
            Tensor d = leaf(dtype, 4.0);
            c.div(d).neg().backward();
            assertArrayEquals(new double[] {3.0 / 16}, d.grad().toDoubleArray());
        }
    }
}
