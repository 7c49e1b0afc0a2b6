package io.jctr.spi.snapshots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jctr.spi.JctrException;
import io.jctr.spi.JctrException.Kind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The thread-safety promises of {@link Snapshotter}: racing calls on one key are serialised and
 * the loser sees the error the winner's result implies; a parent cannot be removed under a child
 * being created. No root needed.
 */
public interface SnapshotterConcurrencyTests extends ContractFixture {

    @Test
    default void racingPreparesOfOneKeyHaveOneWinner() throws Exception {
        List<Outcome> outcomes = race(8, i -> () -> snapshotter().prepare("same", "", null));
        assertEquals(1, outcomes.stream().filter(o -> o == Outcome.OK).count(), outcomes.toString());
        assertTrue(outcomes.stream().allMatch(o -> o == Outcome.OK || o == Outcome.ALREADY_EXISTS), outcomes.toString());
    }

    @Test
    default void preparesOfDifferentKeysAllSucceed() throws Exception {
        snapshotter().prepare("a", "", null);
        snapshotter().commit("base", "a", null);
        List<Outcome> outcomes = race(8, i -> () -> snapshotter().prepare("child-" + i, "base", null));
        assertTrue(outcomes.stream().allMatch(o -> o == Outcome.OK), outcomes.toString());
        Set<String> names = new HashSet<>();
        snapshotter().walk(info -> "base".equals(info.parent()), info -> names.add(info.name()));
        assertEquals(8, names.size());
    }

    @Test
    default void racingCommitsToOneNameHaveOneWinner() throws Exception {
        for (int i = 0; i < 4; i++) {
            snapshotter().prepare("active-" + i, "", null);
        }
        List<Outcome> outcomes = race(4, i -> () -> {
            snapshotter().commit("name", "active-" + i, null);
            return null;
        });
        assertEquals(1, outcomes.stream().filter(o -> o == Outcome.OK).count(), outcomes.toString());
        assertEquals(3, outcomes.stream().filter(o -> o == Outcome.ALREADY_EXISTS).count(), outcomes.toString());
    }

    @Test
    default void removingAParentRacesCleanlyWithPreparingAChild() throws Exception {
        for (int round = 0; round < 20; round++) {
            String parent = "parent-" + round;
            snapshotter().prepare("a-" + round, "", null);
            snapshotter().commit(parent, "a-" + round, null);
            List<Outcome> outcomes = race(2, i -> i == 0
                    ? () -> snapshotter().prepare("child-" + parent, parent, null)
                    : () -> {
                        snapshotter().remove(parent);
                        return null;
                    });
            boolean childWon = outcomes.equals(List.of(Outcome.OK, Outcome.FAILED_PRECONDITION));
            boolean removeWon = outcomes.equals(List.of(Outcome.NOT_FOUND, Outcome.OK));
            assertTrue(childWon || removeWon, "round " + round + ": " + outcomes);
            if (childWon) {
                assertEquals(parent, snapshotter().stat("child-" + parent).parent());
                assertEquals(SnapshotKind.COMMITTED, snapshotter().stat(parent).kind());
            }
        }
    }

    /** What one racing call came to. */
    enum Outcome { OK, ALREADY_EXISTS, NOT_FOUND, FAILED_PRECONDITION, INVALID_ARGUMENT }

    /** A racing call number {@code i}. */
    interface Racer {
        Callable<Object> call(int i);
    }

    /** Starts {@code n} calls at once and returns their outcomes in call order. */
    private static List<Outcome> race(int n, Racer racer) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Object>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Callable<Object> call = racer.call(i);
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Object> f : futures) {
                outcomes.add(outcome(f));
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
    }

    private static Outcome outcome(Future<Object> f) throws InterruptedException {
        try {
            f.get();
            return Outcome.OK;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof JctrException j) {
                Kind kind = j.kind();
                return switch (kind) {
                    case ALREADY_EXISTS -> Outcome.ALREADY_EXISTS;
                    case NOT_FOUND -> Outcome.NOT_FOUND;
                    case FAILED_PRECONDITION -> Outcome.FAILED_PRECONDITION;
                    case INVALID_ARGUMENT -> Outcome.INVALID_ARGUMENT;
                    default -> throw new AssertionError("unexpected error kind", j);
                };
            }
            throw new AssertionError("unexpected failure", e.getCause());
        }
    }
}
