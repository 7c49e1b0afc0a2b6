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
    private volatile Runnable onStateChange = () -> { };

    /**
     * Called (outside this object's lock) after every change of a blob's state, so a display
     * sees each state even when several follow each other within one progress tick.
     */
    public void onStateChange(Runnable listener) {
        onStateChange = listener;
    }

    /** Adds or moves blob {@code digest} to {@code state}; DONE and EXISTS count all bytes as done. */
    public void set(String kind, String mediaType, String digest, long total, State state) {
        boolean changed;
        synchronized (this) {
            Blob old = blobs.get(digest);
            changed = old == null || old.state() != state;
            put(old, kind, mediaType, digest, total, state);
        }
        if (changed) {
            onStateChange.run();
        }
    }

    private void put(Blob old, String kind, String mediaType, String digest, long total, State state) {
        long offset = state == State.DONE || state == State.EXISTS || state == State.DOWNLOADED || state == State.MOUNTED
                ? total : old == null ? 0 : old.offset(); // unpacking may follow a download still running
        blobs.put(digest, new Blob(old == null ? kind : old.kind(), mediaType, digest, state, offset, total));
        version++;
    }

    /** Moves a known blob to {@code state}. */
    public void state(String digest, State state) {
        Blob b;
        synchronized (this) {
            b = blobs.get(digest);
        }
        if (b != null) {
            set(b.kind(), b.mediaType(), digest, b.total(), state);
        }
    }

    /** Bytes done so far of a known blob (in state DOWNLOADING or UPLOADING; a blob being unpacked stays UNPACKING). */
    public void offset(String digest, State state, long offset) {
        boolean changed = false;
        synchronized (this) {
            Blob b = blobs.get(digest);
            if (b != null) {
                State s = b.state() == State.UNPACKING ? State.UNPACKING : state; // an unpack following the download
                changed = b.state() != s;
                blobs.put(digest, new Blob(b.kind(), b.mediaType(), digest, s, offset, b.total()));
                version++;
            }
        }
        if (changed) {
            onStateChange.run();
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
