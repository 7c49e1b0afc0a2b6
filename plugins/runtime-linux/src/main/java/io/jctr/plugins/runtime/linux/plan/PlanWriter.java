package io.jctr.plugins.runtime.linux.plan;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes the primitive values of the plan format (see {@link PlanEncoder}): big-endian
 * integers, length-prefixed UTF-8 strings and byte blobs, and counted lists. Not thread-safe.
 */
public final class PlanWriter {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** An unsigned byte. */
    public PlanWriter u8(int v) {
        out.write(v);
        return this;
    }

    /** An unsigned 16-bit integer. */
    public PlanWriter u16(int v) {
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    /** A 32-bit integer. */
    public PlanWriter i32(int v) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            out.write(v >>> shift);
        }
        return this;
    }

    /** A 64-bit integer (also an unsigned one's bits). */
    public PlanWriter i64(long v) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (v >>> shift));
        }
        return this;
    }

    /** A boolean as one byte, 0 or 1. */
    public PlanWriter bool(boolean v) {
        return u8(v ? 1 : 0);
    }

    /** A string: u32 byte length, then UTF-8 bytes, no terminator. */
    public PlanWriter str(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        i32(bytes.length);
        out.write(bytes, 0, bytes.length);
        return this;
    }

    /** A list of strings: u32 count, then each string. */
    public PlanWriter strs(List<String> list) {
        i32(list.size());
        list.forEach(this::str);
        return this;
    }

    /** A list of 64-bit integers: u32 count, then each. */
    public PlanWriter longs(List<Long> list) {
        i32(list.size());
        list.forEach(this::i64);
        return this;
    }

    /** A blob: u32 byte length, then the bytes as they are. */
    public PlanWriter blob(byte[] bytes) {
        i32(bytes.length);
        return bytes(bytes);
    }

    /** Raw bytes, as they are. */
    public PlanWriter bytes(byte[] bytes) {
        out.write(bytes, 0, bytes.length);
        return this;
    }

    /** Everything written so far. */
    public byte[] toByteArray() {
        return out.toByteArray();
    }
}
