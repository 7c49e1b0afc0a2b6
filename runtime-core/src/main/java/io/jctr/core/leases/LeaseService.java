package io.jctr.core.leases;

import io.jctr.core.filters.Filter;
import io.jctr.core.labels.Labels;
import io.jctr.core.metadata.Json;
import io.jctr.core.metadata.MetadataKeys;
import io.jctr.core.metadata.MetadataStore;
import io.jctr.core.metadata.MetadataTxn;
import io.jctr.core.namespaces.NamespaceService;
import io.jctr.spi.JctrException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Leases per namespace: create (the namespace too, implicitly), list with filters, delete. */
public final class LeaseService {

    /** The metadata kind of these records ({@code ns/<namespace>/leases/...}). */
    public static final String KIND = "leases";
    static final int MAX_ID_LENGTH = 255;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MetadataStore store;

    public LeaseService(MetadataStore store) {
        this.store = store;
    }

    /** @param id the lease id, or empty for a generated one */
    public LeaseRecord create(String namespace, String id, Map<String, String> labels) {
        String leaseId = id.isEmpty() ? generateId() : id;
        validateId(leaseId);
        Labels.validate(labels);
        return store.update(txn -> {
            NamespaceService.ensure(txn, namespace);
            String key = MetadataKeys.object(namespace, KIND, leaseId);
            if (txn.get(key).isPresent()) {
                throw JctrException.alreadyExists("lease \"%s\"", leaseId);
            }
            LeaseRecord r = new LeaseRecord(leaseId, labels, Instant.now().toString(), List.of());
            txn.put(key, Json.write(r));
            return r;
        });
    }

    public List<LeaseRecord> list(String namespace, Filter filter) {
        return store.view(txn -> {
            List<LeaseRecord> out = new ArrayList<>();
            txn.scan(MetadataKeys.kindPrefix(namespace, KIND), (k, v) -> {
                LeaseRecord r = Json.read(v, LeaseRecord.class);
                if (filter.test(Filter.adaptor(f -> f.equals("id") ? r.id() : null, r.labels()))) {
                    out.add(r);
                }
            });
            return out;
        });
    }

    public void delete(String namespace, String id) {
        validateId(id);
        store.update(txn -> {
            if (!txn.delete(MetadataKeys.object(namespace, KIND, id))) {
                throw JctrException.notFound("lease \"%s\"", id);
            }
            return null;
        });
    }

    /** Lease ids are the client's (ctr makes them from base64url: "616163985-_sy9"): any text but control characters. */
    public void addResource(String namespace, String leaseId, LeaseResource resource) {
        validateId(leaseId);
        store.update(txn -> {
            addResource(txn, namespace, leaseId, resource);
            return null;
        });
    }

    public void deleteResource(String namespace, String leaseId, LeaseResource resource) {
        validateId(leaseId);
        store.update(txn -> {
            LeaseRecord r = read(txn, namespace, leaseId);
            List<LeaseResource> kept = new ArrayList<>(r.resources());
            kept.remove(resource);
            txn.put(MetadataKeys.object(namespace, KIND, leaseId), Json.write(
                    new LeaseRecord(r.id(), r.labels(), r.createdAt(), kept)));
            return null;
        });
    }

    public List<LeaseResource> resources(String namespace, String leaseId) {
        validateId(leaseId);
        return store.view(txn -> read(txn, namespace, leaseId).resources());
    }

    /**
     * Adds {@code resource} to the lease inside the caller's transaction, so the resource and its
     * protection are committed together. An empty lease id (no lease on the call) does nothing.
     *
     * @throws JctrException NOT_FOUND when the lease does not exist
     */
    public static void addResource(MetadataTxn txn, String namespace, String leaseId, LeaseResource resource) {
        if (leaseId.isEmpty()) {
            return;
        }
        LeaseRecord r = read(txn, namespace, leaseId);
        if (r.resources().contains(resource)) {
            return;
        }
        List<LeaseResource> all = new ArrayList<>(r.resources());
        all.add(resource);
        txn.put(MetadataKeys.object(namespace, KIND, leaseId), Json.write(new LeaseRecord(r.id(), r.labels(), r.createdAt(), all)));
    }

    private static LeaseRecord read(MetadataTxn txn, String namespace, String leaseId) {
        return txn.get(MetadataKeys.object(namespace, KIND, leaseId)).map(v -> Json.read(v, LeaseRecord.class))
                .orElseThrow(() -> JctrException.notFound("lease \"%s\"", leaseId));
    }

    private static void validateId(String id) {
        if (id.isEmpty() || id.length() > MAX_ID_LENGTH || id.chars().anyMatch(Character::isISOControl)) {
            throw JctrException.invalidArgument("invalid lease id \"%s\": want 1 to %d printable characters", id, MAX_ID_LENGTH);
        }
    }

    private static String generateId() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return Instant.now().getEpochSecond() + "-" + HexFormat.of().formatHex(b);
    }
}
