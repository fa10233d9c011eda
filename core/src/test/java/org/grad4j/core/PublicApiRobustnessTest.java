package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;
import org.grad4j.core.io.SafeTensors;
import org.grad4j.core.io.StateDictFile;
import org.grad4j.core.io.TensorData;
import org.grad4j.testing.ApiProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two probes of core's public API. The first calls every public method of {@link Tensor} on awkward receivers (0-d, empty, 1-element) with awkward int
 * arguments (negative, out of range), and requires that whatever goes wrong is reported as one of our
 * {@code IllegalArgumentException} / {@code IllegalStateException} subclasses, never an internal exception such as
 * {@code ArrayIndexOutOfBoundsException} from deep inside. The second ({@link ApiProbe}) calls every public
 * constructor and method of {@code org.grad4j.core} and {@code org.grad4j.core.io} with one argument at a time
 * replaced by null, an overflowing size, NaN, an empty array or tensor, a negative dim, or a user callback that
 * returns null; a null must be refused with an {@link IllegalArgumentException} naming the operation.
 */
class PublicApiRobustnessTest {
    @TempDir
    Path dir;

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

    /** A user-defined op (the sum of its inputs cubed, 0 for none), applied by the probe to awkward inputs. */
    static final class CubeSum extends Function {
        @Override
        protected Tensor forward(FunctionContext ctx, Tensor... in) {
            ctx.saveForBackward(in);
            Tensor out = Tensor.scalar(0.0);
            for (Tensor x : in) {
                out = out.add(x.mul(x).mul(x));
            }
            return out;
        }

        @Override
        protected Tensor[] backward(FunctionContext ctx, Tensor grad) {
            Tensor[] saved = ctx.savedTensors();
            Tensor[] grads = new Tensor[saved.length];
            for (int i = 0; i < saved.length; i++) {
                grads[i] = ctx.needsInputGrad(i) ? grad.mul(saved[i].square()).mul(3) : null;
            }
            return grads;
        }
    }

    /** A user-defined op whose forward returns null. */
    static final class ReturnsNull extends Function {
        @Override
        protected Tensor forward(FunctionContext ctx, Tensor... in) {
            return null;
        }

        @Override
        protected Tensor[] backward(FunctionContext ctx, Tensor grad) {
            return null;
        }
    }

    private static Tensor first(Object o) {
        return o instanceof List<?> l ? (Tensor) l.get(0) : (Tensor) o;
    }

    private ApiProbe coreProbe() {
        ApiProbe p = new ApiProbe();
        Supplier<Tensor> sane = () -> Tensor.ones(2, 2);
        p.freshValue(Tensor.class, sane, List.of(() -> Tensor.scalar(1.0), () -> Tensor.zeros(0),
                () -> Tensor.zeros(0, 3), () -> Tensor.of(new float[] {Float.NaN, 1, 2, Float.NaN}, 2, 2),
                () -> Tensor.ones(3, 5), () -> Tensor.ones(2, 2).to(DType.FLOAT64),
                () -> Tensor.of(new long[] {1, -1, 7, 0}, 2, 2), () -> Tensor.of(new boolean[] {true, false}),
                () -> Tensor.ones(2, 2).requiresGrad(true)));
        p.freshValue(Tensor[].class, () -> new Tensor[] {Tensor.ones(2, 2), Tensor.ones(2, 2)},
                List.of(() -> new Tensor[0], () -> new Tensor[] {null}, () -> new Tensor[] {Tensor.ones(2, 2), null},
                        () -> new Tensor[] {Tensor.ones(2, 2), Tensor.ones(3)}));
        p.value(int.class, 1, List.of(0, -1, -3, Integer.MAX_VALUE, Integer.MIN_VALUE));
        p.value(long.class, 1L, List.of(-1L, Long.MAX_VALUE, Long.MIN_VALUE));
        p.value(double.class, 0.5, List.of(Double.NaN, -1.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                1e308));
        p.value(boolean.class, false, List.of(true));
        p.value(int[].class, new int[] {0, 1}, List.of(new int[0], new int[] {Integer.MAX_VALUE}, new int[] {-1},
                new int[] {-3}, new int[] {0, Integer.MAX_VALUE}, new int[] {65536, 65536, 65536, 65536},
                new int[] {0, 0}));
        p.value(long[].class, new long[] {1, 0}, List.of(new long[0], new long[] {Long.MAX_VALUE}));
        p.value(double[].class, new double[] {0.5, 0.5}, List.of(new double[0], new double[] {Double.NaN}));
        p.value(float[].class, new float[] {1, 2}, List.of(new float[0], new float[] {Float.NaN}));
        p.value(byte[].class, new byte[] {1, 2}, List.of(new byte[0], new byte[] {-1, 0, 0}));
        p.value(boolean[].class, new boolean[] {true, false}, List.of(new boolean[0]));
        p.value(double[][].class, new double[][] {{1, 2}, {3, 4}}, List.of(new double[0][], new double[][] {{1}, {2, 3}},
                new double[][] {null}));
        p.value(float[][].class, new float[][] {{1, 2}, {3, 4}}, List.of(new float[0][], new float[][] {{1}, {2, 3}},
                new float[][] {null}));
        p.value(DType.class, DType.FLOAT32, List.of(DType.INT64, DType.BOOL));
        p.value(String.class, "x", List.of("", "a.b", "{\"k\": [1, 2"));
        p.value(Path.class, dir.resolve("probe.safetensors"), List.of(Path.of("/"), dir,
                dir.resolve("missing").resolve("x.safetensors")));
        Map<String, Object> nullValue = new HashMap<>();
        nullValue.put("k", null);
        Map<String, Object> nullKey = new HashMap<>();
        nullKey.put(null, "v");
        p.value(Map.class, new LinkedHashMap<>(), List.of(nullValue, nullKey));
        p.freshValue(List.class, () -> new ArrayList<>(List.of(Tensor.ones(2, 2).requiresGrad(true))),
                List.of(ArrayList::new, () -> Arrays.asList((Object) null)));
        p.value(java.util.function.Function.class, (java.util.function.Function<Object, Tensor>) o -> first(o).square().sum(),
                List.of((java.util.function.Function<Object, Tensor>) o -> null));
        p.value(GradCheck.Fn.class, (GradCheck.Fn) in -> in[0].square().sum(), List.of((GradCheck.Fn) in -> null));
        p.value(Function.class, new CubeSum(), List.of(new ReturnsNull()));
        p.value(UnaryOperator.class, (UnaryOperator<Tensor>) g -> g, List.of());
        p.value(Runnable.class, (Runnable) () -> { }, List.of());
        p.value(Supplier.class, (Supplier<Object>) () -> "x", List.of());
        p.value(RandomGenerator.class, new SplittableRandom(1), List.of());
        p.value(Object.class, "x", List.of(new Object(), Double.NaN, List.of(new Object())));
        p.value(Throwable.class, new RuntimeException("cause"), List.of());
        p.freshValue(ByteBuffer.class, () -> ByteBuffer.allocate(16), List.of(() -> ByteBuffer.allocate(0)));
        p.value(TensorData.class, StateDictFile.toTensorData(Tensor.ones(2, 2)), List.of());
        return p;
    }

    /** Members that change a thread- or JVM-wide mode for the rest of this JVM; tested where they are used. */
    private static final Set<String> GLOBAL_STATE = Set.of("Grad.disabled", "Grad.enabled", "AnomalyMode.enable",
            "Grad4j.manualSeed");

    @Test
    void nullsAndOverflowsAreRefusedClearlyAcrossCoreAndCoreIo() {
        List<Class<?>> classes = new ArrayList<>(ApiProbe.publicClasses(Tensor.class, "org.grad4j.core"));
        classes.addAll(ApiProbe.publicClasses(SafeTensors.class, "org.grad4j.core.io"));
        ApiProbe p = coreProbe();
        p.instantiate(classes);
        p.probe(classes, (Executable member) -> (member.getDeclaringClass().isEnum()
                && member.getName().equals("valueOf"))
                || GLOBAL_STATE.contains(member.getDeclaringClass().getSimpleName() + "." + member.getName()));
        assertTrue(p.calls() > 3000, "the probe reached the API: " + p.calls() + " calls");
        assertEquals("", String.join("\n", p.leaks()), p.leaks().size() + " leaks");
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
