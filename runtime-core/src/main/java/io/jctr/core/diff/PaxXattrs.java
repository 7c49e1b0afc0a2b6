package io.jctr.core.diff;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Extended attributes from raw PAX records: {@code SCHILY.xattr.<name>=<raw bytes>} (GNU tar, Go,
 * Docker, containerd) and {@code LIBARCHIVE.xattr.<%-encoded name>=<base64>} (bsdtar). The
 * records are length-prefixed, so values may hold any byte. Where both name the same attribute,
 * the SCHILY value wins.
 */
final class PaxXattrs {

    private static final String SCHILY = "SCHILY.xattr.";
    private static final String LIBARCHIVE = "LIBARCHIVE.xattr.";

    private PaxXattrs() {
    }

    /**
     * The xattrs in {@code records} for entry {@code entry}.
     *
     * @throws io.jctr.spi.JctrException INVALID_ARGUMENT naming the entry for a malformed record
     */
    static Map<String, byte[]> parse(byte[] records, String entry) {
        Map<String, byte[]> schily = new LinkedHashMap<>();
        Map<String, byte[]> libarchive = new LinkedHashMap<>();
        int pos = 0;
        while (pos < records.length) {
            int space = indexOf(records, (byte) ' ', pos, records.length);
            int length = space < 0 ? -1 : parseLength(records, pos, space);
            int end = pos + length;
            int equals = length <= 0 || end > records.length ? -1 : indexOf(records, (byte) '=', space + 1, end);
            if (equals < 0 || records[end - 1] != '\n') {
                throw EntryNames.invalid(entry, "malformed pax extended header");
            }
            String key = new String(records, space + 1, equals - space - 1, StandardCharsets.UTF_8);
            byte[] value = Arrays.copyOfRange(records, equals + 1, end - 1);
            if (key.startsWith(SCHILY)) {
                schily.put(key.substring(SCHILY.length()), value);
            } else if (key.startsWith(LIBARCHIVE)) {
                libarchive.put(percentDecode(key.substring(LIBARCHIVE.length()), entry), base64(value, key, entry));
            }
            pos = end;
        }
        libarchive.forEach(schily::putIfAbsent);
        return schily;
    }

    private static int parseLength(byte[] b, int from, int to) {
        if (to == from || to - from > 9) {
            return -1;
        }
        int n = 0;
        for (int i = from; i < to; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return -1;
            }
            n = n * 10 + b[i] - '0';
        }
        return n;
    }

    private static int indexOf(byte[] b, byte wanted, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] base64(byte[] value, String key, String entry) {
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw EntryNames.invalid(entry, "pax record " + EntryNames.quote(key) + " is not base64");
        }
    }

    /** libarchive's %XX encoding of xattr names; '+' is literal, unlike URL form encoding. */
    private static String percentDecode(String name, String entry) {
        byte[] in = name.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[in.length];
        int n = 0;
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '%') {
                int hi = i + 2 < in.length ? Character.digit(in[i + 1], 16) : -1;
                int lo = hi < 0 ? -1 : Character.digit(in[i + 2], 16);
                if (lo < 0) {
                    throw EntryNames.invalid(entry, "malformed xattr name " + EntryNames.quote(name));
                }
                out[n++] = (byte) (hi << 4 | lo);
                i += 2;
            } else {
                out[n++] = in[i];
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }
}
