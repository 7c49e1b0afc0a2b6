package io.jctr.core.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jctr.spi.JctrException;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntryNamesTest {

    @Test
    void cleansNamesRelativeToTheRoot() {
        assertEquals(List.of("etc", "x"), EntryNames.clean("../../etc/x"));
        assertEquals(List.of("etc", "x"), EntryNames.clean("/etc/x"));
        assertEquals(List.of("etc", "x"), EntryNames.clean("./etc//./x/"));
        assertEquals(List.of("x"), EntryNames.clean("a/b/../../../x"));
        assertEquals(List.of("..."), EntryNames.clean("..."));
        assertEquals(List.of(), EntryNames.clean("./"));
        assertEquals(List.of(), EntryNames.clean("/"));
        assertEquals(List.of(), EntryNames.clean(""));
        assertEquals(List.of(), EntryNames.clean("a/.."));
    }

    @Test
    void hardLinkTargetsMayNotLeaveTheRoot() {
        assertEquals(List.of("usr", "bin", "x"), EntryNames.hardLinkTarget("e", "./usr/bin/x"));
        assertEquals(List.of("x"), EntryNames.hardLinkTarget("e", "a/../x"));
        for (String escaping : new String[] {"/etc/passwd", "../etc/passwd", "a/../../x", "//x"}) {
            JctrException e = assertThrows(JctrException.class, () -> EntryNames.hardLinkTarget("e", escaping));
            assertEquals(JctrException.Kind.INVALID_ARGUMENT, e.kind());
            assertEquals("hard link \"e\" -> " + EntryNames.quote(escaping) + " escapes the root: invalid argument", e.getMessage());
        }
    }

    @Test
    void refusesNulBytes() {
        JctrException e = assertThrows(JctrException.class, () -> EntryNames.clean("a\0b"));
        assertEquals("layer entry \"a\\x00b\": name \"a\\x00b\" contains a NUL byte: invalid argument", e.getMessage());
    }

    @Test
    void recognisesWhiteouts() {
        assertTrue(EntryNames.isWhiteout(".wh.foo"));
        assertTrue(EntryNames.isWhiteout(".wh..wh..opq"));
        assertFalse(EntryNames.isWhiteout("wh.foo"));
        assertTrue(EntryNames.anyWhiteout(List.of("a", ".wh..wh.plnk")));
        assertFalse(EntryNames.anyWhiteout(List.of("a", "b")));
    }

    @Test
    void quotesForErrorMessages() {
        assertEquals("\"a\\\"b\\\\c\\x0a\\x7f\"", EntryNames.quote("a\"b\\c\n\u007f"));
    }
}
