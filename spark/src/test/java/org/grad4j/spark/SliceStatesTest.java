package org.grad4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.grad4j.core.io.JsonText;
import org.grad4j.optim.Adam;
import org.grad4j.optim.NAdam;
import org.grad4j.optim.Optimizer;
import org.grad4j.optim.OptimizerStateDict;
import org.grad4j.optim.SGD;
import org.junit.jupiter.api.Test;

/** Cutting the driver optimizer's state into slices and joining it back, without Spark. */
class SliceStatesTest {
    private static final List<Function<List<Tensor>, Optimizer>> OPTIMIZERS = List.of(
            p -> new Adam(p, Adam.options().lr(0.01).amsgrad(true)),
            p -> new NAdam(p, NAdam.options().lr(0.01)),
            p -> new SGD(p, SGD.options(0.1).momentum(0.9)));

    /** Parameters of 5, 3x4 and 1 elements; with 3 slices of 6 elements, slices cross parameter boundaries. */
    private static List<Tensor> params() {
        Random rng = new Random(7);
        List<Tensor> out = new ArrayList<>();
        for (int[] shape : new int[][] {{5}, {3, 4}, {1}}) {
            int n = 1;
            for (int d : shape) {
                n *= d;
            }
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = rng.nextGaussian();
            }
            out.add(Tensor.ofShape(v, shape).requiresGrad(true));
        }
        return out;
    }

    private static void steps(Optimizer optimizer, List<Tensor> params, int count, long seed) {
        Random rng = new Random(seed);
        for (int t = 0; t < count; t++) {
            for (Tensor p : params) {
                double[] g = new double[p.numel()];
                for (int i = 0; i < g.length; i++) {
                    g[i] = rng.nextGaussian();
                }
                p.setGrad(Tensor.ofShape(g, p.shape()));
            }
            optimizer.step();
        }
    }

    private static List<OptimizerStateDict> freshSlices(Function<List<Tensor>, Optimizer> factory, SliceLayout layout) {
        List<OptimizerStateDict> out = new ArrayList<>();
        for (int s = 0; s < layout.slices(); s++) {
            out.add(factory.apply(List.of(Tensor.zeros(DType.FLOAT64, layout.length(s)).requiresGrad(true)))
                    .stateDict());
        }
        return out;
    }

    @Test
    void cutThenJoinGivesBackTheDriverStateExactly() {
        for (Function<List<Tensor>, Optimizer> factory : OPTIMIZERS) {
            List<Tensor> params = params();
            Optimizer driver = factory.apply(params);
            steps(driver, params, 3, 11);
            OptimizerStateDict saved = driver.stateDict();
            SliceLayout layout = new SliceLayout(18, 3, DType.FLOAT64);

            SliceState[] slices = SliceStates.cut(saved, params, layout, freshSlices(factory, layout));
            // each slice's optimizer accepts its state: one parameter, three steps taken
            for (int s = 0; s < slices.length; s++) {
                Tensor slice = Tensor.zeros(DType.FLOAT64, layout.length(s)).requiresGrad(true);
                Optimizer sliceOptimizer = factory.apply(List.of(slice));
                sliceOptimizer.loadStateDict(slices[s].toDict(DType.FLOAT64));
                assertEquals(3, sliceOptimizer.state(slice).step(), "slice " + s);
            }

            Optimizer other = factory.apply(params);
            other.loadStateDict(SliceStates.join(slices, params, layout, other.stateDict(), other.stateDict()));
            OptimizerStateDict back = other.stateDict();
            assertEquals(saved.metadata(), back.metadata(), driver.toString());
            assertEquals(saved.tensors().keySet(), back.tensors().keySet());
            for (String key : saved.tensors().keySet()) {
                assertArrayEquals(saved.tensors().get(key).toDoubleArray(), back.tensors().get(key).toDoubleArray(),
                        0.0, key);
            }
        }
    }

    @Test
    void anOptimizerWithoutStateCutsIntoNothing() {
        List<Tensor> params = params();
        Optimizer driver = OPTIMIZERS.get(0).apply(params);
        SliceLayout layout = new SliceLayout(18, 3, DType.FLOAT64);
        assertNull(SliceStates.cut(driver.stateDict(), params, layout, freshSlices(OPTIMIZERS.get(0), layout)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void differentStepCountsAreRejectedNotDropped() {
        List<Tensor> params = params();
        Optimizer driver = OPTIMIZERS.get(0).apply(params);
        steps(driver, params, 2, 3);
        OptimizerStateDict saved = driver.stateDict();
        Map<String, Object> meta = (Map<String, Object>) JsonText.parse(
                saved.metadata().get(OptimizerStateDict.METADATA_KEY));
        ((Map<String, Object>) meta.get("steps")).put("1", BigDecimal.valueOf(5));
        OptimizerStateDict edited = new OptimizerStateDict(saved.tensors(),
                Map.of(OptimizerStateDict.METADATA_KEY, JsonText.write(meta)));
        SliceLayout layout = new SliceLayout(18, 3, DType.FLOAT64);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SliceStates.cut(edited, params, layout, freshSlices(OPTIMIZERS.get(0), layout)));
        assertTrue(e.getMessage().contains("parameter 1 has taken 5"), e.getMessage());
    }

    @Test
    void theOldPerKeyMetadataIsRejectedByName() {
        List<Tensor> params = params();
        Optimizer driver = OPTIMIZERS.get(0).apply(params);
        steps(driver, params, 1, 3);
        Map<String, String> old = new LinkedHashMap<>();
        old.put("state.0.step", "1");
        OptimizerStateDict dict = new OptimizerStateDict(driver.stateDict().tensors(), old);
        SliceLayout layout = new SliceLayout(18, 3, DType.FLOAT64);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SliceStates.cut(dict, params, layout, freshSlices(OPTIMIZERS.get(0), layout)));
        assertTrue(e.getMessage().contains("[state.0.step]") && e.getMessage().contains("grad4j.optim"),
                e.getMessage());
    }

    @Test
    void slicesThatDisagreeOnTheStepCountAreRejected() {
        List<Tensor> params = params();
        Optimizer driver = OPTIMIZERS.get(0).apply(params);
        steps(driver, params, 2, 3);
        SliceLayout layout = new SliceLayout(18, 3, DType.FLOAT64);
        SliceState[] slices = SliceStates.cut(driver.stateDict(), params, layout, freshSlices(OPTIMIZERS.get(0), layout));
        Tensor slice = Tensor.zeros(DType.FLOAT64, layout.length(2)).requiresGrad(true);
        Optimizer third = OPTIMIZERS.get(0).apply(List.of(slice));
        third.loadStateDict(slices[2].toDict(DType.FLOAT64));
        slice.setGrad(Tensor.ones(DType.FLOAT64, layout.length(2)));
        third.step();
        slices[2] = SliceState.of(third.stateDict());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SliceStates.join(slices, params, layout, driver.stateDict(), driver.stateDict()));
        assertTrue(e.getMessage().contains("slice 2 has taken 3 steps but slice 0 has taken 2"), e.getMessage());
    }
}
