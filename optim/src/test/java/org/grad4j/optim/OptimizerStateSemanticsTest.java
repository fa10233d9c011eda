package org.grad4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * What a state dict load must carry over and what it must not share; the option descriptors themselves; the order
 * and reporting of a group's options; the boundaries of the learning-rate schedulers' settings.
 */
class OptimizerStateSemanticsTest {
    private static Tensor param(DType dtype, double... values) {
        return Tensor.of(values).to(dtype).detach().requiresGrad(true);
    }

    private static void adamStep(Adam adam, Tensor p) {
        adam.zeroGrad();
        p.square().sum().backward();
        adam.step();
    }

    @Test
    void theBaseRateOfASchedulerSurvivesASaveAndLoad() {
        Tensor a = param(DType.FLOAT64, 1, 2);
        SGD first = new SGD(List.of(a), 1.0);
        StepLR schedule = new StepLR(first, 1, 0.5);
        for (int i = 0; i < 3; i++) {
            schedule.step();
        }
        assertEquals(0.125, first.paramGroups().get(0).lr(), 0.0);
        Tensor b = param(DType.FLOAT64, 1, 2);
        SGD resumed = new SGD(List.of(b), 1.0);
        assertTrue(Double.isNaN(resumed.paramGroups().get(0).initialLr));
        resumed.loadStateDict(first.stateDict());
        assertEquals(0.125, resumed.paramGroups().get(0).lr(), 0.0);
        // a scheduler built on the resumed optimizer starts from the original base rate, not the decayed one
        assertEquals(1.0, resumed.paramGroups().get(0).initialLr, 0.0);
        assertEquals(1.0, new StepLR(resumed, 10, 0.5).baseLrs[0], 0.0);
    }

    @Test
    void loadedStateIsACopyInTheParametersDtype() {
        Tensor a = param(DType.FLOAT64, 1, -2, 3);
        Adam first = new Adam(List.of(a), Adam.options().lr(0.1));
        adamStep(first, a);
        OptimizerStateDict dict = first.stateDict();
        assertEquals("ParamState(step=1, " + first.state(a).names() + ")", first.state(a).toString());
        Map<String, double[]> before = new HashMap<>();
        dict.tensors().forEach((k, t) -> before.put(k, t.toDoubleArray()));

        Tensor same = param(DType.FLOAT64, 1, -2, 3);
        Adam resumed = new Adam(List.of(same), Adam.options().lr(0.1));
        resumed.loadStateDict(dict);
        for (int i = 0; i < 3; i++) {
            adamStep(resumed, same);
        }
        dict.tensors().forEach((k, t) -> assertArrayEquals(before.get(k), t.toDoubleArray(), 0.0,
                "the dict's " + k + " was changed by the optimizer that loaded it"));

        Tensor narrower = param(DType.FLOAT32, 1, -2, 3);
        Adam converted = new Adam(List.of(narrower), Adam.options().lr(0.1));
        converted.loadStateDict(dict);
        for (String name : converted.state(narrower).names()) {
            assertEquals(DType.FLOAT32, converted.state(narrower).tensor(name).dtype(), name);
        }
        assertEquals(1, converted.state(narrower).step());
    }

    @Test
    void optionDescriptorsSayWhatTheyAre() {
        Option<Double> number = Option.number("alpha", 0.25);
        assertEquals("alpha", number.name());
        assertEquals(Double.class, number.type());
        assertEquals(0.25, number.defaultValue());
        assertFalse(number.isRequired());
        assertEquals("alpha", number.toString());
        Option<Double> required = Option.requiredNumber("beta");
        assertTrue(required.isRequired());
        assertNull(required.defaultValue());
        assertEquals(Double.class, required.type());
        Option<Boolean> flag = Option.flag("gamma", true);
        assertEquals(Boolean.class, flag.type());
        assertEquals(Boolean.TRUE, flag.defaultValue());
        Option<Integer> integer = Option.integer("delta", 7);
        assertEquals(Integer.class, integer.type());
        assertEquals(7, integer.defaultValue());
        Option<Integer> requiredInteger = Option.requiredInteger("epsilon");
        assertTrue(requiredInteger.isRequired());
        assertEquals(Integer.class, requiredInteger.type());
        Option<LBFGS.LineSearch> choice = Option.choice("search", LBFGS.LineSearch.class,
                LBFGS.LineSearch.STRONG_WOLFE);
        assertEquals(LBFGS.LineSearch.class, choice.type());
        assertEquals(LBFGS.LineSearch.STRONG_WOLFE, choice.defaultValue());
        assertEquals("Option.choice: type is null", assertThrows(IllegalArgumentException.class,
                () -> Option.choice("search", null, LBFGS.LineSearch.NONE)).getMessage());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    @Test
    void aValueOfTheWrongTypeIsRefusedNamingTheExpectedType() {
        Tensor w = param(DType.FLOAT64, 1);
        assertEquals("option 'lr' must be a number, got 1", assertThrows(IllegalArgumentException.class,
                () -> ParamGroup.of(w).set((Option) SGD.LR, 1)).getMessage());
        assertEquals("option 'nesterov' must be a boolean, got 1.0", assertThrows(IllegalArgumentException.class,
                () -> ParamGroup.of(w).set((Option) SGD.NESTEROV, 1.0)).getMessage());
        assertEquals("option 'maxIter' must be an integer, got 2.0", assertThrows(IllegalArgumentException.class,
                () -> ParamGroup.of(w).set((Option) LBFGS.MAX_ITER, 2.0)).getMessage());
        assertEquals("option 'lineSearchFn' must be one of [NONE, STRONG_WOLFE], got x",
                assertThrows(IllegalArgumentException.class,
                        () -> ParamGroup.of(w).set((Option) LBFGS.LINE_SEARCH_FN, "x")).getMessage());
    }

    @Test
    void aSavedIntegerOptionMustBeAWholeNumberWithinIntRange() {
        // the JSON codec reads numbers as BigDecimal
        assertEquals(5, LBFGS.MAX_ITER.fromSaved("w: ", new BigDecimal("5")));
        assertEquals(Integer.MAX_VALUE, LBFGS.MAX_ITER.fromSaved("w: ", new BigDecimal(Integer.MAX_VALUE)));
        assertEquals(-Integer.MAX_VALUE, LBFGS.MAX_ITER.fromSaved("w: ", new BigDecimal(-Integer.MAX_VALUE)));
        assertEquals("w: maxIter should be an integer, got 2147483648", assertThrows(
                IllegalArgumentException.class,
                () -> LBFGS.MAX_ITER.fromSaved("w: ", new BigDecimal("2147483648"))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> LBFGS.MAX_ITER.fromSaved("w: ", new BigDecimal("2.5")));
        assertSame(LBFGS.LineSearch.STRONG_WOLFE, LBFGS.LINE_SEARCH_FN.fromSaved("w: ", "STRONG_WOLFE"));
    }

    @Test
    void aGroupListsItsOptionsInTheOptimizersOrderWhateverOrderTheyWereSetIn() {
        Tensor w = param(DType.FLOAT64, 1);
        ParamGroup group = ParamGroup.of(w).set(SGD.WEIGHT_DECAY, 0.5).set(SGD.LR, 0.25);
        SGD sgd = new SGD(List.of(group), SGD.options(0.1));
        assertEquals(List.of("lr", "momentum", "dampening", "weightDecay", "nesterov", "maximize"),
                sgd.paramGroups().get(0).options().keySet().stream().map(Option::name).toList());
        assertEquals(0.25, sgd.paramGroups().get(0).lr(), 0.0);
    }

    @Test
    void theLearningRateIsReadBeforeTheGroupJoinsAnOptimizer() {
        Tensor w = param(DType.FLOAT64, 1);
        assertEquals(0.3, ParamGroup.of(w).set(Adam.LR, 0.3).lr(), 0.0);
        assertEquals(0.0, ParamGroup.of(w).set(SGD.LR, 0.0).lr(), 0.0);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ParamGroup.of(w).set(Adam.EPS, 1e-3).lr());
        assertTrue(e.getMessage().contains("the learning rate is not set yet"), e.getMessage());
    }

    @Test
    void anOptionOfAnotherOptimizerIsRefusedInTheDefaults() {
        Tensor w = param(DType.FLOAT64, 1);
        SGD.Options options = SGD.options(0.1);
        options.put(Adam.BETA1, 0.5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SGD(List.of(w), options));
        assertTrue(e.getMessage().contains("beta1"), e.getMessage());
    }
}
