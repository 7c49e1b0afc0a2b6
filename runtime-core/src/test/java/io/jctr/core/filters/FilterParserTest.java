package io.jctr.core.filters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jctr.spi.JctrException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FilterParserTest {

    private static final Filter.Adaptor TASK_EXIT = Filter.adaptor(
            f -> switch (f) {
                case "topic" -> "/tasks/exit";
                case "namespace" -> "default";
                default -> null;
            },
            Map.of("containerd.io/gc.root", "2026-01-01", "a", "b"));

    @Test
    void equalityAndRegex() {
        assertTrue(FilterParser.parse("topic==\"/tasks/exit\"").test(TASK_EXIT));
        assertFalse(FilterParser.parse("topic==/tasks/start").test(TASK_EXIT));
        assertTrue(FilterParser.parse("topic~=\"/tasks/\"").test(TASK_EXIT));
        assertTrue(FilterParser.parse("topic~=/tasks/").test(TASK_EXIT));
        assertTrue(FilterParser.parse("topic!=/tasks/start").test(TASK_EXIT));
    }

    @Test
    void conjunctionWithinOneStringDisjunctionAcrossStrings() {
        assertFalse(FilterParser.parse("topic==/tasks/exit,namespace==other").test(TASK_EXIT));
        assertTrue(FilterParser.parse("topic==/tasks/exit,namespace==default").test(TASK_EXIT));
        assertTrue(FilterParser.parse(List.of("topic==/x", "namespace==default")).test(TASK_EXIT));
        assertFalse(FilterParser.parse(List.of("topic==/x", "namespace==y")).test(TASK_EXIT));
    }

    @Test
    void labelsWithQuotedKeysAndPresence() {
        assertTrue(FilterParser.parse("labels.\"containerd.io/gc.root\"").test(TASK_EXIT));
        assertTrue(FilterParser.parse("labels.\"containerd.io/gc.root\"==2026-01-01").test(TASK_EXIT));
        assertTrue(FilterParser.parse("labels.a==b").test(TASK_EXIT));
        assertFalse(FilterParser.parse("labels.missing").test(TASK_EXIT));
    }

    @Test
    void emptyFilterMatchesEverything() {
        assertTrue(FilterParser.parse("").test(TASK_EXIT));
        assertTrue(FilterParser.parse(List.of()).test(TASK_EXIT));
    }

    @Test
    void malformedFiltersNameThePosition() {
        JctrException e = assertThrows(JctrException.class, () -> FilterParser.parse("topic=/x"));
        assertEquals(JctrException.Kind.INVALID_ARGUMENT, e.kind());
        assertTrue(e.getMessage().contains("position 5"), e.getMessage());
        assertThrows(JctrException.class, () -> FilterParser.parse("labels.\"open"));
        assertThrows(JctrException.class, () -> FilterParser.parse("topic~=\"[\""));
        assertThrows(JctrException.class, () -> FilterParser.parse(",topic"));
    }
}
