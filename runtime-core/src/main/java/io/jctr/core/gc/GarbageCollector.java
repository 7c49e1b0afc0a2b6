package io.jctr.core.gc;

import io.jctr.api.services.containers.v1.Container;
import io.jctr.core.containers.ContainerService;
import io.jctr.core.content.ContentRecord;
import io.jctr.core.content.ContentService;
import io.jctr.core.images.ImageService;
import io.jctr.core.images.ImageRecord;
import io.jctr.core.leases.LeaseRecord;
import io.jctr.core.leases.LeaseResource;
import io.jctr.core.leases.LeaseService;
import io.jctr.core.metadata.Json;
import io.jctr.core.metadata.MetadataKeys;
import io.jctr.core.metadata.MetadataStore;
import io.jctr.core.metadata.MetadataTxn;
import io.jctr.core.snapshots.SnapshotRecord;
import io.jctr.core.snapshots.SnapshotService;
import io.jctr.spi.JctrException;
import io.jctr.spi.content.ContentStore;
import io.jctr.spi.snapshots.Snapshotter;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Mark and sweep over containerd's reference graph, in every namespace. Roots: images (their
 * target), containers (their snapshot), unexpired leases (their resources), and content or
 * snapshots labelled {@code containerd.io/gc.root}. Edges: {@code containerd.io/gc.ref.content*}
 * labels (to a digest), {@code containerd.io/gc.ref.snapshot.<snapshotter>*} labels (to a
 * snapshot), a snapshot's parent. Whatever is unmarked loses its record; blobs no namespace
 * holds any more and the snapshotters' data follow.
 *
 * <p>Mark and the removal of records happen in one write transaction of the metadata store, so
 * no concurrent writer (which would have to wait for it) can add a reference to something being
 * swept. Thread-safe: collections run one at a time.
 */
public final class GarbageCollector {

    private static final Logger LOG = Logger.getLogger(GarbageCollector.class.getName());
    private static final String GC_ROOT = "containerd.io/gc.root";
    private static final String REF_CONTENT = "containerd.io/gc.ref.content";
    private static final String REF_SNAPSHOT = "containerd.io/gc.ref.snapshot.";
    private static final String EXPIRE = "containerd.io/gc.expire";

    /** What one collection removed. */
    public record Result(int content, int snapshots, int leases) {
    }

    private record Snap(String ns, String snapshotter, String key) {
    }

    private record Blob(String ns, String digest) {
    }

    private final MetadataStore metadata;
    private final ContentStore content;
    private final Map<String, Snapshotter> snapshotters;
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "jctr-gc");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean scheduled = new AtomicBoolean();

    public GarbageCollector(MetadataStore metadata, ContentStore content, Map<String, Snapshotter> snapshotters) {
        this.metadata = metadata;
        this.content = content;
        this.snapshotters = Map.copyOf(snapshotters);
    }

    /** Asks for a collection soon; requests made while one is pending are folded into it. */
    public void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            background.execute(() -> {
                scheduled.set(false);
                try {
                    collect();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "garbage collection failed: " + e.getMessage(), e);
                }
            });
        }
    }

    /** Collects now and returns what was removed. */
    public synchronized Result collect() {
        List<Blob> sweptBlobs = new ArrayList<>();
        List<Snap> sweptSnaps = new ArrayList<>();
        int[] leases = {0};
        metadata.update(txn -> {
            Set<Blob> blobs = new HashSet<>();
            Set<Snap> snaps = new HashSet<>();
            for (String ns : namespaces(txn)) {
                leases[0] += markRoots(txn, ns, blobs, snaps);
                propagate(txn, ns, blobs, snaps);
                sweep(txn, ns, blobs, snaps, sweptBlobs, sweptSnaps);
            }
            return null;
        });
        for (Blob b : sweptBlobs) {
            deleteBlobIfUnheld(b.digest());
        }
        for (Snap s : sweptSnaps) {
            removeSnapshotData(s);
        }
        if (!sweptBlobs.isEmpty() || !sweptSnaps.isEmpty() || leases[0] > 0) {
            LOG.info(() -> "garbage collection removed " + sweptBlobs.size() + " blob records, " + sweptSnaps.size()
                    + " snapshots, " + leases[0] + " expired leases");
        }
        return new Result(sweptBlobs.size(), sweptSnaps.size(), leases[0]);
    }

    private int markRoots(MetadataTxn txn, String ns, Set<Blob> blobs, Set<Snap> snaps) {
        txn.scan(MetadataKeys.kindPrefix(ns, ImageService.KIND), (k, v) ->
                blobs.add(new Blob(ns, Json.read(v, ImageRecord.class).target().digest())));
        txn.scan(MetadataKeys.kindPrefix(ns, ContainerService.KIND), (k, v) -> {
            Container c = parseContainer(v);
            if (!c.getSnapshotKey().isEmpty()) {
                snaps.add(new Snap(ns, c.getSnapshotter(), c.getSnapshotKey()));
            }
        });
        List<String> expired = new ArrayList<>();
        Instant now = Instant.now();
        txn.scan(MetadataKeys.kindPrefix(ns, LeaseService.KIND), (k, v) -> {
            LeaseRecord lease = Json.read(v, LeaseRecord.class);
            String expire = lease.labels().get(EXPIRE);
            if (expire != null && parseTime(expire).map(now::isAfter).orElse(false)) {
                expired.add(k);
                return;
            }
            for (LeaseResource r : lease.resources()) {
                if (r.type().equals(LeaseResource.CONTENT)) {
                    blobs.add(new Blob(ns, r.id()));
                } else if (r.type().startsWith(LeaseResource.SNAPSHOTS)) {
                    snaps.add(new Snap(ns, r.type().substring(LeaseResource.SNAPSHOTS.length()), r.id()));
                }
            }
        });
        expired.forEach(txn::delete);
        txn.scan(MetadataKeys.kindPrefix(ns, ContentService.KIND), (k, v) -> {
            ContentRecord c = Json.read(v, ContentRecord.class);
            if (c.labels().containsKey(GC_ROOT)) {
                blobs.add(new Blob(ns, c.digest()));
            }
        });
        forEachSnapshot(txn, ns, (snapshotter, r) -> {
            if (r.labels().containsKey(GC_ROOT)) {
                snaps.add(new Snap(ns, snapshotter, r.key()));
            }
        });
        return expired.size();
    }

    /** Follows labels and parents until nothing new is marked. */
    private void propagate(MetadataTxn txn, String ns, Set<Blob> blobs, Set<Snap> snaps) {
        List<Object> work = new ArrayList<>(blobs.stream().filter(b -> b.ns().equals(ns)).toList());
        work.addAll(snaps.stream().filter(s -> s.ns().equals(ns)).toList());
        while (!work.isEmpty()) {
            Object next = work.remove(work.size() - 1);
            Map<String, String> labels;
            if (next instanceof Blob b) {
                labels = txn.get(MetadataKeys.object(ns, ContentService.KIND, b.digest()))
                        .map(v -> Json.read(v, ContentRecord.class).labels()).orElse(Map.of());
            } else {
                Snap s = (Snap) next;
                SnapshotRecord r = txn.get(MetadataKeys.object(ns, SnapshotService.KIND, s.snapshotter() + "/" + s.key()))
                        .map(v -> Json.read(v, SnapshotRecord.class)).orElse(null);
                if (r == null) {
                    continue;
                }
                labels = r.labels();
                if (!r.parent().isEmpty() && snaps.add(new Snap(ns, s.snapshotter(), r.parent()))) {
                    work.add(new Snap(ns, s.snapshotter(), r.parent()));
                }
            }
            for (Map.Entry<String, String> l : labels.entrySet()) {
                if (l.getKey().startsWith(REF_CONTENT)) {
                    Blob b = new Blob(ns, l.getValue());
                    if (blobs.add(b)) {
                        work.add(b);
                    }
                } else if (l.getKey().startsWith(REF_SNAPSHOT)) {
                    String rest = l.getKey().substring(REF_SNAPSHOT.length());
                    int slash = rest.indexOf('/');
                    Snap s = new Snap(ns, slash < 0 ? rest : rest.substring(0, slash), l.getValue());
                    if (snaps.add(s)) {
                        work.add(s);
                    }
                }
            }
        }
    }

    private void sweep(MetadataTxn txn, String ns, Set<Blob> blobs, Set<Snap> snaps, List<Blob> sweptBlobs, List<Snap> sweptSnaps) {
        List<String> deadKeys = new ArrayList<>();
        txn.scan(MetadataKeys.kindPrefix(ns, ContentService.KIND), (k, v) -> {
            Blob b = new Blob(ns, Json.read(v, ContentRecord.class).digest());
            if (!blobs.contains(b)) {
                deadKeys.add(k);
                sweptBlobs.add(b);
            }
        });
        Map<Snap, Snap> deadWithParent = new HashMap<>();
        forEachSnapshot(txn, ns, (snapshotter, r) -> {
            Snap s = new Snap(ns, snapshotter, r.key());
            if (!snaps.contains(s)) {
                deadWithParent.put(s, r.parent().isEmpty() ? null : new Snap(ns, snapshotter, r.parent()));
                deadKeys.add(MetadataKeys.object(ns, SnapshotService.KIND, snapshotter + "/" + r.key()));
            }
        });
        deadKeys.forEach(txn::delete);
        sweptSnaps.addAll(childrenFirst(deadWithParent));
    }

    /** Orders snapshots so each comes before its parent (a marked snapshot marks its parent, so unmarked ones form whole subtrees). */
    private static List<Snap> childrenFirst(Map<Snap, Snap> parents) {
        List<Snap> ordered = new ArrayList<>();
        Set<Snap> left = new HashSet<>(parents.keySet());
        while (!left.isEmpty()) {
            Set<Snap> stillParents = new HashSet<>();
            for (Snap s : left) {
                Snap p = parents.get(s);
                if (p != null) {
                    stillParents.add(p);
                }
            }
            List<Snap> leaves = left.stream().filter(s -> !stillParents.contains(s)).toList();
            if (leaves.isEmpty()) {
                ordered.addAll(left); // only corrupt records could form a cycle; never loop forever
                break;
            }
            ordered.addAll(leaves);
            leaves.forEach(left::remove);
        }
        return ordered;
    }

    private interface SnapshotVisitor {
        void visit(String snapshotter, SnapshotRecord r);
    }

    private static void forEachSnapshot(MetadataTxn txn, String ns, SnapshotVisitor visitor) {
        String prefix = MetadataKeys.kindPrefix(ns, SnapshotService.KIND);
        txn.scan(prefix, (k, v) -> {
            String rest = k.substring(prefix.length());
            String snapshotter = rest.substring(0, rest.indexOf('/'));
            visitor.visit(snapshotter, Json.read(v, SnapshotRecord.class));
        });
    }

    private static List<String> namespaces(MetadataTxn txn) {
        List<String> all = new ArrayList<>();
        txn.scan(MetadataKeys.namespacesPrefix(), (k, v) -> all.add(k.substring(MetadataKeys.namespacesPrefix().length())));
        return all;
    }

    private void deleteBlobIfUnheld(String digest) {
        if (metadata.view(txn -> ContentService.heldByAnyNamespace(txn, digest))) {
            return;
        }
        try {
            content.delete(digest);
        } catch (JctrException e) {
            if (e.kind() != JctrException.Kind.NOT_FOUND) {
                LOG.warning("cannot delete blob " + digest + ": " + e.getMessage());
            }
        } catch (IOException e) {
            LOG.warning("cannot delete blob " + digest + ": " + e.getMessage());
        }
    }

    private void removeSnapshotData(Snap s) {
        Snapshotter backend = snapshotters.get(s.snapshotter());
        if (backend == null) {
            return;
        }
        try {
            backend.remove(s.ns() + "/" + s.key());
        } catch (JctrException e) {
            if (e.kind() != JctrException.Kind.NOT_FOUND) {
                LOG.warning("cannot remove snapshot " + s.key() + " of " + s.snapshotter() + ": " + e.getMessage());
            }
        } catch (IOException e) {
            LOG.warning("cannot remove snapshot " + s.key() + " of " + s.snapshotter() + ": " + e.getMessage());
        }
    }

    private static Container parseContainer(byte[] v) {
        try {
            return Container.parseFrom(v);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt container record", e);
        }
    }

    private static java.util.Optional<Instant> parseTime(String rfc3339) {
        try {
            return java.util.Optional.of(java.time.OffsetDateTime.parse(rfc3339).toInstant());
        } catch (java.time.format.DateTimeParseException e) {
            return java.util.Optional.empty();
        }
    }
}
