package io.jctr.plugins.runtime.linux.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExitBookTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void anExitReachesItsWaiterWhetherItCameBeforeOrAfter() throws Exception {
        ExitBook book = new ExitBook();
        ShimExit early = new ShimExit(10, 3 << 8, T0.plusSeconds(1));
        book.add(early);
        assertEquals(early, book.exitOf(10, T0).get());
        CompletableFuture<ShimExit> later = book.exitOf(11, T0);
        assertFalse(later.isDone());
        ShimExit e = new ShimExit(11, 9, T0.plusSeconds(2));
        book.add(e);
        assertEquals(e, later.get());
        assertEquals(137, e.code());
        assertEquals(3, early.code());
    }

    @Test
    void anOlderExitOfAReusedPidIsNotTaken() throws Exception {
        ExitBook book = new ExitBook();
        book.add(new ShimExit(10, 0, T0));
        CompletableFuture<ShimExit> f = book.exitOf(10, T0.plusSeconds(5));
        assertFalse(f.isDone(), "the exit of an earlier process with the same pid");
        ShimExit mine = new ShimExit(10, 1 << 8, T0.plusSeconds(6));
        book.add(mine);
        assertEquals(mine, f.get());
    }

    @Test
    void theSameExitTwiceCountsOnce() throws Exception {
        ExitBook book = new ExitBook();
        ShimExit e = new ShimExit(10, 0, T0);
        book.add(e); // from the file
        assertEquals(e, book.exitOf(10, T0).get());
        book.add(e); // and again on the socket
        assertFalse(book.exitOf(10, T0).isDone());
    }

    @Test
    void losingTheShimFailsTheWaitsButNotWhatWasRecorded() throws Exception {
        ExitBook book = new ExitBook();
        CompletableFuture<ShimExit> waiting = book.exitOf(10, T0);
        book.add(new ShimExit(11, 0, T0));
        book.lose(new ShimGoneException("gone"));
        ExecutionException x = assertThrows(ExecutionException.class, waiting::get);
        assertInstanceOf(ShimGoneException.class, x.getCause());
        assertTrue(book.exitOf(11, T0).isDone());
        assertTrue(book.exitOf(12, T0).isCompletedExceptionally());
    }

    @Test
    void theExitsFileIsReadLineByLine(@TempDir Path dir) throws Exception {
        assertEquals(List.of(), ExitsFile.read(dir));
        Files.writeString(dir.resolve(ExitsFile.NAME), "10 768 1767225600000000001\n11 9 1767225601500000000\n");
        assertEquals(List.of(new ShimExit(10, 768, T0.plusNanos(1)), new ShimExit(11, 9, T0.plusMillis(1500))),
                ExitsFile.read(dir));
    }
}
