package org.grad4j.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** JSON text: parsed values, edited and written back, keep every number literal as it was. */
class JsonTextTest {
    @Test
    void parsedTextWrittenBackIsUnchanged() {
        String text = "{\"lr\":0.001,\"eps\":1.0E-8,\"big\":1E+400,\"steps\":{\"0\":3,\"1\":-2},\"names\":[\"a\",true,null]}";
        assertEquals(text, JsonText.write(JsonText.parse(text)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void anEditedEntryIsWrittenWithTheOthersUnchanged() {
        Map<String, Object> parsed = (Map<String, Object>) JsonText.parse("{\"lr\":0.1,\"steps\":{\"0\":3}}");
        Map<String, Object> steps = new LinkedHashMap<>();
        steps.put("0", 4L);
        parsed.put("steps", steps);
        assertEquals("{\"lr\":0.1,\"steps\":{\"0\":4}}", JsonText.write(parsed));
        assertEquals(new BigDecimal("0.1"), ((Map<String, Object>) JsonText.parse(JsonText.write(parsed))).get("lr"));
    }

    @Test
    void otherTypesAndNonFiniteDoublesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> JsonText.write(List.of(Double.NaN)));
        assertThrows(IllegalArgumentException.class, () -> JsonText.write(Map.of("x", 1.5f)));
    }
}
