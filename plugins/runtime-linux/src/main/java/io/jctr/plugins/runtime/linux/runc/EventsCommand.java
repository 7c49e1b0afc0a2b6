package io.jctr.plugins.runtime.linux.runc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jctr.plugins.runtime.linux.cgroups.OomWatch;
import io.jctr.plugins.runtime.linux.container.GoJson;
import io.jctr.spi.JctrException;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code events [--stats] [--interval D] ID}: JSON lines, {@code {"type":"stats","id":...,
 * "data":{...}}} every interval (default 5 s) and {@code {"type":"oom","id":...}} when the
 * cgroup runs out of memory, until the container is gone; with {@code --stats} one stats line.
 */
final class EventsCommand extends RuncCommand {

    EventsCommand() {
        super(1, 1);
    }

    private static final ObjectMapper MAPPER = GoJson.MAPPER;
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    @Override
    FlagSet flags() {
        return new FlagSet().value("interval").bool("stats");
    }

    @Override
    int run(Invocation call) throws IOException {
        String id = call.id();
        Duration interval = duration(call.flags().get("interval", "5s"));
        PrintStream out = call.out();
        if (call.flags().has("stats")) {
            print(out, stats(call, id));
            return 0;
        }
        call.containers().record(id);
        Thread oom = new Thread(() -> watchOom(call, id, out), "oom-watch");
        oom.setDaemon(true);
        oom.start();
        try {
            while (true) {
                ObjectNode event;
                try {
                    event = stats(call, id);
                } catch (JctrException e) {
                    return 0; // the container stopped or was deleted: the stream ends
                }
                print(out, event);
                Thread.sleep(interval.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } finally {
            oom.interrupt();
        }
    }

    private static ObjectNode stats(Invocation call, String id) throws IOException {
        ObjectNode event = MAPPER.createObjectNode().put("type", "stats").put("id", id);
        event.set("data", MAPPER.valueToTree(call.containers().stats(id)));
        return event;
    }

    private static void watchOom(Invocation call, String id, PrintStream out) {
        try (OomWatch watch = call.containers().watchOom(id)) {
            while (true) {
                OomWatch.Event e = watch.await(Duration.ofSeconds(1));
                if (e == OomWatch.Event.OOM) {
                    print(out, MAPPER.createObjectNode().put("type", "oom").put("id", id));
                } else if (e != OomWatch.Event.TIMEOUT) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            call.log().warn("events: cannot watch for out-of-memory events: " + e.getMessage());
        }
    }

    private static synchronized void print(PrintStream out, ObjectNode event) {
        out.println(event);
        out.flush();
    }

    /** A Go duration: {@code 5s}, {@code 100ms}, {@code 1m30s}. */
    static Duration duration(String text) {
        Matcher m = DURATION.matcher(text);
        long nanos = 0;
        int end = 0;
        while (m.find() && m.start() == end) {
            double v = Double.parseDouble(m.group(1));
            long unit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            nanos += (long) (v * unit);
            end = m.end();
        }
        if (end != text.length() || text.isEmpty() || nanos <= 0) {
            throw JctrException.invalidArgument("invalid value \"%s\" for flag -interval: duration must be greater than 0", text);
        }
        return Duration.ofNanos(nanos);
    }
}
