package io.jctr.spi.content;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jctr.spi.JctrException.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The {@link ContentStore} contract as tests (containerd's {@code content/testsuite}): every
 * content store, ours and third parties', extends this class and implements {@link #newStore}.
 * The tests use only the SPI; they need no root and leave nothing outside their temp directory.
 *
 * <p>The tests are grouped by subject in the package-private superclasses: ingests
 * ({@code IngestContract}), committed blobs ({@code BlobContract}), resuming and failed commits
 * ({@code IngestRecoveryContract}); this class adds
 * input validation and confinement to the store's directory.
 */
public abstract class ContentStoreContract extends IngestRecoveryContract {

    private static final Set<String> MALFORMED_DIGESTS = Set.of(
            "sha256:", "sha256:abc", "sha256", "abc",
            "sha256:" + "A".repeat(64),
            "sha256:" + "a".repeat(63),
            "sha256:" + "a".repeat(65),
            "sha512:" + "a".repeat(128),
            "sha256:../../../../etc/passwd" + "a".repeat(42),
            "sha256:" + "a".repeat(32) + "/" + "a".repeat(31),
            " sha256:" + "a".repeat(64));

    /**
     * Creates the store under test.
     *
     * @param dir an existing, empty directory the store may use as its root; the store must not
     *            write outside it
     */
    @Override
    protected abstract ContentStore newStore(Path dir) throws Exception;

    // ---- validation and confinement ----

    @Test
    void malformedDigestsAreInvalidEverywhere() throws Exception {
        Set<Path> outsideBefore = filesOutside(dir);
        SampleBlob blob = SampleBlob.random(10, 42);
        commit("valid", blob, null);
        for (String bad : MALFORMED_DIGESTS) {
            assertInvalid(bad, () -> store.info(bad));
            assertInvalid(bad, () -> store.reader(bad));
            assertInvalid(bad, () -> store.delete(bad));
            assertInvalid(bad, () -> store.update(new ContentInfo(bad, 0, Instant.now(), Instant.now(), Map.of()), Set.of()));
            assertInvalid(bad, () -> store.writer("malformed", 0, bad));
            ContentWriter w = store.writer("malformed", 0, "");
            write(w, blob, 0, 10);
            assertInvalid(bad, () -> w.commit(10, bad, null));
        }
        assertKind(Kind.INVALID_ARGUMENT, () -> store.info(""));
        assertEquals(Set.of(blob.digest()), digests());
        assertEquals(outsideBefore, filesOutside(dir));
    }

    @Test
    void refsNeverEscapeTheStoreDirectory() throws Exception {
        Set<Path> outsideBefore = filesOutside(dir);
        boolean escapeExisted = Files.exists(Path.of("/tmp/jctr-escape"));
        List<String> refs = List.of("../escape", "../../escape", "../../../../../../tmp/jctr-escape", "/abs/../../x",
                "..", ".", "a/b/../../../c", "..\\..\\win", "nul\u0000byte", "tab\tnewline\n");
        SampleBlob blob = SampleBlob.random(100, 43);
        for (String ref : refs) {
            ContentWriter w = store.writer(ref, 100, "");
            write(w, blob, 0, 50);
            w.close();
        }
        assertEquals(new HashSet<>(refs), store.listStatuses(s -> true).stream().map(IngestStatus::ref).collect(Collectors.toSet()));
        for (String ref : refs) {
            assertEquals(50, store.status(ref).offset(), ref);
        }
        ContentWriter w = store.writer(refs.get(0), 100, "");
        write(w, blob, 50, 100);
        w.commit(100, blob.digest(), null);
        for (String ref : refs.subList(1, refs.size())) {
            store.abort(ref);
        }

        assertEquals(outsideBefore, filesOutside(dir));
        assertEquals(escapeExisted, Files.exists(Path.of("/tmp/jctr-escape")));
        assertEquals(List.of(), store.listStatuses(s -> true));
    }

    @Test
    void refsAreDistinctOpaqueStrings() throws Exception {
        List<String> refs = List.of("Ref", "ref", "ref ", "réf", "ref/", "ref//");
        for (int i = 0; i < refs.size(); i++) {
            ContentWriter w = store.writer(refs.get(i), 0, "");
            write(w, SampleBlob.random(i + 1, 44), 0, i + 1);
            w.close();
        }
        for (int i = 0; i < refs.size(); i++) {
            assertEquals(i + 1, store.status(refs.get(i)).offset(), refs.get(i));
        }
    }
}
