package io.jctr.core.metadata;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.lmdbjava.ByteArrayProxy;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.Txn;

/**
 * The daemon's metadata database: one LMDB environment, one key space of {@code /}-separated
 * string keys and byte values. LMDB is copy-on-write with a durable commit (fsync before the
 * meta page flips), so a daemon killed at any instant reopens at the last committed
 * transaction. Every mutation runs in one {@link #update} call; readers never block writers.
 *
 * <p>Thread-safe. Writers are serialised by LMDB.
 */
public final class MetadataStore implements AutoCloseable {

    /** The database file's maximum size; LMDB maps it lazily, so only what is used takes disk. */
    private static final long MAP_SIZE = 8L << 30;

    private final Env<byte[]> env;
    private final Dbi<byte[]> dbi;

    private MetadataStore(Env<byte[]> env, Dbi<byte[]> dbi) {
        this.env = env;
        this.dbi = dbi;
    }

    /** Opens (creating if needed) the database in {@code dir}. */
    public static MetadataStore open(Path dir) throws java.io.IOException {
        Files.createDirectories(dir);
        // byte[] buffers: the ByteBuffer proxy needs --add-opens into java.base; MDB_NOTLS: read
        // transactions are not bound to a thread (Java pools threads)
        Env<byte[]> env = Env.create(ByteArrayProxy.PROXY_BA).setMapSize(MAP_SIZE).setMaxDbs(2).setMaxReaders(256)
                .open(dir.toFile(), EnvFlags.MDB_NOTLS);
        Dbi<byte[]> dbi = env.openDbi("meta", DbiFlags.MDB_CREATE);
        return new MetadataStore(env, dbi);
    }

    /** Runs {@code body} in a read-only transaction. */
    public <T> T view(Function<MetadataTxn, T> body) {
        try (Txn<byte[]> txn = env.txnRead()) {
            return body.apply(new MetadataTxn(txn, dbi, false));
        }
    }

    /** Runs {@code body} in a read-write transaction, committed if it returns, aborted if it throws. */
    public <T> T update(Function<MetadataTxn, T> body) {
        try (Txn<byte[]> txn = env.txnWrite()) {
            T result = body.apply(new MetadataTxn(txn, dbi, true));
            txn.commit();
            return result;
        }
    }

    @Override
    public void close() {
        env.close();
    }
}
