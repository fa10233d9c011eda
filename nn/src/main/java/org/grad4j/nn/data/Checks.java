package org.grad4j.nn.data;

/** Argument checks shared by this package: the public API says what is wrong instead of a NullPointerException. */
final class Checks {
    private Checks() {
    }

    static <T> T notNull(String who, String name, T value) {
        if (value == null) {
            throw new IllegalArgumentException(who + ": " + name + " is null");
        }
        return value;
    }
}
