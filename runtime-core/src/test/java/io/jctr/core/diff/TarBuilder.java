package io.jctr.core.diff;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Builds layer tars in tests with commons-compress; names are written exactly as given (leading "/" kept). */
final class TarBuilder {

    static final FileTime MTIME = FileTime.fromMillis(1_600_000_000_000L);

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar;
    private int paxHeaders;

    TarBuilder() {
        this(TarArchiveOutputStream.LONGFILE_POSIX);
    }

    TarBuilder(int longFileMode) {
        tar = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(longFileMode);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    static TarArchiveEntry entry(String name, byte type, int mode) {
        TarArchiveEntry e = new TarArchiveEntry(name, type, true);
        e.setMode(mode);
        e.setLastModifiedTime(MTIME);
        return e;
    }

    TarBuilder dir(String name) {
        return dir(name, 0755);
    }

    TarBuilder dir(String name, int mode) {
        return add(entry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR, mode), new byte[0]);
    }

    TarBuilder file(String name, String content) {
        return file(name, content, 0644);
    }

    TarBuilder file(String name, String content, int mode) {
        return add(entry(name, TarConstants.LF_NORMAL, mode), content.getBytes(StandardCharsets.UTF_8));
    }

    TarBuilder symlink(String name, String target) {
        TarArchiveEntry e = entry(name, TarConstants.LF_SYMLINK, 0777);
        e.setLinkName(target);
        return add(e, new byte[0]);
    }

    TarBuilder hardLink(String name, String target) {
        return hardLink(name, target, 0644);
    }

    /** A hard link; like containerd, the applier gives the linked inode this entry's mode. */
    TarBuilder hardLink(String name, String target, int mode) {
        TarArchiveEntry e = entry(name, TarConstants.LF_LINK, mode);
        e.setLinkName(target);
        return add(e, new byte[0]);
    }

    /** Any entry; its size is set from {@code content}. */
    TarBuilder add(TarArchiveEntry e, byte[] content) {
        try {
            e.setSize(content.length);
            tar.putArchiveEntry(e);
            tar.write(content);
            tar.closeArchiveEntry();
            return this;
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    /** A PAX extended header with raw (possibly binary) values, for the entry that follows. */
    TarBuilder rawPax(Map<String, byte[]> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        records.forEach((k, v) -> {
            byte[] key = k.getBytes(StandardCharsets.UTF_8);
            int body = 1 + key.length + 1 + v.length + 1;
            int len = body + Integer.toString(body).length();
            if (Integer.toString(len).length() != Integer.toString(body).length()) {
                len++;
            }
            out.writeBytes((len + " " + k + "=").getBytes(StandardCharsets.UTF_8));
            out.writeBytes(v);
            out.write('\n');
        });
        return add(entry("PaxHeaders/" + paxHeaders++, TarConstants.LF_PAX_EXTENDED_HEADER_LC, 0644), out.toByteArray());
    }

    byte[] build() {
        try {
            tar.close();
            return bytes.toByteArray();
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    static byte[] gzip(byte[] tar) {
        return compress(tar, true);
    }

    static byte[] zstd(byte[] tar) {
        return compress(tar, false);
    }

    static String sha256(byte[] data) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] compress(byte[] data, boolean gzip) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream c = gzip ? new GZIPOutputStream(out) : new ZstdOutputStream(out)) {
            c.write(data);
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
        return out.toByteArray();
    }
}
