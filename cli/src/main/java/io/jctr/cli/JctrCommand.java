package io.jctr.cli;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code jctr} command tree. Global options apply to every client command. */
@TopCommand
@Command(name = "jctr", mixinStandardHelpOptions = true, versionProvider = ClientVersion.Provider.class,
        description = "jctr: a container runtime platform; a client of the jctr daemon, or the daemon itself",
        subcommands = {
            VersionCommand.class,
            PluginsCommand.class,
            NamespacesCommand.class,
            LeasesCommand.class,
            DaemonCommand.class,
        })
public class JctrCommand {

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
