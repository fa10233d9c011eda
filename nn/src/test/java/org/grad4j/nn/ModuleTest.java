package org.grad4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;

/** Discovery of parameters, buffers and children; names and order; modes; gradients; printing; registration. */
class ModuleTest {

    static Linear linear(int in, int out, long seed) {
        return new Linear(in, out, true, DType.FLOAT32, new SplittableRandom(seed));
    }

    /** Field names are deliberately not alphabetical, so declaration order and name order differ. */
    static class Block extends Module {
        final Linear zeta = linear(2, 3, 1);
        final Tensor gamma = Tensor.ones(3).requiresGrad(true);
        @Buffer
        final Tensor runningMean = Tensor.zeros(3);
        transient Tensor cache = Tensor.ones(7).requiresGrad(true);  // transient: not state
        static Tensor shared = Tensor.ones(1).requiresGrad(true);     // static: not state
        final List<Linear> layers = List.of(linear(3, 3, 2), linear(3, 3, 3));
        Linear absent = null;                                         // null: skipped
        final Map<String, Module> heads = new LinkedHashMap<>();
        final Tensor[] extras = {Tensor.zeros(2).requiresGrad(true), Tensor.zeros(1).requiresGrad(true)};
        final String label = "not state";
        final List<String> notes = new ArrayList<>(List.of("ignored"));
        final Tensor alpha = Tensor.zeros(1).requiresGrad(true);

        Block() {
            heads.put("b", linear(3, 1, 4));
            heads.put("a", new Tanh());
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor h = zeta.forward(x).mul(gamma).sub(runningMean);
            for (Linear l : layers) h = l.forward(h);
            return heads.get("b").forward(heads.get("a").forward(h)).add(alpha);
        }
    }

    @Test
    void parametersAreDiscoveredInDeclarationOrderOwnFirst() {
        Block b = new Block();
        assertEquals(List.of("gamma", "extras.0", "extras.1", "alpha",
                "zeta.weight", "zeta.bias",
                "layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias",
                "heads.b.weight", "heads.b.bias"), List.copyOf(b.namedParameters().keySet()));
        assertEquals(List.of("runningMean"), List.copyOf(b.namedBuffers().keySet()));
        assertEquals(List.of("zeta", "layers.0", "layers.1", "heads.b", "heads.a"),
                List.copyOf(b.namedChildren().keySet()));
        assertSame(b.gamma, b.namedParameters().get("gamma"));
        assertSame(b.zeta.weight(), b.parameters().get(4));
        assertEquals(12, b.parameters().size());
        assertEquals(3 + 2 + 1 + 1 + 9 + 2 * 12 + 4, b.parameterCount());
    }

    @Test
    void stateDictHoldsParametersThenBuffersThenChildren() {
        Block b = new Block();
        assertEquals(List.of("gamma", "extras.0", "extras.1", "alpha", "runningMean",
                "zeta.weight", "zeta.bias",
                "layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias",
                "heads.b.weight", "heads.b.bias"), List.copyOf(b.stateDict().keySet()));
        Tensor value = b.stateDict().get("gamma");
        assertTrue(value.sharesStorageWith(b.gamma), "state dict values share storage with the module");
        assertFalse(value.requiresGrad(), "state dict values are detached");
    }

    @Test
    void orderIsStableAcrossInstancesAndCalls() {
        List<String> first = List.copyOf(new Block().namedParameters().keySet());
        for (int i = 0; i < 5; i++) {
            assertEquals(first, List.copyOf(new Block().namedParameters().keySet()));
        }
    }

    static class Many {
        int z9, y8, x7, w6, v5, u4, t3, s2, r1, q0, p, o, n, m, l, k, j, i, h, g, f, e, d, c, b, a;
        long bigConstantPoolFiller = 1234567890123L;
        double another = 2.5;
        String s = "text";
    }

    @Test
    void fieldOrderComesFromTheClassFile() throws java.io.IOException {
        List<String> names = new ArrayList<>();
        for (Field f : FieldOrder.declaredFields(Many.class).fields()) names.add(f.getName());
        assertEquals(List.of("z9", "y8", "x7", "w6", "v5", "u4", "t3", "s2", "r1", "q0", "p", "o", "n", "m", "l",
                "k", "j", "i", "h", "g", "f", "e", "d", "c", "b", "a", "bigConstantPoolFiller", "another", "s"),
                names);
        assertEquals(names, FieldOrder.namesFromClassFile(Many.class));
    }

    static class Base extends Module {
        final Tensor zBase = Tensor.ones(1).requiresGrad(true);

        @Override
        public Tensor forward(Tensor x) {
            return x.mul(zBase);
        }
    }

    static class Derived extends Base {
        final Tensor aDerived = Tensor.ones(1).requiresGrad(true);
    }

    @Test
    void superclassFieldsComeFirst() {
        assertEquals(List.of("zBase", "aDerived"), List.copyOf(new Derived().namedParameters().keySet()));
    }

    @Test
    void anonymousAndInnerModulesWork() {
        Linear inner = linear(2, 2, 9);
        Module anonymous = new Module() {
            final Linear layer = inner;   // the captured variable itself is a synthetic field, skipped
            final Tensor scale = Tensor.ones(1).requiresGrad(true);

            @Override
            public Tensor forward(Tensor x) {
                return layer.forward(x).mul(scale).add(inner.bias());
            }
        };
        assertEquals(List.of("scale", "layer.weight", "layer.bias"),
                List.copyOf(anonymous.namedParameters().keySet()));
        assertTrue(anonymous.toString().startsWith("ModuleTest$1("), anonymous.toString());
    }

    class InnerModule extends Module {   // non-static: holds a synthetic reference to the test instance
        final Tensor w = Tensor.ones(2).requiresGrad(true);

        @Override
        public Tensor forward(Tensor x) {
            return x.mul(w);
        }
    }

    @Test
    void syntheticOuterReferenceIsNotState() {
        assertEquals(List.of("w"), List.copyOf(new InnerModule().stateDict().keySet()));
    }

    @Test
    void frozenParametersStayParameters() {
        Block b = new Block();
        b.zeta.requiresGrad(false);
        assertTrue(b.namedParameters().containsKey("zeta.weight"));
        assertTrue(b.stateDict().containsKey("zeta.weight"));
        assertFalse(b.zeta.weight().requiresGrad());
        assertTrue(b.toString().contains("weight [3, 2] (frozen)"), b.toString());
    }

    static class Tied extends Module {
        final Linear encoder = linear(3, 3, 5);
        final Linear decoder = encoder;   // the same module twice

        @Override
        public Tensor forward(Tensor x) {
            return decoder.forward(encoder.forward(x));
        }
    }

    @Test
    void sharedModulesAndTensorsAreCountedOnceButSavedUnderEachName() {
        Tied t = new Tied();
        assertEquals(List.of("encoder.weight", "encoder.bias"), List.copyOf(t.namedParameters().keySet()));
        assertEquals(12, t.parameterCount());
        assertEquals(List.of("encoder.weight", "encoder.bias", "decoder.weight", "decoder.bias"),
                List.copyOf(t.stateDict().keySet()));
        assertEquals(List.of("encoder"), List.copyOf(t.namedChildren().keySet()));
        t.loadStateDict(t.stateDict());   // loading both names into the one tensor is fine
    }

    static class Cyclic extends Module {
        Module back;
        final Linear layer = linear(1, 1, 1);

        @Override
        public Tensor forward(Tensor x) {
            return layer.forward(x);
        }
    }

    @Test
    void cyclesAreReportedNotLoopedOn() {
        Cyclic outer = new Cyclic();
        Cyclic inner = new Cyclic();
        outer.back = inner;
        inner.back = outer;
        IllegalStateException e = assertThrows(IllegalStateException.class, outer::namedParameters);
        assertTrue(e.getMessage().contains("cycle") && e.getMessage().contains("back.back"), e.getMessage());
        assertThrows(IllegalStateException.class, outer::stateDict);
        assertThrows(IllegalStateException.class, outer::eval);
        assertTrue(outer.toString().contains("<cycle>"));
    }

    static class NonLeaf extends Module {
        final Tensor base = Tensor.ones(2).requiresGrad(true);
        final Tensor derived = base.mul(2);

        @Override
        public Tensor forward(Tensor x) {
            return x;
        }
    }

    @Test
    void aNonLeafParameterIsExplained() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new NonLeaf().parameters());
        assertTrue(e.getMessage().contains("derived") && e.getMessage().contains("leaf")
                && e.getMessage().contains("transient"), e.getMessage());
    }

    static class WithMapAndBufferList extends Module {
        final Map<String, Linear> experts = new TreeMap<>(Map.of("b", linear(1, 1, 1), "a", linear(1, 1, 2)));
        @Buffer
        final List<Tensor> stats = List.of(Tensor.zeros(1), Tensor.ones(1));

        @Override
        public Tensor forward(Tensor x) {
            return x;
        }
    }

    @Test
    void mapsFollowTheirIterationOrderAndBufferListsWork() {
        WithMapAndBufferList m = new WithMapAndBufferList();
        assertEquals(List.of("stats.0", "stats.1", "experts.a.weight", "experts.a.bias", "experts.b.weight",
                "experts.b.bias"), List.copyOf(m.stateDict().keySet()));
        assertEquals(List.of("stats.0", "stats.1"), List.copyOf(m.namedBuffers().keySet()));
    }

    static class BadBuffer extends Module {
        @Buffer
        final Linear notATensor = linear(1, 1, 1);

        @Override
        public Tensor forward(Tensor x) {
            return x;
        }
    }

    @Test
    void bufferOnAModuleIsRejected() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new BadBuffer().stateDict());
        assertTrue(e.getMessage().contains("@Buffer") && e.getMessage().contains("notATensor"), e.getMessage());
    }

    @Test
    void explicitRegistrationComesAfterFields() {
        Block b = new Block();
        Tensor extra = b.registerParameter("extra", Tensor.ones(2).requiresGrad(true));
        b.registerBuffer("count", Tensor.zeros(1));
        b.registerModule("tail", linear(1, 1, 8));
        List<String> names = List.copyOf(b.namedParameters().keySet());
        assertEquals(List.of("gamma", "extras.0", "extras.1", "alpha", "extra"), names.subList(0, 5));
        assertEquals(List.of("tail.weight", "tail.bias"), names.subList(names.size() - 2, names.size()));
        assertSame(extra, b.namedParameters().get("extra"));
        assertEquals(List.of("runningMean", "count"), List.copyOf(b.namedBuffers().keySet()));
        assertThrows(IllegalArgumentException.class, () -> b.registerParameter("extra", Tensor.ones(1)));
        assertThrows(IllegalArgumentException.class, () -> b.registerParameter("gamma", Tensor.ones(1)));
        assertThrows(IllegalArgumentException.class, () -> b.registerModule("a.b", new Tanh()));
        assertThrows(IllegalArgumentException.class, () -> b.registerModule("self", b));
        assertThrows(IllegalArgumentException.class, () -> b.registerBuffer("nothing", null));
    }

    @Test
    void trainAndEvalPropagateToEveryDescendant() {
        Sequential inner = new Sequential(new Dropout(0.5), linear(2, 2, 1));
        Sequential model = new Sequential(inner, new Tanh());
        assertTrue(model.isTraining());
        assertSame(model, model.eval());
        for (Module m : model.namedModules().values()) {
            assertFalse(m.isTraining(), m.toString());
        }
        model.train();
        for (Module m : model.namedModules().values()) {
            assertTrue(m.isTraining());
        }
        inner.train(false);
        assertTrue(model.isTraining());
        assertFalse(inner.get(0).isTraining());
    }

    @Test
    void zeroGradClearsEveryParameterGradient() {
        Block b = new Block();
        b.forward(Tensor.ones(4, 2)).sum().backward();
        for (Map.Entry<String, Tensor> p : b.namedParameters().entrySet()) {
            if (!p.getKey().startsWith("extras")) {   // extras are not used by forward
                assertNotNull(p.getValue().grad(), p.getKey());
            }
        }
        b.zeroGrad();
        for (Tensor p : b.parameters()) {
            assertNull(p.grad());
        }
    }

    @Test
    void applyVisitsChildrenBeforeParents() {
        Sequential model = new Sequential(new Sequential(new Tanh()), new ReLU());
        List<String> visited = new ArrayList<>();
        model.apply(m -> visited.add(m.getClass().getSimpleName()));
        assertEquals(List.of("ReLU", "Tanh", "Sequential", "Sequential"), visited);
        assertEquals(List.of("", "0", "0.0", "1"), List.copyOf(model.namedModules().keySet()));
    }

    @Test
    void toStringPrintsTheTreeWithShapesAndCounts() {
        Sequential mlp = new Sequential(linear(2, 8, 1), new Tanh(), new Linear(8, 1, false, DType.FLOAT64,
                new SplittableRandom(2)));
        assertEquals("""
                Sequential(
                  (0): Linear(inFeatures=2, outFeatures=8, bias=true)  weight [8, 2], bias [8]  (24 params)
                  (1): Tanh()
                  (2): Linear(inFeatures=8, outFeatures=1, bias=false)  weight [1, 8] float64  (8 params)
                )  (32 params)""", mlp.toString());
        Block b = new Block();
        String s = b.toString();
        assertTrue(s.startsWith("Block(\n  (zeta): Linear(inFeatures=2, outFeatures=3, bias=true)  weight [3, 2],"
                + " bias [3]  (9 params)\n  (gamma): Parameter [3]\n  (runningMean): Buffer [3]\n"
                + "  (layers.0): Linear("), s);
        assertTrue(s.contains("  (heads.a): Tanh()\n"), s);
        assertTrue(s.endsWith(")  (" + b.parameterCount() + " params)"), s);
    }

    static class TwoInputs extends Module {
        final Linear a = linear(2, 1, 1);
        final Linear b = linear(3, 1, 2);

        @Override
        public Tensor forward(Tensor x) {
            throw new UnsupportedOperationException("TwoInputs takes (x, y)");
        }

        @Override
        public Tensor forward(Tensor... inputs) {
            return a.forward(inputs[0]).add(b.forward(inputs[1]));
        }
    }

    @Test
    void multiInputModulesOverrideTheVarargsForward() {
        Tensor out = new TwoInputs().forward(Tensor.ones(4, 2), Tensor.ones(4, 3));
        assertTrue(Arrays.equals(new int[] {4, 1}, out.shape()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Tanh().forward(Tensor.ones(1), Tensor.ones(1)));
        assertTrue(e.getMessage().contains("Tanh.forward takes one input"), e.getMessage());
    }

    @Test
    void requiresGradFreezesAndUnfreezesAllParameters() {
        Block b = new Block();
        b.requiresGrad(false);
        assertTrue(b.parameters().stream().noneMatch(Tensor::requiresGrad));
        assertTrue(b.toString().endsWith("params, 0 trainable)"), b.toString());
        b.requiresGrad(true);
        assertTrue(b.parameters().stream().allMatch(Tensor::requiresGrad));
    }
}
