package io.jctr.plugins.runtime.linux.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jctr.plugins.runtime.linux.plan.PlanEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The program runs in the container the spec describes, and its status comes back. */
class LaunchBasicsTest extends ContainerTestBase {

    @Test
    void echoReachesStdout() throws Exception {
        assertEquals(0, run(spec("echo", "hello from the container")), this::stderr);
        assertEquals("hello from the container\n", stdout());
    }

    @Test
    void initIsPidOneAndSeesOnlyItsOwnProcesses() throws Exception {
        assertEquals(0, run(spec("sh", "-c", "echo $$; ls /proc | grep -c '^[0-9]'")), this::stderr);
        List<String> lines = stdout().lines().toList();
        assertEquals("1", lines.get(0));
        // sh, ls and grep at most
        assertTrue(Integer.parseInt(lines.get(1)) <= 3, stdout());
    }

    @Test
    void hostname() throws Exception {
        ObjectNode spec = spec("hostname");
        spec.put("hostname", "jctr-test");
        assertEquals(0, run(spec), this::stderr);
        assertEquals("jctr-test\n", stdout());
    }

    @Test
    void procIsMountedAndMaskedPathsAreEmpty() throws Exception {
        // /proc/kcore is masked too where the kernel has it (CONFIG_PROC_KCORE); this one does not.
        String file = Files.exists(Path.of("/proc/kcore")) ? "/proc/kcore" : "/proc/timer_list";
        assertTrue(Files.exists(Path.of(file)) && Files.isDirectory(Path.of("/proc/acpi")));
        assertEquals(0, run(spec("sh", "-c", "head -1 /proc/self/status; wc -c < " + file
                + "; ls -A /proc/acpi | wc -l")), this::stderr);
        assertEquals(List.of("Name:\thead", "0", "0"), stdout().lines().toList());
    }

    @Test
    void devicesLinksSysctlsUmaskLoopbackAndNoNewPrivileges() throws Exception {
        ObjectNode spec = spec("sh", "-c", "stat -c '%F %t:%T %a' /dev/null /dev/tty;"
                + " readlink /dev/ptmx; readlink /dev/fd; cat /proc/sys/net/ipv4/ip_forward; umask;"
                + " ip -o link show lo | grep -o '<[^>]*>'; grep NoNewPrivs /proc/self/status");
        ((ObjectNode) spec.get("linux")).putObject("sysctl").put("net.ipv4.ip_forward", "1");
        ((ObjectNode) spec.get("process").get("user")).put("umask", 027);
        assertEquals(0, run(spec), this::stderr);
        assertEquals(List.of("character special file 1:3 666", "character special file 5:0 666",
                "pts/ptmx", "/proc/self/fd", "1", "0027", "<LOOPBACK,UP,LOWER_UP>", "NoNewPrivs:\t1"),
                stdout().lines().toList());
    }

    @Test
    void domainnamePersonalitySchedulerAndIoPriority() throws Exception {
        ObjectNode spec = spec("sh", "-c", "cat /proc/sys/kernel/domainname; uname -m;"
                + " cut -d' ' -f19,41 /proc/self/stat; ionice");
        spec.put("domainname", "example.org");
        ((ObjectNode) spec.get("linux")).putObject("personality").put("domain", "LINUX32");
        ObjectNode process = (ObjectNode) spec.get("process");
        process.putObject("scheduler").put("policy", "SCHED_BATCH").put("nice", 5);
        process.putObject("ioPriority").put("class", "IOPRIO_CLASS_BE").put("priority", 6);
        assertEquals(0, run(spec), this::stderr);
        // stat fields 19 and 41: nice, policy (3 = SCHED_BATCH)
        assertEquals(List.of("example.org", "i686", "5 3", "best-effort: prio 6"), stdout().lines().toList());
    }

    @Test
    void readonlyRootRefusesWrites() throws Exception {
        ObjectNode spec = spec("touch", "/written");
        ((ObjectNode) spec.get("root")).put("readonly", true);
        assertEquals(1, run(spec));
        assertTrue(stderr().contains("Read-only file system"), stderr());
    }

    @Test
    void environmentAndWorkingDirectory() throws Exception {
        ObjectNode spec = spec("sh", "-c", "echo $GREETING; pwd");
        ObjectNode process = (ObjectNode) spec.get("process");
        process.putArray("env").add("PATH=/bin").add("GREETING=hello");
        process.put("cwd", "/work/dir");
        assertEquals(0, run(spec), this::stderr);
        assertEquals("hello\n/work/dir\n", stdout());
    }

    @Test
    void resourceLimits() throws Exception {
        ObjectNode spec = spec("sh", "-c", "ulimit -Sn; ulimit -Hn");
        ((ObjectNode) spec.get("process")).putArray("rlimits").addObject()
                .put("type", "RLIMIT_NOFILE").put("soft", 512).put("hard", 2048);
        assertEquals(0, run(spec), this::stderr);
        assertEquals("512\n2048\n", stdout());
    }

    @Test
    void exitCodeIsPropagated() throws Exception {
        assertEquals(7, run(spec("sh", "-c", "exit 7")));
    }

    @Test
    void deathBySignalIs128PlusSignal() throws Exception {
        // Without a pid namespace the shell is not a namespace init, so its own SIGTERM kills it.
        ObjectNode spec = spec("sh", "-c", "kill -TERM $$");
        ArrayNode namespaces = (ArrayNode) spec.get("linux").get("namespaces");
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            if (namespaces.get(i).get("type").asText().equals("pid")) {
                namespaces.remove(i);
            }
        }
        assertEquals(143, run(spec));
    }

    @Test
    void killedInitGives137() throws Exception {
        Launched l = launch(request(PlanEncoder.encode(plan(spec("sleep", "60"))), true),
                LaunchListener.NONE);
        start();
        posix.libc.kill(l.pid(), Posix.SIGKILL);
        assertEquals(137, l.waitFor());
    }

    @Test
    void foregroundHelperRelaysSignals() throws Exception {
        Launched l = launch(request(PlanEncoder.encode(plan(spec("sh", "-c",
                "trap 'exit 3' TERM; echo ready; while true; do sleep 0.05; done"))), true),
                LaunchListener.NONE);
        start();
        for (int i = 0; i < 400 && !stdout().contains("ready"); i++) {
            Thread.sleep(10);
        }
        posix.libc.kill(l.helperPid(), 15);
        assertEquals(3, l.waitFor());
    }
}
