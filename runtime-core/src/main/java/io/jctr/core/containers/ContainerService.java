package io.jctr.core.containers;

import com.google.protobuf.InvalidProtocolBufferException;
import io.jctr.api.events.ContainerCreate;
import io.jctr.api.events.ContainerDelete;
import io.jctr.api.events.ContainerUpdate;
import io.jctr.api.services.containers.v1.Container;
import io.jctr.core.filters.Filter;
import io.jctr.core.grpc.Timestamps;
import io.jctr.core.identifiers.Identifiers;
import io.jctr.core.labels.FieldPaths;
import io.jctr.core.labels.Labels;
import io.jctr.core.metadata.MetadataKeys;
import io.jctr.core.metadata.MetadataStore;
import io.jctr.core.metadata.MetadataTxn;
import io.jctr.core.namespaces.NamespaceService;
import io.jctr.spi.EventPublisher;
import io.jctr.spi.JctrException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Container records per namespace, containerd's metadata semantics. Records are kept as the
 * API's {@code Container} message itself, so the OCI spec, runtime options and extensions
 * ({@code google.protobuf.Any}) come back byte for byte with their type URLs, as containerd's
 * clients require.
 */
public final class ContainerService {

    /** The metadata kind of these records ({@code ns/<namespace>/containers/...}). */
    public static final String KIND = "containers";

    private final MetadataStore store;
    private final EventPublisher events;

    public ContainerService(MetadataStore store, EventPublisher events) {
        this.store = store;
        this.events = events;
    }

    public Container get(String ns, String id) {
        Identifiers.validate("container id", id);
        return store.view(txn -> read(txn, ns, id)).orElseThrow(() -> notFound(ns, id));
    }

    public List<Container> list(String ns, Filter filter) {
        return store.view(txn -> {
            List<Container> out = new ArrayList<>();
            txn.scan(MetadataKeys.kindPrefix(ns, KIND), (k, v) -> {
                Container c = parse(v, k);
                Filter.Adaptor a = path -> {
                    if (path.size() == 2 && path.get(0).equals("runtime") && path.get(1).equals("name")) {
                        return Optional.of(c.getRuntime().getName());
                    }
                    return Filter.adaptor(f -> switch (f) {
                        case "id" -> c.getId();
                        case "image" -> c.getImage();
                        case "snapshotter" -> c.getSnapshotter();
                        default -> null;
                    }, c.getLabelsMap()).field(path);
                };
                if (filter.test(a)) {
                    out.add(c);
                }
            });
            return out;
        });
    }

    public Container create(String ns, Container c) {
        Identifiers.validate("container id", c.getId());
        Labels.validate(c.getLabelsMap());
        if (c.getRuntime().getName().isEmpty()) {
            throw JctrException.invalidArgument("container \"%s\": must specify a runtime name", c.getId());
        }
        if (!c.hasSpec()) {
            throw JctrException.invalidArgument("container \"%s\": must specify a spec", c.getId());
        }
        Container created = store.update(txn -> {
            NamespaceService.ensure(txn, ns);
            if (read(txn, ns, c.getId()).isPresent()) {
                throw JctrException.alreadyExists("container \"%s\"", c.getId());
            }
            var now = Timestamps.of(Instant.now());
            Container stored = c.toBuilder().setCreatedAt(now).setUpdatedAt(now).build();
            txn.put(MetadataKeys.object(ns, KIND, c.getId()), stored.toByteArray());
            return stored;
        });
        events.publish(ns, "/containers/create", ContainerCreate.newBuilder().setId(created.getId()).setImage(created.getImage())
                .setRuntime(ContainerCreate.Runtime.newBuilder().setName(created.getRuntime().getName())
                        .setOptions(created.getRuntime().getOptions())).build());
        return created;
    }

    /**
     * Updates what containerd lets change: {@code labels[.<key>]}, {@code spec},
     * {@code extensions[.<key>]}, {@code image}, {@code snapshotkey}; an empty mask updates all
     * of them. The runtime and the snapshotter never change.
     */
    public Container update(String ns, Container update, List<String> paths) {
        Identifiers.validate("container id", update.getId());
        Labels.validate(update.getLabelsMap());
        Container updated = store.update(txn -> {
            Container current = read(txn, ns, update.getId()).orElseThrow(() -> notFound(ns, update.getId()));
            Container.Builder b = current.toBuilder();
            List<String> labelPaths = new ArrayList<>();
            boolean all = paths.isEmpty();
            for (String p : paths) {
                if (p.equals("labels") || p.startsWith("labels.")) {
                    labelPaths.add(p);
                } else if (p.equals("spec")) {
                    b.setSpec(update.getSpec());
                } else if (p.equals("extensions")) {
                    b.clearExtensions().putAllExtensions(update.getExtensionsMap());
                } else if (p.startsWith("extensions.")) {
                    String key = p.substring("extensions.".length());
                    if (update.containsExtensions(key)) {
                        b.putExtensions(key, update.getExtensionsOrThrow(key));
                    } else {
                        b.removeExtensions(key);
                    }
                } else if (p.equals("image")) {
                    b.setImage(update.getImage());
                } else if (p.equals("snapshotkey")) {
                    b.setSnapshotKey(update.getSnapshotKey());
                } else {
                    throw JctrException.invalidArgument("cannot update \"%s\" field on container \"%s\"", p, update.getId());
                }
            }
            if (all) {
                b.setSpec(update.getSpec()).clearExtensions().putAllExtensions(update.getExtensionsMap())
                        .setImage(update.getImage()).setSnapshotKey(update.getSnapshotKey());
            }
            if (all || !labelPaths.isEmpty()) {
                var labels = FieldPaths.applyLabels("container \"" + update.getId() + "\"", current.getLabelsMap(),
                        update.getLabelsMap(), all ? List.of() : labelPaths, List.of());
                Labels.validate(labels);
                b.clearLabels().putAllLabels(labels);
            }
            if (!b.hasSpec()) {
                throw JctrException.invalidArgument("container \"%s\": must specify a spec", update.getId());
            }
            Container stored = b.setUpdatedAt(Timestamps.of(Instant.now())).build();
            txn.put(MetadataKeys.object(ns, KIND, update.getId()), stored.toByteArray());
            return stored;
        });
        events.publish(ns, "/containers/update", ContainerUpdate.newBuilder().setId(updated.getId()).setImage(updated.getImage())
                .putAllLabels(updated.getLabelsMap()).setSnapshotKey(updated.getSnapshotKey()).build());
        return updated;
    }

    public void delete(String ns, String id) {
        Identifiers.validate("container id", id);
        store.update(txn -> {
            if (!txn.delete(MetadataKeys.object(ns, KIND, id))) {
                throw notFound(ns, id);
            }
            return null;
        });
        events.publish(ns, "/containers/delete", ContainerDelete.newBuilder().setId(id).build());
    }

    private static JctrException notFound(String ns, String id) {
        return JctrException.notFound("container \"%s\" in namespace \"%s\"", id, ns);
    }

    private static Optional<Container> read(MetadataTxn txn, String ns, String id) {
        return txn.get(MetadataKeys.object(ns, KIND, id)).map(v -> parse(v, id));
    }

    private static Container parse(byte[] v, String what) {
        try {
            return Container.parseFrom(v);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt container record " + what + " in the metadata store", e);
        }
    }
}
