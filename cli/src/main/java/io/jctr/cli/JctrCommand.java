package io.jctr.cli;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code jctr} command tree. Global options apply to every client command. */
@TopCommand
@Command(name = "jctr", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, versionProvider = ClientVersion.Provider.class,
        description = "jctr: a container runtime platform; a client of the jctr daemon, or the daemon itself")
public class JctrCommand {

    /**
     * The subcommands by name. They are added programmatically rather than listed in the
     * annotation so that {@link ClientMain} can build only the one a command line needs: picocli
     * reads every command class it is given, and that is most of a CLI command's start-up.
     */
    static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

    private static Map<String, Supplier<Object>> subcommands() {
        Map<String, Supplier<Object>> m = new LinkedHashMap<>();
        m.put("version", VersionCommand::new);
        m.put("plugins", PluginsCommand::new);
        m.put("namespaces", NamespacesCommand::new);
        m.put("leases", LeasesCommand::new);
        m.put("images", ImagesCommand::new);
        m.put("content", ContentCommand::new);
        m.put("snapshots", SnapshotsCommand::new);
        m.put("run", RunCommand::new);
        m.put("containers", ContainersCommand::new);
        m.put("tasks", TasksCommand::new);
        m.put("logs", LogsCommand::new);
        m.put("events", EventsCommand::new);
        m.put("completion", CompletionCommand::new);
        m.put("daemon", DaemonCommand::new);
        return m;
    }

    /** Adds the subcommand called (or aliased) {@code name}, or all of them when none is. */
    static CommandLine withSubcommands(CommandLine top, String name) {
        return stopAtPositional(addSubcommands(top, name));
    }

    /** Commands that take another program's command line stop parsing options at their first argument. */
    private static CommandLine stopAtPositional(CommandLine cl) {
        if (cl.getCommand() instanceof TakesCommandLine) {
            cl.setStopAtPositional(true);
        }
        cl.getSubcommands().values().forEach(JctrCommand::stopAtPositional);
        return cl;
    }

    private static CommandLine addSubcommands(CommandLine top, String name) {
        for (Supplier<Object> s : SUBCOMMANDS.values()) {
            Object command = s.get();
            CommandLine.Command spec = command.getClass().getAnnotation(CommandLine.Command.class);
            boolean wanted = name == null || spec.name().equals(name) || java.util.Arrays.asList(spec.aliases()).contains(name);
            if (wanted) {
                top.addSubcommand(command);
                if (name != null) {
                    return top;
                }
            }
        }
        return name == null ? top : addSubcommands(top, null);
    }

    static final String DEFAULT_ADDRESS = "/run/jctr/jctr.sock";

    /** Null when not given: clients then use JCTR_ADDRESS or the default; the daemon its configuration. */
    @Option(names = {"-a", "--address"}, scope = ScopeType.INHERIT, paramLabel = "SOCKET",
            description = "the daemon's socket (env JCTR_ADDRESS; default: " + DEFAULT_ADDRESS + ")")
    String address;

    @Option(names = {"-n", "--namespace"}, scope = ScopeType.INHERIT, paramLabel = "NAME",
            defaultValue = "${env:JCTR_NAMESPACE:-default}",
            description = "the namespace to work in (env JCTR_NAMESPACE; default: ${DEFAULT-VALUE})")
    String namespace;

    @Option(names = "--timeout", scope = ScopeType.INHERIT, paramLabel = "SECONDS", defaultValue = "30",
            description = "give up on a call after this many seconds (default: ${DEFAULT-VALUE})")
    long timeoutSeconds;

    /** The socket a client connects to. */
    String clientAddress() {
        if (address != null) {
            return address;
        }
        String env = System.getenv("JCTR_ADDRESS");
        return env == null || env.isEmpty() ? DEFAULT_ADDRESS : env;
    }
}
