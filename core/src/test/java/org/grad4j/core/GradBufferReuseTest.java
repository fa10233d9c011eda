package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link Tensor#linear} and the engine writing a weight's gradient straight into its zeroed {@code grad()}
 * buffer: same bits as the composed {@code x.matmul(w.t()).add(b)} with fresh gradients, and never a gradient the
 * user holds overwritten unless it is the live buffer itself (as PyTorch's {@code zero_grad(set_to_none=False)}).
 */
class GradBufferReuseTest {

    private static Tensor leaf(long seed, DType dtype, int... shape) {
        return Tensor.randn(new SplittableRandom(seed), dtype, shape).requiresGrad(true);
    }

    /** The composed reference: product with the transposed weight, then the bias; fresh gradients. */
    private static Tensor[] composedGrads(Tensor x, Tensor w, Tensor b, Tensor seed) {
        Tensor xr = x.detach().requiresGrad(true);
        Tensor wr = w.detach().requiresGrad(true);
        Tensor br = b.detach().requiresGrad(true);
        xr.matmul(wr.t()).add(br).mul(seed).sum().backward();
        return new Tensor[] {xr.grad(), wr.grad(), br.grad()};
    }

    @Test
    void linearMatchesTheComposedOpsBitForBitInBothDtypes() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor x = leaf(1, dtype, 5, 7);
            Tensor w = leaf(2, dtype, 3, 7);
            Tensor b = leaf(3, dtype, 3);
            Tensor seed = Tensor.randn(new SplittableRandom(4), dtype, 5, 3);
            Tensor y = Tensor.linear(x, w, b);
            assertArrayEquals(x.matmul(w.t()).add(b).toDoubleArray(), y.toDoubleArray(), 0.0);
            y.mul(seed).sum().backward();
            Tensor[] expected = composedGrads(x, w, b, seed);
            assertArrayEquals(expected[0].toDoubleArray(), x.grad().toDoubleArray(), 0.0);
            assertArrayEquals(expected[1].toDoubleArray(), w.grad().toDoubleArray(), 0.0);
            assertArrayEquals(expected[2].toDoubleArray(), b.grad().toDoubleArray(), 0.0);
        }
    }

    @Test
    void aZeroedBufferReceivesTheFreshGradientInPlace() {
        Tensor x = leaf(1, DType.FLOAT32, 4, 6);
        Tensor w = leaf(2, DType.FLOAT32, 3, 6);
        Tensor seed = Tensor.randn(new SplittableRandom(5), DType.FLOAT32, 4, 3);
        Tensor.linear(x, w, null).mul(seed).sum().backward();
        Tensor fresh = w.grad().copy();
        Tensor buffer = w.grad();
        buffer.zero();
        int version = buffer.version();
        Tensor.linear(x, w, null).mul(seed).sum().backward();
        assertSame(buffer, w.grad(), "the zeroed buffer is reused, not replaced");
        assertTrue(buffer.version() > version, "writing the gradient is an in-place change of the buffer");
        assertArrayEquals(fresh.toFloatArray(), buffer.toFloatArray(), 0f);
    }

    @Test
    void withoutZeroingGradientsAccumulate() {
        Tensor x = leaf(1, DType.FLOAT64, 4, 6);
        Tensor w = leaf(2, DType.FLOAT64, 3, 6);
        Tensor.linear(x, w, null).sum().backward();
        Tensor once = w.grad().copy();
        Tensor.linear(x, w, null).sum().backward();
        assertArrayEquals(once.mul(2).toDoubleArray(), w.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void aGradientTheUserHoldsIsNotOverwrittenAfterSetToNone() {
        Tensor x = leaf(1, DType.FLOAT32, 4, 6);
        Tensor w = leaf(2, DType.FLOAT32, 3, 6);
        Tensor.linear(x, w, null).sum().backward();
        Tensor held = w.grad();
        float[] before = held.toFloatArray();
        held.zero();          // zeroed by the user, but then detached from the parameter:
        w.zeroGrad();         // grad = null, so the next backward must not write into 'held'
        Tensor.linear(x, w, null).mul(3).sum().backward();
        assertNotSame(held, w.grad());
        assertArrayEquals(new float[before.length], held.toFloatArray(), 0f);
    }

    @Test
    void aBufferWrittenToAfterZeroingIsAddedTo() {
        Tensor x = leaf(1, DType.FLOAT64, 4, 6);
        Tensor w = leaf(2, DType.FLOAT64, 3, 6);
        Tensor.linear(x, w, null).sum().backward();
        Tensor fresh = w.grad().copy();
        w.grad().zero();
        w.grad().set(1.5, 0, 0);   // no longer all zeros: the gradient must be added, not written over
        Tensor.linear(x, w, null).sum().backward();
        Tensor expected = fresh.copy();
        expected.set(fresh.get(0, 0) + 1.5, 0, 0);
        assertArrayEquals(expected.toDoubleArray(), w.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void aWeightUsedTwiceGetsBothGradients() {
        Tensor x = leaf(1, DType.FLOAT64, 4, 6);
        Tensor w = leaf(2, DType.FLOAT64, 6, 6);
        Tensor loss = Tensor.linear(Tensor.linear(x, w, null).tanh(), w, null).sum().add(w.square().sum());
        loss.backward();
        Tensor fresh = w.grad().copy();
        w.grad().zero();
        Tensor.linear(Tensor.linear(x, w, null).tanh(), w, null).sum().add(w.square().sum()).backward();
        assertArrayEquals(fresh.toDoubleArray(), w.grad().toDoubleArray(), 1e-12);
        GradCheck.assertGradients(in -> Tensor.linear(Tensor.linear(in[0], in[1], null).tanh(), in[1], null)
                .sum().add(in[1].square().sum()), x.detach().requiresGrad(true), w.detach().requiresGrad(true));
    }

    @Test
    void retainGraphBackwardTwiceAccumulatesIntoTheBuffer() {
        Tensor x = leaf(1, DType.FLOAT64, 4, 6);
        Tensor w = leaf(2, DType.FLOAT64, 3, 6);
        Tensor.linear(x, w, null).sum().backward();
        Tensor once = w.grad().copy();
        w.grad().zero();
        Tensor loss = Tensor.linear(x, w, null).sum();
        loss.backward(null, true, false);
        loss.backward();
        assertArrayEquals(once.mul(2).toDoubleArray(), w.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void hooksSeeTheGradientAndTheBufferIsLeftAlone() {
        Tensor x = leaf(1, DType.FLOAT64, 4, 6);
        Tensor w = leaf(2, DType.FLOAT64, 3, 6);
        Tensor.linear(x, w, null).sum().backward();
        Tensor fresh = w.grad().copy();
        Tensor buffer = w.grad();
        buffer.zero();
        Tensor[] seen = new Tensor[1];
        w.registerHook(g -> {
            seen[0] = g.copy();
            return g.mul(2);
        });
        Tensor.linear(x, w, null).sum().backward();
        assertArrayEquals(fresh.toDoubleArray(), seen[0].toDoubleArray(), 1e-12);
        assertArrayEquals(fresh.mul(2).toDoubleArray(), w.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void autogradGradLeavesTheBufferUntouched() {
        Tensor x = leaf(1, DType.FLOAT64, 4, 6);
        Tensor w = leaf(2, DType.FLOAT64, 3, 6);
        Tensor.linear(x, w, null).sum().backward();
        Tensor buffer = w.grad();
        Tensor expected = buffer.copy();
        buffer.zero();
        int version = buffer.version();
        Tensor g = Autograd.grad(Tensor.linear(x, w, null).sum(), w, false);
        assertArrayEquals(expected.toDoubleArray(), g.toDoubleArray(), 1e-12);
        assertEquals(version, buffer.version());
        assertArrayEquals(new double[18], buffer.toDoubleArray(), 0.0);
    }

    @Test
    void createGraphGivesDifferentiableGradientsAndSecondOrderIsRight() {
        Tensor x = leaf(1, DType.FLOAT64, 4, 6);
        Tensor w = leaf(2, DType.FLOAT64, 3, 6);
        Tensor b = leaf(3, DType.FLOAT64, 3);
        Tensor.linear(x, w, b).sum().backward();
        w.grad().zero();
        Tensor.linear(x, w, b).tanh().sum().backward(null, false, true);
        assertTrue(w.grad().requiresGrad(), "with createGraph the gradient carries a graph");
        GradCheck.Fn f = in -> Tensor.linear(in[0], in[1], in[2]).tanh().sum();
        assertTrue(GradCheck.check(f, x.detach().requiresGrad(true), w.detach().requiresGrad(true),
                b.detach().requiresGrad(true)).passed());
        assertTrue(GradCheck.checkSecondOrder(f, 11, x.detach().requiresGrad(true), w.detach().requiresGrad(true),
                b.detach().requiresGrad(true)).passed());
    }

    @Test
    void aZeroedBufferTakesTheFreshBitsOfOtherGradientsToo() {
        // 0 + -0 is +0: a zeroed buffer must hold the gradient's own bits, as after set-to-none.
        Tensor a = Tensor.of(new float[] {1f, 2f}, 2).requiresGrad(true);
        a.mul(Tensor.of(new float[] {-0f, 3f}, 2)).sum().backward();
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(a.grad().toFloatArray()[0]));
        a.grad().zero();
        a.mul(Tensor.of(new float[] {-0f, 3f}, 2)).sum().backward();
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(a.grad().toFloatArray()[0]));
    }

    @Test
    void gradientsFromManyConsumersAreSummedInPlaceWithoutTouchingSharedOnes() {
        Tensor x = Tensor.of(new double[] {1.5, -2.0}, 2).requiresGrad(true);
        Tensor t = x.mul(2);
        Tensor[] seen = new Tensor[2];
        t.registerHook(g -> {
            seen[0] = g;
            seen[1] = g.copy();
            return g;
        });
        // t's gradient arrives four times; add's rule hands one tensor to both of its inputs
        Tensor u = t.add(t).add(t).add(t.mul(x));
        Tensor seed = Tensor.of(new double[] {1.0, 3.0}, 2);
        u.backward(seed);
        double[] expectedT = {seed.get(0) * (3 + 1.5), seed.get(1) * (3 - 2.0)};
        assertArrayEquals(expectedT, seen[1].toDoubleArray(), 0.0);
        assertArrayEquals(seen[1].toDoubleArray(), seen[0].toDoubleArray(), 0.0, "not changed after the hook ran");
        // du/dx = 2 * dt + t (from t * x): x's gradient arrives from two ops
        double[] expectedX = {2 * expectedT[0] + seed.get(0) * 3.0, 2 * expectedT[1] + seed.get(1) * -4.0};
        assertArrayEquals(expectedX, x.grad().toDoubleArray(), 1e-12);
        Tensor w = Tensor.of(new double[] {0.5}, 1).requiresGrad(true);
        w.mul(1).add(w.mul(2)).add(w.mul(3)).add(w.mul(4)).sum().backward();
        assertArrayEquals(new double[] {10}, w.grad().toDoubleArray(), 0.0);
        Tensor again = Autograd.grad(w.mul(1).add(w.mul(2)).add(w.mul(3)).sum(), w, true);
        assertArrayEquals(new double[] {6}, again.toDoubleArray(), 0.0);
    }

    @Test
    void otherBiasShapesComposeAndABiasAloneGetsItsGradient() {
        Tensor x = Tensor.randn(new SplittableRandom(1), DType.FLOAT64, 4, 6);
        Tensor w = Tensor.randn(new SplittableRandom(2), DType.FLOAT64, 3, 6);
        Tensor rowBias = leaf(3, DType.FLOAT64, 1, 3);
        Tensor y = Tensor.linear(x, w, rowBias);
        assertArrayEquals(x.matmul(w.t()).add(rowBias).toDoubleArray(), y.toDoubleArray(), 0.0);
        y.sum().backward();
        assertArrayEquals(new double[] {4, 4, 4}, rowBias.grad().toDoubleArray(), 0.0);
        Tensor b = leaf(4, DType.FLOAT64, 3);
        Tensor.linear(x, w, b).mul(2).sum().backward();
        assertArrayEquals(new double[] {8, 8, 8}, b.grad().toDoubleArray(), 0.0);
    }

    @Test
    void otherRanksAndBadWeightsGoThroughMatmul() {
        Tensor x = leaf(1, DType.FLOAT32, 2, 4, 6);
        Tensor w = leaf(2, DType.FLOAT32, 3, 6);
        assertArrayEquals(x.matmul(w.t()).toFloatArray(), Tensor.linear(x, w, null).toFloatArray(), 0f);
        Tensor v = leaf(3, DType.FLOAT32, 6);
        assertArrayEquals(w.matmul(v).toFloatArray(), Tensor.linear(v, w, null).toFloatArray(), 0f);
        assertThrows(ShapeMismatchException.class, () -> Tensor.linear(x, v, null));
        assertThrows(DTypeMismatchException.class,
                () -> Tensor.linear(Tensor.zeros(2, 6).to(DType.FLOAT64), w, null));
        assertThrows(IllegalArgumentException.class, () -> Tensor.linear(null, w, null));
    }
}
