package io.jctr.cli;

/** A failure the CLI reports as one line on stderr with a non-zero exit code. */
final class CliException extends RuntimeException {

    CliException(String message) {
        super(message);
    }
}
