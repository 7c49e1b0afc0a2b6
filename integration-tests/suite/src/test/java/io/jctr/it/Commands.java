package io.jctr.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command to completion and captures what it printed. */
final class Commands {

    static final Path HOME = Path.of(System.getProperty("jctr.home", "../..")).toAbsolutePath().normalize();
    static final Path JCTR = HOME.resolve("bin/jctr");

    /** The outcome of one command. */
    record Result(List<String> command, int exitCode, String out, String err) {
        Result ok() {
            if (exitCode != 0) {
                throw new AssertionError(this.toString());
            }
            return this;
        }

        @Override
        public String toString() {
            return String.join(" ", command) + " -> rc " + exitCode + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    private Commands() {
    }

    static Result run(List<String> command) {
        return run(command, Map.of());
    }

    static Result run(List<String> command, Map<String, String> env) {
        return run(command, env, Path.of("/dev/null"));
    }

    /** Runs {@code command} with {@code stdin} as its standard input. */
    static Result run(List<String> command, Map<String, String> env, Path stdin) {
        try {
            Path out = Files.createTempFile("jctr-it", ".out");
            Path err = Files.createTempFile("jctr-it", ".err");
            try {
                ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(stdin.toFile()));
                pb.environment().putAll(env);
                Process p = pb.start();
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError("timed out: " + command);
                }
                return new Result(command, p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + command, e);
        }
    }

    static List<String> jctr(String socket, String... args) {
        List<String> c = new ArrayList<>(List.of(JCTR.toString(), "--address", socket));
        c.addAll(List.of(args));
        return c;
    }

    static List<String> ctr(String socket, String... args) {
        List<String> c = new ArrayList<>(List.of("ctr", "--address", socket));
        c.addAll(List.of(args));
        return c;
    }
}
