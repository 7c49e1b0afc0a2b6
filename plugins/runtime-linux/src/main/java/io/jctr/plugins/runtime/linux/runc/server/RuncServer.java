package io.jctr.plugins.runtime.linux.runc.server;

import io.jctr.plugins.runtime.linux.cgroups.CgroupLayout;
import io.jctr.plugins.runtime.linux.container.Caller;
import io.jctr.plugins.runtime.linux.runc.Invoker;
import io.jctr.plugins.runtime.linux.runc.RuncMain;
import io.jctr.plugins.runtime.linux.unix.UnixSockets;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code jctr-runc} server: a JVM that stays warm and runs runc command lines for
 * {@code jctr-runc-client}s (see {@code runc_client.c}), so a command costs milliseconds, not a
 * JVM start. Each connection is one command on its own thread, run exactly as
 * {@link RuncMain} runs it in a one-shot JVM, with the client's stdio, directory and
 * environment; the client forks the helpers.
 *
 * <p>It serves only clients it can stand in for: the same uid, every namespace and the root
 * directory the same as its own (paths, pids and cgroups then mean the same to both). Others
 * are told to run the command themselves, as is every client once the jars it was started from
 * change on disk (it then exits: the next client starts a current one). It leaves the cgroups
 * of whoever started it (moving to each hierarchy's root), so that it never keeps a test's or a
 * service's cgroup busy, and exits after {@code JCTR_RUNC_SERVER_IDLE} seconds (default 600)
 * without a command.
 *
 * <p>Usage: {@code RuncServer SOCKET}; one server per socket, held by a lock on
 * {@code SOCKET.lock}: a second one exits at once. Its pid is in {@code SOCKET.pid} while it
 * serves; SIGTERM stops it.
 */
public final class RuncServer {

    private static final List<String> NAMESPACES = List.of("cgroup", "ipc", "mnt", "net", "pid", "user", "uts");

    private final Path socket;
    private final Map<String, Path> ownNamespaces;
    private final Map<Path, Long> jars;
    private final HangupWatch hangups = new HangupWatch();
    private final AtomicInteger active = new AtomicInteger();
    private volatile int listener = -1;
    private volatile boolean closing;
    private final AtomicLong lastActive = new AtomicLong(System.nanoTime());
    private final AtomicInteger served = new AtomicInteger();
    private final int uid;
    private volatile boolean stale;

    private RuncServer(Path socket) throws IOException {
        this.socket = socket;
        this.ownNamespaces = namespaces(Path.of("/proc/self"));
        this.jars = jarStamps();
        this.uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: RuncServer SOCKET");
            System.exit(2);
        }
        Path socket = Path.of(args[0]).toAbsolutePath();
        Files.createDirectories(socket.getParent());
        // Held, never closed, for the server's life: the lock is what makes it the only one.
        FileChannel lockFile = FileChannel.open(Path.of(socket + ".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock = lockFile.tryLock();
        if (lock == null) {
            return; // another server has the socket
        }
        leaveCallerCgroups();
        long idle = idleSeconds();
        RuncServer server = new RuncServer(socket);
        Files.deleteIfExists(socket);
        int listener = UnixSockets.listen(socket, 128);
        Path pidFile = Path.of(socket + ".pid");
        Files.writeString(pidFile, ProcessHandle.current().pid() + "\n");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.removeSocket(), "jctr-runc-exit"));
        log("serving " + socket + " (pid " + ProcessHandle.current().pid() + ", idle exit after " + idle + " s)");
        Thread watchdog = new Thread(() -> server.exitWhenIdle(idle), "jctr-runc-idle");
        watchdog.setDaemon(true);
        watchdog.start();
        server.listener = listener;
        server.acceptLoop();
    }

    private void acceptLoop() {
        while (true) {
            int conn;
            try {
                conn = UnixSockets.accept(listener);
            } catch (IOException e) {
                if (closing) {
                    awaitHalt();
                }
                log("accept failed: " + e.getMessage());
                continue;
            }
            // Counted before the command starts: shutdown() waits for it.
            active.incrementAndGet();
            Thread t = new Thread(() -> serve(conn), "jctr-runc-command-" + served.incrementAndGet());
            t.setDaemon(true);
            t.start();
        }
    }

    /**
     * Parks the accepting thread once shutdown() has closed the listener: the JVM must not end
     * with this last non-daemon thread before shutdown() has let the commands finish and halted.
     */
    private static void awaitHalt() {
        while (true) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                // only the halt ends this
            }
        }
    }

    private void serve(int conn) {
        try (ClientSession session = new ClientSession(conn)) {
            ClientSession.Request request = session.readRequest();
            if (request == null) {
                return;
            }
            UnixSockets.Peer peer = UnixSockets.peer(conn);
            String refusal = refusal(peer);
            if (refusal != null) {
                log("refused a command: " + refusal);
                session.refuse(refusal);
                return;
            }
            int[] fds = request.stdio();
            PrintStream out = FdStreams.printStream(fds[1]);
            PrintStream err = FdStreams.printStream(fds[2]);
            Caller caller = Caller.process(peer.pid(), session, request.environment());
            Invoker invoker = new Invoker(FdStreams.input(fds[0]), out, err, request.cwd(), peer.proc(), caller);
            hangups.watch(conn, Thread.currentThread());
            int code;
            try {
                code = RuncMain.run(request.argv(), invoker);
            } catch (RuntimeException | Error e) {
                log("command " + request.argv() + " failed: " + e);
                e.printStackTrace();
                err.println("jctr-runc: internal error: " + e);
                code = 1;
            } finally {
                hangups.unwatch(conn);
                Thread.interrupted();
            }
            out.flush();
            err.flush();
            session.exit(code);
        } catch (IOException | RuntimeException e) {
            log("connection failed: " + e);
        } finally {
            lastActive.set(System.nanoTime());
            active.decrementAndGet();
            if (stale) {
                shutdown("its jars changed on disk");
            }
        }
    }

    /** Why this server cannot run {@code peer}'s command for it, or {@code null}. */
    private String refusal(UnixSockets.Peer peer) throws IOException {
        if (peer.uid() != uid) {
            return "client uid " + peer.uid() + " is not the server's " + uid;
        }
        if (!ownNamespaces.equals(namespaces(peer.proc()))) {
            return "client is in other namespaces";
        }
        if (!Files.readSymbolicLink(peer.proc().resolve("root")).toString().equals("/")) {
            return "client has another root directory";
        }
        if (!jars.equals(jarStamps())) {
            stale = true;
            return "server is out of date";
        }
        return null;
    }

    private static Map<String, Path> namespaces(Path proc) throws IOException {
        Map<String, Path> ns = new LinkedHashMap<>();
        for (String name : NAMESPACES) {
            Path link = proc.resolve("ns").resolve(name);
            try {
                ns.put(name, Files.readSymbolicLink(link));
            } catch (NoSuchFileException e) {
                ns.put(name, Path.of("none"));
            }
        }
        return ns;
    }

    /** The modification times of the class path's files: what a rebuild changes. */
    private static Map<Path, Long> jarStamps() {
        Map<Path, Long> stamps = new LinkedHashMap<>();
        for (String entry : System.getProperty("java.class.path").split(":")) {
            Path p = Path.of(entry);
            try {
                stamps.put(p, Files.getLastModifiedTime(p).toMillis());
            } catch (IOException e) {
                stamps.put(p, -1L);
            }
        }
        return stamps;
    }

    /**
     * Moves this process to the root cgroup of every hierarchy it can see whole: it was started
     * by some client, in that client's cgroup, which it must not keep busy.
     */
    private static void leaveCallerCgroups() {
        CgroupLayout layout = CgroupLayout.detect();
        List<CgroupLayout.Hierarchy> all = new ArrayList<>(layout.hierarchies());
        if (layout.unified() != null) {
            all.add(layout.unified());
        }
        String pid = Long.toString(ProcessHandle.current().pid());
        for (CgroupLayout.Hierarchy h : all) {
            if (!h.root().equals("/") || h.ownCgroup().equals("/")) {
                continue;
            }
            try {
                Files.writeString(h.mountPoint().resolve("cgroup.procs"), pid);
            } catch (IOException e) {
                log("cannot leave cgroup " + h.ownCgroup() + " in " + h.mountPoint() + ": " + e.getMessage());
            }
        }
    }

    private static long idleSeconds() {
        String v = System.getenv("JCTR_RUNC_SERVER_IDLE");
        try {
            return v == null || v.isEmpty() ? 600 : Math.max(1, Long.parseLong(v));
        } catch (NumberFormatException e) {
            log("ignoring JCTR_RUNC_SERVER_IDLE=" + v + ": not a number of seconds");
            return 600;
        }
    }

    private void exitWhenIdle(long idleSeconds) {
        while (true) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            long idleNanos = System.nanoTime() - lastActive.get();
            if (active.get() == 0 && idleNanos > idleSeconds * 1_000_000_000L) {
                shutdown("idle for " + idleSeconds + " s");
            }
        }
    }

    /**
     * Stops accepting (the socket goes first, so new clients start a new server), lets the
     * commands already accepted finish, and exits. A client whose connection was not accepted
     * reads the end of the stream before any message and runs its command itself; no command
     * is cut off half done.
     */
    private synchronized void shutdown(String why) {
        if (closing) {
            return;
        }
        closing = true;
        removeSocket();
        UnixSockets.shutdown(listener);
        while (active.get() > 0) {
            try {
                // Polled: this runs once in a server's life, and commands take milliseconds.
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        log("exiting: " + why + " (" + served.get() + " commands served)");
        Runtime.getRuntime().halt(0);
    }

    /** Removes the socket and the pid file: no client connects to a server that is going. */
    private void removeSocket() {
        try {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(Path.of(socket + ".pid"));
        } catch (IOException e) {
            log("cannot remove " + socket + ": " + e.getMessage());
        }
    }

    private static void log(String message) {
        System.err.println(Instant.now() + " jctr-runc server: " + message);
    }
}
