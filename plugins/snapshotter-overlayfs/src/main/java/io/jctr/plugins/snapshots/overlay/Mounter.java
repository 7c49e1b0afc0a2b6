package io.jctr.plugins.snapshots.overlay;

import io.jctr.spi.snapshots.Mount;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Performs {@link Mount}s with mount(2), the way containerd's {@code mount} package does: known
 * flag words become mount flags, the other options the data string; a bind mount gets its
 * read-only and other per-mount flags in a second, remounting call (the kernel ignores them on the
 * first). Used by the support check and the tests; it shows what a runtime must do with the mounts
 * {@link OverlaySnapshotter} returns, deep chains included (see {@link #mount}).
 */
final class Mounter {

    private static final long MS_RDONLY = 1;
    private static final long MS_NOSUID = 2;
    private static final long MS_NODEV = 4;
    private static final long MS_NOEXEC = 8;
    private static final long MS_SYNCHRONOUS = 16;
    private static final long MS_REMOUNT = 32;
    private static final long MS_NOATIME = 1024;
    private static final long MS_NODIRATIME = 2048;
    private static final long MS_BIND = 4096;
    private static final long MS_REC = 16384;
    private static final long MS_RELATIME = 1L << 21;
    private static final long MS_STRICTATIME = 1L << 24;

    private static final Map<String, Long> SETS = Map.ofEntries(
            Map.entry("ro", MS_RDONLY), Map.entry("nosuid", MS_NOSUID), Map.entry("nodev", MS_NODEV),
            Map.entry("noexec", MS_NOEXEC), Map.entry("sync", MS_SYNCHRONOUS), Map.entry("remount", MS_REMOUNT),
            Map.entry("noatime", MS_NOATIME), Map.entry("nodiratime", MS_NODIRATIME), Map.entry("bind", MS_BIND),
            Map.entry("rbind", MS_BIND | MS_REC), Map.entry("relatime", MS_RELATIME),
            Map.entry("strictatime", MS_STRICTATIME));
    private static final Map<String, Long> CLEARS = Map.of(
            "rw", MS_RDONLY, "suid", MS_NOSUID, "dev", MS_NODEV, "exec", MS_NOEXEC, "async", MS_SYNCHRONOUS,
            "atime", MS_NOATIME, "diratime", MS_NODIRATIME);

    private final Posix posix;

    Mounter(Posix posix) {
        this.posix = posix;
    }

    /** Performs {@code mounts} in order onto {@code root}; on failure undoes the ones done. */
    void mountAll(List<Mount> mounts, Path root) throws IOException {
        List<Path> done = new ArrayList<>();
        try {
            for (Mount m : mounts) {
                Path target = m.target().isEmpty() ? root : root.resolve(m.target());
                mount(m, target);
                done.add(target);
            }
        } catch (IOException e) {
            for (int i = done.size() - 1; i >= 0; i--) {
                try {
                    posix.unmount(done.get(i));
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /**
     * Performs one mount. mount(2) copies at most one page of option data, and the absolute layer
     * paths of a deep overlay chain exceed it (a 128-layer chain under the default root needs about
     * 8 KiB). Then the paths are rewritten relative to their common parent directory (the
     * snapshotter's {@code snapshots/}, whose entries are short numeric ids), reached through
     * {@code /proc/self/fd/<n>} of a descriptor held open for the call — the result containerd's
     * mount package gets with a chdir, which a JVM cannot do (the working directory is shared by
     * all its threads). That fits about 170 layers in a page (the kernel allows 500); a deeper
     * chain fails with an error that says so.
     */
    void mount(Mount m, Path target) throws IOException {
        long flags = 0;
        List<String> data = new ArrayList<>();
        for (String option : m.options()) {
            if (SETS.containsKey(option)) {
                flags |= SETS.get(option);
            } else if (CLEARS.containsKey(option)) {
                flags &= ~CLEARS.get(option);
            } else {
                data.add(option);
            }
        }
        if ((flags & MS_BIND) != 0) {
            bind(m.source(), target, flags);
            return;
        }
        String joined = String.join(",", data);
        if ("overlay".equals(m.type()) && joined.length() >= posix.pageSize()) {
            mountCompacted(m, target, flags, data);
            return;
        }
        posix.mount(m.source(), target, m.type(), flags, joined.isEmpty() ? null : joined);
    }

    /** Unmounts everything stacked at {@code target}; nothing mounted there is fine. */
    void unmountAll(Path target) throws IOException {
        while (posix.unmount(target)) {
            // each round removes the topmost mount
        }
    }

    private void bind(String source, Path target, long flags) throws IOException {
        posix.mount(source, target, null, flags & (MS_BIND | MS_REC), null);
        long perMount = flags & ~(MS_BIND | MS_REC | MS_REMOUNT);
        if (perMount == 0) {
            return;
        }
        try {
            posix.mount(null, target, null, MS_REMOUNT | MS_BIND | perMount, null);
        } catch (IOException e) {
            try {
                posix.unmount(target);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void mountCompacted(Mount m, Path target, long flags, List<String> data) throws IOException {
        Path common = commonParent(data);
        int fd = posix.openDirectoryPath(common);
        try {
            String prefix = "/proc/self/fd/" + fd + "/";
            List<String> compacted = new ArrayList<>();
            for (String option : data) {
                compacted.add(compactOption(option, common, prefix));
            }
            String joined = String.join(",", compacted);
            if (joined.length() >= posix.pageSize()) {
                throw new IOException("overlay mount data for " + target + " is " + joined.length()
                        + " bytes even with compacted layer paths; mount(2) takes at most " + (posix.pageSize() - 1));
            }
            posix.mount(m.source(), target, m.type(), flags, joined);
        } finally {
            posix.close(fd);
        }
    }

    private static String compactOption(String option, Path common, String prefix) {
        int eq = option.indexOf('=');
        String name = eq < 0 ? option : option.substring(0, eq);
        if (!name.equals("lowerdir") && !name.equals("upperdir") && !name.equals("workdir")) {
            return option;
        }
        List<String> paths = new ArrayList<>();
        for (String p : option.substring(eq + 1).split(":")) {
            Path path = Path.of(p);
            paths.add(path.startsWith(common) ? prefix + common.relativize(path) : p);
        }
        return name + "=" + String.join(":", paths);
    }

    private static Path commonParent(List<String> data) throws IOException {
        List<Path> lowers = new ArrayList<>();
        for (String option : data) {
            if (option.startsWith("lowerdir=")) {
                for (String p : option.substring("lowerdir=".length()).split(":")) {
                    lowers.add(Path.of(p));
                }
            }
        }
        if (lowers.isEmpty()) {
            throw new IOException("overlay mount data is over a page long but has no lowerdir to shorten");
        }
        Path common = lowers.get(0).getParent();
        while (common != null && !allUnder(lowers, common)) {
            common = common.getParent();
        }
        if (common == null || common.getParent() == null) {
            throw new IOException("overlay lower directories share no parent to shorten their paths against");
        }
        return common;
    }

    private static boolean allUnder(List<Path> paths, Path dir) {
        return paths.stream().allMatch(p -> p.startsWith(dir));
    }
}
