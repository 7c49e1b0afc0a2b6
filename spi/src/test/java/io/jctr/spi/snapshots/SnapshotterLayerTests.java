package io.jctr.spi.snapshots;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Layers built through the snapshotter show exactly what the same changes made to a plain
 * directory show, owner and mode included: the file-system cases of containerd's
 * {@code snapshots/testsuite} (its {@code issues.go}, each after a docker bug, plus
 * DeletedFilesInChildSnapshot, MoveFileFromLowerLayer, RootPermission and 128LayersMount).
 * Each change set is applied to a prepared snapshot and to the plain directory; after the commit a
 * view of the new layer must equal the directory. Mounting and chown need root.
 */
public interface SnapshotterLayerTests extends ContractFixture {

    /** Changes made to a tree: to a mounted active snapshot and to the plain directory alike. */
    @FunctionalInterface
    interface Change {
        void applyTo(Path root) throws IOException;
    }

    /** docker#21555-like: a file rewritten with the same size, a mode change, a new directory. */
    @Test
    @Tag("root")
    default void aFileRewrittenInALayerShowsItsNewContentAndMode() throws Exception {
        Change l1 = all(dir("etc", 0700), file("etc/hosts", "mydomain 10.0.0.1", 0644), file("etc/profile", "PATH=/usr/bin", 0644));
        Change l2 = all(file("etc/hosts", "mydomain 10.0.0.2", 0644), file("etc/profile", "PATH=/usr/bin", 0666),
                dir("root", 0700), file("root/.bashrc", "PATH=/usr/sbin:/usr/bin", 0644));
        assertLayers("update", l1, l2);
    }

    /** docker#25244: a directory removed and made again in a layer hides the lower one's files. */
    @Test
    @Tag("root")
    default void aDirectoryRemovedAndRecreatedHidesWhatWasBelow() throws Exception {
        assertLayers("recreated",
                all(dir("lib", 0700), file("lib/hidden", "", 0644)),
                all(remove("lib"), dir("lib", 0700), file("lib/not-hidden", "", 0644)),
                file("lib/newfile", "", 0644));
    }

    /** docker#20240, #24913, #28391: a chown in a layer changes nothing but the owner. */
    @Test
    @Tag("root")
    default void aChownInALayerKeepsTheContent() throws Exception {
        assertLayers("chown",
                all(dir("opt", 0700), dir("opt/a", 0700), dir("opt/a/b", 0700), file("opt/a/b/file.txt", "hello", 0644)),
                all(chown("opt", 1), chown("opt/a", 1), chown("opt/a/b", 1), chown("opt/a/b/file.txt", 1)));
    }

    /** docker#27298: directory owners survive commits, removals and re-creations. */
    @Test
    @Tag("root")
    default void directoryOwnersSurviveCommits() throws Exception {
        assertLayers("owners",
                all(dir("dir1", 0700), dir("dir2", 0700), dir("dir3", 0700), dir("dir4", 0700), file("dir4/f1", "...", 0644),
                        dir("dir5", 0700), file("dir5/f1", "...", 0644), chown("dir1", 1), chown("dir2", 1), chown("dir3", 1),
                        chown("dir5", 1), chown("dir5/f1", 1)),
                all(chown("dir2", 0), remove("dir3"), chown("dir4", 1), chown("dir4/f1", 1)),
                all(dir("dir3", 0700), chown("dir3", 1), remove("dir5"), dir("dir5", 0700), chown("dir5", 1)));
    }

    @Test
    @Tag("root")
    default void aFileDeletedInAChildStaysDeleted() throws Exception {
        assertLayers("deleted", all(file("foo", "foo\n", 0777), file("foobar", "foobar\n", 0777)), remove("foobar"), all());
    }

    /** A lower layer's file linked to a new name and removed from the old one. */
    @Test
    @Tag("root")
    default void aLowerFileMovedByALinkKeepsItsContent() throws Exception {
        assertLayers("moved",
                all(dir("dir1", 0700), file("dir1/f1", "Hello", 0644), dir("dir2", 0700), file("dir2/f2", "...", 0644)),
                all(dir("dir3", 0700), file("dir3/f1", "Hello", 0644), remove("dir1"), link("dir2/f2", "dir3/f2"), remove("dir2/f2")));
    }

    @Test
    @Tag("root")
    default void theRootOfANewSnapshotIsMode0755() throws Exception {
        Path dir = mountAt(snapshotter().prepare("root-mode", "", null));
        assertEquals(0755, (Integer) Files.getAttribute(dir, "unix:mode") & 07777);
    }

    /** 128 layers, each overwriting, adding and replacing: deep chains mount and show the top. */
    @Test
    @Tag("root")
    default void a128LayerChainMountsAndShowsEveryLayer() throws Exception {
        List<Change> layers = new ArrayList<>();
        layers.add(all(file("bottom", "way at the bottom\n", 0777), file("overwriteme", "FIRST!\n", 0777), dir("ADDHERE", 0755),
                dir("ONLYME", 0755), file("ONLYME/bottom", "bye!\n", 0777)));
        for (int i = 1; i <= 127; i++) {
            layers.add(all(file("overwriteme", i + " WAS HERE!\n", 0777), file("ADDHERE/file-" + i, "same\n", 0755),
                    remove("ONLYME"), dir("ONLYME", 0755), file("ONLYME/file-" + i, "only me!\n", 0777)));
        }
        Path flat = Files.createDirectory(work().resolve("flat-128"));
        String parent = "";
        for (int i = 0; i < layers.size(); i++) {
            String key = "deep-active-" + i;
            Path active = mountAt(snapshotter().prepare(key, parent, null));
            layers.get(i).applyTo(flat);
            layers.get(i).applyTo(active);
            assertEquals(describe(flat), describe(active), "layer " + i);
            unmountAt(active);
            parent = "deep-" + i;
            snapshotter().commit(parent, key, null);
        }
        Path view = mountAt(snapshotter().view("deep-view", parent, null));
        assertEquals(describe(flat), describe(view));
    }

    /**
     * containerd's checkSnapshots: each change set goes into a new layer on the previous one and
     * into a plain directory; a view of each new layer must show what the directory holds.
     */
    private void assertLayers(String name, Change... layers) throws Exception {
        Path flat = Files.createDirectory(work().resolve("flat-" + name));
        String parent = "";
        for (int i = 0; i < layers.length; i++) {
            String key = name + "-active-" + i;
            Path active = mountAt(snapshotter().prepare(key, parent, null));
            layers[i].applyTo(active);
            unmountAt(active);
            parent = name + "-" + i;
            snapshotter().commit(parent, key, null);
            layers[i].applyTo(flat);

            Path view = mountAt(snapshotter().view(parent + "-view", parent, null));
            assertEquals(describe(flat), describe(view), "layer " + i + " of " + name);
            unmountAt(view);
            snapshotter().remove(parent + "-view");
        }
    }

    /** Every path below {@code root} with its type, mode, owner and content or link target. */
    private static Map<String, String> describe(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (p.equals(root)) {
                    continue; // a plain directory's own mode follows the umask; theRootOfANewSnapshotIsMode0755
                }
                Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
                String what;
                if (Files.isSymbolicLink(p)) {
                    what = "-> " + Files.readSymbolicLink(p);
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    what = "dir";
                } else {
                    what = "file " + Files.readString(p, StandardCharsets.UTF_8);
                }
                out.put("/" + root.relativize(p), String.format("%s mode=%o owner=%s:%s", what,
                        (Integer) a.get("mode") & 07777, a.get("uid"), a.get("gid")));
            }
        }
        return out;
    }

    private static Change all(Change... changes) {
        return root -> {
            for (Change c : changes) {
                c.applyTo(root);
            }
        };
    }

    private static Change dir(String path, int mode) {
        return root -> {
            Path p = root.resolve(path);
            Files.createDirectory(p);
            Files.setAttribute(p, "unix:mode", mode); // not through the umask
        };
    }

    /** Writes (or rewrites in place) a file, then sets its mode. */
    private static Change file(String path, String content, int mode) {
        return root -> {
            Path p = root.resolve(path);
            Files.writeString(p, content, StandardCharsets.UTF_8);
            Files.setAttribute(p, "unix:mode", mode);
        };
    }

    private static Change chown(String path, int id) {
        return root -> {
            Files.setAttribute(root.resolve(path), "unix:uid", id, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(root.resolve(path), "unix:gid", id, LinkOption.NOFOLLOW_LINKS);
        };
    }

    private static Change remove(String path) {
        return root -> SnapshotFixtures.deleteTree(root.resolve(path));
    }

    private static Change link(String existing, String path) {
        return root -> Files.createLink(root.resolve(path), root.resolve(existing));
    }
}
