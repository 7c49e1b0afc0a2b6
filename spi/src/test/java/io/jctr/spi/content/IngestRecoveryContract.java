package io.jctr.spi.content;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.jctr.spi.JctrException.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a client can rely on after an interruption or a failed commit: the cases of containerd's
 * {@code content/testsuite} (Resume*, CommitExists, CommitErrorState, UpdateStatus) that the
 * other contract classes do not cover, at the store's level.
 */
abstract class IngestRecoveryContract extends BlobContract {

    private static final int[] SIZES = {500, 5000, 50_000};
    private static final double[] WRITTEN = {0.0, 0.1, 0.5, 0.9, 1.0};

    /**
     * containerd's ResumeTruncate and ResumeDiscard: an ingest closed after any prefix, nothing
     * and everything included, reopened with the same expectations, is at that prefix; from
     * there, both writing the rest and restarting from zero commit the blob.
     */
    @Test
    void anIngestClosedAfterAnyPrefixResumesThereOrRestarts() throws Exception {
        int seed = 100;
        for (int size : SIZES) {
            for (double fraction : WRITTEN) {
                for (boolean restart : new boolean[] {false, true}) {
                    SampleBlob blob = SampleBlob.random(size, seed++);
                    int written = (int) (size * fraction);
                    String ref = "resume-" + size + "-" + written + (restart ? "-restart" : "-rest");
                    ContentWriter first = store.writer(ref, size, blob.digest());
                    write(first, blob, 0, written);
                    first.close();

                    ContentWriter second = store.writer(ref, size, blob.digest());
                    assertEquals(written, second.status().offset(), ref);
                    assertEquals(blob.prefixDigest(written), second.digest(), ref);
                    if (restart) {
                        second.truncate(0);
                        write(second, blob, 0, size);
                    } else {
                        write(second, blob, written, size);
                    }
                    Instant before = Instant.now();
                    ContentInfo info = second.commit(size, blob.digest(), null);
                    assertEquals(blob.digest(), info.digest(), ref);
                    assertFalse(info.createdAt().isBefore(before.minusSeconds(1)), ref);
                    assertArrayEquals(blob.bytes(), readAll(blob.digest()), ref);
                }
            }
        }
    }

    /** containerd's CommitExists, the case without an expected digest: the computed one exists. */
    @Test
    void committingAnExistingDigestWithoutExpectingItFails() throws Exception {
        SampleBlob blob = SampleBlob.random(256, 30);
        ContentInfo original = commit("c1", blob, Map.of("k", "v"));
        ContentWriter w = store.writer("c1-again", 0, "");
        write(w, blob, 0, 256);

        assertKind(Kind.ALREADY_EXISTS, () -> w.commit(256, "", Map.of()));
        assertFalse(w.isOpen());
        assertKind(Kind.NOT_FOUND, () -> store.status("c1-again"));
        assertEquals(original, store.info(blob.digest()));
    }

    /**
     * containerd's CommitErrorState: one ref through every failed commit. A commit of an existing
     * digest ends the ingest (the next writer starts empty); a commit with the wrong digest or
     * size keeps the data (the next writer commits it without writing); every writer holds the
     * ref while open and frees it when it commits, fails or closes.
     */
    @Test
    void everyFailedCommitLeavesTheRefUsable() throws Exception {
        String ref = "c1-commiterror-state";
        SampleBlob c1 = SampleBlob.random(256, 31);
        SampleBlob c2 = SampleBlob.random(256, 32);
        byte[] more = Arrays.copyOf(c1.bytes(), 260);
        System.arraycopy("more".getBytes(StandardCharsets.US_ASCII), 0, more, 256, 4);
        SampleBlob longer = SampleBlob.of(more);
        commit("c1", c1, null);

        ContentWriter w = openAlone(ref, 0);
        write(w, c1, 0, 256);
        assertKind(Kind.ALREADY_EXISTS, () -> w.commit(256, c1.digest(), null));

        ContentWriter w2 = openAlone(ref, 0);
        write(w2, c1, 0, 256);
        assertKind(Kind.ALREADY_EXISTS, () -> w2.commit(256, "", null));

        ContentWriter w3 = openAlone(ref, 0);
        write(w3, longer, 0, 260);
        assertKind(Kind.FAILED_PRECONDITION, () -> w3.commit(260, c2.digest(), null));

        ContentWriter w4 = openAlone(ref, 260);
        assertKind(Kind.FAILED_PRECONDITION, () -> w4.commit(256, "", null));

        ContentWriter w5 = openAlone(ref, 260);
        assertEquals(longer.digest(), w5.commit(260, "", null).digest());

        ContentWriter w6 = openAlone(ref, 0);
        write(w6, c1, 0, 256);
        assertKind(Kind.ALREADY_EXISTS, () -> w6.commit(256, c1.digest(), null));

        openAlone(ref, 0).close();
        store.writer(ref, 0, "").close();
        assertArrayEquals(more, readAll(longer.digest()));
    }

    /**
     * containerd's UpdateStatus: the start time is set when the ingest opens and kept; the
     * update time moves with every write; total and expected digest are what the writer was
     * opened with; the blob's times are its commit's.
     */
    @Test
    void statusTimesFollowTheWrites() throws Exception {
        SampleBlob blob = SampleBlob.random(256, 33);
        Instant preStart = Instant.now();
        ContentWriter w = store.writer("c1", 256, blob.digest());
        Instant postStart = Instant.now();
        assertStatus(w, 0, blob, preStart, postStart, preStart, postStart);
        int[] cuts = {0, 64, 192, 256};
        for (int i = 1; i < cuts.length; i++) {
            Instant preUpdate = Instant.now();
            write(w, blob, cuts[i - 1], cuts[i]);
            Instant postUpdate = Instant.now();
            assertStatus(w, cuts[i], blob, preStart, postStart, preUpdate, postUpdate);
            assertEquals(cuts[i], store.status("c1").offset());
        }
        Instant preCommit = Instant.now();
        ContentInfo info = w.commit(0, "", Map.of("k", "v"));
        Instant postCommit = Instant.now();
        assertWithin(info.createdAt(), preCommit, postCommit, "createdAt");
        assertEquals(info.createdAt(), info.updatedAt());
        assertEquals(info, store.info(blob.digest()));
    }

    /** Opens {@code ref}, checks where it resumes and that no second writer can open it meanwhile. */
    private ContentWriter openAlone(String ref, long offset) throws IOException {
        ContentWriter w = store.writer(ref, 0, "");
        assertEquals(offset, w.status().offset(), ref);
        assertKind(Kind.UNAVAILABLE, () -> store.writer(ref, 0, ""));
        return w;
    }

    private static void assertStatus(ContentWriter w, long offset, SampleBlob blob, Instant preStart, Instant postStart,
                                     Instant preUpdate, Instant postUpdate) {
        IngestStatus s = w.status();
        assertEquals(offset, s.offset());
        assertEquals(blob.size(), s.total());
        assertEquals(blob.digest(), s.expected());
        assertEquals(blob.prefixDigest((int) offset), w.digest());
        assertWithin(s.startedAt(), preStart, postStart, "startedAt");
        assertWithin(s.updatedAt(), preUpdate, postUpdate, "updatedAt");
    }

    /**
     * {@code t} lies in {@code [from, to]}. Stores may keep times at a coarser grain than the
     * JDK's clock, so {@code from} is first truncated to the millisecond.
     */
    private static void assertWithin(Instant t, Instant from, Instant to, String what) {
        Instant lower = from.truncatedTo(ChronoUnit.MILLIS);
        assertFalse(t.isBefore(lower), what + " " + t + " before " + from);
        assertFalse(t.isAfter(to), what + " " + t + " after " + to);
    }
}
