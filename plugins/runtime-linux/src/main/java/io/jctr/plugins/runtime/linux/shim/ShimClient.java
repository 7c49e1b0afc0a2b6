package io.jctr.plugins.runtime.linux.shim;

import io.jctr.plugins.runtime.linux.container.ProcStat;
import io.jctr.plugins.runtime.linux.launch.ShimProcess;
import io.jctr.plugins.runtime.linux.unix.UnixSockets;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The runtime's connection to one task's shim (the protocol is described in the shim's
 * {@code shim.c}). Requests are answered in order, one at a time; the exits the shim reports
 * meanwhile are read by a thread of this connection and booked ({@link #exitOf}), together with
 * those the shim recorded before the connection (its {@code exits} file), so none is missed
 * across a daemon restart.
 *
 * <p>When the connection ends without {@link #close} or {@link #shutdown}, either the shim died
 * — its recorded exits are read once more and every wait still open fails with
 * {@link ShimGoneException} — or another runtime connected in its place, and this one only
 * stops. Thread-safe.
 */
public final class ShimClient implements AutoCloseable {

    /** The shim's socket in the task's directory. */
    public static final String SOCKET = "shim.sock";

    private static final long REPLY_TIMEOUT_SECONDS = 60;
    private static final int MAX_PAYLOAD = 1 << 20;
    private static final long READER_STACK = 128 * 1024;
    private static final Reply LOST = new Reply((byte) 0, new byte[0]);

    private record Reply(byte kind, byte[] payload) {
    }

    private final Path dir;
    private final String name;
    private final int fd;
    private final int pid;
    private final long startTime;
    private final Consumer<String> warnings;
    private final ExitBook exits = new ExitBook();
    private final BlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
    private final Object requests = new Object();
    private volatile boolean closing;
    private volatile boolean gone;
    /** Guards the descriptor's number: once closed it may name another file. */
    private final Object fdLock = new Object();
    private boolean fdClosed;

    private ShimClient(Path dir, String name, int fd, int pid, long startTime, Consumer<String> warnings) {
        this.dir = dir;
        this.name = name;
        this.fd = fd;
        this.pid = pid;
        this.startTime = startTime;
        this.warnings = warnings;
    }

    /** Starts the shim of the task whose directory is {@code dir} and connects to it. */
    public static ShimClient start(Path dir, String name, Consumer<String> warnings) throws IOException {
        ShimProcess.start(dir);
        try {
            return connect(dir, name, warnings);
        } catch (IOException | RuntimeException e) {
            // Listening but unreachable: nobody would ever stop it.
            recordedPid(dir).ifPresent(pid -> ShimProcess.kill(pid));
            throw e;
        }
    }

    /**
     * Connects to the shim listening in {@code dir}, books the exits it has recorded and starts
     * reading its reports.
     *
     * @throws IOException when no shim listens there
     */
    public static ShimClient connect(Path dir, String name, Consumer<String> warnings) throws IOException {
        int fd = UnixSockets.connect(dir, SOCKET);
        try {
            int pid = recordedPid(dir).orElseThrow(() -> new IOException(name + ": the shim left no shim.pid"));
            long start = ProcStat.of(pid).map(ProcStat::startTime).orElse(0L);
            ShimClient c = new ShimClient(dir, name, fd, pid, start, warnings);
            // Connected first, then read: an exit is either in the file already or reported to us.
            ExitsFile.read(dir).forEach(c.exits::add);
            Thread t = new Thread(null, c::read, "jctr-shim-" + pid, READER_STACK);
            t.setDaemon(true);
            t.start();
            return c;
        } catch (IOException | RuntimeException e) {
            UnixSockets.close(fd);
            throw e;
        }
    }

    /** The shim's pid. */
    public int pid() {
        return pid;
    }

    /** Whether the shim process still runs. */
    public boolean alive() {
        try {
            return ProcStat.alive(pid, startTime);
        } catch (IOException e) {
            return true;
        }
    }

    /** Whether the connection has ended (the shim died, or another runtime took it over). */
    public boolean gone() {
        return gone;
    }

    /**
     * Has the shim fork and execute {@code path} with the streams {@code stdio}.
     *
     * @param console the console socket's name (relative to the task's directory), where the
     *                shim receives the pty master; {@code ""} without a terminal
     * @param extraFd a descriptor of this JVM the child gets as its fd 3, or -1
     * @return the child's pid
     */
    public int spawn(String path, List<String> argv, List<String> env, ShimStdio stdio, String console, int extraFd)
            throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeInt(0);
        string(d, path);
        strings(d, argv);
        strings(d, env);
        string(d, stdio.stdin());
        string(d, stdio.stdout());
        string(d, stdio.terminal() ? "" : stdio.stderr());
        string(d, console);
        Reply r = request((byte) 'S', b.toByteArray(), extraFd);
        if (r.kind == 'P' && r.payload.length == 4) {
            return ByteBuffer.wrap(r.payload).getInt();
        }
        throw failure("spawn " + path, r);
    }

    /** The streams of the spawned process {@code spawned} belong to {@code pid} from now on. */
    public void associate(int spawned, int pid) throws IOException {
        expectDone("associate", request((byte) 'A', ByteBuffer.allocate(8).putInt(spawned).putInt(pid).array(), -1));
    }

    /** Ends the stdin of {@code pid} (CloseIO); a no-op for a process without one. */
    public void closeStdin(int pid) throws IOException {
        expectDone("close stdin", request((byte) 'I', ByteBuffer.allocate(4).putInt(pid).array(), -1));
    }

    /** Resizes the terminal of {@code pid}; a no-op for a process without one. */
    public void resize(int pid, int width, int height) throws IOException {
        byte[] p = ByteBuffer.allocate(8).putInt(pid).putShort((short) width).putShort((short) height).array();
        expectDone("resize the terminal", request((byte) 'R', p, -1));
    }

    /** Releases the streams of {@code pid} (or of the process spawned as {@code pid}). */
    public void release(int pid) throws IOException {
        expectDone("release streams", request((byte) 'C', ByteBuffer.allocate(4).putInt(pid).array(), -1));
    }

    /**
     * The exit of {@code pid} at or after {@code notBefore}: completes when the shim reports it
     * (on this connection's thread), at once if it was already recorded, exceptionally with
     * {@link ShimGoneException} if the shim dies first.
     */
    public CompletableFuture<ShimExit> exitOf(int pid, Instant notBefore) {
        return exits.exitOf(pid, notBefore);
    }

    /**
     * Deletes the task as far as the shim goes: it removes its socket and exits; returns once it
     * has (or after a few seconds).
     */
    public void shutdown() throws IOException {
        closing = true;
        if (!gone) {
            try {
                expectDone("shut down", request((byte) 'D', new byte[0], -1));
            } catch (IOException e) {
                if (alive()) {
                    throw e;
                }
            }
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (alive() && System.nanoTime() < deadline) {
            pause(1); // it exits right after its answer
        }
        ShimProcess.reap(pid);
        close();
    }

    /** Stops listening to the shim; it and its task go on. */
    @Override
    public void close() {
        closing = true;
        synchronized (fdLock) {
            if (!fdClosed) {
                // shutdown(2), not close(2): it wakes the reading thread, which closes.
                UnixSockets.shutdown(fd);
            }
        }
    }

    private Reply request(byte kind, byte[] payload, int passFd) throws IOException {
        synchronized (requests) {
            if (gone) {
                throw new ShimGoneException(name + ": the shim is gone");
            }
            byte[] m = ByteBuffer.allocate(5 + payload.length).put(kind).putInt(payload.length).put(payload).array();
            synchronized (fdLock) {
                if (fdClosed) {
                    throw new ShimGoneException(name + ": the shim is gone");
                }
                UnixSockets.send(fd, m, passFd);
            }
            Reply r;
            try {
                r = replies.poll(REPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(name + ": interrupted while waiting for the shim", e);
            }
            if (r == null) {
                // A late answer would be taken for the next request's: this connection is done.
                close();
                throw new IOException(name + ": the shim did not answer within " + REPLY_TIMEOUT_SECONDS + " s");
            }
            if (r == LOST) {
                replies.add(LOST); // for whoever asks next
                throw new ShimGoneException(name + ": the shim is gone");
            }
            return r;
        }
    }

    private void expectDone(String what, Reply r) throws IOException {
        if (r.kind != 'O') {
            throw failure(what, r);
        }
    }

    private IOException failure(String what, Reply r) {
        if (r.kind == 'F') {
            return new IOException(name + ": " + what + ": " + new String(r.payload, StandardCharsets.UTF_8));
        }
        return new IOException(name + ": " + what + ": unexpected answer '" + (char) r.kind + "' from the shim");
    }

    /** The connection's thread: exits are booked, everything else is an answer. */
    private void read() {
        try {
            while (true) {
                ByteBuffer head = ByteBuffer.wrap(UnixSockets.readFully(fd, 5));
                byte kind = head.get();
                int n = head.getInt();
                if (n < 0 || n > MAX_PAYLOAD) {
                    throw new IOException("malformed message from the shim");
                }
                byte[] payload = UnixSockets.readFully(fd, n);
                if (kind == 'X' && n == 16) {
                    ByteBuffer p = ByteBuffer.wrap(payload);
                    exits.add(new ShimExit(p.getInt(), p.getInt(), ShimExit.instant(p.getLong())));
                } else {
                    replies.add(new Reply(kind, payload));
                }
            }
        } catch (IOException | RuntimeException e) {
            // the end of the connection: below
        }
        gone = true;
        replies.add(LOST);
        synchronized (fdLock) {
            fdClosed = true;
            UnixSockets.close(fd);
        }
        if (!closing) {
            ended();
        }
    }

    /** The connection ended unasked: find out whether the shim died. */
    private void ended() {
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (alive() && System.nanoTime() < deadline) {
            pause(10); // a dropped connection may be a dying shim; it is not our child, so poll /proc
        }
        if (alive()) {
            warnings.accept(name + ": another runtime connected to the shim; this one stops following it");
            return;
        }
        ShimProcess.reap(pid);
        try {
            ExitsFile.read(dir).forEach(exits::add);
        } catch (IOException | RuntimeException e) {
            warnings.accept(name + ": cannot read the exits the shim recorded: " + e.getMessage());
        }
        exits.lose(new ShimGoneException(name + ": the shim (pid " + pid + ") died"));
    }

    /** Reads the shim's pid from {@code dir}, if a shim ever started there. */
    public static Optional<Integer> recordedPid(Path dir) throws IOException {
        try {
            return Optional.of(Integer.parseInt(Files.readString(dir.resolve("shim.pid")).strip()));
        } catch (NoSuchFileException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * The pid of the shim that runs for {@code dir}, if one does: the recorded pid, when that
     * process is still a shim of this directory (a recorded pid may have been reused since).
     */
    public static Optional<Integer> runningShim(Path dir) throws IOException {
        Optional<Integer> pid = recordedPid(dir);
        if (pid.isEmpty()) {
            return pid;
        }
        byte[] cmdline;
        try {
            cmdline = Files.readAllBytes(Path.of("/proc", pid.get().toString(), "cmdline"));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        String expected = "jctr-shim\0" + dir + "\0";
        return new String(cmdline, StandardCharsets.UTF_8).equals(expected) ? pid : Optional.empty();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void string(DataOutputStream d, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        d.writeInt(b.length);
        d.write(b);
    }

    private static void strings(DataOutputStream d, List<String> l) throws IOException {
        d.writeInt(l.size());
        for (String s : l) {
            string(d, s);
        }
    }
}
