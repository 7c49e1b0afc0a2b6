package io.jctr.plugins.snapshots.overlay;

import io.jctr.plugins.snapshots.store.TreeDeleter;
import io.jctr.spi.SkipPluginException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Whether overlayfs works for a snapshotter root, checked as containerd's
 * {@code overlayutils.Supported} does: by mounting a real overlay of two lower directories with
 * upper and work directories in a scratch directory under the root, then writing a file and
 * deleting a lower one through it (which needs whiteouts in the upper directory). The root's
 * filesystem is what an unsupported upper directory shows up on: overlayfs itself, or a
 * filesystem without the features overlayfs needs, fails the mount.
 */
final class OverlaySupport {

    private static final String SCRATCH_PREFIX = "overlay-check-";

    private OverlaySupport() {
    }

    /**
     * Returns when overlayfs snapshots can live under {@code root} (created if missing).
     *
     * @throws SkipPluginException when not root, or when the test mount fails, with the reason
     * @throws IOException         when the root or the scratch directory cannot be set up or removed
     */
    static void check(Path root, Posix posix) throws SkipPluginException, IOException {
        if (posix.euid() != 0) {
            throw new SkipPluginException("overlayfs needs root");
        }
        Files.createDirectories(root);
        Mounter mounter = new Mounter(posix);
        removeStaleScratch(root, mounter);
        Path scratch = Files.createTempDirectory(root, SCRATCH_PREFIX);
        try {
            for (String d : List.of("lower1", "lower2", "upper", "work", "merged")) {
                Files.createDirectory(scratch.resolve(d));
            }
            Files.writeString(scratch.resolve("lower1/old"), "old");
            tryOverlay(scratch, mounter, posix);
        } finally {
            TreeDeleter.delete(scratch);
        }
    }

    private static void tryOverlay(Path scratch, Mounter mounter, Posix posix) throws SkipPluginException, IOException {
        Path merged = scratch.resolve("merged");
        String data = "lowerdir=" + scratch.resolve("lower2") + ":" + scratch.resolve("lower1")
                + ",upperdir=" + scratch.resolve("upper") + ",workdir=" + scratch.resolve("work");
        try {
            posix.mount("overlay", merged, "overlay", 0, data);
        } catch (IOException e) {
            throw new SkipPluginException("overlayfs not supported: " + e.getMessage() + hint(scratch), e);
        }
        try {
            Files.writeString(merged.resolve("new"), "new");
            Files.delete(merged.resolve("old"));
        } catch (IOException e) {
            throw new SkipPluginException("overlayfs not supported: cannot change files through an overlay under "
                    + scratch.getParent() + ": " + e, e);
        } finally {
            mounter.unmountAll(merged);
        }
    }

    /** A crash during a check can leave its scratch directory behind, even mounted. */
    private static void removeStaleScratch(Path root, Mounter mounter) throws IOException {
        try (DirectoryStream<Path> stale = Files.newDirectoryStream(root, SCRATCH_PREFIX + "*")) {
            for (Path dir : stale) {
                mounter.unmountAll(dir.resolve("merged"));
                TreeDeleter.delete(dir);
            }
        }
    }

    /** What the kernel only tells its log: the likely cause of a failed test mount. */
    private static String hint(Path scratch) throws IOException {
        Path filesystems = Path.of("/proc/filesystems");
        boolean listed = Files.exists(filesystems) && Files.readAllLines(filesystems, StandardCharsets.UTF_8).stream()
                .anyMatch(line -> line.endsWith("\toverlay"));
        if (!listed) {
            return " (the kernel lists no overlay filesystem in /proc/filesystems)";
        }
        String type = Files.getFileStore(scratch).type();
        return " (" + scratch.getParent() + " is on " + type + ", which may not hold overlay upper directories)";
    }
}
