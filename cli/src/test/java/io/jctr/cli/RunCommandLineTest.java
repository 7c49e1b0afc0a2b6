package io.jctr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.jctr.api.services.run.v1.RunOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** How {@code jctr run} and friends read their command lines, and what they send the Run service. */
class RunCommandLineTest {

    private static <T> T parse(String name, Class<T> type, String... args) {
        CommandLine top = JctrCommand.withSubcommands(new CommandLine(new JctrCommand()), null);
        CommandLine.ParseResult r = top.parseArgs(args);
        while (r.hasSubcommand()) {
            r = r.subcommand();
        }
        assertEquals(name, r.commandSpec().name());
        return type.cast(r.commandSpec().userObject());
    }

    @Test
    void runTakesOptionsBeforeTheImageAndTheRestAsTheCommand() {
        RunCommand run = parse("run", RunCommand.class, "-n", "ns1", "run", "--rm", "-t", "-i", "--env", "A=1", "-e", "B",
                "--mount", "type=bind,src=/a,dst=/b", "--net", "host", "--memory-limit", "64m", "--cpus", "1.5", "--pids-limit", "9",
                "--user", "www:staff", "--cwd", "/w", "--read-only", "--privileged", "--cap-add", "CAP_NET_ADMIN", "--cap-drop", "ALL",
                "--label", "k=v", "--snapshotter", "native", "--runtime", "io.jctr.other", "busybox", "c1", "sh", "-c", "exit 7", "--rm");
        assertTrue(run.rm && run.tty && run.interactive);
        assertEquals("busybox", run.image);
        assertEquals("c1", run.id);
        assertEquals(List.of("sh", "-c", "exit 7", "--rm"), run.command, "after the image everything is the container's");
        assertEquals("native", run.snapshotter);
        RunOptions o = run.options.toProto(run.command, run.tty, run.interactive);
        assertEquals(List.of("A=1", "B"), o.getEnvList());
        assertEquals(List.of("type=bind,src=/a,dst=/b"), o.getMountsList());
        assertEquals("host", o.getNet());
        assertEquals(64L << 20, o.getMemoryLimit());
        assertEquals(1.5, o.getCpus());
        assertEquals(9, o.getPidsLimit());
        assertEquals("www:staff", o.getUser());
        assertEquals("/w", o.getCwd());
        assertTrue(o.getReadOnly() && o.getPrivileged() && o.getTerminal() && o.getStdin());
        assertEquals(List.of("CAP_NET_ADMIN"), o.getCapAddList());
        assertEquals(List.of("ALL"), o.getCapDropList());
        assertEquals("v", o.getLabelsOrThrow("k"));
        assertEquals(List.of("sh", "-c", "exit 7", "--rm"), o.getArgsList());
    }

    @Test
    void envFileIsReadByTheClient(@TempDir Path tmp) throws Exception {
        Path f = Files.writeString(tmp.resolve("env"), "# c\nX=1\n");
        RunCommand run = parse("run", RunCommand.class, "run", "--env-file", f.toString(), "img", "c1");
        assertEquals("# c\nX=1\n", run.options.toProto(List.of(), false, false).getEnvFile());
        RunCommand missing = parse("run", RunCommand.class, "run", "--env-file", tmp.resolve("nope").toString(), "img", "c1");
        CliException e = assertThrows(CliException.class, () -> missing.options.toProto(List.of(), false, false));
        assertTrue(e.getMessage().startsWith("--env-file " + tmp.resolve("nope") + ": cannot read it"), e.getMessage());
    }

    @Test
    void sizes() {
        assertEquals(1024, RunOptionsMixin.bytes("1024", "--memory-limit"));
        assertEquals(64 << 10, RunOptionsMixin.bytes("64k", "--memory-limit"));
        assertEquals(64L << 20, RunOptionsMixin.bytes("64M", "--memory-limit"));
        assertEquals(2L << 30, RunOptionsMixin.bytes("2gb", "--memory-limit"));
        assertEquals(-1, RunOptionsMixin.bytes("-1", "--memory-limit"), "a negative value is the daemon's to refuse, by name");
        CliException e = assertThrows(CliException.class, () -> RunOptionsMixin.bytes("lots", "--memory-limit"));
        assertEquals("--memory-limit lots: not a size (want bytes, or a number with k, m or g)", e.getMessage());
    }

    @Test
    void execAndCreateAlsoStopAtTheirArguments() {
        TasksExecCommand exec = parse("exec", TasksExecCommand.class, "tasks", "exec", "--exec-id", "e1", "-t", "c1", "ls", "-l");
        assertEquals(List.of("ls", "-l"), exec.command);
        ContainersCommand.Create create = parse("create", ContainersCommand.Create.class, "containers", "create", "img", "c2", "sh", "-x");
        assertEquals(List.of("sh", "-x"), create.command);
    }

    @Test
    void killTakesSignalNamesAndNumbers() {
        assertEquals(15, SignalNames.parse("SIGTERM", "--signal"));
        assertEquals(9, SignalNames.parse("kill", "--signal"));
        assertEquals(10, SignalNames.parse("SIGUSR1", "--signal"));
        assertEquals(28, SignalNames.parse("WINCH", "--signal"));
        assertEquals(34, SignalNames.parse("34", "--signal"));
        CliException e = assertThrows(CliException.class, () -> SignalNames.parse("SIGNOPE", "--signal"));
        assertEquals("--signal SIGNOPE: not a signal (e.g. SIGTERM, KILL or 9)", e.getMessage());
    }

    @Test
    void onlyTheRunServicesImageAnswerTriggersAPull() {
        assertTrue(ContainerCreation.imageMissing(Status.NOT_FOUND.withDescription("image \"busybox\": not found")));
        assertEquals(false, ContainerCreation.imageMissing(Status.NOT_FOUND.withDescription("content sha256:ab: not found")));
        assertEquals(false, ContainerCreation.imageMissing(Status.ALREADY_EXISTS.withDescription("image \"x\": already exists")));
    }

    @Test
    void theExecProcessIsTheContainersWithNewArgs() {
        var c = io.jctr.api.services.containers.v1.Container.newBuilder().setId("c1").setSpec(com.google.protobuf.Any.newBuilder()
                .setTypeUrl("types.containerd.io/opencontainers/runtime-spec/1/Spec").setValue(com.google.protobuf.ByteString.copyFromUtf8(
                        "{\"process\":{\"args\":[\"sh\"],\"env\":[\"PATH=/bin\"],\"cwd\":\"/\",\"user\":{\"uid\":33,\"gid\":33}}}"))).build();
        String json = new String(TasksExecCommand.processJson(c, List.of("echo", "hi"), true, "/tmp", List.of("X=1")),
                java.nio.charset.StandardCharsets.UTF_8);
        var p = JsonReader.object(JsonReader.parse(json));
        assertEquals(List.of("echo", "hi"), p.get("args"));
        assertEquals(List.of("PATH=/bin", "X=1"), p.get("env"));
        assertEquals("/tmp", p.get("cwd"));
        assertEquals(true, p.get("terminal"));
        assertEquals(33L, JsonReader.object(p.get("user")).get("uid"));
    }

    @Test
    void completionComesFromPicocli() {
        CommandLine top = JctrCommand.withSubcommands(new CommandLine(new JctrCommand()), null);
        java.io.StringWriter out = new java.io.StringWriter();
        top.setOut(new java.io.PrintWriter(out));
        assertEquals(0, top.execute("completion", "bash"));
        assertTrue(out.toString().contains("function _complete_jctr"), out.toString().substring(0, 200));
        assertTrue(out.toString().contains("--memory-limit"));
    }
}
