package io.jctr.spi.content;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jctr.spi.JctrException;
import io.jctr.spi.JctrException.Kind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The committed-blob half of the {@link ContentStoreContract}: existing digests, labels, walk,
 * delete and reading.
 */
abstract class BlobContract extends IngestContract {

    // ---- existing content ----

    @Test
    void committingAnExistingDigestFailsAndRemovesTheIngest() throws Exception {
        SampleBlob blob = SampleBlob.random(500, 19);
        ContentInfo original = commit("first", blob, Map.of("owner", "first"));
        ContentWriter w = store.writer("second", 0, "");
        write(w, blob, 0, 500);

        JctrException e = assertKind(Kind.ALREADY_EXISTS, () -> w.commit(500, blob.digest(), Map.of("owner", "second")));
        assertTrue(e.getMessage().contains(blob.digest()), e.getMessage());
        assertFalse(w.isOpen());
        assertKind(Kind.NOT_FOUND, () -> store.status("second"));
        assertEquals(original, store.info(blob.digest()));
    }

    @Test
    void writerForACommittedDigestFails() throws Exception {
        SampleBlob blob = SampleBlob.random(500, 20);
        commit("present", blob, null);

        assertKind(Kind.ALREADY_EXISTS, () -> store.writer("again", 500, blob.digest()));
        assertKind(Kind.NOT_FOUND, () -> store.status("again"));
    }

    @Test
    void racingCommitsOfOneDigestStoreItOnce() throws Exception {
        SampleBlob blob = SampleBlob.random(100_000, 21);
        List<ContentWriter> writers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ContentWriter w = store.writer("race-" + i, 0, "");
            write(w, blob, 0, 100_000);
            writers.add(w);
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Future<ContentInfo>> results = new ArrayList<>();
        for (ContentWriter w : writers) {
            results.add(pool.submit(() -> {
                go.await();
                return w.commit(blob.size(), blob.digest(), null);
            }));
        }
        go.countDown();

        assertEquals(1, countSuccesses(results, Kind.ALREADY_EXISTS));
        assertArrayEquals(blob.bytes(), readAll(blob.digest()));
        assertEquals(List.of(), store.listStatuses(s -> true));
    }

    // ---- labels ----

    @Test
    void updateOfSingleLabelsSetsAndRemovesKeys() throws Exception {
        SampleBlob blob = SampleBlob.random(10, 25);
        ContentInfo before = commit("labels", blob, Map.of("a", "1", "b", "2", "keep", "x"));

        ContentInfo after = store.update(info(blob, Map.of("a", "9", "c", "3", "ignored", "y")),
                Set.of("labels.a", "labels.b", "labels.c"));

        assertEquals(Map.of("a", "9", "c", "3", "keep", "x"), after.labels());
        assertEquals(before.createdAt(), after.createdAt());
        assertEquals(before.size(), after.size());
        assertFalse(after.updatedAt().isBefore(before.updatedAt()));
        assertEquals(after, store.info(blob.digest()));
    }

    @Test
    void updateOfAllLabelsReplacesThem() throws Exception {
        SampleBlob blob = SampleBlob.random(10, 26);
        commit("labels-all", blob, Map.of("a", "1", "b", "2"));

        assertEquals(Map.of("c", "3"), store.update(info(blob, Map.of("c", "3")), Set.of("labels")).labels());
        assertEquals(Map.of("d", "4"), store.update(info(blob, Map.of("d", "4")), Set.of()).labels());
        assertEquals(Map.of(), store.update(info(blob, Map.of()), Set.of()).labels());
        assertEquals(Map.of(), store.info(blob.digest()).labels());
    }

    @Test
    void updateOfOtherFieldsIsInvalid() throws Exception {
        SampleBlob blob = SampleBlob.random(10, 27);
        commit("labels-invalid", blob, Map.of("a", "1"));

        for (String path : List.of("size", "digest", "createdat", "labelsx", "labels.", "", "Labels")) {
            JctrException e = assertKind(Kind.INVALID_ARGUMENT, () -> store.update(info(blob, Map.of()), Set.of(path)));
            assertTrue(e.getMessage().contains("\"" + path + "\"") || e.getMessage().contains(path), e.getMessage());
        }
        assertEquals(Map.of("a", "1"), store.info(blob.digest()).labels());
    }

    @Test
    void updateOfAMissingBlobIsNotFound() {
        SampleBlob blob = SampleBlob.random(10, 28);
        assertKind(Kind.NOT_FOUND, () -> store.update(info(blob, Map.of("a", "1")), Set.of("labels")));
    }

    @Test
    void labelsSurviveUnusualCharacters() throws Exception {
        SampleBlob blob = SampleBlob.random(10, 29);
        Map<String, String> labels = Map.of(
                "containerd.io/gc.ref.content.l.0", "sha256:" + "0".repeat(64),
                "with space", "line\nbreak = and %20 +",
                "ünïcödé", "値");
        commit("labels-odd", blob, labels);
        assertEquals(labels, store.info(blob.digest()).labels());
    }

    // ---- walk ----

    @Test
    void walkVisitsTheBlobsTheFilterAccepts() throws Exception {
        List<SampleBlob> blobs = List.of(SampleBlob.random(10, 30), SampleBlob.random(20, 31), SampleBlob.random(30, 32));
        for (int i = 0; i < blobs.size(); i++) {
            commit("walk-" + i, blobs.get(i), Map.of("i", Integer.toString(i)));
        }
        List<ContentInfo> all = new ArrayList<>();
        store.walk(i -> true, all::add);
        assertEquals(blobs.stream().map(SampleBlob::digest).collect(Collectors.toSet()),
                all.stream().map(ContentInfo::digest).collect(Collectors.toSet()));
        assertEquals(3, all.size());
        for (ContentInfo info : all) {
            assertEquals(store.info(info.digest()), info);
        }

        List<String> big = new ArrayList<>();
        store.walk(i -> i.size() >= 20 && !i.labels().get("i").equals("2"), i -> big.add(i.digest()));
        assertEquals(List.of(blobs.get(1).digest()), big);
    }

    @Test
    void walkOfAnEmptyStoreVisitsNothing() throws Exception {
        ContentWriter w = store.writer("uncommitted", 0, "");
        write(w, SampleBlob.random(10, 33), 0, 10);
        List<ContentInfo> seen = new ArrayList<>();
        store.walk(i -> true, seen::add);
        assertEquals(List.of(), seen);
        w.close();
    }

    @Test
    void walkStopsWithTheConsumersException() throws Exception {
        commit("walk-throw-1", SampleBlob.random(10, 34), null);
        commit("walk-throw-2", SampleBlob.random(10, 35), null);
        List<ContentInfo> seen = new ArrayList<>();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.walk(i -> true, i -> {
            seen.add(i);
            throw new IllegalStateException("stop");
        }));
        assertEquals("stop", e.getMessage());
        assertEquals(1, seen.size());
    }

    // ---- delete ----

    @Test
    void deleteRemovesTheBlobAndItsLabels() throws Exception {
        SampleBlob blob = SampleBlob.random(100, 36);
        commit("delete", blob, Map.of("old", "1"));

        store.delete(blob.digest());
        assertNothingCommitted(blob);
        assertKind(Kind.NOT_FOUND, () -> store.delete(blob.digest()));

        ContentInfo again = commit("delete-again", blob, Map.of("new", "2"));
        assertEquals(Map.of("new", "2"), again.labels());
        assertArrayEquals(blob.bytes(), readAll(blob.digest()));
    }

    @Test
    void deleteOfAMissingBlobIsNotFound() {
        assertKind(Kind.NOT_FOUND, () -> store.delete(SampleBlob.random(1, 37).digest()));
    }

    // ---- reading ----

    @Test
    void readerReadsAtAnyOffset() throws Exception {
        SampleBlob blob = SampleBlob.random(10_000, 38);
        commit("read", blob, null);
        try (ContentReader r = store.reader(blob.digest())) {
            assertEquals(10_000, r.size());
            assertArrayEquals(blob.slice(1234, 2234).array(), readFully(r, 1234, 1000));
            assertArrayEquals(blob.slice(9999, 10_000).array(), readFully(r, 9999, 1));
            assertArrayEquals(blob.slice(0, 10).array(), readFully(r, 0, 10));

            ByteBuffer tail = ByteBuffer.allocate(100);
            int n = r.read(tail, 9950);
            assertTrue(n > 0 && n <= 50, "read " + n + " bytes at 9950 of 10000");
            assertEquals(-1, r.read(ByteBuffer.allocate(10), 10_000));
            assertEquals(-1, r.read(ByteBuffer.allocate(10), 20_000));
            assertEquals(0, r.read(ByteBuffer.allocate(0), 5));
            assertKind(Kind.INVALID_ARGUMENT, () -> r.read(ByteBuffer.allocate(10), -1));
        }
    }

    @Test
    void readerServesConcurrentReads() throws Exception {
        SampleBlob blob = SampleBlob.random(1 << 20, 39);
        commit("read-concurrent", blob, null);
        try (ContentReader r = store.reader(blob.digest())) {
            List<Future<Boolean>> checks = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int from = t * 65_536;
                checks.add(pool.submit(() -> Arrays.equals(blob.slice(from, from + 65_536).array(),
                        readFully(r, from, 65_536))));
            }
            for (Future<Boolean> check : checks) {
                assertTrue(check.get());
            }
        }
    }

    @Test
    void closedReaderFails() throws Exception {
        SampleBlob blob = SampleBlob.random(100, 40);
        commit("read-closed", blob, null);
        ContentReader r = store.reader(blob.digest());
        r.close();
        r.close();
        assertThrows(IOException.class, () -> r.read(ByteBuffer.allocate(10), 0));
    }

    @Test
    void readerOfAMissingBlobIsNotFound() {
        assertKind(Kind.NOT_FOUND, () -> store.reader(SampleBlob.random(1, 41).digest()));
    }
}
