package io.jctr.core.archive;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jctr.spi.JctrException;
import io.jctr.spi.Platform;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * {@code images import --rootfs}: a plain root filesystem tarball (optionally gzip-compressed)
 * becomes a one-layer OCI image, as {@code docker import} makes one: the layer gzip-compressed
 * (what registries and every puller expect; the uncompressed tar's digest is the diff id), a
 * config with only platform, rootfs and history (no Cmd), an OCI manifest. The tarball's entries
 * are read to prove it is a tar but never extracted here; the unpacker treats them as hostile.
 */
final class RootfsImporter {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ArchiveServices services;

    RootfsImporter(ArchiveServices services) {
        this.services = services;
    }

    ImportResult importRootfs(String ns, String callerLease, String file, String name, String platform, boolean unpack,
                              String snapshotter) throws IOException {
        Path path = ArchivePaths.input(file, "import --rootfs");
        String image = OciLayoutImport.normalize(name, "import --rootfs");
        Platform p = platform.isEmpty() ? PlatformFilter.normalize(Platform.host()) : PlatformFilter.parse(platform);
        Optional<ImportUnpacker> unpacker = new ArchiveImporter(services).unpacker(unpack);
        try (ImportSession s = new ImportSession(services, ns, callerLease)) {
            MessageDigest diff = sha256();
            long[] entries = {0};
            StoredBlob layer = s.sink.store(path.toString(), out -> compressVerified(path, out, diff, entries));
            if (entries[0] == 0) {
                throw JctrException.invalidArgument("%s is not a root filesystem tarball: no tar entries", path);
            }
            String diffId = "sha256:" + HexFormat.of().formatHex(diff.digest());
            Descriptor config = storeJson(s, config(p, diffId, path), MediaTypes.OCI_CONFIG);
            ObjectNode m = JSON.createObjectNode();
            m.put("schemaVersion", 2);
            m.put("mediaType", MediaTypes.OCI_MANIFEST);
            m.set("config", config.toJson());
            m.putArray("layers").add(Descriptor.of(MediaTypes.OCI_LAYER_GZIP, layer.digest(), layer.size()).toJson());
            Descriptor manifest = storeJson(s, m, MediaTypes.OCI_MANIFEST);
            ArchiveImporter.label(s, List.of(manifest), PlatformFilter.allPlatforms(), "rootfs " + path);
            String tag = ImageNames.tag(image);
            List<ImportedImage> images = s.writeImages(List.of(new ImportedImage(image, manifest.withAnnotations(Map.of(
                    OciLayoutImport.CONTAINERD_NAME, image, OciLayoutImport.OCI_REF_NAME, tag.isEmpty() ? image : tag)).target())));
            if (unpacker.isPresent()) {
                ArchiveImporter.unpack(s, unpacker.get(), images, snapshotter, PlatformFilter.allPlatforms());
            }
            s.succeeded();
            return new ImportResult("rootfs", images);
        }
    }

    private static ObjectNode config(Platform p, String diffId, Path source) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        ObjectNode c = JSON.createObjectNode();
        c.put("created", now);
        c.put("architecture", p.architecture());
        c.put("os", p.os());
        if (!p.variant().isEmpty()) {
            c.put("variant", p.variant());
        }
        c.putObject("config");
        ObjectNode rootfs = c.putObject("rootfs");
        rootfs.put("type", "layers");
        rootfs.putArray("diff_ids").add(diffId);
        ObjectNode h = c.putArray("history").addObject();
        h.put("created", now);
        h.put("created_by", "jctr images import --rootfs");
        h.put("comment", "Imported from " + source.getFileName());
        return c;
    }

    private static Descriptor storeJson(ImportSession s, ObjectNode json, String mediaType) throws IOException {
        byte[] b = JSON.writeValueAsBytes(json);
        StoredBlob stored = s.sink.store(mediaType, new ByteArrayInputStream(b), b.length, "");
        return Descriptor.of(mediaType, stored.digest(), stored.size());
    }

    /** Reads the tarball entry by entry (so garbage fails), digesting and compressing every byte of it. */
    private static void compressVerified(Path path, OutputStream sink, MessageDigest diff, long[] entries) throws IOException {
        try (InputStream raw = Files.newInputStream(path); GZIPOutputStream gz = new FastGzip(sink)) {
            Tee tee = new Tee(uncompressed(raw, path), gz, diff);
            TarArchiveInputStream tar = new TarArchiveInputStream(tee);
            try {
                while (tar.getNextEntry() != null) {
                    entries[0]++;
                }
            } catch (IOException | IllegalArgumentException e) {
                String m = String.valueOf(e.getMessage());
                if (m.contains("runcated")) {
                    throw ArchiveScanner.truncated(path);
                }
                throw JctrException.invalidArgument("%s is not a tar archive: %s", path, TarErrors.describe(m));
            }
            tee.transferTo(OutputStream.nullOutputStream());
            gz.finish();
        }
    }

    /** gzip at the fastest level: a rootfs import should not spend seconds of CPU on a few percent of size. */
    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(OutputStream out) throws IOException {
            super(out, 64 * 1024);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }

    private static InputStream uncompressed(InputStream raw, Path path) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1024 * 1024);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 < 0) {
            throw JctrException.invalidArgument("%s is not a tar archive: the file is empty", path);
        }
        return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(in, 64 * 1024) : in;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Passes every byte read (skips included) to the digest and the compressor. */
    private static final class Tee extends FilterInputStream {
        private final OutputStream copy;
        private final MessageDigest digest;

        Tee(InputStream in, OutputStream copy, MessageDigest digest) {
            super(in);
            this.copy = copy;
            this.digest = digest;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                copy.write(b, off, n);
                digest.update(b, off, n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[(int) Math.min(n, 64 * 1024)];
            long done = 0;
            while (done < n) {
                int r = read(buf, 0, (int) Math.min(buf.length, n - done));
                if (r < 0) {
                    break;
                }
                done += r;
            }
            return done;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
