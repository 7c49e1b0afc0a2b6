package io.jctr.plugins.runtime.linux.runc;

import io.jctr.plugins.runtime.linux.container.LinuxContainers;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * One run of a subcommand: the containers under the global {@code --root}, the log, the global
 * flags and the subcommand's own parsed flags.
 *
 * @param containers the containers
 * @param log        where errors and warnings go
 * @param global     the global flags
 * @param flags      the subcommand's flags and arguments
 * @param invoker    the streams and working directory of the command line
 */
record Invocation(LinuxContainers containers, RuncLog log, FlagSet.Parsed global, FlagSet.Parsed flags,
        Invoker invoker) {

    /** The first argument: the container id of most commands. */
    String id() {
        return flags.arg(0);
    }

    /** Standard output. */
    PrintStream out() {
        return invoker.out();
    }

    /** {@code path} resolved against the invoker's working directory. */
    Path path(String path) {
        return invoker.path(path);
    }
}
