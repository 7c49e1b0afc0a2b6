package io.jctr.core.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataStoreTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Optional<String> s(Optional<byte[]> v) {
        return v.map(x -> new String(x, StandardCharsets.UTF_8));
    }

    @Test
    void committedWritesSurviveReopenAndScansStayInsideThePrefix(@TempDir Path dir) throws Exception {
        try (MetadataStore store = MetadataStore.open(dir)) {
            store.update(txn -> {
                txn.put("ns/a/leases/1", b("one"));
                txn.put("ns/a/leases/2", b("two"));
                txn.put("ns/ab/leases/3", b("three"));
                txn.put("ns/a/images/x", new byte[0]);
                return null;
            });
        }
        try (MetadataStore store = MetadataStore.open(dir)) {
            List<String> keys = new ArrayList<>();
            store.view(txn -> {
                txn.scan("ns/a/leases/", (k, v) -> keys.add(k + "=" + new String(v, StandardCharsets.UTF_8)));
                return null;
            });
            assertEquals(List.of("ns/a/leases/1=one", "ns/a/leases/2=two"), keys);
            assertEquals(Optional.of("ns/a/images/x"), store.view(txn -> txn.firstKey("ns/a/")));
            assertEquals(Optional.of(""), store.view(txn -> s(txn.get("ns/a/images/x"))));
            assertEquals(Optional.empty(), store.view(txn -> txn.firstKey("ns/b/")));
        }
    }

    @Test
    void aFailingTransactionLeavesNothingBehind(@TempDir Path dir) throws Exception {
        try (MetadataStore store = MetadataStore.open(dir)) {
            store.update(txn -> {
                txn.put("k", b("before"));
                return null;
            });
            assertThrows(IllegalStateException.class, () -> store.update(txn -> {
                txn.put("k", b("after"));
                txn.put("other", b("x"));
                throw new IllegalStateException("boom");
            }));
            assertEquals(Optional.of("before"), store.view(txn -> s(txn.get("k"))));
            assertEquals(Boolean.FALSE, store.view(txn -> txn.get("other").isPresent()));
            assertThrows(IllegalStateException.class, () -> store.view(txn -> {
                txn.put("k", b("read-only"));
                return null;
            }));
            assertEquals(Boolean.TRUE, store.update(txn -> txn.delete("k")));
            assertEquals(Boolean.FALSE, store.update(txn -> txn.delete("k")));
        }
    }

    @Test
    void oversizedKeysAreRejected(@TempDir Path dir) throws Exception {
        try (MetadataStore store = MetadataStore.open(dir)) {
            String key = "x".repeat(MetadataTxn.MAX_KEY_BYTES + 1);
            assertThrows(IllegalArgumentException.class, () -> store.view(txn -> txn.get(key)));
        }
    }
}
