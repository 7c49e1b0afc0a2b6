package io.jctr.core.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.jctr.spi.JctrException;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Maps engine errors to gRPC statuses the way containerd's errdefs.ToGRPC does. */
public final class GrpcErrors {

    private static final Logger LOG = Logger.getLogger(GrpcErrors.class.getName());

    private GrpcErrors() {
    }

    public static StatusRuntimeException toStatus(Throwable t) {
        if (t instanceof StatusRuntimeException s) {
            return s;
        }
        if (t instanceof JctrException e) {
            return code(e.kind()).withDescription(e.getMessage()).asRuntimeException();
        }
        LOG.log(Level.WARNING, "unexpected failure in an API call: " + t, t);
        String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return Status.UNKNOWN.withDescription(msg).asRuntimeException();
    }

    static Status code(JctrException.Kind kind) {
        return switch (kind) {
            case INVALID_ARGUMENT -> Status.INVALID_ARGUMENT;
            case NOT_FOUND -> Status.NOT_FOUND;
            case ALREADY_EXISTS -> Status.ALREADY_EXISTS;
            case FAILED_PRECONDITION -> Status.FAILED_PRECONDITION;
            case UNAVAILABLE -> Status.UNAVAILABLE;
            case OUT_OF_RANGE -> Status.OUT_OF_RANGE;
            case NOT_IMPLEMENTED -> Status.UNIMPLEMENTED;
            case ABORTED -> Status.ABORTED;
            case UNKNOWN -> Status.UNKNOWN;
        };
    }
}
