package io.jctr.plugins.runtime.linux.cgroups;

import io.jctr.plugins.runtime.linux.spec.Resources;
import java.util.ArrayList;
import java.util.List;

/**
 * The device rules runc appends to every container's list (libcontainer/specconv's
 * {@code AllowedDevices}): mknod of any device, the standard character devices, ptys and tun.
 * The manager applies exactly the rules it is given; a runc-compatible caller passes its
 * resources through {@link #appendTo} first. Stateless.
 */
public final class RuncDeviceDefaults {

    /** The rules, in runc's order. */
    public static final List<Resources.DeviceRule> RULES = List.of(
            allow("c", null, null, "m"),
            allow("b", null, null, "m"),
            allow("c", 1L, 3L, "rwm"),      // /dev/null
            allow("c", 1L, 8L, "rwm"),      // /dev/random
            allow("c", 1L, 7L, "rwm"),      // /dev/full
            allow("c", 5L, 0L, "rwm"),      // /dev/tty
            allow("c", 1L, 5L, "rwm"),      // /dev/zero
            allow("c", 1L, 9L, "rwm"),      // /dev/urandom
            allow("c", 136L, null, "rwm"),  // /dev/pts/*
            allow("c", 5L, 2L, "rwm"),      // /dev/ptmx
            allow("c", 10L, 200L, "rwm"));  // /dev/net/tun

    private RuncDeviceDefaults() {
    }

    /**
     * {@code resources} with {@link #RULES} after its own device rules, as runc does (so the
     * spec cannot take them away); an absent {@code resources} becomes deny-all plus them.
     */
    public static Resources appendTo(Resources resources) {
        Resources r = resources != null ? resources
                : new Resources(null, null, null, null, null, null, null, null, null);
        List<Resources.DeviceRule> rules = new ArrayList<>(r.devices());
        if (resources == null) {
            rules.add(new Resources.DeviceRule(false, "a", null, null, "rwm"));
        }
        rules.addAll(RULES);
        return new Resources(rules, r.memory(), r.cpu(), r.pids(), r.blockIo(),
                r.hugepageLimits(), r.network(), r.rdma(), r.unified());
    }

    private static Resources.DeviceRule allow(String type, Long major, Long minor, String access) {
        return new Resources.DeviceRule(true, type, major, minor, access);
    }
}
