package io.jctr.plugins.runtime.linux.shim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A shim's record of the exits it observed, {@code <task dir>/exits}: one line
 * {@code PID WAIT-STATUS UNIX-NANOS} per reaped child, appended (one write per line) before the
 * exit is reported. It is how a restarted runtime learns the exit codes of processes that ended
 * while it was down, and what is left of a shim that was killed.
 */
public final class ExitsFile {

    /** The file's name in the task's directory. */
    public static final String NAME = "exits";

    private ExitsFile() {
    }

    /** Every exit recorded in {@code dir}, oldest first; none when there is no file. */
    public static List<ShimExit> read(Path dir) throws IOException {
        String text;
        try {
            text = Files.readString(dir.resolve(NAME), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        List<ShimExit> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.split(" ");
            if (f.length != 3) {
                continue; // only a line being written could be short, and writes are whole lines
            }
            try {
                out.add(new ShimExit(Integer.parseInt(f[0]), Integer.parseInt(f[1]),
                        ShimExit.instant(Long.parseLong(f[2]))));
            } catch (NumberFormatException e) {
                throw new IOException("malformed line in " + dir.resolve(NAME) + ": " + line);
            }
        }
        return out;
    }
}
