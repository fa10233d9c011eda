package org.grad4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.grad4j.nn.data.DataLoader;
import org.grad4j.nn.data.TensorDataset;
import org.grad4j.testing.ApiProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every public constructor and method of {@code org.grad4j.nn} and {@code org.grad4j.nn.data}, called with nulls,
 * overflowing sizes, NaN and empty inputs one argument at a time: only the library's exception types may escape
 * (see {@link ApiProbe}).
 */
class NnPublicApiRobustnessTest {
    @TempDir
    Path dir;

    private ApiProbe probe() {
        ApiProbe p = new ApiProbe();
        Tensor nan = Tensor.of(new float[] {Float.NaN, 1, 2, Float.NaN}, 2, 2);
        p.value(Tensor.class, Tensor.ones(2, 2), List.of(Tensor.scalar(1.0, DType.FLOAT32), Tensor.zeros(0),
                Tensor.zeros(0, 3), nan, Tensor.ones(2, 2).to(DType.FLOAT64), Tensor.ones(3, 5), Tensor.of(new long[] {1, -1, 7, 0}, 2, 2),
                Tensor.of(new long[] {Long.MIN_VALUE, 0}, 2)));
        p.value(int.class, 2, List.of(0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE));
        p.value(long.class, 1L, List.of(-1L, Long.MAX_VALUE));
        p.value(double.class, 0.5, List.of(Double.NaN, -1.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                1e308));
        p.value(boolean.class, false, List.of(true));
        p.value(int[].class, new int[] {0, 1}, List.of(new int[0], new int[] {Integer.MAX_VALUE}, new int[] {-1},
                new int[] {0, Integer.MAX_VALUE}));
        p.value(double[].class, new double[] {0.5, 0.5}, List.of(new double[0], new double[] {Double.NaN},
                new double[] {-1, 2}));
        p.value(float[].class, new float[] {1, 2}, List.of(new float[0], new float[] {Float.NaN}));
        p.value(String.class, "x", List.of("", "a.b"));
        p.value(Path.class, dir.resolve("probe.safetensors"), List.of(Path.of("/"), dir,
                dir.resolve("missing").resolve("x.safetensors")));
        Map<String, Object> nullValue = new HashMap<>();
        nullValue.put("k", null);
        p.value(Map.class, new LinkedHashMap<>(), List.of(nullValue));
        p.value(List.class, new ArrayList<>(), List.of(Arrays.asList((Object) null)));
        p.value(Iterable.class, new ArrayList<>(), List.of(Arrays.asList((Object) null)));
        p.value(Module.class, new Linear(2, 2), List.of());
        p.value(Module[].class, new Module[] {new Tanh()}, List.of(new Module[0], new Module[] {null}));
        p.value(Tensor[].class, new Tensor[] {Tensor.ones(2, 2)}, List.of(new Tensor[0], new Tensor[] {null},
                new Tensor[] {Tensor.ones(2, 2), Tensor.ones(3)}));
        p.value(Consumer.class, (Consumer<Object>) m -> { }, List.of());
        p.value(RandomGenerator.class, new SplittableRandom(1), List.of());
        p.value(DType.class, DType.FLOAT32, List.of(DType.INT64, DType.BOOL));
        p.value(TensorDataset.class, new TensorDataset(Tensor.ones(4, 2), Tensor.ones(4)), List.of());
        p.value(Module.ForwardPreHook.class, (Module.ForwardPreHook) (m, in) -> null, List.of());
        p.value(Module.ForwardHook.class, (Module.ForwardHook) (m, in, out) -> null, List.of());
        return p;
    }

    @Test
    void noInternalExceptionEscapesThePublicApiOfNnAndNnData() {
        List<Class<?>> classes = new ArrayList<>(ApiProbe.publicClasses(Module.class, "org.grad4j.nn"));
        classes.addAll(ApiProbe.publicClasses(DataLoader.class, "org.grad4j.nn.data"));
        ApiProbe p = probe();
        p.instantiate(classes);
        // Enum.valueOf(null) throws the JDK's NullPointerException("Name is null") for every enum; not ours to change.
        p.probe(classes, member -> member.getDeclaringClass().isEnum() && member.getName().equals("valueOf"));
        assertTrue(p.calls() > 1000, "the probe reached the API: " + p.calls() + " calls");
        assertEquals("", String.join("\n", p.leaks()), p.leaks().size() + " leaks");
    }
}
