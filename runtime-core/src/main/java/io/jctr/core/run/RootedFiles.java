package io.jctr.core.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Reads small files of an image's root file system mounted on the host, resolving the path the
 * way a process chrooted there would: symlinks are followed inside the root ({@code /etc/passwd
 * -> /etc/shadow} of the image, never of the host; {@code ..} stops at the root). An image is
 * untrusted input, and the daemon reading it runs as root.
 */
final class RootedFiles {

    private static final int MAX_LINKS = 40;
    private static final int MAX_BYTES = 1 << 20;

    private RootedFiles() {
    }

    /** The text of {@code path} (absolute, in the image) under {@code root}; "" when it is missing or not a regular file. */
    static String read(Path root, String path) throws IOException {
        Path file = resolve(root, path);
        if (file == null) {
            return "";
        }
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] b = in.readNBytes(MAX_BYTES + 1);
            if (b.length > MAX_BYTES) {
                throw new IOException("the image's " + path + " is larger than " + MAX_BYTES + " bytes");
            }
            return new String(b, StandardCharsets.UTF_8);
        }
    }

    /** The real path of a regular file {@code path} names inside {@code root}, or null. */
    static Path resolve(Path root, String path) throws IOException {
        Deque<String> todo = new ArrayDeque<>(List.of(path.split("/")));
        Path current = root;
        int links = 0;
        while (!todo.isEmpty()) {
            String c = todo.pollFirst();
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                current = current.equals(root) ? root : current.getParent();
                continue;
            }
            Path next = current.resolve(c);
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(next, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (java.nio.file.NoSuchFileException e) {
                return null;
            }
            if (a.isSymbolicLink()) {
                if (++links > MAX_LINKS) {
                    return null;
                }
                String target = Files.readSymbolicLink(next).toString();
                if (target.startsWith("/")) {
                    current = root;
                }
                String[] parts = target.split("/");
                for (int i = parts.length - 1; i >= 0; i--) {
                    todo.addFirst(parts[i]);
                }
            } else if (todo.isEmpty()) {
                return a.isRegularFile() ? next : null;
            } else if (a.isDirectory()) {
                current = next;
            } else {
                return null;
            }
        }
        return null;
    }
}
