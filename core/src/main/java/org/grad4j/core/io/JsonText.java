package org.grad4j.core.io;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON text for small structured metadata (an optimizer's hyper-parameters and step counts stored in a safetensors
 * header), on the codec's strict parser. Values are {@code Map<String, ?>} (written in iteration order),
 * {@code List<?>}, {@link String}, {@link Boolean}, {@code null}, and numbers: {@link Integer}, {@link Long} and
 * finite {@link Double}s written in Java's shortest round-tripping form, so a double read back with
 * {@code Double.parseDouble(number.toString())} is bit-identical.
 * <pre>{@code
 * String text = JsonText.write(Map.of("lr", 0.001, "steps", List.of(1L, 2L)));
 * Map<?, ?> back = (Map<?, ?>) JsonText.parse(text);       // numbers come back as BigDecimal
 * }</pre>
 */
public final class JsonText {
    private JsonText() {
    }

    /**
     * The JSON text of {@code value}.
     *
     * @throws IllegalArgumentException for a non-finite double, a null map key or a value of another type
     */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value, 0);
        return out.toString();
    }

    private static void write(StringBuilder out, Object value, int depth) {
        if (depth > Json.MAX_DEPTH) {
            throw new IllegalArgumentException("JsonText.write: nested deeper than " + Json.MAX_DEPTH);
        }
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            Json.appendString(out, s);
        } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long) {
            out.append(value);
        } else if (value instanceof Double d) {
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("JsonText.write: " + d + " has no JSON form");
            }
            out.append(d);
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("JsonText.write: map key " + e.getKey() + " is not a string");
                }
                out.append(first ? "" : ",");
                first = false;
                Json.appendString(out, key).append(':');
                write(out, e.getValue(), depth + 1);
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                out.append(i == 0 ? "" : ",");
                write(out, list.get(i), depth + 1);
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException("JsonText.write: cannot write a " + value.getClass().getName());
        }
    }

    /**
     * Parses JSON text: objects become {@code LinkedHashMap<String, Object>} in document order, arrays
     * {@code List<Object>}, numbers {@link BigDecimal}, {@code null} null.
     *
     * @throws IllegalArgumentException if the text is not valid JSON (the message gives the position)
     */
    public static Object parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("JsonText.parse: text is null");
        }
        try {
            return convert(Json.parse(text));
        } catch (Json.ParseException e) {
            throw new IllegalArgumentException("JsonText.parse: " + e.getMessage() + " at position "
                    + e.position());
        }
    }

    private static Object convert(Object parsed) {
        if (parsed == Json.NULL) {
            return null;
        }
        if (parsed instanceof Json.Num n) {
            return new BigDecimal(n.literal());
        }
        if (parsed instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put((String) k, convert(v)));
            return out;
        }
        if (parsed instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(convert(v)));
            return out;
        }
        return parsed;
    }
}
