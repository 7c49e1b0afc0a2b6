package io.jctr.core.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jctr.core.filters.Filter;
import io.jctr.core.metadata.MetadataStore;
import io.jctr.spi.JctrException;
import io.jctr.spi.content.ContentInfo;
import io.jctr.spi.content.ContentReader;
import io.jctr.spi.content.ContentStore;
import io.jctr.spi.content.ContentWriter;
import io.jctr.spi.content.IngestStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two pulls racing for one blob: the other one commits it between this writer's check and its
 * ingest. The namespace must still get its record — clients take ALREADY_EXISTS as "present".
 */
class ContentWriterRaceTest {

    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    /** A store in which another writer commits {@link #DIGEST} just as this one opens its ingest. */
    private static final class RacedStore implements ContentStore {
        final Map<String, ContentInfo> blobs = new ConcurrentHashMap<>();

        @Override
        public ContentWriter writer(String ref, long expectedSize, String expectedDigest) {
            Instant now = Instant.now();
            blobs.put(expectedDigest, new ContentInfo(expectedDigest, 3, now, now, Map.of()));
            throw JctrException.alreadyExists("content %s", expectedDigest);
        }

        @Override
        public ContentInfo info(String digest) {
            ContentInfo info = blobs.get(digest);
            if (info == null) {
                throw JctrException.notFound("content %s", digest);
            }
            return info;
        }

        @Override
        public ContentInfo update(ContentInfo info, Set<String> fieldpaths) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void walk(Predicate<ContentInfo> filter, Consumer<ContentInfo> consumer) {
            blobs.values().stream().filter(filter).forEach(consumer);
        }

        @Override
        public void delete(String digest) {
            blobs.remove(digest);
        }

        @Override
        public ContentReader reader(String digest) {
            throw new UnsupportedOperationException();
        }

        @Override
        public IngestStatus status(String ref) {
            throw JctrException.notFound("ingest %s", ref);
        }

        @Override
        public List<IngestStatus> listStatuses(Predicate<IngestStatus> filter) {
            return List.of();
        }

        @Override
        public void abort(String ref) {
        }
    }

    @Test
    void aBlobCommittedByAnotherWriterMeanwhileIsRecordedForThisNamespace(@TempDir Path dir) throws Exception {
        try (MetadataStore metadata = MetadataStore.open(dir.resolve("meta"))) {
            ContentService content = new ContentService(metadata, new RacedStore());
            assertEquals(List.of(), content.list("pulls", Filter.ALL));
            JctrException e = assertThrows(JctrException.class, () -> content.writer("pulls", "", "ref-1", 3, DIGEST));
            assertEquals(JctrException.Kind.ALREADY_EXISTS, e.kind());
            assertEquals(List.of(DIGEST), content.list("pulls", Filter.ALL).stream().map(ContentRecord::digest).toList(),
                    "the namespace holds the blob it was told is present");
        }
    }
}
