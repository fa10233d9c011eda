package org.grad4j.optim;

/**
 * A typed hyper-parameter of an optimizer, such as {@link SGD#MOMENTUM} or {@link Adam#AMSGRAD}: its name (used in
 * messages and state dicts), its type and its default. Options are read and set through these keys, so a typo or a
 * value of the wrong type is a compile error, not a run-time surprise.
 * <pre>{@code
 * double lr = optimizer.paramGroups().get(0).get(SGD.LR);
 * group.set(SGD.MOMENTUM, 0.9);
 * }</pre>
 *
 * @param <T> {@link Double} or {@link Boolean}
 */
public final class Option<T> {
    private final String name;
    private final Class<T> type;
    private final T defaultValue;

    private Option(String name, Class<T> type, T defaultValue) {
        this.name = Args.notNull(name, "Option", "name");
        this.type = type;
        this.defaultValue = defaultValue;
    }

    /** A numeric option with a default. */
    public static Option<Double> number(String name, double defaultValue) {
        return new Option<>(name, Double.class, defaultValue);
    }

    /** A numeric option without a default: the optimizer's options or every group must set it. */
    public static Option<Double> requiredNumber(String name) {
        return new Option<>(name, Double.class, null);
    }

    /** A flag with a default. */
    public static Option<Boolean> flag(String name, boolean defaultValue) {
        return new Option<>(name, Boolean.class, defaultValue);
    }

    /** The name, e.g. {@code "weightDecay"}. */
    public String name() {
        return name;
    }

    /** {@code Double.class} or {@code Boolean.class}. */
    public Class<T> type() {
        return type;
    }

    /** Whether the option has no default. */
    public boolean isRequired() {
        return defaultValue == null;
    }

    /** The default, or null if the option is {@linkplain #isRequired() required}. */
    public T defaultValue() {
        return defaultValue;
    }

    /** {@code value} as this option's type, or an exception naming the option. */
    T cast(Object value) {
        if (!type.isInstance(value)) {
            throw new IllegalArgumentException("option '" + name + "' must be " + (type == Boolean.class
                    ? "a boolean" : "a number") + ", got " + value);
        }
        return type.cast(value);
    }

    @Override
    public String toString() {
        return name;
    }
}
