package io.jctr.plugins.runtime.linux.runc;

import io.jctr.spi.JctrException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code ps [-f table|json] ID [ps-options]}: the container's processes. JSON is the pid list;
 * the table runs the host's {@code ps} (default {@code -ef}) and keeps the header and the rows
 * whose PID column is one of the container's, as runc does.
 */
final class PsCommand extends RuncCommand {

    PsCommand() {
        super(1, -1, false);
    }

    @Override
    FlagSet flags() {
        return new FlagSet().value("format", "f");
    }

    @Override
    int run(Invocation call) throws IOException {
        List<Integer> pids = call.containers().pids(call.id());
        String format = call.flags().get("format", "table");
        if (format.equals("json")) {
            call.out().println(pids.stream().map(String::valueOf).collect(Collectors.joining(",", "[", "]")));
            return 0;
        }
        if (!format.equals("table")) {
            throw JctrException.invalidArgument("invalid format option");
        }
        List<String> command = new ArrayList<>();
        command.add("ps");
        List<String> psArgs = call.flags().args().subList(1, call.flags().args().size());
        command.addAll(psArgs.isEmpty() ? List.of("-ef") : psArgs);
        Process ps = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (ps.waitFor() != 0) {
                throw new IOException("ps: exit status " + ps.exitValue() + ": " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running ps", e);
        }
        String[] lines = output.split("\n");
        int pidColumn = List.of(lines[0].trim().split("\\s+")).indexOf("PID");
        if (pidColumn < 0) {
            throw new IOException("couldn't find PID field in ps output");
        }
        Set<Integer> wanted = new HashSet<>(pids);
        StringBuilder out = new StringBuilder(lines[0]).append('\n');
        for (int i = 1; i < lines.length; i++) {
            String[] fields = lines[i].trim().split("\\s+");
            if (lines[i].isBlank() || fields.length <= pidColumn) {
                continue;
            }
            try {
                if (wanted.contains(Integer.parseInt(fields[pidColumn]))) {
                    out.append(lines[i]).append('\n');
                }
            } catch (NumberFormatException e) {
                throw new IOException("unable to parse pid: " + fields[pidColumn], e);
            }
        }
        call.out().print(out);
        return 0;
    }
}
