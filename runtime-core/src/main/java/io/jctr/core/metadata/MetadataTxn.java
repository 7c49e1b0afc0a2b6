package io.jctr.core.metadata;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.lmdbjava.CursorIterable;
import org.lmdbjava.Dbi;
import org.lmdbjava.KeyRange;
import org.lmdbjava.Txn;

/** One transaction on the {@link MetadataStore}; valid only inside the call that created it. */
public final class MetadataTxn {

    /** LMDB's key size limit (compile-time default of liblmdb). */
    public static final int MAX_KEY_BYTES = 511;

    private final Txn<byte[]> txn;
    private final Dbi<byte[]> dbi;
    private final boolean writable;

    MetadataTxn(Txn<byte[]> txn, Dbi<byte[]> dbi, boolean writable) {
        this.txn = txn;
        this.dbi = dbi;
        this.writable = writable;
    }

    public Optional<byte[]> get(String key) {
        return Optional.ofNullable(dbi.get(txn, key(key)));
    }

    public void put(String key, byte[] value) {
        requireWritable();
        dbi.put(txn, key(key), value);
    }

    /** @return whether the key existed */
    public boolean delete(String key) {
        requireWritable();
        return dbi.delete(txn, key(key));
    }

    /** Visits every key starting with {@code prefix}, in key order. */
    public void scan(String prefix, BiConsumer<String, byte[]> visitor) {
        try (CursorIterable<byte[]> it = dbi.iterate(txn, KeyRange.atLeast(key(prefix)))) {
            for (CursorIterable.KeyVal<byte[]> kv : it) {
                String k = new String(kv.key(), StandardCharsets.UTF_8);
                if (!k.startsWith(prefix)) {
                    return;
                }
                visitor.accept(k, kv.val());
            }
        }
    }

    /** The first key starting with {@code prefix}, if any. */
    public Optional<String> firstKey(String prefix) {
        try (CursorIterable<byte[]> it = dbi.iterate(txn, KeyRange.atLeast(key(prefix)))) {
            for (CursorIterable.KeyVal<byte[]> kv : it) {
                String k = new String(kv.key(), StandardCharsets.UTF_8);
                return k.startsWith(prefix) ? Optional.of(k) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    private void requireWritable() {
        if (!writable) {
            throw new IllegalStateException("read-only metadata transaction");
        }
    }

    private static byte[] key(String key) {
        byte[] b = key.getBytes(StandardCharsets.UTF_8);
        if (b.length == 0 || b.length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("metadata key of " + b.length + " bytes (1.." + MAX_KEY_BYTES + ")");
        }
        return b;
    }
}
