package io.jctr.plugins.runtime.linux.plan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Test cleanup: the hostile links point outside the temporary directory on purpose. */
final class SymbolicLinks {

    private SymbolicLinks() {
    }

    /** Deletes every symbolic link below {@code dir} (not following any). */
    static void deleteAll(Path dir) throws IOException {
        List<Path> links;
        try (Stream<Path> tree = Files.walk(dir)) {
            links = tree.filter(Files::isSymbolicLink).toList();
        }
        for (Path link : links) {
            Files.delete(link);
        }
    }
}
