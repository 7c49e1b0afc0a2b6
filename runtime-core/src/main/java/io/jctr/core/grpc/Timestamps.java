package io.jctr.core.grpc;

import com.google.protobuf.Timestamp;
import java.time.Instant;

/** Conversions between stored RFC 3339 strings and protobuf timestamps. */
public final class Timestamps {

    private Timestamps() {
    }

    public static Timestamp of(Instant i) {
        return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
    }

    public static Timestamp parse(String rfc3339) {
        return of(Instant.parse(rfc3339));
    }
}
