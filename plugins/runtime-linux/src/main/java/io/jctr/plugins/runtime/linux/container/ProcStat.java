package io.jctr.plugins.runtime.linux.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A process's {@code /proc/<pid>/stat}: its state letter and start time. The start time (clock
 * ticks since boot, field 22) tells a container's init from an unrelated process that reused its
 * pid after it exited — the same check runc makes before it signals or reports a pid.
 *
 * @param state     the state letter, e.g. {@code R}, {@code S}, {@code Z}
 * @param startTime field 22, {@code starttime}
 */
public record ProcStat(char state, long startTime) {

    /** The stat of {@code pid}, or empty when no such process exists. */
    public static Optional<ProcStat> of(int pid) throws IOException {
        if (pid <= 0) {
            return Optional.empty();
        }
        String text;
        try {
            text = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // ESRCH while reading: the process went away between open and read.
            if (!Files.exists(Path.of("/proc", Integer.toString(pid)))) {
                return Optional.empty();
            }
            throw e;
        }
        return Optional.of(parse(text));
    }

    /**
     * Parses a stat line. The command name (field 2) is in parentheses and may itself contain
     * spaces and parentheses, so fields are counted from the last {@code ')'}.
     */
    static ProcStat parse(String line) {
        int close = line.lastIndexOf(')');
        if (close < 0 || close + 2 >= line.length()) {
            throw new IllegalArgumentException("malformed /proc stat line: " + line);
        }
        String[] fields = line.substring(close + 2).trim().split(" ");
        // fields[0] is field 3 (state); starttime is field 22.
        if (fields.length < 20) {
            throw new IllegalArgumentException("malformed /proc stat line: " + line);
        }
        return new ProcStat(fields[0].charAt(0), Long.parseLong(fields[19]));
    }

    /** Whether the process has exited and waits to be reaped (or is dead). */
    public boolean exited() {
        return state == 'Z' || state == 'X' || state == 'x';
    }

    /** Whether {@code pid} is alive and is the process that started at {@code startTime}. */
    public static boolean alive(int pid, long startTime) throws IOException {
        Optional<ProcStat> stat = of(pid);
        return stat.isPresent() && stat.get().startTime() == startTime && !stat.get().exited();
    }
}
