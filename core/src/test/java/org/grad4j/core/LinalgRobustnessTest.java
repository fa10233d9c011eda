package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Calls every public Linalg method, and einsum, on awkward inputs (0-d, 1-d, empty, non-square, NaN, singular) and
 * requires that failures are our IllegalArgumentException subclasses, never an internal exception; and that
 * empty matrices give empty (or, for det, unit) results as in PyTorch.
 */
class LinalgRobustnessTest {

    @Test
    void noInternalExceptionEscapes() throws Exception {
        Tensor nan = Tensor.of(new double[][] {{Double.NaN, 1}, {1, 2}});
        Tensor[] inputs = {Tensor.scalar(2.0, DType.FLOAT64), Tensor.zeros(DType.FLOAT64, 3),
            Tensor.zeros(DType.FLOAT64, 0, 0), Tensor.zeros(DType.FLOAT64, 0, 3), Tensor.zeros(DType.FLOAT64, 3, 0),
            Tensor.zeros(DType.FLOAT64, 2, 0, 0), Tensor.zeros(DType.FLOAT64, 2, 3), Tensor.zeros(DType.FLOAT64, 3, 3),
            Tensor.ones(DType.FLOAT64, 1, 1), nan, Tensor.eye(3, DType.FLOAT32), Tensor.eye(2, DType.FLOAT64)};
        TreeSet<String> leaks = new TreeSet<>();
        int calls = 0;
        for (Method m : Linalg.class.getMethods()) {
            if (m.getDeclaringClass() != Linalg.class) {
                continue;
            }
            for (Tensor a : inputs) {
                for (Tensor b : inputs) {
                    Object[] args = arguments(m.getParameterTypes(), a, b);
                    if (args == null) {
                        continue;
                    }
                    calls++;
                    try {
                        m.invoke(null, args);
                    } catch (InvocationTargetException e) {
                        if (!(e.getCause() instanceof IllegalArgumentException)) {
                            leaks.add(m.getName() + " on " + java.util.Arrays.toString(a.shape()) + ", "
                                    + java.util.Arrays.toString(b.shape()) + ": " + e.getCause());
                        }
                    }
                }
            }
        }
        for (String eq : new String[] {"ij,jk", "ii", "i", "...", "ij->", "a,a", "...ij,...jk"}) {
            for (Tensor a : inputs) {
                for (Tensor b : inputs) {
                    calls++;
                    int operands = eq.split("->")[0].split(",").length;
                    try {
                        Tensor.einsum(eq, operands == 1 ? new Tensor[] {a} : new Tensor[] {a, b});
                    } catch (IllegalArgumentException expected) {
                        // ours
                    } catch (RuntimeException e) {
                        leaks.add("einsum " + eq + " on " + java.util.Arrays.toString(a.shape()) + ", "
                                + java.util.Arrays.toString(b.shape()) + ": " + e);
                    }
                }
            }
        }
        for (Method m : Linalg.class.getMethods()) {
            if (m.getDeclaringClass() != Linalg.class) {
                continue;
            }
            Object[] args = arguments(m.getParameterTypes(), null, null);
            if (args == null) {
                continue;
            }
            calls++;
            try {
                m.invoke(null, args);
            } catch (InvocationTargetException e) {
                if (!(e.getCause() instanceof IllegalArgumentException)) {
                    leaks.add(m.getName() + " on nulls: " + e.getCause());
                }
            }
        }
        assertTrue(calls > 500, "calls: " + calls);
        assertEquals(List.of(), new ArrayList<>(leaks));
    }

    private static Object[] arguments(Class<?>[] types, Tensor a, Tensor b) {
        Object[] args = new Object[types.length];
        int tensors = 0;
        for (int i = 0; i < types.length; i++) {
            if (types[i] == Tensor.class) {
                args[i] = tensors++ == 0 ? a : b;
            } else if (types[i] == double.class) {
                args[i] = 2.0;
            } else if (types[i] == boolean.class) {
                args[i] = true;
            } else if (types[i] == String.class) {
                args[i] = "nuc";
            } else if (types[i] == int[].class) {
                args[i] = new int[] {-1};
            } else {
                return null;
            }
        }
        return args;
    }

    @Test
    void emptyMatricesGiveEmptyResults() {
        Tensor empty = Tensor.zeros(DType.FLOAT64, 2, 0, 0);
        assertEquals(List.of(2), List.of(Linalg.det(empty).shape()[0]));
        assertEquals(1, Linalg.det(empty).get(1));
        assertEquals(0, Linalg.inv(empty).numel());
        assertEquals(0, Linalg.eigh(empty).eigenvalues().numel());
        Linalg.QR qr = Linalg.qr(Tensor.zeros(DType.FLOAT64, 0, 3));
        assertTrue(java.util.Arrays.equals(new int[] {0, 3}, qr.r().shape()));
        Linalg.SVD svd = Linalg.svd(Tensor.zeros(DType.FLOAT64, 3, 0));
        assertTrue(java.util.Arrays.equals(new int[] {3, 0}, svd.u().shape()));
        assertTrue(java.util.Arrays.equals(new int[] {0, 3}, Linalg.pinv(Tensor.zeros(DType.FLOAT64, 3, 0)).shape()));
    }
}
