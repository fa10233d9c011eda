package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@code addInPlace(other, alpha)} over strided runs longer than the scaled add's internal chunk (several thousand
 * elements), against a naive loop that rounds {@code alpha * other} before the add, as {@code add_(other, alpha)}.
 */
class ScaledAddLongRunTest {

    private static final int N = 10_007;   // more than two chunks, not a multiple of any vector width

    @Test
    void everyOtherElementOfALongFloat32Vector() {
        SplittableRandom rng = new SplittableRandom(11);
        float[] base = new float[2 * N];
        float[] other = new float[3 * N];
        for (int i = 0; i < base.length; i++) base[i] = (float) rng.nextGaussian();
        for (int i = 0; i < other.length; i++) other[i] = (float) rng.nextGaussian();
        float alpha = -0.37f;
        float[] expected = base.clone();
        for (int i = 0; i < N; i++) {
            float term = other[3 * i + 1] * alpha;
            expected[2 * i] = expected[2 * i] + term;
        }
        Tensor self = Tensor.of(base, 2 * N);
        Tensor target = self.slice(0, 0, 2 * N, 2);                   // stride 2
        Tensor source = Tensor.of(other, 3 * N).slice(0, 1, 3 * N, 3);   // stride 3, offset 1
        target.addInPlace(source, alpha);
        float[] actual = self.toFloatArray();
        for (int i = 0; i < 2 * N; i++) {
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]), "element " + i);
        }
    }

    @Test
    void aLongFloat64ColumnWithABroadcastOperand() {
        SplittableRandom rng = new SplittableRandom(12);
        int cols = 3;
        double[] base = new double[N * cols];
        for (int i = 0; i < base.length; i++) base[i] = rng.nextGaussian();
        double value = rng.nextGaussian();
        double alpha = 1.75;
        double[] expected = base.clone();
        for (int r = 0; r < N; r++) expected[r * cols + 1] += value * alpha;
        Tensor self = Tensor.of(base, N, cols);
        Tensor column = self.narrow(1, 1, 1);   // shape [N, 1], stride 3: one strided run of N elements
        column.addInPlace(Tensor.of(new double[] {value}, 1), alpha);
        double[] actual = self.toDoubleArray();
        for (int i = 0; i < actual.length; i++) {
            assertEquals(Double.doubleToLongBits(expected[i]), Double.doubleToLongBits(actual[i]), "element " + i);
        }
    }

    @Test
    void aLongContiguousRunWithAStridedOperand() {
        SplittableRandom rng = new SplittableRandom(13);
        double[] base = new double[N];
        double[] other = new double[2 * N];
        for (int i = 0; i < base.length; i++) base[i] = rng.nextGaussian();
        for (int i = 0; i < other.length; i++) other[i] = rng.nextGaussian();
        double alpha = 0.3;
        double[] expected = base.clone();
        for (int i = 0; i < N; i++) expected[i] += other[2 * i + 1] * alpha;
        Tensor self = Tensor.of(base, N);
        self.addInPlace(Tensor.of(other, 2 * N).slice(0, 1, 2 * N, 2), alpha);
        double[] actual = self.toDoubleArray();
        for (int i = 0; i < N; i++) {
            assertEquals(Double.doubleToLongBits(expected[i]), Double.doubleToLongBits(actual[i]), "element " + i);
        }
    }
}
