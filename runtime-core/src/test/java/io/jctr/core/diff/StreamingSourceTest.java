package io.jctr.core.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Layers can be gigabytes: entry data must stream, never be read whole. Checked on the source,
 * since a test cannot easily prove a heap bound.
 */
class StreamingSourceTest {

    private static final Path SOURCES = Path.of("src/main/java/io/jctr/core/diff");

    @Test
    void noWholeStreamReads() throws IOException {
        List<Path> files;
        try (Stream<Path> all = Files.list(SOURCES)) {
            files = all.filter(p -> p.toString().endsWith(".java")).toList();
        }
        assertTrue(files.size() > 10, "sources found in " + SOURCES.toAbsolutePath());
        for (Path f : files) {
            String code = Files.readString(f);
            for (String forbidden : List.of("readAllBytes", "IOUtils.toByteArray", "transferTo(", "readAllLines")) {
                assertEquals(-1, code.indexOf(forbidden), f.getFileName() + " uses " + forbidden);
            }
        }
    }
}
