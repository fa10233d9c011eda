package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The one-pass rules of {@link FusedBackward} (a backward without createGraph) give the bits of the same rules
 * written in tensor ops (run with createGraph, where the fused forms are off), on values that include zeros of both
 * signs, infinities, NaN, tiny and huge numbers, in both float dtypes.
 */
class FusedBackwardTest {

    private static double[] awkwardValues(long seed, int n) {
        double[] special = {0.0, -0.0, 1.0, -1.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN,
            1e-40, -1e-310, 3e38, -7e307, 0.5, 20.0, -20.0};
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = i < special.length ? special[i] : rng.nextGaussian() * (rng.nextBoolean() ? 1 : 100);
        }
        return v;
    }

    private static Tensor leaf(double[] values, DType dtype) {
        return Tensor.of(values).to(dtype).requiresGrad(true);
    }

    /** Bits of the input gradients of {@code f} seeded with {@code seed}, fused (false) or tensor ops (true). */
    private static long[][] gradientBits(UnaryOperator<Tensor[]> f, Tensor[] inputs, Tensor seed, boolean graph) {
        Tensor[] xs = new Tensor[inputs.length];
        for (int i = 0; i < xs.length; i++) xs[i] = inputs[i].detach().requiresGrad(true);
        f.apply(xs)[0].backward(seed, false, graph);
        long[][] bits = new long[xs.length][];
        for (int i = 0; i < xs.length; i++) {
            double[] g = xs[i].grad().toDoubleArray();
            bits[i] = new long[g.length];
            for (int j = 0; j < g.length; j++) {
                // floats widen exactly; NaN payloads are not part of the contract
                bits[i][j] = Double.isNaN(g[j]) ? 0x7ff8000000000000L : Double.doubleToRawLongBits(g[j]);
            }
        }
        return bits;
    }

    private static void assertSameBits(UnaryOperator<Tensor[]> f, int arity) {
        int n = 61;
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor[] inputs = new Tensor[arity];
            for (int i = 0; i < arity; i++) inputs[i] = leaf(awkwardValues(10 + i, n), dtype);
            Tensor seed = Tensor.of(awkwardValues(99, n)).to(dtype);
            long[][] fused = gradientBits(f, inputs, seed, false);
            long[][] ops = gradientBits(f, inputs, seed, true);
            for (int i = 0; i < arity; i++) {
                assertArrayEquals(ops[i], fused[i], dtype + " input " + i);
            }
        }
    }

    private static UnaryOperator<Tensor[]> unary(UnaryOperator<Tensor> op) {
        return x -> new Tensor[] {op.apply(x[0])};
    }

    private static UnaryOperator<Tensor[]> binary(BinaryOperator<Tensor> op) {
        return x -> new Tensor[] {op.apply(x[0], x[1])};
    }

    @Test
    void tanhSigmoidAndReluRulesGiveTheTensorOpBits() {
        assertSameBits(unary(Tensor::tanh), 1);
        assertSameBits(unary(Tensor::sigmoid), 1);
        assertSameBits(unary(Tensor::relu), 1);
    }

    @Test
    void divisionRuleGivesTheTensorOpBits() {
        assertSameBits(binary(Tensor::div), 2);
    }

    @Test
    void stridedOrBroadcastOperandsTakeTheTensorOpPath() {
        Tensor x = Tensor.randn(new SplittableRandom(3), DType.FLOAT64, 4, 5).requiresGrad(true);
        Tensor b = Tensor.randn(new SplittableRandom(4), DType.FLOAT64, 5).requiresGrad(true);
        x.t().tanh().sum().backward();   // the gradient reaching tanh is a broadcast (stride-0) view
        Tensor expectedX = x.tanh().square().rsub(1).detach();
        assertArrayEquals(expectedX.toDoubleArray(), x.grad().toDoubleArray(), 0.0);
        x.zeroGrad();
        x.div(b).sum().backward();
        Tensor bGrad = x.detach().div(b.detach().square()).neg().sum(new int[] {0}, false);
        assertArrayEquals(bGrad.toDoubleArray(), b.grad().toDoubleArray(), 1e-12);
        assertEquals(5, b.grad().numel());
    }
}
