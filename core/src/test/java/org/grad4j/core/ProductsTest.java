package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** bmm, outer, dot, mv, tensordot and kron against explicit loops, their gradients by GradCheck, their errors. */
class ProductsTest {

    private static Tensor randn(long seed, int... shape) {
        return Tensor.randn(new SplittableRandom(seed), DType.FLOAT64, shape);
    }

    @Property(tries = 30)
    void bmmMatchesLoops(@ForAll @IntRange(min = 1, max = 3) int b, @ForAll @IntRange(min = 1, max = 4) int n,
                         @ForAll @IntRange(min = 1, max = 4) int m, @ForAll @IntRange(min = 1, max = 4) int p,
                         @ForAll long seed) {
        Tensor x = randn(seed, b, n, m);
        Tensor y = randn(seed + 1, b, m, p);
        Tensor out = x.bmm(y);
        assertArrayEquals(new int[] {b, n, p}, out.shape());
        for (int i = 0; i < b; i++) {
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < p; c++) {
                    double s = 0;
                    for (int k = 0; k < m; k++) s += x.get(i, r, k) * y.get(i, k, c);
                    assertEquals(s, out.get(i, r, c), 1e-12);
                }
            }
        }
    }

    @Test
    void vectorProductsMatchLoops() {
        Tensor a = randn(1, 4);
        Tensor b = randn(2, 3);
        Tensor m = randn(3, 3, 4);
        Tensor outer = a.outer(b);
        double dot = 0;
        for (int i = 0; i < 4; i++) {
            dot += a.get(i) * a.get(i);
            for (int j = 0; j < 3; j++) assertEquals(a.get(i) * b.get(j), outer.get(i, j), 0);
        }
        assertEquals(0, a.dot(a).dim());
        assertEquals(dot, a.dot(a).item(), 1e-12);
        Tensor mv = m.mv(a);
        for (int r = 0; r < 3; r++) {
            double s = 0;
            for (int k = 0; k < 4; k++) s += m.get(r, k) * a.get(k);
            assertEquals(s, mv.get(r), 1e-12);
        }
    }

    @Test
    void tensordotMatchesLoops() {
        Tensor a = randn(4, 2, 3, 4);
        Tensor b = randn(5, 4, 3, 5);
        Tensor out = Tensor.tensordot(a, b, new int[] {1, 2}, new int[] {1, 0});
        assertArrayEquals(new int[] {2, 5}, out.shape());
        for (int i = 0; i < 2; i++) {
            for (int l = 0; l < 5; l++) {
                double s = 0;
                for (int j = 0; j < 3; j++) {
                    for (int k = 0; k < 4; k++) s += a.get(i, j, k) * b.get(k, j, l);
                }
                assertEquals(s, out.get(i, l), 1e-12);
            }
        }
        Tensor c = randn(6, 3, 4, 2);
        Tensor viaInt = Tensor.tensordot(a, c, 2);
        assertArrayEquals(new int[] {2, 2}, viaInt.shape());
        assertTrue(viaInt.allClose(Tensor.einsum("ijk,jkl->il", a, c), 1e-12, 1e-12));
        assertArrayEquals(new int[] {2, 3, 4, 3, 4, 2}, Tensor.tensordot(a, c, 0).shape());
        assertTrue(Tensor.tensordot(a, c, new int[] {-2, -1}, new int[] {0, 1}).allClose(viaInt, 1e-12, 1e-12));
    }

    @Test
    void kronMatchesDefinition() {
        Tensor a = randn(7, 2, 3);
        Tensor b = randn(8, 4, 2);
        Tensor k = a.kron(b);
        assertArrayEquals(new int[] {8, 6}, k.shape());
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int p = 0; p < 4; p++) {
                    for (int q = 0; q < 2; q++) {
                        assertEquals(a.get(i, j) * b.get(p, q), k.get(i * 4 + p, j * 2 + q), 0);
                    }
                }
            }
        }
        Tensor v = randn(9, 3);
        Tensor kv = a.kron(v);                         // ranks differ: v is treated as [1, 3]
        assertArrayEquals(new int[] {2, 9}, kv.shape());
        assertEquals(a.get(1, 2) * v.get(1), kv.get(1, 2 * 3 + 1), 0);
        // the mixed-product property (A kron B)(C kron D) = AC kron BD
        Tensor c = randn(10, 3, 2);
        Tensor d = randn(11, 2, 3);
        assertTrue(a.kron(b).matmul(c.kron(d)).allClose(a.matmul(c).kron(b.matmul(d)), 1e-12, 1e-12));
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        GradCheck.Fn[] fns = {
            in -> in[0].bmm(in[1]),
            in -> in[2].outer(in[3]),
            in -> in[3].dot(in[3].square()),
            in -> in[4].mv(in[2]),
            in -> Tensor.tensordot(in[0], in[1], new int[] {2}, new int[] {1}).square(),
            in -> in[4].kron(in[3].square()),
        };
        Tensor[] inputs = {randn(1, 2, 3, 2).requiresGrad(true), randn(2, 2, 2, 3).requiresGrad(true),
            randn(3, 4).requiresGrad(true), randn(4, 3).requiresGrad(true), randn(5, 2, 4).requiresGrad(true)};
        for (GradCheck.Fn f : fns) {
            GradCheck.Result r = GradCheck.check(f, inputs);
            assertTrue(r.passed(), r::report);
            GradCheck.Result second = GradCheck.checkSecondOrder(in -> f.apply(in).square(), 5, inputs);
            assertTrue(second.passed(), second::report);
        }
    }

    @Test
    void errorsNameTheOp() {
        Tensor m = Tensor.zeros(2, 3);
        Tensor v = Tensor.zeros(3);
        assertTrue(assertThrows(ShapeMismatchException.class, () -> m.bmm(m)).getMessage().startsWith("bmm:"));
        assertTrue(assertThrows(ShapeMismatchException.class,
                () -> Tensor.zeros(2, 2, 3).bmm(Tensor.zeros(3, 3, 1))).getMessage().contains("2 != 3"));
        assertTrue(assertThrows(ShapeMismatchException.class, () -> m.outer(v)).getMessage().startsWith("outer:"));
        assertTrue(assertThrows(ShapeMismatchException.class, () -> v.dot(Tensor.zeros(2))).getMessage()
                .startsWith("dot:"));
        assertTrue(assertThrows(ShapeMismatchException.class, () -> v.mv(v)).getMessage().startsWith("mv:"));
        assertTrue(assertThrows(ShapeMismatchException.class, () -> Tensor.tensordot(m, m, new int[] {1},
                new int[] {0})).getMessage().contains("size 3 in dim 1 and second has size 2 in dim 0"));
        assertTrue(assertThrows(ShapeMismatchException.class, () -> Tensor.tensordot(m, m, 3)).getMessage()
                .startsWith("tensordot:"));
    }
}
