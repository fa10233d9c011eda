package org.grad4j.optim;

import java.util.Objects;

/**
 * A typed hyper-parameter of an optimizer, such as {@link SGD#MOMENTUM} or {@link Adam#AMSGRAD}: its name (used in
 * messages and state dicts), its type and its default. Options are read and set through these keys, so a typo or a
 * value of the wrong type is a compile error, not a run-time surprise.
 * <pre>{@code
 * double lr = optimizer.paramGroups().get(0).get(SGD.LR);
 * group.set(SGD.MOMENTUM, 0.9);
 * }</pre>
 *
 * @param <T> {@link Double}, {@link Integer}, {@link Boolean} or an enum (e.g. {@link LBFGS.LineSearch})
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

    /** A whole-number option with a default, e.g. {@link LBFGS#MAX_ITER}. */
    public static Option<Integer> integer(String name, int defaultValue) {
        return new Option<>(name, Integer.class, defaultValue);
    }

    /** A whole-number option without a default: the optimizer's options or every group must set it. */
    public static Option<Integer> requiredInteger(String name) {
        return new Option<>(name, Integer.class, null);
    }

    /** An option that takes one of the constants of {@code type}, e.g. {@link LBFGS#LINE_SEARCH_FN}. */
    public static <E extends Enum<E>> Option<E> choice(String name, Class<E> type, E defaultValue) {
        if (type == null) {
            throw new IllegalArgumentException("Option.choice: type is null");
        }
        return new Option<>(name, type, defaultValue);
    }

    /** The name, e.g. {@code "weightDecay"}. */
    public String name() {
        return name;
    }

    /** {@code Double.class}, {@code Integer.class}, {@code Boolean.class} or the enum class. */
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
            throw new IllegalArgumentException("option '" + name + "' must be " + describeType() + ", got "
                    + value);
        }
        return type.cast(value);
    }

    private String describeType() {
        if (type == Boolean.class) {
            return "a boolean";
        }
        if (type == Double.class) {
            return "a number";
        }
        if (type == Integer.class) {
            return "an integer";
        }
        return "one of " + java.util.Arrays.toString(type.getEnumConstants());
    }

    /** {@code value} as it is written into a state dict's JSON (an enum by its constant's name). */
    Object toSaved(Object value) {
        return value instanceof Enum<?> e ? e.name() : value;
    }

    /** A value read back from a state dict's JSON as this option's type, or an exception naming the entry. */
    T fromSaved(String where, Object saved) {
        Object v;
        if (type == Boolean.class) {
            v = SavedState.bool(where, name, saved);
        } else if (type == Double.class) {
            v = SavedState.number(where, name, saved);
        } else if (type == Integer.class) {
            double d = SavedState.number(where, name, saved);
            if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(where + name + " should be an integer, got " + saved);
            }
            v = (int) d;
        } else {
            v = null;
            for (T constant : type.getEnumConstants()) {
                if (((Enum<?>) constant).name().equals(saved)) {
                    v = constant;
                }
            }
            if (v == null) {
                throw new IllegalArgumentException(where + name + " should be " + describeType() + ", got " + saved);
            }
        }
        return type.cast(v);
    }

    @Override
    public String toString() {
        return name;
    }
}
