package io.jctr.plugins.runtime.linux.shim;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Matches the exits a shim reports to the processes the runtime waits for. Exits can arrive
 * before anyone asks (a fast exec, the recorded exits read at re-attach) and the same exit can
 * arrive twice (in the file and on the socket), so each is kept until claimed, and a claim
 * names the earliest time the exit may have: a pid reused within the task never matches an
 * older exit. Futures are completed on the calling thread, outside the book's lock.
 * Thread-safe.
 */
final class ExitBook {

    /** Far more than a task has processes in flight; older unclaimed exits are orphans'. */
    private static final int MAX_KEPT = 4096;

    private record Waiter(Instant notBefore, CompletableFuture<ShimExit> future) {
    }

    private final LinkedHashSet<ShimExit> known = new LinkedHashSet<>();
    private final Map<Integer, List<ShimExit>> unclaimed = new HashMap<>();
    private final Map<Integer, List<Waiter>> waiters = new HashMap<>();
    private IOException lost;

    /** Books an exit; completes the waiter it belongs to, if any. */
    void add(ShimExit e) {
        List<CompletableFuture<ShimExit>> complete = new ArrayList<>();
        synchronized (this) {
            if (!known.add(e)) {
                return;
            }
            if (known.size() > MAX_KEPT) {
                ShimExit oldest = known.iterator().next();
                known.remove(oldest);
                List<ShimExit> l = unclaimed.get(oldest.pid());
                if (l != null && l.remove(oldest) && l.isEmpty()) {
                    unclaimed.remove(oldest.pid());
                }
            }
            List<Waiter> ws = waiters.get(e.pid());
            boolean claimed = false;
            if (ws != null) {
                for (Iterator<Waiter> i = ws.iterator(); i.hasNext(); ) {
                    Waiter w = i.next();
                    if (!e.at().isBefore(w.notBefore())) {
                        complete.add(w.future());
                        i.remove();
                        claimed = true;
                    }
                }
                if (ws.isEmpty()) {
                    waiters.remove(e.pid());
                }
            }
            if (!claimed) {
                unclaimed.computeIfAbsent(e.pid(), p -> new ArrayList<>()).add(e);
            }
        }
        complete.forEach(f -> f.complete(e));
    }

    /** The exit of {@code pid} at or after {@code notBefore}, when it comes. */
    synchronized CompletableFuture<ShimExit> exitOf(int pid, Instant notBefore) {
        List<ShimExit> l = unclaimed.get(pid);
        if (l != null) {
            for (int i = l.size() - 1; i >= 0; i--) {
                if (!l.get(i).at().isBefore(notBefore)) {
                    ShimExit e = l.remove(i);
                    if (l.isEmpty()) {
                        unclaimed.remove(pid);
                    }
                    return CompletableFuture.completedFuture(e);
                }
            }
        }
        if (lost != null) {
            return CompletableFuture.failedFuture(lost);
        }
        CompletableFuture<ShimExit> f = new CompletableFuture<>();
        waiters.computeIfAbsent(pid, p -> new ArrayList<>()).add(new Waiter(notBefore, f));
        return f;
    }

    /** No more exits will come: every waiter, and every later claim, fails with {@code why}. */
    void lose(IOException why) {
        List<Waiter> all = new ArrayList<>();
        synchronized (this) {
            lost = why;
            waiters.values().forEach(all::addAll);
            waiters.clear();
        }
        all.forEach(w -> w.future().completeExceptionally(why));
    }
}
