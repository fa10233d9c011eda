package org.grad4j.optim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The hyper-parameters a caller set explicitly, by name, for one optimizer: the base of {@link SGD.Options},
 * {@link RMSProp.Options} and {@link Adam.Options}. Options that were not set take the optimizer's default (for
 * the optimizer's defaults) or the optimizer's defaults (for a {@link ParamGroup}'s overrides), as the
 * {@code defaults} dict and param-group dicts of {@code torch.optim} do.
 *
 * <pre>{@code
 * var sgd = new SGD(params, SGD.options(0.1).momentum(0.9).nesterov(true));
 * Map<String, Object> set = SGD.options(0.1).momentum(0.9).values();   // {lr=0.1, momentum=0.9}
 * }</pre>
 *
 * <p>A custom optimizer defines its own subclass with one fluent method per option, each calling {@link #put}.
 *
 * @param <O> the concrete options class, returned by the fluent setters
 */
public abstract class OptimizerOptions<O extends OptimizerOptions<O>> {
    private final Map<String, Object> values = new LinkedHashMap<>();

    /** For subclasses. */
    protected OptimizerOptions() {
    }

    /** Records {@code name = value} (a {@link Double} or a {@link Boolean}) and returns these options. */
    protected final O put(String name, Object value) {
        if (!(value instanceof Double) && !(value instanceof Boolean)) {
            throw new IllegalArgumentException("option '" + name + "' must be a double or a boolean, got " + value);
        }
        values.put(name, value);
        @SuppressWarnings("unchecked")
        O self = (O) this;
        return self;
    }

    /** The options set so far, in the order they were set (read-only). */
    public final Map<String, Object> values() {
        return Collections.unmodifiableMap(values);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + values;
    }
}
