package io.jctr.plugins.snapshots.store;

import io.jctr.spi.snapshots.SnapshotInfo;
import io.jctr.spi.snapshots.SnapshotKind;
import io.jctr.spi.snapshots.Usage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * What the snapshotter records about one snapshot, in {@code metadata/<id>.snap}. The numeric id
 * names the snapshot's directory and its record file and never changes, not even on commit: a
 * commit rewrites the record of the same id with the new kind and key.
 *
 * <p>The file is a {@link Properties} text, which escapes any character a key or label may hold.
 *
 * @param usage what the snapshot uses on disk, measured at commit; zero until then
 */
public record SnapshotRecord(long id, SnapshotKind kind, String key, String parent, Map<String, String> labels,
                             Instant createdAt, Instant updatedAt, Usage usage) {

    private static final String FORMAT = "1";
    private static final String LABEL = "label.";

    public SnapshotRecord {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(usage, "usage");
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    SnapshotInfo info() {
        return new SnapshotInfo(kind, key, parent, labels, createdAt, updatedAt);
    }

    SnapshotRecord withLabels(Map<String, String> newLabels, Instant now) {
        return new SnapshotRecord(id, kind, key, parent, newLabels, createdAt, now, usage);
    }

    /**
     * The committed snapshot {@code name} that replaces this active one, under the same id, on
     * {@code onto} when rebased ({@code ""}: on its own parent).
     */
    SnapshotRecord committed(String onto, String name, Map<String, String> newLabels, Instant now, Usage measured) {
        return new SnapshotRecord(id, SnapshotKind.COMMITTED, name, onto.isEmpty() ? parent : onto, newLabels, now, now,
                measured);
    }

    byte[] encode() throws IOException {
        Properties p = new Properties();
        p.setProperty("format", FORMAT);
        p.setProperty("kind", kind.name());
        p.setProperty("key", key);
        p.setProperty("parent", parent);
        p.setProperty("created", createdAt.toString());
        p.setProperty("updated", updatedAt.toString());
        p.setProperty("usage.size", Long.toString(usage.size()));
        p.setProperty("usage.inodes", Long.toString(usage.inodes()));
        labels.forEach((k, v) -> p.setProperty(LABEL + k, v));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.store(out, null);
        return out.toByteArray();
    }

    static SnapshotRecord decode(long id, byte[] bytes) throws IOException {
        Properties p = new Properties();
        p.load(new ByteArrayInputStream(bytes));
        try {
            if (!FORMAT.equals(required(p, id, "format"))) {
                throw new IOException("snapshot record " + id + ": unknown format \"" + p.getProperty("format") + "\"");
            }
            Map<String, String> labels = new HashMap<>();
            for (String name : p.stringPropertyNames()) {
                if (name.startsWith(LABEL)) {
                    labels.put(name.substring(LABEL.length()), p.getProperty(name));
                }
            }
            return new SnapshotRecord(id, SnapshotKind.valueOf(required(p, id, "kind")), required(p, id, "key"),
                    required(p, id, "parent"), labels, Instant.parse(required(p, id, "created")),
                    Instant.parse(required(p, id, "updated")),
                    new Usage(Long.parseLong(required(p, id, "usage.size")), Long.parseLong(required(p, id, "usage.inodes"))));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new IOException("snapshot record " + id + ": " + e.getMessage(), e);
        }
    }

    private static String required(Properties p, long id, String name) throws IOException {
        String value = p.getProperty(name);
        if (value == null) {
            throw new IOException("snapshot record " + id + ": missing " + name);
        }
        return value;
    }
}
