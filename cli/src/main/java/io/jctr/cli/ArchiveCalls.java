package io.jctr.cli;

import io.jctr.api.services.archive.v1.ArchiveGrpc;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * What {@code images import} and {@code images export} share: the daemon reads and writes the
 * archive itself (the CLI's transport cannot stream a file to it), so paths are made absolute
 * here; and an archive may take longer than the default call timeout, so these calls have a
 * deadline only when {@code --timeout} is given.
 */
final class ArchiveCalls {

    private ArchiveCalls() {
    }

    static ArchiveGrpc.ArchiveBlockingStub stub(ApiClient api, CommandSpec spec) {
        ArchiveGrpc.ArchiveBlockingStub stub = ArchiveGrpc.newBlockingStub(api.channel());
        return timeoutGiven(spec) ? stub.withDeadlineAfter(api.timeoutSeconds(), TimeUnit.SECONDS) : stub;
    }

    static String absolute(String file) {
        return Path.of(file).toAbsolutePath().normalize().toString();
    }

    private static boolean timeoutGiven(CommandSpec spec) {
        for (ParseResult p = spec.root().commandLine().getParseResult(); p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--timeout")) {
                return true;
            }
        }
        return false;
    }
}
