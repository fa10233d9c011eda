package org.grad4j.core.io;

/**
 * Argument checks for the public entry points of this package: a null names the operation and the parameter, with
 * an {@link IllegalArgumentException}, as in the rest of grad4j.
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
}
