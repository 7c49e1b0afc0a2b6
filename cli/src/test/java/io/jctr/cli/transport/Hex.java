package io.jctr.cli.transport;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/** Hex dumps as RFC 7541 prints them ("8286 8441 ..."). */
final class Hex {

    private Hex() {
    }

    static byte[] bytes(String dump) {
        return HexFormat.of().parseHex(dump.replaceAll("\\s+", ""));
    }

    static ByteBuffer buffer(String dump) {
        return ByteBuffer.wrap(bytes(dump));
    }
}
