package org.grad4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.grad4j.testing.ApiProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every public constructor and method of {@code org.grad4j.optim}, called with nulls, overflowing sizes, NaN and
 * empty inputs one argument at a time: only the library's exception types may escape (see {@link ApiProbe}).
 */
class OptimPublicApiRobustnessTest {
    @TempDir
    Path dir;

    private static Tensor param() {
        Tensor p = Tensor.ones(DType.FLOAT64, 3).requiresGrad(true);
        p.square().sum().backward();
        return p;
    }

    @Test
    void noInternalExceptionEscapesThePublicApiOfOptim() {
        ApiProbe p = new ApiProbe();
        Tensor nanGrad = Tensor.ones(2).requiresGrad(true);
        nanGrad.mul(Double.NaN).sum().backward();
        p.value(Tensor.class, param(), List.of(Tensor.zeros(0), Tensor.scalar(1.0, DType.FLOAT32), nanGrad,
                Tensor.ones(2).mul(3), Tensor.of(new long[] {1, 2})));
        p.value(int.class, 2, List.of(0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE));
        p.value(long.class, 1L, List.of(-1L, Long.MAX_VALUE));
        p.value(double.class, 0.5, List.of(Double.NaN, -1.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                1e308));
        p.value(boolean.class, false, List.of(true));
        p.value(int[].class, new int[] {1}, List.of(new int[0], new int[] {Integer.MAX_VALUE}, new int[] {-1},
                new int[] {3, 1}));
        p.value(double[].class, new double[] {0.01}, List.of(new double[0], new double[] {Double.NaN},
                new double[] {-1, 2}));
        p.value(String.class, "x", List.of("", "a.b"));
        p.value(Path.class, dir.resolve("opt.safetensors"), List.of(Path.of("/"), dir,
                dir.resolve("missing").resolve("x.safetensors")));
        Map<String, Object> nullValue = new HashMap<>();
        nullValue.put("k", null);
        p.value(Map.class, new LinkedHashMap<>(), List.of(nullValue));
        p.value(List.class, new ArrayList<>(), List.of(Arrays.asList((Object) null)));
        p.value(Iterable.class, new ArrayList<>(List.of(param())), List.of(List.of(),
                Arrays.asList((Object) null), List.of(Tensor.ones(2).mul(2))));
        p.value(Tensor[].class, new Tensor[] {param()}, List.of(new Tensor[0], new Tensor[] {null}));
        p.value(Supplier.class, (Supplier<Tensor>) () -> null, List.of());
        p.value(Option.class, SGD.LR, List.of(Adam.BETA1));
        p.value(ParamGroup.class, ParamGroup.of(param()), List.of());
        p.value(OptimizerStateDict.class, new OptimizerStateDict(Map.of(), Map.of()), List.of(
                new OptimizerStateDict(Map.of(), Map.of(OptimizerStateDict.METADATA_KEY, "{\"format\":1}")),
                new OptimizerStateDict(Map.of(), Map.of(OptimizerStateDict.METADATA_KEY, "not json"))));
        p.value(SGD.Options.class, SGD.options(0.1), List.of(SGD.options(), SGD.options(-1)));
        p.value(Adam.Options.class, Adam.options(), List.of(Adam.options().lr(Double.NaN)));
        p.value(RMSProp.Options.class, RMSProp.options(), List.of(RMSProp.options().alpha(2)));
        p.value(ReduceLROnPlateau.Options.class, ReduceLROnPlateau.options(),
                List.of(ReduceLROnPlateau.options().factor(2)));
        List<Class<?>> classes = ApiProbe.publicClasses(Optimizer.class, "org.grad4j.optim");
        p.instantiate(classes);
        // Enum.valueOf(null) throws the JDK's NullPointerException("Name is null") for every enum; not ours to change.
        p.probe(classes, member -> member.getDeclaringClass().isEnum() && member.getName().equals("valueOf"));
        assertEquals("", String.join("\n", p.leaks()), p.leaks().size() + " leaks");
        assertTrue(p.calls() > 400, "the probe reached the API: " + p.calls() + " calls");
    }
}
