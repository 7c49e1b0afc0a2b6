package io.jctr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonReaderTest {

    @Test
    void readsValues() {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("a", 1L);
        expected.put("b", List.of("x", true, 2.5));
        expected.put("c", Map.of());
        expected.put("d", Arrays.asList((Object) null));
        expected.put("e", "q\"\\\n\u00e9");
        assertEquals(expected, JsonReader.parse(" {\"a\": 1, \"b\": [\"x\", true, 2.5], \"c\": {}, \"d\": [null], \"e\": \"q\\\"\\\\\\n\\u00e9\"} "));
    }

    @Test
    void rejectsMalformed() {
        for (String bad : List.of("", "{", "{\"a\" 1}", "[1,]", "{} x", "nope", "\"open")) {
            assertThrows(IllegalArgumentException.class, () -> JsonReader.parse(bad), bad);
        }
    }
}
