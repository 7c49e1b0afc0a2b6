package io.jctr.plugins.runtime.linux.launch;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What {@link Launcher#launch} needs to start one container process.
 *
 * @param plan          the encoded plan ({@code PlanEncoder.encode})
 * @param execFifo      the exec FIFO the init waits on at {@code WaitForStart}: created by the
 *                      runtime with {@code mkfifo(path, 0622)} (the init may no longer be root
 *                      when it opens it), opened for reading by {@code start}; {@code null} when
 *                      the plan has no {@code WaitForStart}
 * @param terminal      the program's terminal, or {@code null}: it keeps {@code stdio}
 * @param preserveFds   how many of this JVM's descriptors 3, 4, ... reach the program as the same
 *                      numbers (runc's {@code --preserve-fds}, plus {@code LISTEN_FDS}); they must
 *                      be open
 * @param cgroupProcs   {@code cgroup.procs} files the helper writes its pid to before it creates
 *                      the init, so that the init and its namespaces start inside them
 * @param stdio         the container's stdin, stdout and stderr
 * @param foreground    the helper stays the init's parent, relays signals and exits with its
 *                      status ({@link Launched#waitFor}); otherwise it exits once the init is
 *                      created (or has executed the program) and the init is re-parented to
 *                      this process's subreaper
 * @param workDir       the container's private directory in the runtime's state, or
 *                      {@code null}; the launcher keeps nothing there at present
 */
public record LaunchRequest(
        byte[] plan,
        Path execFifo,
        Terminal terminal,
        int preserveFds,
        List<Path> cgroupProcs,
        Stdio stdio,
        boolean foreground,
        Path workDir) {

    /** Checks the arguments and copies the list. */
    public LaunchRequest {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(stdio, "stdio");
        cgroupProcs = List.copyOf(cgroupProcs);
        if (preserveFds < 0) {
            throw new IllegalArgumentException("preserveFds " + preserveFds + " is negative");
        }
        if (terminal != null && terminal.consoleSocket() == null && !foreground) {
            // Only the foreground helper outlives the launch to relay the terminal.
            throw new IllegalArgumentException("a detached launch needs a console socket for its terminal");
        }
    }

    /**
     * A pty for the program, created in the container's devpts; the program gets the slave as
     * stdin, stdout, stderr and controlling terminal.
     *
     * @param consoleSocket a unix stream socket that receives the master with
     *                      {@code SCM_RIGHTS} (runc's {@code --console-socket}); {@code null}:
     *                      the foreground helper keeps the master and relays it to its own
     *                      stdio, as runc does without a console socket (its stdin to the
     *                      master, the master to its stdout; its terminal, if it has one, raw
     *                      meanwhile, and its size copied to the pty, also on SIGWINCH)
     * @param height        rows the pty starts with ({@code process.consoleSize}); 0: the
     *                      kernel's default, or the relaying helper's terminal's size
     * @param width         columns, likewise
     */
    public record Terminal(Path consoleSocket, int height, int width) {

        /** Checks the size. */
        public Terminal {
            if (height < 0 || height > 0xffff || width < 0 || width > 0xffff) {
                throw new IllegalArgumentException("console size " + height + "x" + width
                        + " is out of range");
            }
        }
    }

    /**
     * The container's standard streams: each {@code null} is inherited from this JVM; a path is
     * opened by the helper, stdin for reading, stdout and stderr for appending (created 0644
     * if missing). A FIFO's open blocks until its other end is opened.
     *
     * @param in  stdin
     * @param out stdout
     * @param err stderr
     */
    public record Stdio(Path in, Path out, Path err) {

        /** All three inherited from this JVM. */
        public static final Stdio INHERIT = new Stdio(null, null, null);
    }
}
