package io.jctr.spi.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jctr.spi.JctrException;
import io.jctr.spi.JctrException.Kind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state and helpers the {@link ContentStoreContract} tests share: a fresh store in a temp
 * directory per test, sample content, and assertions on the SPI's error kinds.
 */
abstract class ContentStoreFixture {

    /** The test's temp directory; the store lives in {@code store/} below it. */
    @TempDir
    Path tmp;

    /** The store's directory, {@code <temp>/store}. */
    protected Path dir;

    /** The store under test, fresh for each test. */
    protected ContentStore store;

    /** Threads for the concurrency tests. */
    ExecutorService pool;

    /** Creates the store under test in {@code dir}; see {@link ContentStoreContract#newStore}. */
    protected abstract ContentStore newStore(Path dir) throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        dir = Files.createDirectory(tmp.resolve("store"));
        store = newStore(dir);
        pool = Executors.newFixedThreadPool(8);
    }

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    /** Writes {@code blob.bytes()[from, to)} to {@code w}, checking the reported count. */
    static void write(ContentWriter w, SampleBlob blob, int from, int to) throws IOException {
        assertEquals(to - from, w.write(blob.slice(from, to)));
    }

    ContentInfo commit(String ref, SampleBlob blob, Map<String, String> labels) throws IOException {
        ContentWriter w = store.writer(ref, blob.size(), blob.digest());
        write(w, blob, 0, blob.bytes().length);
        return w.commit(blob.size(), blob.digest(), labels);
    }

    static ContentInfo info(SampleBlob blob, Map<String, String> labels) {
        return new ContentInfo(blob.digest(), 0, Instant.EPOCH, Instant.EPOCH, labels);
    }

    byte[] readAll(String digest) throws IOException {
        try (ContentReader r = store.reader(digest)) {
            return readFully(r, 0, (int) r.size());
        }
    }

    static byte[] readFully(ContentReader r, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            int n = r.read(buf, position + buf.position());
            if (n < 0) {
                throw new IOException("unexpected end at " + (position + buf.position()));
            }
        }
        return buf.array();
    }

    Set<String> digests() throws IOException {
        Set<String> out = new HashSet<>();
        store.walk(i -> true, i -> out.add(i.digest()));
        return out;
    }

    void assertNothingCommitted(SampleBlob... blobs) throws IOException {
        for (SampleBlob blob : blobs) {
            assertKind(Kind.NOT_FOUND, () -> store.info(blob.digest()));
            assertKind(Kind.NOT_FOUND, () -> store.reader(blob.digest()));
            assertFalse(digests().contains(blob.digest()), blob.digest());
        }
    }

    /** After a failed commit: the writer is closed, the lock free, the data intact and resumable. */
    void assertFailedCommitLeftIngest(String ref, SampleBlob blob, ContentWriter failed) throws IOException {
        assertFalse(failed.isOpen());
        assertEquals(blob.size(), store.status(ref).offset());
        ContentWriter resumed = store.writer(ref, 0, "");
        assertEquals(blob.size(), resumed.status().offset());
        assertEquals(blob.digest(), resumed.digest());
        resumed.close();
        store.abort(ref);
        assertKind(Kind.NOT_FOUND, () -> store.status(ref));
    }

    /** Asserts that {@code call} throws a {@link JctrException} of {@code kind}, and returns it. */
    protected static JctrException assertKind(Kind kind, Executable call) {
        JctrException e = assertThrows(JctrException.class, call);
        assertEquals(kind, e.kind(), e.getMessage());
        assertTrue(e.getMessage().endsWith(": " + kind.text()), e.getMessage());
        return e;
    }

    static void assertInvalid(String digest, Executable call) {
        JctrException e = assertKind(Kind.INVALID_ARGUMENT, call);
        assertTrue(e.getMessage().contains(digest), "message \"" + e.getMessage() + "\" does not name " + digest);
    }

    /** How many of {@code results} succeeded; the others must have failed with {@code expected}. */
    static <T> int countSuccesses(List<Future<T>> results, Kind expected) throws InterruptedException {
        int ok = 0;
        for (Future<T> f : results) {
            try {
                assertNotNull(f.get());
                ok++;
            } catch (ExecutionException e) {
                assertTrue(JctrException.is(e.getCause(), expected), "unexpected failure " + e.getCause());
            }
        }
        return ok;
    }

    static boolean failed(Future<?> f) throws InterruptedException {
        try {
            f.get();
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    Set<Path> filesOutside(Path inside) throws IOException {
        try (Stream<Path> all = Files.walk(tmp)) {
            return all.filter(p -> !p.startsWith(inside)).collect(Collectors.toSet());
        }
    }
}
