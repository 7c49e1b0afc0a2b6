package io.jctr.core.diff;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/** {@code lstat(2)}: what is at a path itself, never what a symlink there points to. */
final class Lstat {

    private Lstat() {
    }

    /** The attributes of {@code path} itself, or {@code null} when nothing is there. */
    static BasicFileAttributes of(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
