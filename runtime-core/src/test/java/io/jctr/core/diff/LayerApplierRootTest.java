package io.jctr.core.diff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only root can apply: ownership, device nodes, security.* xattrs. */
@Tag("root")
class LayerApplierRootTest {

    /** VFS_CAP_REVISION_2, effective, permitted = CAP_SETUID (bit 7, byte 0x80) | CAP_NET_BIND_SERVICE (bit 10). */
    private static final byte[] CAPABILITY = {
        0x01, 0x00, 0x00, 0x02, (byte) 0x80, 0x04, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

    @TempDir
    Path target;

    private void apply(TarBuilder layer) throws IOException {
        LayerApplier.apply(new ByteArrayInputStream(layer.build()), "application/vnd.oci.image.layer.v1.tar", target);
    }

    private static TarArchiveEntry owned(String name, byte type, int mode, int uid, int gid) {
        TarArchiveEntry e = TarBuilder.entry(name, type, mode);
        e.setUserId(uid);
        e.setGroupId(gid);
        return e;
    }

    private Object attr(String path, String name) throws IOException {
        return Files.getAttribute(target.resolve(path), "unix:" + name, LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    void appliesOwnershipWithoutFollowingSymlinks() throws IOException {
        TarArchiveEntry link = owned("link", TarConstants.LF_SYMLINK, 0777, 3000, 3001);
        link.setLinkName("file");
        apply(new TarBuilder()
                .add(owned("dir/", TarConstants.LF_DIR, 0750, 1000, 1001), new byte[0])
                .add(owned("file", TarConstants.LF_NORMAL, 0640, 2000, 2001), new byte[] {1})
                .add(link, new byte[0])
                .add(owned("big", TarConstants.LF_NORMAL, 0600, 100_000_000, 2_000_000_000), new byte[0]));
        assertEquals(1000, attr("dir", "uid"));
        assertEquals(1001, attr("dir", "gid"));
        assertEquals(2000, attr("file", "uid"));
        assertEquals(2001, attr("file", "gid"));
        assertEquals(3000, attr("link", "uid"), "the symlink itself");
        assertEquals(100_000_000, attr("big", "uid"));
        assertEquals(2_000_000_000, attr("big", "gid"));
    }

    @Test
    void setuidSurvivesOwnershipChange() throws IOException {
        apply(new TarBuilder()
                .add(owned("suid", TarConstants.LF_NORMAL, 04755, 1000, 1000), new byte[] {1})
                .add(owned("sgid", TarConstants.LF_NORMAL, 02755, 1000, 50), new byte[] {1})
                .add(owned("sticky/", TarConstants.LF_DIR, 01777, 1000, 1000), new byte[0]));
        assertEquals(0104755, attr("suid", "mode"));
        assertEquals(0102755, attr("sgid", "mode"));
        assertEquals(041777, attr("sticky", "mode"));
        assertEquals(1000, attr("suid", "uid"));
    }

    @Test
    void createsDevicesAndFifos() throws IOException {
        TarArchiveEntry nul = owned("dev/null", TarConstants.LF_CHR, 0666, 0, 0);
        nul.setDevMajor(1);
        nul.setDevMinor(3);
        TarArchiveEntry loop = owned("dev/loop9", TarConstants.LF_BLK, 0660, 0, 6);
        loop.setDevMajor(7);
        loop.setDevMinor(9);
        TarArchiveEntry wide = owned("dev/wide", TarConstants.LF_CHR, 0600, 0, 0);
        wide.setDevMajor(4095);
        wide.setDevMinor(1_000_000);
        apply(new TarBuilder()
                .add(nul, new byte[0])
                .add(loop, new byte[0])
                .add(wide, new byte[0])
                .add(owned("run/fifo", TarConstants.LF_FIFO, 0600, 5, 5), new byte[0]));
        assertEquals(0020666, attr("dev/null", "mode"));
        assertEquals(EntryWriters.makedev(1, 3), attr("dev/null", "rdev"));
        assertEquals(0060660, attr("dev/loop9", "mode"));
        assertEquals(EntryWriters.makedev(7, 9), attr("dev/loop9", "rdev"));
        assertEquals(6, attr("dev/loop9", "gid"));
        assertEquals(EntryWriters.makedev(4095, 1_000_000), attr("dev/wide", "rdev"));
        assertEquals(0010600, attr("run/fifo", "mode"));
        assertEquals(5, attr("run/fifo", "uid"));
    }

    @Test
    void skipsDevicesWhenUnprivileged() throws IOException {
        TarArchiveEntry nul = owned("null", TarConstants.LF_CHR, 0666, 0, 0);
        nul.setDevMajor(1);
        nul.setDevMinor(3);
        LayerApplier.apply(new ByteArrayInputStream(new TarBuilder().add(nul, new byte[0])
                .add(owned("f", TarConstants.LF_NORMAL, 0644, 1234, 1234), new byte[0]).build()), null, target, new ApplyOptions(false));
        assertFalse(Files.exists(target.resolve("null"), LinkOption.NOFOLLOW_LINKS));
        assertEquals(0, attr("f", "uid"), "ownership is the applying user's");
    }

    @Test
    void appliesBinarySecurityCapabilityAfterOwnership() throws IOException {
        Map<String, byte[]> pax = new LinkedHashMap<>();
        pax.put("SCHILY.xattr.security.capability", CAPABILITY);
        pax.put("SCHILY.xattr.user.note", "ok".getBytes(StandardCharsets.UTF_8));
        pax.put("SCHILY.xattr.trusted.overlay.opaque", "y".getBytes(StandardCharsets.UTF_8));
        pax.put("SCHILY.xattr.security.selinux", "not_a_real_context".getBytes(StandardCharsets.UTF_8));
        TarArchiveEntry ping = owned("bin/ping", TarConstants.LF_NORMAL, 0755, 1000, 1000);
        apply(new TarBuilder().dir("bin").rawPax(pax).add(ping, new byte[] {0x7f, 'E', 'L', 'F'}));
        assertArrayEquals(CAPABILITY, Xattrs.get(target.resolve("bin/ping"), "security.capability"));
        assertArrayEquals("ok".getBytes(StandardCharsets.UTF_8), Xattrs.get(target.resolve("bin/ping"), "user.note"));
        assertEquals(1000, attr("bin/ping", "uid"));
    }

    @Test
    void userXattrsOnSymlinksAreSkippedAndSecurityXattrsKept() throws IOException {
        Map<String, byte[]> pax = new LinkedHashMap<>();
        pax.put("SCHILY.xattr.user.note", "x".getBytes(StandardCharsets.UTF_8));
        TarArchiveEntry link = TarBuilder.entry("link", TarConstants.LF_SYMLINK, 0777);
        link.setLinkName("nowhere");
        apply(new TarBuilder().rawPax(pax).add(link, new byte[0]));
        assertTrue(Files.isSymbolicLink(target.resolve("link")));
        assertFalse(Xattrs.has(target.resolve("link"), "user.note"));
    }
}
