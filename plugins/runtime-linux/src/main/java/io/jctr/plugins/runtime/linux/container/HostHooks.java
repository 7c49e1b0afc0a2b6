package io.jctr.plugins.runtime.linux.container;

import io.jctr.plugins.runtime.linux.spec.Hooks.Hook;
import io.jctr.spi.JctrException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the hooks that execute in the runtime's namespaces (prestart, createRuntime, poststart,
 * poststop): each in order, with the container's state JSON on stdin, stdout and stderr
 * captured for the error message, killed when it outlives its timeout. The hooks that run in the
 * container's namespaces are the helper's (see {@code RunHooks} in the plan).
 */
public final class HostHooks {

    private HostHooks() {
    }

    /**
     * Runs {@code hooks} in order; stops at the first that fails.
     *
     * @param phase the spec's name of the list, for messages, e.g. {@code poststart}
     * @throws JctrException {@code FAILED_PRECONDITION} naming the hook, its exit status or the
     *                       timeout, and its output
     */
    public static void run(String phase, List<Hook> hooks, String stateJson) throws IOException {
        run(phase, hooks, stateJson, null);
    }

    /**
     * As {@link #run(String, List, String)}; a hook without an {@code env} of its own inherits
     * {@code inherited} ({@code null}: this JVM's environment).
     */
    public static void run(String phase, List<Hook> hooks, String stateJson, Map<String, String> inherited)
            throws IOException {
        for (int i = 0; i < hooks.size(); i++) {
            runOne(phase, i, hooks.get(i), stateJson, inherited);
        }
    }

    private static void runOne(String phase, int index, Hook hook, String stateJson, Map<String, String> inherited)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(hook.path());
        if (hook.args().size() > 1) {
            command.addAll(hook.args().subList(1, hook.args().size()));
        }
        ProcessBuilder pb = new ProcessBuilder(command);
        if (hook.env().isEmpty() && inherited != null) {
            pb.environment().clear();
            pb.environment().putAll(inherited);
        } else if (!hook.env().isEmpty()) {
            // As Go's exec.Cmd, which runc uses: an empty env inherits the runtime's.
            Map<String, String> env = pb.environment();
            env.clear();
            for (String kv : hook.env()) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    env.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
        }
        pb.redirectErrorStream(true);
        String where = phase + "[" + index + "] " + hook.path();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw JctrException.failedPrecondition("error running %s hook: %s", where, e.getMessage());
        }
        CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getInputStream().readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
        try (OutputStream stdin = p.getOutputStream()) {
            stdin.write(stateJson.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // A hook need not read its stdin (EPIPE); runc ignores that too.
        }
        try {
            boolean done = hook.timeout() == null ? p.waitFor() >= Integer.MIN_VALUE
                    : p.waitFor(hook.timeout(), TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly();
                p.waitFor();
                throw JctrException.failedPrecondition("error running %s hook: ran past its timeout of %ds",
                        where, hook.timeout());
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + where + " hook", e);
        }
        if (p.exitValue() != 0) {
            String out = new String(output.join(), StandardCharsets.UTF_8).strip();
            throw JctrException.failedPrecondition("error running %s hook: exit status %d%s", where,
                    p.exitValue(), out.isEmpty() ? "" : ", output: " + out);
        }
    }
}
