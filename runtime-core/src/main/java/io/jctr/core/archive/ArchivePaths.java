package io.jctr.core.archive;

import io.jctr.spi.JctrException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Files named in requests. The daemon opens them itself (it runs as root on the same machine as
 * its clients: the CLI's transport cannot stream a file up), so a path must be absolute; a
 * relative one would resolve against the daemon's working directory, not the client's.
 */
final class ArchivePaths {

    private ArchivePaths() {
    }

    static Path absolute(String path, String what) {
        if (path.isEmpty()) {
            throw JctrException.invalidArgument("%s: a path is required", what);
        }
        Path p;
        try {
            p = Path.of(path);
        } catch (InvalidPathException e) {
            throw JctrException.invalidArgument("%s: invalid path %s", what, EntryPaths.quote(path));
        }
        if (!p.isAbsolute()) {
            throw JctrException.invalidArgument("%s: path %s is relative; the daemon needs an absolute path", what,
                    EntryPaths.quote(path));
        }
        return p.normalize();
    }

    /** An existing regular file to read. */
    static Path input(String path, String what) {
        Path p = absolute(path, what);
        if (!Files.exists(p)) {
            throw JctrException.notFound("%s: file %s", what, p);
        }
        if (!Files.isRegularFile(p)) {
            throw JctrException.invalidArgument("%s: %s is not a regular file", what, p);
        }
        return p;
    }
}
