package org.grad4j.nn;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.grad4j.core.Tensor;

/**
 * Discovery: which fields of a module class hold its parameters, buffers and children, and reading (or replacing)
 * their values on one module. The per-class analysis is cached; values are read on every call, so reassigning a
 * field is seen at once.
 */
final class ModuleFields {
    private ModuleFields() {
    }

    /** What a named entry of a module is. */
    enum Kind { PARAMETER, BUFFER, MODULE }

    /** One named entry of a module: a parameter or buffer ({@code Tensor}) or a child ({@code Module}). */
    record Entry(String name, Kind kind, Object value) {
    }

    private enum Container { SINGLE, ARRAY, LIST, MAP }

    private record Slot(Field field, Kind kind, Container container) {
    }

    private static final ClassValue<List<Slot>> SLOTS = new ClassValue<>() {
        @Override
        protected List<Slot> computeValue(Class<?> type) {
            return slotsOf(type);
        }
    };

    /** Whether {@code name} is the name of a discovered field of {@code type}. */
    static boolean isFieldName(Class<?> type, String name) {
        for (Slot s : SLOTS.get(type)) {
            if (s.field.getName().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static List<Slot> slotsOf(Class<?> type) {
        List<Class<?>> chain = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Module.class; c = c.getSuperclass()) {
            chain.add(0, c);
        }
        List<Slot> slots = new ArrayList<>();
        Map<String, Class<?>> seen = new LinkedHashMap<>();
        for (Class<?> c : chain) {
            FieldOrder.Ordered ordered = FieldOrder.declaredFields(c);
            List<Slot> own = new ArrayList<>();
            for (Field f : ordered.fields()) {
                int mods = f.getModifiers();
                if (Modifier.isStatic(mods) || Modifier.isTransient(mods) || f.isSynthetic()) {
                    continue;
                }
                Slot slot = classify(f);
                if (slot == null) {
                    if (f.isAnnotationPresent(Buffer.class)) {
                        throw new IllegalStateException("@Buffer on " + c.getName() + "." + f.getName()
                                + ": only Tensor fields (or arrays, Lists, Maps of Tensor) can be buffers");
                    }
                    continue;
                }
                Class<?> previous = seen.put(f.getName(), c);
                if (previous != null) {
                    throw new IllegalStateException(type.getName() + ": field '" + f.getName() + "' is declared in "
                            + previous.getName() + " and again in " + c.getName() + "; the state dict needs unique"
                            + " names, so rename one (or mark it transient)");
                }
                own.add(slot);
            }
            List<String> unordered = new ArrayList<>();
            for (Slot s : own) {
                if (!ordered.inClassFileOrder(s.field)) {
                    unordered.add(s.field.getName());
                }
            }
            // One state field needs no order; two or more whose order is unknown would silently reorder the state dict.
            if (own.size() > 1 && !unordered.isEmpty()) {
                throw new IllegalStateException(c.getName() + ": cannot read the declaration order of its state"
                        + " fields " + unordered + " (" + ordered.reason() + "), and without it the order of"
                        + " parameters in the state dict and in optimizers is not defined. Fix: mark the fields"
                        + " transient and register them explicitly in the constructor (registerParameter,"
                        + " registerBuffer, registerModule), or define the class from a class file");
            }
            for (Slot s : own) {
                try {
                    s.field.setAccessible(true);
                } catch (RuntimeException e) {
                    throw new IllegalStateException("cannot read field " + c.getName() + "." + s.field.getName()
                            + " (" + e.getMessage() + "); open its package to org.grad4j.nn (module-info: opens "
                            + c.getPackageName() + " to org.grad4j.nn;) or register it explicitly", e);
                }
            }
            slots.addAll(own);
        }
        return List.copyOf(slots);
    }

    private static Slot classify(Field f) {
        boolean buffer = f.isAnnotationPresent(Buffer.class);
        Class<?> type = f.getType();
        Kind single = kindOf(type, buffer);
        if (single != null) {
            return checkBuffer(f, new Slot(f, single, Container.SINGLE));
        }
        if (type.isArray()) {
            Kind k = kindOf(type.getComponentType(), buffer);
            return k == null ? null : checkBuffer(f, new Slot(f, k, Container.ARRAY));
        }
        Type generic = f.getGenericType();
        if (List.class.isAssignableFrom(type) && generic instanceof ParameterizedType p
                && p.getActualTypeArguments().length == 1) {
            Kind k = kindOf(rawClass(p.getActualTypeArguments()[0]), buffer);
            return k == null ? null : checkBuffer(f, new Slot(f, k, Container.LIST));
        }
        if (Map.class.isAssignableFrom(type) && generic instanceof ParameterizedType p
                && p.getActualTypeArguments().length == 2) {
            Kind k = kindOf(rawClass(p.getActualTypeArguments()[1]), buffer);
            return k == null ? null : checkBuffer(f, new Slot(f, k, Container.MAP));
        }
        return null;
    }

    private static Slot checkBuffer(Field f, Slot slot) {
        if (slot.kind == Kind.MODULE && f.isAnnotationPresent(Buffer.class)) {
            throw new IllegalStateException("@Buffer on " + f.getDeclaringClass().getName() + "." + f.getName()
                    + ": a module cannot be a buffer; only Tensor fields can");
        }
        return slot;
    }

    private static Kind kindOf(Class<?> type, boolean buffer) {
        if (type == null) {
            return null;
        }
        if (type == Tensor.class) {
            return buffer ? Kind.BUFFER : Kind.PARAMETER;
        }
        return Module.class.isAssignableFrom(type) ? Kind.MODULE : null;
    }

    private static Class<?> rawClass(Type t) {
        if (t instanceof Class<?> c) {
            return c;
        }
        if (t instanceof ParameterizedType p) {
            return rawClass(p.getRawType());
        }
        if (t instanceof WildcardType w) {
            return rawClass(w.getUpperBounds()[0]);
        }
        if (t instanceof TypeVariable<?> v) {
            return rawClass(v.getBounds()[0]);
        }
        return null;
    }

    /** The module's own entries: discovered fields in declaration order, then its explicit registrations. */
    static List<Entry> entries(Module module, Map<String, Entry> registered) {
        List<Entry> out = new ArrayList<>();
        for (Slot s : SLOTS.get(module.getClass())) {
            Object v = read(s.field, module);
            if (v == null) {
                continue;
            }
            String n = s.field.getName();
            switch (s.container) {
                case SINGLE -> addEntry(module, out, n, s.kind, v, s.field);
                case ARRAY -> {
                    for (int i = 0; i < Array.getLength(v); i++) {
                        addEntry(module, out, n + "." + i, s.kind, Array.get(v, i), s.field);
                    }
                }
                case LIST -> {
                    int i = 0;
                    for (Object e : (List<?>) v) {
                        addEntry(module, out, n + "." + i++, s.kind, e, s.field);
                    }
                }
                case MAP -> {
                    for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                        addEntry(module, out, n + "." + mapKey(module, n, e.getKey()), s.kind, e.getValue(),
                                s.field);
                    }
                }
            }
        }
        out.addAll(registered.values());
        return out;
    }

    private static String mapKey(Module module, String field, Object key) {
        String text = String.valueOf(key);
        if (key == null || text.isEmpty() || text.contains(".")) {
            throw new IllegalStateException(module.name() + "." + field + ": map key '" + text + "' cannot name"
                    + " a state entry (keys must be non-null, non-empty and contain no '.')");
        }
        return text;
    }

    private static Object read(Field field, Module module) {
        try {
            return field.get(module);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read " + field, e);
        }
    }

    private static void addEntry(Module module, List<Entry> out, String entryName, Kind kind, Object value,
                                 Field field) {
        if (value == null) {
            return;
        }
        boolean ok = kind == Kind.MODULE ? value instanceof Module : value instanceof Tensor;
        if (!ok) {
            throw new IllegalStateException(module.name() + "." + entryName + " (field " + field.getName()
                    + ") holds a " + value.getClass().getName() + " where a "
                    + (kind == Kind.MODULE ? "Module" : "Tensor") + " was declared");
        }
        if (kind == Kind.PARAMETER && !((Tensor) value).isLeaf()) {
            throw new IllegalStateException(module.name() + "." + entryName + " is a parameter but not a leaf tensor"
                    + " (it was produced by '" + ((Tensor) value).gradFnName() + "'). Parameters must be leaves:"
                    + " create it with requiresGrad(true), or mark the field transient if it is derived from other"
                    + " state");
        }
        out.add(new Entry(entryName, kind, value));
    }

    /**
     * Replaces every tensor (parameter or buffer) of the module by {@code convert.apply(tensor)}, wherever it is
     * held: a field, an array or list element, a map value or an explicit registration. Lists and maps must be
     * modifiable; this is checked for all of them before anything is replaced.
     */
    static void replaceTensors(Module module, Map<String, Entry> registered, UnaryOperator<Tensor> convert) {
        List<Slot> slots = SLOTS.get(module.getClass());
        for (Slot s : slots) {
            if (s.kind == Kind.MODULE) {
                continue;
            }
            Object v = read(s.field, module);
            if (s.container == Container.LIST && v != null && !((List<?>) v).isEmpty()) {
                try {
                    @SuppressWarnings("unchecked")
                    List<Object> list = (List<Object>) v;
                    list.set(0, list.get(0));
                } catch (UnsupportedOperationException e) {
                    throw new IllegalStateException(module.name() + "." + s.field.getName() + ": the list of tensors"
                            + " cannot be modified, so its tensors cannot be converted; hold them in an ArrayList");
                }
            }
            if (s.container == Container.MAP && v != null && !((Map<?, ?>) v).isEmpty()) {
                try {
                    @SuppressWarnings("unchecked")
                    Map.Entry<Object, Object> first = ((Map<Object, Object>) v).entrySet().iterator().next();
                    first.setValue(first.getValue());
                } catch (UnsupportedOperationException e) {
                    throw new IllegalStateException(module.name() + "." + s.field.getName() + ": the map of tensors"
                            + " cannot be modified, so its tensors cannot be converted; hold them in a LinkedHashMap");
                }
            }
        }
        for (Slot s : slots) {
            if (s.kind == Kind.MODULE) {
                continue;
            }
            Object v = read(s.field, module);
            if (v == null) {
                continue;
            }
            switch (s.container) {
                case SINGLE -> write(s.field, module, convert.apply((Tensor) v));
                case ARRAY -> {
                    for (int i = 0; i < Array.getLength(v); i++) {
                        Object e = Array.get(v, i);
                        if (e != null) {
                            Array.set(v, i, convert.apply((Tensor) e));
                        }
                    }
                }
                case LIST -> {
                    @SuppressWarnings("unchecked")
                    List<Object> list = (List<Object>) v;
                    for (int i = 0; i < list.size(); i++) {
                        if (list.get(i) != null) {
                            list.set(i, convert.apply((Tensor) list.get(i)));
                        }
                    }
                }
                case MAP -> {
                    @SuppressWarnings("unchecked")
                    Map<Object, Object> map = (Map<Object, Object>) v;
                    for (Map.Entry<Object, Object> e : map.entrySet()) {
                        if (e.getValue() != null) {
                            e.setValue(convert.apply((Tensor) e.getValue()));
                        }
                    }
                }
            }
        }
        for (Map.Entry<String, Entry> e : registered.entrySet()) {
            Entry old = e.getValue();
            if (old.kind() != Kind.MODULE) {
                e.setValue(new Entry(old.name(), old.kind(), convert.apply((Tensor) old.value())));
            }
        }
    }

    private static void write(Field field, Module module, Object value) {
        try {
            field.set(module, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot write " + field + " (a final field of a record or hidden class"
                    + " cannot be replaced; hold the tensor in a non-final field)", e);
        }
    }
}
