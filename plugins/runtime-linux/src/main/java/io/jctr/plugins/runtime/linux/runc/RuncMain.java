package io.jctr.plugins.runtime.linux.runc;

import io.jctr.plugins.runtime.linux.container.LinuxContainers;
import io.jctr.plugins.runtime.linux.container.StateDirectory;
import io.jctr.spi.JctrException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code jctr-runc}: runc 1.1's command line over jctr's native runtime, so containerd (with
 * {@code --runc-binary} or a runtime config), podman and runc's own test suite can drive it. A
 * plain-Java entry point, no framework, because every container operation starts a JVM.
 *
 * <p>Exit codes as runc: 0 on success, 1 on any error (one log line naming it), and for
 * {@code run} and {@code exec} in the foreground the program's own exit code.
 */
public final class RuncMain {

    static final String VERSION = "0.1.0";

    private static final FlagSet GLOBAL = new FlagSet()
            .bool("debug").value("log").value("log-format").value("root").value("criu")
            .bool("systemd-cgroup").value("rootless").bool("help", "h").bool("version", "v");

    private static final Map<String, RuncCommand> COMMANDS = Map.ofEntries(
            Map.entry("create", new CreateCommand(false)),
            Map.entry("run", new CreateCommand(true)),
            Map.entry("start", LifecycleCommands.START),
            Map.entry("state", LifecycleCommands.STATE),
            Map.entry("list", LifecycleCommands.LIST),
            Map.entry("kill", LifecycleCommands.KILL),
            Map.entry("delete", LifecycleCommands.DELETE),
            Map.entry("pause", LifecycleCommands.PAUSE),
            Map.entry("resume", LifecycleCommands.RESUME),
            Map.entry("exec", new ExecCommand()),
            Map.entry("events", new EventsCommand()),
            Map.entry("update", new UpdateCommand()),
            Map.entry("ps", new PsCommand()),
            Map.entry("spec", new SpecCommand()),
            Map.entry("features", new FeaturesCommand()),
            Map.entry("checkpoint", new CheckpointCommand()),
            Map.entry("restore", new RestoreCommand()));

    /** runc's one-line usage of each command, shown by {@code -h}. */
    private static final Map<String, String> USAGE = Map.ofEntries(
            Map.entry("checkpoint", "checkpoint a running container"),
            Map.entry("create", "create a container"),
            Map.entry("delete", "delete any resources held by the container often used with detached container"),
            Map.entry("events", "display container events such as OOM notifications, cpu, memory, and IO usage statistics"),
            Map.entry("exec", "execute new process inside the container"),
            Map.entry("features", "show the enabled features"),
            Map.entry("kill", "kill sends the specified signal (default: SIGTERM) to the container's init process"),
            Map.entry("list", "lists containers started by runc with the given root"),
            Map.entry("pause", "pause suspends all processes inside the container"),
            Map.entry("ps", "ps displays the processes running inside a container"),
            Map.entry("restore", "restore a container from a previous checkpoint"),
            Map.entry("resume", "resumes all processes that have been previously paused"),
            Map.entry("run", "create and run a container"),
            Map.entry("spec", "create a new specification file"),
            Map.entry("start", "executes the user defined process in a created container"),
            Map.entry("state", "output the state of a container"),
            Map.entry("update", "update container resource constraints"));

    private RuncMain() {
    }

    public static void main(String[] argv) {
        Invoker self = Invoker.self();
        int code = run(Arrays.asList(argv), self);
        self.out().flush();
        System.exit(code);
    }

    /** Runs the command line {@code argv} for {@code invoker}; returns the exit code. */
    public static int run(List<String> argv, Invoker invoker) {
        PrintStream out = invoker.out();
        RuncLog log = RuncLog.stderr(invoker.err());
        try {
            FlagSet.Parsed global = GLOBAL.parse(argv);
            if (global.has("version")) {
                out.println("jctr-runc version " + VERSION + "\ncommit: "
                        + System.getProperty("jctr.revision", "unknown") + "\nspec: 1.1.0");
                return 0;
            }
            String logFile = global.get("log", "");
            log = RuncLog.open(logFile.isEmpty() ? null : invoker.path(logFile), global.get("log-format", "text"),
                    global.has("debug"), invoker.err());
            if (global.args().isEmpty() || global.has("help") || global.arg(0).equals("help")) {
                out.print(appHelp());
                return 0;
            }
            String name = global.arg(0);
            if (USAGE.containsKey(name) && wantsHelp(global.args().subList(1, global.args().size()))) {
                out.print("NAME:\n   jctr-runc " + name + " - " + USAGE.get(name) + "\n");
                return 0;
            }
            RuncCommand command = COMMANDS.get(name);
            if (command == null && wantsHelp(global.args().subList(1, global.args().size()))) {
                throw JctrException.invalidArgument("No help topic for '%s'", name);
            }
            if (command == null) {
                throw JctrException.invalidArgument("no such command: %s", name);
            }
            FlagSet.Parsed flags = command.flags().parse(global.args().subList(1, global.args().size()),
                    command.permuteArgs());
            checkArgs(name, command, flags.args().size());
            Path root = invoker.path(global.get("root", "/run/jctr-runc"));
            RuncLog warnTo = log;
            LinuxContainers containers = new LinuxContainers(new StateDirectory(root), warnTo::warn, invoker.caller());
            log.debug("jctr-runc " + name + " " + String.join(" ", flags.args()) + " (root " + root + ")");
            int code = command.run(new Invocation(containers, log, global, flags, invoker));
            log.debug("jctr-runc " + name + " done: exit code " + code);
            return code;
        } catch (JctrException | IOException | IllegalArgumentException | java.io.UncheckedIOException e) {
            log.error(e.getMessage() == null ? e.toString() : e.getMessage());
            return 1;
        }
    }

    /** Whether {@code -h}/{@code --help} comes before the first argument that is not a flag. */
    private static boolean wantsHelp(List<String> args) {
        for (String a : args) {
            if (!a.startsWith("-") || a.equals("--")) {
                return false;
            }
            if (a.equals("-h") || a.equals("--help") || a.equals("-help")) {
                return true;
            }
        }
        return false;
    }

    private static String appHelp() {
        StringBuilder b = new StringBuilder("NAME:\n   jctr-runc - Open Container Initiative runtime (jctr)\n\n"
                + "USAGE:\n   jctr-runc [global options] command [command options] [arguments...]\n\nCOMMANDS:\n");
        USAGE.keySet().stream().sorted().forEach(n -> b.append("   ").append(n).append(" ".repeat(12 - n.length()))
                .append(USAGE.get(n)).append('\n'));
        b.append("\nGLOBAL OPTIONS:\n   --debug, --log FILE, --log-format text|json, --root DIR (default /run/jctr-runc),\n"
                + "   --systemd-cgroup (not supported), --rootless auto|true|false, --help, --version\n");
        return b.toString();
    }

    private static void checkArgs(String name, RuncCommand c, int n) {
        if (c.minArgs() == c.maxArgs() && n != c.minArgs()) {
            throw JctrException.invalidArgument("jctr-runc: \"%s\" requires exactly %d argument(s)", name, c.minArgs());
        }
        if (n < c.minArgs()) {
            throw JctrException.invalidArgument("jctr-runc: \"%s\" requires a minimum of %d argument(s)", name, c.minArgs());
        }
        if (c.maxArgs() >= 0 && n > c.maxArgs()) {
            throw JctrException.invalidArgument("jctr-runc: \"%s\" requires a maximum of %d argument(s)", name, c.maxArgs());
        }
    }
}
