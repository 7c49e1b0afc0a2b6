package io.jctr.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * An OCI bundle for runtime tests: a rootfs with Debian's static busybox and every applet link,
 * and the config.json that {@code jctr-runc spec} writes, edited by the test (no terminal, the
 * test's command, a writable root unless asked).
 */
final class RuncBundle {

    static final Path JCTR_RUNC = Commands.HOME.resolve("bin/jctr-runc");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path dir;

    private RuncBundle(Path dir) {
        this.dir = dir;
    }

    /** A bundle in {@code dir} running {@code args}. */
    static RuncBundle create(Path dir, String... args) throws IOException {
        Path rootfs = Files.createDirectories(dir.resolve("rootfs"));
        for (String d : List.of("bin", "dev", "etc", "proc", "sys", "tmp", "root")) {
            Files.createDirectories(rootfs.resolve(d));
        }
        Files.copy(Path.of("/bin/busybox"), rootfs.resolve("bin/busybox"));
        String applets = Commands.run(List.of("/bin/busybox", "--list")).ok().out();
        for (String applet : applets.split("\n")) {
            if (!applet.isBlank() && !applet.equals("busybox")) {
                Files.createSymbolicLink(rootfs.resolve("bin").resolve(applet.strip()), Path.of("busybox"));
            }
        }
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534::/:/bin/sh\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\nnogroup:x:65534:\n");
        Commands.run(List.of(JCTR_RUNC.toString(), "spec", "--bundle", dir.toString())).ok();
        RuncBundle b = new RuncBundle(dir);
        b.edit(spec -> {
            ObjectNode process = (ObjectNode) spec.get("process");
            process.put("terminal", false);
            ArrayNode a = process.putArray("args");
            for (String s : args) {
                a.add(s);
            }
            ((ObjectNode) spec.get("root")).put("readonly", false);
        });
        return b;
    }

    /** A bundle already made in {@code dir}. */
    static RuncBundle existing(Path dir) {
        return new RuncBundle(dir);
    }

    Path dir() {
        return dir;
    }

    /** Rewrites config.json through {@code change}. */
    RuncBundle edit(Consumer<ObjectNode> change) throws IOException {
        ObjectNode spec = (ObjectNode) MAPPER.readTree(dir.resolve("config.json").toFile());
        change.accept(spec);
        MAPPER.writeValue(dir.resolve("config.json").toFile(), spec);
        return this;
    }

    /** {@code jctr-runc --root ROOT ARGS...}. */
    static List<String> runc(Path root, String... args) {
        List<String> c = new java.util.ArrayList<>(List.of(JCTR_RUNC.toString(), "--root", root.toString()));
        c.addAll(List.of(args));
        return c;
    }
}
