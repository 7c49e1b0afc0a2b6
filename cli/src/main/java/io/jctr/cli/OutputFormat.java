package io.jctr.cli;

import picocli.CommandLine.Option;

/** The {@code --format} option of listing commands. */
final class OutputFormat {

    enum Format { table, json }

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    Format format;

    boolean json() {
        return format == Format.json;
    }
}
