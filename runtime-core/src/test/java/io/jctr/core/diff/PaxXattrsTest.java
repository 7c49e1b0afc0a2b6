package io.jctr.core.diff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jctr.spi.JctrException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PaxXattrsTest {

    private static byte[] record(String key, byte[] value) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        int body = k.length + value.length + 3;
        int len = body + Integer.toString(body).length();
        len += Integer.toString(len).length() - Integer.toString(body).length();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((len + " " + key + "=").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(value);
        out.write('\n');
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void readsBinarySchilyValuesAndLibarchiveBase64() {
        byte[] binary = {0, '\n', '=', (byte) 0xff, ' ', '9'};
        Map<String, byte[]> x = PaxXattrs.parse(concat(
                record("path", "some/where".getBytes(StandardCharsets.UTF_8)),
                record("SCHILY.xattr.security.capability", binary),
                record("LIBARCHIVE.xattr.user.a%20b+c", "AAEC".getBytes(StandardCharsets.US_ASCII)),
                record("LIBARCHIVE.xattr.security.capability", "AAAA".getBytes(StandardCharsets.US_ASCII)),
                record("SCHILY.xattr.user.empty", new byte[0])), "e");
        assertEquals(3, x.size());
        assertArrayEquals(binary, x.get("security.capability"), "SCHILY wins over LIBARCHIVE");
        assertArrayEquals(new byte[] {0, 1, 2}, x.get("user.a b+c"));
        assertArrayEquals(new byte[0], x.get("user.empty"));
    }

    @Test
    void noRecordsNoXattrs() {
        assertEquals(Map.of(), PaxXattrs.parse(new byte[0], "e"));
    }

    @Test
    void refusesMalformedRecords() {
        for (String bad : new String[] {"5 a=b\n", "x a=b\n", "99 a=b\n", "6 ab\n\n", "0 =\n"}) {
            JctrException e = assertThrows(JctrException.class, () -> PaxXattrs.parse(bad.getBytes(StandardCharsets.UTF_8), "f"));
            assertEquals("layer entry \"f\": malformed pax extended header: invalid argument", e.getMessage(), bad);
        }
        assertThrows(JctrException.class, () -> PaxXattrs.parse(record("LIBARCHIVE.xattr.user.x", "!!".getBytes(StandardCharsets.UTF_8)), "f"));
        assertThrows(JctrException.class, () -> PaxXattrs.parse(record("LIBARCHIVE.xattr.user.%zz", "AA".getBytes(StandardCharsets.UTF_8)), "f"));
    }
}
