package io.jctr.plugins.runtime.linux.spec;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks {@code process}: argv, cwd, environment, identity, capabilities, limits. */
final class ProcessCheck {

    private static final Set<String> IO_CLASSES =
            Set.of("IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE", "IOPRIO_CLASS_IDLE");
    private static final Set<String> SCHED_POLICIES = Set.of("SCHED_OTHER", "SCHED_FIFO",
            "SCHED_RR", "SCHED_BATCH", "SCHED_ISO", "SCHED_IDLE", "SCHED_DEADLINE");
    private static final Set<String> SCHED_FLAGS = Set.of("SCHED_FLAG_RESET_ON_FORK",
            "SCHED_FLAG_RECLAIM", "SCHED_FLAG_DL_OVERRUN", "SCHED_FLAG_KEEP_POLICY",
            "SCHED_FLAG_KEEP_PARAMS", "SCHED_FLAG_UTIL_CLAMP_MIN", "SCHED_FLAG_UTIL_CLAMP_MAX");

    private ProcessCheck() {
    }

    static void check(Process process, Problems p) {
        if (process.args().isEmpty()) {
            p.add("process.args", "must have at least one entry");
        }
        for (int i = 0; i < process.args().size(); i++) {
            p.noNul(JsonPath.index("process.args", i), process.args().get(i));
        }
        p.absolute("process.cwd", process.cwd());
        checkEnv(process.env(), p);
        checkUser(process.user(), p);
        if (process.capabilities() != null) {
            checkCapabilities(process.capabilities(), p);
        }
        checkRlimits(process.rlimits(), p);
        if (process.oomScoreAdj() != null) {
            p.inRange("process.oomScoreAdj", process.oomScoreAdj(), -1000, 1000);
        }
        if (process.ioPriority() != null) {
            Process.IoPriority io = process.ioPriority();
            oneOf("process.ioPriority.class", io.ioClass(), IO_CLASSES, "I/O priority class", p);
            p.inRange("process.ioPriority.priority", io.priority(), 0, 7);
        }
        if (process.scheduler() != null) {
            checkScheduler(process.scheduler(), p);
        }
        p.noNul("process.apparmorProfile", process.apparmorProfile());
        p.noNul("process.selinuxLabel", process.selinuxLabel());
    }

    static void oneOf(String path, String value, Set<String> allowed, String what, Problems p) {
        if (value.isEmpty()) {
            p.add(path, "must be set");
        } else if (!allowed.contains(value)) {
            p.add(path, "unknown " + what + " " + JsonPath.quote(value));
        }
    }

    private static void checkEnv(List<String> env, Problems p) {
        for (int i = 0; i < env.size(); i++) {
            String path = JsonPath.index("process.env", i);
            String entry = env.get(i);
            if (!p.noNul(path, entry)) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq < 0) {
                p.add(path, JsonPath.quote(entry) + " is not of the form KEY=value");
            } else if (eq == 0) {
                p.add(path, JsonPath.quote(entry) + " has an empty variable name");
            }
        }
    }

    private static void checkUser(Process.User user, Problems p) {
        // umask(2) takes permission bits only; 755 where 0755 (493) was meant would land here.
        if (user.umask() != null && user.umask() > 0777) {
            p.add("process.user.umask", user.umask() + " is not a umask (0 to 511, octal 0777)");
        }
    }

    private static void checkCapabilities(Process.Capabilities caps, Problems p) {
        checkCapabilitySet("bounding", caps.bounding(), p);
        checkCapabilitySet("effective", caps.effective(), p);
        checkCapabilitySet("inheritable", caps.inheritable(), p);
        checkCapabilitySet("permitted", caps.permitted(), p);
        checkCapabilitySet("ambient", caps.ambient(), p);
    }

    private static void checkCapabilitySet(String set, List<String> names, Problems p) {
        String base = "process.capabilities." + set;
        for (int i = 0; i < names.size(); i++) {
            if (Capability.byName(names.get(i)).isEmpty()) {
                p.add(JsonPath.index(base, i), "unknown capability " + JsonPath.quote(names.get(i)));
            }
        }
    }

    private static void checkRlimits(List<Process.Rlimit> rlimits, Problems p) {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < rlimits.size(); i++) {
            Process.Rlimit r = rlimits.get(i);
            String path = JsonPath.index("process.rlimits", i);
            if (r.type().isEmpty()) {
                p.add(path + ".type", "must be set");
            } else if (RlimitType.byName(r.type()).isEmpty()) {
                p.add(path + ".type", "unknown rlimit " + JsonPath.quote(r.type()));
            } else if (seen.containsKey(r.type())) {
                p.add(path + ".type", "duplicate rlimit " + JsonPath.quote(r.type())
                        + " (also at " + JsonPath.index("process.rlimits", seen.get(r.type())) + ")");
            } else {
                seen.put(r.type(), i);
            }
            // setrlimit(2) fails with EINVAL when rlim_cur > rlim_max.
            if (Long.compareUnsigned(r.soft(), r.hard()) > 0) {
                p.add(path, "soft limit " + Long.toUnsignedString(r.soft())
                        + " exceeds hard limit " + Long.toUnsignedString(r.hard()));
            }
        }
    }

    private static void checkScheduler(Process.Scheduler s, Problems p) {
        oneOf("process.scheduler.policy", s.policy(), SCHED_POLICIES, "scheduling policy", p);
        p.inRange("process.scheduler.nice", s.nice(), -20, 19);
        p.inRange("process.scheduler.priority", s.priority(), 0, 99);
        for (int i = 0; i < s.flags().size(); i++) {
            oneOf(JsonPath.index("process.scheduler.flags", i), s.flags().get(i), SCHED_FLAGS,
                    "scheduling flag", p);
        }
    }
}
