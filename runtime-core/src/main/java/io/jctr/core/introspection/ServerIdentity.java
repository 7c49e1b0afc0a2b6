package io.jctr.core.introspection;

import io.jctr.core.metadata.MetadataKeys;
import io.jctr.core.metadata.MetadataStore;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** The daemon's UUID: made once per root directory, kept in the metadata store. */
final class ServerIdentity {

    private ServerIdentity() {
    }

    static String load(MetadataStore store) {
        return store.update(txn -> txn.get(MetadataKeys.SERVER_UUID)
                .map(b -> new String(b, StandardCharsets.UTF_8))
                .orElseGet(() -> {
                    String uuid = UUID.randomUUID().toString();
                    txn.put(MetadataKeys.SERVER_UUID, uuid.getBytes(StandardCharsets.UTF_8));
                    return uuid;
                }));
    }
}
