package org.grad4j.core;

import java.util.List;

/**
 * Argument checks for the public entry points of this package: a null names the operation and the parameter, with
 * an {@link IllegalArgumentException} (the convention of {@code nn} and {@code optim} too), never a
 * {@link NullPointerException} from deep inside.
 */
final class Args {
    private Args() {
    }

    /** Returns {@code value}, or throws an {@link IllegalArgumentException} naming the operation and parameter. */
    static <T> T notNull(T value, String operation, String parameter) {
        if (value == null) {
            throw new IllegalArgumentException(operation + ": " + parameter + " is null");
        }
        return value;
    }

    /** Returns {@code values} after checking that neither the array nor any element is null. */
    static <T> T[] noNulls(T[] values, String operation, String parameter) {
        notNull(values, operation, parameter);
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                throw new IllegalArgumentException(operation + ": " + parameter + "[" + i + "] is null");
            }
        }
        return values;
    }

    /** Returns {@code values} after checking that neither the list nor any element is null. */
    static <T> List<T> noNulls(List<T> values, String operation, String parameter) {
        notNull(values, operation, parameter);
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                throw new IllegalArgumentException(operation + ": " + parameter + ".get(" + i + ") is null");
            }
        }
        return values;
    }
}
