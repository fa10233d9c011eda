package org.grad4j.optim;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every numeric option of every optimizer, set on a param group to a negative, NaN or infinite value, is refused
 * with a message naming the optimizer, the option, the value and the group; the ends of each allowed range are
 * accepted or refused exactly as documented.
 */
class OptionRangeTest {
    private static final Tensor W = Tensor.zeros(DType.FLOAT64, 3).requiresGrad(true);

    /**
     * Each optimizer built over one param group, with its defaults (SGD's required lr given). An ordered map and
     * fields sorted by name: the cases must come in the same order in every JVM (PIT maps a mutant to the
     * invocations that covered it by their index).
     */
    private static final Map<Class<? extends Optimizer>, Function<ParamGroup, Optimizer>> FACTORIES =
            new LinkedHashMap<>();

    static {
        FACTORIES.put(SGD.class, g -> new SGD(List.of(g), SGD.options(0.1)));
        FACTORIES.put(Adam.class, g -> new Adam(List.of(g), Adam.options()));
        FACTORIES.put(AdamW.class, g -> new AdamW(List.of(g), Adam.options()));
        FACTORIES.put(Adamax.class, g -> new Adamax(List.of(g), Adamax.options()));
        FACTORIES.put(NAdam.class, g -> new NAdam(List.of(g), NAdam.options()));
        FACTORIES.put(RAdam.class, g -> new RAdam(List.of(g), RAdam.options()));
        FACTORIES.put(Adagrad.class, g -> new Adagrad(List.of(g), Adagrad.options()));
        FACTORIES.put(Adadelta.class, g -> new Adadelta(List.of(g), Adadelta.options()));
        FACTORIES.put(RMSProp.class, g -> new RMSProp(List.of(g), RMSProp.options()));
        FACTORIES.put(Rprop.class, g -> new Rprop(List.of(g), Rprop.options()));
    }

    static Stream<Arguments> numericOptions() {
        List<Arguments> out = new ArrayList<>();
        for (Class<? extends Optimizer> type : FACTORIES.keySet()) {
            Class<?> declaring = type == AdamW.class ? Adam.class : type;
            Field[] fields = declaring.getFields();
            Arrays.sort(fields, Comparator.comparing(Field::getName));
            for (Field f : fields) {
                if (Modifier.isStatic(f.getModifiers()) && f.getType() == Option.class
                        && f.getGenericType() instanceof ParameterizedType pt
                        && pt.getActualTypeArguments()[0] == Double.class) {
                    try {
                        out.add(Arguments.of(type.getSimpleName(), f.get(null)));
                    } catch (IllegalAccessException e) {
                        throw new AssertionError(e);
                    }
                }
            }
        }
        return out.stream();
    }

    private static Optimizer build(String optimizer, ParamGroup group) {
        return FACTORIES.entrySet().stream().filter(e -> e.getKey().getSimpleName().equals(optimizer)).findFirst()
                .orElseThrow().getValue().apply(group);
    }

    @SuppressWarnings("unchecked")
    @ParameterizedTest(name = "{0}.{1}")
    @MethodSource("numericOptions")
    void negativeNanAndInfiniteValuesAreRefusedNamingTheOption(String optimizer, Option<?> option) {
        Option<Double> o = (Option<Double>) option;
        for (double bad : new double[] {-1.0, -Double.MIN_VALUE, Double.NaN, Double.POSITIVE_INFINITY}) {
            if (option == Rprop.STEP_SIZE_MAX && bad == Double.POSITIVE_INFINITY) {
                continue;                              // no upper limit on the step size is allowed, as in torch
            }
            ParamGroup group = ParamGroup.of(W).set(o, bad);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> build(optimizer, group),
                    optimizer + " accepted " + option.name() + " = " + bad);
            assertTrue(e.getMessage().startsWith(optimizer + ": invalid " + option.name() + " = " + bad
                    + " (param group 0); expected "), e.getMessage());
        }
    }

    private static void accepted(String optimizer, Option<Double> option, double value) {
        assertDoesNotThrow(() -> build(optimizer, ParamGroup.of(W).set(option, value)),
                optimizer + " refused " + option.name() + " = " + value);
    }

    private static void refused(String optimizer, Option<Double> option, double value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> build(optimizer, ParamGroup.of(W).set(option, value)),
                optimizer + " accepted " + option.name() + " = " + value);
        assertTrue(e.getMessage().contains("invalid " + option.name() + " = " + value), e.getMessage());
    }

    @Test
    void zeroIsTheSmallestValueOfEveryNonNegativeOption() {
        assertEquals(49, numericOptions().count(), "numeric options found by reflection");
        numericOptions().forEach(a -> {
            String optimizer = (String) a.get()[0];
            @SuppressWarnings("unchecked")
            Option<Double> option = (Option<Double>) a.get()[1];
            if (option == Rprop.ETA_MINUS || option == Rprop.ETA_PLUS || option == Rprop.STEP_SIZE_MAX) {
                return;                                // etas are strict; the max is bounded by stepSizeMin below
            }
            accepted(optimizer, option, 0.0);
        });
    }

    @Test
    void fractionsExcludeOrIncludeOneAsDocumented() {
        for (String adamLike : List.of("Adam", "AdamW")) {
            refused(adamLike, Adam.BETA1, 1.0);
            refused(adamLike, Adam.BETA2, 1.0);
            accepted(adamLike, Adam.BETA2, Math.nextDown(1.0));
        }
        refused("Adamax", Adamax.BETA1, 1.0);
        refused("Adamax", Adamax.BETA2, 1.0);
        refused("NAdam", NAdam.BETA1, 1.0);
        refused("NAdam", NAdam.BETA2, 1.0);
        refused("RAdam", RAdam.BETA1, 1.0);
        refused("RAdam", RAdam.BETA2, 1.0);
        accepted("Adadelta", Adadelta.RHO, 1.0);
        refused("Adadelta", Adadelta.RHO, Math.nextUp(1.0));
        accepted("RMSProp", RMSProp.ALPHA, 1.0);
        refused("RMSProp", RMSProp.ALPHA, Math.nextUp(1.0));
        accepted("SGD", SGD.DAMPENING, 1.0);
        refused("SGD", SGD.DAMPENING, Math.nextUp(1.0));
    }

    @Test
    void rpropFactorsAndStepSizeBoundsAreStrict() {
        refused("Rprop", Rprop.ETA_MINUS, 0.0);
        refused("Rprop", Rprop.ETA_MINUS, 1.0);
        accepted("Rprop", Rprop.ETA_MINUS, Double.MIN_VALUE);
        accepted("Rprop", Rprop.ETA_MINUS, Math.nextDown(1.0));
        refused("Rprop", Rprop.ETA_PLUS, 1.0);
        accepted("Rprop", Rprop.ETA_PLUS, Math.nextUp(1.0));
        accepted("Rprop", Rprop.ETA_PLUS, Double.MAX_VALUE);
        ParamGroup equalBounds = ParamGroup.of(W).set(Rprop.STEP_SIZE_MIN, 0.5).set(Rprop.STEP_SIZE_MAX, 0.5);
        assertDoesNotThrow(() -> build("Rprop", equalBounds));
        ParamGroup crossed = ParamGroup.of(W).set(Rprop.STEP_SIZE_MIN, 0.5).set(Rprop.STEP_SIZE_MAX, 0.25);
        assertEquals("Rprop: invalid stepSizeMax = 0.25 (param group 0); expected stepSizeMax >= stepSizeMin (0.5)",
                assertThrows(IllegalArgumentException.class, () -> build("Rprop", crossed)).getMessage());
    }

    @Test
    void lbfgsRefusesNegativeTolerancesAndRates() {
        assertThrows(IllegalArgumentException.class, () -> new LBFGS(List.of(W), LBFGS.options().lr(-1)));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new LBFGS(List.of(W), LBFGS.options().toleranceGrad(-1e-9))).getMessage()
                .contains("invalid toleranceGrad = -1.0E-9"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new LBFGS(List.of(W), LBFGS.options().toleranceChange(Double.NaN))).getMessage()
                .contains("invalid toleranceChange = NaN"));
        assertDoesNotThrow(() -> new LBFGS(List.of(W), LBFGS.options().toleranceGrad(0).toleranceChange(0)));
    }
}
