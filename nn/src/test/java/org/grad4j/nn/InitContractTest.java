package org.grad4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Random;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The initialisers fill the tensor they are given and return it (so they chain, as {@code nn.init} does), draw
 * exactly {@code low + (high - low) u} and {@code mean + std g} from the generator (checked against a loop over a
 * second generator with the same seed), and accept the degenerate ends of their ranges (low = high, std = 0).
 */
class InitContractTest {
    private static Tensor weight() {
        return Tensor.zeros(DType.FLOAT64, 3, 4);
    }

    @Test
    void everyInitialiserReturnsTheTensorItFilled() {
        Tensor t = weight();
        assertSame(t, Init.zeros(t));
        assertSame(t, Init.ones(t));
        assertSame(t, Init.constant(t, 2.5));
        assertSame(t, Init.uniform(t, -1, 1));
        assertSame(t, Init.uniform(t, -1, 1, new Random(1)));
        assertSame(t, Init.normal(t, 0, 1));
        assertSame(t, Init.normal(t, 0, 1, new Random(1)));
        assertSame(t, Init.xavierUniform(t, 1.0));
        assertSame(t, Init.xavierUniform(t, 1.0, new Random(1)));
        assertSame(t, Init.xavierNormal(t, 1.0));
        assertSame(t, Init.xavierNormal(t, 1.0, new Random(1)));
        assertSame(t, Init.kaimingUniform(t, new Random(1)));
        assertSame(t, Init.kaimingNormal(t, new Random(1)));
        assertArrayEquals(new double[12], Init.zeros(t).toDoubleArray(), 0.0);
        double[] twos = new double[12];
        java.util.Arrays.fill(twos, 2.5);
        assertArrayEquals(twos, Init.constant(t, 2.5).toDoubleArray(), 0.0);
    }

    @Test
    void drawsAreTheDocumentedAffineMapsOfTheGenerator() {
        Random reference = new Random(42);
        double[] uniform = new double[12];
        for (int i = 0; i < 12; i++) {
            uniform[i] = -0.5 + 2.0 * reference.nextDouble();
        }
        assertArrayEquals(uniform, Init.uniform(weight(), -0.5, 1.5, new Random(42)).toDoubleArray(), 0.0);

        reference = new Random(43);
        double[] normal = new double[12];
        for (int i = 0; i < 12; i++) {
            normal[i] = 3 + 0.25 * reference.nextGaussian();
        }
        assertArrayEquals(normal, Init.normal(weight(), 3, 0.25, new Random(43)).toDoubleArray(), 0.0);

        // xavier for [3, 4]: fanIn 4, fanOut 3, bound gain * sqrt(6 / 7), drawn over [-bound, bound]
        double bound = 2 * Math.sqrt(6.0 / 7);
        reference = new Random(44);
        double[] xavier = new double[12];
        for (int i = 0; i < 12; i++) {
            xavier[i] = -bound + (bound - -bound) * reference.nextDouble();
        }
        assertArrayEquals(xavier, Init.xavierUniform(weight(), 2, new Random(44)).toDoubleArray(), 0.0);
    }

    @Test
    void degenerateRangesGiveConstants() {
        double[] sevens = new double[12];
        java.util.Arrays.fill(sevens, 7);
        assertArrayEquals(sevens, Init.uniform(weight(), 7, 7, new Random(1)).toDoubleArray(), 0.0);
        assertArrayEquals(sevens, Init.normal(weight(), 7, 0, new Random(1)).toDoubleArray(), 0.0);
    }
}
