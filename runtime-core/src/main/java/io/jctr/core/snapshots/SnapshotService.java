package io.jctr.core.snapshots;

import io.jctr.api.events.SnapshotCommit;
import io.jctr.api.events.SnapshotPrepare;
import io.jctr.api.events.SnapshotRemove;
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
import io.jctr.spi.EventPublisher;
import io.jctr.spi.JctrException;
import io.jctr.spi.snapshots.Mount;
import io.jctr.spi.snapshots.SnapshotKind;
import io.jctr.spi.snapshots.Snapshotter;
import io.jctr.spi.snapshots.Usage;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Snapshots per namespace over the snapshotter plugins, containerd's metadata semantics: keys
 * and names belong to a namespace; a namespace sees only its own snapshots; parents must be
 * committed snapshots of the same namespace. The snapshotter gets the key
 * {@code <namespace>/<key>} and only labels under {@code containerd.io/snapshot/}.
 */
public final class SnapshotService {

    /** The metadata kind of these records ({@code ns/<namespace>/snapshots/...}). */
    public static final String KIND = "snapshots";
    private static final String BACKEND_LABELS = "containerd.io/snapshot/";

    private final MetadataStore metadata;
    private final Map<String, Snapshotter> snapshotters;
    private final EventPublisher events;

    public SnapshotService(MetadataStore metadata, Map<String, Snapshotter> snapshotters, EventPublisher events) {
        this.metadata = metadata;
        this.snapshotters = Map.copyOf(snapshotters);
        this.events = events;
    }

    /** @param lease the call's lease (empty for none): the new snapshot is added to it */
    public List<Mount> prepare(String ns, String lease, String snapshotter, String key, String parent, Map<String, String> labels)
            throws IOException {
        return create(ns, lease, snapshotter, key, parent, labels, SnapshotKind.ACTIVE);
    }

    public List<Mount> view(String ns, String lease, String snapshotter, String key, String parent, Map<String, String> labels)
            throws IOException {
        return create(ns, lease, snapshotter, key, parent, labels, SnapshotKind.VIEW);
    }

    public List<Mount> mounts(String ns, String snapshotter, String key) throws IOException {
        Snapshotter s = backend(snapshotter);
        SnapshotRecord r = stat(ns, snapshotter, key);
        if (r.kind() == SnapshotKind.COMMITTED) {
            throw JctrException.failedPrecondition("snapshot \"%s\" is committed: it has no mounts", key);
        }
        return s.mounts(backendKey(ns, key));
    }

    public void commit(String ns, String lease, String snapshotter, String name, String key, Map<String, String> labels)
            throws IOException {
        commit(ns, lease, snapshotter, name, key, "", labels);
    }

    /** Whether {@code snapshotter} can commit a snapshot onto a parent chosen at commit; see {@link Snapshotter#canRebase()}. */
    public boolean canRebase(String snapshotter) {
        return backend(snapshotter).canRebase();
    }

    /**
     * Commits active snapshot {@code key} as {@code name}; with a non-empty {@code parent}, onto that
     * committed snapshot of the namespace (the active one must have no parent): see
     * {@link Snapshotter#commit(String, String, String, Map)}.
     */
    public void commit(String ns, String lease, String snapshotter, String name, String key, String parent,
                       Map<String, String> labels) throws IOException {
        Snapshotter s = backend(snapshotter);
        requireKey(name, "name");
        Labels.validate(labels);
        SnapshotRecord active = stat(ns, snapshotter, key);
        if (active.kind() != SnapshotKind.ACTIVE) {
            throw JctrException.failedPrecondition("snapshot \"%s\" is %s, not active: only active snapshots can be committed",
                    key, active.kind().name().toLowerCase(java.util.Locale.ROOT));
        }
        boolean rebase = !parent.isEmpty();
        if (rebase) {
            if (!active.parent().isEmpty()) {
                throw JctrException.invalidArgument("snapshot \"%s\" has parent \"%s\": only a snapshot without one is committed onto another",
                        key, active.parent());
            }
        }
        metadata.view(txn -> {
            requireCommittedParent(txn, ns, snapshotter, parent);
            if (read(txn, ns, snapshotter, name).isPresent()) {
                throw JctrException.alreadyExists("snapshot \"%s\"", name);
            }
            return null;
        });
        // The SPI's "" parent is the plain commit.
        s.commit(backendKey(ns, name), backendKey(ns, key), rebase ? backendKey(ns, parent) : "", backendLabels(labels));
        String recordedParent = rebase ? parent : active.parent();
        metadata.update(txn -> {
            txn.delete(recordKey(ns, snapshotter, key));
            LeaseService.addResource(txn, ns, lease, LeaseResource.snapshot(snapshotter, name));
            String now = Instant.now().toString();
            put(txn, ns, snapshotter, new SnapshotRecord(name, SnapshotKind.COMMITTED, recordedParent, labels, now, now));
            return null;
        });
        events.publish(ns, "/snapshot/commit", SnapshotCommit.newBuilder().setKey(key).setName(name).build());
    }

    public void remove(String ns, String snapshotter, String key) throws IOException {
        Snapshotter s = backend(snapshotter);
        stat(ns, snapshotter, key);
        Optional<String> child = metadata.view(txn -> {
            List<String> children = new ArrayList<>();
            txn.scan(MetadataKeys.kindPrefix(ns, KIND) + snapshotter + "/", (k, v) -> {
                SnapshotRecord r = Json.read(v, SnapshotRecord.class);
                if (r.parent().equals(key)) {
                    children.add(r.key());
                }
            });
            return children.stream().findFirst();
        });
        if (child.isPresent()) {
            throw JctrException.failedPrecondition("cannot remove snapshot \"%s\": snapshot \"%s\" is its child", key, child.get());
        }
        try {
            s.remove(backendKey(ns, key));
        } catch (JctrException e) {
            if (e.kind() != JctrException.Kind.NOT_FOUND) {
                throw e; // a record without data (crash between the two) is removed below
            }
        }
        metadata.update(txn -> txn.delete(recordKey(ns, snapshotter, key)));
        events.publish(ns, "/snapshot/remove", SnapshotRemove.newBuilder().setKey(key).build());
    }

    public SnapshotRecord stat(String ns, String snapshotter, String key) {
        backend(snapshotter);
        requireKey(key, "key");
        return metadata.view(txn -> read(txn, ns, snapshotter, key))
                .orElseThrow(() -> JctrException.notFound("snapshot \"%s\"", key));
    }

    public SnapshotRecord update(String ns, String snapshotter, String key, Map<String, String> labels, List<String> paths) {
        backend(snapshotter);
        Labels.validate(labels);
        return metadata.update(txn -> {
            SnapshotRecord r = read(txn, ns, snapshotter, key).orElseThrow(() -> JctrException.notFound("snapshot \"%s\"", key));
            Map<String, String> merged = FieldPaths.applyLabels("snapshot \"" + key + "\"", r.labels(), labels, paths, List.of());
            Labels.validate(merged);
            SnapshotRecord u = new SnapshotRecord(key, r.kind(), r.parent(), merged, r.createdAt(), Instant.now().toString());
            put(txn, ns, snapshotter, u);
            return u;
        });
    }

    public List<SnapshotRecord> list(String ns, String snapshotter, Filter filter) {
        backend(snapshotter);
        return metadata.view(txn -> {
            List<SnapshotRecord> out = new ArrayList<>();
            txn.scan(MetadataKeys.kindPrefix(ns, KIND) + snapshotter + "/", (k, v) -> {
                SnapshotRecord r = Json.read(v, SnapshotRecord.class);
                Filter.Adaptor a = Filter.adaptor(f -> switch (f) {
                    case "name" -> r.key();
                    case "parent" -> r.parent();
                    case "kind" -> r.kind().name().toLowerCase(java.util.Locale.ROOT);
                    default -> null;
                }, r.labels());
                if (filter.test(a)) {
                    out.add(r);
                }
            });
            return out;
        });
    }

    public Usage usage(String ns, String snapshotter, String key) throws IOException {
        Snapshotter s = backend(snapshotter);
        stat(ns, snapshotter, key);
        return s.usage(backendKey(ns, key));
    }

    public void cleanup(String snapshotter) throws IOException {
        backend(snapshotter).cleanup();
    }

    /** Checks that {@code parent} names a committed snapshot; {@code ""} (no parent) passes. */
    private static void requireCommittedParent(MetadataTxn txn, String ns, String snapshotter, String parent) {
        if (parent.isEmpty()) {
            return;
        }
        SnapshotRecord p = read(txn, ns, snapshotter, parent)
                .orElseThrow(() -> JctrException.notFound("parent snapshot \"%s\" does not exist", parent));
        if (p.kind() != SnapshotKind.COMMITTED) {
            throw JctrException.invalidArgument("parent snapshot \"%s\" is not committed", parent);
        }
    }

    private List<Mount> create(String ns, String lease, String snapshotter, String key, String parent,
                               Map<String, String> labels, SnapshotKind kind) throws IOException {
        Snapshotter s = backend(snapshotter);
        requireKey(key, "key");
        Labels.validate(labels);
        metadata.view(txn -> {
            if (read(txn, ns, snapshotter, key).isPresent()) {
                throw JctrException.alreadyExists("snapshot \"%s\"", key);
            }
            requireCommittedParent(txn, ns, snapshotter, parent);
            return null;
        });
        List<Mount> mounts = kind == SnapshotKind.VIEW
                ? s.view(backendKey(ns, key), parent.isEmpty() ? "" : backendKey(ns, parent), backendLabels(labels))
                : s.prepare(backendKey(ns, key), parent.isEmpty() ? "" : backendKey(ns, parent), backendLabels(labels));
        try {
            metadata.update(txn -> {
                NamespaceService.ensure(txn, ns);
                if (read(txn, ns, snapshotter, key).isPresent()) {
                    throw JctrException.alreadyExists("snapshot \"%s\"", key);
                }
                LeaseService.addResource(txn, ns, lease, LeaseResource.snapshot(snapshotter, key));
                String now = Instant.now().toString();
                put(txn, ns, snapshotter, new SnapshotRecord(key, kind, parent, labels, now, now));
                return null;
            });
        } catch (RuntimeException e) {
            s.remove(backendKey(ns, key));
            throw e;
        }
        events.publish(ns, "/snapshot/prepare", SnapshotPrepare.newBuilder().setKey(key).setParent(parent).build());
        return mounts;
    }

    private Snapshotter backend(String name) {
        Snapshotter s = snapshotters.get(name);
        if (s == null) {
            throw JctrException.invalidArgument("snapshotter \"%s\" is not available (have: %s)", name,
                    String.join(", ", new TreeMap<>(snapshotters).keySet()));
        }
        return s;
    }

    private static void requireKey(String key, String what) {
        if (key == null || key.isEmpty()) {
            throw JctrException.invalidArgument("snapshot %s must not be empty", what);
        }
    }

    private static Map<String, String> backendLabels(Map<String, String> labels) {
        Map<String, String> out = new TreeMap<>();
        labels.forEach((k, v) -> {
            if (k.startsWith(BACKEND_LABELS)) {
                out.put(k, v);
            }
        });
        return out;
    }

    static String backendKey(String ns, String key) {
        return ns + "/" + key;
    }

    private static String recordKey(String ns, String snapshotter, String key) {
        return MetadataKeys.object(ns, KIND, snapshotter + "/" + key);
    }

    private static Optional<SnapshotRecord> read(MetadataTxn txn, String ns, String snapshotter, String key) {
        return txn.get(recordKey(ns, snapshotter, key)).map(v -> Json.read(v, SnapshotRecord.class));
    }

    private static void put(MetadataTxn txn, String ns, String snapshotter, SnapshotRecord r) {
        txn.put(recordKey(ns, snapshotter, r.key()), Json.write(r));
    }
}
