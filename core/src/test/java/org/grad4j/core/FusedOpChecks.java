package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

/**
 * What the fused-op tests (conv2dRelu, conv2dReluMaxPool2d, linearRelu) share: a tensor-for-tensor bit comparison, and
 * the second-derivative check: a loss {@code sum(y^2 g) / 2} whose gradient depends on y,
 * its first gradients with createGraph, then the gradient of their squared norm; fused and unfused runs append their
 * results to one list, which must hold the same bits in both halves.
 */
final class FusedOpChecks {
    private FusedOpChecks() {
    }

    /** Appends the first gradients of {@code sum(y^2 g) / 2} and the second-order gradients of x, w and b. */
    static void addSecondDerivatives(Tensor y, Tensor g, Tensor x, Tensor w, Tensor b, List<double[]> results) {
        Tensor loss = y.mul(y).mul(g).sum().mul(0.5);
        List<Tensor> firsts = Autograd.grad(loss, b == null ? List.of(x, w) : List.of(x, w, b), true);
        Tensor gradNorm = firsts.get(0).square().sum().add(firsts.get(1).square().sum());
        gradNorm.backward();
        for (Tensor t : firsts) results.add(t.detach().toDoubleArray());
        results.add(x.grad().toDoubleArray());
        results.add(w.grad().toDoubleArray());
        if (b != null) results.add(b.grad().toDoubleArray());
    }

    /** Fails unless the list's first half and second half hold the same arrays bit for bit. */
    static void assertHalvesSameBits(List<double[]> results, String what) {
        int half = results.size() / 2;
        for (int i = 0; i < half; i++) {
            double[] e = results.get(i);
            double[] a = results.get(half + i);
            assertEquals(e.length, a.length, what + " result " + i);
            for (int k = 0; k < e.length; k++) {
                assertEquals(Double.doubleToRawLongBits(e[k]), Double.doubleToRawLongBits(a[k]),
                        what + " result " + i + " element " + k);
            }
        }
    }

    /** Fails unless the two tensors (or both null) have the same shape, dtype and bits. */
    static void assertSameBits(Tensor expected, Tensor actual, String what) {
        if (expected == null) {
            assertEquals(null, actual, what);
            return;
        }
        assertArrayEquals(expected.shape(), actual.shape(), what);
        assertEquals(expected.dtype(), actual.dtype(), what);
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            assertEquals(Double.doubleToRawLongBits(e[i]), Double.doubleToRawLongBits(a[i]),
                    what + " element " + i + ": " + e[i] + " vs " + a[i]);
        }
    }
}
