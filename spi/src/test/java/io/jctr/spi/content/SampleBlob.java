package io.jctr.spi.content;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

/**
 * Test content for {@link ContentStoreContract}: reproducible bytes and their digest.
 *
 * @param bytes  the content
 * @param digest its {@code sha256:<hex>} digest
 */
record SampleBlob(byte[] bytes, String digest) {

    /** {@code size} pseudo-random bytes, the same for the same seed. */
    static SampleBlob random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return of(b);
    }

    static SampleBlob of(byte[] bytes) {
        return new SampleBlob(bytes, digestOf(bytes, bytes.length));
    }

    /** The digest of the first {@code n} bytes. */
    String prefixDigest(int n) {
        return digestOf(bytes, n);
    }

    long size() {
        return bytes.length;
    }

    /** Bytes {@code from} (inclusive) to {@code to} (exclusive), as a buffer ready to write. */
    ByteBuffer slice(int from, int to) {
        return ByteBuffer.wrap(Arrays.copyOfRange(bytes, from, to));
    }

    private static String digestOf(byte[] bytes, int n) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(bytes, 0, n);
            return "sha256:" + HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
