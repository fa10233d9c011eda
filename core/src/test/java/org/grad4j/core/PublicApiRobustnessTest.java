package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Calls every public method of {@link Tensor} on awkward receivers (0-d, empty, 1-element) with awkward int
 * arguments (negative, out of range), and requires that whatever goes wrong is reported as one of our
 * {@code IllegalArgumentException} / {@code IllegalStateException} subclasses, never an internal exception such as
 * {@code ArrayIndexOutOfBoundsException} from deep inside.
 */
class PublicApiRobustnessTest {
    private static final int[] AWKWARD = {0, -1, 1, 2, 5, -7};
    /** Second operands of every dtype: a float scalar, an int64 index row, a bool mask, a uint8 0-d. */
    private static final Tensor[] OTHERS = {Tensor.scalar(1.0), Tensor.of(new long[] {0, 1, 1}),
        Tensor.of(new boolean[] {true, false, true}), Tensor.scalar(1L, DType.UINT8), Tensor.of(new int[] {0, 1})};

    @Test
    void noInternalExceptionEscapesThePublicApi() throws Exception {
        Tensor[] receivers = {Tensor.scalar(2.0), Tensor.zeros(0), Tensor.zeros(0, 3), Tensor.zeros(3, 0),
            Tensor.arange(6).reshape(2, 3), Tensor.ones(1), Tensor.arange(6).reshape(2, 3).t(),
            Tensor.arange(6).reshape(2, 3).to(DType.FLOAT32), Tensor.of(new boolean[] {true, false, true}),
            Tensor.of(new byte[] {0, (byte) 255}), Tensor.of(new int[] {3, -1, 0, 2}, 2, 2), Tensor.zeros(DType.BOOL, 0)};
        TreeSet<String> leaks = new TreeSet<>();
        int calls = 0;
        for (Method m : Tensor.class.getMethods()) {
            if (m.getDeclaringClass() != Tensor.class) {
                continue;
            }
            for (Tensor receiver : receivers) {
                for (int i : AWKWARD) {
                    for (int j : AWKWARD) {
                        Object[] args = arguments(m.getParameterTypes(), receiver, i, j);
                        if (args == null) {
                            continue;
                        }
                        calls++;
                        try {
                            m.invoke(Modifier.isStatic(m.getModifiers()) ? null : receiver, args);
                        } catch (InvocationTargetException e) {
                            Throwable cause = e.getCause();
                            boolean ours = cause instanceof IllegalArgumentException
                                    || cause instanceof IllegalStateException;
                            if (!ours) {
                                leaks.add(m.getName() + " on shape " + java.util.Arrays.toString(receiver.shape())
                                        + " with " + i + ", " + j + ": " + cause);
                            }
                        }
                    }
                }
            }
        }
        assertTrue(calls > 5000, "the probe reached the API: " + calls + " calls");
        assertEquals(List.of(), new ArrayList<>(leaks));
    }

    /** Arguments for a parameter list, or null when it has a type this probe does not generate. */
    private static Object[] arguments(Class<?>[] types, Tensor receiver, int i, int j) {
        Object[] args = new Object[types.length];
        for (int k = 0; k < types.length; k++) {
            int v = k == 0 ? i : j;
            Class<?> t = types[k];
            if (t == int.class) {
                args[k] = v;
            } else if (t == double.class) {
                args[k] = (double) v;
            } else if (t == long.class) {
                args[k] = (long) v;
            } else if (t == boolean.class) {
                args[k] = k % 2 == 0;
            } else if (t == int[].class) {
                args[k] = new int[] {i, j};
            } else if (t == Tensor.class) {
                args[k] = k == 0 ? receiver : OTHERS[Math.floorMod(i + j, OTHERS.length)];
            } else if (t == Tensor[].class) {
                args[k] = new Tensor[] {receiver, receiver};
            } else if (t == DType.class) {
                args[k] = DType.values()[Math.floorMod(i, DType.values().length)];
            } else if (t == float[].class) {
                args[k] = new float[] {1, 2, 3};
            } else if (t == double[].class) {
                args[k] = new double[] {1, 2, 3};
            } else if (t == long[].class) {
                args[k] = new long[] {1, 2, 3};
            } else if (t == byte[].class) {
                args[k] = new byte[] {1, 2, 3};
            } else if (t == boolean[].class) {
                args[k] = new boolean[] {true, false, true};
            } else {
                return null;
            }
        }
        return args;
    }
}
