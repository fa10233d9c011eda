package org.grad4j.nn;

import static org.grad4j.nn.TestTensors.bits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;

/** Fans, gains, bounds and spreads of the initialisers; in-place, no-grad, seeded behaviour. */
class InitTest {

    private static double maxAbs(Tensor t) {
        double m = 0;
        for (double v : t.toDoubleArray()) m = Math.max(m, Math.abs(v));
        return m;
    }

    private static double std(Tensor t) {
        double[] v = t.toDoubleArray();
        double mean = 0;
        for (double x : v) mean += x;
        mean /= v.length;
        double var = 0;
        for (double x : v) var += (x - mean) * (x - mean);
        return Math.sqrt(var / v.length);
    }

    @Test
    void fansFollowPytorch() {
        assertArrayEquals(new int[] {3, 5}, Init.fans(Tensor.zeros(5, 3)));
        assertArrayEquals(new int[] {3 * 4 * 2, 8 * 4 * 2}, Init.fans(Tensor.zeros(8, 3, 4, 2)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Init.fans(Tensor.zeros(4)));
        assertTrue(e.getMessage().contains("fewer than 2 dimensions"), e.getMessage());
    }

    @Test
    void gainsFollowPytorch() {
        assertEquals(1, Init.calculateGain(Init.Nonlinearity.LINEAR));
        assertEquals(1, Init.calculateGain(Init.Nonlinearity.SIGMOID));
        assertEquals(5.0 / 3, Init.calculateGain(Init.Nonlinearity.TANH));
        assertEquals(Math.sqrt(2), Init.calculateGain(Init.Nonlinearity.RELU));
        assertEquals(Math.sqrt(2 / (1 + 0.01 * 0.01)), Init.calculateGain(Init.Nonlinearity.LEAKY_RELU));
        assertEquals(Math.sqrt(2 / (1 + 0.04)), Init.calculateGain(Init.Nonlinearity.LEAKY_RELU, 0.2));
        assertEquals(0.75, Init.calculateGain(Init.Nonlinearity.SELU));
    }

    @Test
    void uniformInitialisersStayInTheirBoundsAndFillThem() {
        SplittableRandom rng = new SplittableRandom(1);
        Tensor w = Tensor.zeros(DType.FLOAT64, 100, 60);   // fanIn 60, fanOut 100
        double xavier = 2 * Math.sqrt(6.0 / 160);
        Init.xavierUniform(w, 2, rng);
        assertTrue(maxAbs(w) <= xavier && maxAbs(w) > 0.99 * xavier, "xavier bound " + xavier + ": " + maxAbs(w));
        double kaimingIn = Math.sqrt(3) * Math.sqrt(2) / Math.sqrt(60);
        Init.kaimingUniform(w, rng);
        assertTrue(maxAbs(w) <= kaimingIn && maxAbs(w) > 0.99 * kaimingIn, "kaiming bound " + kaimingIn);
        double kaimingOutTanh = Math.sqrt(3) * (5.0 / 3) / Math.sqrt(100);
        Init.kaimingUniform(w, 0, Init.FanMode.FAN_OUT, Init.Nonlinearity.TANH, rng);
        assertTrue(maxAbs(w) <= kaimingOutTanh && maxAbs(w) > 0.99 * kaimingOutTanh);
        double leaky = Math.sqrt(3) * Math.sqrt(2 / (1 + 0.25 * 0.25)) / Math.sqrt(60);
        Init.kaimingUniform(w, 0.25, Init.FanMode.FAN_IN, Init.Nonlinearity.LEAKY_RELU, rng);
        assertTrue(maxAbs(w) <= leaky && maxAbs(w) > 0.99 * leaky);
        Init.uniform(w, -0.5, 2, rng);
        double[] v = w.toDoubleArray();
        assertTrue(java.util.Arrays.stream(v).allMatch(x -> x >= -0.5 && x <= 2));
    }

    @Test
    void normalInitialisersHaveTheirStandardDeviation() {
        SplittableRandom rng = new SplittableRandom(2);
        Tensor w = Tensor.zeros(200, 100);   // 20000 samples: the sample std is within 1.5% with near certainty
        Init.xavierNormal(w, 1, rng);
        assertEquals(Math.sqrt(2.0 / 300), std(w), 0.02 * Math.sqrt(2.0 / 300));
        Init.kaimingNormal(w, rng);
        assertEquals(Math.sqrt(2) / 10, std(w), 0.02 * Math.sqrt(2) / 10);
        Init.kaimingNormal(w, 0, Init.FanMode.FAN_OUT, Init.Nonlinearity.LINEAR, rng);
        assertEquals(1 / Math.sqrt(200), std(w), 0.02 / Math.sqrt(200));
        Init.normal(w, 3, 0.5, rng);
        assertEquals(0.5, std(w), 0.01);
        double mean = java.util.Arrays.stream(w.toDoubleArray()).average().orElseThrow();
        assertEquals(3, mean, 0.02);
    }

    @Test
    void initialisersWorkInPlaceOnParametersWithoutRecordingAGraph() {
        Tensor p = Tensor.zeros(4, 3).requiresGrad(true);
        assertSame(p, Init.xavierUniform(p, 1, new SplittableRandom(3)));   // grad mode is on here
        assertTrue(p.isLeaf());
        assertNull(p.gradFnName());
        assertTrue(p.requiresGrad());
        Init.constant(p, 0.25);
        assertTrue(java.util.Arrays.stream(p.toDoubleArray()).allMatch(v -> v == 0.25));
        Init.ones(p);
        assertEquals(12, java.util.Arrays.stream(p.toDoubleArray()).sum());
        Init.zeros(p);
        assertEquals(0, java.util.Arrays.stream(p.toDoubleArray()).map(Math::abs).sum());
        Tensor scalar = Tensor.scalar(0, DType.FLOAT64);
        Init.uniform(scalar, 1, 2, new SplittableRandom(1));
        assertEquals(0, scalar.dim());
        assertTrue(scalar.item() >= 1 && scalar.item() < 2);
    }

    @Test
    void seededInitialisationIsReproducible() {
        Tensor a = Init.kaimingNormal(Tensor.zeros(5, 5), new SplittableRandom(8));
        Tensor b = Init.kaimingNormal(Tensor.zeros(5, 5), new SplittableRandom(8));
        assertArrayEquals(bits(a), bits(b));
        Init.manualSeed(3);
        Tensor c = Init.normal(Tensor.zeros(5), 0, 1);
        Init.manualSeed(3);
        assertArrayEquals(bits(c), bits(Init.normal(Tensor.zeros(5), 0, 1)));
    }

    @Test
    void invalidArgumentsAreExplained() {
        assertThrows(IllegalArgumentException.class, () -> Init.uniform(Tensor.zeros(2), 1, 0));
        assertThrows(IllegalArgumentException.class, () -> Init.normal(Tensor.zeros(2), 0, -1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Init.kaimingUniform(Tensor.zeros(3, 0), new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("FAN_IN"), e.getMessage());
    }
}
