package io.jctr.plugins.content.local;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ingests taken in this JVM, by directory. An ingest is claimed here first, which is cheap
 * and covers every thread; the claim's lock file then covers other processes.
 *
 * <p>The set is JVM-wide, not per store, because Java's file locks are POSIX record locks on
 * Linux: closing any descriptor of the lock file in this process drops the lock. So no store
 * instance in this JVM may even open a lock file another one holds; a shared set keyed by the
 * (canonical) ingest directory guarantees that. Thread-safe.
 */
final class RefLocks {

    private static final Set<Path> CLAIMED = ConcurrentHashMap.newKeySet();

    private RefLocks() {
    }

    /**
     * Claims the ingest in this JVM; never waits.
     *
     * @throws io.jctr.spi.JctrException UNAVAILABLE when it is already claimed
     */
    static IngestLock claim(IngestDirectory ingest) {
        Path key = ingest.path();
        if (!CLAIMED.add(key)) {
            throw IngestLock.locked(ingest.ref());
        }
        return new IngestLock(ingest.ref(), () -> CLAIMED.remove(key));
    }
}
