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

    @Test
    void noInternalExceptionEscapesThePublicApi() throws Exception {
        Tensor[] receivers = {Tensor.scalar(2.0), Tensor.zeros(0), Tensor.zeros(0, 3), Tensor.zeros(3, 0),
            Tensor.arange(6).reshape(2, 3), Tensor.ones(1), Tensor.arange(6).reshape(2, 3).t()};
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
            } else if (t == boolean.class) {
                args[k] = k % 2 == 0;
            } else if (t == int[].class) {
                args[k] = new int[] {i, j};
            } else if (t == Tensor.class) {
                args[k] = k == 0 ? receiver : Tensor.scalar(1.0);
            } else if (t == Tensor[].class) {
                args[k] = new Tensor[] {receiver, receiver};
            } else if (t == DType.class) {
                args[k] = DType.FLOAT32;
            } else if (t == float[].class) {
                args[k] = new float[] {1, 2, 3};
            } else if (t == double[].class) {
                args[k] = new double[] {1, 2, 3};
            } else {
                return null;
            }
        }
        return args;
    }
}
