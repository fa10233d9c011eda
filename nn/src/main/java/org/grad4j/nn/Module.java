package org.grad4j.nn;

import java.io.IOException;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.grad4j.core.DType;
import org.grad4j.core.Grad;
import org.grad4j.core.Tensor;

/**
 * Base class of layers and models, as PyTorch's {@code nn.Module}: it finds its parameters, buffers and sub-modules
 * by itself, switches train/eval mode, clears gradients, prints itself and saves and loads its state.
 *
 * <pre>{@code
 * class Mlp extends Module {
 *     final Linear hidden = new Linear(2, 8);         // a sub-module: its parameters are hidden.weight, hidden.bias
 *     final Linear out = new Linear(8, 1);
 *     final Tensor scale = Tensor.ones(1).requiresGrad(true);   // a parameter of Mlp itself
 *
 *     public Tensor forward(Tensor x) {
 *         return out.forward(hidden.forward(x).tanh()).mul(scale);
 *     }
 * }
 * Mlp model = new Mlp();
 * model.namedParameters().keySet();   // [scale, hidden.weight, hidden.bias, out.weight, out.bias]
 * model.save(Path.of("mlp.safetensors"));
 * }</pre>
 *
 * <h2>Discovery</h2>
 * A subclass declares its state as ordinary instance fields; nothing needs registering. The fields of the
 * subclass and its superclasses (up to {@code Module}) are inspected by their declared type:
 * <ul>
 *   <li>{@code Tensor}: a parameter, or a buffer if annotated {@link Buffer @Buffer};</li>
 *   <li>a {@code Module} type: a child module;</li>
 *   <li>an array, {@code List} or {@code Map} whose element (value) type is {@code Tensor} or a {@code Module} type:
 *       one parameter, buffer or child per element, named {@code field.index} ({@code field.key} for a map), so a
 *       {@code List<Linear> layers} gives {@code layers.0.weight} as a PyTorch {@code ModuleList} does.</li>
 * </ul>
 * Static, {@code transient} and synthetic fields are skipped, and so are fields holding null (an absent bias).
 * Mark a tensor field {@code transient} to keep a cache or a constant out of the state. Fields are read on every
 * call, so reassigning a field is seen at once. A tensor field is a parameter whether or not it requires grad, so a
 * frozen parameter ({@code requiresGrad(false)}) is still saved, loaded and counted; a parameter must be a leaf.
 *
 * <p><b>Order.</b> {@link #namedParameters()}, {@link #stateDict()} and the printed tree follow declaration order
 * (superclass fields first), then the order of explicit registrations. Declaration order is read from the class
 * file, because {@link Class#getDeclaredFields()} promises no order; for a class without a class file (defined at
 * run time) the fields are sorted by name instead. Elements of a map follow its iteration order (use a
 * {@code LinkedHashMap} or {@code TreeMap}). Like PyTorch, a module lists its own parameters before those of its
 * children, and the state dict holds each module's parameters, then its buffers, then its children's.
 *
 * <p><b>Explicit registration</b> ({@link #registerParameter}, {@link #registerBuffer}, {@link #registerModule})
 * serves entries whose number or names are computed at run time, as {@link Sequential} does.
 *
 * <p><b>Importing.</b> {@code java.lang.Module} exists too, so import this class by name
 * ({@code import org.grad4j.nn.Module;}): with only {@code import org.grad4j.nn.*;} the name is ambiguous.
 *
 * <p><b>Access.</b> Fields are read by reflection. On the class path this needs nothing; in a named JPMS module,
 * open the package to {@code org.grad4j.nn} ({@code opens my.pkg to org.grad4j.nn;}).
 *
 * <h2>Forward</h2>
 * A layer implements {@link #forward(Tensor)}. A module with several inputs overrides {@link #forward(Tensor...)}
 * as well (and makes the one-input form explain itself); losses implement {@link Loss#forward(Tensor, Tensor)}.
 * <pre>{@code
 * class Bilinear extends Module {
 *     final Linear left = new Linear(4, 2), right = new Linear(3, 2);
 *     public Tensor forward(Tensor... in) { return left.forward(in[0]).mul(right.forward(in[1])); }
 *     public Tensor forward(Tensor x) { throw new IllegalArgumentException("Bilinear takes (x, y)"); }
 * }
 * Tensor z = new Bilinear().forward(x, y);
 * }</pre>
 */
public abstract class Module {
    private boolean training = true;
    private final Map<String, Entry> registered = new LinkedHashMap<>();

    /** Creates a module in training mode. */
    protected Module() {
    }

    // --------------------------------------------------------------------------------------------------- forward

    /** Computes the output for one input. */
    public abstract Tensor forward(Tensor input);

    /**
     * Computes the output for several inputs. The default accepts exactly one input and calls
     * {@link #forward(Tensor)}; multi-input modules override this.
     */
    public Tensor forward(Tensor... inputs) {
        if (inputs.length != 1) {
            throw new IllegalArgumentException(name() + ".forward takes one input, got " + inputs.length
                    + "; a module with several inputs overrides forward(Tensor...)");
        }
        return forward(inputs[0]);
    }

    // --------------------------------------------------------------------------------------------------- discovery

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

    private static List<Slot> slotsOf(Class<?> type) {
        List<Class<?>> chain = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Module.class; c = c.getSuperclass()) {
            chain.add(0, c);
        }
        List<Slot> slots = new ArrayList<>();
        Map<String, Class<?>> seen = new LinkedHashMap<>();
        for (Class<?> c : chain) {
            for (Field f : FieldOrder.declaredFields(c)) {
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
                try {
                    f.setAccessible(true);
                } catch (RuntimeException e) {
                    throw new IllegalStateException("cannot read field " + c.getName() + "." + f.getName() + " ("
                            + e.getMessage() + "); open its package to org.grad4j.nn (module-info: opens "
                            + c.getPackageName() + " to org.grad4j.nn;) or register it explicitly", e);
                }
                slots.add(slot);
            }
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

    /** This module's own entries: discovered fields in declaration order, then explicit registrations. */
    List<Entry> ownEntries() {
        List<Entry> out = new ArrayList<>();
        for (Slot s : SLOTS.get(getClass())) {
            Object v;
            try {
                v = s.field.get(this);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot read " + s.field, e);
            }
            if (v == null) {
                continue;
            }
            String n = s.field.getName();
            switch (s.container) {
                case SINGLE -> addEntry(out, n, s.kind, v, s.field);
                case ARRAY -> {
                    for (int i = 0; i < Array.getLength(v); i++) {
                        addEntry(out, n + "." + i, s.kind, Array.get(v, i), s.field);
                    }
                }
                case LIST -> {
                    int i = 0;
                    for (Object e : (List<?>) v) {
                        addEntry(out, n + "." + i++, s.kind, e, s.field);
                    }
                }
                case MAP -> {
                    for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                        String key = String.valueOf(e.getKey());
                        if (e.getKey() == null || key.isEmpty() || key.contains(".")) {
                            throw new IllegalStateException(name() + "." + n + ": map key '" + key + "' cannot name"
                                    + " a state entry (keys must be non-null, non-empty and contain no '.')");
                        }
                        addEntry(out, n + "." + key, s.kind, e.getValue(), s.field);
                    }
                }
            }
        }
        out.addAll(registered.values());
        return out;
    }

    private void addEntry(List<Entry> out, String entryName, Kind kind, Object value, Field field) {
        if (value == null) {
            return;
        }
        boolean ok = kind == Kind.MODULE ? value instanceof Module : value instanceof Tensor;
        if (!ok) {
            throw new IllegalStateException(name() + "." + entryName + " (field " + field.getName() + ") holds a "
                    + value.getClass().getName() + " where a " + (kind == Kind.MODULE ? "Module" : "Tensor")
                    + " was declared");
        }
        if (kind == Kind.PARAMETER && !((Tensor) value).isLeaf()) {
            throw new IllegalStateException(name() + "." + entryName + " is a parameter but not a leaf tensor (it"
                    + " was produced by '" + ((Tensor) value).gradFnName() + "'). Parameters must be leaves: create"
                    + " it with requiresGrad(true), or mark the field transient if it is derived from other state");
        }
        out.add(new Entry(entryName, kind, value));
    }

    // --------------------------------------------------------------------------------------------------- registration

    /** Adds a parameter under {@code name} (after the discovered fields); returns it. */
    public Tensor registerParameter(String name, Tensor parameter) {
        return register(name, Kind.PARAMETER, parameter);
    }

    /** Adds a buffer (saved state that is not trained) under {@code name}; returns it. */
    public Tensor registerBuffer(String name, Tensor buffer) {
        return register(name, Kind.BUFFER, buffer);
    }

    /** Adds a child module under {@code name}; returns it. */
    public <M extends Module> M registerModule(String name, M module) {
        return register(name, Kind.MODULE, module);
    }

    private <T> T register(String entryName, Kind kind, T value) {
        if (value == null) {
            throw new IllegalArgumentException(name() + ": cannot register null under '" + entryName + "'");
        }
        if (entryName == null || entryName.isEmpty() || entryName.contains(".")) {
            throw new IllegalArgumentException(name() + ": invalid name '" + entryName
                    + "' (names must be non-empty and contain no '.')");
        }
        if (value == this) {
            throw new IllegalArgumentException(name() + ": a module cannot be its own child");
        }
        if (registered.containsKey(entryName)) {
            throw new IllegalArgumentException(name() + ": '" + entryName + "' is already registered");
        }
        for (Slot s : SLOTS.get(getClass())) {
            if (s.field.getName().equals(entryName)) {
                throw new IllegalArgumentException(name() + ": '" + entryName + "' is already the name of a field");
            }
        }
        registered.put(entryName, new Entry(entryName, kind, value));
        return value;
    }

    // --------------------------------------------------------------------------------------------------- traversal

    /** All modules under this one in pre-order, with dotted paths; shared modules once (dedupe) or on each path. */
    private List<Map.Entry<String, Module>> modules(boolean dedupe) {
        List<Map.Entry<String, Module>> out = new ArrayList<>();
        collect("", this, Collections.newSetFromMap(new IdentityHashMap<>()),
                Collections.newSetFromMap(new IdentityHashMap<>()), dedupe, out);
        return out;
    }

    private static void collect(String path, Module m, Set<Module> ancestors, Set<Module> seen, boolean dedupe,
                                List<Map.Entry<String, Module>> out) {
        if (ancestors.contains(m)) {
            throw new IllegalStateException("module cycle: '" + path + "' (" + m.name() + ") contains itself; a"
                    + " module must not hold a reference to one of its ancestors (mark such a field transient)");
        }
        if (dedupe && !seen.add(m)) {
            return;
        }
        out.add(Map.entry(path, m));
        ancestors.add(m);
        for (Entry e : m.ownEntries()) {
            if (e.kind == Kind.MODULE) {
                collect(path.isEmpty() ? e.name : path + "." + e.name, (Module) e.value, ancestors, seen, dedupe,
                        out);
            }
        }
        ancestors.remove(m);
    }

    private static String qualify(String prefix, String entryName) {
        return prefix.isEmpty() ? entryName : prefix + "." + entryName;
    }

    /**
     * Parameters by dotted name ({@code layers.0.weight}), each tensor once (a shared tensor under its first name),
     * in the documented order. The map is unmodifiable; the tensors are the live parameters.
     */
    public Map<String, Tensor> namedParameters() {
        return namedTensors(Kind.PARAMETER);
    }

    /** The tensors of {@link #namedParameters()}, in the same order. */
    public List<Tensor> parameters() {
        return List.copyOf(namedParameters().values());
    }

    /** Buffers by dotted name, each tensor once. */
    public Map<String, Tensor> namedBuffers() {
        return namedTensors(Kind.BUFFER);
    }

    /** The tensors of {@link #namedBuffers()}, in the same order. */
    public List<Tensor> buffers() {
        return List.copyOf(namedBuffers().values());
    }

    private Map<String, Tensor> namedTensors(Kind kind) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Map.Entry<String, Module> m : modules(true)) {
            for (Entry e : m.getValue().ownEntries()) {
                if (e.kind == kind && seen.add((Tensor) e.value)) {
                    out.put(qualify(m.getKey(), e.name), (Tensor) e.value);
                }
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** Direct sub-modules by name, in order, each once. */
    public Map<String, Module> namedChildren() {
        Map<String, Module> out = new LinkedHashMap<>();
        Set<Module> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Entry e : ownEntries()) {
            if (e.kind == Kind.MODULE && seen.add((Module) e.value)) {
                out.put(e.name, (Module) e.value);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** The modules of {@link #namedChildren()}. */
    public List<Module> children() {
        return List.copyOf(namedChildren().values());
    }

    /** This module (under the name {@code ""}) and all modules below it, in pre-order, each once. */
    public Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        for (Map.Entry<String, Module> m : modules(true)) {
            out.put(m.getKey(), m.getValue());
        }
        return Collections.unmodifiableMap(out);
    }

    /** Calls {@code fn} on every sub-module (children first) and then on this one, as PyTorch's {@code apply}. */
    public Module apply(Consumer<Module> fn) {
        List<Map.Entry<String, Module>> all = modules(true);
        for (int i = all.size() - 1; i >= 0; i--) {
            fn.accept(all.get(i).getValue());
        }
        return this;
    }

    /** Number of parameter elements (each shared tensor counted once). */
    public long parameterCount() {
        long n = 0;
        for (Tensor p : parameters()) n += p.numel();
        return n;
    }

    // --------------------------------------------------------------------------------------------------- modes, grads

    /** Sets training mode on this module and every sub-module (it affects {@link Dropout}); returns this. */
    public Module train(boolean mode) {
        modules(true); // fails fast on a cycle before recursing
        this.training = mode;
        for (Module child : children()) {
            child.train(mode);
        }
        return this;
    }

    /** {@code train(true)}. */
    public Module train() {
        return train(true);
    }

    /** {@code train(false)}: evaluation mode (dropout off). */
    public Module eval() {
        return train(false);
    }

    /** Whether this module is in training mode (the default). */
    public boolean isTraining() {
        return training;
    }

    /** Clears the gradient of every parameter (sets it to null, as {@code zero_grad(set_to_none=True)}). */
    public void zeroGrad() {
        for (Tensor p : parameters()) {
            p.zeroGrad();
        }
    }

    /** Sets {@code requiresGrad} on every parameter: false freezes the module, true unfreezes it; returns this. */
    public Module requiresGrad(boolean requiresGrad) {
        for (Tensor p : parameters()) {
            p.requiresGrad(requiresGrad);
        }
        return this;
    }

    // --------------------------------------------------------------------------------------------------- state dict

    /**
     * Parameters and buffers by dotted name, in the documented order (a tensor shared by two modules appears under
     * both names, as in PyTorch). The values are detached tensors that share storage with the module: copy them if
     * a later update must not show through.
     */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Module> m : modules(false)) {
            List<Entry> entries = m.getValue().ownEntries();
            for (Kind kind : new Kind[] {Kind.PARAMETER, Kind.BUFFER}) {
                for (Entry e : entries) {
                    if (e.kind == kind) {
                        out.put(qualify(m.getKey(), e.name), ((Tensor) e.value).detach());
                    }
                }
            }
        }
        return out;
    }

    /** What a non-strict load skipped. */
    public record LoadResult(List<String> missingKeys, List<String> unexpectedKeys) {
        public LoadResult {
            missingKeys = List.copyOf(missingKeys);
            unexpectedKeys = List.copyOf(unexpectedKeys);
        }
    }

    /** {@code loadStateDict(state, true)}. */
    public LoadResult loadStateDict(Map<String, Tensor> state) {
        return loadStateDict(state, true);
    }

    /**
     * Copies values from {@code state} into this module's parameters and buffers (in no-grad mode, keeping the
     * module's tensors, so optimizers holding them see the new values).
     *
     * <p>Everything is checked first and nothing is copied unless all checks pass, so on an exception the module is
     * unchanged. Shapes and dtypes must match exactly for every key present in both (also when not strict; convert
     * with {@code .to(DType)} if needed). With {@code strict}, the key sets must also be equal; without it, missing
     * and unexpected keys are skipped and returned.
     *
     * @throws StateDictException listing every missing or unexpected key (strict) and every shape or dtype mismatch
     */
    public LoadResult loadStateDict(Map<String, Tensor> state, boolean strict) {
        return loadStateDict(state, strict, "loadStateDict");
    }

    LoadResult loadStateDict(Map<String, Tensor> state, boolean strict, String source) {
        Map<String, Tensor> target = stateDict();
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        List<String> mismatches = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : target.entrySet()) {
            String key = e.getKey();
            if (!state.containsKey(key)) {
                missing.add(key);
                continue;
            }
            Tensor src = state.get(key);
            Tensor dst = e.getValue();
            if (src == null) {
                mismatches.add(key + ": the value is null");
            } else if (!Arrays.equals(src.shape(), dst.shape())) {
                mismatches.add(key + ": shape " + Arrays.toString(src.shape()) + " in the state dict, "
                        + Arrays.toString(dst.shape()) + " in the model");
            } else if (src.dtype() != dst.dtype()) {
                mismatches.add(key + ": dtype " + src.dtype() + " in the state dict, " + dst.dtype()
                        + " in the model (convert with .to(DType." + dst.dtype().name() + "))");
            } else if (hasOverlap(dst)) {
                mismatches.add(key + ": the model's tensor is an expanded view (strides "
                        + Arrays.toString(dst.strides()) + ") and cannot be written");
            }
        }
        for (String key : state.keySet()) {
            if (!target.containsKey(key)) {
                unexpected.add(key);
            }
        }
        boolean keyProblem = strict && (!missing.isEmpty() || !unexpected.isEmpty());
        if (keyProblem || !mismatches.isEmpty()) {
            StringBuilder msg = new StringBuilder(source).append(": the state dict does not fit ").append(name())
                    .append("; nothing was loaded");
            if (strict && !missing.isEmpty()) {
                msg.append("\n  missing keys (in the model, not in the state dict): ").append(String.join(", ", missing));
            }
            if (strict && !unexpected.isEmpty()) {
                msg.append("\n  unexpected keys (in the state dict, not in the model): ")
                        .append(String.join(", ", unexpected));
            }
            for (String m : mismatches) {
                msg.append("\n  ").append(m);
            }
            if (keyProblem) {
                msg.append("\n  (load with strict = false to skip missing and unexpected keys)");
            }
            throw new StateDictException(msg.toString(), strict ? missing : List.of(),
                    strict ? unexpected : List.of(), mismatches);
        }
        try (Grad.Scope off = Grad.disabled()) {
            for (Map.Entry<String, Tensor> e : target.entrySet()) {
                Tensor src = state.get(e.getKey());
                if (src != null) {
                    e.getValue().copyFrom(src);
                }
            }
        }
        return new LoadResult(missing, unexpected);
    }

    private static boolean hasOverlap(Tensor t) {
        int[] shape = t.shape();
        int[] strides = t.strides();
        for (int d = 0; d < shape.length; d++) {
            if (strides[d] == 0 && shape[d] > 1) {
                return true;
            }
        }
        return false;
    }

    // --------------------------------------------------------------------------------------------------- checkpoints

    /**
     * Writes {@link #stateDict()} to a safetensors file (atomically: a crash leaves the old file or the new one),
     * with metadata {@code grad4j.module} = this module's class name.
     */
    public void save(Path file) throws IOException {
        save(file, Map.of());
    }

    /** Like {@link #save(Path)}, adding {@code metadata} (string pairs stored in the file's header). */
    public void save(Path file, Map<String, String> metadata) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("grad4j.module", getClass().getName());
        meta.putAll(metadata);
        StateDicts.save(file, stateDict(), meta);
    }

    /** {@code load(file, true)}. */
    public LoadResult load(Path file) throws IOException {
        return load(file, true);
    }

    /**
     * Loads a file written by {@link #save(Path)} (or any safetensors file of tensors with matching names and dtypes).
     * The whole file is read and checked against this module before anything is copied: on any failure the module
     * is unchanged.
     *
     * @throws org.grad4j.core.io.SafeTensorsFormatException if the file is malformed or truncated
     * @throws StateDictException if its keys, shapes or dtypes do not fit (the message names the file)
     * @throws IOException if the file cannot be read
     */
    public LoadResult load(Path file, boolean strict) throws IOException {
        StateDicts.Loaded loaded = StateDicts.load(file);
        return loadStateDict(loaded.tensors(), strict, file.toString());
    }

    // --------------------------------------------------------------------------------------------------- printing

    /** The class's simple name (used in printing and messages). */
    String name() {
        String simple = getClass().getSimpleName();
        if (!simple.isEmpty()) {
            return simple;
        }
        String full = getClass().getName();
        return full.substring(full.lastIndexOf('.') + 1);
    }

    /** Configuration shown between the parentheses of {@link #toString()}, e.g. {@code inFeatures=2, ...}. */
    protected String extraRepr() {
        return "";
    }

    /**
     * The module tree in PyTorch's style, with each module's tensors (shape, and dtype when not float32) and
     * parameter counts:
     * <pre>
     * Sequential(
     *   (0): Linear(inFeatures=2, outFeatures=8, bias=true)  weight [8, 2], bias [8]  (24 params)
     *   (1): Tanh()
     *   (2): Linear(inFeatures=8, outFeatures=1, bias=true)  weight [1, 8], bias [1]  (9 params)
     * )  (33 params)
     * </pre>
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        try {
            appendTree(sb, "", Collections.newSetFromMap(new IdentityHashMap<>()));
        } catch (RuntimeException e) {   // printing must not fail, e.g. in a debugger, on a malformed module
            return name() + "(<cannot print: " + e.getMessage() + ">)";
        }
        return sb.toString();
    }

    private void appendTree(StringBuilder sb, String indent, Set<Module> ancestors) {
        if (!ancestors.add(this)) {
            sb.append(name()).append("(<cycle>)");
            return;
        }
        List<Entry> entries = ownEntries();
        boolean hasChildren = entries.stream().anyMatch(e -> e.kind == Kind.MODULE);
        String extra = extraRepr();
        if (!hasChildren) {
            sb.append(name()).append('(').append(extra).append(')');
            List<String> tensors = new ArrayList<>();
            for (Entry e : entries) {
                tensors.add(describe(e));
            }
            if (!tensors.isEmpty()) {
                sb.append("  ").append(String.join(", ", tensors));
            }
        } else {
            sb.append(name()).append("(\n");
            String inner = indent + "  ";
            if (!extra.isEmpty()) {
                sb.append(inner).append(extra).append('\n');
            }
            for (Entry e : entries) {
                sb.append(inner).append('(').append(e.name).append("): ");
                if (e.kind == Kind.MODULE) {
                    ((Module) e.value).appendTree(sb, inner, ancestors);
                } else {
                    sb.append(e.kind == Kind.PARAMETER ? "Parameter" : "Buffer").append(' ')
                            .append(describe(e).substring(e.name.length() + 1).replace(" (buffer)", ""));
                }
                sb.append('\n');
            }
            sb.append(indent).append(')');
        }
        sb.append(countSuffix());
        ancestors.remove(this);
    }

    private static String describe(Entry e) {
        Tensor t = (Tensor) e.value;
        StringBuilder s = new StringBuilder(e.name).append(' ').append(Arrays.toString(t.shape()));
        if (t.dtype() != DType.FLOAT32) {
            s.append(' ').append(t.dtype());
        }
        if (e.kind == Kind.BUFFER) {
            s.append(" (buffer)");
        } else if (!t.requiresGrad()) {
            s.append(" (frozen)");
        }
        return s.toString();
    }

    private String countSuffix() {
        long total = 0;
        long trainable = 0;
        List<Tensor> params;
        try {
            params = parameters();
        } catch (IllegalStateException cycle) {
            return "";
        }
        for (Tensor p : params) {
            total += p.numel();
            if (p.requiresGrad()) trainable += p.numel();
        }
        if (params.isEmpty()) {
            return "";
        }
        return "  (" + total + (total == 1 ? " param" : " params")
                + (trainable == total ? "" : ", " + trainable + " trainable") + ")";
    }
}
