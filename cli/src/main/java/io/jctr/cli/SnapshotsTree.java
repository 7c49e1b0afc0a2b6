package io.jctr.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ctr snapshots tree}: every parent-less snapshot in listing order, its children below
 * it indented two spaces a level behind {@code \_}. A parent the listing does not hold (another
 * snapshotter's, or removed meanwhile) still gets its line, as in ctr.
 */
final class SnapshotsTree {

    private final Map<String, Node> nodes = new LinkedHashMap<>();

    private static final class Node {
        String parent = "";
        final List<String> children = new ArrayList<>();
    }

    /** Adds a snapshot; {@code parent} is empty for a root. */
    SnapshotsTree add(String name, String parent) {
        Node n = nodes.computeIfAbsent(name, k -> new Node());
        n.parent = parent;
        if (!parent.isEmpty()) {
            nodes.computeIfAbsent(parent, k -> new Node()).children.add(name);
        }
        return this;
    }

    List<String> lines() {
        List<String> out = new ArrayList<>();
        nodes.forEach((name, node) -> {
            if (node.parent.isEmpty()) {
                print(name, 0, out);
            }
        });
        return out;
    }

    private void print(String name, int level, List<String> out) {
        out.add("  ".repeat(level) + (level > 0 ? "\\_" : "") + " " + name);
        for (String child : nodes.get(name).children) {
            print(child, level + 1, out);
        }
    }
}
