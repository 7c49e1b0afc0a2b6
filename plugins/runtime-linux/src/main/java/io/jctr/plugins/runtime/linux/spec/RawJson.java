package io.jctr.plugins.runtime.linux.spec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The exact bytes a {@link RuntimeSpec} was parsed from, so the spec can be handed back verbatim
 * (to hooks, to {@code state}, to containerd's task API) with the fields this model does not know
 * about intact. Immutable: the bytes are copied in and out. Thread-safe.
 */
public final class RawJson {

    private final byte[] bytes;

    /** Copies {@code bytes}. */
    public RawJson(byte[] bytes) {
        this.bytes = bytes.clone();
    }

    /** A copy of the bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The bytes decoded as UTF-8 (JSON's encoding, RFC 8259). */
    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The number of bytes. */
    public int size() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawJson other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "RawJson[" + bytes.length + " bytes]";
    }
}
