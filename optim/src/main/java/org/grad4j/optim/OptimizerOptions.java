package org.grad4j.optim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The hyper-parameters a caller set explicitly for one optimizer: the base of {@link SGD.Options},
 * {@link RMSProp.Options} and {@link Adam.Options}. Options that were not set take the optimizer's default (for
 * the optimizer's defaults) or the optimizer's defaults (for a {@link ParamGroup}'s overrides), as the
 * {@code defaults} dict and param-group dicts of {@code torch.optim} do.
 *
 * <pre>{@code
 * var sgd = new SGD(params, SGD.options(0.1).momentum(0.9).nesterov(true));
 * var head = ParamGroup.of(headParams, SGD.options().lr(0.5));       // overrides lr only
 * }</pre>
 *
 * <p>A custom optimizer defines its own subclass with one fluent method per {@link Option}, each calling
 * {@link #put}.
 *
 * @param <O> the concrete options class, returned by the fluent setters
 */
public abstract class OptimizerOptions<O extends OptimizerOptions<O>> {
    private final Map<Option<?>, Object> values = new LinkedHashMap<>();

    /** For subclasses. */
    protected OptimizerOptions() {
    }

    /** Records {@code option = value} and returns these options. */
    protected final <T> O put(Option<T> option, T value) {
        if (option == null) {
            throw new IllegalArgumentException("OptimizerOptions.put: option is null");
        }
        values.put(option, option.cast(value));
        @SuppressWarnings("unchecked")
        O self = (O) this;
        return self;
    }

    /** Whether {@code option} was set. */
    public final boolean isSet(Option<?> option) {
        return values.containsKey(option);
    }

    /** The options set so far, in the order they were set (read-only). */
    public final Map<Option<?>, Object> values() {
        return Collections.unmodifiableMap(values);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + values;
    }
}
