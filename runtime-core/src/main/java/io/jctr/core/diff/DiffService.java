package io.jctr.core.diff;

import io.jctr.core.content.ContentService;
import io.jctr.core.mount.Mounter;
import io.jctr.spi.JctrException;
import io.jctr.spi.snapshots.Mount;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * containerd's "walking" differ, apply half: mounts what the snapshotter handed out on a private
 * temporary directory, streams the layer blob of the request's namespace through
 * {@link LayerApplier} into it, and unmounts, whatever happened. A single writable bind mount is
 * not mounted at all: the layer is applied straight into its source directory.
 */
public final class DiffService {

    private static final Logger LOG = Logger.getLogger(DiffService.class.getName());

    private final ContentService content;
    private final Path mountRoot;

    /** @param mountRoot a private directory for the temporary mount points */
    public DiffService(ContentService content, Path mountRoot) {
        this.content = content;
        this.mountRoot = mountRoot;
    }

    public AppliedLayer apply(String ns, String mediaType, String digest, List<Mount> mounts) throws IOException {
        return apply(mediaType, digest, mounts, stored(ns, digest));
    }

    /** The stored blob {@code digest} of namespace {@code ns}, opened when read. */
    public LayerOpener stored(String ns, String digest) {
        return () -> new ContentInputStream(content.reader(ns, digest));
    }

    /** Opens a layer's bytes. */
    public interface LayerOpener {
        InputStream open() throws IOException;
    }

    /**
     * As {@link #apply(String, String, String, List)}, with the layer's bytes from {@code layer}
     * rather than the content store: a pull applies a layer while it is still downloading (the
     * caller verifies the blob's digest before it commits the snapshot).
     *
     * @param digest the layer's digest, for messages
     */
    public AppliedLayer apply(String mediaType, String digest, List<Mount> mounts, LayerOpener layer) throws IOException {
        return apply(mediaType, digest, mounts, layer, ApplyOptions.defaults());
    }

    /**
     * As {@link #apply(String, String, List, LayerOpener)} with the given options; for a snapshot
     * prepared without the layer's parents, to be committed onto them
     * ({@link ApplyOptions#forTargetWithoutParents()}, then {@link #adoptParents}).
     *
     * @throws ParentsNeededException when the layer turned out to need its parents (only without them)
     */
    public AppliedLayer apply(String mediaType, String digest, List<Mount> mounts, LayerOpener layer, ApplyOptions options)
            throws IOException {
        if (mounts.isEmpty()) {
            throw JctrException.invalidArgument("apply of %s: no mounts to apply the layer to", digest);
        }
        return onMounted(mounts, "apply-", dir -> {
            try (InputStream in = layer.open()) {
                return LayerApplier.apply(in, mediaType, dir, options);
            }
        });
    }

    /**
     * Gives a layer applied without its parents into {@code layer} what applying it on them would
     * have given: the owner, mode and xattrs of the parents' directories it had to create (see
     * {@link LowerDirectories}), read from {@code parentView}, a view of the committed parents.
     *
     * @throws ParentsNeededException when it cannot be stacked as applied: apply it on the parents
     */
    public void adoptParents(List<Mount> layer, List<Mount> parentView, AppliedLayer applied) throws IOException {
        if (applied.implicitDirectories().isEmpty()) {
            return;
        }
        onMounted(layer, "layer-", upper -> onMounted(parentView, "parents-", lower -> {
            LowerDirectories.adopt(upper, lower, applied.implicitDirectories());
            return null;
        }));
    }

    /**
     * Starts writing what was applied into {@code layer} to disk (syncfs of its filesystem) and
     * waits for it, so that the commit's own sync, on the path of everything stacked above, finds
     * little left to write. Only an optimisation: commit makes the snapshot durable either way, so
     * a failure here is logged and ignored. Needs {@code layer} to be a writable bind mount (a
     * snapshot without parent); does nothing otherwise.
     */
    public void writeBack(List<Mount> layer) {
        Path dir = writableBindSource(layer);
        if (dir == null) {
            return;
        }
        int fd = LibC.libc().open(LibC.path(dir), LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC);
        if (fd < 0) {
            LOG.log(Level.FINE, "cannot open " + dir + " to write it back: " + LibC.libc().strerror(LibC.lastErrno()));
            return;
        }
        try {
            if (LibC.libc().syncfs(fd) != 0) {
                LOG.log(Level.FINE, "syncfs " + dir + ": " + LibC.libc().strerror(LibC.lastErrno()));
            }
        } finally {
            LibC.libc().close(fd);
        }
    }

    private interface OnDirectory<T> {
        T run(Path dir) throws IOException;
    }

    /** Runs {@code action} on the directory {@code mounts} show: their source itself for a writable bind mount. */
    private <T> T onMounted(List<Mount> mounts, String prefix, OnDirectory<T> action) throws IOException {
        Path direct = writableBindSource(mounts);
        if (direct != null) {
            return action.run(direct);
        }
        Files.createDirectories(mountRoot);
        Path target = Files.createTempDirectory(mountRoot, prefix);
        try {
            Mounter.mountAll(mounts, target);
            try {
                return action.run(target);
            } finally {
                Mounter.unmount(target);
            }
        } finally {
            try {
                Files.delete(target);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot remove temporary mount point " + target + ": " + e.getMessage());
            }
        }
    }

    /**
     * The directory that mounting {@code mounts} would show, when it is a single writable bind
     * mount of the whole view: applying there directly saves the mount, the unmount and the temporary
     * mount point, as containerd's walking differ does for bind mounts.
     */
    static Path writableBindSource(List<Mount> mounts) {
        if (mounts.size() != 1) {
            return null;
        }
        Mount m = mounts.get(0);
        boolean bind = m.type().equals("bind") || m.options().contains("bind") || m.options().contains("rbind");
        if (!bind || !m.target().isEmpty() || m.options().contains("ro")) {
            return null;
        }
        return Path.of(m.source());
    }
}
