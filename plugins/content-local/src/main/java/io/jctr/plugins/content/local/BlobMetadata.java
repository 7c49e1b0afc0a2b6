package io.jctr.plugins.content.local;

import io.jctr.spi.content.ContentInfo;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The mutable part of a blob's info, kept in {@code meta/sha256/<hex>} as lines of text:
 *
 * <pre>
 * jctr-content-meta v1
 * created 2024-05-01T10:00:00.123456Z
 * updated 2024-05-01T10:00:00.123456Z
 * label &lt;url-encoded key&gt; &lt;url-encoded value&gt;
 * </pre>
 *
 * URL encoding leaves no space or line break in a key or value, so any label survives.
 */
record BlobMetadata(Instant createdAt, Instant updatedAt, Map<String, String> labels) {

    private static final String HEADER = "jctr-content-meta v1";

    BlobMetadata {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** What a blob without a metadata file has: its file time, no labels. */
    static BlobMetadata ofFileTime(Instant modified) {
        return new BlobMetadata(modified, modified, Map.of());
    }

    /** The metadata in {@code file}, or empty when there is none. */
    static Optional<BlobMetadata> read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        return Optional.of(decode(text, file));
    }

    /** Writes this durably and atomically to {@code file}, through {@code temp}. */
    void write(Path file, Path temp) throws IOException {
        DurableFiles.replace(file, bytes(), temp, true);
    }

    byte[] bytes() {
        return encode().getBytes(StandardCharsets.UTF_8);
    }

    /** The same blob with other labels, changed at {@code now} (never before its creation). */
    BlobMetadata withLabels(Map<String, String> newLabels, Instant now) {
        return new BlobMetadata(createdAt, now.isBefore(createdAt) ? createdAt : now, newLabels);
    }

    ContentInfo toInfo(String digest, long size) {
        return new ContentInfo(digest, size, createdAt, updatedAt, labels);
    }

    String encode() {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        out.append("created ").append(createdAt).append('\n');
        out.append("updated ").append(updatedAt).append('\n');
        new TreeMap<>(labels).forEach((k, v) -> out.append("label ").append(enc(k)).append(' ').append(enc(v)).append('\n'));
        return out.toString();
    }

    static BlobMetadata decode(String text, Path source) throws IOException {
        String[] lines = text.split("\n");
        if (!HEADER.equals(lines[0])) {
            throw new IOException("content metadata " + source + " does not start with \"" + HEADER + "\"");
        }
        Instant created = null;
        Instant updated = null;
        Map<String, String> labels = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(" ", -1);
            try {
                if (f.length == 2 && f[0].equals("created")) {
                    created = Instant.parse(f[1]);
                } else if (f.length == 2 && f[0].equals("updated")) {
                    updated = Instant.parse(f[1]);
                } else if (f.length == 3 && f[0].equals("label")) {
                    labels.put(dec(f[1]), dec(f[2]));
                } else {
                    throw new IOException("content metadata " + source + " line " + (i + 1) + " is malformed: " + lines[i]);
                }
            } catch (DateTimeParseException | IllegalArgumentException e) {
                throw new IOException("content metadata " + source + " line " + (i + 1) + " is malformed: " + lines[i], e);
            }
        }
        if (created == null || updated == null) {
            throw new IOException("content metadata " + source + " lacks its created or updated time");
        }
        return new BlobMetadata(created, updated, labels);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String dec(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
