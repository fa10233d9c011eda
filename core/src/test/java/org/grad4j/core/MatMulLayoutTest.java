package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * matmul's gradient of a transposed operand (a Linear layer's {@code W^T}) arrives in the operand's own,
 * transposed layout, so that accumulating it into W is a plain copy; the values are checked against hand-computed
 * products. Also: a vector-vector size mismatch names the user's shapes, not the internal unsqueezed ones.
 */
class MatMulLayoutTest {
    private static final Tensor A = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);   // [2, 3]
    private static final Tensor G = Tensor.of(new double[] {1, -1, 2, 0.5}, 2, 2);     // [2, 2]

    @Test
    void theGradientOfATransposedRightOperandKeepsItsLayout() {
        Tensor w = Tensor.of(new double[] {1, 0, 2, -1, 3, 1}, 2, 3).requiresGrad(true);   // [2, 3]
        Tensor wt = w.t();   // [3, 2], transposed layout
        Tensor[] seen = new Tensor[1];
        wt.registerHook(g -> {
            seen[0] = g;
            return g;
        });
        A.matmul(wt).backward(G);
        assertNotNull(seen[0]);
        assertFalse(seen[0].isContiguous(), "d(W^T) = A^T G computed as (G^T A)^T, in W^T's layout");
        assertTrue(seen[0].t().isContiguous());
        // dW = (A^T G)^T = G^T A
        assertArrayEquals(new double[] {9, 12, 15, 1, 0.5, 0}, w.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void theGradientOfATransposedLeftOperandKeepsItsLayout() {
        Tensor v = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 3, 2).requiresGrad(true);   // [3, 2]
        Tensor vt = v.t();   // [2, 3], transposed layout
        Tensor b = Tensor.of(new double[] {1, 0, 0, 1, 1, 1}, 3, 2);
        Tensor[] seen = new Tensor[1];
        vt.registerHook(g -> {
            seen[0] = g;
            return g;
        });
        vt.matmul(b).backward(G);
        assertFalse(seen[0].isContiguous(), "d(V^T) = G B^T computed as (B G^T)^T, in V^T's layout");
        assertTrue(seen[0].t().isContiguous());
        // d(V^T) = G B^T = [[1, -1, 0], [2, 0.5, 2.5]]; dV is its transpose
        assertArrayEquals(new double[] {1, 2, -1, 0.5, 0, 2.5}, v.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void contiguousOperandsGetContiguousGradients() {
        Tensor a = A.detach().requiresGrad(true);
        Tensor b = Tensor.of(new double[] {1, 0, 0, 1, 1, 1}, 3, 2).requiresGrad(true);
        Tensor[] seen = new Tensor[2];
        Tensor ah = a.mul(1);
        Tensor bh = b.mul(1);
        ah.registerHook(g -> {
            seen[0] = g;
            return g;
        });
        bh.registerHook(g -> {
            seen[1] = g;
            return g;
        });
        ah.matmul(bh).backward(G);
        assertTrue(seen[0].isContiguous());
        assertTrue(seen[1].isContiguous());
    }

    @Test
    void aVectorSizeMismatchNamesTheUsersShapes() {
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class,
                () -> Tensor.ones(3).matmul(Tensor.ones(2)));
        assertEquals("matmul: shapes [3] and [2] cannot be multiplied (3 != 2)", e.getMessage());
    }
}
