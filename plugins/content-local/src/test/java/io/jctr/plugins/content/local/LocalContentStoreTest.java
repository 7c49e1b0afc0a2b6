package io.jctr.plugins.content.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jctr.spi.JctrException.Kind;
import io.jctr.spi.content.ContentInfo;
import io.jctr.spi.content.ContentReader;
import io.jctr.spi.content.ContentStore;
import io.jctr.spi.content.ContentStoreContract;
import io.jctr.spi.content.ContentWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The contract, plus what is particular to the local store: its files, crashes, restarts. */
class LocalContentStoreTest extends ContentStoreContract {

    private static final byte[] DATA = bytes(64 * 1024, 7);
    private static final String DIGEST = "sha256:" + sha256(DATA);

    @Override
    protected ContentStore newStore(Path dir) throws Exception {
        return new LocalContentStore(dir);
    }

    @Test
    void freshStoreOverTheSameDirectoryResumesAnInterruptedIngest() throws Exception {
        ContentWriter w = store.writer("crash", DATA.length, DIGEST);
        w.write(ByteBuffer.wrap(DATA, 0, 40_000));
        w.close();

        ContentStore restarted = new LocalContentStore(dir);
        assertEquals(40_000, restarted.status("crash").offset());
        ContentWriter resumed = restarted.writer("crash", DATA.length, DIGEST);
        assertEquals(40_000, resumed.status().offset());
        assertEquals("sha256:" + sha256(Arrays.copyOf(DATA, 40_000)), resumed.digest());
        resumed.write(ByteBuffer.wrap(DATA, 40_000, DATA.length - 40_000));
        resumed.commit(DATA.length, DIGEST, null);

        assertArrayEquals(DATA, read(store, DIGEST));
    }

    @Test
    void secondStoreOnTheSameRootFindsTheRefLocked() throws Exception {
        ContentStore other = new LocalContentStore(dir);
        ContentWriter w = store.writer("shared", 0, "");

        assertKind(Kind.UNAVAILABLE, () -> other.writer("shared", 0, ""));
        assertKind(Kind.UNAVAILABLE, () -> other.abort("shared"));
        w.close();
        other.writer("shared", 0, "").close();
        store.abort("shared");
    }

    @Test
    void committedBlobIsAReadOnlyFileNamedByItsDigest() throws Exception {
        commit("perm", DATA, Map.of("a", "b"));

        Path blob = dir.resolve("blobs/sha256/" + DIGEST.substring(7));
        assertArrayEquals(DATA, Files.readAllBytes(blob));
        assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(blob)));
        assertTrue(Files.exists(dir.resolve("meta/sha256/" + DIGEST.substring(7))));
        assertEquals(List.of(), list(dir.resolve("ingest")));
    }

    @Test
    void noPartialBlobIsVisibleWhileWriting() throws Exception {
        ContentWriter w = store.writer("partial", DATA.length, DIGEST);
        w.write(ByteBuffer.wrap(DATA, 0, 1000));

        assertEquals(List.of(), list(dir.resolve("blobs/sha256")));
        assertEquals(List.of(), list(dir.resolve("meta/sha256")));
        assertKind(Kind.NOT_FOUND, () -> store.info(DIGEST));
        assertEquals(1000, Files.size(dir.resolve("ingest/" + sha256("partial".getBytes(StandardCharsets.UTF_8)) + "/data")));

        w.write(ByteBuffer.wrap(DATA, 1000, DATA.length - 1000));
        w.commit(DATA.length, DIGEST, null);
        assertEquals(List.of(DIGEST.substring(7)), list(dir.resolve("blobs/sha256")));
    }

    @Test
    void ingestKeepsItsStateInContainerdsFiles() throws Exception {
        String ref = "default/1/layer-sha256:abc";
        ContentWriter w = store.writer(ref, DATA.length, DIGEST);
        w.write(ByteBuffer.wrap(DATA, 0, 10));
        w.close();

        Path ingest = dir.resolve("ingest/" + sha256(ref.getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of("data", "expected", "lock", "ref", "startedat", "total", "updatedat"), list(ingest));
        assertEquals(ref, Files.readString(ingest.resolve("ref")));
        assertEquals(Integer.toString(DATA.length), Files.readString(ingest.resolve("total")));
        assertEquals(DIGEST, Files.readString(ingest.resolve("expected")));
        assertEquals(store.status(ref).startedAt().toString(), Files.readString(ingest.resolve("startedat")));
    }

    @Test
    void deleteRemovesBlobFileAndMetadataFile() throws Exception {
        commit("delete-files", DATA, Map.of("a", "b"));
        store.delete(DIGEST);

        assertEquals(List.of(), list(dir.resolve("blobs/sha256")));
        assertEquals(List.of(), list(dir.resolve("meta/sha256")));
    }

    @Test
    void blobWithoutMetadataHasItsFileTimeAndNoLabels() throws Exception {
        commit("no-meta", DATA, Map.of("a", "b"));
        Files.delete(dir.resolve("meta/sha256/" + DIGEST.substring(7)));

        ContentInfo info = store.info(DIGEST);
        assertEquals(Map.of(), info.labels());
        assertEquals(Files.getLastModifiedTime(dir.resolve("blobs/sha256/" + DIGEST.substring(7))).toInstant(), info.createdAt());
        assertEquals(Map.of("c", "d"), store.update(new ContentInfo(DIGEST, 0, info.createdAt(), info.createdAt(),
                Map.of("c", "d")), Set.of()).labels());
    }

    @Test
    void ingestWhoseDataAlreadyBecameABlobStartsAfresh() throws Exception {
        ContentWriter w = store.writer("linked", 0, "");
        w.write(ByteBuffer.wrap(DATA));
        w.close();
        // a crash between publishing the blob (a hard link) and removing the ingest leaves this
        Path data = dir.resolve("ingest/" + sha256("linked".getBytes(StandardCharsets.UTF_8)) + "/data");
        Files.createLink(dir.resolve("blobs/sha256/" + DIGEST.substring(7)), data);

        ContentWriter resumed = store.writer("linked", 0, "");
        assertEquals(0, resumed.status().offset());
        resumed.write(ByteBuffer.wrap(bytes(100, 8)));
        resumed.close();
        assertArrayEquals(DATA, read(store, DIGEST));
    }

    @Test
    void ingestWhoseCreationWasInterruptedIsNotAnIngest() throws Exception {
        ContentWriter w = store.writer("half-made", 0, "");
        w.write(ByteBuffer.wrap(DATA, 0, 100));
        w.close();
        Files.delete(dir.resolve("ingest/" + sha256("half-made".getBytes(StandardCharsets.UTF_8)) + "/ref"));

        assertKind(Kind.NOT_FOUND, () -> store.status("half-made"));
        assertEquals(List.of(), store.listStatuses(s -> true));
        ContentWriter again = store.writer("half-made", 0, "");
        assertEquals(0, again.status().offset());
        again.close();
        assertEquals(0, store.status("half-made").offset());
    }

    @Test
    void openingClearsWhatACrashLeftInTmp() throws Exception {
        Files.createDirectories(dir.resolve("tmp/trash-1/sub"));
        Files.write(dir.resolve("tmp/trash-1/sub/data"), DATA);
        Files.write(dir.resolve("tmp/meta-old"), DATA);
        Files.setLastModifiedTime(dir.resolve("tmp/meta-old"), FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        Files.write(dir.resolve("tmp/meta-in-flight"), DATA);

        new LocalContentStore(dir);
        assertEquals(List.of("meta-in-flight"), list(dir.resolve("tmp")));
    }

    @Test
    void labelsAreStoredAsReadableText() throws Exception {
        commit("meta-text", DATA, Map.of("containerd.io/gc.ref.content", "a b"));

        List<String> lines = Files.readAllLines(dir.resolve("meta/sha256/" + DIGEST.substring(7)));
        assertEquals("jctr-content-meta v1", lines.get(0));
        assertTrue(lines.contains("label containerd.io%2Fgc.ref.content a+b"), lines.toString());
    }

    @Test
    void corruptMetadataIsAnIoErrorNamingTheFile() throws Exception {
        commit("meta-corrupt", DATA, null);
        Path meta = dir.resolve("meta/sha256/" + DIGEST.substring(7));
        Files.writeString(meta, "garbage\n");

        IOException e = assertThrows(IOException.class, () -> store.info(DIGEST));
        assertTrue(e.getMessage().contains(meta.toString()), e.getMessage());
        assertFalse(e.getMessage().isEmpty());
    }

    private void commit(String ref, byte[] data, Map<String, String> labels) throws IOException {
        ContentWriter w = store.writer(ref, data.length, "");
        w.write(ByteBuffer.wrap(data));
        w.commit(data.length, "sha256:" + sha256(data), labels);
    }

    private static byte[] read(ContentStore s, String digest) throws IOException {
        try (ContentReader r = s.reader(digest)) {
            ByteBuffer buf = ByteBuffer.allocate((int) r.size());
            int n = 0;
            while (buf.hasRemaining() && n >= 0) {
                n = r.read(buf, buf.position());
            }
            return buf.array();
        }
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            return children.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toCollection(ArrayList::new));
        }
    }

    private static byte[] bytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
