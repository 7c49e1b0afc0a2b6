package io.jctr.cli;

import com.google.protobuf.Timestamp;
import io.jctr.api.services.snapshots.v1.Info;
import io.jctr.api.services.snapshots.v1.Kind;
import io.jctr.api.types.Mount;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The text {@code ctr snapshots} prints, byte for byte, built from API messages. */
final class SnapshotsOutput {

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"};

    private SnapshotsOutput() {
    }

    /** The kind as containerd's {@code snapshots.Kind.String()} names it. */
    static String kind(Kind k) {
        return switch (k) {
            case VIEW -> "View";
            case ACTIVE -> "Active";
            case COMMITTED -> "Committed";
            default -> "Unknown";
        };
    }

    /** One {@code mount -t TYPE SOURCE TARGET -o OPTIONS} line per mount, as ctr's printMounts. */
    static List<String> mountLines(String target, List<Mount> mounts) {
        List<String> lines = new ArrayList<>();
        for (Mount m : mounts) {
            String at = m.getTarget().isEmpty() ? target : target.replaceAll("/+$", "") + "/" + m.getTarget().replaceAll("^/+", "");
            lines.add("mount -t " + m.getType() + " " + m.getSource() + " " + at + " -o " + String.join(",", m.getOptionsList()));
        }
        return lines;
    }

    /** The mounts as ctr's {@code --mounts} prints them: Go's JSON of {@code []mount.Mount}. */
    static String mountsJson(List<Mount> mounts) {
        List<Object> list = new ArrayList<>();
        for (Mount m : mounts) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("Type", m.getType());
            o.put("Source", m.getSource());
            if (!m.getTarget().isEmpty()) {
                o.put("Target", m.getTarget());
            }
            // Go marshals the nil slice of a mount without options as null
            o.put("Options", m.getOptionsCount() == 0 ? null : m.getOptionsList());
            list.add(o);
        }
        return goIndent(JsonWriter.write(list));
    }

    /** The snapshot as {@code ctr snapshots info} prints it: Go's JSON of {@code snapshots.Info}. */
    static String infoJson(Info i) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("Kind", kind(i.getKind()));
        o.put("Name", i.getName());
        if (!i.getParent().isEmpty()) {
            o.put("Parent", i.getParent());
        }
        if (i.getLabelsCount() > 0) {
            o.put("Labels", new TreeMap<>(i.getLabelsMap()));
        }
        o.put("Created", goTime(i.getCreatedAt()));
        o.put("Updated", goTime(i.getUpdatedAt()));
        return goIndent(JsonWriter.write(o));
    }

    /** Go's RFC 3339 with nanoseconds, trailing zeros of the fraction dropped, in UTC. */
    static String goTime(Timestamp t) {
        StringBuilder b = new StringBuilder(SECONDS.format(Instant.ofEpochSecond(t.getSeconds())));
        if (t.getNanos() != 0) {
            b.append('.').append(String.format(Locale.ROOT, "%09d", t.getNanos()).replaceAll("0+$", ""));
        }
        return b.append('Z').toString();
    }

    /** A size as ctr's {@code progress.Bytes}: one decimal, binary units, {@code 0.0 B} to {@code 1.5 GiB}. */
    static String size(long bytes) {
        double v = bytes;
        int i = 0;
        while (v >= 1024 && i < UNITS.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, UNITS[i]);
    }

    /**
     * Re-indents {@link JsonWriter}'s two-space JSON with Go's four ({@code json.MarshalIndent}
     * as ctr calls it). Safe line by line: JsonWriter escapes newlines inside strings, so every
     * leading space is indentation.
     */
    private static String goIndent(String json) {
        StringBuilder b = new StringBuilder();
        for (String line : json.split("\n", -1)) {
            int n = 0;
            while (n < line.length() && line.charAt(n) == ' ') {
                n++;
            }
            if (b.length() > 0) {
                b.append('\n');
            }
            b.append(" ".repeat(2 * n)).append(line, n, line.length());
        }
        return b.toString();
    }
}
