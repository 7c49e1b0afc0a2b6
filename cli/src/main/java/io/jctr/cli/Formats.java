package io.jctr.cli;

import com.google.protobuf.Timestamp;
import java.time.Instant;
import java.util.Locale;

/** Human forms of sizes and times for tables, as ctr prints them. */
final class Formats {

    private Formats() {
    }

    /** 1.0 MiB-style size with binary units. */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int i = -1;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[i]);
    }

    static String time(Timestamp t) {
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos()).toString();
    }
}
