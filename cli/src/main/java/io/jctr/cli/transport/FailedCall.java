package io.jctr.cli.transport;

import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;

/** A call that fails as soon as it starts: for what this transport does not do. */
final class FailedCall<Q, R> extends ClientCall<Q, R> {

    private final Status status;

    FailedCall(Status status) {
        this.status = status;
    }

    @Override
    public void start(Listener<R> listener, Metadata headers) {
        listener.onClose(status, new Metadata());
    }

    @Override
    public void request(int numMessages) {
    }

    @Override
    public void cancel(String message, Throwable cause) {
    }

    @Override
    public void halfClose() {
    }

    @Override
    public void sendMessage(Q message) {
    }
}
