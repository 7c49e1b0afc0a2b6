package io.jctr.plugins.runtime.linux.launch;

import io.jctr.plugins.runtime.linux.plan.PlanWriter;
import io.jctr.spi.JctrException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts container processes with the C helper: spawns it from the sealed copy
 * ({@link HelperBinary}), sends it the launch header and the plan, and answers it at each
 * point the plan stops for the runtime. Stateless and thread-safe: launches may run
 * concurrently, each on its own thread.
 */
public final class Launcher {

    private static final byte[] HEADER_MAGIC = "JCTRLNCH".getBytes(StandardCharsets.US_ASCII);
    private static final long STOP_TIMEOUT_MILLIS = 10_000;

    private Launcher() {
    }

    /**
     * Spawns the helper, which checks the whole plan before doing anything, then creates the
     * init and runs the plan; calls {@code listener} at the init's creation and at each sync
     * point. Returns once the init is blocked at {@code WaitForStart} (the caller's
     * {@code start} opens the exec FIFO for reading) or, for plans without it, has executed
     * the program. Detached, the helper has exited and been reaped by then, and the init is a
     * child of this process's subreaper (or of init); in the foreground the helper is still the
     * init's parent, see {@link Launched#waitFor}.
     *
     * @throws LaunchException {@code INVALID_ARGUMENT} for a plan the helper refuses; otherwise
     *                         kind {@code UNKNOWN} with the helper's message naming the step
     * @throws IOException     when the helper cannot be spawned or talked to, or as thrown by
     *                         the listener
     * @throws RuntimeException as thrown by the listener
     *                         <p>On any failure the helper and the init are killed and reaped
     *                         before this method throws.
     */
    public static Launched launch(LaunchRequest request, LaunchListener listener) throws IOException {
        return launch(request, listener, HelperStarter.LOCAL);
    }

    /** As {@link #launch(LaunchRequest, LaunchListener)}, with the helper started by {@code starter}. */
    public static Launched launch(LaunchRequest request, LaunchListener listener, HelperStarter starter)
            throws IOException {
        Posix posix = Posix.system();
        String executable = HelperBinary.path();
        try (Channel channel = Channel.open(posix)) {
            HelperProcess helper = starter.start(executable, channel.helperEnd(), request);
            channel.closeHelperEnd();
            return new Session(posix, channel, helper, request, listener).run();
        }
    }

    /** The launch header: u32 length, then magic, version and the fields launch.c reads. */
    static byte[] header(LaunchRequest r) {
        List<String> cgroups = new ArrayList<>();
        r.cgroupProcs().forEach(p -> cgroups.add(p.toString()));
        LaunchRequest.Terminal t = r.terminal();
        int terminal = t == null ? 0 : t.consoleSocket() != null ? 1 : 2;
        byte[] body = new PlanWriter().bytes(HEADER_MAGIC).u8(1).bool(r.foreground())
                .i32(r.preserveFds()).str(text(r.execFifo())).u8(terminal)
                .str(text(t == null ? null : t.consoleSocket()))
                .u16(t == null ? 0 : t.height()).u16(t == null ? 0 : t.width()).strs(cgroups).i32(r.plan().length).bytes(r.plan()).toByteArray();
        return new PlanWriter().i32(body.length).bytes(body).toByteArray();
    }

    private static String text(Path p) {
        return p == null ? "" : p.toString();
    }

    /** One launch's conversation with its helper. */
    private static final class Session {
        private final Posix posix;
        private final Channel channel;
        private final HelperProcess helper;
        private final LaunchRequest request;
        private final LaunchListener listener;
        private int init = -1;
        private boolean helperReaped;

        Session(Posix posix, Channel channel, HelperProcess helper, LaunchRequest request,
                LaunchListener listener) {
            this.posix = posix;
            this.channel = channel;
            this.helper = helper;
            this.request = request;
            this.listener = listener;
        }

        Launched run() throws IOException {
            try {
                channel.send(header(request));
                return converse();
            } catch (IOException | RuntimeException | Error e) {
                stop(e);
                throw e;
            }
        }

        private Launched converse() throws IOException {
            while (true) {
                String line = channel.readLine();
                if (line == null) {
                    if (init < 0) {
                        throw helperFailed("the helper exited before it created the init");
                    }
                    return launched(false);
                } else if (line.startsWith("pid ")) {
                    init = Integer.parseInt(line.substring(4));
                    String state = listener.initStarted(init);
                    channel.send(Channel.STATE, state.getBytes(StandardCharsets.UTF_8));
                } else if (line.equals("sync 1")) {
                    listener.createRuntimeHooks(init);
                    channel.send(Channel.CONTINUE, new byte[0]);
                } else if (line.equals("sync 2")) {
                    listener.ready(init);
                    channel.send(Channel.CONTINUE, new byte[0]);
                } else if (line.equals("created")) {
                    return launched(true);
                } else if (line.startsWith("error ")) {
                    String message = line.substring(6);
                    // The helper kills and reaps the init itself before it exits.
                    init = -1;
                    throw new LaunchException(message.startsWith("launch plan:")
                            ? JctrException.Kind.INVALID_ARGUMENT : JctrException.Kind.UNKNOWN, message);
                } else {
                    throw new IOException("unexpected message from the helper: " + line);
                }
            }
        }

        private Launched launched(boolean waitingForStart) throws IOException {
            if (!request.foreground()) {
                int status = awaitHelper();
                helperReaped = true;
                if (status != 0) {
                    throw helperFailed("the helper " + describe(status));
                }
            }
            return new Result(init, helper, waitingForStart, request.foreground());
        }

        private LaunchException helperFailed(String message) throws IOException {
            if (!helperReaped) {
                int status = awaitHelper();
                helperReaped = true;
                message = message + " (it " + describe(status) + ")";
            }
            init = -1;
            return new LaunchException(JctrException.Kind.UNKNOWN, message);
        }

        private int awaitHelper() throws IOException {
            try {
                return helper.awaitExit();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the helper", e);
            }
        }

        /** Makes sure neither the init nor the helper outlives a failed launch. */
        private void stop(Throwable cause) {
            try {
                channel.send(Channel.ABORT, String.valueOf(cause.getMessage())
                        .getBytes(StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException e) {
                cause.addSuppressed(e);
            }
            if (init > 0) {
                posix.libc.kill(init, Posix.SIGKILL);
            }
            if (helperReaped) {
                return;
            }
            try {
                long deadline = System.currentTimeMillis() + STOP_TIMEOUT_MILLIS;
                while (helper.poll() == -1) {
                    if (System.currentTimeMillis() > deadline) {
                        helper.kill(Posix.SIGKILL);
                        helper.awaitExit();
                        break;
                    }
                    Thread.sleep(5);
                }
            } catch (IOException e) {
                cause.addSuppressed(e);
            } catch (InterruptedException e) {
                try {
                    helper.kill(Posix.SIGKILL);
                } catch (IOException k) {
                    cause.addSuppressed(k);
                }
                Thread.currentThread().interrupt();
            }
            helperReaped = true;
        }

        private static String describe(int status) {
            int signal = status & 0x7f;
            return signal == 0 ? "exited with status " + ((status >> 8) & 0xff)
                    : "was killed by signal " + signal;
        }
    }

    private static final class Result implements Launched {
        private final int pid;
        private final HelperProcess helper;
        private final boolean waitingForStart;
        private final boolean foreground;
        private Integer exitCode;

        Result(int pid, HelperProcess helper, boolean waitingForStart, boolean foreground) {
            this.pid = pid;
            this.helper = helper;
            this.waitingForStart = waitingForStart;
            this.foreground = foreground;
        }

        @Override
        public int pid() {
            return pid;
        }

        @Override
        public int helperPid() {
            return helper.pid();
        }

        @Override
        public boolean waitingForStart() {
            return waitingForStart;
        }

        @Override
        public synchronized int waitFor() throws IOException, InterruptedException {
            if (!foreground) {
                throw new IllegalStateException("a detached launch has no helper to wait for");
            }
            if (exitCode == null) {
                exitCode = Posix.exitCode(helper.awaitExit());
            }
            return exitCode;
        }
    }
}
