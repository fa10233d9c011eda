package org.grad4j.core;

import static org.grad4j.core.FusedOpChecks.assertSameBits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link Tensor#linearRelu} against {@code Tensor.linear(...).relu()}: the same bits in the output and in every
 * gradient (input, weight, bias), float32 and float64, with and without bias, 1-d, 2-d and 3-d inputs, with the bias
 * add and relu split over 1, 2 and 3 threads (the GEMM's thread count is fixed per JVM: {@code ReproducibilityTest}
 * forks JVMs with 1, 2 and 3); -0 and NaN; second derivatives (createGraph) bit for bit; the weight's gradient
 * written into a zeroed {@code grad()}; float64 values against a naive loop and gradients against finite differences;
 * the unfused ops under anomaly detection; argument errors naming the op.
 */
@ExtendWith(SplitSettingsRestored.class)
class LinearReluFusionTest {
    /** {input shape..., out features, bias (1/0)}: the input's last dim is the in features. */
    private static final int[][] CASES = {
        {32, 784, 256, 1},   // the MLP's first layer at batch 32
        {128, 256, 128, 1},  // its second layer at batch 128
        {9, 20, 13, 0},      // odd sizes without bias
        {1, 5, 1, 1},        // one row, one output: relu's single-element path in the unfused pair
        {20, 3, 1, 1},       // one column
        {2, 3, 6, 7, 1},     // 3-d input (composed)
        {2, 3, 6, 7, 0},
        {11, 4, 1},          // 1-d input (composed)
    };

    private record Run(Tensor y, Tensor dx, Tensor dw, Tensor db) {
    }

    private static int[] inputShape(int[] c) {
        return Arrays.copyOf(c, c.length - 2);
    }

    private static Tensor[] inputs(int[] c, DType dtype) {
        SplittableRandom rng = new SplittableRandom(Arrays.hashCode(c));
        int[] xs = inputShape(c);
        int in = xs[xs.length - 1];
        int out = c[c.length - 2];
        Tensor x = Tensor.randn(rng, dtype, xs);
        // exact zeros and signed zeros in the input, so some products are exactly 0 or -0
        x = x.mul(Tensor.randn(rng, dtype, xs).gt(-1.5).to(dtype));
        Tensor w = Tensor.randn(rng, dtype, out, in).mul(1 / Math.sqrt(in));
        Tensor b = c[c.length - 1] == 1 ? Tensor.randn(rng, dtype, out).mul(0.1) : null;
        int[] ys = xs.clone();
        ys[ys.length - 1] = out;
        Tensor g = Tensor.randn(rng, dtype, ys);
        return new Tensor[] {x, w, b, g};
    }

    private static void splitElementWiseOps(int threads) {
        ParallelParts.threads = threads;
        ParallelParts.minElements = 0;
    }

    private static Run run(int[] c, DType dtype, boolean fused) {
        Tensor[] in = inputs(c, dtype);
        Tensor x = in[0].requiresGrad(true);
        Tensor w = in[1].requiresGrad(true);
        Tensor b = in[2] == null ? null : in[2].requiresGrad(true);
        Tensor y = fused ? Tensor.linearRelu(x, w, b) : Tensor.linear(x, w, b).relu();
        y.backward(in[3]);
        return new Run(y.detach(), x.grad(), w.grad(), b == null ? null : b.grad());
    }

    @Test
    void valuesAndGradientsAreTheBitsOfLinearThenReluWithOneTwoAndThreeThreads() {
        for (int[] c : CASES) {
            for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                splitElementWiseOps(1);
                Run unfused = run(c, dtype, false);
                for (int threads : new int[] {1, 2, 3}) {
                    splitElementWiseOps(threads);
                    Run fused = run(c, dtype, true);
                    String what = Arrays.toString(c) + " " + dtype + " threads " + threads;
                    assertSameBits(unfused.y, fused.y, what + " y");
                    assertSameBits(unfused.dx, fused.dx, what + " dx");
                    assertSameBits(unfused.dw, fused.dw, what + " dw");
                    assertSameBits(unfused.db, fused.db, what + " db");
                }
            }
        }
    }

    @Test
    void aTwoDimensionalInputIsOneNodeAndOtherRanksComposeTheOps() {
        Tensor w = Tensor.randn(new SplittableRandom(1), DType.FLOAT32, 3, 4).requiresGrad(true);
        Tensor b = Tensor.zeros(DType.FLOAT32, 3).requiresGrad(true);
        assertEquals("linearRelu", Tensor.linearRelu(Tensor.ones(DType.FLOAT32, 2, 4), w, b).gradFnName());
        assertEquals("linearRelu", Tensor.linearRelu(Tensor.ones(DType.FLOAT32, 2, 4), w, null).gradFnName());
        assertEquals("relu", Tensor.linearRelu(Tensor.ones(DType.FLOAT32, 4), w, b).gradFnName());
        assertEquals("relu", Tensor.linearRelu(Tensor.ones(DType.FLOAT32, 5, 2, 4), w, b).gradFnName());
        try (Grad.Scope off = Grad.disabled()) {
            assertEquals(null, Tensor.linearRelu(Tensor.ones(DType.FLOAT32, 2, 4), w, b).gradFnName());
        }
    }

    @Test
    void float64ValuesMatchANaiveLoop() {
        int m = 7;
        int in = 9;
        int out = 5;
        SplittableRandom rng = new SplittableRandom(21);
        Tensor x = Tensor.randn(rng, DType.FLOAT64, m, in);
        Tensor w = Tensor.randn(rng, DType.FLOAT64, out, in);
        Tensor b = Tensor.randn(rng, DType.FLOAT64, out);
        double[] xs = x.toDoubleArray();
        double[] ws = w.toDoubleArray();
        double[] bs = b.toDoubleArray();
        double[] expected = new double[m * out];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < out; j++) {
                double s = bs[j];
                for (int k = 0; k < in; k++) s += xs[i * in + k] * ws[j * in + k];
                expected[i * out + j] = Math.max(s, 0);
            }
        }
        assertArrayEquals(expected, Tensor.linearRelu(x, w, b).toDoubleArray(), 1e-12);
    }

    @Test
    void negativeZeroBecomesPositiveZero() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            // -0 inputs and a -0 bias: every pre-activation is -0 or +0, and relu gives +0 as relu's kernel does
            Tensor x = Tensor.full(-0.0, dtype, 3, 4);
            Tensor w = Tensor.ones(dtype, 5, 4);
            Tensor b = Tensor.full(-0.0, dtype, 5);
            for (Tensor bias : new Tensor[] {b, null}) {
                Tensor y = Tensor.linearRelu(x, w, bias);
                assertSameBits(Tensor.linear(x, w, bias).relu(), y, dtype + " -0 input, bias " + (bias != null));
                for (double v : y.toDoubleArray()) {
                    assertEquals(0L, Double.doubleToRawLongBits(v), "relu(-0) is +0");
                }
            }
        }
    }

    @Test
    void nanOutputsStayNaNWithTheSameGradients() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            List<Tensor> results = new ArrayList<>();
            for (boolean fused : new boolean[] {false, true}) {
                Tensor x = Tensor.randn(new SplittableRandom(3), dtype, 6, 8);
                x = x.gt(1.2).where(Tensor.scalar(Double.NaN, dtype), x).requiresGrad(true);
                Tensor w = Tensor.randn(new SplittableRandom(4), dtype, 5, 8).requiresGrad(true);
                Tensor b = Tensor.full(Double.NaN, dtype, 5).mul(Tensor.arange(5).lt(1).to(dtype).rsub(1))
                        .requiresGrad(true);   // the first output's bias is NaN (NaN * 0), the others 0
                Tensor y = fused ? Tensor.linearRelu(x, w, b) : Tensor.linear(x, w, b).relu();
                y.sum().backward();
                results.addAll(List.of(y.detach(), x.grad(), w.grad(), b.grad()));
            }
            for (int i = 0; i < 4; i++) {
                assertSameBits(results.get(i), results.get(4 + i), dtype + " NaN inputs, result " + i);
            }
            assertTrue(Arrays.stream(results.get(4).toDoubleArray()).anyMatch(Double::isNaN), "some outputs are NaN");
        }
    }

    @Test
    void secondDerivativesWithCreateGraphAreTheBitsOfLinearThenRelu() {
        for (int[] c : new int[][] {CASES[2], {10, 12, 8, 1}, CASES[5]}) {
            for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                List<double[]> results = new ArrayList<>();
                for (boolean fused : new boolean[] {false, true}) {
                    Tensor[] in = inputs(c, dtype);
                    Tensor x = in[0].requiresGrad(true);
                    Tensor w = in[1].requiresGrad(true);
                    Tensor b = in[2] == null ? null : in[2].requiresGrad(true);
                    Tensor y = fused ? Tensor.linearRelu(x, w, b) : Tensor.linear(x, w, b).relu();
                    // a loss whose gradient depends on y: sum(y^2 g) / 2
                    FusedOpChecks.addSecondDerivatives(y, in[3], x, w, b, results);
                }
                FusedOpChecks.assertHalvesSameBits(results, Arrays.toString(c) + " " + dtype);
            }
        }
    }

    @Test
    void theWeightGradientIsWrittenIntoAZeroedBuffer() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            int[] c = {16, 12, 10, 1};
            Run fresh = run(c, dtype, false);
            Tensor[] in = inputs(c, dtype);
            Tensor x = in[0].requiresGrad(true);
            Tensor w = in[1].requiresGrad(true);
            Tensor b = in[2].requiresGrad(true);
            Tensor.linearRelu(x, w, b).backward(in[3]);
            Tensor buffer = w.grad();
            buffer.zero();
            b.grad().zero();
            x.zeroGrad();
            int version = buffer.version();
            Tensor.linearRelu(x, w, b).backward(in[3]);
            assertSame(buffer, w.grad(), dtype + ": the zeroed buffer is reused, not replaced");
            assertTrue(buffer.version() > version, "writing the gradient is an in-place change of the buffer");
            assertSameBits(fresh.dw, buffer, dtype + " dw");
            assertSameBits(fresh.db, b.grad(), dtype + " db");
            assertSameBits(fresh.dx, x.grad(), dtype + " dx");
        }
    }

    @Test
    void float64GradientsMatchFiniteDifferences() {
        for (int[] c : new int[][] {{5, 4, 3, 1}, {6, 3, 2, 0}, {2, 3, 4, 3, 1}, {4, 3, 1}}) {
            Tensor[] in = inputs(c, DType.FLOAT64);
            GradCheck.Fn f = t -> Tensor.linearRelu(t[0], t[1], t.length > 2 ? t[2] : null);
            Tensor[] args = in[2] == null ? new Tensor[] {in[0].requiresGrad(true), in[1].requiresGrad(true)}
                    : new Tensor[] {in[0].requiresGrad(true), in[1].requiresGrad(true), in[2].requiresGrad(true)};
            GradCheck.Result r = GradCheck.check(f, args);
            assertTrue(r.passed(), () -> Arrays.toString(c) + ": " + r.report());
        }
    }

    @Test
    void underAnomalyDetectionTheOpsRunUnfusedWithTheSameResults() {
        int[] c = {12, 10, 7, 1};
        Run expected = run(c, DType.FLOAT32, false);
        try (AnomalyMode.Scope on = AnomalyMode.enable()) {
            Tensor[] in = inputs(c, DType.FLOAT32);
            Tensor x = in[0].requiresGrad(true);
            Tensor w = in[1].requiresGrad(true);
            Tensor b = in[2].requiresGrad(true);
            Tensor y = Tensor.linearRelu(x, w, b);
            assertEquals("relu", y.gradFnName(), "the graph has relu's own node");
            y.backward(in[3]);
            assertSameBits(expected.y, y.detach(), "y");
            assertSameBits(expected.dx, x.grad(), "dx");
            assertSameBits(expected.dw, w.grad(), "dw");
            assertSameBits(expected.db, b.grad(), "db");

            // an overflow of the product (finite float32 inputs) is reported as for linear alone, against its product
            Tensor huge = Tensor.full(1e30, DType.FLOAT32, 12, 10);
            Tensor hugeWeight = Tensor.full(1e30, DType.FLOAT32, 7, 10).requiresGrad(true);
            AutogradException fused = assertThrows(AutogradException.class,
                    () -> Tensor.linearRelu(huge, hugeWeight, b));
            AutogradException alone = assertThrows(AutogradException.class,
                    () -> Tensor.linear(huge, hugeWeight, b));
            assertEquals(alone.getMessage(), fused.getMessage());
            assertTrue(fused.getMessage().contains("forward of 'matmul'"), fused.getMessage());
        }
    }

    @Test
    void badArgumentsNameTheFusedOp() {
        Tensor x = Tensor.zeros(DType.FLOAT32, 2, 4);
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class,
                () -> Tensor.linearRelu(x, Tensor.zeros(DType.FLOAT32, 3, 5), null));
        assertTrue(e.getMessage().startsWith("linearRelu: the input's last dim must be the weight's in features 5"),
                e.getMessage());
        e = assertThrows(ShapeMismatchException.class,
                () -> Tensor.linearRelu(x, Tensor.zeros(DType.FLOAT32, 3, 4, 1), null));
        assertTrue(e.getMessage().startsWith("linearRelu: the weight must be 2-d"), e.getMessage());
        e = assertThrows(ShapeMismatchException.class,
                () -> Tensor.linearRelu(x, Tensor.zeros(DType.FLOAT32, 3, 4), Tensor.zeros(DType.FLOAT32, 2)));
        assertTrue(e.getMessage().startsWith("linearRelu: the bias must have the weight's out features 3"),
                e.getMessage());
        e = assertThrows(ShapeMismatchException.class,
                () -> Tensor.linearRelu(Tensor.scalar(1, DType.FLOAT32), Tensor.zeros(DType.FLOAT32, 3, 4), null));
        assertTrue(e.getMessage().startsWith("linearRelu:"), e.getMessage());
        IllegalArgumentException n = assertThrows(IllegalArgumentException.class,
                () -> Tensor.linearRelu(null, Tensor.zeros(DType.FLOAT32, 3, 4), null));
        assertTrue(n.getMessage().contains("linearRelu"), n.getMessage());
        n = assertThrows(IllegalArgumentException.class, () -> Tensor.linearRelu(x, null, null));
        assertTrue(n.getMessage().contains("linearRelu"), n.getMessage());
        assertThrows(DTypeMismatchException.class,
                () -> Tensor.linearRelu(x, Tensor.zeros(DType.FLOAT64, 3, 4), null));
    }
}
