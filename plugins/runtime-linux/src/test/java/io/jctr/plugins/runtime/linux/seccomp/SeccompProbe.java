package io.jctr.plugins.runtime.linux.seccomp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The test-only C program {@code seccomp-probe.c}, compiled with {@code cc}: it installs a filter
 * for real (no_new_privs, seccomp(2)) in a child process and reports what the system calls that
 * follow returned. Proves a compiled program right without root.
 */
final class SeccompProbe {

    /** SIGSYS, the signal of SECCOMP_RET_KILL_* and SECCOMP_RET_TRAP. */
    static final int KILLED_BY_SIGSYS = 128 + 31;

    private final Path dir;
    private final Path binary;

    /**
     * The outcome of one run.
     *
     * @param exitCode the exit code, 128 + the signal when killed
     * @param lines    one line per call: {@code getpid ok 42} or {@code mkdir errno 1}
     * @param stderr   what the probe printed there
     */
    record Result(int exitCode, List<String> lines, String stderr) {
    }

    /** Compiles the probe into {@code dir}. */
    SeccompProbe(Path dir) throws IOException, InterruptedException {
        this.dir = dir;
        Path source = dir.resolve("seccomp-probe.c");
        try (InputStream in = SeccompProbe.class.getResourceAsStream("seccomp-probe.c")) {
            Files.write(source, in.readAllBytes());
        }
        binary = dir.resolve("seccomp-probe");
        Result cc = run(List.of("cc", "-Wall", "-Werror", "-o", binary.toString(), source.toString()));
        if (cc.exitCode() != 0) {
            throw new IllegalStateException("cc failed: " + cc.stderr() + String.join("\n", cc.lines()));
        }
    }

    /** Runs the probe with {@code filter} and {@code calls}. */
    Result run(SeccompFilter filter, String... calls) throws IOException, InterruptedException {
        Path program = Files.createTempFile(dir, "filter", ".bpf");
        Files.write(program, filter.bpf());
        List<String> command = new ArrayList<>(List.of(binary.toString(), program.toString(),
                "0x" + Long.toHexString(filter.flags())));
        command.addAll(List.of(calls));
        return run(command);
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        return new Result(p.exitValue(), out.isEmpty() ? List.of() : List.of(out.split("\n")), err);
    }
}
