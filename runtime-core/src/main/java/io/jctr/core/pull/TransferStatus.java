package io.jctr.core.pull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The live state of every blob of one pull or push, for progress displays: the services update
 * it from their worker threads, the gRPC adapter sends {@link #snapshot()}s when
 * {@link #version()} moved. Thread-safe.
 */
public final class TransferStatus {

    /** Where a blob is. */
    public enum State { RESOLVING, WAITING, DOWNLOADING, DOWNLOADED, UNPACKING, UPLOADING, MOUNTED, EXISTS, DONE }

    /** One blob: kind is index, manifest, config or layer. */
    public record Blob(String kind, String mediaType, String digest, State state, long offset, long total) {
    }

    // guarded by this
    private final Map<String, Blob> blobs = new LinkedHashMap<>();
    private long version;

    /** Adds or moves blob {@code digest} to {@code state}; DONE and EXISTS count all bytes as done. */
    public synchronized void set(String kind, String mediaType, String digest, long total, State state) {
        Blob old = blobs.get(digest);
        long offset = state == State.DONE || state == State.EXISTS || state == State.DOWNLOADED || state == State.UNPACKING
                || state == State.MOUNTED ? total : old == null ? 0 : old.offset();
        blobs.put(digest, new Blob(old == null ? kind : old.kind(), mediaType, digest, state, offset, total));
        version++;
    }

    /** Moves a known blob to {@code state}. */
    public synchronized void state(String digest, State state) {
        Blob b = blobs.get(digest);
        if (b != null) {
            set(b.kind(), b.mediaType(), digest, b.total(), state);
        }
    }

    /** Bytes done so far of a known blob (in state DOWNLOADING or UPLOADING). */
    public synchronized void offset(String digest, State state, long offset) {
        Blob b = blobs.get(digest);
        if (b != null) {
            blobs.put(digest, new Blob(b.kind(), b.mediaType(), digest, state, offset, b.total()));
            version++;
        }
    }

    public synchronized State state(String digest) {
        Blob b = blobs.get(digest);
        return b == null ? null : b.state();
    }

    public synchronized long version() {
        return version;
    }

    public synchronized List<Blob> snapshot() {
        return new ArrayList<>(blobs.values());
    }
}
