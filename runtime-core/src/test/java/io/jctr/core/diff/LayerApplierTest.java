package io.jctr.core.diff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jctr.spi.JctrException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layers applied as intended: node kinds, modes, times, names, compression and the diff id. */
class LayerApplierTest {

    private static final String TAR = "application/vnd.oci.image.layer.v1.tar";

    @TempDir
    Path target;

    private AppliedLayer apply(byte[] layer, String mediaType) throws IOException {
        return LayerApplier.apply(new ByteArrayInputStream(layer), mediaType, target);
    }

    private static int mode(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    @Test
    void appliesFilesDirectoriesSymlinksAndHardLinks() throws IOException {
        byte[] tar = new TarBuilder()
                .dir("./")
                .dir("usr/bin")
                .file("usr/bin/tool", "#!/bin/sh\necho hi\n", 0755)
                .symlink("usr/bin/alias", "tool")
                .symlink("abs", "/usr/bin/tool")
                .hardLink("usr/bin/tool2", "usr/bin/tool", 0755)
                .hardLink("./tool3", "./usr/bin/tool", 0755)
                .file("etc/config", "a=1\n")
                .build();
        AppliedLayer applied = apply(tar, TAR);

        assertEquals(TarBuilder.sha256(tar), applied.diffId());
        assertEquals(tar.length, applied.size());
        assertEquals("#!/bin/sh\necho hi\n", Files.readString(target.resolve("usr/bin/tool")));
        assertEquals("tool", Files.readSymbolicLink(target.resolve("usr/bin/alias")).toString());
        assertEquals("/usr/bin/tool", Files.readSymbolicLink(target.resolve("abs")).toString());
        Object inode = Files.getAttribute(target.resolve("usr/bin/tool"), "unix:ino");
        assertEquals(inode, Files.getAttribute(target.resolve("usr/bin/tool2"), "unix:ino"));
        assertEquals(inode, Files.getAttribute(target.resolve("tool3"), "unix:ino"));
        assertEquals(3, Files.getAttribute(target.resolve("usr/bin/tool"), "unix:nlink"));
        assertEquals(0755, mode(target.resolve("usr/bin/tool")));
        assertEquals(0755, mode(target.resolve("etc")), "implicit parent directories are 0755");
        assertEquals("a=1\n", Files.readString(target.resolve("etc/config")));
    }

    @Test
    void symlinkTargetsAreStoredVerbatim() throws IOException {
        apply(new TarBuilder().symlink("a", "dir//x/").symlink("b", "../../../nowhere").symlink("c", "é/ü").build(), TAR);
        assertEquals("dir//x/", new String(readlinkBytes(target.resolve("a")), StandardCharsets.UTF_8));
        assertEquals("../../../nowhere", Files.readSymbolicLink(target.resolve("b")).toString());
        assertEquals("é/ü", Files.readSymbolicLink(target.resolve("c")).toString());
    }

    private static byte[] readlinkBytes(Path link) throws IOException {
        Process p = new ProcessBuilder("readlink", link.toString()).start();
        try (InputStream in = p.getInputStream()) {
            byte[] out = in.readAllBytes();
            return Arrays.copyOf(out, out.length - 1);
        }
    }

    @Test
    void appliesModesIncludingSetuidSetgidAndSticky() throws IOException {
        apply(new TarBuilder()
                .file("suid", "x", 04755)
                .file("sgid", "x", 02711)
                .file("private", "x", 0600)
                .file("none", "x", 0)
                .dir("tmp", 01777)
                .dir("ro", 0555)
                .file("ro/inside", "x", 0444)
                .build(), TAR);
        assertEquals(04755, mode(target.resolve("suid")));
        assertEquals(02711, mode(target.resolve("sgid")));
        assertEquals(0600, mode(target.resolve("private")));
        assertEquals(0, mode(target.resolve("none")));
        assertEquals(01777, mode(target.resolve("tmp")));
        assertEquals(0555, mode(target.resolve("ro")));
        assertEquals(0444, mode(target.resolve("ro/inside")));
    }

    @Test
    void appliesTimesWithDirectoriesLast() throws IOException {
        TarArchiveEntry link = TarBuilder.entry("d/link", TarConstants.LF_SYMLINK, 0777);
        link.setLinkName("../precise");
        apply(new TarBuilder()
                .dir("d")
                .file("d/f", "x")
                .add(link, new byte[0])
                .rawPax(Map.of("mtime", "1614834367.123456789".getBytes(StandardCharsets.UTF_8)))
                .file("precise", "x")
                .build(), TAR);
        assertEquals(TarBuilder.MTIME, Files.getLastModifiedTime(target.resolve("d"), LinkOption.NOFOLLOW_LINKS), "directory mtime survives its children");
        assertEquals(TarBuilder.MTIME, Files.getLastModifiedTime(target.resolve("d/f")));
        assertEquals(TarBuilder.MTIME, Files.getLastModifiedTime(target.resolve("d/link"), LinkOption.NOFOLLOW_LINKS), "symlink's own mtime");
        assertEquals(FileTime.from(Instant.parse("2021-03-04T05:06:07.123456789Z")), Files.getLastModifiedTime(target.resolve("precise")),
                "PAX nanosecond mtime");
    }

    @Test
    void mergesAnExistingDirectoryAndReplacesOtherNodes() throws IOException {
        apply(new TarBuilder().dir("d", 0700).file("d/keep", "1").dir("x").file("x/y", "1").file("f", "1").build(), TAR);
        apply(new TarBuilder().dir("d", 0750).file("x", "now a file").dir("f").build(), TAR);
        assertEquals(0750, mode(target.resolve("d")));
        assertEquals("1", Files.readString(target.resolve("d/keep")));
        assertEquals("now a file", Files.readString(target.resolve("x")));
        assertTrue(Files.isDirectory(target.resolve("f")));
    }

    @Test
    void createsFifos() throws IOException {
        TarArchiveEntry fifo = TarBuilder.entry("run/pipe", TarConstants.LF_FIFO, 0620);
        apply(new TarBuilder().add(fifo, new byte[0]).build(), TAR);
        assertEquals(0010620, (Integer) Files.getAttribute(target.resolve("run/pipe"), "unix:mode"));
    }

    @Test
    void appliesLongNamesInGnuAndPaxForm() throws IOException {
        String longDir = "d".repeat(120) + "/" + "e".repeat(130);
        String longName = longDir + "/" + "f".repeat(200);
        String longLink = "l".repeat(150);
        for (int mode : new int[] {TarArchiveOutputStream.LONGFILE_GNU, TarArchiveOutputStream.LONGFILE_POSIX}) {
            byte[] tar = new TarBuilder(mode).file(longName, "long").symlink(longLink, longName).hardLink(longLink + "2", longName).build();
            AppliedLayer applied = apply(tar, TAR);
            assertEquals(TarBuilder.sha256(tar), applied.diffId());
            assertEquals("long", Files.readString(target.resolve(longName)));
            assertEquals(longName, Files.readSymbolicLink(target.resolve(longLink)).toString());
            assertEquals("long", Files.readString(target.resolve(longLink + "2")));
        }
    }

    @Test
    void appliesUserXattrsFromSchilyAndLibarchiveHeaders() throws IOException {
        TarArchiveEntry e = TarBuilder.entry("lib", TarConstants.LF_NORMAL, 0644);
        e.addPaxHeader("LIBARCHIVE.xattr.user.with%2Bplus%3Dequals", "aGVsbG8");
        byte[] binary = {0, (byte) 0x80, (byte) 0xff, '\n', '=', 7};
        byte[] tar = new TarBuilder()
                .rawPax(Map.of("SCHILY.xattr.user.binary", binary, "SCHILY.xattr.user.text", "värde".getBytes(StandardCharsets.UTF_8)))
                .file("schily", "x")
                .add(e, new byte[0])
                .build();
        AppliedLayer applied = apply(tar, TAR);
        assertEquals(TarBuilder.sha256(tar), applied.diffId());
        assertArrayEquals(binary, Xattrs.get(target.resolve("schily"), "user.binary"));
        assertArrayEquals("värde".getBytes(StandardCharsets.UTF_8), Xattrs.get(target.resolve("schily"), "user.text"));
        assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), Xattrs.get(target.resolve("lib"), "user.with+plus=equals"));
    }

    @Test
    void ignoresEntriesThatResolveToTheRoot() throws IOException {
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
        apply(new TarBuilder().dir("./", 0777).dir("/", 0777).dir("a/..", 0777).file("x", "1").build(), TAR);
        assertEquals(0700, mode(target));
    }

    @Test
    void diffIdCoversTrailingPaddingAndSkippedEntries() throws IOException {
        byte[] tar = new TarBuilder().file(".wh.gone", "whiteout with data").file("d/.wh..wh.plnk/x", "aufs").build();
        byte[] padded = Arrays.copyOf(tar, tar.length + 10240);
        AppliedLayer applied = apply(padded, TAR);
        assertEquals(TarBuilder.sha256(padded), applied.diffId());
        assertEquals(padded.length, applied.size());
        assertFalse(Files.exists(target.resolve(".wh.gone")));
        assertFalse(Files.exists(target.resolve("d/.wh..wh.plnk")));
    }

    @Test
    void appliesGzipAndZstdByMediaTypeAndByMagic() throws IOException {
        byte[] tar = new TarBuilder().file("f", "compressed").build();
        Map<String, byte[]> cases = Map.of(
                "application/vnd.oci.image.layer.v1.tar+gzip", TarBuilder.gzip(tar),
                "application/vnd.oci.image.layer.v1.tar+zstd", TarBuilder.zstd(tar),
                "application/vnd.docker.image.rootfs.diff.tar.gzip", TarBuilder.gzip(tar),
                "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip", TarBuilder.gzip(tar),
                "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd; foo=bar", TarBuilder.zstd(tar),
                "application/vnd.oci.image.layer.nondistributable.v1.tar", tar,
                "application/vnd.docker.image.rootfs.diff.tar", TarBuilder.zstd(tar),
                "", TarBuilder.gzip(tar));
        for (Map.Entry<String, byte[]> c : cases.entrySet()) {
            AppliedLayer applied = apply(c.getValue(), c.getKey());
            assertEquals(new AppliedLayer(TarBuilder.sha256(tar), tar.length), applied, c.getKey());
            assertEquals("compressed", Files.readString(target.resolve("f")));
        }
        assertEquals(TarBuilder.sha256(tar), apply(TarBuilder.zstd(tar), null).diffId());
        assertEquals(TarBuilder.sha256(tar), apply(tar, null).diffId());
    }

    @Test
    void refusesUnsupportedMediaTypesBeforeReading() {
        for (String type : new String[] {"application/vnd.oci.image.layer.v1.tar+bzip2", "text/plain",
                "application/vnd.oci.image.layer.v1.tar+gzip+encrypted"}) {
            InputStream never = new InputStream() {
                @Override
                public int read() {
                    throw new AssertionError("read before the media type was checked");
                }
            };
            JctrException e = assertThrows(JctrException.class, () -> LayerApplier.apply(never, type, target));
            assertEquals(JctrException.Kind.INVALID_ARGUMENT, e.kind());
            assertEquals("unsupported layer media type \"" + type + "\": invalid argument", e.getMessage());
        }
    }

    @Test
    void declaredCompressionMustMatch() {
        byte[] tar = new TarBuilder().file("f", "x").build();
        JctrException e = assertThrows(JctrException.class, () -> apply(tar, "application/vnd.oci.image.layer.v1.tar+gzip"));
        assertEquals(JctrException.Kind.INVALID_ARGUMENT, e.kind());
        assertTrue(e.getMessage().startsWith("malformed layer: "), e.getMessage());
    }

    @Test
    void refusesUnsupportedEntryTypes() {
        byte[] tar = new TarBuilder().add(TarBuilder.entry("vol", TarConstants.LF_MULTIVOLUME, 0644), new byte[0]).build();
        JctrException e = assertThrows(JctrException.class, () -> apply(tar, TAR));
        assertEquals("layer entry \"vol\": unsupported tar entry type 'M': invalid argument", e.getMessage());
    }

    @Test
    void doesNotCloseTheCallersStream() throws IOException {
        boolean[] closed = {false};
        InputStream in = new ByteArrayInputStream(new TarBuilder().file("f", "x").build()) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        LayerApplier.apply(in, TAR, target);
        assertFalse(closed[0]);
        assertEquals(-1, in.read(), "read to its end");
    }

    @Test
    void refusesATargetThatIsNotADirectory() throws IOException {
        Path file = Files.writeString(target.resolve("file"), "x");
        assertThrows(IOException.class, () -> LayerApplier.apply(new ByteArrayInputStream(new byte[0]), TAR, file));
    }
}
