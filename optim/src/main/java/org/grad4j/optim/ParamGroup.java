package org.grad4j.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.grad4j.core.Tensor;

/**
 * A set of parameters that share hyper-parameters, as a {@code param_group} dict of {@code torch.optim}. A group
 * built by the caller holds only the options it overrides; once given to an optimizer, the optimizer fills in the
 * rest from its defaults and validates every value, and later changes through {@link #set} or {@link #setLr} are
 * validated too (this is how learning-rate schedulers work).
 *
 * <pre>{@code
 * var opt = new SGD(List.of(
 *         ParamGroup.of(backbone),                        // lr 0.01 and momentum 0.9 from the defaults
 *         ParamGroup.of(head).set("lr", 0.1)),            // its own learning rate
 *     SGD.options(0.01).momentum(0.9));
 * opt.paramGroups().get(1).setLr(0.05);                   // change it later
 * }</pre>
 */
public final class ParamGroup {
    final List<Tensor> params;
    final LinkedHashMap<String, Object> options = new LinkedHashMap<>();
    /** The learning rate a scheduler started from, as PyTorch's {@code initial_lr}; NaN until a scheduler sets it. */
    double initialLr = Double.NaN;
    Optimizer owner;
    int index = -1;

    private ParamGroup(List<Tensor> params) {
        this.params = params;
    }

    /** A group of the given parameters, with no overrides yet. */
    public static ParamGroup of(Iterable<Tensor> params) {
        Objects.requireNonNull(params, "params");
        List<Tensor> list = new ArrayList<>();
        for (Tensor p : params) {
            list.add(Objects.requireNonNull(p, "a parameter in the group is null"));
        }
        return new ParamGroup(Collections.unmodifiableList(list));
    }

    /** A group of the given parameters, with no overrides yet. */
    public static ParamGroup of(Tensor... params) {
        return of(List.of(params));
    }

    /** A group of the given parameters that overrides every option set in {@code overrides}. */
    public static ParamGroup of(Iterable<Tensor> params, OptimizerOptions<?> overrides) {
        ParamGroup group = of(params);
        group.options.putAll(overrides.values());
        return group;
    }

    /** The parameters of this group (read-only). */
    public List<Tensor> params() {
        return params;
    }

    /** Sets a numeric option (validated when the group belongs to an optimizer). */
    public ParamGroup set(String name, double value) {
        return put(name, value);
    }

    /** Sets a flag option such as {@code nesterov} or {@code amsgrad} (validated when in an optimizer). */
    public ParamGroup set(String name, boolean value) {
        return put(name, value);
    }

    private ParamGroup put(String name, Object value) {
        Objects.requireNonNull(name, "name");
        if (owner == null) {
            options.put(name, value);
            return this;
        }
        Object previous = options.get(name);
        owner.checkKnown(this, name, value);
        options.put(name, value);
        try {
            owner.validate(this);
        } catch (RuntimeException e) {
            options.put(name, previous);
            throw e;
        }
        return this;
    }

    /** The learning rate. */
    public double lr() {
        return get("lr");
    }

    /** Sets the learning rate (must be {@code >= 0}). */
    public ParamGroup setLr(double lr) {
        return set("lr", lr);
    }

    /** A numeric option, e.g. {@code get("momentum")}. */
    public double get(String name) {
        Object v = options.get(name);
        if (v instanceof Double d) {
            return d;
        }
        throw missing(name, v, "a number");
    }

    /** A flag option, e.g. {@code flag("nesterov")}. */
    public boolean flag(String name) {
        Object v = options.get(name);
        if (v instanceof Boolean b) {
            return b;
        }
        throw missing(name, v, "a flag");
    }

    private IllegalArgumentException missing(String name, Object v, String kind) {
        String who = owner == null ? "param group" : owner.name() + " param group " + index;
        return new IllegalArgumentException(who + ": option '" + name + "' is "
                + (v == null ? "not set" : "not " + kind + " (it is " + v + ")") + "; options: " + options.keySet());
    }

    /** All options of this group by name ({@link Double} or {@link Boolean}), read-only. */
    public Map<String, Object> options() {
        return Collections.unmodifiableMap(options);
    }

    @Override
    public String toString() {
        return "ParamGroup" + (index >= 0 ? " " + index : "") + " (" + params.size() + " params) " + options;
    }
}
