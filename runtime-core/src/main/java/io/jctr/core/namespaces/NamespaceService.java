package io.jctr.core.namespaces;

import io.jctr.api.events.NamespaceCreate;
import io.jctr.api.events.NamespaceDelete;
import io.jctr.api.events.NamespaceUpdate;
import io.jctr.core.identifiers.Identifiers;
import io.jctr.core.labels.FieldPaths;
import io.jctr.core.labels.Labels;
import io.jctr.core.metadata.Json;
import io.jctr.core.metadata.MetadataKeys;
import io.jctr.core.metadata.MetadataStore;
import io.jctr.core.metadata.MetadataTxn;
import io.jctr.spi.EventPublisher;
import io.jctr.spi.JctrException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Namespaces: create, read, relabel and delete, each one metadata transaction, each change
 * published as a containerd event. Other services create their namespace implicitly through
 * {@link #ensure} inside their own transaction, as containerd does on the first write.
 */
public final class NamespaceService {

    private final MetadataStore store;
    private final EventPublisher events;

    public NamespaceService(MetadataStore store, EventPublisher events) {
        this.store = store;
        this.events = events;
    }

    public NamespaceRecord create(String name, Map<String, String> labels) {
        Identifiers.validate("namespace", name);
        Labels.validate(labels);
        NamespaceRecord created = store.update(txn -> {
            if (txn.get(MetadataKeys.namespace(name)).isPresent()) {
                throw JctrException.alreadyExists("namespace \"%s\"", name);
            }
            String now = Instant.now().toString();
            NamespaceRecord r = new NamespaceRecord(name, labels, now, now);
            txn.put(MetadataKeys.namespace(name), Json.write(r));
            return r;
        });
        events.publish(name, "/namespaces/create",
                NamespaceCreate.newBuilder().setName(name).putAllLabels(created.labels()).build());
        return created;
    }

    /**
     * The namespace's record. A namespace that does not exist reads as one without labels, as in
     * containerd (its Get reads the labels bucket, which is simply absent): containerd's Go client
     * reads the labels of its default namespace on start-up and must not fail on a fresh one.
     */
    public NamespaceRecord get(String name) {
        Identifiers.validate("namespace", name);
        return store.view(txn -> read(txn, name)).orElseGet(() -> new NamespaceRecord(name, Map.of(), null, null));
    }

    public List<NamespaceRecord> list() {
        return store.view(txn -> {
            List<NamespaceRecord> all = new ArrayList<>();
            txn.scan(MetadataKeys.namespacesPrefix(), (k, v) -> all.add(Json.read(v, NamespaceRecord.class)));
            return all;
        });
    }

    /**
     * Applies {@code labels} under the update mask {@code paths} (see {@link FieldPaths}).
     *
     * <p>A namespace that does not exist is created by the update, as containerd's SetLabel
     * creates the namespace's bucket (containerd's Go client labels a fresh namespace this way);
     * only an update that sets or removes no label at all (no mask and no labels) creates nothing.
     * Like containerd, the event carries the labels of the request and no create event is sent.
     */
    public NamespaceRecord update(String name, Map<String, String> labels, List<String> paths) {
        Identifiers.validate("namespace", name);
        Labels.validate(labels);
        NamespaceRecord updated = store.update(txn -> {
            Optional<NamespaceRecord> current = read(txn, name);
            String now = Instant.now().toString();
            Map<String, String> merged = FieldPaths.applyLabels("namespace \"" + name + "\"",
                    current.map(NamespaceRecord::labels).orElse(Map.of()), labels, paths, List.of());
            Labels.validate(merged);
            NamespaceRecord r = new NamespaceRecord(name, merged, current.map(NamespaceRecord::createdAt).orElse(now), now);
            if (current.isPresent() || !paths.isEmpty() || !labels.isEmpty()) {
                txn.put(MetadataKeys.namespace(name), Json.write(r));
            }
            return r;
        });
        events.publish(name, "/namespaces/update", NamespaceUpdate.newBuilder().setName(name).putAllLabels(labels).build());
        return updated;
    }

    /**
     * Deletes an empty namespace.
     *
     * @throws JctrException NOT_FOUND if absent; FAILED_PRECONDITION naming what it still holds
     */
    public void delete(String name) {
        Identifiers.validate("namespace", name);
        store.update(txn -> {
            if (read(txn, name).isEmpty()) {
                throw JctrException.notFound("namespace \"%s\"", name);
            }
            TreeSet<String> kinds = new TreeSet<>();
            txn.scan(MetadataKeys.namespaceContents(name), (k, v) -> kinds.add(MetadataKeys.kindOf(name, k)));
            if (!kinds.isEmpty()) {
                throw JctrException.failedPrecondition("namespace \"%s\" must be empty, but it still has %s",
                        name, String.join(", ", kinds));
            }
            txn.delete(MetadataKeys.namespace(name));
            return null;
        });
        events.publish(name, "/namespaces/delete", NamespaceDelete.newBuilder().setName(name).build());
    }

    /** Creates the namespace record inside {@code txn} unless it exists: the implicit create of a first write. */
    public static void ensure(MetadataTxn txn, String name) {
        Identifiers.validate("namespace", name);
        if (txn.get(MetadataKeys.namespace(name)).isEmpty()) {
            String now = Instant.now().toString();
            txn.put(MetadataKeys.namespace(name), Json.write(new NamespaceRecord(name, Map.of(), now, now)));
        }
    }

    private static Optional<NamespaceRecord> read(MetadataTxn txn, String name) {
        return txn.get(MetadataKeys.namespace(name)).map(v -> Json.read(v, NamespaceRecord.class));
    }
}
