package io.jctr.core.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jctr.spi.JctrException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * {@code --mount} values in ctr's form, {@code type=bind,src=/host,dst=/ctr,options=rbind:ro}
 * (keys {@code type}, {@code source|src}, {@code destination|dst|target}, {@code options} with
 * ':'-separated mount options), turned into OCI spec mounts. A bind mount without bind or rbind
 * in its options gets rbind, and its source must exist on the daemon's host.
 */
final class BindMounts {

    private BindMounts() {
    }

    /**
     * @param exists tells whether a host path exists (the daemon's file system, or a test's)
     * @throws JctrException INVALID_ARGUMENT naming the value and what is wrong with it
     */
    static ObjectNode parse(String value, Predicate<Path> exists) {
        String type = "";
        String source = "";
        String destination = "";
        List<String> options = new ArrayList<>();
        for (String field : value.split(",")) {
            int eq = field.indexOf('=');
            if (eq <= 0) {
                throw invalid(value, "\"" + field + "\" is not key=value");
            }
            String key = field.substring(0, eq).trim();
            String v = field.substring(eq + 1).trim();
            switch (key) {
                case "type" -> type = v;
                case "source", "src" -> source = v;
                case "destination", "dst", "target" -> destination = v;
                case "options" -> {
                    for (String o : v.split(":")) {
                        if (!o.isEmpty()) {
                            options.add(o);
                        }
                    }
                }
                default -> throw invalid(value, "unknown key \"" + key + "\" (want type, src, dst, options)");
            }
        }
        if (type.isEmpty()) {
            throw invalid(value, "type is missing");
        }
        if (!destination.startsWith("/")) {
            throw invalid(value, destination.isEmpty() ? "dst is missing" : "dst " + destination + " is not an absolute path");
        }
        if (type.equals("bind")) {
            if (!source.startsWith("/")) {
                throw invalid(value, source.isEmpty() ? "src is missing" : "src " + source + " is not an absolute path");
            }
            if (!exists.test(Path.of(source))) {
                throw invalid(value, "src " + source + " does not exist");
            }
            if (!options.contains("bind") && !options.contains("rbind")) {
                options.add(0, "rbind");
            }
        }
        ObjectNode m = SpecJson.MAPPER.createObjectNode();
        m.put("destination", destination);
        m.put("type", type);
        m.put("source", source.isEmpty() ? type : source);
        options.forEach(m.putArray("options")::add);
        return m;
    }

    /** The host's view, for the service. */
    static boolean onHost(Path p) {
        return Files.exists(p);
    }

    private static JctrException invalid(String value, String problem) {
        return JctrException.invalidArgument("--mount %s: %s", value, problem);
    }
}
