package io.jctr.plugins.runtime.linux.cgroups;

import io.jctr.plugins.runtime.linux.spec.Resources;
import io.jctr.spi.JctrException;

/**
 * Device cgroup rules in the v1 {@code devices.allow} / {@code devices.deny} syntax:
 * {@code c 1:3 rwm}, {@code a}. Stateless.
 */
final class DeviceRules {

    private DeviceRules() {
    }

    /** Throws invalid argument for a rule the kernel could not express. */
    static void check(Resources.DeviceRule d) {
        if (d.allow() == null) {
            throw JctrException.invalidArgument(
                    "linux.resources.devices: rule %s has no \"allow\"", describe(d));
        }
        if (!d.type().matches("[abc]?")) {
            throw JctrException.invalidArgument(
                    "linux.resources.devices: type \"%s\" is invalid (a, b or c)", d.type());
        }
        if (d.permissions().isEmpty()) {
            // Other letters are ignored (runc's "rwa"), but some access must be named.
            throw JctrException.invalidArgument(
                    "linux.resources.devices: access \"%s\" names none of r, w and m", d.access());
        }
    }

    /** The line for {@code devices.allow} or {@code devices.deny}. */
    static String line(Resources.DeviceRule d) {
        String type = d.type().isEmpty() ? "a" : d.type();
        String access = d.permissions();
        if (type.equals("a")) {
            // "a" covers every device and access; the kernel ignores anything after it.
            return "a";
        }
        return type + " " + number(d.major()) + ":" + number(d.minor()) + " " + access;
    }

    private static String number(Long n) {
        return n == null || n < 0 ? "*" : Long.toString(n);
    }

    private static String describe(Resources.DeviceRule d) {
        return "{type " + d.type() + ", major " + d.major() + ", minor " + d.minor()
                + ", access " + d.access() + "}";
    }
}
