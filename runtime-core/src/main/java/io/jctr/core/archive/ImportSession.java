package io.jctr.core.archive;

import io.jctr.core.content.ContentService;
import io.jctr.core.images.ImageRecord;
import io.jctr.core.images.ImageService;
import io.jctr.spi.JctrException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One import: a lease that protects everything it stores from garbage collection until the image
 * records exist (the caller's lease when the call carried one, else its own, expiring after a day
 * should the daemon die mid-import), the blob sink, the GC labels and the final image records.
 * Closing it ends its own lease; when the import failed it also runs a collection, so that the
 * blobs it stored and nothing references go at once.
 */
final class ImportSession implements AutoCloseable {

    private static final String GC_EXPIRE = "containerd.io/gc.expire";
    private static final String GC_REF = "containerd.io/gc.ref.content.";

    private final ArchiveServices services;
    final String ns;
    final String lease;
    private final boolean ownLease;
    final BlobSink sink;
    private boolean succeeded;

    ImportSession(ArchiveServices services, String ns, String callerLease) {
        this.services = services;
        this.ns = ns;
        this.ownLease = callerLease.isEmpty();
        this.lease = ownLease ? services.leases().create(ns, "", Map.of(GC_EXPIRE,
                Instant.now().plus(Duration.ofHours(24)).truncatedTo(ChronoUnit.SECONDS).toString())).id() : callerLease;
        this.sink = new BlobSink(services.content(), ns, lease);
    }

    ContentService content() {
        return services.content();
    }

    /** Labels {@code parent} with {@code containerd.io/gc.ref.content.<key>} for each reference, as ctr's import does. */
    void labelReferences(String parent, Map<String, String> refs) {
        if (refs.isEmpty()) {
            return;
        }
        Map<String, String> labels = new TreeMap<>();
        List<String> paths = new ArrayList<>();
        refs.forEach((k, digest) -> {
            labels.put(GC_REF + k, digest);
            paths.add("labels." + GC_REF + k);
        });
        services.content().update(ns, parent, labels, paths);
    }

    /** Points each name at its target: an existing record keeps its labels, as ctr's import does. */
    List<ImportedImage> writeImages(List<ImportedImage> images) {
        ImageService svc = services.images();
        for (ImportedImage i : images) {
            ImageRecord r = new ImageRecord(i.name(), Map.of(), i.target(), null, null);
            try {
                svc.update(ns, r, List.of("target"));
            } catch (JctrException e) {
                if (e.kind() != JctrException.Kind.NOT_FOUND) {
                    throw e;
                }
                svc.create(ns, r);
            }
        }
        return images;
    }

    void succeeded() {
        succeeded = true;
    }

    @Override
    public void close() {
        if (!ownLease) {
            return;
        }
        try {
            services.leases().delete(ns, lease);
        } finally {
            if (!succeeded) {
                services.collectGarbage().run();
            }
        }
    }
}
