package io.jctr.plugins.runtime.linux.checkpoint;

import io.jctr.spi.JctrException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code criu} command. A failure becomes one line naming the action and CRIU's first
 * error from its log (or its last line on stderr when the log has none), and the log's path:
 * {@code criu dump failed: vdso: Unexpected rt vDSO area bounds (log: /w/dump.log)}. Thread-safe.
 */
public final class Criu {

    /** Where Debian's package installs it; else {@code criu} on the PATH. */
    private static final Path DEBIAN = Path.of("/usr/sbin/criu");
    /** A dump of a large container takes long; a wedged CRIU should not hang the runtime. */
    private static final long TIMEOUT_MINUTES = 30;

    private final Path binary;

    /** CRIU at {@code binary}. */
    public Criu(Path binary) {
        this.binary = binary;
    }

    /**
     * The system's CRIU: {@code $JCTR_CRIU}, {@code /usr/sbin/criu}, or {@code criu} on the PATH.
     *
     * @throws JctrException {@code FAILED_PRECONDITION} when there is none
     */
    public static Criu system() {
        String env = System.getenv("JCTR_CRIU");
        if (env != null && !env.isEmpty()) {
            return new Criu(Path.of(env));
        }
        if (Files.isExecutable(DEBIAN)) {
            return new Criu(DEBIAN);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "criu");
            if (Files.isExecutable(p)) {
                return new Criu(p);
            }
        }
        throw JctrException.failedPrecondition("criu is not installed (Debian package criu)");
    }

    /** The binary. */
    public Path binary() {
        return binary;
    }

    /**
     * Runs {@code criu action args...} with its log at {@code log} ({@code -o}, verbosity 4) and
     * waits for it.
     *
     * @throws IOException when it cannot run or exits non-zero, with CRIU's own error text
     */
    void run(String action, List<String> args, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(binary.toString(), action));
        command.addAll(args);
        command.addAll(List.of("--log-file", log.toString(), "-v4"));
        // stderr to a file, not a pipe: restored processes must not keep a pipe this JVM reads.
        Path stderrFile = Files.createTempFile("jctr-criu-", ".stderr");
        try {
            Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(stderrFile.toFile()).start();
            int code = await(p, action, log);
            if (code != 0) {
                String stderr = Files.readString(stderrFile, StandardCharsets.ISO_8859_1);
                throw new IOException("criu " + action + " failed: " + why(log, stderr, code) + " (log: " + log + ")");
            }
        } finally {
            Files.deleteIfExists(stderrFile);
        }
    }

    private static int await(Process p, String action, Path log) throws IOException {
        try {
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("criu " + action + " did not finish in " + TIMEOUT_MINUTES + " minutes (log: "
                        + log + ")");
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while criu " + action + " ran", e);
        }
    }

    private static String why(Path log, String stderr, int code) {
        String error = CriuLog.firstError(log);
        if (error != null) {
            return error;
        }
        List<String> lines = stderr.lines().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "exit status " + code : lines.get(lines.size() - 1).strip();
    }
}
