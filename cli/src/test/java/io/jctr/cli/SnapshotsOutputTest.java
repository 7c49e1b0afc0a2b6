package io.jctr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Timestamp;
import io.jctr.api.services.snapshots.v1.Info;
import io.jctr.api.services.snapshots.v1.Kind;
import io.jctr.api.types.Mount;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The expected texts are what ctr 1.6 printed for the same snapshots. */
class SnapshotsOutputTest {

    private static final Mount BIND = Mount.newBuilder().setType("bind").setSource("/r/snapshots/1/fs")
            .addAllOptions(List.of("rbind", "rw")).build();
    private static final Mount OVERLAY = Mount.newBuilder().setType("overlay").setSource("overlay")
            .addAllOptions(List.of("index=off", "workdir=/r/3/work", "upperdir=/r/3/fs", "lowerdir=/r/1/fs")).build();

    @Test
    void mountLinesAreShellCommands() {
        assertEquals(List.of("mount -t bind /r/snapshots/1/fs /mnt/x -o rbind,rw",
                "mount -t overlay overlay /mnt/x -o index=off,workdir=/r/3/work,upperdir=/r/3/fs,lowerdir=/r/1/fs"),
                SnapshotsOutput.mountLines("/mnt/x", List.of(BIND, OVERLAY)));
        // ctr prints the target as given
        assertEquals(List.of("mount -t bind /r/snapshots/1/fs /mnt/x/ -o rbind,rw"), SnapshotsOutput.mountLines("/mnt/x/", List.of(BIND)));
        // a mount with its own target goes below the one given; one without options keeps the empty -o
        Mount sub = Mount.newBuilder().setType("tmpfs").setSource("tmpfs").setTarget("/dev").build();
        assertEquals(List.of("mount -t tmpfs tmpfs /mnt/x/dev -o "), SnapshotsOutput.mountLines("/mnt/x/", List.of(sub)));
    }

    @Test
    void mountsJsonIsGoJsonWithFourSpaces() {
        assertEquals("""
                [
                    {
                        "Type": "bind",
                        "Source": "/r/snapshots/1/fs",
                        "Options": [
                            "rbind",
                            "rw"
                        ]
                    }
                ]""", SnapshotsOutput.mountsJson(List.of(BIND)));
        assertEquals("[]", SnapshotsOutput.mountsJson(List.of()));
    }

    @Test
    void infoJsonOmitsAnEmptyParentAndLabels() {
        Info committed = Info.newBuilder().setName("c1").setKind(Kind.COMMITTED)
                .putLabels("x", "y").putLabels("containerd.io/gc.root", "2026-11-29T09:50:38Z")
                .setCreatedAt(Timestamp.newBuilder().setSeconds(1795945838L).setNanos(398347645))
                .setUpdatedAt(Timestamp.newBuilder().setSeconds(1795945838L).setNanos(579521000)).build();
        assertEquals("""
                {
                    "Kind": "Committed",
                    "Name": "c1",
                    "Labels": {
                        "containerd.io/gc.root": "2026-11-29T09:50:38Z",
                        "x": "y"
                    },
                    "Created": "2026-11-29T09:50:38.398347645Z",
                    "Updated": "2026-11-29T09:50:38.579521Z"
                }""", SnapshotsOutput.infoJson(committed));
        Info active = Info.newBuilder().setName("a3").setParent("c1").setKind(Kind.ACTIVE)
                .setCreatedAt(Timestamp.newBuilder().setSeconds(1795945838L)).build();
        assertEquals("""
                {
                    "Kind": "Active",
                    "Name": "a3",
                    "Parent": "c1",
                    "Created": "2026-11-29T09:50:38Z",
                    "Updated": "1970-01-01T00:00:00Z"
                }""", SnapshotsOutput.infoJson(active));
    }

    @Test
    void kindsAreNamedAsContainerdNamesThem() {
        assertEquals("View", SnapshotsOutput.kind(Kind.VIEW));
        assertEquals("Active", SnapshotsOutput.kind(Kind.ACTIVE));
        assertEquals("Committed", SnapshotsOutput.kind(Kind.COMMITTED));
        assertEquals("Unknown", SnapshotsOutput.kind(Kind.UNKNOWN));
    }

    @Test
    void sizesAreCtrsProgressBytes() {
        assertEquals("0.0 B", SnapshotsOutput.size(0));
        assertEquals("512.0 B", SnapshotsOutput.size(512));
        assertEquals("1023.0 B", SnapshotsOutput.size(1023));
        assertEquals("4.0 KiB", SnapshotsOutput.size(4096));
        assertEquals("2.9 MiB", SnapshotsOutput.size(3076099));
        assertEquals("1.5 GiB", SnapshotsOutput.size(3L << 29));
    }
}
