package io.jctr.plugins.runtime.linux.plan;

import static io.jctr.plugins.runtime.linux.plan.MountFlags.MOUNT_ATTR_NOATIME;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MOUNT_ATTR_NODEV;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MOUNT_ATTR_NODIRATIME;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MOUNT_ATTR_NOEXEC;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MOUNT_ATTR_NOSUID;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MOUNT_ATTR_NOSYMFOLLOW;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MOUNT_ATTR_RDONLY;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MOUNT_ATTR_RELATIME;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MOUNT_ATTR_STRICTATIME;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MOUNT_ATTR__ATIME;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_BIND;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_DIRSYNC;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_I_VERSION;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_LAZYTIME;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_MANDLOCK;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_NOATIME;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_NODEV;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_NODIRATIME;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_NOEXEC;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_NOSUID;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_NOSYMFOLLOW;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_POSIXACL;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_PRIVATE;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_RDONLY;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_REC;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_RELATIME;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_REMOUNT;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_SHARED;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_SILENT;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_SLAVE;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_STRICTATIME;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_SYNCHRONOUS;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_UNBINDABLE;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits fstab-style mount options into what each system call takes, with runc's option table
 * ({@code libcontainer/specconv}): {@code mount(2)} flags, propagation changes (each its own
 * {@code mount(2)} call), recursive attributes for {@code mount_setattr(2)}, and the rest — any
 * option the table does not know — joined with commas as the filesystem-specific data
 * ({@code mode=755,size=65536k}). Options apply left to right, so a later {@code rw} clears an
 * earlier {@code ro}. Stateless and thread-safe.
 *
 * <p>Two departures from runc, both where runc's table produces something the kernel or
 * mount(8) does not mean: {@code defaults} is a no-op instead of being passed on as data (where
 * filesystems reject it), and the recursive access-time options set the access-time mode with
 * the whole {@code MOUNT_ATTR__ATIME} mask cleared, which {@code mount_setattr(2)} requires
 * ({@code ratime}, {@code rnorelatime} and {@code rnostrictatime} select the kernel default,
 * relatime).
 */
public final class MountOptions {

    /**
     * The result of parsing.
     *
     * @param flags         {@code mount(2)} flags
     * @param propagation   propagation changes, in order, each with {@code MS_REC} if recursive
     * @param attrSet       {@code mount_setattr(2)} {@code attr_set}, applied recursively
     * @param attrClr       {@code mount_setattr(2)} {@code attr_clr}, applied recursively
     * @param data          the filesystem-specific options, comma-separated, {@code ""} if none
     * @param idmap         {@code idmap} or {@code ridmap} was given
     * @param recursiveIdmap {@code ridmap} was given
     * @param tmpcopyup     runc's {@code tmpcopyup} extension was given
     */
    public record Parsed(long flags, List<Long> propagation, long attrSet, long attrClr,
            String data, boolean idmap, boolean recursiveIdmap, boolean tmpcopyup) {

        /** Copies the propagation list. */
        public Parsed {
            propagation = List.copyOf(propagation);
        }

        /** Whether any recursive attribute is to be set or cleared. */
        public boolean hasAttrs() {
            return attrSet != 0 || attrClr != 0;
        }
    }

    private record Flag(boolean clear, long value) {
    }

    private static final Map<String, Flag> FLAGS = Map.ofEntries(
            Map.entry("acl", new Flag(false, MS_POSIXACL)),
            Map.entry("async", new Flag(true, MS_SYNCHRONOUS)),
            Map.entry("atime", new Flag(true, MS_NOATIME)),
            Map.entry("bind", new Flag(false, MS_BIND)),
            Map.entry("defaults", new Flag(false, 0)),
            Map.entry("dev", new Flag(true, MS_NODEV)),
            Map.entry("diratime", new Flag(true, MS_NODIRATIME)),
            Map.entry("dirsync", new Flag(false, MS_DIRSYNC)),
            Map.entry("exec", new Flag(true, MS_NOEXEC)),
            Map.entry("iversion", new Flag(false, MS_I_VERSION)),
            Map.entry("lazytime", new Flag(false, MS_LAZYTIME)),
            Map.entry("loud", new Flag(true, MS_SILENT)),
            Map.entry("mand", new Flag(false, MS_MANDLOCK)),
            Map.entry("noacl", new Flag(true, MS_POSIXACL)),
            Map.entry("noatime", new Flag(false, MS_NOATIME)),
            Map.entry("nodev", new Flag(false, MS_NODEV)),
            Map.entry("nodiratime", new Flag(false, MS_NODIRATIME)),
            Map.entry("noexec", new Flag(false, MS_NOEXEC)),
            Map.entry("noiversion", new Flag(true, MS_I_VERSION)),
            Map.entry("nolazytime", new Flag(true, MS_LAZYTIME)),
            Map.entry("nomand", new Flag(true, MS_MANDLOCK)),
            Map.entry("norelatime", new Flag(true, MS_RELATIME)),
            Map.entry("nostrictatime", new Flag(true, MS_STRICTATIME)),
            Map.entry("nosuid", new Flag(false, MS_NOSUID)),
            Map.entry("nosymfollow", new Flag(false, MS_NOSYMFOLLOW)),
            Map.entry("rbind", new Flag(false, MS_BIND | MS_REC)),
            Map.entry("relatime", new Flag(false, MS_RELATIME)),
            Map.entry("remount", new Flag(false, MS_REMOUNT)),
            Map.entry("ro", new Flag(false, MS_RDONLY)),
            Map.entry("rw", new Flag(true, MS_RDONLY)),
            Map.entry("silent", new Flag(false, MS_SILENT)),
            Map.entry("strictatime", new Flag(false, MS_STRICTATIME)),
            Map.entry("suid", new Flag(true, MS_NOSUID)),
            Map.entry("sync", new Flag(false, MS_SYNCHRONOUS)),
            Map.entry("symfollow", new Flag(true, MS_NOSYMFOLLOW)));

    private static final Map<String, Long> PROPAGATION = Map.of(
            "private", MS_PRIVATE,
            "rprivate", MS_PRIVATE | MS_REC,
            "slave", MS_SLAVE,
            "rslave", MS_SLAVE | MS_REC,
            "shared", MS_SHARED,
            "rshared", MS_SHARED | MS_REC,
            "unbindable", MS_UNBINDABLE,
            "runbindable", MS_UNBINDABLE | MS_REC);

    private static final Map<String, Flag> ATTRS = Map.ofEntries(
            Map.entry("rro", new Flag(false, MOUNT_ATTR_RDONLY)),
            Map.entry("rrw", new Flag(true, MOUNT_ATTR_RDONLY)),
            Map.entry("rnosuid", new Flag(false, MOUNT_ATTR_NOSUID)),
            Map.entry("rsuid", new Flag(true, MOUNT_ATTR_NOSUID)),
            Map.entry("rnodev", new Flag(false, MOUNT_ATTR_NODEV)),
            Map.entry("rdev", new Flag(true, MOUNT_ATTR_NODEV)),
            Map.entry("rnoexec", new Flag(false, MOUNT_ATTR_NOEXEC)),
            Map.entry("rexec", new Flag(true, MOUNT_ATTR_NOEXEC)),
            Map.entry("rnodiratime", new Flag(false, MOUNT_ATTR_NODIRATIME)),
            Map.entry("rdiratime", new Flag(true, MOUNT_ATTR_NODIRATIME)),
            Map.entry("rnosymfollow", new Flag(false, MOUNT_ATTR_NOSYMFOLLOW)),
            Map.entry("rsymfollow", new Flag(true, MOUNT_ATTR_NOSYMFOLLOW)));

    private static final Map<String, Long> ATIME_MODES = Map.of(
            "rrelatime", MOUNT_ATTR_RELATIME,
            "rnorelatime", MOUNT_ATTR_RELATIME,
            "ratime", MOUNT_ATTR_RELATIME,
            "rnostrictatime", MOUNT_ATTR_RELATIME,
            "rnoatime", MOUNT_ATTR_NOATIME,
            "rstrictatime", MOUNT_ATTR_STRICTATIME);

    private MountOptions() {
    }

    /**
     * Every option name this runtime applies, sorted (runc's {@code features} lists them); not
     * the ones it refuses ({@code tmpcopyup}, {@code idmap}).
     */
    public static java.util.SortedSet<String> known() {
        java.util.SortedSet<String> names = new java.util.TreeSet<>();
        names.addAll(FLAGS.keySet());
        names.addAll(PROPAGATION.keySet());
        names.addAll(ATTRS.keySet());
        names.addAll(ATIME_MODES.keySet());
        return names;
    }

    /** Parses {@code options} left to right. */
    public static Parsed parse(List<String> options) {
        long flags = 0;
        long set = 0;
        long clr = 0;
        List<Long> propagation = new ArrayList<>();
        List<String> data = new ArrayList<>();
        boolean idmap = false;
        boolean ridmap = false;
        boolean copyup = false;
        for (String o : options) {
            Flag f = FLAGS.get(o);
            Flag a = ATTRS.get(o);
            if (f != null) {
                flags = f.clear ? flags & ~f.value : flags | f.value;
            } else if (PROPAGATION.containsKey(o)) {
                propagation.add(PROPAGATION.get(o));
            } else if (a != null) {
                set = a.clear ? set & ~a.value : set | a.value;
                clr = a.clear ? clr | a.value : clr & ~a.value;
            } else if (ATIME_MODES.containsKey(o)) {
                // mount_setattr(2): an access-time change sets one mode and clears the mask.
                set = (set & ~MOUNT_ATTR__ATIME) | ATIME_MODES.get(o);
                clr |= MOUNT_ATTR__ATIME;
            } else if (o.equals("idmap") || o.equals("ridmap")) {
                idmap = true;
                ridmap |= o.equals("ridmap");
            } else if (o.equals("tmpcopyup")) {
                copyup = true;
            } else {
                data.add(o);
            }
        }
        return new Parsed(flags, propagation, set, clr, String.join(",", data), idmap, ridmap, copyup);
    }
}
