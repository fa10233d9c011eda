package org.grad4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;

/** Hooks, to(DType), ModuleList/ModuleDict, deep nesting, and refusing a parameter order that is not known. */
class ModuleConveniencesTest {

    private static Linear linear(int in, int out, long seed) {
        return new Linear(in, out, true, DType.FLOAT32, new SplittableRandom(seed));
    }

    // ------------------------------------------------------------------------------------------------ deep nesting

    private static Sequential nested(int depth, Module innermost) {
        Module m = innermost;
        for (int i = 0; i < depth; i++) {
            m = new Sequential(m);
        }
        return (Sequential) m;
    }

    @Test
    void everyTraversalWorksOnASequentialNestedTenThousandDeep() {
        int depth = 10_000;
        Linear inner = linear(2, 1, 1);
        Sequential model = nested(depth, inner);
        String prefix = "0.".repeat(depth);
        assertEquals(List.of(prefix + "weight", prefix + "bias"), List.copyOf(model.namedParameters().keySet()));
        assertEquals(2, model.parameters().size());
        assertEquals(3, model.parameterCount());
        assertEquals(depth + 1, model.modules().size());
        assertEquals(depth + 1, model.namedModules().size());
        assertEquals(List.of(prefix + "weight", prefix + "bias"), List.copyOf(model.stateDict().keySet()));
        int[] visits = {0};
        model.apply(m -> visits[0]++);
        assertEquals(depth + 1, visits[0]);
        model.eval();
        assertFalse(inner.isTraining());
        model.train();
        assertTrue(inner.isTraining());
        Tensor y = model.forward(Tensor.ones(3, 2));
        y.sum().backward();
        assertTrue(inner.weight().grad() != null);
        model.zeroGrad();
        assertEquals(null, inner.weight().grad());
        model.requiresGrad(false);
        assertFalse(inner.weight().requiresGrad());
        String printed = model.toString();
        assertTrue(printed.contains("(0): Sequential(...)  (3 params, 0 trainable)"), printed.substring(0, 200));
        assertTrue(printed.length() < 20_000, "printing summarises deep levels: " + printed.length());
        model.loadStateDict(model.stateDict());
        model.to(DType.FLOAT64);
        assertEquals(DType.FLOAT64, inner.weight().dtype());
    }

    @Test
    void aCycleDeepDownIsReportedWithItsPath() {
        ModuleList loop = new ModuleList();
        Sequential model = nested(3, loop);
        loop.add(model);
        IllegalStateException e = assertThrows(IllegalStateException.class, model::parameters);
        assertTrue(e.getMessage().contains("cycle") && e.getMessage().contains("'0.0.0.0'"), e.getMessage());
        assertTrue(model.toString().contains("<cycle>"));
    }

    // ------------------------------------------------------------------------------------------------ hooks

    @Test
    void forwardHooksSeeAndReplaceInputsAndOutputsAndCanBeRemoved() {
        Linear first = linear(2, 2, 1);
        Sequential model = new Sequential(first, new Tanh());
        List<String> log = new ArrayList<>();
        Module.HookHandle pre = first.registerForwardPreHook((m, in) -> {
            log.add("pre " + m.name() + " " + in.length);
            return new Tensor[] {in[0].mul(0)};
        });
        Module.HookHandle post = first.registerForwardHook((m, in, out) -> {
            log.add("post " + m.name());
            return out.add(1);
        });
        Tensor x = Tensor.of(new float[] {1, 2}, 1, 2);
        Tensor hooked = model.forward(x);
        // input zeroed, so first(x) = bias; then + 1; then tanh
        Tensor expected = first.bias().detach().add(1).tanh().reshape(1, 2);
        assertArrayEquals(expected.toFloatArray(), hooked.toFloatArray(), 1e-6f);
        assertEquals(List.of("pre Linear 1", "post Linear"), log);
        assertArrayEquals(first.forward(x).toFloatArray(), first.forward(x).toFloatArray());
        assertEquals(2, log.size(), "forward() itself runs no hooks; call() does");
        pre.remove();
        post.close();
        post.remove();
        assertArrayEquals(first.forward(x).tanh().toFloatArray(), model.forward(x).toFloatArray());
        assertEquals(2, log.size());
        assertThrows(IllegalArgumentException.class, () -> first.registerForwardHook(null));
    }

    // ------------------------------------------------------------------------------------------------ to(DType)

    static class Shared extends Module {
        final Linear a = linear(2, 2, 1);
        final Linear b = linear(2, 2, 2);
        @Buffer
        final Tensor stats = Tensor.zeros(2);
        final List<Tensor> extras = new ArrayList<>(List.of(Tensor.ones(1)));
        final Map<String, Tensor> named = new LinkedHashMap<>(Map.of("k", Tensor.ones(3).requiresGrad(true)));
        final Tensor frozen = Tensor.ones(2);
        final Tensor tied = a.weight();

        Shared() {
            registerParameter("registered", Tensor.zeros(1).requiresGrad(true));
        }

        @Override
        public Tensor forward(Tensor x) {
            return b.forward(a.forward(x));
        }
    }

    @Test
    void toConvertsEveryTensorKeepingLeavesRequiresGradAndSharing() {
        Shared m = new Shared();
        Tensor sharedWeight = m.a.weight();
        float[] before = sharedWeight.toFloatArray();
        Map<String, Tensor> old = new LinkedHashMap<>(m.stateDict());
        assertSame(m, m.to(DType.FLOAT64));
        for (Map.Entry<String, Tensor> e : m.stateDict().entrySet()) {
            assertEquals(DType.FLOAT64, e.getValue().dtype(), e.getKey());
            assertArrayEquals(old.get(e.getKey()).toDoubleArray(), e.getValue().toDoubleArray(), 0.0, e.getKey());
        }
        assertSame(m.a.weight(), m.tied, "a shared parameter stays shared");
        assertNotSame(sharedWeight, m.a.weight());
        for (Tensor p : m.parameters()) {
            assertTrue(p.isLeaf());
        }
        assertTrue(m.a.weight().requiresGrad() && m.named.get("k").requiresGrad());
        assertFalse(m.frozen.requiresGrad());
        assertArrayEquals(toDoubles(before), m.a.weight().toDoubleArray(), 0.0);
        Tensor y = m.forward(Tensor.ones(1, 2).to(DType.FLOAT64));
        assertEquals(DType.FLOAT64, y.dtype());
        y.sum().backward();
        assertEquals(DType.FLOAT64, m.a.weight().grad().dtype());
        Tensor same = m.a.bias();
        m.to(DType.FLOAT64);
        assertSame(same, m.a.bias(), "already of the dtype: kept");
        assertThrows(IllegalArgumentException.class, () -> m.to(null));
    }

    static class Immutable extends Module {
        final List<Tensor> fixed = List.of(Tensor.ones(1).requiresGrad(true));

        @Override
        public Tensor forward(Tensor x) {
            return x;
        }
    }

    @Test
    void toRefusesAnUnmodifiableListBeforeChangingAnything() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new Immutable().to(DType.FLOAT64));
        assertTrue(e.getMessage().contains("fixed") && e.getMessage().contains("ArrayList"), e.getMessage());
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    // ------------------------------------------------------------------------------------------------ containers

    @Test
    void moduleListNamesItsChildrenByPositionAndHasNoForward() {
        ModuleList list = new ModuleList(linear(2, 2, 1), new Tanh()).add(linear(2, 1, 2));
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"),
                List.copyOf(list.namedParameters().keySet()));
        assertEquals(3, list.size());
        assertTrue(list.get(-1) instanceof Linear);
        assertThrows(IndexOutOfBoundsException.class, () -> list.get(3));
        assertThrows(UnsupportedOperationException.class, () -> list.forward(Tensor.ones(2)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> list.add(null));
        assertTrue(e.getMessage().contains("ModuleList.add"), e.getMessage());
        int n = 0;
        for (Module m : list) n++;
        assertEquals(3, n);
    }

    @Test
    void moduleDictKeepsInsertionOrderReplacesInPlaceAndRemoves() {
        ModuleDict heads = new ModuleDict().put("z", linear(2, 1, 1)).put("a", linear(2, 3, 2));
        assertEquals(List.of("z.weight", "z.bias", "a.weight", "a.bias"),
                List.copyOf(heads.namedParameters().keySet()));
        Linear replacement = linear(2, 5, 3);
        heads.put("z", replacement);
        assertEquals(List.of("z.weight", "z.bias", "a.weight", "a.bias"),
                List.copyOf(heads.namedParameters().keySet()));
        assertSame(replacement, heads.get("z"));
        assertSame(replacement.weight(), heads.namedParameters().get("z.weight"));
        assertTrue(heads.remove("z") == replacement && !heads.containsKey("z"));
        assertEquals(List.of("a.weight", "a.bias"), List.copyOf(heads.namedParameters().keySet()));
        assertEquals(1, heads.size());
        assertThrows(IllegalArgumentException.class, () -> heads.get("missing"));
        assertThrows(IllegalArgumentException.class, () -> heads.put("x.y", new Tanh()));
        assertThrows(IllegalArgumentException.class, () -> heads.put(null, new Tanh()));
        assertThrows(UnsupportedOperationException.class, () -> heads.forward(Tensor.ones(1)));
    }

    @Test
    void modulesListsEveryModuleOnceInPreOrder() {
        Tanh shared = new Tanh();
        Sequential model = new Sequential(shared, new Sequential(shared, new ReLU()));
        List<Module> all = model.modules();
        assertEquals(4, all.size());
        assertSame(model, all.get(0));
        assertSame(shared, all.get(1));
    }

    // ------------------------------------------------------------------------------------------------ order

    /** Two state fields: their order is only known from the class file. */
    public static class TwoParams extends Module {
        public final Tensor second = Tensor.ones(2).requiresGrad(true);
        public final Tensor first = Tensor.ones(1).requiresGrad(true);

        /** For reflection. */
        public TwoParams() {
        }

        @Override
        public Tensor forward(Tensor x) {
            return x;
        }
    }

    /** One state field: no order to lose. */
    public static class OneParam extends Module {
        public final Tensor only = Tensor.ones(2).requiresGrad(true);

        /** For reflection. */
        public OneParam() {
        }

        @Override
        public Tensor forward(Tensor x) {
            return x;
        }
    }

    /** Defines a class from its bytes but hides its class file, as a class generated at run time has none. */
    private static final class NoClassFileLoader extends ClassLoader {
        private final String hidden;

        NoClassFileLoader(Class<?> type) {
            super(type.getClassLoader());
            this.hidden = type.getName();
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.equals(hidden)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    String resource = name.replace('.', '/') + ".class";
                    try (InputStream in = getParent().getResourceAsStream(resource)) {
                        byte[] bytes = in.readAllBytes();
                        c = defineClass(name, bytes, 0, bytes.length);
                    } catch (IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                }
                return c;
            }
        }

        @Override
        public InputStream getResourceAsStream(String name) {
            return name.endsWith(".class") ? null : super.getResourceAsStream(name);
        }
    }

    @Test
    void aClassWithoutAClassFileAndTwoStateFieldsIsRefusedNotSortedByName() throws Exception {
        Class<?> twoParams = new NoClassFileLoader(TwoParams.class).loadClass(TwoParams.class.getName());
        assertNotSame(TwoParams.class, twoParams);
        Module m = (Module) twoParams.getConstructor().newInstance();
        IllegalStateException e = assertThrows(IllegalStateException.class, m::namedParameters);
        assertTrue(e.getMessage().contains(TwoParams.class.getName()) && e.getMessage().contains("no class file")
                && e.getMessage().contains("registerParameter"), e.getMessage());
        // the same class with its class file: declaration order, not name order
        assertEquals(List.of("second", "first"), List.copyOf(new TwoParams().namedParameters().keySet()));

        Class<?> oneParam = new NoClassFileLoader(OneParam.class).loadClass(OneParam.class.getName());
        Module one = (Module) oneParam.getConstructor().newInstance();
        assertEquals(List.of("only"), List.copyOf(one.namedParameters().keySet()));
    }
}
