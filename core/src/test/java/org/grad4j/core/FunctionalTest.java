package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Functional transforms against central finite differences computed here and against each other
 * (vjp = v^T J, jvp = J t, hvp = H v, vectorized = looped), on generated shapes and values.
 */
class FunctionalTest {
    private static final double H = 1e-6;

    private static Tensor randn(SplittableRandom rng, int... shape) {
        return Tensor.randn(rng, DType.FLOAT64, shape);
    }

    /** Central-difference Jacobian, [out numel, in numel]. */
    private static double[][] numericJacobian(Function<Tensor, Tensor> f, Tensor x) {
        double[] x0 = x.toDoubleArray();
        int outN;
        try (var off = Grad.disabled()) {
            outN = f.apply(x.detach()).numel();
        }
        double[][] j = new double[outN][x0.length];
        for (int i = 0; i < x0.length; i++) {
            double[] plus = x0.clone();
            double[] minus = x0.clone();
            plus[i] += H;
            minus[i] -= H;
            double[] fp;
            double[] fm;
            try (var off = Grad.disabled()) {
                fp = f.apply(Tensor.ofShape(plus, x.shape())).toDoubleArray();
                fm = f.apply(Tensor.ofShape(minus, x.shape())).toDoubleArray();
            }
            for (int k = 0; k < outN; k++) j[k][i] = (fp[k] - fm[k]) / (2 * H);
        }
        return j;
    }

    private static void assertMatrix(double[][] expected, Tensor actual, double tol) {
        double[] a = actual.toDoubleArray();
        int cols = expected.length == 0 ? 0 : expected[0].length;
        assertEquals(expected.length * cols, a.length);
        for (int k = 0; k < expected.length; k++) {
            for (int i = 0; i < cols; i++) {
                assertEquals(expected[k][i], a[k * cols + i], tol * Math.max(1, Math.abs(expected[k][i])),
                        "element [" + k + ", " + i + "]");
            }
        }
    }

    /** A smooth map R^n -> R^m that handles a leading batch dim: tanh(x W + b) * x[..., :1]. */
    private static Function<Tensor, Tensor> layer(Tensor w, Tensor b) {
        return x -> x.matmul(w).add(b).tanh().mul(x.narrow(-1, 0, 1));
    }

    @Property(tries = 30)
    void jacobianVjpJvpAgreeWithFiniteDifferences(@ForAll @IntRange(min = 1, max = 5) int n,
                                                  @ForAll @IntRange(min = 1, max = 4) int m, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor w = randn(rng, n, m);
        Tensor b = randn(rng, m);
        Tensor x = randn(rng, n);
        Function<Tensor, Tensor> f = layer(w, b);
        double[][] numeric = numericJacobian(f, x);
        Tensor j = Functional.jacobian(f, x);
        assertArrayEquals(new int[] {m, n}, j.shape());
        assertMatrix(numeric, j, 1e-7);
        assertTrue(j.allClose(Functional.jacobian(f, x, false, true), 1e-12, 1e-12), "vectorized");
        Tensor v = randn(rng, m);
        Tensor t = randn(rng, n);
        Functional.Product vjp = Functional.vjp(f, x, v);
        assertTrue(vjp.output().allClose(f.apply(x), 0, 0));
        assertTrue(vjp.product().allClose(v.matmul(j), 1e-12, 1e-12), "vjp = v^T J");
        assertTrue(Functional.jvp(f, x, t).product().allClose(j.matmul(t), 1e-12, 1e-12), "jvp = J t");
        assertFalse(vjp.product().requiresGrad());
    }

    @Property(tries = 30)
    void hessianAgreesWithFiniteDifferencesOfTheGradient(@ForAll @IntRange(min = 1, max = 5) int n,
                                                         @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor a = randn(rng, n, n);
        Tensor x = randn(rng, n);
        // x^T A x + sum(sin x) * x0, batch-friendly: reduces over the last dim only
        Function<Tensor, Tensor> f = z -> z.unsqueeze(-2).matmul(a).squeeze(-2).mul(z).sum(-1)
                .add(z.sin().sum(-1).mul(z.narrow(-1, 0, 1).squeeze(-1)));
        Function<Tensor, Tensor> grad = z -> {
            Tensor leaf = z.detach().requiresGrad(true);
            try (var on = Grad.enabled()) {
                return Autograd.grad(f.apply(leaf), leaf, false);
            }
        };
        Tensor h = Functional.hessian(f, x);
        assertArrayEquals(new int[] {n, n}, h.shape());
        assertMatrix(numericJacobian(grad, x), h, 1e-6);
        assertTrue(h.allClose(h.mT(), 1e-12, 1e-12), "symmetric");
        assertTrue(h.allClose(Functional.hessian(f, x, false, true), 1e-12, 1e-12), "vectorized");
        Tensor v = randn(rng, n);
        Functional.Product hvp = Functional.hvp(f, x, v);
        assertTrue(hvp.product().allClose(h.matmul(v), 1e-12, 1e-12), "hvp = H v");
        assertEquals(f.apply(x).item(), hvp.output().item(), 0);
    }

    @Test
    void knownDerivatives() {
        Tensor x = Tensor.of(new double[] {1, 2});
        assertArrayEquals(new double[] {6, 0, 0, 12}, Functional.hessian(z -> z.pow(3).sum(), x).toDoubleArray(),
                1e-12);
        assertArrayEquals(new double[] {Math.E, 0, 0, Math.exp(2)},
                Functional.jacobian(Tensor::exp, x).toDoubleArray(), 1e-12);
        Tensor m = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        // jacobian of a matrix-valued function of a matrix: shape out ++ in
        Tensor j = Functional.jacobian(z -> z.mul(2), m);
        assertArrayEquals(new int[] {2, 3, 2, 3}, j.shape());
        assertEquals(2, j.get(1, 2, 1, 2));
        assertEquals(0, j.get(1, 2, 0, 2));
    }

    @Test
    void multiInputForms() {
        SplittableRandom rng = new SplittableRandom(3);
        Tensor a = randn(rng, 3);
        Tensor b = randn(rng, 3);
        Function<List<Tensor>, Tensor> f = in -> in.get(0).mul(in.get(1)).sin();
        List<Tensor> j = Functional.jacobian(f, List.of(a, b), false);
        Tensor cos = a.mul(b).cos();
        assertTrue(j.get(0).allClose(cos.mul(b).unsqueeze(1).mul(Tensor.eye(3, DType.FLOAT64)), 1e-12, 1e-12));
        assertTrue(j.get(1).allClose(cos.mul(a).unsqueeze(1).mul(Tensor.eye(3, DType.FLOAT64)), 1e-12, 1e-12));
        Tensor v = randn(rng, 3);
        Functional.Product vjp = Functional.vjp(f, List.of(a, b), v, false);
        assertTrue(vjp.products().get(0).allClose(v.matmul(j.get(0)), 1e-12, 1e-12));
        assertTrue(vjp.products().get(1).allClose(v.matmul(j.get(1)), 1e-12, 1e-12));
        Tensor ta = randn(rng, 3);
        Tensor tb = randn(rng, 3);
        Tensor jvp = Functional.jvp(f, List.of(a, b), List.of(ta, tb), false).product();
        assertTrue(jvp.allClose(j.get(0).matmul(ta).add(j.get(1).matmul(tb)), 1e-12, 1e-12));
        // f(a, b) = sum(a^2 b): H_aa = diag(2b), H_ab = diag(2a), H_bb = 0
        List<List<Tensor>> h = Functional.hessian(in -> in.get(0).square().mul(in.get(1)).sum(), List.of(a, b),
                false);
        Tensor eye = Tensor.eye(3, DType.FLOAT64);
        assertTrue(h.get(0).get(0).allClose(b.mul(2).unsqueeze(1).mul(eye), 1e-12, 1e-12));
        assertTrue(h.get(0).get(1).allClose(a.mul(2).unsqueeze(1).mul(eye), 1e-12, 1e-12));
        assertTrue(h.get(1).get(0).allClose(a.mul(2).unsqueeze(1).mul(eye), 1e-12, 1e-12));
        assertTrue(h.get(1).get(1).allClose(eye.mul(0), 0, 0));
    }

    @Test
    void createGraphMakesResultsDifferentiable() {
        Tensor x = Tensor.of(new double[] {0.5, -1.5}).requiresGrad(true);
        // d/dx sum(J(x)) for f = x^3 elementwise: J = diag(3x^2), sum = 3 sum x^2, gradient 6x
        Tensor j = Functional.jacobian(z -> z.pow(3), x, true, false);
        assertTrue(j.requiresGrad());
        j.sum().backward();
        assertArrayEquals(new double[] {3, -9}, x.grad().toDoubleArray(), 1e-12);
        Tensor y = Tensor.of(new double[] {0.5, -1.5}).requiresGrad(true);
        Tensor hv = Functional.vjp(in -> in.get(0).pow(3).sum(), List.of(y), null, true).product().sum();
        hv.backward();
        assertArrayEquals(new double[] {3, -9}, y.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void independentOutputsGiveZerosAndGradModeDoesNotMatter() {
        Tensor x = Tensor.of(new double[] {1, 2, 3});
        try (var off = Grad.disabled()) {
            assertArrayEquals(new double[9], Functional.jacobian(z -> Tensor.ones(DType.FLOAT64, 3), x)
                    .toDoubleArray());
            assertArrayEquals(new double[3], Functional.jvp(z -> Tensor.ones(DType.FLOAT64, 3), x, x).product()
                    .toDoubleArray());
            assertArrayEquals(new double[9], Functional.hessian(z -> z.sum(), x).toDoubleArray());
            assertArrayEquals(new double[] {1, 1, 1}, Functional.vjp(Tensor::sum, x, null).product()
                    .toDoubleArray());
        }
    }

    @Test
    void errorsNameTheTransform() {
        Tensor x = Tensor.of(new double[] {1, 2, 3});
        assertTrue(assertThrows(ShapeMismatchException.class, () -> Functional.jvp(Tensor::exp, x,
                Tensor.ones(DType.FLOAT64, 2))).getMessage().startsWith("jvp: tangent 0 has shape [2]"));
        assertTrue(assertThrows(ShapeMismatchException.class, () -> Functional.vjp(Tensor::exp, x,
                Tensor.ones(DType.FLOAT64, 2))).getMessage().startsWith("vjp: v has shape [2]"));
        assertTrue(assertThrows(ShapeMismatchException.class, () -> Functional.vjp(Tensor::exp, x, null))
                .getMessage().contains("pass v"));
        assertTrue(assertThrows(ShapeMismatchException.class, () -> Functional.hessian(Tensor::exp, x))
                .getMessage().startsWith("hessian: the function must return a single value"));
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class,
                () -> Functional.jacobian(z -> z.sum().reshape(1), x, false, true));
        assertTrue(e.getMessage().contains("vectorize = true"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Functional.jacobian(z -> null, x));
    }
}
