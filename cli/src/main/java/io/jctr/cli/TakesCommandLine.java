package io.jctr.cli;

/**
 * Marks a command whose trailing arguments are another program's command line ({@code jctr run
 * IMAGE ID sh -c ...}): everything from its first positional argument on is an argument, never
 * a jctr option, as with docker and ctr.
 */
interface TakesCommandLine {
}
