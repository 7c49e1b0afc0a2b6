package io.jctr.core.diff;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Applies an OCI layer (a tar changeset, plain, gzip or zstd) to a mounted snapshot, what
 * containerd's walking differ does with {@code archive.Apply}: files, directories, symlinks, hard
 * links, devices, fifos, ownership, modes including setuid/setgid/sticky, times, xattrs from PAX
 * headers, GNU and PAX long names, and OCI whiteouts. {@code target} is the mounted view (a bind
 * mount of a plain directory, or an overlay mount, where the kernel turns each removal into a
 * whiteout of the upper directory).
 *
 * <h2>Every tar is hostile</h2>
 * Nothing outside {@code target} is ever created, modified or removed. Each entry name is cleaned
 * lexically into components relative to the root; its parent directory is then resolved component
 * by component from the root with lstat, following an existing symlink only <em>inside</em> the
 * root, as a process chrooted to it would ({@link RootedPath}); the final component is never
 * followed: whatever is there is removed and the node created anew. Per case:
 * <ul>
 * <li>{@code ../../etc/x}, {@code /etc/x}: <b>contained</b>. Leading {@code /} and {@code ./}
 *     are stripped and {@code ..} cannot climb above the root, so both write {@code etc/x} under
 *     the target (containerd's rule).</li>
 * <li>symlink {@code evil -> /} then {@code evil/etc/x}; symlink {@code evil -> ../../..} then
 *     {@code evil/x}; a chain of symlinks: <b>contained</b>. The symlink is created with its
 *     target verbatim; a later entry's parent resolves it within the root (an absolute target
 *     restarts at the root, {@code ..} stops at it), so the writes land on {@code etc/x} and
 *     {@code x} under the target.</li>
 * <li>symlinks that loop: <b>rejected</b> after 255 hops
 *     ({@code layer entry "a/x": too many levels of symbolic links}).</li>
 * <li>a parent component that is a file or device: <b>rejected</b>
 *     ({@code layer entry "f/x": "f" is not a directory}).</li>
 * <li>a symlink at an entry's own path (to be replaced by a directory, a file, anything):
 *     <b>replaced</b>. The symlink is removed and the new node created; files are opened
 *     O_CREAT|O_EXCL|O_NOFOLLOW, so nothing is ever written through a symlink.</li>
 * <li>a directory replaced by a symlink after its entry: the directory's deferred owner, mode and
 *     times are <b>dropped</b>, never applied through the symlink.</li>
 * <li>hard link to {@code /etc/passwd} or {@code ../../../etc/passwd}: <b>rejected</b>
 *     ({@code hard link "a" -> "/etc/passwd" escapes the root}); a link name is an earlier
 *     entry's name and never absolute or above the root in a well-formed layer. containerd
 *     clamps such names into the root instead.</li>
 * <li>hard link through a symlink ({@code evil -> /}, link to {@code evil/etc/passwd}):
 *     <b>contained</b>. The link's directory resolves within the root, so it names the
 *     target's own {@code etc/passwd} and fails with {@code target not found} if there is none.
 *     A link whose target is a directory is rejected; a link to a symlink links the symlink
 *     (whose target then never matters). As in containerd, the link entry's owner, mode and
 *     times are applied to the shared inode, except the mode of a symlink.</li>
 * <li>whiteouts resolve their directory the same way (contained; a missing directory means
 *     there is nothing to remove and nothing is created); {@code .wh.} and {@code .wh..} are
 *     rejected ({@code layer entry "d/.wh..": invalid whiteout name}); entries below a
 *     whiteout-named directory (AUFS {@code .wh..wh.plnk/...}) are skipped.</li>
 * <li>a name the JVM cannot use as a path (a NUL byte; a name not encodable in the JVM's
 *     file-name encoding, so run with a UTF-8 locale): <b>rejected</b>.</li>
 * </ul>
 * Entries whose name resolves to the root itself (such as {@code ./}) are ignored, as containerd
 * ignores them: the snapshot's root keeps its metadata.
 *
 * <h2>Errors</h2>
 * A bad entry is a {@link io.jctr.spi.JctrException} of kind INVALID_ARGUMENT naming it. A
 * truncated or corrupt stream (gzip, zstd or tar) is INVALID_ARGUMENT too:
 * {@code unexpected end of layer: ...} when the stream ended early, {@code malformed layer: ...}
 * otherwise; like Go's archive/tar, an archive that ends between entries without its two zero
 * records is accepted. An unsupported media type is INVALID_ARGUMENT naming it. Filesystem
 * failures and I/O errors of the caller's stream are {@link IOException}s. On any error the
 * applier stops where it is: the caller discards the snapshot.
 *
 * <h2>Single writer</h2>
 * While a call runs, the applier must be the only writer of {@code target}: nothing else may
 * create, remove or rename anything in it. Safety rests on this: a directory the call has resolved
 * (or created) is remembered and not lstat'ed again for later entries below it; every removal or
 * replacement the applier itself makes forgets that path and everything below it, so a directory
 * a later entry turns into a symlink is resolved afresh. Another writer swapping a directory for a
 * symlink meanwhile could redirect writes outside the root (as it could between any lstat and the
 * write after it).
 *
 * <p>Memory is bounded: entry data streams through a 64 KiB buffer, the decompressor runs at most
 * six 256 KiB chunks ahead on its own thread, PAX headers and long names are capped at 1 MiB; what grows with
 * the layer is one path per created node (needed for opaque whiteouts), one per resolved
 * directory and one record per directory.
 *
 * <p>Thread-safety: each call is independent; concurrent calls must use different targets. A
 * compressed layer is decompressed on a helper thread that ends before the call returns.
 */
public final class LayerApplier {

    private LayerApplier() {
    }

    /** {@link #apply(InputStream, String, Path, ApplyOptions)} with {@link ApplyOptions#defaults()}. */
    public static AppliedLayer apply(InputStream layer, String mediaType, Path target) throws IOException {
        return apply(layer, mediaType, target, ApplyOptions.defaults());
    }

    /**
     * Applies {@code layer} to directory {@code target} and reads the stream to its end.
     *
     * @param layer the layer blob; read to its end, not closed (the caller owns it)
     * @param mediaType its media type, or null to detect the compression from magic bytes
     * @param target the mounted snapshot, an existing directory
     * @return the diff id and uncompressed size of the layer
     * @throws io.jctr.spi.JctrException INVALID_ARGUMENT for an unsupported media type, a
     *     malformed or truncated stream, or an entry refused as described above
     * @throws IOException when the filesystem or {@code layer} itself fails
     */
    public static AppliedLayer apply(InputStream layer, String mediaType, Path target, ApplyOptions options) throws IOException {
        Path root = target.toRealPath();
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            throw new NotDirectoryException(target.toString());
        }
        LayerTarget tree = new LayerTarget(root, options);
        try (LayerEntries entries = LayerEntries.open(layer, mediaType)) {
            for (TarArchiveEntry entry = entries.next(); entry != null; entry = entries.next()) {
                try {
                    applyEntry(tree, entries, entry);
                } catch (InvalidPathException e) {
                    throw EntryNames.invalid(entry.getName(), "not a valid file name here: " + e.getReason());
                } catch (ParentsNeededException e) {
                    throw e;
                } catch (IOException e) {
                    throw new IOException("layer entry " + EntryNames.quote(entry.getName()) + ": " + e.getMessage(), e);
                }
            }
            tree.directories().applyAll(options);
            AppliedLayer read = entries.finish();
            return new AppliedLayer(read.diffId(), read.size(), tree.implicitDirectories());
        }
    }

    private static void applyEntry(LayerTarget tree, LayerEntries entries, TarArchiveEntry entry) throws IOException {
        String name = entry.getName();
        List<String> parts = EntryNames.clean(name);
        if (parts.isEmpty()) {
            return;
        }
        List<String> parents = parts.subList(0, parts.size() - 1);
        String base = parts.get(parts.size() - 1);
        if (EntryNames.anyWhiteout(parents)) {
            return;
        }
        if (EntryNames.isWhiteout(base)) {
            // Without the parents, a whiteout's directory may be theirs: it is made to hold the whiteout.
            Path dir = tree.directory(parents, name, tree.options().withoutParents());
            if (dir != null) {
                Whiteouts.apply(tree, dir, base, name);
            }
            return;
        }
        NodeAttributes attrs = NodeAttributes.of(entry, entries.xattrs());
        Path dir = tree.directory(parents, name, true);
        EntryWriters.write(tree, entries, entry, dir.resolve(base), attrs);
    }
}
