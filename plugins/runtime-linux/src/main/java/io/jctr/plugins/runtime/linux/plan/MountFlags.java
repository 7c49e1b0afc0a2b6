package io.jctr.plugins.runtime.linux.plan;

/**
 * The kernel's mount constants: {@code MS_*} flags of {@code mount(2)} and {@code MOUNT_ATTR_*}
 * attributes of {@code mount_setattr(2)} ({@code <linux/mount.h>}).
 */
public final class MountFlags {

    public static final long MS_RDONLY = 1L;
    public static final long MS_NOSUID = 1L << 1;
    public static final long MS_NODEV = 1L << 2;
    public static final long MS_NOEXEC = 1L << 3;
    public static final long MS_SYNCHRONOUS = 1L << 4;
    public static final long MS_REMOUNT = 1L << 5;
    public static final long MS_MANDLOCK = 1L << 6;
    public static final long MS_DIRSYNC = 1L << 7;
    public static final long MS_NOSYMFOLLOW = 1L << 8;
    public static final long MS_NOATIME = 1L << 10;
    public static final long MS_NODIRATIME = 1L << 11;
    public static final long MS_BIND = 1L << 12;
    public static final long MS_MOVE = 1L << 13;
    public static final long MS_REC = 1L << 14;
    public static final long MS_SILENT = 1L << 15;
    public static final long MS_POSIXACL = 1L << 16;
    public static final long MS_UNBINDABLE = 1L << 17;
    public static final long MS_PRIVATE = 1L << 18;
    public static final long MS_SLAVE = 1L << 19;
    public static final long MS_SHARED = 1L << 20;
    public static final long MS_RELATIME = 1L << 21;
    public static final long MS_I_VERSION = 1L << 23;
    public static final long MS_STRICTATIME = 1L << 24;
    public static final long MS_LAZYTIME = 1L << 25;

    public static final long MOUNT_ATTR_RDONLY = 0x1L;
    public static final long MOUNT_ATTR_NOSUID = 0x2L;
    public static final long MOUNT_ATTR_NODEV = 0x4L;
    public static final long MOUNT_ATTR_NOEXEC = 0x8L;
    /** The mask of the three mutually exclusive access-time modes. */
    public static final long MOUNT_ATTR__ATIME = 0x70L;
    public static final long MOUNT_ATTR_RELATIME = 0x0L;
    public static final long MOUNT_ATTR_NOATIME = 0x10L;
    public static final long MOUNT_ATTR_STRICTATIME = 0x20L;
    public static final long MOUNT_ATTR_NODIRATIME = 0x80L;
    public static final long MOUNT_ATTR_NOSYMFOLLOW = 0x200000L;

    /** The propagation types: {@code mount(2)} changes them in a call of their own. */
    public static final long PROPAGATION = MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE;

    private MountFlags() {
    }
}
