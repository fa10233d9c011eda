package org.grad4j.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.grad4j.core.DType;
import org.grad4j.core.Grad;
import org.grad4j.core.Tensor;

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
    private final LinkedHashMap<String, Object> defaults;
    private final List<ParamGroup> groups = new ArrayList<>();
    private final IdentityHashMap<Tensor, ParamState> state = new IdentityHashMap<>();
    /** Options without a default (a built-in {@code Double.NaN}) that the caller's defaults did not set either. */
    private final java.util.Set<String> required = new java.util.LinkedHashSet<>();

    /**
     * @param name            the optimizer's name, used in messages and in state dicts
     * @param builtinDefaults every option this optimizer has, with its default ({@link Double} or {@link Boolean};
     *                        a {@code Double.NaN} default means "required": then every group must get a value from
     *                        {@code defaults} or from its own overrides)
     * @param defaults        the caller's defaults, overriding the built-in ones
     * @param groups          the parameter groups, each possibly overriding some options
     */
    @SuppressWarnings("this-escape") // validates groups through the subclass; subclasses keep no state validate needs
    protected Optimizer(String name, Map<String, Object> builtinDefaults, OptimizerOptions<?> defaults,
            List<ParamGroup> groups) {
        this.name = Objects.requireNonNull(name, "name");
        this.defaults = new LinkedHashMap<>(builtinDefaults);
        Objects.requireNonNull(defaults, "defaults");
        for (Map.Entry<String, Object> e : defaults.values().entrySet()) {
            checkKnown(null, e.getKey(), e.getValue());
            this.defaults.put(e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Object> e : builtinDefaults.entrySet()) {
            if (e.getValue() instanceof Double d && d.isNaN() && !defaults.values().containsKey(e.getKey())) {
                required.add(e.getKey());
            }
        }
        Objects.requireNonNull(groups, "groups");
        if (groups.isEmpty() || groups.stream().allMatch(g -> g.params.isEmpty())) {
            throw new IllegalArgumentException(name + ": got an empty parameter list; pass the parameters to optimize");
        }
        for (ParamGroup g : groups) {
            addParamGroup(g);
        }
    }

    /** Wraps a plain parameter list as one group. */
    protected static List<ParamGroup> single(Iterable<Tensor> params) {
        return List.of(ParamGroup.of(params));
    }

    /** The optimizer's name, e.g. {@code "Adam"}. */
    public String name() {
        return name;
    }

    /** The defaults that groups inherit (read-only). */
    public Map<String, Object> defaults() {
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
        Objects.requireNonNull(group, "group");
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
                throw new IllegalArgumentException(name + ": a parameter of shape " + java.util.Arrays.toString(p.shape())
                        + " appears more than once across the parameter groups; each parameter must be in one group once");
            }
        }
        group.index = groups.size();
        LinkedHashMap<String, Object> own = new LinkedHashMap<>(group.options);
        try {
            for (Map.Entry<String, Object> e : own.entrySet()) {
                checkKnown(group, e.getKey(), e.getValue());
            }
            for (String option : required) {
                if (!own.containsKey(option)) {
                    throw new IllegalArgumentException(name + ": option '" + option + "' has no default and is not set"
                            + " (param group " + group.index + "); give it in the optimizer's options or set it on"
                            + " every param group");
                }
            }
            group.options.clear();
            for (Map.Entry<String, Object> e : defaults.entrySet()) {
                group.options.put(e.getKey(), own.getOrDefault(e.getKey(), e.getValue()));
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

    /** Rejects an option name this optimizer does not have, or a value of the wrong kind. */
    void checkKnown(ParamGroup group, String option, Object value) {
        Object template = defaults.get(option);
        String where = group == null ? "" : " (param group " + group.index + ")";
        if (template == null) {
            throw new IllegalArgumentException(name + ": unknown option '" + option + "'" + where + "; " + name
                    + " options are " + defaults.keySet());
        }
        if (value == null || template.getClass() != value.getClass()) {
            throw new IllegalArgumentException(name + ": option '" + option + "'" + where + " must be "
                    + (template instanceof Boolean ? "a boolean" : "a number") + ", got " + value);
        }
    }

    /** Checks every hyper-parameter of one group; throw {@link #invalid} on a bad value. */
    protected abstract void validate(ParamGroup group);

    /** The exception for a bad hyper-parameter: names the optimizer, the option, the value and what is expected. */
    protected final IllegalArgumentException invalid(ParamGroup group, String option, Object value, String expected) {
        return new IllegalArgumentException(name + ": invalid " + option + " = " + value + " (param group "
                + group.index + "); expected " + expected);
    }

    /** Rejects a value of {@code option} that is NaN, infinite or negative. */
    protected final void requireNonNegative(ParamGroup group, String option) {
        double v = group.get(option);
        if (!(v >= 0 && v < Double.POSITIVE_INFINITY)) {
            throw invalid(group, option, v, "a finite " + option + " >= 0");
        }
    }

    /** Rejects a value of {@code option} outside {@code [0, 1)} (or {@code [0, 1]} when {@code oneAllowed}). */
    protected final void requireFraction(ParamGroup group, String option, boolean oneAllowed) {
        double v = group.get(option);
        if (!(v >= 0 && (oneAllowed ? v <= 1 : v < 1))) {
            throw invalid(group, option, v, "0 <= " + option + (oneAllowed ? " <= 1" : " < 1"));
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

    /** The state of one parameter, or null before its first update. */
    public ParamState state(Tensor param) {
        return state.get(param);
    }

    // --------------------------------------------------------------------------------------------- state dict

    static final String FORMAT = "grad4j.optim/1";

    /**
     * A snapshot (copies) of the per-parameter state and of every group's hyper-parameters, keyed as described in
     * {@link OptimizerStateDict}. Parameters are numbered across groups in order, as PyTorch's state_dict does.
     */
    public OptimizerStateDict stateDict() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("optimizer", name);
        meta.put("paramGroups", Integer.toString(groups.size()));
        int index = 0;
        try (Grad.Scope off = Grad.disabled()) {
            for (ParamGroup g : groups) {
                StringBuilder ids = new StringBuilder();
                for (Tensor p : g.params) {
                    ids.append(ids.isEmpty() ? "" : ",").append(index);
                    ParamState s = state.get(p);
                    if (s != null) {
                        meta.put("state." + index + ".step", Long.toString(s.step));
                        for (Map.Entry<String, Tensor> e : s.tensors.entrySet()) {
                            tensors.put("state." + index + "." + e.getKey(), e.getValue().copy());
                        }
                    }
                    index++;
                }
                String prefix = "group." + g.index + ".";
                meta.put(prefix + "params", ids.toString());
                for (Map.Entry<String, Object> e : g.options.entrySet()) {
                    meta.put(prefix + e.getKey(), e.getValue().toString());
                }
                if (!Double.isNaN(g.initialLr)) {
                    meta.put(prefix + "initialLr", Double.toString(g.initialLr));
                }
            }
        }
        return new OptimizerStateDict(tensors, meta);
    }

    /**
     * Restores state and hyper-parameters saved by {@link #stateDict()} of an optimizer of the same kind whose
     * groups held the same numbers of parameters, in the same order. State tensors are copied (and converted to
     * each parameter's dtype). Nothing changes if the dict is rejected.
     */
    public void loadStateDict(OptimizerStateDict dict) {
        Map<String, String> meta = dict.metadata();
        String where = name + ".loadStateDict: ";
        if (!FORMAT.equals(meta.get("format"))) {
            throw new IllegalArgumentException(where + "not an optimizer state dict of format " + FORMAT
                    + " (format = " + meta.get("format") + ")");
        }
        if (!name.equals(meta.get("optimizer"))) {
            throw new IllegalArgumentException(where + "the state dict was saved by " + meta.get("optimizer")
                    + ", not " + name);
        }
        int savedGroups = parseInt(where, meta, "paramGroups");
        if (savedGroups != groups.size()) {
            throw new IllegalArgumentException(where + "the state dict has " + savedGroups
                    + " param groups but this optimizer has " + groups.size());
        }
        List<Tensor> params = new ArrayList<>();
        List<LinkedHashMap<String, Object>> newOptions = new ArrayList<>();
        double[] newInitialLr = new double[groups.size()];
        for (ParamGroup g : groups) {
            String prefix = "group." + g.index + ".";
            String ids = meta.getOrDefault(prefix + "params", "");
            int count = ids.isEmpty() ? 0 : ids.split(",").length;
            if (count != g.params.size()) {
                throw new IllegalArgumentException(where + "param group " + g.index + " has " + g.params.size()
                        + " parameters but the saved group has " + count);
            }
            params.addAll(g.params);
            LinkedHashMap<String, Object> opts = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : defaults.entrySet()) {
                String text = meta.get(prefix + e.getKey());
                if (text == null) {
                    throw new IllegalArgumentException(where + "option '" + e.getKey() + "' of param group "
                            + g.index + " is missing");
                }
                opts.put(e.getKey(), e.getValue() instanceof Boolean ? parseBoolean(where, text) : parseDouble(where, text));
            }
            for (String key : meta.keySet()) {
                if (key.startsWith(prefix)) {
                    String option = key.substring(prefix.length());
                    if (!option.equals("params") && !option.equals("initialLr") && !defaults.containsKey(option)) {
                        throw new IllegalArgumentException(where + "unknown option '" + option + "' in param group "
                                + g.index + "; " + name + " options are " + defaults.keySet());
                    }
                }
            }
            String initial = meta.get(prefix + "initialLr");
            newInitialLr[g.index] = initial == null ? Double.NaN : parseDouble(where, initial);
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
                int i = parseIndex(where, parts[1], params.size(), e.getKey());
                Tensor p = params.get(i);
                Tensor t = e.getValue();
                if (!java.util.Arrays.equals(t.shape(), p.shape())) {
                    throw new IllegalArgumentException(where + "state tensor '" + e.getKey() + "' has shape "
                            + java.util.Arrays.toString(t.shape()) + " but parameter " + i + " has shape "
                            + java.util.Arrays.toString(p.shape()));
                }
                DType dtype = p.dtype();
                Tensor copy = t.dtype() == dtype ? t.detach().copy() : t.detach().to(dtype);
                newState.computeIfAbsent(p, k -> new ParamState()).tensors.put(parts[2], copy);
            }
        }
        for (Map.Entry<String, String> e : meta.entrySet()) {
            if (e.getKey().startsWith("state.") && e.getKey().endsWith(".step")) {
                String id = e.getKey().substring("state.".length(), e.getKey().length() - ".step".length());
                Tensor p = params.get(parseIndex(where, id, params.size(), e.getKey()));
                long step;
                try {
                    step = Long.parseLong(e.getValue());
                } catch (NumberFormatException ex) {
                    throw new IllegalArgumentException(where + e.getKey() + " = '" + e.getValue() + "' is not a step count");
                }
                newState.computeIfAbsent(p, k -> new ParamState()).step = step;
            }
        }
        // validate the loaded hyper-parameters before changing anything
        List<LinkedHashMap<String, Object>> oldOptions = new ArrayList<>();
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

    private static int parseInt(String where, Map<String, String> meta, String key) {
        try {
            return Integer.parseInt(meta.getOrDefault(key, ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + key + " = '" + meta.get(key) + "' is not an integer");
        }
    }

    private static int parseIndex(String where, String text, int count, String key) {
        try {
            int i = Integer.parseInt(text);
            if (i >= 0 && i < count) {
                return i;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(where + "'" + key + "' names parameter " + text + " but the optimizer has "
                + count + " parameters");
    }

    private static double parseDouble(String where, String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + "'" + text + "' is not a number");
        }
    }

    private static boolean parseBoolean(String where, String text) {
        if (text.equals("true") || text.equals("false")) {
            return Boolean.parseBoolean(text);
        }
        throw new IllegalArgumentException(where + "'" + text + "' is not true or false");
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
