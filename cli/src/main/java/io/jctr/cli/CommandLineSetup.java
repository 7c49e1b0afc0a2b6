package io.jctr.cli;

import io.quarkus.picocli.runtime.PicocliCommandLineFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import picocli.CommandLine;

/** Gives the Quarkus-run command line the same error reporting as {@link ClientMain}. */
@ApplicationScoped
class CommandLineSetup {

    @Produces
    CommandLine commandLine(PicocliCommandLineFactory factory) {
        return ErrorReporter.install(JctrCommand.withSubcommands(factory.create(), null));
    }
}
