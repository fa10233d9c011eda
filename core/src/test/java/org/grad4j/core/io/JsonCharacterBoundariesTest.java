package org.grad4j.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The characters at the edges of the printable range in JSON error messages: a space (0x20, the first printable
 * one) is quoted as itself in an invalid escape and in a \\u escape, as '~' (0x7e, the last) is; and a
 * safetensors header value of the wrong kind is described as what it is (an object).
 */
class JsonCharacterBoundariesTest {

    private static String error(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonText.parse(text));
        String message = e.getMessage();
        assertTrue(message.startsWith("JsonText.parse: "), message);
        return message.substring("JsonText.parse: ".length());
    }

    @Test
    void aSpaceIsPrintedAsItself() {
        assertEquals("invalid escape sequence \\  at position 1", error("\"\\ \""));
        assertEquals("invalid \\u escape: ' ' is not a hex digit at position 1", error("\"\\u00 1\""));
        assertEquals("invalid \\u escape: '~' is not a hex digit at position 1", error("\"\\u00~1\""));
        assertEquals("invalid \\u escape: U+007F is not a hex digit at position 1", error("\"\\u00\u007f1\""));
    }

    @Test
    void aHeaderValueOfTheWrongKindIsDescribed() {
        String header = "{\"w\":{\"dtype\":{},\"shape\":[1],\"data_offsets\":[0,4]}}";
        SafeTensorsFormatException e = assertThrows(SafeTensorsFormatException.class,
                () -> SafeTensors.decode(Bytes.file(header, new byte[4])));
        assertTrue(e.getMessage().contains("\"dtype\" must be a string, found an object"), e.getMessage());
    }
}
