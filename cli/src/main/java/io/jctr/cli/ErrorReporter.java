package io.jctr.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns every failure into one line on stderr, {@code jctr: <what went wrong>}, and an exit
 * code: 2 for a command line that does not parse, 1 for anything else.
 */
final class ErrorReporter implements IExecutionExceptionHandler, IParameterExceptionHandler {

    static CommandLine install(CommandLine cl) {
        ErrorReporter r = new ErrorReporter();
        return cl.setExecutionExceptionHandler(r).setParameterExceptionHandler(r);
    }

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        cmd.getErr().println("jctr: " + e.getMessage() + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
        return 2;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
        cmd.getErr().println("jctr: " + message(e, (JctrCommand) cmd.getCommandSpec().root().userObject()));
        return 1;
    }

    static String message(Throwable e, JctrCommand root) {
        if (e instanceof StatusRuntimeException s) {
            Status status = s.getStatus();
            if (status.getCode() == Status.Code.UNAVAILABLE && status.getDescription() != null
                    && status.getDescription().startsWith("io exception")) {
                return "cannot connect to the jctr daemon at " + root.clientAddress() + ": " + rootCause(s)
                        + " (is 'jctr daemon' running?)";
            }
            String unserved = unservedMethod(status);
            if (unserved != null) {
                return "the daemon does not serve " + unserved + ": the plugin that provides it is disabled"
                        + " or failed to start ('jctr plugins ls -d' says why)";
            }
            if (status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
                return "the daemon did not answer within " + root.timeoutSeconds + "s (--timeout)";
            }
            String d = status.getDescription();
            return d == null || d.isEmpty() ? status.getCode().name().toLowerCase(java.util.Locale.ROOT) : d;
        }
        String m = e.getMessage();
        return m == null || m.isEmpty() ? e.getClass().getSimpleName() : m;
    }

    /**
     * The method of grpc-java's "Method not found: SERVICE/METHOD" (or "unknown service"): the
     * daemon runs, but no plugin registered that service; {@code null} for any other status.
     */
    static String unservedMethod(Status status) {
        String d = status.getDescription();
        if (status.getCode() != Status.Code.UNIMPLEMENTED || d == null) {
            return null;
        }
        for (String prefix : new String[] {"Method not found: ", "unknown service "}) {
            if (d.startsWith(prefix)) {
                return d.substring(prefix.length());
            }
        }
        return null;
    }

    private static String rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }
}
