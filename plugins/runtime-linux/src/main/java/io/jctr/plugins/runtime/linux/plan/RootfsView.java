package io.jctr.plugins.runtime.linux.plan;

import io.jctr.plugins.runtime.linux.spec.JsonPath;
import io.jctr.plugins.runtime.linux.spec.SpecException;
import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The container's tree as the plan builds it: the rootfs on disk plus the mount points planned
 * so far, whose contents the disk does not show. Resolves spec paths inside it with
 * {@link SecureJoin}. Not thread-safe.
 */
final class RootfsView {

    private final Path rootfs;
    private final List<String> mountPoints = new ArrayList<>();

    RootfsView(Path rootfs) {
        this.rootfs = rootfs;
    }

    Path rootfs() {
        return rootfs;
    }

    /** The host path of a resolved container path. */
    Path onDisk(String containerPath) {
        return containerPath.equals("/") ? rootfs : rootfs.resolve(containerPath.substring(1));
    }

    /**
     * Resolves {@code path} (relative ones from {@code /}) inside the rootfs.
     *
     * @throws SpecException at {@code jsonPath} when the links loop
     */
    String resolve(String path, String jsonPath) throws IOException {
        try {
            return SecureJoin.resolve(rootfs, path, this::isOpaque);
        } catch (FileSystemLoopException e) {
            throw new SpecException(jsonPath, "too many levels of symbolic links resolving "
                    + JsonPath.quote(path) + " in the rootfs");
        }
    }

    /** Records a planned mount point (a resolved container path). */
    void addMountPoint(String containerPath) {
        mountPoints.add(containerPath);
    }

    /** Whether a planned mount covers {@code dir}, so the disk no longer shows what is there. */
    boolean isOpaque(String dir) {
        for (String m : mountPoints) {
            if (SecureJoin.isWithin(dir, m)) {
                return true;
            }
        }
        return false;
    }
}
