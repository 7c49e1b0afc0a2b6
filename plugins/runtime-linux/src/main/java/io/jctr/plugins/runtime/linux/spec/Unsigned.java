package io.jctr.plugins.runtime.linux.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;
import java.math.BigInteger;

/**
 * Jackson deserializers for the spec's unsigned integer fields. Java has no unsigned types, so a
 * {@code uint16} or {@code uint32} lands in a {@code long} with its exact value, and a
 * {@code uint64} lands in a {@code long} holding the same 64 bits (read it back with
 * {@link Long#toUnsignedString(long)}; {@code 18446744073709551615}, RLIM_INFINITY, becomes
 * {@code -1L}). Anything that is not an integer in range fails with the value in the message, so
 * the parser can report it at its JSON path.
 */
final class Unsigned {

    private Unsigned() {
    }

    /** Reads an integer in {@code [0, 2^bits)} and returns it as a long's bit pattern. */
    abstract static class Base extends StdDeserializer<Long> {

        private final int bits;
        private final BigInteger limit;
        private final Long absent;

        Base(int bits, Long absent) {
            super(Long.class);
            this.bits = bits;
            this.limit = BigInteger.ONE.shiftLeft(bits);
            this.absent = absent;
        }

        /** What an absent or {@code null} field becomes: 0 for a primitive, else null. */
        @Override
        public Long getNullValue(DeserializationContext ctxt) {
            return absent;
        }

        @Override
        public Long deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                return (Long) ctxt.handleUnexpectedToken(Long.class, p);
            }
            BigInteger value = p.getBigIntegerValue();
            if (value.signum() < 0 || value.compareTo(limit) >= 0) {
                throw JsonMappingException.from(p, value + " is out of range for uint" + bits);
            }
            return value.longValue();
        }
    }

    /** {@code uint32} into a {@code long}, absent is 0: ids, sizes of id mappings. */
    static final class Uint32 extends Base {
        Uint32() {
            super(32, 0L);
        }
    }

    /** {@code uint64} into a {@code long}, absent is 0: rlimits, rates. */
    static final class Uint64 extends Base {
        Uint64() {
            super(64, 0L);
        }
    }

    /** {@code uint16} into a {@code Long}, absent is {@code null}: blkio weights. */
    static final class OptionalUint16 extends Base {
        OptionalUint16() {
            super(16, null);
        }
    }

    /** {@code uint32} into a {@code Long}, absent is {@code null}: umask, modes, errnos. */
    static final class OptionalUint32 extends Base {
        OptionalUint32() {
            super(32, null);
        }
    }

    /** {@code uint64} into a {@code Long}, absent is {@code null}: cgroup quantities. */
    static final class OptionalUint64 extends Base {
        OptionalUint64() {
            super(64, null);
        }
    }
}
