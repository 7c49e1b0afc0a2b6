package io.jctr.spi.content;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jctr.spi.JctrException;
import io.jctr.spi.JctrException.Kind;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The ingest half of the {@link ContentStoreContract}: writing, committing, resuming, truncating,
 * failed commits, one writer per ref, abort and status.
 */
abstract class IngestContract extends ContentStoreFixture {

    // ---- write, commit, read back ----

    @Test
    void committedBlobReadsBack() throws Exception {
        SampleBlob blob = SampleBlob.random(300_000, 1);
        ContentWriter w = store.writer("write-read", blob.size(), blob.digest());
        write(w, blob, 0, 100_000);
        write(w, blob, 100_000, 250_000);
        write(w, blob, 250_000, 300_000);
        ContentInfo info = w.commit(blob.size(), blob.digest(), Map.of("k", "v"));

        assertEquals(blob.digest(), info.digest());
        assertEquals(blob.size(), info.size());
        assertEquals(Map.of("k", "v"), info.labels());
        assertArrayEquals(blob.bytes(), readAll(blob.digest()));
        assertFalse(w.isOpen());
    }

    @Test
    void commitWithoutChecksComputesTheDigest() throws Exception {
        SampleBlob blob = SampleBlob.random(4096, 2);
        ContentWriter w = store.writer("unchecked", 0, null);
        write(w, blob, 0, 4096);
        ContentInfo info = w.commit(0, null, null);

        assertEquals(blob.digest(), info.digest());
        assertEquals(Map.of(), info.labels());
        assertEquals(info, store.info(blob.digest()));
    }

    @Test
    void emptyBlobCommits() throws Exception {
        SampleBlob blob = SampleBlob.of(new byte[0]);
        ContentInfo info = store.writer("empty", 0, "").commit(0, blob.digest(), Map.of());

        assertEquals(0, info.size());
        assertEquals(blob.digest(), info.digest());
        try (ContentReader r = store.reader(blob.digest())) {
            assertEquals(0, r.size());
            assertEquals(-1, r.read(ByteBuffer.allocate(1), 0));
        }
    }

    @Test
    void infoHasSizeTimesAndLabels() throws Exception {
        SampleBlob blob = SampleBlob.random(1000, 3);
        Instant before = Instant.now();
        ContentInfo committed = commit("info", blob, Map.of("a", "1", "b", ""));
        Instant after = Instant.now();

        ContentInfo info = store.info(blob.digest());
        assertEquals(committed, info);
        assertEquals(1000, info.size());
        assertFalse(info.createdAt().isBefore(before.minusSeconds(1)), "createdAt " + info.createdAt() + " before " + before);
        assertFalse(info.createdAt().isAfter(after.plusSeconds(1)), "createdAt " + info.createdAt() + " after " + after);
        assertEquals(info.createdAt(), info.updatedAt());
        assertEquals(Map.of("a", "1", "b", ""), info.labels());
    }

    @Test
    void writerReportsDigestAndProgress() throws Exception {
        SampleBlob blob = SampleBlob.random(2000, 4);
        ContentWriter w = store.writer("progress", 2000, blob.digest());
        assertEquals(SampleBlob.of(new byte[0]).digest(), w.digest());
        write(w, blob, 0, 700);

        assertEquals(blob.prefixDigest(700), w.digest());
        IngestStatus s = w.status();
        assertEquals("progress", s.ref());
        assertEquals(700, s.offset());
        assertEquals(2000, s.total());
        assertEquals(blob.digest(), s.expected());
        assertFalse(s.updatedAt().isBefore(s.startedAt()));
        assertEquals(700, store.status("progress").offset());
        w.close();
    }

    @Test
    void writerAdaptsToOutputStream() throws Exception {
        SampleBlob blob = SampleBlob.random(10_000, 5);
        ContentWriter w = store.writer("stream", 0, "");
        OutputStream out = Channels.newOutputStream(w);
        out.write(blob.bytes(), 0, 5000);
        out.write(blob.bytes(), 5000, 5000);
        out.flush();
        assertEquals(blob.digest(), w.commit(10_000, blob.digest(), null).digest());
    }

    // ---- resume ----

    @Test
    void closedIngestResumesAtTheReportedOffset() throws Exception {
        SampleBlob blob = SampleBlob.random(50_000, 6);
        ContentWriter first = store.writer("resume", blob.size(), blob.digest());
        write(first, blob, 0, 20_000);
        IngestStatus before = first.status();
        first.close();

        IngestStatus stored = store.status("resume");
        assertEquals(20_000, stored.offset());
        assertEquals(blob.size(), stored.total());
        assertEquals(blob.digest(), stored.expected());
        assertEquals(before.startedAt(), stored.startedAt());

        ContentWriter second = store.writer("resume", blob.size(), blob.digest());
        assertEquals(stored.offset(), second.status().offset());
        assertEquals(before.startedAt(), second.status().startedAt());
        assertEquals(blob.prefixDigest(20_000), second.digest());
        write(second, blob, 20_000, 50_000);
        second.commit(blob.size(), blob.digest(), null);
        assertArrayEquals(blob.bytes(), readAll(blob.digest()));
    }

    @Test
    void resumeWithAnotherExpectedSizeRestartsEmpty() throws Exception {
        SampleBlob blob = SampleBlob.random(100, 7);
        ContentWriter first = store.writer("resize", 100, "");
        write(first, blob, 0, 60);
        first.close();

        ContentWriter second = store.writer("resize", 200, "");
        assertEquals(0, second.status().offset());
        assertEquals(200, second.status().total());
        assertEquals(SampleBlob.of(new byte[0]).digest(), second.digest());
        second.close();
    }

    @Test
    void resumeWithUnknownSizeKeepsTheData() throws Exception {
        SampleBlob blob = SampleBlob.random(100, 8);
        ContentWriter first = store.writer("unknown-size", 100, "");
        write(first, blob, 0, 60);
        first.close();

        ContentWriter second = store.writer("unknown-size", 0, "");
        assertEquals(60, second.status().offset());
        assertEquals(100, second.status().total());
        write(second, blob, 60, 100);
        assertEquals(blob.digest(), second.commit(100, blob.digest(), null).digest());
    }

    @Test
    void truncateToZeroRestartsTheIngest() throws Exception {
        SampleBlob junk = SampleBlob.random(500, 9);
        SampleBlob blob = SampleBlob.random(300, 10);
        ContentWriter w = store.writer("truncate", 0, "");
        write(w, junk, 0, 500);
        w.truncate(0);

        assertEquals(0, w.status().offset());
        assertEquals(SampleBlob.of(new byte[0]).digest(), w.digest());
        write(w, blob, 0, 300);
        assertEquals(blob.digest(), w.commit(300, blob.digest(), null).digest());
        assertArrayEquals(blob.bytes(), readAll(blob.digest()));
    }

    @Test
    void truncateOutOfRangeIsRejected() throws Exception {
        SampleBlob blob = SampleBlob.random(100, 11);
        ContentWriter w = store.writer("truncate-range", 0, "");
        write(w, blob, 0, 100);

        assertKind(Kind.OUT_OF_RANGE, () -> w.truncate(-1));
        assertKind(Kind.OUT_OF_RANGE, () -> w.truncate(101));
        assertEquals(100, w.status().offset());
        w.close();
    }

    @Test
    void truncateToAPrefixKeepsItOrIsNotImplemented() throws Exception {
        SampleBlob blob = SampleBlob.random(100, 12);
        ContentWriter w = store.writer("truncate-prefix", 0, "");
        write(w, blob, 0, 100);
        try {
            w.truncate(40);
        } catch (JctrException e) {
            assertEquals(Kind.NOT_IMPLEMENTED, e.kind());
            w.close();
            return;
        }
        assertEquals(40, w.status().offset());
        assertEquals(blob.prefixDigest(40), w.digest());
        write(w, blob, 40, 100);
        assertEquals(blob.digest(), w.commit(100, blob.digest(), null).digest());
    }

    // ---- failed commits ----

    @Test
    void commitWithWrongDigestStoresNothingAndKeepsTheIngest() throws Exception {
        SampleBlob blob = SampleBlob.random(1000, 13);
        SampleBlob other = SampleBlob.random(1000, 14);
        ContentWriter w = store.writer("wrong-digest", 0, "");
        write(w, blob, 0, 1000);

        JctrException e = assertKind(Kind.FAILED_PRECONDITION, () -> w.commit(1000, other.digest(), null));
        assertTrue(e.getMessage().contains(other.digest()), e.getMessage());
        assertNothingCommitted(blob, other);
        assertFailedCommitLeftIngest("wrong-digest", blob, w);
    }

    @Test
    void commitWithWrongSizeStoresNothingAndKeepsTheIngest() throws Exception {
        SampleBlob blob = SampleBlob.random(1000, 15);
        ContentWriter w = store.writer("wrong-size", 0, "");
        write(w, blob, 0, 1000);

        assertKind(Kind.FAILED_PRECONDITION, () -> w.commit(999, blob.digest(), null));
        assertNothingCommitted(blob);
        assertFailedCommitLeftIngest("wrong-size", blob, w);
    }

    @Test
    void commitWithMalformedDigestIsInvalidAndClosesTheWriter() throws Exception {
        SampleBlob blob = SampleBlob.random(10, 16);
        ContentWriter w = store.writer("bad-commit-digest", 0, "");
        write(w, blob, 0, 10);

        assertKind(Kind.INVALID_ARGUMENT, () -> w.commit(10, "sha256:nope", null));
        assertFalse(w.isOpen());
        assertNothingCommitted(blob);
        store.writer("bad-commit-digest", 0, "").close();
    }

    @Test
    void closedWriterRefusesEverything() throws Exception {
        SampleBlob blob = SampleBlob.random(10, 17);
        ContentWriter w = store.writer("closed", 0, "");
        write(w, blob, 0, 10);
        w.close();
        w.close();

        assertFalse(w.isOpen());
        assertThrows(ClosedChannelException.class, () -> w.write(blob.slice(0, 1)));
        assertKind(Kind.FAILED_PRECONDITION, w::digest);
        assertKind(Kind.FAILED_PRECONDITION, w::status);
        assertKind(Kind.FAILED_PRECONDITION, () -> w.truncate(0));
        assertKind(Kind.FAILED_PRECONDITION, () -> w.commit(10, blob.digest(), null));
        assertNothingCommitted(blob);
    }

    @Test
    void committedWriterIsClosed() throws Exception {
        SampleBlob blob = SampleBlob.random(10, 18);
        ContentWriter w = store.writer("committed", 0, "");
        write(w, blob, 0, 10);
        w.commit(10, blob.digest(), null);

        assertFalse(w.isOpen());
        assertKind(Kind.FAILED_PRECONDITION, () -> w.commit(10, blob.digest(), null));
        assertThrows(ClosedChannelException.class, () -> w.write(blob.slice(0, 1)));
        w.close();
        assertKind(Kind.NOT_FOUND, () -> store.status("committed"));
        ContentWriter again = store.writer("committed", 0, "");
        assertEquals(0, again.status().offset());
        again.close();
    }

    // ---- one writer per ref ----

    @Test
    void secondWriterOfAnOpenRefIsUnavailable() throws Exception {
        ContentWriter w = store.writer("locked", 0, "");

        JctrException e = assertKind(Kind.UNAVAILABLE, () -> store.writer("locked", 0, ""));
        assertTrue(e.getMessage().contains("locked"), e.getMessage());
        assertKind(Kind.UNAVAILABLE, () -> store.abort("locked"));
        ContentWriter other = store.writer("not-locked", 0, "");
        other.close();

        w.close();
        ContentWriter next = store.writer("locked", 0, "");
        next.close();
    }

    @Test
    void racingWritersOfOneRefExactlyOneWins() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<ContentWriter>> results = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            results.add(pool.submit(() -> {
                go.await();
                return store.writer("contended", 0, "");
            }));
        }
        go.countDown();

        assertEquals(1, countSuccesses(results, Kind.UNAVAILABLE));
        for (Future<ContentWriter> f : results) {
            if (!failed(f)) {
                f.get().close();
            }
        }
    }

    // ---- abort, status, listing ----

    @Test
    void abortDiscardsTheIngest() throws Exception {
        SampleBlob blob = SampleBlob.random(100, 22);
        ContentWriter w = store.writer("aborted", 100, "");
        write(w, blob, 0, 100);
        w.close();

        store.abort("aborted");
        assertKind(Kind.NOT_FOUND, () -> store.status("aborted"));
        assertEquals(List.of(), store.listStatuses(s -> true));
        assertKind(Kind.NOT_FOUND, () -> store.abort("aborted"));
        assertNothingCommitted(blob);
        ContentWriter again = store.writer("aborted", 100, "");
        assertEquals(0, again.status().offset());
        again.close();
    }

    @Test
    void unknownRefsAreNotFound() throws Exception {
        assertKind(Kind.NOT_FOUND, () -> store.status("never-written"));
        assertKind(Kind.NOT_FOUND, () -> store.abort("never-written"));
    }

    @Test
    void emptyRefIsInvalid() {
        assertKind(Kind.INVALID_ARGUMENT, () -> store.writer("", 0, ""));
    }

    @Test
    void listStatusesFiltersActiveIngests() throws Exception {
        SampleBlob blob = SampleBlob.random(100, 23);
        ContentWriter a = store.writer("list/a", 100, blob.digest());
        write(a, blob, 0, 30);
        a.close();
        ContentWriter b = store.writer("list/b", 0, "");
        write(b, blob, 0, 10);
        commit("list/committed", SampleBlob.random(5, 24), null);

        Map<String, IngestStatus> all = store.listStatuses(s -> true).stream()
                .collect(Collectors.toMap(IngestStatus::ref, s -> s));
        assertEquals(Set.of("list/a", "list/b"), all.keySet());
        assertEquals(30, all.get("list/a").offset());
        assertEquals(100, all.get("list/a").total());
        assertEquals(blob.digest(), all.get("list/a").expected());
        assertEquals(10, all.get("list/b").offset());
        assertEquals(0, all.get("list/b").total());
        assertEquals("", all.get("list/b").expected());
        assertEquals(all.get("list/a"), store.status("list/a"));

        List<IngestStatus> onlyB = store.listStatuses(s -> s.ref().endsWith("/b"));
        assertEquals(List.of("list/b"), onlyB.stream().map(IngestStatus::ref).collect(Collectors.toList()));
        b.close();
    }
}
