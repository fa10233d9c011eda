package org.grad4j.core;

import static org.grad4j.core.FusedOpChecks.assertSameBits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link Tensor#conv2dRelu} against {@code conv2d(...).relu()}: the same bits in the output and in every gradient
 * (input, weight, bias) with 1, 2 and 3 threads, on shapes of both forward paths (im2col images and tiles), with and
 * without bias, padding, stride, dilation and groups, float32 and float64; second derivatives (createGraph) equal bit
 * for bit too; float64 gradients against finite differences; the unfused ops under anomaly detection; argument errors
 * naming the op.
 */
@ExtendWith(SplitSettingsRestored.class)
class ConvReluFusionTest {
    /** {batch, cin, h, w, cout, k, padding, stride, dilation, groups, bias}. */
    private static final int[][] CASES = {
        {8, 1, 28, 28, 16, 5, 2, 1, 1, 1, 1},   // LeNet's first layer: the im2col path (25 taps)
        {8, 16, 14, 14, 32, 5, 0, 1, 1, 1, 1},  // LeNet's second layer: the tiles path (400 taps)
        {5, 16, 14, 14, 32, 5, 0, 1, 1, 1, 0},  // tiles without bias
        {3, 2, 9, 7, 3, 3, 1, 2, 1, 1, 1},      // stride 2
        {4, 4, 8, 8, 6, 3, 2, 1, 2, 2, 1},      // dilation and groups
        {2, 3, 5, 5, 4, 1, 0, 1, 1, 1, 0},      // 1x1 kernel
        {1, 1, 3, 3, 1, 3, 1, 1, 1, 1, 1},      // one image, one channel
    };

    private record Run(Tensor y, Tensor dx, Tensor dw, Tensor db) {
    }

    private static Tensor[] inputs(int[] c, DType dtype) {
        SplittableRandom rng = new SplittableRandom(Arrays.hashCode(c));
        Tensor x = Tensor.randn(rng, dtype, c[0], c[1], c[2], c[3]);
        // exact zeros and signed zeros in the input, so some outputs are exactly 0 or -0
        x = x.mul(Tensor.randn(rng, dtype, x.shape()).gt(-1.5).to(dtype));
        Tensor w = Tensor.randn(rng, dtype, c[4], c[1] / c[9], c[5], c[5]).mul(0.3);
        Tensor b = c[10] == 1 ? Tensor.randn(rng, dtype, c[4]).mul(0.1) : null;
        Tensor g = Tensor.randn(rng, dtype, c[0], c[4], out(c[2], c), out(c[3], c));
        return new Tensor[] {x, w, b, g};
    }

    private static int out(int size, int[] c) {
        return (size + 2 * c[6] - c[8] * (c[5] - 1) - 1) / c[7] + 1;
    }

    private static Run run(int[] c, DType dtype, int threads, boolean fused) {
        Convolution.threads = threads;
        Convolution.minParallelWork = 0;
        Tensor[] in = inputs(c, dtype);
        Tensor x = in[0].requiresGrad(true);
        Tensor w = in[1].requiresGrad(true);
        Tensor b = in[2] == null ? null : in[2].requiresGrad(true);
        int[] s = {c[7], c[7]};
        int[] p = {c[6], c[6]};
        int[] d = {c[8], c[8]};
        Tensor y = fused ? x.conv2dRelu(w, b, s, p, d, c[9]) : x.conv2d(w, b, s, p, d, c[9]).relu();
        y.backward(in[3]);
        return new Run(y.detach(), x.grad(), w.grad(), b == null ? null : b.grad());
    }

    @Test
    void valuesAndGradientsAreTheBitsOfConvThenReluWithOneTwoAndThreeThreads() {
        for (int[] c : CASES) {
            for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                Run unfused = run(c, dtype, 1, false);
                for (int threads : new int[] {1, 2, 3}) {
                    Run fused = run(c, dtype, threads, true);
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
    void outputHasNoNegativesAndNegativeZeroBecomesPositiveZero() {
        // an input of -0 and a zero weight: every product is -0 or 0, relu gives +0 as relu's kernel does
        Tensor x = Tensor.full(-0.0, DType.FLOAT32, 1, 1, 4, 4);
        Tensor w = Tensor.ones(DType.FLOAT32, 2, 1, 3, 3);
        int[] one = {1, 1};
        Tensor y = x.conv2dRelu(w, null, one, new int[] {0, 0}, one, 1);
        assertSameBits(x.conv2d(w, null, one, new int[] {0, 0}, one, 1).relu(), y, "-0 input");
        assertEquals("conv2dRelu", x.requiresGrad(true).conv2dRelu(w, null, one, one, one, 1).gradFnName());
        for (double v : y.toDoubleArray()) {
            assertEquals(0L, Double.doubleToRawLongBits(v), "relu(-0) is +0");
        }
    }

    @Test
    void nanOutputsStayNaN() {
        Tensor x = Tensor.randn(new SplittableRandom(3), DType.FLOAT32, 2, 1, 6, 6);
        x = x.gt(1.0).where(Tensor.scalar(Double.NaN, DType.FLOAT32), x);
        Tensor w = Tensor.randn(new SplittableRandom(4), DType.FLOAT32, 3, 1, 3, 3);
        int[] one = {1, 1};
        Tensor fused = x.conv2dRelu(w, null, one, one, one, 1);
        Tensor unfused = x.conv2d(w, null, one, one, one, 1).relu();
        assertSameBits(unfused, fused, "NaN inputs");
        assertTrue(Arrays.stream(fused.toDoubleArray()).anyMatch(Double::isNaN), "some outputs are NaN");
    }

    @Test
    void secondDerivativesWithCreateGraphAreTheBitsOfConvThenRelu() {
        for (int[] c : new int[][] {CASES[3], CASES[4], {3, 16, 8, 12, 16, 3, 1, 1, 1, 1, 1}}) {
            for (int threads : new int[] {1, 2}) {
                Convolution.threads = threads;
                Convolution.minParallelWork = 0;
                List<double[]> results = new ArrayList<>();
                for (boolean fused : new boolean[] {false, true}) {
                    Tensor[] in = inputs(c, DType.FLOAT64);
                    Tensor x = in[0].requiresGrad(true);
                    Tensor w = in[1].requiresGrad(true);
                    Tensor b = in[2] == null ? null : in[2].requiresGrad(true);
                    int[] s = {c[7], c[7]};
                    int[] p = {c[6], c[6]};
                    int[] d = {c[8], c[8]};
                    Tensor y = fused ? x.conv2dRelu(w, b, s, p, d, c[9]) : x.conv2d(w, b, s, p, d, c[9]).relu();
                    // a loss whose gradient depends on y: sum(y^2 g) / 2
                    FusedOpChecks.addSecondDerivatives(y, in[3], x, w, b, results);
                }
                FusedOpChecks.assertHalvesSameBits(results, Arrays.toString(c) + " threads " + threads);
            }
        }
    }

    @Test
    void float64GradientsMatchFiniteDifferences() {
        for (int[] c : new int[][] {{2, 2, 6, 5, 3, 3, 1, 1, 1, 1, 1}, {2, 4, 7, 7, 4, 3, 0, 2, 1, 2, 0}}) {
            Tensor[] in = inputs(c, DType.FLOAT64);
            int[] s = {c[7], c[7]};
            int[] p = {c[6], c[6]};
            int[] d = {c[8], c[8]};
            int groups = c[9];
            GradCheck.Fn f = t -> t[0].conv2dRelu(t[1], t.length > 2 ? t[2] : null, s, p, d, groups);
            Tensor[] args = in[2] == null ? new Tensor[] {in[0].requiresGrad(true), in[1].requiresGrad(true)}
                    : new Tensor[] {in[0].requiresGrad(true), in[1].requiresGrad(true), in[2].requiresGrad(true)};
            GradCheck.Result r = GradCheck.check(f, args);
            assertTrue(r.passed(), r::report);
        }
    }

    @Test
    void underAnomalyDetectionTheOpsRunUnfusedWithTheSameResults() {
        int[] c = CASES[3];
        Run expected = run(c, DType.FLOAT32, 1, false);
        Convolution.threads = 2;
        try (AnomalyMode.Scope on = AnomalyMode.enable()) {
            Tensor[] in = inputs(c, DType.FLOAT32);
            Tensor x = in[0].requiresGrad(true);
            Tensor w = in[1].requiresGrad(true);
            Tensor b = in[2].requiresGrad(true);
            Tensor y = x.conv2dRelu(w, b, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1}, 1);
            assertEquals("relu", y.gradFnName(), "the graph has relu's own node");
            y.backward(in[3]);
            assertSameBits(expected.y, y.detach(), "y");
            assertSameBits(expected.dx, x.grad(), "dx");
            assertSameBits(expected.dw, w.grad(), "dw");
            assertSameBits(expected.db, b.grad(), "db");
        }
    }

    @Test
    void badArgumentsNameTheFusedOp() {
        Tensor x = Tensor.zeros(DType.FLOAT32, 1, 3, 8, 8);
        int[] one = {1, 1};
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class,
                () -> x.conv2dRelu(Tensor.zeros(DType.FLOAT32, 4, 2, 3, 3), null, one, one, one, 1));
        assertTrue(e.getMessage().startsWith("conv2dRelu:"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> x.conv2dRelu(null, null, one, one, one, 1));
        assertThrows(DTypeMismatchException.class,
                () -> x.conv2dRelu(Tensor.zeros(DType.FLOAT64, 4, 3, 3, 3), null, one, one, one, 1));
    }
}
