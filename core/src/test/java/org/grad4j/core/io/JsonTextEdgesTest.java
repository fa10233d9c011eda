package org.grad4j.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link JsonText}'s writer and parser at their edges: every value type, nesting limits, escapes, error texts. */
class JsonTextEdgesTest {

    /** {@code depth} lists nested in each other around an empty list: {@code [[...[]...]]}. */
    private static Object nestedLists(int depth) {
        Object value = List.of();
        for (int i = 0; i < depth; i++) {
            value = List.of(value);
        }
        return value;
    }

    @Test
    void everyValueTypeIsWrittenAsItsJsonLiteral() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("s", "a\"b");
        map.put("t", true);
        map.put("i", 7);
        map.put("l", -9_000_000_000L);
        map.put("d", 0.1);
        map.put("b", new BigDecimal("1.50"));
        map.put("n", null);
        map.put("list", Arrays.asList(1, null, "x"));
        map.put("empty", List.of());
        map.put("obj", Map.of());
        assertEquals("{\"s\":\"a\\\"b\",\"t\":true,\"i\":7,\"l\":-9000000000,\"d\":0.1,\"b\":1.50,\"n\":null,"
                + "\"list\":[1,null,\"x\"],\"empty\":[],\"obj\":{}}", JsonText.write(map));
    }

    @Test
    void parsedValuesHaveTheDocumentedTypes() {
        @SuppressWarnings("unchecked")
        Map<String, Object> back = (Map<String, Object>) JsonText.parse(
                " {\"a\": [1, -0.5e2, true, false, null, \"\\u00ff\\u00AF\"], \"b\": {}} ");
        List<?> a = (List<?>) back.get("a");
        assertEquals(new BigDecimal("1"), a.get(0));
        assertEquals(new BigDecimal("-0.5e2"), a.get(1));
        assertEquals(Boolean.TRUE, a.get(2));
        assertEquals(Boolean.FALSE, a.get(3));
        assertNull(a.get(4));
        assertEquals("\u00ff\u00af", a.get(5));
        assertEquals(Map.of(), back.get("b"));
        assertEquals(List.of("a", "b"), new ArrayList<>(back.keySet()));
        assertEquals(Map.of(), JsonText.parse("{ \t\n\r}"));
        assertEquals(List.of(), JsonText.parse("[ \n]"));
        assertEquals(List.of(Map.of("k", List.of())), JsonText.parse("[ { \"k\" : [ ] } ]"));
    }

    @Test
    void writingNestsUpToTheParsersDepthLimitAndNoFurther() {
        // The writer refuses a value nested deeper than the parser accepts, so whatever it writes can be read back.
        Object deepest = nestedLists(Json.MAX_DEPTH);
        String text = JsonText.write(deepest);
        assertEquals("[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1), text);
        Object tooDeep = nestedLists(Json.MAX_DEPTH + 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonText.write(tooDeep));
        assertTrue(e.getMessage().contains("nested deeper than " + Json.MAX_DEPTH), e.getMessage());
    }

    @Test
    void parsingAcceptsSixtyFourLevelsAndRefusesSixtyFive() {
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        Object value = JsonText.parse(ok);
        for (int i = 1; i < Json.MAX_DEPTH; i++) {
            value = ((List<?>) value).get(0);
        }
        assertEquals(List.of(), value);
        String deep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonText.parse(deep));
        assertEquals("JsonText.parse: nesting deeper than 64 levels at position 64", e.getMessage());
        String deepObjects = "{\"k\":".repeat(Json.MAX_DEPTH + 1) + "1" + "}".repeat(Json.MAX_DEPTH + 1);
        assertThrows(IllegalArgumentException.class, () -> JsonText.parse(deepObjects));
    }

    @Test
    void nonStringKeysNullKeysAndOtherTypesAreRefusedByName() {
        Map<Object, Object> intKey = new HashMap<>();
        intKey.put(1, "x");
        assertEquals("JsonText.write: map key 1 is not a string",
                assertThrows(IllegalArgumentException.class, () -> JsonText.write(intKey)).getMessage());
        Map<Object, Object> nullKey = new HashMap<>();
        nullKey.put(null, "x");
        assertThrows(IllegalArgumentException.class, () -> JsonText.write(nullKey));
        assertEquals("JsonText.write: cannot write a java.lang.Float",
                assertThrows(IllegalArgumentException.class, () -> JsonText.write(List.of(1f))).getMessage());
        assertEquals("JsonText.write: Infinity has no JSON form",
                assertThrows(IllegalArgumentException.class,
                        () -> JsonText.write(Double.POSITIVE_INFINITY)).getMessage());
        assertEquals("JsonText.parse: text is null",
                assertThrows(IllegalArgumentException.class, () -> JsonText.parse(null)).getMessage());
    }

    @Test
    void controlCharactersAreEscapedAndReadBack() {
        String s = "\u0000\u001f\b\f\n\r\t\\\" \u007f\u00e9\ud83d\ude42";
        String text = JsonText.write(s);
        assertEquals("\"\\u0000\\u001f\\b\\f\\n\\r\\t\\\\\\\" \u007f\u00e9\ud83d\ude42\"", text);
        assertEquals(s, JsonText.parse(text));
    }

    /** The parser's message for {@code text}, without the "JsonText.parse: " prefix. */
    private static String error(String text) {
        String message = assertThrows(IllegalArgumentException.class, () -> JsonText.parse(text)).getMessage();
        assertTrue(message.startsWith("JsonText.parse: "), message);
        return message.substring("JsonText.parse: ".length());
    }

    @Test
    void syntaxErrorsSayWhatAndWhere() {
        assertEquals("unexpected '~' after the end of the JSON value at position 3", error("{} ~"));
        assertEquals("unexpected U+007F after the end of the JSON value at position 2", error("{}\u007f"));
        assertEquals("unexpected U+001F, expected a value at position 0", error("\u001f"));
        assertEquals("unexpected end of text, expected a value at position 1", error("["));
        assertEquals("unexpected end of text inside an array at position 2", error("[1"));
        assertEquals("expected ',' or ']' in array, found '}' at position 2", error("[1}"));
        assertEquals("unexpected end of text inside an object at position 1", error("{"));
        assertEquals("unexpected end of text inside an object at position 6", error("{\"a\":1"));
        assertEquals("expected ',' or '}' in object, found ']' at position 6", error("{\"a\":1]"));
        assertEquals("expected a string key, found '1' at position 1", error("{1:2}"));
        assertEquals("unexpected end of text, expected ':' after object key \"a\" at position 4", error("{\"a\""));
        assertEquals("expected ':' after object key \"a\", found ',' at position 4", error("{\"a\",1}"));
        assertEquals("duplicate key \"a\" at position 7", error("{\"a\":1,\"a\":2}"));
        assertEquals("invalid literal, expected true at position 0", error("tru"));
        assertEquals("invalid number: expected a digit at position 1", error("-x"));
        assertEquals("invalid number: expected a digit after '.' at position 2", error("1."));
        assertEquals("invalid number: expected a digit in the exponent at position 3", error("1e+"));
        assertEquals("unexpected '1' after the end of the JSON value at position 1", error("01"));
    }

    @Test
    void stringAndEscapeErrorsSayWhatAndWhere() {
        assertEquals("unterminated string at position 0", error("\"abc"));
        assertEquals("unterminated escape sequence at position 1", error("\"\\"));
        assertEquals("truncated \\u escape at position 1", error("\"\\u004"));
        // the four digits end exactly at the end of the text: the escape is complete, the string is not
        assertEquals("unterminated string at position 0", error("\"\\u0041"));
        assertEquals("invalid \\u escape: 'g' is not a hex digit at position 1", error("\"\\u00g0\""));
        // Character.digit accepts fullwidth digits; JSON does not
        assertEquals("invalid \\u escape: U+FF11 is not a hex digit at position 1", error("\"\\u00\uff110\""));
        assertEquals("invalid escape sequence \\x at position 1", error("\"\\x\""));
        assertEquals("invalid escape sequence \\U+007F at position 1", error("\"\\\u007f\""));
        assertEquals("invalid escape sequence \\U+001F at position 1", error("\"\\\u001f\""));
        assertEquals("invalid escape sequence \\~ at position 1", error("\"\\~\""));
        assertEquals("unescaped control character U+001F in string at position 1", error("\"\u001f\""));
        assertEquals("unpaired surrogate \\uD83D in string at position 1", error("\"\\ud83d\""));
        assertEquals("unpaired surrogate \\uD83D in string at position 1", error("\"\\ud83d\\u0041\""));
        assertEquals("unpaired surrogate \\uDE42 in string at position 1", error("\"\\ude42\""));
        assertEquals("\ud83d\ude42/", JsonText.parse("\"\\ud83d\\ude42\\/\""));
    }

    @Test
    void anUnpairedSurrogateCannotBeWritten() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonText.write("a\ud83d"));
        assertEquals("string has an unpaired surrogate U+D83D at index 1, which UTF-8 cannot encode", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> JsonText.write("\ude42b"));
    }
}
