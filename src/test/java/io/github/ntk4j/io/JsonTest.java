package io.github.ntk4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.InvalidInputException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** JSON reading is strict RFC 8259 (examples from RFC 8259 §6 and §9); writing round-trips through it. */
class JsonTest {
    @Test
    void readsObjectsArraysNumbersAsDoubles() {
        Object v = Json.parse("{\"a\": [1, -2.5e3, true, null, \"x\\u00e9\"], \"b\": {}}");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(List.of(1.0, -2500.0, true, "xé"), ((List<?>) m.get("a")).stream().filter(o -> o != null).toList());
        assertEquals(Map.of(), m.get("b"));
    }

    /** Grammar violations RFC 8259 §6 forbids (a plus sign, leading zeros) and truncated or trailing text. */
    @Test
    void refusesInvalidJsonWithOneReadableLine() {
        for (String bad : new String[] {"+1", "01", "{", "[1,]", "{\"a\" 1}", "1 2", "", "nul", "\"open"}) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> Json.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("JSON: ") && !e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void writerOutputParsesBack() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("x", new double[] {1, 0.1, -0.0, 1e300});
        m.put("s", "q\"\\\n");
        Object back = Json.parse(Json.write(m));
        assertEquals(List.of(1.0, 0.1, -0.0, 1e300), ((Map<?, ?>) back).get("x"));
        assertEquals("q\"\\\n", ((Map<?, ?>) back).get("s"));
        assertThrows(InvalidInputException.class, () -> Json.write(new double[] {Double.NaN}));
    }
}
