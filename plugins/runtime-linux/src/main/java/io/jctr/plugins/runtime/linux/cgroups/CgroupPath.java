package io.jctr.plugins.runtime.linux.cgroups;

import io.jctr.spi.JctrException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A validated {@code linux.cgroupsPath}: absolute means below each hierarchy's root, relative
 * means below the runtime's own cgroup in each hierarchy (runc's reading). Immutable.
 *
 * @param path     the cleaned path: {@code /a/b} or {@code a/b}
 * @param absolute whether it starts at the hierarchy root
 */
public record CgroupPath(String path, boolean absolute) {

    /** systemd's {@code slice:prefix:name}, which only runc's systemd driver understands. */
    private static final Pattern SYSTEMD = Pattern.compile("[^/:]*:[^/:]*:[^/:]+");

    /**
     * Validates {@code cgroupsPath}, using {@code defaultPath} (e.g. {@code /jctr/<id>}) when it
     * is empty.
     *
     * @throws JctrException invalid argument for a path with {@code ..}, control characters or
     *                       naming a hierarchy's root; not implemented for a systemd-style path
     */
    public static CgroupPath of(String cgroupsPath, String defaultPath) {
        String raw = cgroupsPath == null || cgroupsPath.isEmpty() ? defaultPath : cgroupsPath;
        if (raw == null || raw.isEmpty()) {
            throw JctrException.invalidArgument("cgroupsPath: empty and no default given");
        }
        if (SYSTEMD.matcher(raw).matches()) {
            throw new JctrException(JctrException.Kind.NOT_IMPLEMENTED, String.format(
                    "cgroupsPath \"%s\": systemd cgroup driver is not supported", raw));
        }
        List<String> names = new ArrayList<>();
        for (String name : raw.split("/")) {
            if (name.equals("..")) {
                throw JctrException.invalidArgument(
                        "cgroupsPath \"%s\": \"..\" is not allowed", raw);
            }
            for (char c : name.toCharArray()) {
                if (c < 0x20 || c == 0x7f) {
                    throw JctrException.invalidArgument(
                            "cgroupsPath \"%s\": control character %#x is not allowed",
                            raw.replace("\n", "\\n"), (int) c);
                }
            }
            if (!name.isEmpty() && !name.equals(".")) {
                names.add(name);
            }
        }
        if (names.isEmpty()) {
            throw JctrException.invalidArgument(
                    "cgroupsPath \"%s\": must name a cgroup below the root", raw);
        }
        boolean absolute = raw.startsWith("/");
        return new CgroupPath((absolute ? "/" : "") + String.join("/", names), absolute);
    }

    /** The directory in hierarchy {@code h}. */
    Path in(CgroupLayout.Hierarchy h) {
        String relative = path.startsWith("/") ? path.substring(1) : path;
        if (absolute) {
            return h.mountPoint().resolve(relative);
        }
        // Own cgroup "/a/b" under a mount whose root is "/a" lives at <mount>/b.
        String own = h.ownCgroup();
        String root = h.root();
        if (!root.equals("/") && (own.equals(root) || own.startsWith(root + "/"))) {
            own = own.substring(root.length());
        }
        Path base = h.mountPoint();
        for (String name : own.split("/")) {
            if (!name.isEmpty()) {
                base = base.resolve(name);
            }
        }
        return base.resolve(relative);
    }
}
