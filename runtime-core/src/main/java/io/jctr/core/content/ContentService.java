package io.jctr.core.content;

import io.jctr.core.filters.Filter;
import io.jctr.core.labels.FieldPaths;
import io.jctr.core.labels.Labels;
import io.jctr.core.leases.LeaseResource;
import io.jctr.core.leases.LeaseService;
import io.jctr.core.metadata.Json;
import io.jctr.core.metadata.MetadataKeys;
import io.jctr.core.metadata.MetadataStore;
import io.jctr.core.metadata.MetadataTxn;
import io.jctr.core.namespaces.NamespaceService;
import io.jctr.spi.JctrException;
import io.jctr.spi.content.ContentInfo;
import io.jctr.spi.content.ContentReader;
import io.jctr.spi.content.ContentStore;
import io.jctr.spi.content.ContentWriter;
import io.jctr.spi.content.IngestStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Content per namespace over one shared {@link ContentStore}: a namespace sees a blob only when
 * it holds a record for it; labels are per namespace; ingest refs are prefixed with the
 * namespace in the store so two namespaces never share an ingest.
 */
public final class ContentService {

    /** The metadata kind of these records ({@code ns/<namespace>/content/...}). */
    public static final String KIND = "content";
    private static final int LOCK_ATTEMPTS = 10;
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

    private final MetadataStore metadata;
    private final ContentStore store;

    public ContentService(MetadataStore metadata, ContentStore store) {
        this.metadata = metadata;
        this.store = store;
    }

    ContentStore store() {
        return store;
    }

    public ContentRecord info(String ns, String digest) {
        validateDigest(digest);
        return metadata.view(txn -> record(txn, ns, digest))
                .orElseThrow(() -> JctrException.notFound("content digest %s", digest));
    }

    public ContentRecord update(String ns, String digest, Map<String, String> labels, List<String> paths) {
        validateDigest(digest);
        Labels.validate(labels);
        return metadata.update(txn -> {
            ContentRecord current = record(txn, ns, digest)
                    .orElseThrow(() -> JctrException.notFound("content digest %s", digest));
            Map<String, String> merged = FieldPaths.applyLabels("content " + digest, current.labels(), labels, paths, List.of());
            Labels.validate(merged);
            ContentRecord r = new ContentRecord(digest, current.size(), merged, current.createdAt(), Instant.now().toString());
            txn.put(MetadataKeys.object(ns, KIND, digest), Json.write(r));
            return r;
        });
    }

    public List<ContentRecord> list(String ns, Filter filter) {
        return metadata.view(txn -> {
            List<ContentRecord> out = new ArrayList<>();
            txn.scan(MetadataKeys.kindPrefix(ns, KIND), (k, v) -> {
                ContentRecord r = Json.read(v, ContentRecord.class);
                if (filter.test(Filter.adaptor(f -> f.equals("digest") ? r.digest() : f.equals("size") ? Long.toString(r.size()) : null,
                        r.labels()))) {
                    out.add(r);
                }
            });
            return out;
        });
    }

    /**
     * Removes the namespace's record; the blob goes too once no namespace holds it.
     *
     * @throws JctrException NOT_FOUND when the namespace does not hold the digest
     */
    public void delete(String ns, String digest) {
        validateDigest(digest);
        boolean unreferenced = metadata.update(txn -> {
            if (!txn.delete(MetadataKeys.object(ns, KIND, digest))) {
                throw JctrException.notFound("content digest %s", digest);
            }
            return !heldByAnyNamespace(txn, digest);
        });
        if (unreferenced) {
            try {
                store.delete(digest);
            } catch (JctrException e) {
                if (e.kind() != JctrException.Kind.NOT_FOUND) {
                    throw e;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete blob " + digest, e);
            }
        }
    }

    public ContentReader reader(String ns, String digest) throws IOException {
        info(ns, digest);
        return store.reader(digest);
    }

    public IngestStatus status(String ns, String ref) throws IOException {
        return strip(ns, store.status(ingestRef(ns, ref)));
    }

    public List<IngestStatus> statuses(String ns, Filter filter) throws IOException {
        String prefix = ingestRef(ns, "");
        List<IngestStatus> out = new ArrayList<>();
        for (IngestStatus s : store.listStatuses(s -> s.ref().startsWith(prefix))) {
            IngestStatus mine = strip(ns, s);
            if (filter.test(Filter.adaptor(f -> f.equals("ref") ? mine.ref() : null, Map.of()))) {
                out.add(mine);
            }
        }
        return out;
    }

    public void abort(String ns, String ref) throws IOException {
        store.abort(ingestRef(ns, ref));
    }

    /**
     * Opens an ingest for a client of the Content API, as containerd's metadata store does: an
     * expected digest this namespace holds fails with ALREADY_EXISTS; one that only other
     * namespaces hold (and whose size is {@code total}, or {@code total} is 0) gives a writer that
     * shares that blob, standing at its end, with the blob added to the call's lease: a commit
     * records it for this namespace, a write first copies it into an ingest of its own
     * ({@link NamespacedWriter}). Anything else opens the ingest as {@link #writer} does.
     */
    public NamespacedWriter clientWriter(String ns, String lease, String ref, long total, String expected) throws IOException {
        if (!expected.isEmpty() && !ref.isEmpty()) {
            validateDigest(expected);
            if (holds(ns, expected)) {
                throw JctrException.alreadyExists("content %s", expected);
            }
            Optional<ContentInfo> blob = storeInfo(expected);
            if (blob.isPresent() && (total <= 0 || total == blob.get().size())) {
                metadata.update(txn -> {
                    LeaseService.addResource(txn, ns, lease, new LeaseResource(LeaseResource.INGESTS, ref));
                    LeaseService.addResource(txn, ns, lease, new LeaseResource(LeaseResource.CONTENT, expected));
                    return null;
                });
                return NamespacedWriter.sharing(this, ns, lease, ingestRef(ns, ref), blob.get());
            }
        }
        return writer(ns, lease, ref, total, expected);
    }

    /**
     * Opens an ingest for in-process callers (pulls, imports), which only need a blob present.
     * When {@code expected} is already in the store, the namespace gets (or keeps) its record and
     * the call fails with ALREADY_EXISTS, which they take as "present".
     */
    public NamespacedWriter writer(String ns, String lease, String ref, long total, String expected) throws IOException {
        if (ref.isEmpty()) {
            throw JctrException.invalidArgument("ingest ref must not be empty");
        }
        if (!expected.isEmpty()) {
            validateDigest(expected);
            adoptExisting(ns, lease, expected);
        }
        if (!lease.isEmpty()) {
            metadata.update(txn -> {
                LeaseService.addResource(txn, ns, lease, new LeaseResource(LeaseResource.INGESTS, ref));
                return null;
            });
        }
        try {
            return new NamespacedWriter(this, ns, lease, openIngest(ingestRef(ns, ref), total, expected));
        } catch (JctrException e) {
            if (e.kind() == JctrException.Kind.ALREADY_EXISTS && !expected.isEmpty()) {
                // Another writer committed the blob since the check above: this namespace still
                // gets its record, or the client would take "present" for a blob it cannot see.
                adoptExisting(ns, lease, expected);
            }
            throw e;
        }
    }

    /**
     * Opens the store's writer, waiting a little for a ref another writer holds, as containerd's
     * local store does (10 tries, a random pause of up to 2^n ms before try n+1: half a second at
     * most, a quarter on average): a client that closes its write stream and at once opens the same
     * ref again (containerd's Go client resuming an interrupted upload does exactly this) races
     * with the release of the first stream, which the daemon sees a moment later.
     */
    ContentWriter openIngest(String storeRef, long total, String expected) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                return store.writer(storeRef, total, expected);
            } catch (JctrException e) {
                if (e.kind() != JctrException.Kind.UNAVAILABLE || attempt == LOCK_ATTEMPTS - 1) {
                    throw e;
                }
            }
            try {
                Thread.sleep(ThreadLocalRandom.current().nextInt(1 << attempt));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw JctrException.unavailable("ref %s locked: interrupted while waiting", storeRef);
            }
        }
    }

    /**
     * Records a committed blob for the namespace and adds it to the call's lease, if any, in one
     * transaction. When the namespace already holds the blob its record stays as it was (labels
     * included) and the call fails with ALREADY_EXISTS after the lease got the blob, as
     * containerd's metadata store does.
     */
    ContentRecord recordCommitted(String ns, String lease, ContentInfo info, Map<String, String> labels) {
        Labels.validate(labels);
        ContentRecord recorded = metadata.update(txn -> {
            NamespaceService.ensure(txn, ns);
            LeaseService.addResource(txn, ns, lease, new LeaseResource(LeaseResource.CONTENT, info.digest()));
            if (record(txn, ns, info.digest()).isPresent()) {
                return null;
            }
            String now = Instant.now().toString();
            ContentRecord r = new ContentRecord(info.digest(), info.size(), labels, now, now);
            txn.put(MetadataKeys.object(ns, KIND, info.digest()), Json.write(r));
            return r;
        });
        if (recorded == null) {
            throw JctrException.alreadyExists("content %s", info.digest());
        }
        return recorded;
    }

    private Optional<ContentInfo> storeInfo(String digest) throws IOException {
        try {
            return Optional.of(store.info(digest));
        } catch (JctrException e) {
            if (e.kind() == JctrException.Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Whether the namespace holds a record of {@code digest}. */
    boolean holds(String ns, String digest) {
        return metadata.view(txn -> record(txn, ns, digest)).isPresent();
    }

    /** Removes an ingest by its store ref; one already gone is fine. */
    void discardIngest(String storeRef) throws IOException {
        try {
            store.abort(storeRef);
        } catch (JctrException e) {
            if (e.kind() != JctrException.Kind.NOT_FOUND) {
                throw e;
            }
        }
    }

    private void adoptExisting(String ns, String lease, String digest) throws IOException {
        if (holds(ns, digest)) {
            throw JctrException.alreadyExists("content %s", digest);
        }
        Optional<ContentInfo> shared = storeInfo(digest);
        if (shared.isPresent()) {
            recordCommitted(ns, lease, shared.get(), Map.of());
            throw JctrException.alreadyExists("content %s", digest);
        }
    }

    /** Whether any namespace holds a record of {@code digest} (when none does, the blob can go). */
    public static boolean heldByAnyNamespace(MetadataTxn txn, String digest) {
        boolean[] found = {false};
        txn.scan(MetadataKeys.namespacesPrefix(), (k, v) -> {
            String ns = k.substring(MetadataKeys.namespacesPrefix().length());
            found[0] |= txn.get(MetadataKeys.object(ns, KIND, digest)).isPresent();
        });
        return found[0];
    }

    private static Optional<ContentRecord> record(MetadataTxn txn, String ns, String digest) {
        return txn.get(MetadataKeys.object(ns, KIND, digest)).map(v -> Json.read(v, ContentRecord.class));
    }

    static String ingestRef(String ns, String ref) {
        return ns + "/" + ref;
    }

    private static IngestStatus strip(String ns, IngestStatus s) {
        return new IngestStatus(s.ref().substring(ingestRef(ns, "").length()), s.offset(), s.total(), s.expected(),
                s.startedAt(), s.updatedAt());
    }

    static void validateDigest(String digest) {
        if (digest == null || !DIGEST.matcher(digest).matches()) {
            throw JctrException.invalidArgument("invalid digest \"%s\": want sha256:<64 lower-case hex digits>", digest);
        }
    }
}
