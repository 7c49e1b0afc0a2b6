package io.jctr.cli.progress;

import java.util.Locale;

/** Sizes and rates in binary units, as the progress lines show them. */
public final class ByteFormat {

    private ByteFormat() {
    }

    public static String size(long bytes) {
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

    public static String rate(double bytesPerSecond) {
        return size((long) bytesPerSecond) + "/s";
    }
}
