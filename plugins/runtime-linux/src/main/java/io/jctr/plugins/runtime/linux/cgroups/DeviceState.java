package io.jctr.plugins.runtime.linux.cgroups;

import io.jctr.plugins.runtime.linux.spec.Resources;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What a v1 devices cgroup allows, modelled on the kernel's (security/device_cgroup.c): a
 * default, allow or deny, and exceptions to it keyed by {@code type major:minor} with their
 * access. It lets the manager move a live cgroup from its current rules to new ones with the
 * writes that differ, instead of {@code devices.deny a} first, which would briefly take every
 * device from running processes. Immutable.
 *
 * @param defaultAllow whether devices not excepted are allowed ({@code devices.list} then shows
 *                     only {@code a *:* rwm})
 * @param exceptions   access by {@code c 1:3}-style key, in insertion order
 */
record DeviceState(boolean defaultAllow, Map<String, String> exceptions) {

    /** One write: {@code devices.allow} or {@code devices.deny}, and the line. */
    record Write(String file, String line) {
    }

    DeviceState {
        exceptions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(exceptions));
    }

    /** The state {@code rules} produce when replayed on a cgroup that allows nothing. */
    static DeviceState of(List<Resources.DeviceRule> rules) {
        boolean allow = false;
        Map<String, String> ex = new LinkedHashMap<>();
        for (Resources.DeviceRule r : rules) {
            String line = DeviceRules.line(r);
            if (line.equals("a")) {
                allow = r.allow();
                ex.clear();
                continue;
            }
            String key = line.substring(0, line.lastIndexOf(' '));
            String access = line.substring(line.lastIndexOf(' ') + 1);
            // An allow rule in allow mode (or a deny in deny mode) narrows the exceptions.
            if (r.allow() == allow) {
                remove(ex, key, access);
            } else {
                ex.merge(key, access, DeviceState::union);
            }
        }
        return new DeviceState(allow, ex);
    }

    /** Parses {@code devices.list}. */
    static DeviceState parse(String list) {
        Map<String, String> ex = new LinkedHashMap<>();
        for (String line : list.split("\n")) {
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.equals("a *:* rwm")) {
                // The kernel lists allow-all this way and hides its deny exceptions.
                return new DeviceState(true, Map.of());
            }
            int space = line.lastIndexOf(' ');
            ex.merge(line.substring(0, space), line.substring(space + 1), DeviceState::union);
        }
        return new DeviceState(false, ex);
    }

    /**
     * The writes that take a cgroup from this state to {@code target}: a reset with {@code a}
     * only when the default changes, then grants before revocations.
     */
    List<Write> transitionTo(DeviceState target) {
        List<Write> out = new ArrayList<>();
        Map<String, String> from = exceptions;
        if (defaultAllow != target.defaultAllow) {
            out.add(new Write(target.defaultAllow ? "devices.allow" : "devices.deny", "a"));
            from = Map.of();
        }
        // Exceptions are allows in deny mode, denies in allow mode.
        String add = target.defaultAllow ? "devices.deny" : "devices.allow";
        String drop = target.defaultAllow ? "devices.allow" : "devices.deny";
        List<Write> drops = new ArrayList<>();
        for (Map.Entry<String, String> e : target.exceptions.entrySet()) {
            String missing = minus(e.getValue(), from.getOrDefault(e.getKey(), ""));
            if (!missing.isEmpty()) {
                out.add(new Write(add, e.getKey() + " " + missing));
            }
        }
        for (Map.Entry<String, String> e : from.entrySet()) {
            String extra = minus(e.getValue(), target.exceptions.getOrDefault(e.getKey(), ""));
            if (!extra.isEmpty()) {
                drops.add(new Write(drop, e.getKey() + " " + extra));
            }
        }
        // In deny mode grant first, then revoke: nothing the target allows is ever missing.
        out.addAll(drops);
        return out;
    }

    private static void remove(Map<String, String> ex, String key, String access) {
        String left = minus(ex.getOrDefault(key, ""), access);
        if (left.isEmpty()) {
            ex.remove(key);
        } else {
            ex.put(key, left);
        }
    }

    private static String union(String a, String b) {
        return normal(a + b);
    }

    private static String minus(String a, String b) {
        StringBuilder out = new StringBuilder();
        for (char c : a.toCharArray()) {
            if (b.indexOf(c) < 0) {
                out.append(c);
            }
        }
        return normal(out.toString());
    }

    /** Access letters in the kernel's order, {@code rwm}, each once. */
    private static String normal(String access) {
        TreeSet<Integer> order = new TreeSet<>();
        for (char c : access.toCharArray()) {
            order.add("rwm".indexOf(c));
        }
        StringBuilder out = new StringBuilder();
        for (int i : order) {
            out.append("rwm".charAt(i));
        }
        return out.toString();
    }
}
