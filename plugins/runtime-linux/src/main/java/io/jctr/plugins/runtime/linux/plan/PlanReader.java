package io.jctr.plugins.runtime.linux.plan;

import io.jctr.spi.JctrException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the primitive values {@link PlanWriter} writes, checking every length against what is
 * left, so hostile input fails cleanly. Strings must be valid UTF-8 without NUL bytes. Not
 * thread-safe.
 *
 * <p>Errors are {@link JctrException}s of kind {@code INVALID_ARGUMENT} naming the byte offset.
 */
public final class PlanReader {

    private final ByteBuffer in;

    /** Reads {@code bytes} (not copied; do not change them while reading). */
    public PlanReader(byte[] bytes) {
        this.in = ByteBuffer.wrap(bytes);
    }

    private PlanReader(ByteBuffer in) {
        this.in = in;
    }

    /** The bytes left. */
    public int remaining() {
        return in.remaining();
    }

    /** The offset of the next byte. */
    public int position() {
        return in.position();
    }

    /** A reader over the next {@code length} bytes, which this reader skips. */
    public PlanReader slice(int length) {
        need(length);
        ByteBuffer slice = in.slice();
        slice.limit(length);
        in.position(in.position() + length);
        return new PlanReader(slice);
    }

    public int u8() {
        need(1);
        return in.get() & 0xff;
    }

    public int u16() {
        need(2);
        return in.getShort() & 0xffff;
    }

    public int i32() {
        need(4);
        return in.getInt();
    }

    public long i64() {
        need(8);
        return in.getLong();
    }

    public boolean bool() {
        int v = u8();
        if (v > 1) {
            throw error("boolean byte " + v + " is neither 0 nor 1");
        }
        return v == 1;
    }

    public String str() {
        int length = count(1);
        byte[] bytes = new byte[length];
        in.get(bytes);
        for (byte b : bytes) {
            if (b == 0) {
                throw error("string contains a NUL byte");
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw error("string is not valid UTF-8");
        }
    }

    /** A blob: u32 byte length, then that many bytes, taken as they are. */
    public byte[] blob() {
        byte[] bytes = new byte[count(1)];
        in.get(bytes);
        return bytes;
    }

    public List<String> strs() {
        int n = count(4);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(str());
        }
        return out;
    }

    public List<Long> longs() {
        int n = count(8);
        List<Long> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(i64());
        }
        return out;
    }

    /** Fails unless every byte was read. */
    public void end() {
        if (in.hasRemaining()) {
            throw error(in.remaining() + " unexpected trailing bytes");
        }
    }

    /** An error located at the current offset. */
    public JctrException error(String message) {
        return JctrException.invalidArgument("launch plan: %s at byte %d", message, in.position());
    }

    /** Reads a u32 count of items of at least {@code minSize} bytes each and bounds it. */
    public int count(int minSize) {
        int n = i32();
        if (n < 0 || (long) n * minSize > in.remaining()) {
            throw error("count " + Integer.toUnsignedString(n) + " exceeds the remaining "
                    + in.remaining() + " bytes");
        }
        return n;
    }

    private void need(int n) {
        if (n < 0 || in.remaining() < n) {
            throw error("truncated: need " + n + " bytes, " + in.remaining() + " left");
        }
    }
}
