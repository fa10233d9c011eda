package org.grad4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.grad4j.core.io.JsonText;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Saving and reloading optimizer state: training resumed from a state dict continues bit for bit. */
class StateDictTest {
    @TempDir
    Path dir;

    record Setup(String name, Function<List<Tensor>, Optimizer> make) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> setups() {
        return Stream.of(
                new Setup("SGD nesterov wd", ps -> new SGD(ps, SGD.options(0.01).momentum(0.9).nesterov(true).weightDecay(0.05))),
                new Setup("Adam amsgrad wd", ps -> new Adam(ps, Adam.options().lr(0.05).amsgrad(true).weightDecay(0.1))),
                new Setup("AdamW amsgrad", ps -> new AdamW(ps, AdamW.options().lr(0.05).amsgrad(true))),
                new Setup("RMSProp centered momentum wd",
                        ps -> new RMSProp(ps, RMSProp.options().lr(0.01).centered(true).momentum(0.5).weightDecay(0.05))),
                new Setup("Adagrad lrDecay initial wd", ps -> new Adagrad(ps, Adagrad.options().lr(0.1).lrDecay(0.01)
                        .initialAccumulatorValue(0.1).weightDecay(0.05))),
                new Setup("Adadelta wd maximize", ps -> new Adadelta(ps, Adadelta.options().eps(1e-2).weightDecay(0.05))),
                new Setup("Adamax wd", ps -> new Adamax(ps, Adamax.options().lr(0.05).weightDecay(0.1))),
                new Setup("NAdam wd", ps -> new NAdam(ps, NAdam.options().lr(0.05).weightDecay(0.1))),
                new Setup("RAdam", ps -> new RAdam(ps, RAdam.options().lr(0.05).betas(0.9, 0.9))),
                new Setup("Rprop", ps -> new Rprop(ps, Rprop.options().lr(0.02).stepSizes(1e-4, 0.3))))
                .map(Arguments::of);
    }

    private static Tensor param(double[] values, DType dtype) {
        return Tensor.of(values).to(dtype).detach().requiresGrad(true);
    }

    private double[] resumed(Setup s, DType dtype, boolean viaFile) throws IOException {
        Tensor x = param(TestProblem.X0, dtype);
        Tensor y = param(TestProblem.Y0, dtype);
        Optimizer first = s.make().apply(List.of(x, y));
        TestProblem.run(first, x, y, false, 10);
        first.paramGroups().get(0).setLr(first.paramGroups().get(0).lr() * 0.5);   // as a scheduler would
        OptimizerStateDict saved = first.stateDict();
        if (viaFile) {
            Path file = dir.resolve("opt.safetensors");
            saved.save(file);
            saved = OptimizerStateDict.load(file);
        }
        Tensor x2 = param(x.toDoubleArray(), dtype);
        Tensor y2 = param(y.toDoubleArray(), dtype);
        Optimizer second = s.make().apply(List.of(x2, y2));
        second.loadStateDict(saved);
        return TestProblem.run(second, x2, y2, false, 15);
    }

    private static double[] uninterrupted(Setup s, DType dtype) {
        Tensor x = param(TestProblem.X0, dtype);
        Tensor y = param(TestProblem.Y0, dtype);
        Optimizer opt = s.make().apply(List.of(x, y));
        TestProblem.run(opt, x, y, false, 10);
        opt.paramGroups().get(0).setLr(opt.paramGroups().get(0).lr() * 0.5);
        return TestProblem.run(opt, x, y, false, 15);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("setups")
    void resumingFromAFileIsBitIdentical(Setup s) throws IOException {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            assertArrayEquals(uninterrupted(s, dtype), resumed(s, dtype, true), 0.0, s.name() + " " + dtype);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("setups")
    void resumingInMemoryIsBitIdentical(Setup s) throws IOException {
        assertArrayEquals(uninterrupted(s, DType.FLOAT64), resumed(s, DType.FLOAT64, false), 0.0);
    }

    @Test
    void contentsUsePyTorchsStructure() {
        Tensor x = TestProblem.x();
        Tensor y = TestProblem.y();
        Tensor unused = Tensor.zeros(DType.FLOAT64, 4).requiresGrad(true);
        Adam adam = new Adam(List.of(ParamGroup.of(x, unused), ParamGroup.of(y).set(Adam.LR, 0.01)),
                Adam.options().lr(0.05).amsgrad(true));
        TestProblem.run(adam, x, y, false, 3);
        OptimizerStateDict sd = adam.stateDict();
        assertEquals(Set.of("state.0.expAvg", "state.0.expAvgSq", "state.0.maxExpAvgSq",
                "state.2.expAvg", "state.2.expAvgSq", "state.2.maxExpAvgSq"), sd.tensors().keySet());
        assertEquals(Set.of(OptimizerStateDict.METADATA_KEY), sd.metadata().keySet());
        Map<?, ?> m = (Map<?, ?>) JsonText.parse(sd.metadata().get(OptimizerStateDict.METADATA_KEY));
        assertEquals("Adam", m.get("optimizer"));
        assertEquals("grad4j.optim/2", m.get("format"));
        List<?> groups = (List<?>) m.get("groups");
        assertEquals(2, groups.size());
        Map<?, ?> g0 = (Map<?, ?>) groups.get(0);
        Map<?, ?> g1 = (Map<?, ?>) groups.get(1);
        assertEquals("[0, 1]", g0.get("params").toString());
        assertEquals("[2]", g1.get("params").toString());
        assertNull(g0.get("names"));                           // built from unnamed tensors
        assertEquals("0.05", ((Map<?, ?>) g0.get("options")).get("lr").toString());
        assertEquals("0.01", ((Map<?, ?>) g1.get("options")).get("lr").toString());
        assertEquals(true, ((Map<?, ?>) g1.get("options")).get("amsgrad"));
        Map<?, ?> steps = (Map<?, ?>) m.get("steps");
        assertEquals("3", steps.get("0").toString());
        assertNull(steps.get("1"));                            // never had a grad: no state
        assertArrayEquals(adam.state(x).tensor("expAvg").toDoubleArray(),
                sd.tensors().get("state.0.expAvg").toDoubleArray(), 0.0);
    }

    @Test
    void aStateDictIsASnapshot() {
        Tensor x = TestProblem.x();
        Tensor y = TestProblem.y();
        SGD sgd = new SGD(List.of(x, y), SGD.options(0.01).momentum(0.9));
        TestProblem.run(sgd, x, y, false, 2);
        OptimizerStateDict sd = sgd.stateDict();
        double[] before = sd.tensors().get("state.0.momentumBuffer").toDoubleArray();
        TestProblem.run(sgd, x, y, false, 2);
        assertArrayEquals(before, sd.tensors().get("state.0.momentumBuffer").toDoubleArray(), 0.0);
    }

    @Test
    void mismatchedDictsAreRejectedAndChangeNothing() {
        Tensor x = TestProblem.x();
        Tensor y = TestProblem.y();
        Adam adam = new Adam(List.of(x, y), Adam.options().lr(0.05));
        TestProblem.run(adam, x, y, false, 2);
        OptimizerStateDict sd = adam.stateDict();

        SGD sgd = new SGD(List.of(TestProblem.x(), TestProblem.y()), 0.1);
        assertEquals("SGD.loadStateDict: the state dict was saved by Adam, not SGD",
                assertThrows(IllegalArgumentException.class, () -> sgd.loadStateDict(sd)).getMessage());

        Adam fewer = new Adam(List.of(TestProblem.x()));
        assertEquals("Adam.loadStateDict: param group 0 has 1 parameters but the saved group has 2",
                assertThrows(IllegalArgumentException.class, () -> fewer.loadStateDict(sd)).getMessage());

        Adam twoGroups = new Adam(List.of(ParamGroup.of(TestProblem.x()), ParamGroup.of(TestProblem.y())),
                Adam.options());
        assertEquals("Adam.loadStateDict: the state dict has 1 param groups but this optimizer has 2",
                assertThrows(IllegalArgumentException.class, () -> twoGroups.loadStateDict(sd)).getMessage());

        Adam otherShapes = new Adam(List.of(Tensor.zeros(DType.FLOAT64, 3).requiresGrad(true),
                Tensor.zeros(DType.FLOAT64, 5).requiresGrad(true)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> otherShapes.loadStateDict(sd));
        assertTrue(e.getMessage().startsWith("Adam.loadStateDict: state tensor 'state.1."), e.getMessage());
        assertTrue(e.getMessage().endsWith("has shape [2] but parameter 1 has shape [5]"), e.getMessage());

        String json = sd.metadata().get(OptimizerStateDict.METADATA_KEY);
        assertTrue(json.contains("\"beta1\":0.9,"), json);
        Map<String, String> meta = Map.of(OptimizerStateDict.METADATA_KEY, json.replace("\"beta1\":0.9,",
                "\"beta1\":1.5,"));
        Tensor x3 = TestProblem.x();
        Adam target = new Adam(List.of(x3, TestProblem.y()), Adam.options().lr(0.02));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> target.loadStateDict(new OptimizerStateDict(sd.tensors(), meta))).getMessage()
                .startsWith("Adam: invalid beta1 = 1.5 (param group 0)"));
        assertEquals(0.02, target.paramGroups().get(0).lr());
        assertEquals(0.9, target.paramGroups().get(0).get(Adam.BETA1));
        assertNull(target.state(x3));

        Map<String, String> unknown = Map.of(OptimizerStateDict.METADATA_KEY, json.replace("\"beta1\":0.9,",
                "\"beta1\":0.9,\"betas\":0.9,"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> target.loadStateDict(new OptimizerStateDict(sd.tensors(), unknown))).getMessage()
                .startsWith("Adam.loadStateDict: unknown option 'betas' in param group 0"));
    }

    @Test
    void numbersInTheStateAreSavedBitExactly() {
        Tensor x = TestProblem.x();
        Tensor y = TestProblem.y();
        NAdam nadam = new NAdam(List.of(x, y), NAdam.options().lr(0.05));
        TestProblem.run(nadam, x, y, false, 3);
        double muProduct = nadam.state(x).scalar("muProduct", Double.NaN);
        double mu = 0.9 * (1 - 0.5 * Math.pow(0.96, 0.004));
        double expected = mu;
        for (int t = 2; t <= 3; t++) {
            expected *= 0.9 * (1 - 0.5 * Math.pow(0.96, t * 0.004));
        }
        assertEquals(expected, muProduct, 0.0);
        OptimizerStateDict sd = nadam.stateDict();
        Map<?, ?> m = (Map<?, ?>) JsonText.parse(sd.metadata().get(OptimizerStateDict.METADATA_KEY));
        assertEquals(Double.toString(muProduct), ((Map<?, ?>) ((Map<?, ?>) m.get("scalars")).get("0")).get("muProduct"));

        NAdam other = new NAdam(List.of(TestProblem.x(), TestProblem.y()), NAdam.options().lr(0.05));
        other.loadStateDict(sd);
        assertEquals(muProduct, other.state(other.paramGroups().get(0).params().get(0)).scalar("muProduct", 0), 0.0);
        Map<String, String> broken = Map.of(OptimizerStateDict.METADATA_KEY, sd.metadata()
                .get(OptimizerStateDict.METADATA_KEY).replace("\"muProduct\":\"", "\"muProduct\":\"x"));
        NAdam third = new NAdam(List.of(TestProblem.x(), TestProblem.y()), NAdam.options().lr(0.05));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> third.loadStateDict(new OptimizerStateDict(sd.tensors(), broken))).getMessage()
                .startsWith("NAdam.loadStateDict: scalars.0.muProduct should be a number written as a string"));
    }
}
