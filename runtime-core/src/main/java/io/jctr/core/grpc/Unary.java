package io.jctr.core.grpc;

import io.grpc.stub.StreamObserver;
import io.jctr.spi.JctrException;
import java.io.IOException;
import java.util.function.Supplier;

/** Runs the body of a unary call and answers with its result or with the mapped error status. */
public final class Unary {

    private Unary() {
    }

    /** A call body that may fail with an I/O error of the storage. */
    public interface IoBody<T> {
        T get() throws IOException;
    }

    /** As {@link #respond}, for bodies doing storage I/O: an {@link IOException} answers UNKNOWN with its message. */
    public static <T> void respondIo(StreamObserver<T> observer, IoBody<T> body) {
        respond(observer, () -> {
            try {
                return body.get();
            } catch (IOException e) {
                throw new JctrException(JctrException.Kind.UNKNOWN, e.getMessage() == null ? e.toString() : e.getMessage(), e);
            }
        });
    }

    public static <T> void respond(StreamObserver<T> observer, Supplier<T> body) {
        T result;
        try {
            result = body.get();
        } catch (RuntimeException e) {
            observer.onError(GrpcErrors.toStatus(e));
            return;
        }
        observer.onNext(result);
        observer.onCompleted();
    }
}
