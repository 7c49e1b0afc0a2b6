package io.jctr.core.images;

import io.jctr.api.events.images.ImageCreate;
import io.jctr.api.events.images.ImageDelete;
import io.jctr.api.events.images.ImageUpdate;
import io.jctr.core.filters.Filter;
import io.jctr.core.labels.FieldPaths;
import io.jctr.core.labels.Labels;
import io.jctr.core.metadata.Json;
import io.jctr.core.metadata.MetadataKeys;
import io.jctr.core.metadata.MetadataStore;
import io.jctr.core.metadata.MetadataTxn;
import io.jctr.core.namespaces.NamespaceService;
import io.jctr.spi.EventPublisher;
import io.jctr.spi.JctrException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Image records per namespace, containerd's metadata semantics: a name, a target descriptor and
 * labels; every change one transaction and one event. What the target references (content,
 * snapshots) is kept alive by garbage collection, not here.
 */
public final class ImageService {

    /** The metadata kind of these records ({@code ns/<namespace>/images/...}). */
    public static final String KIND = "images";
    /** Keeps {@code ns/<namespace>/images/<name>} inside LMDB's 511-byte key limit. */
    static final int MAX_NAME_BYTES = 400;
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final String TARGET = "target";

    private final MetadataStore store;
    private final EventPublisher events;

    public ImageService(MetadataStore store, EventPublisher events) {
        this.store = store;
        this.events = events;
    }

    public ImageRecord get(String ns, String name) {
        validateName(name);
        return store.view(txn -> read(txn, ns, name)).orElseThrow(() -> JctrException.notFound("image \"%s\"", name));
    }

    public List<ImageRecord> list(String ns, Filter filter) {
        return store.view(txn -> {
            List<ImageRecord> out = new ArrayList<>();
            txn.scan(MetadataKeys.kindPrefix(ns, KIND), (k, v) -> {
                ImageRecord r = Json.read(v, ImageRecord.class);
                if (filter.test(adaptor(r))) {
                    out.add(r);
                }
            });
            return out;
        });
    }

    public ImageRecord create(String ns, ImageRecord image) {
        validate(image);
        ImageRecord created = store.update(txn -> {
            NamespaceService.ensure(txn, ns);
            String key = MetadataKeys.object(ns, KIND, image.name());
            if (txn.get(key).isPresent()) {
                throw JctrException.alreadyExists("image \"%s\"", image.name());
            }
            String now = Instant.now().toString();
            ImageRecord r = new ImageRecord(image.name(), image.labels(), image.target(), now, now);
            txn.put(key, Json.write(r));
            return r;
        });
        events.publish(ns, "/images/create", ImageCreate.newBuilder().setName(created.name()).putAllLabels(created.labels()).build());
        return created;
    }

    /** Updates labels and/or the target; an empty mask replaces both (containerd's rule). */
    public ImageRecord update(String ns, ImageRecord image, List<String> paths) {
        validateName(image.name());
        Labels.validate(image.labels());
        boolean replaceTarget = paths.isEmpty() || paths.contains(TARGET);
        if (replaceTarget) {
            validateTarget(image);
        }
        ImageRecord updated = store.update(txn -> {
            ImageRecord current = read(txn, ns, image.name())
                    .orElseThrow(() -> JctrException.notFound("image \"%s\"", image.name()));
            List<String> labelPaths = paths.stream().filter(p -> !p.equals(TARGET)).toList();
            var labels = paths.isEmpty() || !labelPaths.isEmpty()
                    ? FieldPaths.applyLabels("image \"" + image.name() + "\"", current.labels(), image.labels(), labelPaths, List.of())
                    : current.labels();
            Labels.validate(labels);
            ImageRecord r = new ImageRecord(image.name(), labels, replaceTarget ? image.target() : current.target(),
                    current.createdAt(), Instant.now().toString());
            txn.put(MetadataKeys.object(ns, KIND, image.name()), Json.write(r));
            return r;
        });
        events.publish(ns, "/images/update", ImageUpdate.newBuilder().setName(updated.name()).putAllLabels(updated.labels()).build());
        return updated;
    }

    public void delete(String ns, String name) {
        validateName(name);
        store.update(txn -> {
            if (!txn.delete(MetadataKeys.object(ns, KIND, name))) {
                throw JctrException.notFound("image \"%s\"", name);
            }
            return null;
        });
        events.publish(ns, "/images/delete", ImageDelete.newBuilder().setName(name).build());
    }

    private static Optional<ImageRecord> read(MetadataTxn txn, String ns, String name) {
        return txn.get(MetadataKeys.object(ns, KIND, name)).map(v -> Json.read(v, ImageRecord.class));
    }

    private static Filter.Adaptor adaptor(ImageRecord r) {
        return path -> {
            if (path.size() == 2 && path.get(0).equals(TARGET)) {
                return switch (path.get(1)) {
                    case "digest" -> Optional.of(r.target().digest());
                    case "mediatype" -> Optional.of(r.target().mediaType());
                    default -> Optional.empty();
                };
            }
            return Filter.adaptor(f -> f.equals("name") ? r.name() : null, r.labels()).field(path);
        };
    }

    private static void validate(ImageRecord image) {
        validateName(image.name());
        Labels.validate(image.labels());
        validateTarget(image);
    }

    private static void validateName(String name) {
        if (name == null || name.isEmpty()) {
            throw JctrException.invalidArgument("image name must not be empty");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw JctrException.invalidArgument("image name \"%.40s...\" is longer than %d bytes", name, MAX_NAME_BYTES);
        }
    }

    private static void validateTarget(ImageRecord image) {
        ImageRecord.Target t = image.target();
        if (t == null || t.mediaType().isEmpty()) {
            throw JctrException.invalidArgument("image \"%s\": target.mediatype must be set", image.name());
        }
        if (!DIGEST.matcher(t.digest()).matches()) {
            throw JctrException.invalidArgument("image \"%s\": invalid target digest \"%s\"", image.name(), t.digest());
        }
        if (t.size() < 0) {
            throw JctrException.invalidArgument("image \"%s\": negative target size %d", image.name(), t.size());
        }
    }
}
