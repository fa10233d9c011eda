package org.grad4j.core.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The small subset of JSON that safetensors headers need: a strict RFC 8259 parser and a string
 * escaper. Not a general-purpose JSON library.
 *
 * <p>Parsed values are {@code Map<String, Object>} (a {@link LinkedHashMap}, in document order),
 * {@code List<Object>}, {@link String}, {@link Num}, {@link Boolean} or {@link #NULL}.
 */
final class Json {

    /** Deepest nesting accepted; keeps a hostile header like {@code [[[[...} from overflowing the stack. */
    static final int MAX_DEPTH = 64;

    /** The JSON literal {@code null}. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** A JSON number, kept as its literal text so callers can check it is an exact integer. */
    record Num(String literal) {
        @Override
        public String toString() {
            return literal;
        }
    }

    /** A syntax error at a character position of the parsed text. */
    static final class ParseException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int position;

        ParseException(String message, int position) {
            super(message);
            this.position = position;
        }

        int position() {
            return position;
        }
    }

    private final String text;
    private int pos;

    private Json(String text) {
        this.text = text;
    }

    /** Parses one JSON value; only whitespace may surround it. Objects with duplicate keys are rejected. */
    static Object parse(String text) throws ParseException {
        Json parser = new Json(text);
        Object value = parser.value(0);
        parser.skipWhitespace();
        if (parser.pos < text.length()) {
            throw parser.error("unexpected " + describeChar(text.charAt(parser.pos)) + " after the end of the JSON value");
        }
        return value;
    }

    /** A short human description of a parsed value, for error messages. */
    static String describe(Object value) {
        if (value instanceof Map<?, ?>) {
            return "an object";
        } else if (value instanceof List<?>) {
            return "an array";
        } else if (value instanceof String s) {
            return "the string " + quote(s.length() > 40 ? s.substring(0, 40) + "..." : s);
        } else if (value instanceof Num n) {
            return "the number " + (n.literal().length() > 40 ? n.literal().substring(0, 40) + "..." : n.literal());
        } else {
            return String.valueOf(value);
        }
    }

    /** {@code s} as a JSON string literal. */
    static String quote(String s) {
        return appendString(new StringBuilder(s.length() + 2), s).toString();
    }

    /**
     * Appends {@code s} as a JSON string literal: quotes, backslashes and control characters escaped,
     * everything else (including non-ASCII) verbatim.
     *
     * @throws IllegalArgumentException if {@code s} holds an unpaired surrogate, which has no UTF-8 encoding
     */
    static StringBuilder appendString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        throw new IllegalArgumentException(
                                "string has an unpaired surrogate U+" + hex4(c) + " at index " + i + ", which UTF-8 cannot encode");
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    private Object value(int depth) throws ParseException {
        skipWhitespace();
        if (pos >= text.length()) {
            throw error("unexpected end of text, expected a value");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object(depth + 1);
            case '[' -> array(depth + 1);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", NULL);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("unexpected " + describeChar(c) + ", expected a value");
            }
        };
    }

    private Map<String, Object> object(int depth) throws ParseException {
        checkDepth(depth);
        pos++; // '{'
        Map<String, Object> map = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return map;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error(pos >= text.length() ? "unexpected end of text inside an object" : "expected a string key, found " + describeChar(peek()));
            }
            int keyStart = pos;
            String key = string();
            if (map.containsKey(key)) {
                throw new ParseException("duplicate key " + quote(key), keyStart);
            }
            skipWhitespace();
            expect(':', "after object key " + quote(key));
            map.put(key, value(depth));
            skipWhitespace();
            char c = peek();
            if (c == ',') {
                pos++;
            } else if (c == '}') {
                pos++;
                return map;
            } else {
                throw error(pos >= text.length() ? "unexpected end of text inside an object" : "expected ',' or '}' in object, found " + describeChar(c));
            }
        }
    }

    private List<Object> array(int depth) throws ParseException {
        checkDepth(depth);
        pos++; // '['
        List<Object> list = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            list.add(value(depth));
            skipWhitespace();
            char c = peek();
            if (c == ',') {
                pos++;
            } else if (c == ']') {
                pos++;
                return list;
            } else {
                throw error(pos >= text.length() ? "unexpected end of text inside an array" : "expected ',' or ']' in array, found " + describeChar(c));
            }
        }
    }

    private String string() throws ParseException {
        int start = pos;
        pos++; // opening quote
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw new ParseException("unterminated string", start);
            }
            char c = text.charAt(pos);
            if (c == '"') {
                pos++;
                return sb.toString();
            } else if (c == '\\') {
                escape(sb);
            } else if (c < 0x20) {
                throw error("unescaped control character U+" + hex4(c) + " in string");
            } else {
                sb.append(c);
                pos++;
            }
        }
    }

    private void escape(StringBuilder sb) throws ParseException {
        int start = pos;
        pos++; // backslash
        if (pos >= text.length()) {
            throw new ParseException("unterminated escape sequence", start);
        }
        char c = text.charAt(pos++);
        switch (c) {
            case '"' -> sb.append('"');
            case '\\' -> sb.append('\\');
            case '/' -> sb.append('/');
            case 'b' -> sb.append('\b');
            case 'f' -> sb.append('\f');
            case 'n' -> sb.append('\n');
            case 'r' -> sb.append('\r');
            case 't' -> sb.append('\t');
            case 'u' -> {
                char unit = hexUnit(start);
                if (Character.isHighSurrogate(unit)) {
                    int lowStart = pos;
                    if (!text.startsWith("\\u", pos)) {
                        throw new ParseException("unpaired surrogate \\u" + hex4(unit) + " in string", start);
                    }
                    pos += 2;
                    char low = hexUnit(lowStart);
                    if (!Character.isLowSurrogate(low)) {
                        throw new ParseException("unpaired surrogate \\u" + hex4(unit) + " in string", start);
                    }
                    sb.append(unit).append(low);
                } else if (Character.isLowSurrogate(unit)) {
                    throw new ParseException("unpaired surrogate \\u" + hex4(unit) + " in string", start);
                } else {
                    sb.append(unit);
                }
            }
            default -> throw new ParseException("invalid escape sequence \\" + (c < 0x20 || c > 0x7e ? describeChar(c) : String.valueOf(c)), start);
        }
    }

    /** Reads the 4 hex digits after a {@code \\u}. */
    private char hexUnit(int escapeStart) throws ParseException {
        if (pos + 4 > text.length()) {
            throw new ParseException("truncated \\u escape", escapeStart);
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(text.charAt(pos + i), 16);
            if (digit < 0 || text.charAt(pos + i) > 'f') {
                throw new ParseException("invalid \\u escape: " + describeChar(text.charAt(pos + i)) + " is not a hex digit", escapeStart);
            }
            value = value * 16 + digit;
        }
        pos += 4;
        return (char) value;
    }

    private Num number() throws ParseException {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (isDigit(peek())) {
            skipDigits();
        } else {
            throw error("invalid number: expected a digit");
        }
        if (peek() == '.') {
            pos++;
            if (!isDigit(peek())) {
                throw error("invalid number: expected a digit after '.'");
            }
            skipDigits();
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!isDigit(peek())) {
                throw error("invalid number: expected a digit in the exponent");
            }
            skipDigits();
        }
        return new Num(text.substring(start, pos));
    }

    private Object literal(String word, Object value) throws ParseException {
        if (!text.startsWith(word, pos)) {
            throw error("invalid literal, expected " + word);
        }
        pos += word.length();
        return value;
    }

    private void checkDepth(int depth) throws ParseException {
        if (depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH + " levels");
        }
    }

    private void expect(char c, String context) throws ParseException {
        if (peek() != c) {
            throw error(pos >= text.length()
                    ? "unexpected end of text, expected '" + c + "' " + context
                    : "expected '" + c + "' " + context + ", found " + describeChar(peek()));
        }
        pos++;
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private void skipDigits() {
        while (isDigit(peek())) {
            pos++;
        }
    }

    /** The current character, or NUL at the end of the text (NUL never matches anything the parser looks for). */
    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private ParseException error(String message) {
        return new ParseException(message, pos);
    }

    private static String describeChar(char c) {
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : "U+" + hex4(c);
    }

    private static String hex4(char c) {
        return String.format("%04X", (int) c);
    }
}
