package org.grad4j.nn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * file, because {@link Class#getDeclaredFields()} promises no order. The order never changes silently: a class
 * whose class file cannot be read (one defined at run time) and that declares two or more state fields is refused
 * with an {@link IllegalStateException} that names it; register such state explicitly instead. Elements of a map follow its iteration order (use a
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
 * <h2>Conveniences</h2>
 * As in PyTorch: {@link #modules()}/{@link #namedModules()}, {@link #apply(Consumer)}, {@link #to(DType)},
 * freezing with {@link #requiresGrad(boolean)}, {@link #parameterCount()}, and forward hooks
 * ({@link #registerForwardPreHook}, {@link #registerForwardHook}) that run when the module is invoked through
 * {@link #call(Tensor...)}. Every traversal keeps its own stack, so a model nested thousands of levels deep works.
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
    private final Map<String, ModuleFields.Entry> registered = new LinkedHashMap<>();
    private final List<ForwardPreHook> preHooks = new ArrayList<>(0);
    private final List<ForwardHook> postHooks = new ArrayList<>(0);

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
        if (inputs == null || inputs.length != 1) {
            throw new IllegalArgumentException(name() + ".forward takes one input, got "
                    + (inputs == null ? "null" : inputs.length)
                    + "; a module with several inputs overrides forward(Tensor...)");
        }
        return forward(inputs[0]);
    }

    /**
     * Runs the module as PyTorch's {@code module(x)} does: the forward pre-hooks (which may replace the inputs),
     * {@link #forward(Tensor...)}, then the forward hooks (which may replace the output). Without hooks it is
     * {@code forward(inputs)}. {@link Sequential} and {@link ModuleList#call} run their children through it, so
     * hooks on a child fire inside a model.
     */
    public final Tensor call(Tensor... inputs) {
        if (inputs == null) {
            throw new IllegalArgumentException(name() + ".call: inputs is null");
        }
        Tensor[] in = inputs;
        for (ForwardPreHook hook : List.copyOf(preHooks)) {
            Tensor[] replaced = hook.beforeForward(this, in.clone());
            if (replaced != null) {
                in = replaced;
            }
        }
        Tensor out = in.length == 1 ? forward(in[0]) : forward(in);
        for (ForwardHook hook : List.copyOf(postHooks)) {
            Tensor replaced = hook.afterForward(this, in.clone(), out);
            if (replaced != null) {
                out = replaced;
            }
        }
        return out;
    }

    /** Called by {@link #call} before {@code forward}, as PyTorch's {@code register_forward_pre_hook}. */
    @FunctionalInterface
    public interface ForwardPreHook {
        /**
         * @param module the module about to run
         * @param inputs a copy of its inputs
         * @return the inputs to use instead, or null to keep them
         */
        Tensor[] beforeForward(Module module, Tensor[] inputs);
    }

    /** Called by {@link #call} after {@code forward}, as PyTorch's {@code register_forward_hook}. */
    @FunctionalInterface
    public interface ForwardHook {
        /**
         * @param module the module that ran
         * @param inputs a copy of its inputs
         * @param output its output
         * @return the output to use instead, or null to keep it
         */
        Tensor afterForward(Module module, Tensor[] inputs, Tensor output);
    }

    /** Removes the hook it was returned for; removing twice does nothing. Usable in try-with-resources. */
    public interface HookHandle extends AutoCloseable {
        /** Removes the hook. */
        void remove();

        /** {@link #remove()}. */
        @Override
        default void close() {
            remove();
        }
    }

    /** Adds a hook that runs before every {@link #call} of this module; returns the handle that removes it. */
    public HookHandle registerForwardPreHook(ForwardPreHook hook) {
        return addHook(preHooks, hook, "registerForwardPreHook");
    }

    /** Adds a hook that runs after every {@link #call} of this module; returns the handle that removes it. */
    public HookHandle registerForwardHook(ForwardHook hook) {
        return addHook(postHooks, hook, "registerForwardHook");
    }

    /** Whether any forward hook is registered on this module. */
    boolean hasHooks() {
        return !preHooks.isEmpty() || !postHooks.isEmpty();
    }

    private <H> HookHandle addHook(List<H> hooks, H hook, String operation) {
        if (hook == null) {
            throw new IllegalArgumentException(name() + "." + operation + ": hook is null");
        }
        hooks.add(hook);
        return () -> hooks.removeIf(h -> h == hook);
    }

    // --------------------------------------------------------------------------------------------------- discovery

    /** This module's own entries: discovered fields in declaration order, then explicit registrations. */
    List<ModuleFields.Entry> ownEntries() {
        return ModuleFields.entries(this, registered);
    }

    // --------------------------------------------------------------------------------------------------- registration

    /** Adds a parameter under {@code name} (after the discovered fields); returns it. */
    public Tensor registerParameter(String name, Tensor parameter) {
        return register(name, ModuleFields.Kind.PARAMETER, parameter);
    }

    /** Adds a buffer (saved state that is not trained) under {@code name}; returns it. */
    public Tensor registerBuffer(String name, Tensor buffer) {
        return register(name, ModuleFields.Kind.BUFFER, buffer);
    }

    /** Adds a child module under {@code name}; returns it. */
    public <M extends Module> M registerModule(String name, M module) {
        return register(name, ModuleFields.Kind.MODULE, module);
    }

    private <T> T register(String entryName, ModuleFields.Kind kind, T value) {
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
        if (ModuleFields.isFieldName(getClass(), entryName)) {
            throw new IllegalArgumentException(name() + ": '" + entryName + "' is already the name of a field");
        }
        registered.put(entryName, new ModuleFields.Entry(entryName, kind, value));
        return value;
    }

    /** Removes an explicit registration (for {@link ModuleList} and {@link ModuleDict}); returns whether it existed. */
    boolean unregister(String entryName) {
        return registered.remove(entryName) != null;
    }

    // --------------------------------------------------------------------------------------------------- traversal

    /**
     * Parameters by dotted name ({@code layers.0.weight}), each tensor once (a shared tensor under its first name),
     * in the documented order. The map is unmodifiable; the tensors are the live parameters.
     */
    public Map<String, Tensor> namedParameters() {
        return namedTensors(ModuleFields.Kind.PARAMETER);
    }

    /** The tensors of {@link #namedParameters()}, in the same order. */
    public List<Tensor> parameters() {
        return List.copyOf(namedParameters().values());
    }

    /** Buffers by dotted name, each tensor once. */
    public Map<String, Tensor> namedBuffers() {
        return namedTensors(ModuleFields.Kind.BUFFER);
    }

    /** The tensors of {@link #namedBuffers()}, in the same order. */
    public List<Tensor> buffers() {
        return List.copyOf(namedBuffers().values());
    }

    private Map<String, Tensor> namedTensors(ModuleFields.Kind kind) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (ModuleTree.Visit m : ModuleTree.preOrder(this, true)) {
            for (ModuleFields.Entry e : m.module().ownEntries()) {
                if (e.kind() == kind && seen.add((Tensor) e.value())) {
                    out.put(m.qualify(e.name()), (Tensor) e.value());
                }
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** Direct sub-modules by name, in order, each once. */
    public Map<String, Module> namedChildren() {
        Map<String, Module> out = new LinkedHashMap<>();
        Set<Module> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (ModuleFields.Entry e : ownEntries()) {
            if (e.kind() == ModuleFields.Kind.MODULE && seen.add((Module) e.value())) {
                out.put(e.name(), (Module) e.value());
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
        for (ModuleTree.Visit m : ModuleTree.preOrder(this, true)) {
            out.put(m.path(), m.module());
        }
        return Collections.unmodifiableMap(out);
    }

    /** This module and all modules below it, in pre-order, each once (the values of {@link #namedModules()}). */
    public List<Module> modules() {
        List<Module> out = new ArrayList<>();
        for (ModuleTree.Visit m : ModuleTree.preOrder(this, true)) {
            out.add(m.module());
        }
        return List.copyOf(out);
    }

    /** Calls {@code fn} on every sub-module (children first) and then on this one, as PyTorch's {@code apply}. */
    public Module apply(Consumer<Module> fn) {
        if (fn == null) {
            throw new IllegalArgumentException(name() + ".apply: fn is null");
        }
        List<ModuleTree.Visit> all = ModuleTree.preOrder(this, true);
        for (int i = all.size() - 1; i >= 0; i--) {
            fn.accept(all.get(i).module());
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
        for (ModuleTree.Visit m : ModuleTree.preOrder(this, true)) { // fails on a cycle before changing anything
            m.module().training = mode;
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

    /**
     * Sets every parameter's gradient to null ({@code setToNone}), or fills the existing ones with zeros in place,
     * as {@code zero_grad(set_to_none=False)}: the next backward then writes into those buffers rather than
     * allocating new ones (a gradient carrying a graph, from createGraph, is replaced by a detached one first).
     */
    public void zeroGrad(boolean setToNone) {
        for (Tensor p : parameters()) {
            Tensor grad = p.grad();
            if (setToNone || grad == null) {
                p.zeroGrad();
                continue;
            }
            if (!grad.isLeaf()) {
                grad = grad.detach();
                p.setGrad(grad);
            }
            Tensor buffer = grad;
            Grad.noGrad(() -> {
                buffer.zero();
            });
        }
    }

    /** Sets {@code requiresGrad} on every parameter: false freezes the module, true unfreezes it; returns this. */
    public Module requiresGrad(boolean requiresGrad) {
        for (Tensor p : parameters()) {
            p.requiresGrad(requiresGrad);
        }
        return this;
    }

    /**
     * Converts every floating-point parameter and buffer of this module and its sub-modules to {@code dtype}, as
     * PyTorch's {@code module.to(dtype)}; returns this. Converted parameters are new leaf tensors that keep their
     * {@code requiresGrad} (their gradients are not carried over); a tensor shared by several modules stays
     * shared. Tensors already of {@code dtype} are kept as they are. Create optimizers after converting: they hold
     * the tensors they were given.
     */
    public Module to(DType dtype) {
        if (dtype == null) {
            throw new IllegalArgumentException(name() + ".to: dtype is null");
        }
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException(name() + ".to: " + dtype + " is not a floating-point dtype; a module"
                    + " converts its parameters and floating buffers to FLOAT32 or FLOAT64 (as PyTorch's module.to)");
        }
        List<ModuleTree.Visit> all = ModuleTree.preOrder(this, true);
        Map<Tensor, Tensor> converted = new IdentityHashMap<>();
        for (ModuleTree.Visit m : all) {
            Module module = m.module();
            ModuleFields.replaceTensors(module, module.registered, t -> converted.computeIfAbsent(t, old -> {
                if (old.dtype() == dtype || !old.dtype().isFloatingPoint()) {
                    return old;
                }
                Tensor fresh;
                try (Grad.Scope off = Grad.disabled()) {
                    fresh = old.detach().to(dtype);
                }
                return old.requiresGrad() ? fresh.requiresGrad(true) : fresh;
            }));
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
        return ModuleState.stateDict(this);
    }

    /** What a non-strict load skipped. */
    public record LoadResult(List<String> missingKeys, List<String> unexpectedKeys) {
        /** Copies both lists. */
        public LoadResult {
            Args.notNull(missingKeys, "LoadResult", "missingKeys");
            Args.notNull(unexpectedKeys, "LoadResult", "unexpectedKeys");
            missingKeys = Collections.unmodifiableList(new ArrayList<>(missingKeys));
            unexpectedKeys = Collections.unmodifiableList(new ArrayList<>(unexpectedKeys));
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
        return ModuleState.load(this, state, strict, "loadStateDict");
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
        if (metadata == null) {
            throw new IllegalArgumentException(name() + ".save: metadata is null (pass Map.of() for none)");
        }
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
        return ModuleState.load(this, loaded.tensors(), strict, file.toString());
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
     * Modules nested deeper than 64 levels are summarised as {@code Name(...)} with their parameter count.
     */
    @Override
    public String toString() {
        try {
            return ModulePrinter.print(this);
        } catch (RuntimeException e) {   // printing must not fail, e.g. in a debugger, on a malformed module
            return name() + "(<cannot print: " + e.getMessage() + ">)";
        }
    }
}
