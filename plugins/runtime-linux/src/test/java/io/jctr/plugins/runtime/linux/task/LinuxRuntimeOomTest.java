package io.jctr.plugins.runtime.linux.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jctr.spi.runtime.CreateRequest;
import io.jctr.spi.runtime.ExitStatus;
import io.jctr.spi.runtime.Stdio;
import io.jctr.spi.runtime.TaskRef;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * OOM notifications of {@link LinuxRuntime}: a task whose memory cgroup is limited to 8 MiB
 * without swap doubles a shell string until the kernel's OOM killer kills it. The listener must
 * hear of it once, before the exit, also for a task re-attached by a new instance, and no watch
 * (eventfd on cgroup v1) may outlive the task's init.
 */
class LinuxRuntimeOomTest extends LinuxRuntimeTestBase {

    private static final long LIMIT = 8L << 20;
    /** Doubles a string without end: only the OOM killer stops it. */
    private static final String ALLOCATE = "x=a; while true; do x=$x$x; done";

    @Test
    void anOomKilledTaskIsReportedOnceBeforeItsExit() throws Exception {
        List<String> events = listen(runtime);
        int eventFds = eventFds();
        TaskRef t = createLimited("sh", "-c", ALLOCATE);
        TaskRef quiet = createLimited("sleep", "100");
        runtime.start(t, null);
        runtime.start(quiet, null);
        ExitStatus exit = await(runtime.onExit(t, null));
        assertEquals(137, exit.code(), exit.toString());
        awaitEvents(events, 2);
        Thread.sleep(300); // a window for a second, wrong report (proving a negative)
        assertEquals(List.of("oom " + t, "exit " + t), events);
        runtime.delete(t, null);
        assertEquals(1, runtime.oomWatched(), "only the live task is watched");
        runtime.kill(quiet, null, 9, false);
        await(runtime.onExit(quiet, null));
        runtime.delete(quiet, null);
        assertEquals(0, runtime.oomWatched());
        assertEquals(eventFds, eventFds(), "no watch may outlive its task");
        assertEquals(List.of("oom " + t, "exit " + t, "exit " + quiet), events);
    }

    @Test
    void aReattachedTaskIsWatched() throws Exception {
        TaskRef t = createLimited("sleep", "100");
        runtime.start(t, null);
        runtime.close(); // a daemon stop: the task goes on
        LinuxRuntime restarted = newRuntime();
        List<String> events = listen(restarted);
        assertEquals(1, restarted.oomWatched());
        // An exec that allocates is what the OOM killer picks (the largest in the cgroup).
        restarted.exec(t, "hog", BusyboxBundle.process("sh", "-c", ALLOCATE), Stdio.none());
        restarted.start(t, "hog");
        assertEquals(137, await(restarted.onExit(t, "hog")).code());
        awaitEvents(events, 1);
        restarted.kill(t, null, 9, false);
        await(restarted.onExit(t, null));
        awaitEvents(events, 2);
        assertEquals(List.of("oom " + t, "exit " + t), events);
        restarted.delete(t, null);
        assertEquals(0, restarted.oomWatched());
    }

    /** A task limited to {@link #LIMIT} of memory, swap included, and no swapping. */
    private TaskRef createLimited(String... args) throws IOException {
        TaskRef ref = ref("default");
        Path bundle = bundle(args);
        ObjectNode spec = BusyboxBundle.spec(args);
        ObjectNode memory = ((ObjectNode) spec.path("linux")).putObject("resources").putObject("memory");
        memory.put("limit", LIMIT).put("swap", LIMIT).put("swappiness", 0);
        BusyboxBundle.write(bundle, spec);
        runtime.create(new CreateRequest(ref, bundle, List.of(), Stdio.none()));
        return ref;
    }

    /** Records OOMs and init exits in the order the listeners hear them. */
    private static List<String> listen(LinuxRuntime r) {
        List<String> events = new CopyOnWriteArrayList<>();
        r.addOomListener(t -> events.add("oom " + t));
        r.addExitListener(e -> {
            if (e.isInit()) {
                events.add("exit " + e.task());
            }
        });
        return events;
    }

    private static void awaitEvents(List<String> events, int n) throws InterruptedException {
        for (int i = 0; i < 250 && events.size() < n; i++) {
            Thread.sleep(20); // the listeners run on the runtime's threads
        }
        assertTrue(events.size() >= n, events.toString());
    }

    private static int eventFds() throws IOException {
        int n = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).toString().contains("eventfd")) {
                        n++;
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        return n;
    }
}
