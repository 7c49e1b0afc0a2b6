package io.jctr.plugins.runtime.linux.runc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jctr.plugins.runtime.linux.container.GoJson;
import io.jctr.plugins.runtime.linux.spec.Resources;
import io.jctr.plugins.runtime.linux.spec.SpecParser;
import io.jctr.spi.JctrException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code update [-r resources.json|-] [--memory 10M] [--cpu-quota N] ... ID}: changes a live
 * container's limits. Only what is given changes, as in runc (a flag's 0 means "unchanged");
 * sizes take runc's binary units ({@code 512k}, {@code 10M}, {@code 1g}); {@code -1} is
 * unlimited.
 */
final class UpdateCommand extends RuncCommand {

    UpdateCommand() {
        super(1, 1);
    }

    private static final ObjectMapper MAPPER = GoJson.MAPPER;
    private static final Pattern RAM = Pattern.compile("(?i)(\\d+(?:\\.\\d+)?)\\s*([kmgtp]?)(i?b)?");

    @Override
    FlagSet flags() {
        return new FlagSet().value("resources", "r").value("blkio-weight").value("cpu-period").value("cpu-quota")
                .value("cpu-share").value("cpu-rt-period").value("cpu-rt-runtime").value("cpuset-cpus")
                .value("cpuset-mems").value("kernel-memory").value("kernel-memory-tcp").value("memory")
                .value("memory-reservation").value("memory-swap").value("pids-limit").value("l3-cache-schema")
                .value("mem-bw-schema");
    }

    @Override
    int run(Invocation call) throws IOException {
        FlagSet.Parsed f = call.flags();
        if (f.given("l3-cache-schema") || f.given("mem-bw-schema")) {
            throw JctrException.failedPrecondition("Intel RDT is not supported");
        }
        JsonNode resources = f.given("resources") ? readResources(call, f.get("resources", "")) : fromFlags(call);
        ObjectNode spec = MAPPER.createObjectNode().put("ociVersion", "1.0.0");
        spec.putObject("linux").set("resources", resources);
        Resources parsed = SpecParser.read(MAPPER.writeValueAsBytes(spec)).linux().resources();
        call.containers().update(call.id(), parsed);
        return 0;
    }

    private static JsonNode readResources(Invocation call, String path) throws IOException {
        byte[] bytes = path.equals("-") ? call.invoker().in().readAllBytes() : Files.readAllBytes(call.path(path));
        JsonNode node;
        try {
            node = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw JctrException.invalidArgument("resources: malformed json: %s", e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw JctrException.invalidArgument("resources: expected an object");
        }
        return node;
    }

    private static JsonNode fromFlags(Invocation call) {
        FlagSet.Parsed f = call.flags();
        ObjectNode r = MAPPER.createObjectNode();
        ObjectNode cpu = MAPPER.createObjectNode();
        unsigned(f, "cpu-period", cpu, "period");
        signed(f, "cpu-quota", cpu, "quota");
        unsigned(f, "cpu-share", cpu, "shares");
        unsigned(f, "cpu-rt-period", cpu, "realtimePeriod");
        signed(f, "cpu-rt-runtime", cpu, "realtimeRuntime");
        if (!f.get("cpuset-cpus", "").isEmpty()) {
            cpu.put("cpus", f.get("cpuset-cpus", ""));
        }
        if (!f.get("cpuset-mems", "").isEmpty()) {
            cpu.put("mems", f.get("cpuset-mems", ""));
        }
        if (!cpu.isEmpty()) {
            r.set("cpu", cpu);
        }
        ObjectNode memory = MAPPER.createObjectNode();
        size(f, "memory", memory, "limit");
        size(f, "memory-swap", memory, "swap");
        size(f, "memory-reservation", memory, "reservation");
        if (f.given("kernel-memory") || f.given("kernel-memory-tcp")) {
            call.log().warn("Kernel memory settings are ignored and will be removed");
        }
        if (!memory.isEmpty()) {
            r.set("memory", memory);
        }
        if (f.given("pids-limit")) {
            long limit = integer(f, "pids-limit");
            if (limit != 0) {
                r.putObject("pids").put("limit", limit);
            }
        }
        if (f.given("blkio-weight")) {
            long weight = integer(f, "blkio-weight");
            if (weight != 0) {
                r.putObject("blockIO").put("weight", weight);
            }
        }
        return r;
    }

    private static void unsigned(FlagSet.Parsed f, String flag, ObjectNode into, String field) {
        if (!f.get(flag, "").isEmpty()) {
            long v = integer(f, flag);
            if (v < 0) {
                throw JctrException.invalidArgument("invalid value for %s: %s", flag, f.get(flag, ""));
            }
            if (v != 0) {
                into.put(field, v);
            }
        }
    }

    private static void signed(FlagSet.Parsed f, String flag, ObjectNode into, String field) {
        if (!f.get(flag, "").isEmpty()) {
            long v = integer(f, flag);
            if (v != 0) {
                into.put(field, v);
            }
        }
    }

    private static long integer(FlagSet.Parsed f, String flag) {
        try {
            return Long.parseLong(f.get(flag, ""));
        } catch (NumberFormatException e) {
            throw JctrException.invalidArgument("invalid value for %s: %s", flag, f.get(flag, ""));
        }
    }

    private static void size(FlagSet.Parsed f, String flag, ObjectNode into, String field) {
        String v = f.get(flag, "");
        if (v.isEmpty()) {
            return;
        }
        long bytes = v.equals("-1") ? -1 : ramInBytes(flag, v);
        if (bytes != 0) {
            into.put(field, bytes);
        }
    }

    /** docker's units.RAMInBytes, which runc uses: binary multiples, case-insensitive. */
    static long ramInBytes(String flag, String text) {
        Matcher m = RAM.matcher(text.trim());
        if (!m.matches()) {
            throw JctrException.invalidArgument("invalid value for %s: invalid size: '%s'", flag, text);
        }
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2).toLowerCase(Locale.ROOT);
        int power = unit.isEmpty() ? 0 : "kmgtp".indexOf(unit) + 1;
        return (long) (v * Math.pow(1024, power));
    }
}
