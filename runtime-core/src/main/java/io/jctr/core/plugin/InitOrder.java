package io.jctr.core.plugin;

import io.jctr.spi.PluginType;
import io.jctr.spi.Registration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Orders plugins so that every plugin comes after the plugins of the types it requires
 * (containerd's registry sort). Event exchanges come first because every plugin may publish;
 * plugins requiring {@link Registration#ALL} come last. Plugins on a dependency cycle are marked
 * {@code error} with the cycle spelled out and left out of the order.
 */
final class InitOrder {

    private enum Mark { VISITING, DONE }

    private final List<PluginRecord> all;
    private final Map<PluginRecord, Mark> marks = new HashMap<>();
    private final Deque<PluginRecord> path = new ArrayDeque<>();
    private final List<PluginRecord> ordered = new ArrayList<>();

    private InitOrder(List<PluginRecord> all) {
        this.all = all;
    }

    static List<PluginRecord> sort(List<PluginRecord> records) {
        InitOrder order = new InitOrder(records);
        for (PluginRecord r : records) {
            if (isType(r, PluginType.EVENT)) {
                order.visit(r);
            }
        }
        for (PluginRecord r : records) {
            if (!requiresAll(r)) {
                order.visit(r);
            }
        }
        for (PluginRecord r : records) {
            order.visit(r);
        }
        return order.ordered;
    }

    private void visit(PluginRecord r) {
        Mark mark = marks.get(r);
        if (mark == Mark.DONE) {
            return;
        }
        if (mark == Mark.VISITING) {
            failCycle(r);
            return;
        }
        marks.put(r, Mark.VISITING);
        path.addLast(r);
        for (PluginRecord dep : dependencies(r)) {
            visit(dep);
        }
        path.removeLast();
        marks.put(r, Mark.DONE);
        if (r.status() == null) {
            ordered.add(r);
        }
    }

    private List<PluginRecord> dependencies(PluginRecord r) {
        List<PluginRecord> deps = new ArrayList<>();
        for (String type : r.registration().requiredTypes()) {
            for (PluginRecord other : all) {
                if (other == r) {
                    continue;
                }
                boolean matches = Registration.ALL.equals(type) ? !requiresAll(other) : isType(other, type);
                if (matches) {
                    deps.add(other);
                }
            }
        }
        return deps;
    }

    private void failCycle(PluginRecord repeated) {
        List<PluginRecord> cycle = new ArrayList<>();
        boolean in = false;
        for (PluginRecord p : path) {
            in |= p == repeated;
            if (in) {
                cycle.add(p);
            }
        }
        cycle.add(repeated);
        String text = "dependency cycle: " + cycle.stream().map(p -> p.registration().name()).collect(Collectors.joining(" -> "));
        for (PluginRecord p : cycle) {
            if (p.status() == null) {
                p.error(text);
            }
        }
    }

    private static boolean isType(PluginRecord r, String type) {
        return r.registration().type().equals(type);
    }

    private static boolean requiresAll(PluginRecord r) {
        return r.registration().requiredTypes().contains(Registration.ALL);
    }
}
