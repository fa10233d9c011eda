package org.grad4j.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.grad4j.core.Tensor;

/**
 * A set of parameters that share hyper-parameters, as a {@code param_group} dict of {@code torch.optim}. A group
 * built by the caller holds only the options it overrides; once given to an optimizer, the optimizer fills in the
 * rest from its defaults and validates every value, and later changes through {@link #set} or {@link #setLr} are
 * validated too (this is how learning-rate schedulers work). Options are typed keys ({@link Option}).
 *
 * <pre>{@code
 * var opt = new SGD(List.of(
 *         ParamGroup.of(backbone),                                   // lr 0.01 and momentum 0.9 from the defaults
 *         ParamGroup.of(head, SGD.options().lr(0.1))),               // its own learning rate
 *     SGD.options(0.01).momentum(0.9));
 * opt.paramGroups().get(1).setLr(0.05);                              // change it later
 * double momentum = opt.paramGroups().get(0).get(SGD.MOMENTUM);      // 0.9
 * }</pre>
 *
 * <p>A group built from named parameters ({@link #of(Map)}, e.g. {@code model.namedParameters()}) remembers the
 * names; the optimizer's state dict then stores them and a load checks them, so state can never be restored onto
 * the wrong parameter.
 */
public final class ParamGroup {
    final List<Tensor> params;
    /** The parameters' names, or null when the group was built from unnamed tensors. */
    final List<String> names;
    final LinkedHashMap<Option<?>, Object> options = new LinkedHashMap<>();
    /** The learning rate a scheduler started from, as PyTorch's {@code initial_lr}; NaN until a scheduler sets it. */
    double initialLr = Double.NaN;
    Optimizer owner;
    int index = -1;

    private ParamGroup(List<Tensor> params, List<String> names) {
        this.params = params;
        this.names = names;
    }

    /** A group of the given parameters, with no overrides yet. */
    public static ParamGroup of(Iterable<Tensor> params) {
        if (params == null) {
            throw new IllegalArgumentException("ParamGroup.of: params is null");
        }
        List<Tensor> list = new ArrayList<>();
        for (Tensor p : params) {
            if (p == null) {
                throw new IllegalArgumentException("ParamGroup.of: parameter " + list.size() + " is null");
            }
            list.add(p);
        }
        return new ParamGroup(Collections.unmodifiableList(list), null);
    }

    /** A group of the given parameters, with no overrides yet. */
    public static ParamGroup of(Tensor... params) {
        if (params == null) {
            throw new IllegalArgumentException("ParamGroup.of: params is null");
        }
        return of(java.util.Arrays.asList(params));
    }

    /**
     * A group of named parameters (in the map's order), e.g. {@code model.namedParameters()}: the names are saved in
     * the optimizer's state dict and checked when it is loaded.
     */
    public static ParamGroup of(Map<String, Tensor> namedParams) {
        if (namedParams == null) {
            throw new IllegalArgumentException("ParamGroup.of: namedParams is null");
        }
        List<Tensor> list = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : namedParams.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("ParamGroup.of: named parameter " + list.size() + " ("
                        + e.getKey() + ") has a null " + (e.getKey() == null ? "name" : "tensor"));
            }
            list.add(e.getValue());
            names.add(e.getKey());
        }
        return new ParamGroup(Collections.unmodifiableList(list), Collections.unmodifiableList(names));
    }

    /** A group of the given parameters that overrides every option set in {@code overrides}. */
    public static ParamGroup of(Iterable<Tensor> params, OptimizerOptions<?> overrides) {
        return withOverrides(of(params), overrides);
    }

    /** A group of named parameters that overrides every option set in {@code overrides}. */
    public static ParamGroup of(Map<String, Tensor> namedParams, OptimizerOptions<?> overrides) {
        return withOverrides(of(namedParams), overrides);
    }

    private static ParamGroup withOverrides(ParamGroup group, OptimizerOptions<?> overrides) {
        if (overrides == null) {
            throw new IllegalArgumentException("ParamGroup.of: overrides is null");
        }
        group.options.putAll(overrides.values());
        return group;
    }

    /** The parameters of this group (read-only). */
    public List<Tensor> params() {
        return params;
    }

    /** The parameters' names (read-only), or null when the group was built from unnamed tensors. */
    public List<String> names() {
        return names;
    }

    /** Sets an option (validated when the group belongs to an optimizer); returns this. */
    public <T> ParamGroup set(Option<T> option, T value) {
        if (option == null) {
            throw new IllegalArgumentException(who() + ": set: option is null");
        }
        T typed = option.cast(value);
        if (owner == null) {
            options.put(option, typed);
            return this;
        }
        owner.checkKnown(this, option);
        Object previous = options.put(option, typed);
        try {
            owner.validate(this);
        } catch (RuntimeException e) {
            options.put(option, previous);
            throw e;
        }
        return this;
    }

    /** The learning rate. */
    public double lr() {
        Object v = options.get(owner == null ? null : owner.lrOption());
        if (v instanceof Double d) {
            return d;
        }
        for (Map.Entry<Option<?>, Object> e : options.entrySet()) {
            if (e.getKey().name().equals("lr") && e.getValue() instanceof Double d) {
                return d;
            }
        }
        throw new IllegalStateException(who() + ": the learning rate is not set yet");
    }

    /** Sets the learning rate (must be {@code >= 0}); the group must belong to an optimizer. */
    public ParamGroup setLr(double lr) {
        if (owner == null) {
            throw new IllegalStateException("ParamGroup.setLr: the group belongs to no optimizer yet; set the"
                    + " optimizer's lr option instead (e.g. ParamGroup.of(params, SGD.options().lr(" + lr + ")))");
        }
        return set(owner.lrOption(), lr);
    }

    /** The value of {@code option} in this group. */
    public <T> T get(Option<T> option) {
        if (option == null) {
            throw new IllegalArgumentException(who() + ": get: option is null");
        }
        Object v = options.get(option);
        if (v == null) {
            throw new IllegalArgumentException(who() + ": option '" + option.name() + "' is not set; options: "
                    + options.keySet());
        }
        return option.type().cast(v);
    }

    private String who() {
        return owner == null ? "ParamGroup" : owner.name() + " param group " + index;
    }

    /** All options of this group, read-only. */
    public Map<Option<?>, Object> options() {
        return Collections.unmodifiableMap(options);
    }

    @Override
    public String toString() {
        return "ParamGroup" + (index >= 0 ? " " + index : "") + " (" + params.size() + " params) " + options;
    }
}
