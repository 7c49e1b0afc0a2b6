package io.jctr.core.diff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Sha256Test {

    @Test
    void matchesTheJdkAcrossChunkBoundaries() throws Exception {
        byte[] data = new byte[300_000];
        new Random(42).nextBytes(data);
        MessageDigest jdk = MessageDigest.getInstance("SHA-256");
        Sha256 sha = Sha256.create();
        int[] steps = {0, 1, 63, 64, 65, 65_535, 65_536, 65_537, 100_000};
        int off = 1;
        for (int i = 0; off < data.length; i++) {
            int n = Math.min(steps[i % steps.length], data.length - off);
            sha.update(data, off, n);
            jdk.update(data, off, n);
            off += n;
        }
        assertArrayEquals(jdk.digest(), sha.digest());
    }

    @Test
    void emptyInput() throws Exception {
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(), Sha256.create().digest());
    }
}
