package io.jctr.spi.snapshots;

import static io.jctr.spi.snapshots.SnapshotFixtures.readTree;
import static io.jctr.spi.snapshots.SnapshotFixtures.writeTree;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What the mounts of snapshots show: writes that commit, parents seen through children, deletions
 * hidden, read-only views, file metadata, usage, persistence. Mounting needs root.
 */
public interface SnapshotterContentTests extends ContractFixture {

    @Test
    @Tag("root")
    default void writesThroughAnActiveSnapshotAreCommitted() throws Exception {
        Path dir = mountAt(snapshotter().prepare("a", "", null));
        assertEquals(Map.of(), readTree(dir));
        writeTree(dir, Map.of("hello.txt", "hello", "etc/os-release", "jctr"));
        unmountAt(dir);
        snapshotter().commit("base", "a", null);
        assertEquals(Map.of("hello.txt", "hello", "etc", "/", "etc/os-release", "jctr"), viewTree("base"));
    }

    @Test
    @Tag("root")
    default void childrenSeeTheirParentsAndHideWhatTheyDelete() throws Exception {
        commitLayer("base", "", Map.of("a", "1", "b", "2", "dir/c", "3", "keep/d", "4"), Set.of());
        commitLayer("child", "base", Map.of("b", "22", "e", "5", "keep/f", "6"), Set.of("a", "dir"));
        commitLayer("grandchild", "child", Map.of("dir/new", "7"), Set.of("keep/d"));
        assertEquals(Map.of("a", "1", "b", "2", "dir", "/", "dir/c", "3", "keep", "/", "keep/d", "4"), viewTree("base"));
        assertEquals(Map.of("b", "22", "e", "5", "keep", "/", "keep/d", "4", "keep/f", "6"), viewTree("child"));
        assertEquals(Map.of("b", "22", "e", "5", "keep", "/", "keep/f", "6", "dir", "/", "dir/new", "7"),
                viewTree("grandchild"));

        Path active = mountAt(snapshotter().prepare("work", "grandchild", null));
        assertEquals(viewTree("grandchild"), readTree(active));
        Files.move(active.resolve("b"), active.resolve("renamed"));
        assertEquals("22", Files.readString(active.resolve("renamed")));
        assertFalse(Files.exists(active.resolve("b")));
    }

    @Test
    @Tag("root")
    default void viewsAreReadOnly() throws Exception {
        commitLayer("base", "", Map.of("a", "1"), Set.of());
        commitLayer("child", "base", Map.of("b", "2"), Set.of());
        for (String parent : new String[] {"", "base", "child"}) {
            Path dir = mountAt(snapshotter().view("view-of-" + parent, parent, null));
            assertThrows(IOException.class, () -> Files.writeString(dir.resolve("new"), "x"), "view of \"" + parent + "\"");
            if (!parent.isEmpty()) {
                assertThrows(IOException.class, () -> Files.writeString(dir.resolve("a"), "changed"));
                assertThrows(IOException.class, () -> Files.delete(dir.resolve("a")));
                assertEquals("1", Files.readString(dir.resolve("a")));
            }
        }
        assertEquals(Map.of("a", "1"), viewTree("base"));
    }

    @Test
    @Tag("root")
    default void childrenKeepTheFileMetadataOfTheirParents() throws Exception {
        Path dir = mountAt(snapshotter().prepare("a", "", null));
        writeTree(dir, Map.of("owned", "o", "setuid", "s", "private/secret", "p", "linked", "l"));
        Files.setAttribute(dir.resolve("owned"), "unix:uid", 1234);
        Files.setAttribute(dir.resolve("owned"), "unix:gid", 5678);
        Files.setAttribute(dir.resolve("owned"), "unix:mode", 0640);
        Files.setAttribute(dir.resolve("setuid"), "unix:mode", 04755);
        Files.setAttribute(dir.resolve("private"), "unix:uid", 42);
        Files.setAttribute(dir.resolve("private"), "unix:mode", 0700);
        Files.createSymbolicLink(dir.resolve("symlink"), Path.of("owned"));
        Files.createLink(dir.resolve("hardlink"), dir.resolve("linked"));
        FileTime mtime = FileTime.from(Instant.parse("2020-02-02T02:02:02Z"));
        Files.setLastModifiedTime(dir.resolve("owned"), mtime);
        boolean xattrs = setXattr(dir.resolve("owned"), "jctr.test", "value");
        unmountAt(dir);
        snapshotter().commit("base", "a", null);

        Path child = mountAt(snapshotter().prepare("child", "base", null));
        assertEquals(1234, Files.getAttribute(child.resolve("owned"), "unix:uid"));
        assertEquals(5678, Files.getAttribute(child.resolve("owned"), "unix:gid"));
        assertEquals(0640, (Integer) Files.getAttribute(child.resolve("owned"), "unix:mode") & 07777);
        assertEquals(04755, (Integer) Files.getAttribute(child.resolve("setuid"), "unix:mode") & 07777);
        assertEquals(42, Files.getAttribute(child.resolve("private"), "unix:uid"));
        assertEquals(0700, (Integer) Files.getAttribute(child.resolve("private"), "unix:mode") & 07777);
        assertEquals(Path.of("owned"), Files.readSymbolicLink(child.resolve("symlink")));
        assertEquals(Files.getAttribute(child.resolve("linked"), "unix:ino"), Files.getAttribute(child.resolve("hardlink"), "unix:ino"));
        assertEquals(mtime, Files.getLastModifiedTime(child.resolve("owned")));
        if (xattrs) {
            UserDefinedFileAttributeView view = Files.getFileAttributeView(child.resolve("owned"), UserDefinedFileAttributeView.class);
            ByteBuffer value = ByteBuffer.allocate(view.size("jctr.test"));
            view.read("jctr.test", value);
            assertArrayEquals("value".getBytes(StandardCharsets.UTF_8), value.array());
        }
    }

    @Test
    @Tag("root")
    default void usageCountsWhatWasWritten() throws Exception {
        snapshotter().prepare("empty", "", null);
        Usage empty = snapshotter().usage("empty");
        assertTrue(empty.size() < 64 * 1024 && empty.inodes() <= 2, empty.toString());

        Path dir = mountAt(snapshotter().prepare("a", "", null));
        Files.write(dir.resolve("big"), new byte[1 << 20]);
        for (int i = 0; i < 9; i++) {
            Files.writeString(dir.resolve("small-" + i), "x");
        }
        Files.createLink(dir.resolve("big-again"), dir.resolve("big"));
        unmountAt(dir);
        Usage active = snapshotter().usage("a");
        assertTrue(active.size() >= 1 << 20 && active.size() < 2 << 20, active.toString());
        assertTrue(active.inodes() >= 10 && active.inodes() <= 12, active.toString());
        snapshotter().commit("base", "a", null);
        Usage committed = snapshotter().usage("base");
        assertTrue(committed.size() >= 1 << 20 && committed.size() < 2 << 20, committed.toString());
        assertTrue(committed.inodes() >= 10 && committed.inodes() <= 12, committed.toString());
    }

    @Test
    @Tag("root")
    default void contentSurvivesANewInstance() throws Exception {
        commitLayer("base", "", Map.of("a", "1"), Set.of());
        Path dir = mountAt(snapshotter().prepare("active", "base", null));
        Files.writeString(dir.resolve("b"), "2");
        unmountAt(dir);

        Snapshotter reopened = reopen();
        Path again = mountAt(reopened.mounts("active"));
        assertEquals(Map.of("a", "1", "b", "2"), readTree(again));
        unmountAt(again);
        reopened.commit("child", "active", null);
        assertEquals(Map.of("a", "1", "b", "2"), viewTree("child"));
    }

    @Test
    @Tag("root")
    default void removeAndCleanupLeaveOtherSnapshotsAlone() throws Exception {
        commitLayer("base", "", Map.of("a", "1"), Set.of());
        Path dir = mountAt(snapshotter().prepare("doomed", "base", null));
        Files.writeString(dir.resolve("b"), "2");
        unmountAt(dir);
        snapshotter().remove("doomed");
        snapshotter().cleanup();
        snapshotter().cleanup();
        assertEquals(Map.of("a", "1"), viewTree("base"));
        Path fresh = mountAt(snapshotter().prepare("doomed", "base", null));
        assertEquals(Map.of("a", "1"), readTree(fresh));
    }

    /** Sets a user xattr; {@code false} when the filesystem has none. */
    private static boolean setXattr(Path file, String name, String value) {
        try {
            UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS);
            view.write(name, ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8)));
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
