package org.grad4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Field discovery ({@code ModuleFields}, {@code FieldOrder}) on module classes that no earlier code has analysed.
 *
 * <p>Both cache their analysis per class, so a module class already used once in this JVM is never analysed again.
 * Each test here therefore defines its fixture classes anew, through a class loader of its own ({@link Fresh}); the
 * fixture's class file can also be replaced (a crafted one, a corrupt one) or hidden, as for a class generated at
 * run time. The fixtures use only public API, because a class defined by another loader is in another run-time
 * package.
 */
class FreshClassDiscoveryTest {

    // ------------------------------------------------------------------------------------------------- fixtures

    /** Every kind of field discovery classifies, in an order that is neither alphabetical nor grouped by kind. */
    public static class AllKinds extends Module {
        public static final long LONG_CONSTANT = 1234567890123L;   // static: not state (a Long in the pool)
        public static final double DOUBLE_CONSTANT = 2.5e300;         // a Double in the pool
        public static final float FLOAT_CONSTANT = 3.25f;            // a Float in the pool
        public static final int INT_CONSTANT = 7654321;              // an Integer in the pool
        public static Tensor shared = Tensor.ones(1).requiresGrad(true);
        public Tensor zeta = Tensor.ones(2).requiresGrad(true);
        @Buffer
        public Tensor stats = Tensor.zeros(3);
        public transient Tensor cache = Tensor.ones(4).requiresGrad(true);
        public Linear yLayer = new Linear(1, 1);
        public Tensor[] array = {Tensor.ones(1).requiresGrad(true), null, Tensor.ones(2).requiresGrad(true)};
        public Module[] modules = {new Tanh(), new ReLU()};
        @Buffer
        public Tensor[] bufferArray = {Tensor.zeros(1)};
        public List<Tensor> list = new ArrayList<>(List.of(Tensor.ones(3).requiresGrad(true)));
        public List<Linear> layerList = new ArrayList<>(List.of(new Linear(1, 2)));
        public List<? extends Module> wildcardList = List.of(new Sigmoid());
        @Buffer
        public List<Tensor> bufferList = new ArrayList<>(List.of(Tensor.zeros(2), Tensor.zeros(1)));
        public Map<String, Tensor> map = new LinkedHashMap<>(Map.of("k", Tensor.ones(5).requiresGrad(true)));
        public Map<String, Module> moduleMap = new LinkedHashMap<>(Map.of("m", new Linear(2, 1)));
        @Buffer
        public Map<String, Tensor> bufferMap = new LinkedHashMap<>(Map.of("b", Tensor.zeros(6)));
        public Tensor absent = null;
        public String text = "not state";
        public int number = 3;
        public List<String> strings = List.of("not state");
        @SuppressWarnings("rawtypes")
        public List raw = new ArrayList<>(List.of(Tensor.ones(1)));
        public List<List<Tensor>> nested = List.of(List.of(Tensor.ones(1).requiresGrad(true)));
        public Map<Tensor, String> tensorKeys = Map.of(Tensor.ones(1).requiresGrad(true), "not state");
        public List<Generic<Linear>> generics = List.of(new Generic<>());   // a parameterized element type
        public Supplier<Tensor> supplier = () -> Tensor.ones(1);     // a lambda: MethodHandle, MethodType, indy
        public Tensor alpha = Tensor.ones(1).requiresGrad(true);

        /** For reflection. */
        public AllKinds() {
        }

        @Override
        public Tensor forward(Tensor x) {
            return x.mul(supplier.get());
        }
    }

    /** A generic module: fields typed by a type variable are classified by its bound. */
    public static class Generic<T extends Module> extends Module {
        public List<T> children = new ArrayList<>();
        public T single;
        public Map<String, T> byName = new LinkedHashMap<>();

        /** For reflection. */
        public Generic() {
        }

        @Override
        public Tensor forward(Tensor x) {
            return x;
        }
    }

    /** A module holding the generic one with concrete children. */
    public static class GenericUser extends Module {
        public Generic<Linear> generic = new Generic<>();

        /** For reflection. */
        public GenericUser() {
            generic.children.add(new Linear(1, 1));
            generic.single = new Linear(2, 2);
            generic.byName.put("n", new Linear(3, 3));
        }

        @Override
        public Tensor forward(Tensor x) {
            return x;
        }
    }

    /** A base class between {@link Module} and the concrete class. */
    public abstract static class Middle extends Module {
        public Tensor mWeight = Tensor.ones(2).requiresGrad(true);
        public Tensor aBias = Tensor.ones(1).requiresGrad(true);
    }

    /** Inherits {@link Middle}'s fields, which come first. */
    public static class Leaf extends Middle {
        public Tensor zOwn = Tensor.ones(3).requiresGrad(true);
        public Tensor bOwn = Tensor.ones(4).requiresGrad(true);

        /** For reflection. */
        public Leaf() {
        }

        @Override
        public Tensor forward(Tensor x) {
            return x;
        }
    }

    /** Declares {@link Middle}'s {@code aBias} again. */
    public static class Shadowing extends Middle {
        public Tensor aBias = Tensor.ones(1).requiresGrad(true);

        /** For reflection. */
        public Shadowing() {
        }

        @Override
        public Tensor forward(Tensor x) {
            return x;
        }
    }

    /** Declares a non-state field with {@code Middle}'s name: not state, so no clash. */
    public static class ShadowingNonState extends Middle {
        public String mWeight = "not state";

        /** For reflection. */
        public ShadowingNonState() {
        }

        @Override
        public Tensor forward(Tensor x) {
            return x;
        }
    }

    /** A non-static inner module: its synthetic reference to the enclosing module is not a child. */
    public static class Outer extends Module {
        public Tensor w = Tensor.ones(1).requiresGrad(true);
        public Inner inner = new Inner();

        /** For reflection. */
        public Outer() {
        }

        /** Holds {@code this$0}, an {@code Outer}. */
        public class Inner extends Module {
            public Tensor v = Tensor.ones(2).requiresGrad(true);

            /** The enclosing module. */
            public Outer outer() {
                return Outer.this;
            }

            @Override
            public Tensor forward(Tensor x) {
                return x.mul(w);
            }
        }

        @Override
        public Tensor forward(Tensor x) {
            return inner.forward(x);
        }
    }

    /** A buffer annotation on a field that holds no tensor. */
    public static class TextBuffer extends Module {
        @Buffer
        public String notATensor = "x";

        /** For reflection. */
        public TextBuffer() {
        }

        @Override
        public Tensor forward(Tensor x) {
            return x;
        }
    }

    /** A buffer annotation on an array of modules. */
    public static class ModuleArrayBuffer extends Module {
        @Buffer
        public Linear[] layers = {new Linear(1, 1)};

        /** For reflection. */
        public ModuleArrayBuffer() {
        }

        @Override
        public Tensor forward(Tensor x) {
            return x;
        }
    }

    /** A buffer annotation on a list of modules. */
    public static class ModuleListBuffer extends Module {
        @Buffer
        public List<Linear> layers = List.of(new Linear(1, 1));

        /** For reflection. */
        public ModuleListBuffer() {
        }

        @Override
        public Tensor forward(Tensor x) {
            return x;
        }
    }

    /** A buffer annotation on a map of modules. */
    public static class ModuleMapBuffer extends Module {
        @Buffer
        public Map<String, Linear> layers = Map.of("a", new Linear(1, 1));

        /** For reflection. */
        public ModuleMapBuffer() {
        }

        @Override
        public Tensor forward(Tensor x) {
            return x;
        }
    }

    /** Two state fields, declared {@code first} then {@code second}; non-state fields around them. */
    public static class Pair extends Module {
        public String label = "not state";
        public Tensor first = Tensor.ones(1).requiresGrad(true);
        public Tensor second = Tensor.ones(2).requiresGrad(true);
        public int count = 1;

        /** For reflection. */
        public Pair() {
        }

        @Override
        public Tensor forward(Tensor x) {
            return x;
        }
    }

    /** Declared {@code zeta} then {@code alpha}, so declaration order and name order differ. */
    public static class Unsorted extends Module {
        public Tensor zeta = Tensor.ones(1).requiresGrad(true);
        public Tensor alpha = Tensor.ones(2).requiresGrad(true);

        /** For reflection. */
        public Unsorted() {
        }

        @Override
        public Tensor forward(Tensor x) {
            return x;
        }
    }

    /** One state field among non-state ones: no order to lose. */
    public static class Single extends Module {
        public String zText = "not state";
        public Tensor only = Tensor.ones(2).requiresGrad(true);
        public int aNumber = 1;

        /** For reflection. */
        public Single() {
        }

        @Override
        public Tensor forward(Tensor x) {
            return x;
        }
    }

    /** Private state fields: discovery must make them accessible itself. */
    public static class Private extends Module {
        private Tensor hidden = Tensor.ones(2).requiresGrad(true);
        private Linear inner = new Linear(1, 1);

        /** For reflection. */
        public Private() {
        }

        @Override
        public Tensor forward(Tensor x) {
            return inner.forward(x).mul(hidden);
        }
    }

    /** Tensors in an unmodifiable list and an unmodifiable map: they cannot be replaced by a conversion. */
    public static class Frozen extends Module {
        public Tensor plain = Tensor.ones(1).requiresGrad(true);
        public List<Tensor> list;
        public Map<String, Tensor> map;

        /** For reflection. */
        public Frozen() {
        }

        @Override
        public Tensor forward(Tensor x) {
            return x;
        }
    }

    /** A field named {@code w} and an explicit registration that tries the same name. */
    public static class Registering extends Module {
        public Tensor w = Tensor.ones(1).requiresGrad(true);

        /** For reflection. */
        public Registering() {
        }

        /** Registers a parameter under {@code name}. */
        public void add(String name) {
            registerParameter(name, Tensor.ones(1).requiresGrad(true));
        }

        @Override
        public Tensor forward(Tensor x) {
            return x;
        }
    }

    // ------------------------------------------------------------------------------------------------- loader

    /**
     * Defines this test class and every class nested in it anew from their class files (a nested class and its
     * enclosing class must come from the same loader); other classes come from the parent. The
     * class file a fixture's discovery reads can be replaced ({@code classFiles}: simple name to bytes, or to null
     * for "no class file").
     */
    private static final class Fresh extends ClassLoader {
        private static final String PREFIX = FreshClassDiscoveryTest.class.getName() + "$";
        private final Map<String, byte[]> classFiles;

        Fresh(Map<String, byte[]> classFiles) {
            super(FreshClassDiscoveryTest.class.getClassLoader());
            this.classFiles = classFiles;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(PREFIX) && !name.equals(FreshClassDiscoveryTest.class.getName())) {
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
            String simple = name.substring(name.lastIndexOf('/') + 1);
            for (Map.Entry<String, byte[]> e : classFiles.entrySet()) {
                if (simple.equals(FreshClassDiscoveryTest.class.getSimpleName() + "$" + e.getKey() + ".class")) {
                    return e.getValue() == null ? null : new ByteArrayInputStream(e.getValue());
                }
            }
            return super.getResourceAsStream(name);
        }
    }

    /** A new instance of the fixture {@code type}, its class defined anew. */
    private static Module fresh(Class<?> type) {
        return fresh(type, Map.of());
    }

    private static Module fresh(Class<?> type, Map<String, byte[]> classFiles) {
        try {
            Class<?> c = new Fresh(classFiles).loadClass(type.getName());
            assertTrue(c != type && c.getName().equals(type.getName()), "defined anew");
            Constructor<?> k = c.getDeclaredConstructor();
            return (Module) k.newInstance();
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> keys(Map<String, ?> map) {
        return List.copyOf(map.keySet());
    }

    // ------------------------------------------------------------------------------------------------- tests

    @Test
    void everyKindOfFieldIsClassifiedInDeclarationOrder() {
        Module m = fresh(AllKinds.class);
        assertEquals(List.of("zeta", "array.0", "array.2", "list.0", "map.k", "alpha",
                "yLayer.weight", "yLayer.bias", "layerList.0.weight", "layerList.0.bias",
                "moduleMap.m.weight", "moduleMap.m.bias"), keys(m.namedParameters()));
        assertEquals(List.of("stats", "bufferArray.0", "bufferList.0", "bufferList.1", "bufferMap.b"),
                keys(m.namedBuffers()));
        assertEquals(List.of("yLayer", "modules.0", "modules.1", "layerList.0", "wildcardList.0", "moduleMap.m",
                "generics.0"), keys(m.namedChildren()));
        assertEquals(List.of("zeta", "array.0", "array.2", "list.0", "map.k", "alpha",
                "stats", "bufferArray.0", "bufferList.0", "bufferList.1", "bufferMap.b",
                "yLayer.weight", "yLayer.bias", "layerList.0.weight", "layerList.0.bias",
                "moduleMap.m.weight", "moduleMap.m.bias"), keys(m.stateDict()));
    }

    @Test
    void everyKindOfTensorFieldIsConverted() {
        Module m = fresh(AllKinds.class);
        m.to(DType.FLOAT64);
        for (Map.Entry<String, Tensor> e : m.stateDict().entrySet()) {
            assertEquals(DType.FLOAT64, e.getValue().dtype(), e.getKey());
        }
        assertEquals(17, m.stateDict().size());
    }

    @Test
    void typeVariablesAreClassifiedByTheirBound() {
        Module m = fresh(GenericUser.class);
        assertEquals(List.of("generic", "generic.children.0", "generic.single", "generic.byName.n"),
                keys(m.namedModules()).subList(1, 5));
        assertEquals(List.of("generic.children.0.weight", "generic.children.0.bias", "generic.single.weight",
                "generic.single.bias", "generic.byName.n.weight", "generic.byName.n.bias"),
                keys(m.namedParameters()));
    }

    @Test
    void inheritedFieldsComeFirstInTheirDeclarationOrder() {
        Module m = fresh(Leaf.class);
        assertEquals(List.of("mWeight", "aBias", "zOwn", "bOwn"), keys(m.namedParameters()));
    }

    @Test
    void aStateFieldDeclaredTwiceInTheHierarchyIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> fresh(Shadowing.class)
                .namedParameters());
        assertTrue(e.getMessage().contains("field 'aBias' is declared in " + Middle.class.getName()
                + " and again in " + Shadowing.class.getName()), e.getMessage());
    }

    @Test
    void aNonStateFieldMayReuseAnInheritedName() {
        Module m = fresh(ShadowingNonState.class);
        assertEquals(List.of("mWeight", "aBias"), keys(m.namedParameters()));
    }

    @Test
    void theSyntheticReferenceOfAnInnerModuleIsNotAChild() throws ReflectiveOperationException {
        Module outer = fresh(Outer.class);
        Module inner = (Module) outer.getClass().getField("inner").get(outer);
        assertEquals(List.of("v"), keys(inner.namedParameters()));
        assertEquals(List.of(), keys(inner.namedChildren()));
        assertSame(outer, inner.getClass().getMethod("outer").invoke(inner));
        assertEquals(List.of("w", "inner.v"), keys(outer.namedParameters()));
    }

    @Test
    void aBufferAnnotationOnANonTensorFieldIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> fresh(TextBuffer.class).namedBuffers());
        assertTrue(e.getMessage().startsWith("@Buffer on " + TextBuffer.class.getName() + ".notATensor: only Tensor"
                + " fields"), e.getMessage());
    }

    @Test
    void aBufferAnnotationOnModulesIsRefusedForEveryContainer() {
        for (Class<?> type : List.of(ModuleArrayBuffer.class, ModuleListBuffer.class, ModuleMapBuffer.class)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> fresh(type).namedBuffers(),
                    type.getSimpleName());
            assertEquals("@Buffer on " + type.getName() + ".layers: a module cannot be a buffer; only Tensor fields"
                    + " can", e.getMessage());
        }
    }

    @Test
    void aRegistrationCannotTakeTheNameOfAField() {
        Module m = fresh(Registering.class);
        try {
            m.getClass().getMethod("add", String.class).invoke(m, "w");
            throw new AssertionError("registered a second 'w'");
        } catch (InvocationTargetException e) {
            assertTrue(e.getCause() instanceof IllegalArgumentException, String.valueOf(e.getCause()));
            assertTrue(e.getCause().getMessage().contains("'w' is already the name of a field"),
                    e.getCause().getMessage());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
        Module other = fresh(Registering.class);
        try {
            other.getClass().getMethod("add", String.class).invoke(other, "extra");
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
        assertEquals(List.of("w", "extra"), keys(other.namedParameters()));
    }

    @Test
    void privateFieldsAreReadAndWritten() {
        Module m = fresh(Private.class);
        assertEquals(List.of("hidden", "inner.weight", "inner.bias"), keys(m.namedParameters()));
        m.to(DType.FLOAT64);
        assertEquals(DType.FLOAT64, m.namedParameters().get("hidden").dtype());
    }

    @Test
    void unmodifiableContainersAreRefusedBeforeAnythingIsConverted() throws ReflectiveOperationException {
        for (boolean useList : new boolean[] {true, false}) {
            Module m = fresh(Frozen.class);
            if (useList) {
                m.getClass().getField("list").set(m, List.of(Tensor.ones(2).requiresGrad(true)));
            } else {
                m.getClass().getField("map").set(m, Map.of("k", Tensor.ones(2).requiresGrad(true)));
            }
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.to(DType.FLOAT64));
            assertTrue(e.getMessage().contains(useList ? ".list: the list of tensors cannot be modified"
                    : ".map: the map of tensors cannot be modified"), e.getMessage());
            assertEquals(DType.FLOAT32, m.namedParameters().get("plain").dtype(), "nothing converted");
            // empty unmodifiable containers hold nothing to replace
            m.getClass().getField(useList ? "list" : "map").set(m, useList ? List.of() : Map.of());
            m.to(DType.FLOAT64);
            assertEquals(DType.FLOAT64, m.namedParameters().get("plain").dtype());
        }
    }

    // ----------------------------------------------------------------------------------- the class file decides

    @Test
    void theOrderIsTheClassFilesEvenWhenItDiffersFromTheSource() {
        Module m = fresh(Pair.class, Map.of("Pair", classFile(List.of("count", "second", "label", "first"))));
        assertEquals(List.of("second", "first"), keys(m.namedParameters()));
    }

    @Test
    void namesTheClassFileListsButTheClassLacksAreIgnored() {
        Module m = fresh(Pair.class, Map.of("Pair", classFile(List.of("ghost", "first", "second", "label",
                "count"))));
        assertEquals(List.of("first", "second"), keys(m.namedParameters()));
    }

    @Test
    void twoStateFieldsWithoutAClassFileAreRefusedNamingThemInNameOrder() {
        Map<String, byte[]> none = new LinkedHashMap<>();
        none.put("Unsorted", null);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> fresh(Unsorted.class, none).namedParameters());
        assertTrue(e.getMessage().startsWith(Unsorted.class.getName() + ": cannot read the declaration order of its"
                + " state fields [alpha, zeta] (it has no class file (a class defined at run time))"),
                e.getMessage());
    }

    @Test
    void oneStateFieldWithoutAClassFileIsFine() {
        Map<String, byte[]> none = new LinkedHashMap<>();
        none.put("Single", null);
        assertEquals(List.of("only"), keys(fresh(Single.class, none).namedParameters()));
    }

    @Test
    void aClassFileThatOmitsAStateFieldIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> fresh(Pair.class, Map.of("Pair", classFile(List.of("label", "first", "count"))))
                        .namedParameters());
        assertTrue(e.getMessage().contains("state fields [second] (its class file does not list them; the loaded"
                + " class differs from its class file)"), e.getMessage());
    }

    @Test
    void aCorruptClassFileIsRefusedWithTheParsersReason() {
        byte[] real = realClassFile(Pair.class);
        byte[] badMagic = real.clone();
        badMagic[0] = 0;
        assertEquals("its class file cannot be parsed: no class file magic number", reason(badMagic));
        byte[] badTag = real.clone();
        badTag[10] = 2;   // the first constant pool entry's tag; 2 is unassigned
        assertEquals("its class file cannot be parsed: unknown constant pool tag 2", reason(badTag));
        byte[] truncated = java.util.Arrays.copyOf(real, 40);
        assertTrue(reason(truncated).startsWith("its class file cannot be parsed"), reason(truncated));
        assertEquals("its class file cannot be parsed: field 1 names constant 0, which is not a Utf8 entry",
                reason(classFileWithNameIndex(0)));
        assertEquals("its class file cannot be parsed: field 1 names constant 3, which is not a Utf8 entry",
                reason(classFileWithNameIndex(3)));   // a Float entry
        assertEquals("its class file cannot be parsed: field 1 names constant 99, which is not a Utf8 entry",
                reason(classFileWithNameIndex(99)));   // beyond the pool
        int poolCount = crafted(List.of("first", "second"), -1).poolCount;
        assertEquals("its class file cannot be parsed: field 1 names constant " + poolCount
                + ", which is not a Utf8 entry", reason(classFileWithNameIndex(poolCount)));   // one beyond
        // the last entry is a valid name
        assertEquals(List.of("first", "second"), keys(fresh(Pair.class, Map.of("Pair",
                crafted(List.of("first", "second"), -1).bytes)).namedParameters()));
    }

    @Test
    void namesFromClassFileIsNullWithoutOneAndReadsEveryConstantKind() throws Exception {
        Map<String, byte[]> none = new LinkedHashMap<>();
        none.put("Single", null);
        Class<?> hidden = new Fresh(none).loadClass(Single.class.getName());
        assertEquals(null, FieldOrder.namesFromClassFile(hidden));
        Class<?> crafted = new Fresh(Map.of("Pair", classFile(List.of("second", "first")))).loadClass(
                Pair.class.getName());
        assertEquals(List.of("second", "first"), FieldOrder.namesFromClassFile(crafted));
        FieldOrder.Ordered ordered = FieldOrder.declaredFields(crafted);
        // (coverage tools may add synthetic fields to a loaded class; they are not in any class file)
        List<java.lang.reflect.Field> fields = ordered.fields().stream().filter(f -> !f.isSynthetic()).toList();
        assertEquals(List.of("second", "first", "count", "label"),
                fields.stream().map(java.lang.reflect.Field::getName).toList());
        assertTrue(ordered.inClassFileOrder(fields.get(0)) && ordered.inClassFileOrder(fields.get(1)));
        assertTrue(!ordered.inClassFileOrder(fields.get(2)) && !ordered.inClassFileOrder(fields.get(3)));
        assertEquals("its class file does not list them; the loaded class differs from its class file",
                ordered.reason());
        Class<?> complete = new Fresh(Map.of()).loadClass(Pair.class.getName());
        FieldOrder.Ordered all = FieldOrder.declaredFields(complete);
        assertEquals(List.of("label", "first", "second", "count"), all.fields().stream()
                .filter(f -> !f.isSynthetic()).map(java.lang.reflect.Field::getName).toList());
        assertTrue(all.fields().stream().filter(f -> !f.isSynthetic()).allMatch(all::inClassFileOrder));
    }

    private static String reason(byte[] classFile) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> fresh(Pair.class, Map.of("Pair", classFile)).namedParameters());
        String m = e.getMessage();
        int start = m.indexOf("] (") + 3;
        int end = m.indexOf("), and without it");
        return m.substring(start, end);
    }

    private static byte[] realClassFile(Class<?> type) {
        String resource = type.getName().replace('.', '/') + ".class";
        try (InputStream in = FreshClassDiscoveryTest.class.getClassLoader().getResourceAsStream(resource)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------------------------------ crafted files

    /** A crafted class file whose field table lists {@code names}, after a constant pool of every kind. */
    private static byte[] classFile(List<String> names) {
        return crafted(names, -1).bytes;
    }

    /** Two fields, the second naming constant {@code nameIndex}. */
    private static byte[] classFileWithNameIndex(int nameIndex) {
        return crafted(List.of("first", "second"), nameIndex).bytes;
    }

    private record Crafted(byte[] bytes, int poolCount) {
    }

    /**
     * Writes a class file (JVMS 4.1) up to its field table: a constant pool with one entry of every tag (the
     * payloads zero, so a reader that skips a wrong number of bytes meets tag 0 and fails), two interfaces, and
     * fields with attributes of several lengths. The field names are the last Utf8 entries of the pool.
     */
    private static Crafted crafted(List<String> names, int secondNameIndex) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeInt(0xCAFEBABE);
            out.writeShort(0);
            out.writeShort(65);
            int[][] kinds = {
                {3, 4}, {4, 4}, {5, 8}, {6, 8}, {7, 2}, {8, 2}, {9, 4}, {10, 4}, {11, 4}, {12, 4}, {15, 3}, {16, 2},
                {17, 4}, {18, 4}, {19, 2}, {20, 2},
            };
            int count = 2;   // slot 0 is unused; slot 1 is the attribute name
            for (int[] k : kinds) {
                count += k[0] == 5 || k[0] == 6 ? 2 : 1;
            }
            int firstName = count;
            int poolCount = count + names.size();
            out.writeShort(poolCount);
            out.writeByte(1);
            out.writeUTF("Signature");
            int classIndex = -1;
            int index = 2;
            for (int[] k : kinds) {
                if (k[0] == 7) {
                    classIndex = index;
                }
                out.writeByte(k[0]);
                out.write(new byte[k[1]]);
                index += k[0] == 5 || k[0] == 6 ? 2 : 1;
            }
            for (String n : names) {
                out.writeByte(1);
                out.writeUTF(n);
            }
            out.writeShort(0x21);   // access flags
            out.writeShort(classIndex);
            out.writeShort(classIndex);
            out.writeShort(2);
            out.writeShort(classIndex);
            out.writeShort(classIndex);
            out.writeShort(names.size());
            for (int f = 0; f < names.size(); f++) {
                out.writeShort(1);   // public
                out.writeShort(f == 1 && secondNameIndex >= 0 ? secondNameIndex : firstName + f);
                out.writeShort(1);
                out.writeShort(2);   // attributes
                out.writeShort(1);
                out.writeInt(6);
                out.write(new byte[6]);
                out.writeShort(1);
                out.writeInt(0);
            }
            out.writeShort(0);   // methods (never read)
            int classIndexCheck = classIndex;
            assertTrue(classIndexCheck > 0);
            out.flush();
            return new Crafted(buffer.toByteArray(), poolCount);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
