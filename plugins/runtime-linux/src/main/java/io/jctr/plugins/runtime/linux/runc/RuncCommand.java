package io.jctr.plugins.runtime.linux.runc;

import java.io.IOException;

/** One runc subcommand: its flags, how many arguments it takes, and what it does. */
interface RuncCommand {

    /** The flags it accepts. */
    FlagSet flags();

    /**
     * Whether flags may come after the arguments (runc's CLI library reorders them); false for
     * commands whose trailing arguments are a program's command line.
     */
    default boolean permuteArgs() {
        return true;
    }

    /** The fewest positional arguments. */
    int minArgs();

    /** The most positional arguments, or -1 for any number. */
    int maxArgs();

    /**
     * Runs it.
     *
     * @return the exit code
     */
    int run(Invocation call) throws IOException;
}
