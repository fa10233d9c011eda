package org.grad4j.optim;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** Reading parsed state-dict metadata (JSON values) with messages that name the entry that does not fit. */
final class SavedState {
    private SavedState() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(String where, String what, Object value) {
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IllegalArgumentException(where + what + " should be a JSON object, got " + value);
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(String where, String what, Object value) {
        if (value instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw new IllegalArgumentException(where + what + " should be a JSON array, got " + value);
    }

    /** A double, bit-exact: the literal is parsed by {@link Double#parseDouble}, as it was written. */
    static double number(String where, String what, Object value) {
        if (value instanceof BigDecimal d) {
            return Double.parseDouble(d.toString());
        }
        throw new IllegalArgumentException(where + what + " should be a number, got " + value);
    }

    /** A number saved as its {@link Double#toString} text (so NaN and infinities survive), bit-exact. */
    static double scalar(String where, String what, Object value) {
        if (value instanceof String text) {
            try {
                return Double.parseDouble(text);
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException(where + what + " should be a number written as a string, got " + value);
    }

    static boolean bool(String where, String what, Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException(where + what + " should be true or false, got " + value);
    }

    static long count(String where, String what, Object value) {
        if (value instanceof BigDecimal d) {
            try {
                long n = d.longValueExact();
                if (n >= 0) {
                    return n;
                }
            } catch (ArithmeticException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException(where + "the step count of parameter " + what + " should be a"
                + " non-negative integer, got " + value);
    }

    static int index(String where, String text, int count, String key) {
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
}
