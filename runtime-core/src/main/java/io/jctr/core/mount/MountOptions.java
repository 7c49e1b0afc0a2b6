package io.jctr.core.mount;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits containerd mount options into mount(2) flags and the filesystem's data string, with the
 * option table util-linux and containerd use ({@code ro}, {@code nosuid}, {@code bind},
 * {@code rbind}, ...). Options the table does not know go to the data string
 * ({@code lowerdir=...} for overlay).
 *
 * @param flags   the MS_* flags
 * @param data    comma-joined filesystem options
 * @param remount whether a read-only bind needs a second, remounting call (the kernel ignores
 *                MS_RDONLY on the first bind)
 */
public record MountOptions(long flags, String data, boolean remount) {

    public static final long MS_RDONLY = 1;
    public static final long MS_NOSUID = 2;
    public static final long MS_NODEV = 4;
    public static final long MS_NOEXEC = 8;
    public static final long MS_SYNCHRONOUS = 16;
    public static final long MS_REMOUNT = 32;
    public static final long MS_MANDLOCK = 64;
    public static final long MS_DIRSYNC = 128;
    public static final long MS_NOATIME = 1024;
    public static final long MS_NODIRATIME = 2048;
    public static final long MS_BIND = 4096;
    public static final long MS_REC = 16384;
    public static final long MS_RELATIME = 1 << 21;
    public static final long MS_STRICTATIME = 1 << 24;

    /** option → {clear?, flag}: a "clear" option removes the flag (e.g. rw clears MS_RDONLY). */
    private static final Map<String, long[]> TABLE = Map.ofEntries(
            Map.entry("ro", new long[] {0, MS_RDONLY}), Map.entry("rw", new long[] {1, MS_RDONLY}),
            Map.entry("nosuid", new long[] {0, MS_NOSUID}), Map.entry("suid", new long[] {1, MS_NOSUID}),
            Map.entry("nodev", new long[] {0, MS_NODEV}), Map.entry("dev", new long[] {1, MS_NODEV}),
            Map.entry("noexec", new long[] {0, MS_NOEXEC}), Map.entry("exec", new long[] {1, MS_NOEXEC}),
            Map.entry("sync", new long[] {0, MS_SYNCHRONOUS}), Map.entry("async", new long[] {1, MS_SYNCHRONOUS}),
            Map.entry("dirsync", new long[] {0, MS_DIRSYNC}), Map.entry("remount", new long[] {0, MS_REMOUNT}),
            Map.entry("mand", new long[] {0, MS_MANDLOCK}), Map.entry("nomand", new long[] {1, MS_MANDLOCK}),
            Map.entry("atime", new long[] {1, MS_NOATIME}), Map.entry("noatime", new long[] {0, MS_NOATIME}),
            Map.entry("diratime", new long[] {1, MS_NODIRATIME}), Map.entry("nodiratime", new long[] {0, MS_NODIRATIME}),
            Map.entry("bind", new long[] {0, MS_BIND}), Map.entry("rbind", new long[] {0, MS_BIND | MS_REC}),
            Map.entry("relatime", new long[] {0, MS_RELATIME}), Map.entry("norelatime", new long[] {1, MS_RELATIME}),
            Map.entry("strictatime", new long[] {0, MS_STRICTATIME}),
            Map.entry("nostrictatime", new long[] {1, MS_STRICTATIME}),
            Map.entry("defaults", new long[] {0, 0}));

    public static MountOptions parse(String type, List<String> options) {
        long flags = 0;
        List<String> data = new ArrayList<>();
        for (String o : options) {
            long[] entry = TABLE.get(o);
            if (entry == null) {
                data.add(o);
            } else if (entry[0] == 1) {
                flags &= ~entry[1];
            } else {
                flags |= entry[1];
            }
        }
        if (type.equals("bind")) {
            flags |= MS_BIND;
        }
        boolean bind = (flags & MS_BIND) != 0;
        return new MountOptions(flags, String.join(",", data), bind && (flags & MS_RDONLY) != 0);
    }
}
