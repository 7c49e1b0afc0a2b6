package io.jctr.core.concurrent;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting for a task the way its caller would have run it in line. */
public final class Futures {

    private Futures() {
    }

    /**
     * The task's result; its failure rethrown as itself (an {@link IOException}, unchecked
     * exception, {@link InterruptedException} or {@link Error}), anything else checked wrapped in
     * an {@link IOException}, so that a task on another thread fails its caller as it would
     * have in the caller's thread.
     */
    public static <T> T await(Future<T> task) throws IOException, InterruptedException {
        try {
            return task.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof InterruptedException ie) {
                throw ie;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IOException(c);
        }
    }
}
