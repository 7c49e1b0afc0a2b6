package io.jctr.core.archive;

import io.jctr.spi.JctrException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads an image archive (tar, optionally gzip-compressed) in one pass, in whatever order its
 * entries come: {@code blobs/sha256/<hex>} are stored verified against their names; other
 * regular files (Docker's {@code layer.tar} and config files) are stored under the digest of
 * their bytes; the metadata files are kept in memory up to {@link #MAX_METADATA} bytes.
 * Entries with absolute names, {@code ..} components, links out of the archive or special file
 * types are refused.
 */
final class ArchiveScanner {

    static final int MAX_METADATA = 8 * 1024 * 1024;
    private static final Set<String> METADATA = Set.of("oci-layout", "index.json", "manifest.json", "repositories");
    private static final Pattern BLOB = Pattern.compile("blobs/sha256/([0-9a-f]{64})");
    /** Per-layer files of Docker's legacy format that import does not need. */
    private static final Pattern LEGACY = Pattern.compile("[^/]+/(json|VERSION)");

    private ArchiveScanner() {
    }

    static ScannedArchive scan(Path file, BlobSink sink) throws IOException {
        ScannedArchive out = new ScannedArchive(file.toString());
        int entries = 0;
        try (InputStream raw = Files.newInputStream(file); TarArchiveInputStream tar = new TarArchiveInputStream(decompressed(raw, file))) {
            TarArchiveEntry e;
            while ((e = next(tar, file)) != null) {
                entries++;
                accept(tar, e, out, sink);
            }
        } catch (EOFException e) {
            throw truncated(file);
        }
        if (entries == 0) {
            throw JctrException.invalidArgument("%s is not an image archive: no tar entries", file);
        }
        return out;
    }

    private static void accept(TarArchiveInputStream tar, TarArchiveEntry e, ScannedArchive out, BlobSink sink) throws IOException {
        String name = EntryPaths.clean(e.getName());
        if (e.isDirectory() || name.isEmpty()) {
            return;
        }
        if (e.isSymbolicLink() || e.isLink()) {
            if (name.startsWith("blobs/") || METADATA.contains(name)) {
                throw JctrException.invalidArgument("archive entry %s: a link where a file must be", EntryPaths.quote(e.getName()));
            }
            out.links.put(name, EntryPaths.linkTarget(name, e.getLinkName(), e.isSymbolicLink()));
            return;
        }
        if (!e.isFile()) {
            throw JctrException.invalidArgument("archive entry %s: unsupported entry type (not a file, directory or link)",
                    EntryPaths.quote(e.getName()));
        }
        String entry = "archive entry " + EntryPaths.quote(e.getName());
        if (METADATA.contains(name)) {
            if (e.getSize() > MAX_METADATA) {
                throw JctrException.invalidArgument("%s: %d bytes, more than the %d allowed", entry, e.getSize(), MAX_METADATA);
            }
            out.metadata.put(name, readFully(tar, e, file(out)));
            return;
        }
        if (LEGACY.matcher(name).matches()) {
            return;
        }
        Matcher blob = BLOB.matcher(name);
        String expected = blob.matches() ? "sha256:" + blob.group(1) : "";
        if (!blob.matches() && name.startsWith("blobs/")) {
            throw JctrException.invalidArgument("%s: not a sha256 blob name", entry);
        }
        StoredBlob stored = sink.store(entry, new CountingEntryStream(tar, e.getSize(), file(out)), e.getSize(), expected);
        out.blobs.put(name, stored);
    }

    private static Path file(ScannedArchive out) {
        return Path.of(out.file);
    }

    private static TarArchiveEntry next(TarArchiveInputStream tar, Path file) throws IOException {
        try {
            return tar.getNextEntry();
        } catch (IllegalArgumentException e) {
            throw JctrException.invalidArgument("%s is not a valid tar archive: %s", file, e.getMessage());
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("runcated")) {
                throw truncated(file);
            }
            throw JctrException.invalidArgument("%s is not a valid tar archive: %s", file, TarErrors.describe(m));
        }
    }

    private static byte[] readFully(TarArchiveInputStream tar, TarArchiveEntry e, Path file) throws IOException {
        return new CountingEntryStream(tar, e.getSize(), file).readAllBytes();
    }

    static JctrException truncated(Path file) {
        return JctrException.invalidArgument("%s: truncated tar archive", file);
    }

    /** The archive's tar stream: gzip is recognised by its magic bytes and decompressed. */
    private static InputStream decompressed(InputStream raw, Path file) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1024 * 1024);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 < 0) {
            throw JctrException.invalidArgument("%s is not an image archive: the file is empty", file);
        }
        return b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(in, 64 * 1024), 1024 * 1024) : in;
    }

    /** An entry's bytes; ends early only as a truncated archive, which it reports. */
    private static final class CountingEntryStream extends InputStream {
        private final InputStream in;
        private final Path file;
        private long remaining;

        CountingEntryStream(InputStream in, long size, Path file) {
            this.in = in;
            this.remaining = size;
            this.file = file;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n;
            try {
                n = in.read(b, off, (int) Math.min(len, remaining));
            } catch (EOFException e) {
                throw truncated(file);
            } catch (IOException e) {
                if (String.valueOf(e.getMessage()).contains("runcated")) {
                    throw truncated(file);
                }
                throw e;
            }
            if (n < 0) {
                throw truncated(file);
            }
            remaining -= n;
            return n;
        }
    }
}
