package io.jctr.cli;

import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;

/**
 * The plain-Java entry point bin/jctr uses for client commands: the same command classes as the
 * Quarkus application, without booting Quarkus, so that a command answers in well under a
 * second. The daemon runs through the Quarkus application.
 */
public final class ClientMain {

    /** Held so the level set on it is not lost when the logger is collected. */
    private static final Logger NETTY = Logger.getLogger("io.netty");

    private ClientMain() {
    }

    public static void main(String[] args) {
        // Outside Quarkus the SLF4J bridge on the class path has no log manager: Netty logs
        // through java.util.logging instead, and its notes (SO_KEEPALIVE on a unix socket) are
        // noise on a terminal.
        InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
        NETTY.setLevel(Level.SEVERE);
        int code = ErrorReporter.install(new CommandLine(new JctrCommand())).execute(args);
        System.out.flush();
        // Netty's threads would keep the JVM alive for their quiet period: leave at once
        Runtime.getRuntime().halt(code);
    }
}
