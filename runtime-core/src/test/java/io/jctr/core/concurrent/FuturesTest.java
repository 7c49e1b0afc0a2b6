package io.jctr.core.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class FuturesTest {

    @Test
    void aResultIsReturned() throws Exception {
        assertEquals("done", Futures.await(CompletableFuture.completedFuture("done")));
    }

    @Test
    void aFailureIsRethrownAsItselfOrWrappedWhenChecked() {
        IOException io = new IOException("disk");
        assertSame(io, assertThrows(IOException.class, () -> Futures.await(CompletableFuture.failedFuture(io))));
        IllegalStateException ise = new IllegalStateException("state");
        assertSame(ise, assertThrows(IllegalStateException.class, () -> Futures.await(CompletableFuture.failedFuture(ise))));
        InterruptedException ie = new InterruptedException("stop");
        assertSame(ie, assertThrows(InterruptedException.class, () -> Futures.await(CompletableFuture.failedFuture(ie))));
        AssertionError err = new AssertionError("bug");
        assertSame(err, assertThrows(AssertionError.class, () -> Futures.await(CompletableFuture.failedFuture(err))));
        Exception other = new Exception("checked");
        assertSame(other, assertThrows(IOException.class, () -> Futures.await(CompletableFuture.failedFuture(other))).getCause());
    }
}
