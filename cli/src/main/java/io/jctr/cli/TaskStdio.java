package io.jctr.cli;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A task's stdio as ctr sets it up (containerd-api.md §5): FIFOs the client makes in a fresh
 * 0700 directory, named {@code <id>-stdin|stdout|stderr}, whose other ends the daemon opens
 * during Tasks.Create/Exec; the client opens its ends at once on threads of their own (each
 * open blocks until the daemon's) and copies. Or, for a detached task, a {@code file://} log
 * the daemon writes and nothing to copy.
 */
final class TaskStdio implements AutoCloseable {

    /** ctr's {@code --fifo-dir} counterpart. */
    static final String DEFAULT_FIFO_DIR = "/run/jctr/fifo";

    final String stdin;
    final String stdout;
    final String stderr;
    final boolean terminal;
    /** The FIFOs' directory when this client made them (and removes them), else null. */
    private final Path dir;
    /** Whether there are FIFOs to copy (not for a log or null IO). */
    private final boolean copies;
    private final List<Thread> outputs = new ArrayList<>();
    private final AtomicBoolean created = new AtomicBoolean();
    private final AtomicBoolean stdinEnded = new AtomicBoolean();
    private final AtomicBoolean closeSent = new AtomicBoolean();
    private volatile Runnable onStdinEof = () -> { };

    private TaskStdio(String stdin, String stdout, String stderr, boolean terminal, Path dir, boolean copies) {
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
        this.terminal = terminal;
        this.dir = dir;
        this.copies = copies;
    }

    /** Output to the daemon-side log {@code uri} (file://), no input: a detached task ("" for none at all). */
    static TaskStdio log(String uri) {
        return log(uri, false);
    }

    /** As {@link #log(String)}, for a process with a terminal (its output goes to the log). */
    static TaskStdio log(String uri, boolean terminal) {
        return new TaskStdio("", uri, terminal ? "" : uri, terminal, null, false);
    }

    /** FIFOs another client made (a task's reported stdio, for attach): copied, never removed. */
    static TaskStdio existing(String stdin, String stdout, String stderr, boolean terminal) {
        return new TaskStdio(stdin, stdout, stderr, terminal, null, true);
    }

    /**
     * FIFOs for process {@code id} under {@code fifoRoot}: stdin only when {@code withStdin}; with
     * a terminal, no stderr (the terminal carries both), as ctr sends it.
     */
    static TaskStdio fifos(Path fifoRoot, String id, boolean terminal, boolean withStdin) throws IOException {
        Files.createDirectories(fifoRoot);
        Path dir = Files.createTempDirectory(fifoRoot, "", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        List<String> names = new ArrayList<>();
        String in = withStdin ? dir.resolve(id + "-stdin").toString() : "";
        String out = dir.resolve(id + "-stdout").toString();
        String err = terminal ? "" : dir.resolve(id + "-stderr").toString();
        for (String p : new String[] {in, out, err}) {
            if (!p.isEmpty()) {
                names.add(p);
            }
        }
        List<String> cmd = new ArrayList<>(List.of("mkfifo", "-m", "0700"));
        cmd.addAll(names);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String msg = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor() != 0) {
                throw new IOException("mkfifo in " + dir + ": " + msg);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while making FIFOs in " + dir, e);
        }
        return new TaskStdio(in, out, err, terminal, dir, true);
    }

    /**
     * Called once the process exists: the end of stdin is then sent as CloseIO
     * ({@code onStdinEof}), also when it came earlier. ctr sends it only for an end after Create,
     * counting on the daemon to see the FIFO's writer go; a runtime that holds the FIFO open
     * itself (jctr's does, as containerd's shims hold theirs) sees that end only through CloseIO.
     */
    void created(Runnable onStdinEof) {
        this.onStdinEof = onStdinEof;
        created.set(true);
        if (stdinEnded.get()) {
            sendClose();
        }
    }

    private void sendClose() {
        if (closeSent.compareAndSet(false, true)) {
            onStdinEof.run();
        }
    }

    /** Starts opening the FIFOs and copying: {@code in} to stdin, stdout and stderr to {@code out} and {@code err}. */
    void start(InputStream in, OutputStream out, OutputStream err) {
        if (!copies) {
            return;
        }
        if (!stdout.isEmpty()) {
            outputs.add(thread("stdout", () -> copyFrom(stdout, out)));
        }
        if (!stderr.isEmpty()) {
            outputs.add(thread("stderr", () -> copyFrom(stderr, err)));
        }
        if (!stdin.isEmpty()) {
            thread("stdin", () -> {
                try (OutputStream fifo = new FileOutputStream(stdin)) {
                    byte[] buf = new byte[32 * 1024];
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        fifo.write(buf, 0, n);
                        fifo.flush();
                    }
                } catch (IOException e) {
                    return; // the process closed its stdin, or the daemon went away
                }
                stdinEnded.set(true);
                if (created.get()) {
                    sendClose();
                }
            });
        }
    }

    /** Waits until the daemon closed the output FIFOs (all output copied), at most {@code seconds}. */
    void awaitOutput(long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        for (Thread t : outputs) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
    }

    /** Removes the FIFOs and their directory (ctr does so for run and exec; a detached task keeps them). */
    @Override
    public void close() {
        if (dir == null) {
            return;
        }
        for (String p : new String[] {stdin, stdout, stderr}) {
            if (!p.isEmpty()) {
                try {
                    Files.deleteIfExists(Path.of(p));
                } catch (IOException e) {
                    // best effort: a FIFO left in the temporary directory harms nothing
                }
            }
        }
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // as above
        }
    }

    private static void copyFrom(String fifo, OutputStream to) {
        try (InputStream in = new FileInputStream(fifo)) {
            byte[] buf = new byte[32 * 1024];
            int n;
            while ((n = in.read(buf)) >= 0) {
                to.write(buf, 0, n);
                to.flush();
            }
        } catch (IOException e) {
            // the FIFO was removed or our output closed: nothing more to copy
        }
    }

    private static Thread thread(String name, Runnable body) {
        Thread t = new Thread(body, "jctr-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
