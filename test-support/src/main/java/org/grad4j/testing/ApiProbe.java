package org.grad4j.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A reflective probe of a package's public API: every public constructor and method is called with one argument at
 * a time replaced by an awkward value (null, an overflowing size, NaN, an empty tensor...) while the others stay
 * sane, on receivers built from the public constructors. What may escape is the library's own kind of exception
 * ({@link IllegalArgumentException}, {@link IllegalStateException}, {@link UnsupportedOperationException}, a plain
 * {@link IndexOutOfBoundsException}, an {@link IOException} from a file method); anything else, such as a
 * {@link NullPointerException}, an {@link ArrayIndexOutOfBoundsException}, a {@link ClassCastException} or an
 * {@link Error}, is a leak.
 * <pre>{@code
 * ApiProbe p = new ApiProbe();
 * p.value(int.class, 2, List.of(-1, Integer.MAX_VALUE));     // a sane value, then the awkward ones
 * List<Class<?>> classes = ApiProbe.publicClasses(Module.class, "org.grad4j.nn");
 * p.instantiate(classes);
 * p.probe(classes, member -> false);
 * assertEquals("", String.join("\n", p.leaks()));
 * }</pre>
 */
public final class ApiProbe {
    /** Sane values by type, then awkward ones; each call gets fresh ones, so in-place methods cannot spoil them. */
    private final Map<Class<?>, Supplier<?>> sane = new HashMap<>();
    private final Map<Class<?>, List<Supplier<?>>> awkward = new HashMap<>();
    private final Map<Class<?>, Object> instances = new LinkedHashMap<>();
    private final TreeSet<String> leaks = new TreeSet<>();
    private int calls;

    /** Creates a probe that knows no values yet; register them with {@link #value}. */
    public ApiProbe() {
    }

    /** The leaks found so far, one line each: member, the awkward argument, and what escaped. */
    public List<String> leaks() {
        return new ArrayList<>(leaks);
    }

    /** How many calls the probe made so far (a test checks that the probe reached the API at all). */
    public int calls() {
        return calls;
    }

    /**
     * Registers a sane value for parameters of {@code type} and the awkward values tried in its place (null is
     * added for reference types).
     */
    public <T> void value(Class<T> type, T saneValue, List<?> awkwardValues) {
        List<Supplier<?>> suppliers = new ArrayList<>();
        for (Object v : awkwardValues) {
            suppliers.add(() -> v);
        }
        freshValue(type, () -> saneValue, suppliers);
    }

    /**
     * As {@link #value}, for mutable values (tensors that in-place methods would change): every call of a probed
     * member gets values made afresh by the suppliers.
     */
    public <T> void freshValue(Class<T> type, Supplier<? extends T> saneValue, List<Supplier<?>> awkwardValues) {
        sane.put(type, saneValue);
        List<Supplier<?>> all = new ArrayList<>();
        if (!type.isPrimitive()) {
            all.add(() -> null);
        }
        all.addAll(awkwardValues);
        awkward.put(type, all);
    }

    /** Public top-level and nested classes of {@code pkg} found in the directory or jar that holds {@code anchor}. */
    public static List<Class<?>> publicClasses(Class<?> anchor, String pkg) {
        try {
            Path root = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = root.resolve(pkg.replace('.', '/'));
            List<Class<?>> out = new ArrayList<>();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.sorted().toList()) {
                    String name = f.getFileName().toString();
                    if (name.endsWith(".class") && !name.equals("package-info.class")) {
                        Class<?> c = Class.forName(pkg + "." + name.substring(0, name.length() - 6));
                        if (isPublic(c)) {
                            out.add(c);
                        }
                    }
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException | ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isPublic(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            if (!Modifier.isPublic(k.getModifiers())) {
                return false;
            }
        }
        return !c.isAnonymousClass() && !c.isSynthetic();
    }

    /** Creates receivers: for each class, the first public constructor that accepts only sane values. */
    public void instantiate(List<Class<?>> classes) {
        for (Class<?> c : classes) {
            if (Modifier.isAbstract(c.getModifiers()) || c.isInterface() || c.isEnum()) {
                continue;
            }
            for (Constructor<?> k : c.getConstructors()) {
                Object[] args = saneArguments(k.getParameterTypes());
                if (args == null) {
                    continue;
                }
                try {
                    instances.put(c, k.newInstance(args));
                    break;
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // try the next constructor
                }
            }
        }
    }

    /** A sane instance for a type: a registered value, a created receiver, or null. */
    private Object saneOf(Class<?> type) {
        if (sane.containsKey(type)) {
            return sane.get(type).get();
        }
        for (Map.Entry<Class<?>, Object> e : instances.entrySet()) {
            if (type.isAssignableFrom(e.getKey())) {
                return e.getValue();
            }
        }
        if (type.isEnum()) {
            return type.getEnumConstants()[0];
        }
        return null;
    }

    private Object[] saneArguments(Class<?>[] types) {
        Object[] args = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            args[i] = saneOf(types[i]);
            if (args[i] == null) {
                return null;
            }
        }
        return args;
    }

    private List<Supplier<?>> awkwardOf(Class<?> type) {
        if (awkward.containsKey(type)) {
            return awkward.get(type);
        }
        List<Supplier<?>> out = new ArrayList<>();
        if (!type.isPrimitive()) {
            out.add(() -> null);
        }
        return out;
    }

    /**
     * Probes every public constructor and method of the classes. Abstract methods and the constructors of abstract
     * classes are left out: what would run is the probe's own stand-in (a lambda, a test subclass), not the library.
     */
    public void probe(List<Class<?>> classes, Function<Executable, Boolean> skip) {
        for (Class<?> c : classes) {
            List<Executable> members = new ArrayList<>();
            if (!Modifier.isAbstract(c.getModifiers())) {
                members.addAll(Arrays.asList(c.getConstructors()));
            }
            for (Method m : c.getMethods()) {
                if (m.getDeclaringClass() == c && !m.isSynthetic() && !m.isBridge()
                        && !Modifier.isAbstract(m.getModifiers())) {
                    members.add(m);
                }
            }
            for (Executable member : members) {
                if (skip.apply(member)) {
                    continue;
                }
                Object[] base = saneArguments(member.getParameterTypes());
                if (base == null) {
                    continue;
                }
                boolean isStatic = Modifier.isStatic(member.getModifiers()) || member instanceof Constructor;
                Object receiver = isStatic ? null : saneOf(c);
                if (!isStatic && receiver == null) {
                    continue;
                }
                call(member, receiver, base, "sane arguments");
                Class<?>[] types = member.getParameterTypes();
                for (int i = 0; i < types.length; i++) {
                    for (Supplier<?> bad : awkwardOf(types[i])) {
                        Object[] args = saneArguments(types);
                        args[i] = bad.get();
                        String what = "argument " + i + " = " + describe(args[i]);
                        call(member, isStatic ? null : saneOf(c), args, what);
                    }
                }
            }
        }
    }

    private void call(Executable member, Object receiver, Object[] args, String what) {
        calls++;
        try {
            if (member instanceof Constructor<?> k) {
                k.newInstance(args);
            } else {
                ((Method) member).invoke(receiver, args);
            }
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (!allowed(cause)) {
                leaks.add(member.getDeclaringClass().getSimpleName() + "." + signature(member) + " with " + what
                        + ": " + cause);
            }
        } catch (ReflectiveOperationException | IllegalArgumentException e) {
            leaks.add(member + ": the probe cannot call it with " + what + ": " + e);
        }
    }

    private static boolean allowed(Throwable t) {
        if (t instanceof ArrayIndexOutOfBoundsException || t instanceof StringIndexOutOfBoundsException) {
            return false;
        }
        return t instanceof IllegalArgumentException || t instanceof IllegalStateException
                || t instanceof UnsupportedOperationException || t instanceof IndexOutOfBoundsException
                || t instanceof IOException || t instanceof java.util.NoSuchElementException;
    }

    private static String signature(Executable m) {
        StringBuilder s = new StringBuilder(m instanceof Constructor ? "<init>" : m.getName()).append('(');
        Class<?>[] types = m.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            s.append(i == 0 ? "" : ", ").append(types[i].getSimpleName());
        }
        return s.append(')').toString();
    }

    private static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof int[] a) {
            return Arrays.toString(a);
        }
        if (v instanceof double[] a) {
            return Arrays.toString(a);
        }
        if (v instanceof Object[] a) {
            return Arrays.deepToString(a);
        }
        String s = v.toString();
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
