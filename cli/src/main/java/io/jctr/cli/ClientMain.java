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

    public static void main(String[] args) {
        int code = ErrorReporter.install(new CommandLine(new JctrCommand())).execute(args);
        System.out.flush();
        // Netty's threads would keep the JVM alive for their quiet period: leave at once
        Runtime.getRuntime().halt(code);
    }
}
