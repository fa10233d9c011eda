package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Views share storage and copy nothing; contiguous() copies only when the layout needs it. */
class TensorViewsTest {

    private static Tensor matrix() {
        return Tensor.arange(0, 6, 1, DType.FLOAT64).reshape(2, 3);
    }

    @Test
    void viewsShareStorageAndSeeWritesThroughEachOther() {
        Tensor m = matrix();
        Tensor[] views = {m.reshape(3, 2), m.view(6), m.t(), m.permute(1, 0), m.unsqueeze(0), m.narrow(1, 1, 2),
            m.select(0, 1), m.slice(1, 0, 3, 2), m.expand(4, 2, 3), m.flatten()};
        for (Tensor v : views) {
            assertTrue(v.sharesStorageWith(m), "view shares storage: " + v);
        }
        m.select(0, 1).set(42, 2);
        assertEquals(42, m.get(1, 2), 0);
        assertEquals(42, m.t().get(2, 1), 0);
    }

    @Test
    void transposeIsAStridedViewAndContiguousCopiesIt() {
        Tensor m = matrix();
        Tensor t = m.t();
        assertArrayEquals(new int[] {1, 3}, t.strides());
        assertFalse(t.isContiguous());
        Tensor c = t.contiguous();
        assertFalse(c.sharesStorageWith(m));
        assertTrue(c.isContiguous());
        assertArrayEquals(new double[] {0, 3, 1, 4, 2, 5}, c.toDoubleArray());
        assertSame(m, m.contiguous(), "a contiguous tensor is returned as is");
    }

    @Test
    void viewRefusesIncompatibleStridesWhileReshapeCopies() {
        Tensor t = matrix().t();
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> t.view(6));
        assertTrue(e.getMessage().contains("reshape"), e.getMessage());
        Tensor r = t.reshape(6);
        assertFalse(r.sharesStorageWith(t));
        assertArrayEquals(new double[] {0, 3, 1, 4, 2, 5}, r.toDoubleArray());
    }

    @Test
    void slicingWithStepsAndNegativeBounds() {
        Tensor v = Tensor.arange(10);
        assertArrayEquals(new float[] {1, 4, 7}, v.slice(0, 1, 9, 3).toFloatArray());
        assertArrayEquals(new float[] {7, 8}, v.slice(0, -3, -1).toFloatArray());
        assertArrayEquals(new float[] {8, 9}, v.slice(0, 8, 100).toFloatArray());
        assertEquals(0, v.slice(0, 5, 2).numel());
        assertArrayEquals(new float[] {9}, v.select(0, -1).reshape(1).toFloatArray());
    }

    @Test
    void gradientsFlowBackThroughViews() {
        Tensor x = matrix().requiresGrad(true);
        x.t().slice(0, 0, 3, 2).mul(Tensor.of(new double[] {1, 10})).sum().backward();
        assertArrayEquals(new double[] {1, 0, 1, 10, 0, 10}, x.grad().toDoubleArray());
    }

    @Test
    void expandedGradientIsSummedAndExpandWritesAreRefused() {
        Tensor x = Tensor.of(new double[] {1, 2}).requiresGrad(true);
        x.reshape(2, 1).expand(2, 3).sum().backward();
        assertArrayEquals(new double[] {3, 3}, x.grad().toDoubleArray());
        Tensor e = Tensor.ones(DType.FLOAT64, 1, 3).expand(4, 3);
        ShapeMismatchException ex = assertThrows(ShapeMismatchException.class, () -> e.fill(2));
        assertTrue(ex.getMessage().contains("contiguous()"), ex.getMessage());
    }

    @Test
    void splitChunksAreViewsAndConcatRejoinsThem() {
        Tensor m = Tensor.arange(0, 12, 1, DType.FLOAT64).reshape(3, 4);
        var parts = m.split(3, 1);
        assertEquals(2, parts.size());
        assertArrayEquals(new int[] {3, 1}, parts.get(1).shape());
        assertTrue(parts.get(0).sharesStorageWith(m));
        Tensor back = Tensor.concat(1, parts.toArray(new Tensor[0]));
        assertArrayEquals(m.toDoubleArray(), back.toDoubleArray());
        assertNotSame(m, back);
        Tensor stacked = Tensor.stack(0, m, m);
        assertArrayEquals(new int[] {2, 3, 4}, stacked.shape());
    }

    @Test
    void squeezeUnsqueezeAndNegativeDims() {
        Tensor x = Tensor.zeros(2, 1, 3);
        assertArrayEquals(new int[] {2, 3}, x.squeeze().shape());
        assertArrayEquals(new int[] {2, 3}, x.squeeze(-2).shape());
        assertArrayEquals(new int[] {2, 1, 3}, x.squeeze(0).shape());
        assertArrayEquals(new int[] {2, 1, 3, 1}, x.unsqueeze(-1).shape());
        assertArrayEquals(new int[] {3, 1, 2}, x.transpose(0, -1).shape());
        assertEquals(3, x.size(-1));
    }

    @Test
    void inPlaceUpdatesThroughAStridedViewOnlyTouchTheView() {
        Tensor m = matrix();
        m.t().select(0, 1).addInPlace(Tensor.of(new double[] {100, 100}));
        assertArrayEquals(new double[] {0, 101, 2, 3, 104, 5}, m.toDoubleArray());
        m.addInPlace(m.t().t());
        assertEquals(202, m.get(0, 1), 0);

        Tensor squares = Tensor.of(new double[][] {{1, 4, 9}, {16, 25, 36}});
        squares.t().narrow(0, 1, 2).sqrtInPlace();
        assertArrayEquals(new double[] {1, 2, 3, 16, 5, 6}, squares.toDoubleArray());
        assertEquals(1, squares.version());
    }
}
