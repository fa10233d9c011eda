package org.grad4j.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.grad4j.core.DType;
import org.grad4j.core.Grad;
import org.grad4j.core.Tensor;
import org.grad4j.core.io.JsonText;

/**
 * Base of the optimizers: parameter groups with their own hyper-parameters, {@link #step()}, {@link #zeroGrad()},
 * per-parameter state and a state dict that round-trips bit-exactly, as {@code torch.optim.Optimizer}.
 *
 * <pre>{@code
 * Optimizer opt = new Adam(model.parameters(), Adam.options().lr(1e-3));
 * for (int i = 0; i < steps; i++) {
 *     opt.zeroGrad();                  // grads to null, as PyTorch's default
 *     loss(model).backward();
 *     opt.step();                      // params with a null grad are skipped
 * }
 * OptimizerStateDict saved = opt.stateDict();   // moments, step counts and hyper-parameters
 * }</pre>
 *
 * <p>Updates run in no-grad mode and in place: the only memory an update takes is the optimizer's state, created
 * on a parameter's first step, which includes a few scratch buffers the size of the parameter (not saved).
 * Subclasses implement {@link #update} for one parameter and {@link #validate} for one group.
 */
public abstract class Optimizer {
    private final String name;
    private final List<Option<?>> knownOptions;
    private final Option<Double> lrOption;
    private final LinkedHashMap<Option<?>, Object> defaults = new LinkedHashMap<>();
    private final List<ParamGroup> groups = new ArrayList<>();
    private final IdentityHashMap<Tensor, ParamState> state = new IdentityHashMap<>();

    /**
     * @param name     the optimizer's name, used in messages and in state dicts
     * @param options  every option this optimizer has (one of them named {@code "lr"}); an option without a default
     *                 must be set in {@code defaults} or by every group
     * @param defaults the caller's defaults, overriding the options' own defaults
     * @param groups   the parameter groups, each possibly overriding some options
     */
    @SuppressWarnings("this-escape") // validates groups through the subclass; subclasses keep no state validate needs
    protected Optimizer(String name, List<Option<?>> options, OptimizerOptions<?> defaults,
            List<ParamGroup> groups) {
        if (name == null || options == null) {
            throw new IllegalArgumentException("Optimizer: name and options must not be null");
        }
        this.name = name;
        this.knownOptions = List.copyOf(options);
        this.lrOption = lrOf(name, knownOptions);
        if (defaults == null) {
            throw new IllegalArgumentException(name + ": options (defaults) is null; pass " + name
                    + ".options() for the defaults");
        }
        for (Option<?> o : knownOptions) {
            if (!o.isRequired()) {
                this.defaults.put(o, o.defaultValue());
            }
        }
        for (Map.Entry<Option<?>, Object> e : defaults.values().entrySet()) {
            checkKnown(null, e.getKey());
            this.defaults.put(e.getKey(), e.getValue());
        }
        if (groups == null) {
            throw new IllegalArgumentException(name + ": the list of parameter groups is null");
        }
        if (groups.isEmpty() || groups.stream().allMatch(g -> g == null || g.params.isEmpty())) {
            throw new IllegalArgumentException(name + ": got an empty parameter list; pass the parameters to optimize");
        }
        for (ParamGroup g : groups) {
            addParamGroup(g);
        }
    }

    @SuppressWarnings("unchecked")
    private static Option<Double> lrOf(String name, List<Option<?>> options) {
        for (Option<?> o : options) {
            if (o.name().equals("lr") && o.type() == Double.class) {
                return (Option<Double>) o;
            }
        }
        throw new IllegalArgumentException(name + ": every optimizer has a numeric option named \"lr\"");
    }

    /** Wraps a plain parameter list as one group. */
    protected static List<ParamGroup> single(Iterable<Tensor> params) {
        return List.of(ParamGroup.of(params));
    }

    /** Wraps named parameters (e.g. {@code model.namedParameters()}) as one group that remembers the names. */
    protected static List<ParamGroup> single(Map<String, Tensor> namedParams) {
        return List.of(ParamGroup.of(namedParams));
    }

    /** The optimizer's name, e.g. {@code "Adam"}. */
    public String name() {
        return name;
    }

    /** The learning-rate option of this optimizer. */
    Option<Double> lrOption() {
        return lrOption;
    }

    /** Every option this optimizer has, in order. */
    public List<Option<?>> optionKeys() {
        return knownOptions;
    }

    /** The defaults that groups inherit (read-only; a required option the caller did not set is absent). */
    public Map<Option<?>, Object> defaults() {
        return Collections.unmodifiableMap(defaults);
    }

    /** The parameter groups, in order; change hyper-parameters through them ({@link ParamGroup#setLr}). */
    public List<ParamGroup> paramGroups() {
        return Collections.unmodifiableList(groups);
    }

    /**
     * Adds a group (as {@code add_param_group}): options it does not set come from the defaults. Its parameters must
     * be leaf tensors that are in no other group.
     */
    public void addParamGroup(ParamGroup group) {
        if (group == null) {
            throw new IllegalArgumentException(name + ".addParamGroup: group is null");
        }
        if (group.owner != null) {
            throw new IllegalArgumentException(name + ": this param group already belongs to " + group.owner.name()
                    + "; create a new ParamGroup");
        }
        IdentityHashMap<Tensor, Boolean> seen = new IdentityHashMap<>();
        for (ParamGroup g : groups) {
            for (Tensor p : g.params) {
                seen.put(p, true);
            }
        }
        for (Tensor p : group.params) {
            if (!p.isLeaf()) {
                throw new IllegalArgumentException(name + ": can't optimize a non-leaf tensor (produced by '"
                        + p.gradFnName() + "'); optimize the leaf it was computed from, or use detach()");
            }
            if (seen.put(p, true) != null) {
                throw new IllegalArgumentException(name + ": a parameter of shape " + Arrays.toString(p.shape())
                        + " appears more than once across the parameter groups; each parameter must be in one group"
                        + " once");
            }
        }
        group.index = groups.size();
        LinkedHashMap<Option<?>, Object> own = new LinkedHashMap<>(group.options);
        try {
            for (Option<?> o : own.keySet()) {
                checkKnown(group, o);
            }
            group.options.clear();
            for (Option<?> o : knownOptions) {
                Object v = own.containsKey(o) ? own.get(o) : defaults.get(o);
                if (v == null) {
                    throw new IllegalArgumentException(name + ": option '" + o.name() + "' has no default and is not"
                            + " set (param group " + group.index + "); give it in the optimizer's options or set it"
                            + " on every param group");
                }
                group.options.put(o, v);
            }
            validate(group);
        } catch (RuntimeException e) {
            group.index = -1;
            group.options.clear();
            group.options.putAll(own);
            throw e;
        }
        group.owner = this;
        groups.add(group);
    }

    /** Rejects an option this optimizer does not have. */
    void checkKnown(ParamGroup group, Option<?> option) {
        if (!knownOptions.contains(option)) {
            String where = group == null ? "" : " (param group " + group.index + ")";
            throw new IllegalArgumentException(name + ": unknown option '" + option.name() + "'" + where + "; " + name
                    + " options are " + knownOptions + " (use " + name + "'s own option keys)");
        }
    }

    /** Checks every hyper-parameter of one group; throw {@link #invalid} on a bad value. */
    protected abstract void validate(ParamGroup group);

    /** The exception for a bad hyper-parameter: names the optimizer, the option, the value and what is expected. */
    protected final IllegalArgumentException invalid(ParamGroup group, Option<?> option, Object value,
            String expected) {
        return new IllegalArgumentException(name + ": invalid " + option.name() + " = " + value + " (param group "
                + group.index + "); expected " + expected);
    }

    /** Rejects a value of {@code option} that is NaN, infinite or negative. */
    protected final void requireNonNegative(ParamGroup group, Option<Double> option) {
        double v = group.get(option);
        if (!(v >= 0 && v < Double.POSITIVE_INFINITY)) {
            throw invalid(group, option, v, "a finite " + option.name() + " >= 0");
        }
    }

    /** Rejects a value of {@code option} outside {@code [0, 1)} (or {@code [0, 1]} when {@code oneAllowed}). */
    protected final void requireFraction(ParamGroup group, Option<Double> option, boolean oneAllowed) {
        double v = group.get(option);
        if (!(v >= 0 && (oneAllowed ? v <= 1 : v < 1))) {
            throw invalid(group, option, v, "0 <= " + option.name() + (oneAllowed ? " <= 1" : " < 1"));
        }
    }

    /**
     * Updates one parameter in place. Runs in no-grad mode, after {@code state.step} was incremented; {@code grad}
     * is the parameter's gradient and must not be modified.
     */
    protected abstract void update(ParamGroup group, Tensor param, Tensor grad, ParamState state);

    /** One update of every parameter that has a gradient; parameters whose grad is null are skipped. */
    public void step() {
        try (Grad.Scope off = Grad.disabled()) {
            for (ParamGroup g : groups) {
                for (Tensor p : g.params) {
                    Tensor grad = p.grad();
                    if (grad == null) {
                        continue;
                    }
                    ParamState s = state.get(p);
                    if (s == null) {
                        s = new ParamState();
                        state.put(p, s);
                    }
                    s.step++;
                    update(g, p, grad, s);
                }
            }
        }
    }

    /** Evaluates {@code closure} (which typically zeroes grads, computes the loss and calls backward), then steps. */
    public Tensor step(Supplier<Tensor> closure) {
        Args.notNull(closure, name + ".step", "closure");
        Tensor loss;
        try (Grad.Scope on = Grad.enabled()) {
            loss = closure.get();
        }
        step();
        return loss;
    }

    /** Sets every parameter's grad to null (PyTorch's {@code zero_grad()} default). */
    public void zeroGrad() {
        zeroGrad(true);
    }

    /** Sets grads to null, or with {@code setToNone == false} fills existing grads with zeros (detached). */
    public void zeroGrad(boolean setToNone) {
        for (ParamGroup g : groups) {
            for (Tensor p : g.params) {
                Tensor grad = p.grad();
                if (grad == null) {
                    continue;
                }
                if (setToNone) {
                    p.zeroGrad();
                } else {
                    if (!grad.isLeaf()) {
                        grad = grad.detach();
                        p.setGrad(grad);
                    }
                    try (Grad.Scope off = Grad.disabled()) {
                        grad.zero();
                    }
                }
            }
        }
    }

    /** The state of one parameter, created empty if it has none yet. For optimizers that override {@link #step()}. */
    protected final ParamState stateOf(Tensor param) {
        return state.computeIfAbsent(param, k -> new ParamState());
    }

    /** The state of one parameter, or null before its first update. */
    public ParamState state(Tensor param) {
        return state.get(param);
    }

    // --------------------------------------------------------------------------------------------- state dict

    static final String FORMAT = "grad4j.optim/2";

    /**
     * A snapshot (copies) of the per-parameter state and of every group's hyper-parameters, in the layout described
     * in {@link OptimizerStateDict}. Parameters are numbered across groups in order, as PyTorch's state_dict does.
     */
    public OptimizerStateDict stateDict() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, Object> steps = new LinkedHashMap<>();
        Map<String, Object> scalars = new LinkedHashMap<>();
        List<Object> savedGroups = new ArrayList<>();
        int index = 0;
        try (Grad.Scope off = Grad.disabled()) {
            for (ParamGroup g : groups) {
                List<Object> ids = new ArrayList<>();
                for (Tensor p : g.params) {
                    ids.add(index);
                    ParamState s = state.get(p);
                    if (s != null) {
                        steps.put(Integer.toString(index), s.step);
                        if (!s.scalars.isEmpty()) {
                            Map<String, Object> numbers = new LinkedHashMap<>();
                            s.scalars.forEach((k, v) -> numbers.put(k, Double.toString(v)));   // NaN/inf too
                            scalars.put(Integer.toString(index), numbers);
                        }
                        for (Map.Entry<String, Tensor> e : s.tensors.entrySet()) {
                            tensors.put("state." + index + "." + e.getKey(), e.getValue().copy());
                        }
                    }
                    index++;
                }
                Map<String, Object> options = new LinkedHashMap<>();
                for (Map.Entry<Option<?>, Object> e : g.options.entrySet()) {
                    options.put(e.getKey().name(), e.getKey().toSaved(e.getValue()));
                }
                Map<String, Object> saved = new LinkedHashMap<>();
                saved.put("params", ids);
                if (g.names != null) {
                    saved.put("names", List.copyOf(g.names));
                }
                saved.put("options", options);
                if (!Double.isNaN(g.initialLr)) {
                    saved.put("initialLr", g.initialLr);
                }
                savedGroups.add(saved);
            }
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("optimizer", name);
        meta.put("groups", savedGroups);
        meta.put("steps", steps);
        if (!scalars.isEmpty()) {
            meta.put("scalars", scalars);
        }
        return new OptimizerStateDict(tensors, Map.of(OptimizerStateDict.METADATA_KEY, JsonText.write(meta)));
    }

    /**
     * Replaces this optimizer's state and hyper-parameters with those saved by {@link #stateDict()} of an optimizer
     * of the same kind whose groups held the same numbers of parameters, in the same order, of the same shapes.
     * Where both this optimizer and the saved one were built from named parameters, the names must match too. State
     * is replaced, never merged: a parameter without saved state has none afterwards. State tensors are copied
     * (and converted to each parameter's dtype). Nothing changes if the dict is rejected.
     */
    public void loadStateDict(OptimizerStateDict dict) {
        String where = name + ".loadStateDict: ";
        if (dict == null) {
            throw new IllegalArgumentException(where + "the state dict is null");
        }
        String text = dict.metadata().get(OptimizerStateDict.METADATA_KEY);
        if (text == null) {
            throw new IllegalArgumentException(where + "not an optimizer state dict (no '"
                    + OptimizerStateDict.METADATA_KEY + "' metadata; format " + FORMAT + " expected)");
        }
        Map<String, Object> meta = SavedState.object(where, "the metadata", JsonText.parse(text));
        if (!FORMAT.equals(meta.get("format"))) {
            throw new IllegalArgumentException(where + "not an optimizer state dict of format " + FORMAT
                    + " (format = " + meta.get("format") + ")");
        }
        if (!name.equals(meta.get("optimizer"))) {
            throw new IllegalArgumentException(where + "the state dict was saved by " + meta.get("optimizer")
                    + ", not " + name);
        }
        List<Object> savedGroups = SavedState.list(where, "groups", meta.get("groups"));
        if (savedGroups.size() != groups.size()) {
            throw new IllegalArgumentException(where + "the state dict has " + savedGroups.size()
                    + " param groups but this optimizer has " + groups.size());
        }
        List<Tensor> params = new ArrayList<>();
        List<String> paramNames = new ArrayList<>();
        List<LinkedHashMap<Option<?>, Object>> newOptions = new ArrayList<>();
        double[] newInitialLr = new double[groups.size()];
        for (ParamGroup g : groups) {
            Map<String, Object> saved = SavedState.object(where, "param group " + g.index,
                    savedGroups.get(g.index));
            List<Object> ids = SavedState.list(where, "params of group " + g.index, saved.get("params"));
            if (ids.size() != g.params.size()) {
                throw new IllegalArgumentException(where + "param group " + g.index + " has " + g.params.size()
                        + " parameters but the saved group has " + ids.size());
            }
            if (g.names != null && saved.get("names") != null) {
                List<Object> savedNames = SavedState.list(where, "names of group " + g.index, saved.get("names"));
                if (!savedNames.equals(g.names)) {
                    throw new IllegalArgumentException(where + "param group " + g.index + " holds parameters "
                            + g.names + " but the state dict was saved for " + savedNames + "; build the optimizer"
                            + " over the same named parameters (in the same order) as the one that was saved");
                }
            }
            for (int i = 0; i < g.params.size(); i++) {
                paramNames.add(g.names == null ? "parameter " + (params.size() + i) : "'" + g.names.get(i) + "'");
            }
            params.addAll(g.params);
            Map<String, Object> savedOptions = SavedState.object(where, "options of group " + g.index,
                    saved.get("options"));
            LinkedHashMap<Option<?>, Object> opts = new LinkedHashMap<>();
            for (Option<?> o : knownOptions) {
                Object v = savedOptions.get(o.name());
                if (v == null) {
                    throw new IllegalArgumentException(where + "option '" + o.name() + "' of param group " + g.index
                            + " is missing");
                }
                opts.put(o, o.fromSaved(where, v));
            }
            for (String key : savedOptions.keySet()) {
                if (knownOptions.stream().noneMatch(o -> o.name().equals(key))) {
                    throw new IllegalArgumentException(where + "unknown option '" + key + "' in param group "
                            + g.index + "; " + name + " options are " + knownOptions);
                }
            }
            Object initial = saved.get("initialLr");
            newInitialLr[g.index] = initial == null ? Double.NaN : SavedState.number(where, "initialLr", initial);
            newOptions.add(opts);
        }
        IdentityHashMap<Tensor, ParamState> newState = new IdentityHashMap<>();
        try (Grad.Scope off = Grad.disabled()) {
            for (Map.Entry<String, Tensor> e : dict.tensors().entrySet()) {
                String[] parts = e.getKey().split("\\.", 3);
                if (parts.length != 3 || !parts[0].equals("state")) {
                    throw new IllegalArgumentException(where + "unexpected tensor '" + e.getKey()
                            + "'; expected state.<param index>.<name>");
                }
                int i = SavedState.index(where, parts[1], params.size(), e.getKey());
                Tensor p = params.get(i);
                Tensor t = e.getValue();
                if (t == null || !Arrays.equals(t.shape(), p.shape())) {
                    throw new IllegalArgumentException(where + "state tensor '" + e.getKey() + "' has shape "
                            + (t == null ? "null" : Arrays.toString(t.shape())) + " but " + paramNames.get(i)
                            + " has shape " + Arrays.toString(p.shape()));
                }
                DType dtype = p.dtype();
                Tensor copy = t.dtype() == dtype ? t.detach().copy() : t.detach().to(dtype);
                newState.computeIfAbsent(p, k -> new ParamState()).tensors.put(parts[2], copy);
            }
        }
        Map<String, Object> steps = SavedState.object(where, "steps", meta.get("steps"));
        for (Map.Entry<String, Object> e : steps.entrySet()) {
            Tensor p = params.get(SavedState.index(where, e.getKey(), params.size(), "steps." + e.getKey()));
            newState.computeIfAbsent(p, k -> new ParamState()).step = SavedState.count(where, e.getKey(),
                    e.getValue());
        }
        if (meta.get("scalars") != null) {
            for (Map.Entry<String, Object> e : SavedState.object(where, "scalars", meta.get("scalars")).entrySet()) {
                Tensor p = params.get(SavedState.index(where, e.getKey(), params.size(), "scalars." + e.getKey()));
                ParamState ps = newState.computeIfAbsent(p, k -> new ParamState());
                for (Map.Entry<String, Object> n : SavedState.object(where, "scalars." + e.getKey(), e.getValue())
                        .entrySet()) {
                    ps.scalars.put(n.getKey(), SavedState.scalar(where, "scalars." + e.getKey() + "." + n.getKey(),
                            n.getValue()));
                }
            }
        }
        // validate the loaded hyper-parameters before changing anything
        List<LinkedHashMap<Option<?>, Object>> oldOptions = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            ParamGroup group = groups.get(g);
            oldOptions.add(new LinkedHashMap<>(group.options));
            group.options.clear();
            group.options.putAll(newOptions.get(g));
        }
        try {
            for (ParamGroup group : groups) {
                validate(group);
            }
        } catch (RuntimeException ex) {
            for (int g = 0; g < groups.size(); g++) {
                groups.get(g).options.clear();
                groups.get(g).options.putAll(oldOptions.get(g));
            }
            throw ex;
        }
        for (int g = 0; g < groups.size(); g++) {
            groups.get(g).initialLr = newInitialLr[g];
        }
        state.clear();
        state.putAll(newState);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name).append(" (");
        for (ParamGroup g : groups) {
            sb.append("\n  group ").append(g.index).append(": ").append(g.params.size()).append(" params ")
                    .append(g.options);
        }
        return sb.append("\n)").toString();
    }
}
