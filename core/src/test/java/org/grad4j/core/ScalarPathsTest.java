package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The short paths that small graphs take (one-element ops without the kernels' dispatch, one-pass rules of mul, div,
 * sub and neg, gradient sums made and added to in place by the engine) give the bits of the general paths: the same
 * op on a larger tensor for the forward, the rules' tensor-op forms (run under createGraph, where the short paths
 * are off) for the backward. Values include zeros of both signs, infinities, NaN, subnormals and huge numbers.
 */
class ScalarPathsTest {

    private static final double[] AWKWARD = {0.0, -0.0, 1.0, -1.0, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, Double.NaN, 1e-40, -1e-310, 3e38, -7e307, 0.5, 20.0, -20.0, 0.1, -2.75, 1e-8};

    private static long bits(double v) {
        return Double.isNaN(v) ? 0x7ff8000000000000L : Double.doubleToRawLongBits(v);   // NaN payloads aside
    }

    private static long[] bits(Tensor t) {
        double[] v = t.toDoubleArray();
        long[] b = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = bits(v[i]);
        }
        return b;
    }

    private static Tensor scalar(double v, DType dtype) {
        return Tensor.scalar(v, dtype);
    }

    @Test
    void oneElementForwardOpsGiveTheKernelBits() {
        BinaryOperator<Tensor>[] binaries = ops();
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (double x : AWKWARD) {
                Tensor x0 = scalar(x, dtype);
                Tensor x3 = Tensor.of(new double[] {x, x, x}).to(dtype);   // three elements: the kernel path
                for (double y : AWKWARD) {
                    Tensor y0 = scalar(y, dtype);
                    Tensor y3 = Tensor.of(new double[] {y, y, y}).to(dtype);
                    for (BinaryOperator<Tensor> op : binaries) {
                        Tensor single = op.apply(x0, y0);
                        assertEquals(0, single.dim());
                        assertEquals(dtype, single.dtype());
                        assertEquals(bits(op.apply(x3, y3).toDoubleArray()[0]), bits(single.item()),
                                dtype + " " + x + ", " + y);
                        Tensor oneD = op.apply(x0.reshape(1), y0.reshape(1));
                        assertArrayEquals(new int[] {1}, oneD.shape());
                        assertEquals(bits(single.item()), bits(oneD.item()));
                    }
                }
                assertEquals(bits(x3.neg().toDoubleArray()[0]), bits(x0.neg().item()), "neg " + x);
                assertEquals(bits(x3.relu().toDoubleArray()[0]), bits(x0.relu().item()), "relu " + x);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static BinaryOperator<Tensor>[] ops() {
        return new BinaryOperator[] {(BinaryOperator<Tensor>) Tensor::add, (BinaryOperator<Tensor>) Tensor::sub,
            (BinaryOperator<Tensor>) Tensor::mul, (BinaryOperator<Tensor>) Tensor::div};
    }

    @Test
    void oneElementOpsKeepPromotionAndBroadcasting() {
        Tensor f = scalar(1.5, DType.FLOAT32);
        Tensor d = scalar(0.25, DType.FLOAT64);
        assertEquals(DType.FLOAT64, f.mul(d).dtype());
        assertEquals(0.375, f.mul(d).item());
        Tensor row = Tensor.of(new float[] {2f}, 1, 1);
        assertArrayEquals(new int[] {1, 1}, f.add(row).shape());
        assertArrayEquals(new int[] {1}, f.add(Tensor.of(new float[] {2f}, 1)).shape());
        Tensor strided = Tensor.of(new float[] {1f, 2f, 3f, 4f}, 4).narrow(0, 2, 1);   // [1], offset 2
        assertEquals(6f, f.mul(2.0).add(strided).item(), 0f);
        assertEquals(-3f, strided.neg().item(), 0f);
        Tensor ints = Tensor.scalar(3L, DType.INT64);
        assertEquals(DType.INT64, ints.add(ints).dtype());
        assertEquals(DType.FLOAT32, ints.div(ints).dtype());
    }

    /** Gradient bits of f at the inputs: without createGraph (the short paths) or with it (the tensor-op rules). */
    private static long[][] gradientBits(UnaryOperator<Tensor[]> f, Tensor[] inputs, Tensor seed, boolean graph) {
        Tensor[] xs = new Tensor[inputs.length];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = inputs[i].detach().requiresGrad(true);
        }
        f.apply(xs)[0].backward(seed, false, graph);
        long[][] out = new long[xs.length][];
        for (int i = 0; i < xs.length; i++) {
            out[i] = bits(xs[i].grad());
        }
        return out;
    }

    private static void assertSameGradientBits(String name, UnaryOperator<Tensor[]> f, Tensor[] inputs, Tensor seed) {
        long[][] fast = gradientBits(f, inputs, seed, false);
        long[][] ops = gradientBits(f, inputs, seed, true);
        for (int i = 0; i < inputs.length; i++) {
            assertArrayEquals(ops[i], fast[i], name + " input " + i);
        }
    }

    private static Tensor values(long seed, int n, DType dtype) {
        double[] v = new double[n];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            v[i] = i < AWKWARD.length ? AWKWARD[(int) ((i + seed) % AWKWARD.length)] : rng.nextGaussian() * 10;
        }
        return Tensor.of(v).to(dtype);
    }

    @Test
    void oneElementAndVectorRulesOfMulDivSubNegGiveTheTensorOpBits() {
        UnaryOperator<Tensor[]> mul = x -> new Tensor[] {x[0].mul(x[1])};
        UnaryOperator<Tensor[]> div = x -> new Tensor[] {x[0].div(x[1])};
        UnaryOperator<Tensor[]> sub = x -> new Tensor[] {x[0].sub(x[1])};
        UnaryOperator<Tensor[]> neg = x -> new Tensor[] {x[0].neg()};
        UnaryOperator<Tensor[]> byConstant = x -> new Tensor[] {x[0].mul(0.1).div(3.0)};
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            // vectors of 61 elements
            Tensor a = values(1, 61, dtype);
            Tensor b = values(2, 61, dtype);
            Tensor seed = values(3, 61, dtype);
            for (var f : java.util.List.of(mul, div, sub)) {
                assertSameGradientBits(dtype + " vector", f, new Tensor[] {a, b}, seed);
            }
            assertSameGradientBits(dtype + " vector neg", neg, new Tensor[] {a}, seed);
            assertSameGradientBits(dtype + " vector by constants", byConstant, new Tensor[] {a}, seed);
            // a vector with a 0-d operand broadcast over it (the rule reads it with step 0; the engine sums)
            Tensor c = scalar(-1.75, dtype);
            for (var f : java.util.List.of(mul, div, sub)) {
                assertSameGradientBits(dtype + " vector, scalar", f, new Tensor[] {a, c}, seed);
                assertSameGradientBits(dtype + " scalar, vector", f, new Tensor[] {c, b}, seed);
            }
            // every pair of awkward 0-d values, with awkward seeds
            for (double x : AWKWARD) {
                for (double y : AWKWARD) {
                    Tensor[] in = {scalar(x, dtype), scalar(y, dtype)};
                    Tensor g = scalar(y == 0 ? 3 : -x, dtype);
                    for (var f : java.util.List.of(mul, div, sub)) {
                        assertSameGradientBits(dtype + " " + x + ", " + y, f, in, g);
                    }
                }
                assertSameGradientBits(dtype + " neg " + x, neg, new Tensor[] {scalar(x, dtype)}, scalar(x, dtype));
                for (UnaryOperator<Tensor> unary : java.util.List.<UnaryOperator<Tensor>>of(Tensor::tanh,
                        Tensor::sigmoid, Tensor::relu)) {
                    for (double seedValue : new double[] {x, -1.5, 0.0}) {
                        assertSameGradientBits(dtype + " unary " + x, t -> new Tensor[] {unary.apply(t[0])},
                                new Tensor[] {scalar(x, dtype)}, scalar(seedValue, dtype));
                        assertSameGradientBits(dtype + " unary [1] " + x, t -> new Tensor[] {unary.apply(t[0])},
                                new Tensor[] {scalar(x, dtype).reshape(1)}, scalar(seedValue, dtype).reshape(1));
                    }
                }
            }
        }
    }

    /** The benchmark's micrograd-style block, {@code blocks} times. */
    private static Tensor scalarGraph(Tensor x0, Tensor w, Tensor bias, int blocks) {
        Tensor z = x0;
        for (int i = 0; i < blocks; i++) {
            Tensor t = z.mul(w).add(bias).relu();
            Tensor s = t.mul(t).mul(0.1).add(1.0);
            z = t.div(s).sub(z).neg().tanh();
        }
        return z;
    }

    @Test
    void scalarGraphGradientsAreTheTensorOpBitsAndMatchFiniteDifferences() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (double[] start : new double[][] {{0.25, 0.9, 0.1}, {-1.5, 0.3, 2.0}, {3.0, -0.7, -0.2}}) {
                Tensor[] in = {scalar(start[0], dtype), scalar(start[1], dtype), scalar(start[2], dtype)};
                assertSameGradientBits(dtype + " graph", x -> new Tensor[] {scalarGraph(x[0], x[1], x[2], 64)}, in,
                        null);
            }
        }
        Tensor x0 = scalar(0.25, DType.FLOAT64).requiresGrad(true);
        Tensor w = scalar(0.9, DType.FLOAT64).requiresGrad(true);
        Tensor bias = scalar(0.1, DType.FLOAT64).requiresGrad(true);
        GradCheck.assertGradients(x -> scalarGraph(x[0], x[1], x[2], 8), x0, w, bias);
    }

    @Test
    void aLeafUsedManyTimesSumsItsGradientsInOrder() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            UnaryOperator<Tensor[]> f = x -> {
                Tensor acc = x[0].mul(x[1]);
                for (int i = 0; i < 40; i++) {
                    acc = acc.add(x[1].mul(0.37 * i - 3)).mul(x[0].div(x[1].add(7.0)));
                }
                return new Tensor[] {acc};
            };
            assertSameGradientBits(dtype + " scalars", f, new Tensor[] {scalar(0.3, dtype), scalar(-1.1, dtype)},
                    null);
            Tensor a = values(5, 9, dtype).abs().add(0.5);
            Tensor b = values(6, 9, dtype).abs().add(1.0);
            assertSameGradientBits(dtype + " vectors", x -> new Tensor[] {f.apply(x)[0].sum()},
                    new Tensor[] {a, b}, null);
        }
    }

    @Test
    void aSummedGradientIsNotTheTensorARuleHandedOn() {
        // add's rule hands the same gradient to both inputs; the engine must not add into it in place.
        Tensor a = scalar(2, DType.FLOAT32).requiresGrad(true);
        Tensor root = a.add(a).add(a.mul(3.0));
        Tensor seed = scalar(1.5, DType.FLOAT32);
        root.backward(seed);
        assertEquals(1.5f * 5, a.grad().item(), 0f);
        assertEquals(1.5f, seed.item(), 0f);
        assertNotSame(seed, a.grad());
    }

    @Test
    void secondDerivativesStillFlowThroughTheRulesUnderCreateGraph() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor x = scalar(0.7, dtype).requiresGrad(true);
            Tensor y = x.mul(x).div(x.add(1.0)).neg().sub(x);   // -(x^2 / (x + 1)) - x
            Tensor g = Autograd.grad(y, x, true);
            double v = 0.7;
            assertEquals(-(v * v + 2 * v) / ((v + 1) * (v + 1)) - 1, g.item(), dtype == DType.FLOAT32 ? 1e-6 : 1e-14);
            Tensor gg = Autograd.grad(g, x, false);
            assertEquals(-2 / Math.pow(v + 1, 3), gg.item(), dtype == DType.FLOAT32 ? 1e-6 : 1e-14);
        }
    }

    @Test
    void savedOperandsModifiedInPlaceAreStillRefused() {
        Tensor a = Tensor.of(new float[] {2f}, 1).requiresGrad(true);
        Tensor b = Tensor.of(new float[] {3f}, 1);
        Tensor y = a.mul(b);
        try (Grad.Scope off = Grad.disabled()) {
            b.fill(5);
        }
        AutogradException e = assertThrows(AutogradException.class, y::backward);
        assertEquals(true, e.getMessage().contains("modified by an in-place operation"), e.getMessage());
        Tensor c = scalar(4, DType.FLOAT64);
        Tensor z = c.div(a.to(DType.FLOAT64).sum());
        assertSame(DType.FLOAT64, z.dtype());
    }
}
