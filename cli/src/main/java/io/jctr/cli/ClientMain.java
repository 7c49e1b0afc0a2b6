package io.jctr.cli;

import picocli.CommandLine;

/**
 * The plain-Java entry point bin/jctr uses for client commands: the same command classes as the
 * Quarkus application, without booting Quarkus, so that a command answers in well under a
 * second. The daemon runs through the Quarkus application.
 */
public final class ClientMain {

    private ClientMain() {
    }

    /** The first argument that is neither a global option nor its value, or null. */
    static String commandName(String[] args) {
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-a", "--address", "-n", "--namespace", "--timeout" -> i++;
                default -> {
                    if (!args[i].startsWith("-")) {
                        return args[i];
                    }
                }
            }
        }
        return null;
    }

    public static void main(String[] args) {
        CommandLine top = JctrCommand.withSubcommands(new CommandLine(new JctrCommand()), commandName(args));
        int code = ErrorReporter.install(top).execute(args);
        System.out.flush();
        if (System.getProperty(CdsTraining.PROPERTY) != null) {
            CdsTraining.loadClasses();
        }
        // leave at once: nothing is left to run down (the commands closed their connections)
        Runtime.getRuntime().halt(code);
    }
}
