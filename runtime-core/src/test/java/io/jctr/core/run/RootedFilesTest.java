package io.jctr.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootedFilesTest {

    @Test
    void symlinksStayInsideTheRoot(@TempDir Path tmp) throws Exception {
        Path host = Files.writeString(tmp.resolve("host-secret"), "host\n");
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.createDirectories(root.resolve("etc"));
        Files.createDirectories(root.resolve("data"));
        Files.writeString(root.resolve("data/passwd"), "root:x:0:0::/:/bin/sh\n");
        Files.createSymbolicLink(root.resolve("etc/passwd"), Path.of("../../../data/passwd"));
        Files.createSymbolicLink(root.resolve("etc/group"), host);
        Files.createSymbolicLink(root.resolve("etc/loop"), Path.of("loop"));
        Files.createDirectories(root.resolve("etc/dir"));

        assertEquals("root:x:0:0::/:/bin/sh\n", RootedFiles.read(root, "/etc/passwd"), "'..' stops at the root");
        assertEquals("", RootedFiles.read(root, "/etc/group"), "the host's file is not read through an absolute link");
        // an absolute link names the image's file of that path, never the host's
        Path inImage = root.resolve(host.toString().substring(1));
        Files.createDirectories(inImage.getParent());
        Files.writeString(inImage, "image's own\n");
        assertEquals("image's own\n", RootedFiles.read(root, "/etc/group"));
        assertEquals("", RootedFiles.read(root, "/etc/loop"));
        assertEquals("", RootedFiles.read(root, "/etc/dir"));
        assertEquals("", RootedFiles.read(root, "/etc/missing"));
    }
}
