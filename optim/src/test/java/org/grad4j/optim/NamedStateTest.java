package org.grad4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.grad4j.core.io.JsonText;
import org.junit.jupiter.api.Test;

/** Optimizers built from named parameters check names on load; a load replaces the state, never merges it. */
class NamedStateTest {

    private static Map<String, Tensor> named(String first, String second) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put(first, TestProblem.x());
        m.put(second, Tensor.of(new double[] {0.1, 0.2, 0.3}).requiresGrad(true)); // same shape as x: swappable
        return m;
    }

    private static void train(Optimizer opt, Map<String, Tensor> params, int steps) {
        List<Tensor> ps = List.copyOf(params.values());
        for (int i = 0; i < steps; i++) {
            opt.zeroGrad();
            ps.get(0).mul(ps.get(1)).square().sum().add(ps.get(0).sum()).backward();
            opt.step();
        }
    }

    @Test
    void namesAreSavedAndALoadOntoOtherNamesIsRefusedEvenWithEqualShapes() {
        Map<String, Tensor> params = named("encoder.weight", "decoder.weight");
        Adam adam = new Adam(params, Adam.options().lr(0.05));
        train(adam, params, 3);
        OptimizerStateDict sd = adam.stateDict();
        Map<?, ?> meta = (Map<?, ?>) JsonText.parse(sd.metadata().get(OptimizerStateDict.METADATA_KEY));
        Map<?, ?> group = (Map<?, ?>) ((List<?>) meta.get("groups")).get(0);
        assertEquals(List.of("encoder.weight", "decoder.weight"), group.get("names"));

        Map<String, Tensor> swapped = named("decoder.weight", "encoder.weight");
        Adam other = new Adam(swapped, Adam.options().lr(0.05));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> other.loadStateDict(sd));
        assertTrue(e.getMessage().contains("[decoder.weight, encoder.weight]")
                && e.getMessage().contains("[encoder.weight, decoder.weight]"), e.getMessage());
        assertNull(other.state(swapped.get("decoder.weight")), "nothing loaded");

        Map<String, Tensor> same = named("encoder.weight", "decoder.weight");
        Adam resumed = new Adam(same, Adam.options().lr(0.05));
        resumed.loadStateDict(sd);
        assertEquals(3, resumed.state(same.get("encoder.weight")).step());
    }

    @Test
    void unnamedOptimizersStillLoadNamedStateByPositionAndShape() {
        Map<String, Tensor> params = named("a", "b");
        SGD sgd = new SGD(params, SGD.options(0.1).momentum(0.9));
        train(sgd, params, 2);
        Tensor x = TestProblem.x();
        Tensor y = Tensor.zeros(DType.FLOAT64, 3).requiresGrad(true);
        SGD plain = new SGD(List.of(x, y), SGD.options(0.1).momentum(0.9));
        plain.loadStateDict(sgd.stateDict());
        assertArrayEquals(sgd.state(params.get("a")).tensor("momentumBuffer").toDoubleArray(),
                plain.state(x).tensor("momentumBuffer").toDoubleArray(), 0.0);
        Tensor wrongShape = Tensor.zeros(DType.FLOAT64, 4).requiresGrad(true);
        SGD bad = new SGD(List.of(TestProblem.x(), wrongShape), SGD.options(0.1).momentum(0.9));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bad.loadStateDict(sgd.stateDict()));
        assertTrue(e.getMessage().contains("parameter 1 has shape [4]"), e.getMessage());
    }

    @Test
    void loadingReplacesTheStateInsteadOfMergingIt() {
        Tensor x = TestProblem.x();
        Tensor y = TestProblem.y();
        Adam adam = new Adam(List.of(x, y), Adam.options().lr(0.05).amsgrad(true));
        OptimizerStateDict fresh = adam.stateDict();                  // before any step: no state at all
        TestProblem.run(adam, x, y, false, 4);
        assertEquals(4, adam.state(x).step());
        adam.loadStateDict(fresh);
        assertNull(adam.state(x), "state of a parameter absent from the dict is dropped, not kept");
        assertNull(adam.state(y));

        // only x has state in this dict: y's current state must go
        Adam partial = new Adam(List.of(x, y), Adam.options().lr(0.05).amsgrad(true));
        Tensor nothing = Tensor.zeros(DType.FLOAT64, 2);
        x.zeroGrad();
        y.zeroGrad();
        x.sum().backward();                                           // only x gets a gradient
        partial.step();
        OptimizerStateDict onlyX = partial.stateDict();
        TestProblem.run(adam, x, y, false, 2);
        assertTrue(adam.state(y) != null);
        adam.loadStateDict(onlyX);
        assertEquals(1, adam.state(x).step());
        assertNull(adam.state(y));
        assertEquals(List.of("expAvg", "expAvgSq", "maxExpAvgSq"), List.copyOf(adam.state(x).names()));
        assertEquals(2, nothing.numel());
    }

    @Test
    void typedOptionsAreReadAndSetThroughTheirKeys() {
        Tensor x = TestProblem.x();
        SGD sgd = new SGD(List.of(ParamGroup.of(List.of(x), SGD.options().momentum(0.5))), SGD.options(0.1));
        ParamGroup g = sgd.paramGroups().get(0);
        assertEquals(0.1, g.get(SGD.LR));
        assertEquals(0.5, g.get(SGD.MOMENTUM));
        assertEquals(false, g.get(SGD.NESTEROV));
        g.set(SGD.NESTEROV, true);
        assertEquals(true, g.get(SGD.NESTEROV));
        assertEquals(List.of(SGD.LR, SGD.MOMENTUM, SGD.DAMPENING, SGD.WEIGHT_DECAY, SGD.NESTEROV, SGD.MAXIMIZE),
                sgd.optionKeys());
        assertTrue(SGD.LR.isRequired());
        assertEquals(0.01, new AdamW(List.of(TestProblem.y())).paramGroups().get(0).get(Adam.WEIGHT_DECAY));
        assertEquals(0.0, new Adam(List.of(TestProblem.y())).paramGroups().get(0).get(Adam.WEIGHT_DECAY));
        assertThrows(IllegalStateException.class, () -> ParamGroup.of(x).setLr(0.1));
    }
}
