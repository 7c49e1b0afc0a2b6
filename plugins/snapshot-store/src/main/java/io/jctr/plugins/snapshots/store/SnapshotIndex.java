package io.jctr.plugins.snapshots.store;

import io.jctr.spi.JctrException;
import io.jctr.spi.snapshots.SnapshotKind;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The snapshots that exist, by key, and who is changing which: memory only, under one lock held
 * for memory operations alone. A change first <em>begins</em> — checks its preconditions and
 * claims the keys it changes — then does its disk work without the lock, then <em>ends</em> by
 * publishing its outcome and releasing the claims. Whoever needs a claimed key waits for the
 * release and then sees the outcome. A parent with children being created is pinned: it cannot be
 * removed until they exist (or failed).
 */
public final class SnapshotIndex {

    /** A snapshot being created: its id and its parents' ids, nearest first. */
    record NewSnapshot(long id, List<Long> parents) {
    }

    /** What cleanup may not touch: the ids in use and every id from {@code firstUnallocated} on. */
    record LiveIds(Set<Long> ids, long firstUnallocated) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();
    private final Map<String, SnapshotRecord> byKey = new HashMap<>();
    private final Set<String> claimed = new HashSet<>();
    private final Map<String, Integer> pins = new HashMap<>();
    private final Set<Long> creating = new HashSet<>();
    private long nextId;

    /** Indexes {@code records}; new ids start above {@code highestIdInUse}. */
    SnapshotIndex(Collection<SnapshotRecord> records, long highestIdInUse) throws IOException {
        long highest = highestIdInUse;
        for (SnapshotRecord r : records) {
            SnapshotRecord other = byKey.put(r.key(), r);
            if (other != null) {
                throw new IOException("snapshot records " + other.id() + " and " + r.id() + " both have key \"" + r.key() + "\"");
            }
            highest = Math.max(highest, r.id());
        }
        nextId = highest + 1;
    }

    /** @throws JctrException {@code NOT_FOUND} */
    SnapshotRecord get(String key) {
        lock.lock();
        try {
            return require(key);
        } finally {
            lock.unlock();
        }
    }

    List<SnapshotRecord> all() {
        lock.lock();
        try {
            return new ArrayList<>(byKey.values());
        } finally {
            lock.unlock();
        }
    }

    /** The ids of the parents of {@code r}, nearest first. */
    List<Long> parentIds(SnapshotRecord r) {
        lock.lock();
        try {
            return chain(r.parent());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Begins creating snapshot {@code key} on {@code parent} ({@code ""} for none); end with
     * {@link #endCreate}.
     *
     * @throws JctrException {@code NOT_FOUND} or {@code INVALID_ARGUMENT} for the parent (checked
     *                       first, as containerd does), {@code ALREADY_EXISTS} for the key
     */
    NewSnapshot beginCreate(String key, String parent) throws InterruptedIOException {
        lock.lock();
        try {
            awaitUnclaimed(key, parent);
            List<Long> parents = chain(parent);
            if (byKey.containsKey(key)) {
                throw JctrException.alreadyExists("snapshot \"%s\"", key);
            }
            claimed.add(key);
            if (!parent.isEmpty()) {
                pins.merge(parent, 1, Integer::sum);
            }
            long id = nextId++;
            creating.add(id);
            return new NewSnapshot(id, parents);
        } finally {
            lock.unlock();
        }
    }

    /** Ends a creation: publishes {@code created}, or nothing when it is {@code null} (it failed). */
    void endCreate(String key, String parent, long id, SnapshotRecord created) {
        lock.lock();
        try {
            if (created != null) {
                byKey.put(key, created);
            }
            pins.computeIfPresent(parent, (p, n) -> n == 1 ? null : n - 1);
            creating.remove(id);
            releaseLocked(key, key);
        } finally {
            lock.unlock();
        }
    }

    /** Begins changing the labels of {@code key}; end with {@link #end}. */
    SnapshotRecord beginUpdate(String key) throws InterruptedIOException {
        lock.lock();
        try {
            awaitUnclaimed(key, key);
            SnapshotRecord r = require(key);
            claimed.add(key);
            return r;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Begins committing active snapshot {@code key} as {@code name}; end with {@link #endCommit}.
     * With a {@code parent} ({@code ""}: none) it is a rebase: the snapshot, which has no parent,
     * is committed onto {@code parent}, which stays pinned until then.
     *
     * @return the active snapshot and the id of the parent (-1 without one)
     * @throws JctrException {@code NOT_FOUND} for the key or the parent, {@code FAILED_PRECONDITION}
     *                       when not active, {@code INVALID_ARGUMENT} when a rebased snapshot has a
     *                       parent or the parent is not committed, {@code ALREADY_EXISTS} when the
     *                       name is taken
     */
    Commit beginCommit(String key, String name, String parent) throws InterruptedIOException {
        boolean rebase = !parent.isEmpty();
        lock.lock();
        try {
            awaitUnclaimed(key, name);
            if (rebase) {
                awaitUnclaimed(parent, parent);
            }
            SnapshotRecord active = require(key);
            if (active.kind() != SnapshotKind.ACTIVE) {
                throw JctrException.failedPrecondition("snapshot \"%s\" is %s; only active snapshots can be committed",
                        key, active.kind().name().toLowerCase(Locale.ROOT));
            }
            long parentId = -1;
            if (rebase) {
                if (!active.parent().isEmpty()) {
                    throw JctrException.invalidArgument("snapshot \"%s\" has parent \"%s\": only a snapshot without one is rebased",
                            key, active.parent());
                }
                parentId = chain(parent).get(0);
            }
            if (byKey.containsKey(name)) {
                throw JctrException.alreadyExists("snapshot \"%s\"", name);
            }
            claimed.add(key);
            claimed.add(name);
            if (rebase) {
                pins.merge(parent, 1, Integer::sum);
            }
            return new Commit(active, parentId);
        } finally {
            lock.unlock();
        }
    }

    /** An active snapshot being committed, and the id of the parent it is rebased onto (or -1). */
    record Commit(SnapshotRecord active, long parentId) {
    }

    /** Ends a {@link #beginCommit}: as {@link #end}, and unpins the parent of a rebase. */
    void endCommit(boolean done, String key, SnapshotRecord replacement, String name, String parent) {
        if (!parent.isEmpty()) {
            lock.lock();
            try {
                pins.computeIfPresent(parent, (p, n) -> n == 1 ? null : n - 1);
            } finally {
                lock.unlock();
            }
        }
        end(done, key, replacement, key, name);
    }

    /**
     * Begins removing {@code key}; end with {@link #end}.
     *
     * @throws JctrException {@code NOT_FOUND}, {@code FAILED_PRECONDITION} when it has children
     */
    SnapshotRecord beginRemove(String key) throws InterruptedIOException {
        lock.lock();
        try {
            awaitUnclaimed(key, key);
            SnapshotRecord r = require(key);
            if (pins.containsKey(key) || byKey.values().stream().anyMatch(c -> c.parent().equals(key))) {
                throw JctrException.failedPrecondition("snapshot \"%s\" has children; remove them first", key);
            }
            claimed.add(key);
            return r;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends an update, commit or removal: when {@code done}, drops {@code oldKey} and publishes
     * {@code replacement} (if any); in any case releases the claims on {@code a} and {@code b}.
     */
    void end(boolean done, String oldKey, SnapshotRecord replacement, String a, String b) {
        lock.lock();
        try {
            if (done) {
                byKey.remove(oldKey);
                if (replacement != null) {
                    byKey.put(replacement.key(), replacement);
                }
            }
            releaseLocked(a, b);
        } finally {
            lock.unlock();
        }
    }

    LiveIds liveIds() {
        lock.lock();
        try {
            Set<Long> ids = new HashSet<>(creating);
            byKey.values().forEach(r -> ids.add(r.id()));
            return new LiveIds(ids, nextId);
        } finally {
            lock.unlock();
        }
    }

    private SnapshotRecord require(String key) {
        SnapshotRecord r = key == null ? null : byKey.get(key);
        if (r == null) {
            throw JctrException.notFound("snapshot \"%s\"", key);
        }
        return r;
    }

    /** The ids of {@code parent} and its ancestors, nearest first, after checking it. */
    private List<Long> chain(String parent) {
        List<Long> ids = new ArrayList<>();
        if (parent.isEmpty()) {
            return ids;
        }
        SnapshotRecord p = byKey.get(parent);
        if (p == null) {
            throw JctrException.notFound("parent snapshot \"%s\"", parent);
        }
        if (p.kind() != SnapshotKind.COMMITTED) {
            throw JctrException.invalidArgument("parent snapshot \"%s\" is not committed", parent);
        }
        while (p != null) {
            ids.add(p.id());
            p = p.parent().isEmpty() ? null : byKey.get(p.parent());
        }
        return ids;
    }

    private void awaitUnclaimed(String a, String b) throws InterruptedIOException {
        while (claimed.contains(a) || claimed.contains(b)) {
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted waiting for snapshot \"" + a + "\"");
            }
        }
    }

    private void releaseLocked(String a, String b) {
        claimed.remove(a);
        claimed.remove(b);
        released.signalAll();
    }
}
