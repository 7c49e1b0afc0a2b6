package io.jctr.plugins.runtime.linux.runc;

import java.io.IOException;

/** One runc subcommand: its flags, how many arguments it takes, and what it does. */
abstract class RuncCommand {

    private final int minArgs;
    private final int maxArgs;
    private final boolean permuteArgs;

    /**
     * @param minArgs     the fewest positional arguments
     * @param maxArgs     the most, or -1 for any number
     * @param permuteArgs whether flags may come after the arguments (runc's CLI library
     *                    reorders them); false for commands whose trailing arguments are a
     *                    program's command line
     */
    RuncCommand(int minArgs, int maxArgs, boolean permuteArgs) {
        this.minArgs = minArgs;
        this.maxArgs = maxArgs;
        this.permuteArgs = permuteArgs;
    }

    /** A command whose flags may follow its arguments. */
    RuncCommand(int minArgs, int maxArgs) {
        this(minArgs, maxArgs, true);
    }

    /** The flags it accepts. */
    abstract FlagSet flags();

    /**
     * Runs it.
     *
     * @return the exit code
     */
    abstract int run(Invocation call) throws IOException;

    final int minArgs() {
        return minArgs;
    }

    final int maxArgs() {
        return maxArgs;
    }

    final boolean permuteArgs() {
        return permuteArgs;
    }
}
