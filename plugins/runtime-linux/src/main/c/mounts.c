/*
 * Mount and filesystem records (MountStep.java, FilesystemStep.java). Between BindRootfs and
 * EnterRoot a container path is resolved beneath the rootfs with openat2(RESOLVE_IN_ROOT), and
 * the system call goes through /proc/self/fd/N: a symbolic link swapped into the rootfs after
 * planning then still cannot lead outside it.
 */
#define _GNU_SOURCE
#include "helper.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* The flags a mount inherited from a more privileged namespace has locked (MNT_LOCK_*);
 * statfs(2) reports them as ST_* bits, which equal the MS_* bits. */
#define LOCKED_FLAGS (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME \
                      | MS_RELATIME)

static int open_in(const char *path)
{
    struct open_how how = { .flags = O_PATH | O_CLOEXEC };
    if (g.rootfd < 0)
        return (int)syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof how);
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
    while (*path == '/')
        path++;
    return (int)syscall(SYS_openat2, g.rootfd, *path ? path : ".", &how, sizeof how);
}

const char *resolve(const char *path, int *fd, char buf[32])
{
    *fd = -1;
    if (g.rootfd < 0)
        return path;
    *fd = open_in(path);
    if (*fd < 0)
        return NULL;
    snprintf(buf, 32, "/proc/self/fd/%d", *fd);
    return buf;
}

static void close_fd(int fd)
{
    if (fd >= 0)
        close(fd);
}

/* The directory holding the last component of path (opened), and that component. */
static int open_parent(const char *path, const char **name)
{
    const char *slash = strrchr(path, '/');
    *name = slash ? slash + 1 : path;
    char dir[4096];
    size_t n = slash ? (size_t)(slash - path) : 0;
    if (n >= sizeof dir) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(dir, path, n);
    dir[n] = 0;
    return open_in(n ? dir : "/");
}

/* Creates what is missing of path (MakePath); returns 0 or -1 with errno. */
int make_path(const char *path, int file)
{
    char *p = strdup(path);
    int parent = open_in("/");
    if (!p || parent < 0)
        return -1;
    char *name = p;
    while (*name == '/')
        name++;
    while (*name) {
        char *end = strchr(name, '/');
        int last = !end || !end[strspn(end, "/")];
        if (end)
            *end = 0;
        int fd = open_in(p);
        if (fd < 0 && errno == ENOENT) {
            int r;
            if (last && file) {
                r = openat(parent, name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0644);
                close_fd(r);
            } else {
                r = mkdirat(parent, name, 0755);
            }
            if (r < 0 && errno != EEXIST) {
                close(parent);
                free(p);
                return -1;
            }
            if (last)
                break;
            fd = open_in(p);
        }
        if (fd < 0) {
            int e = errno;
            close(parent);
            free(p);
            errno = e;
            return -1;
        }
        close(parent);
        parent = fd;
        if (!end)
            break;
        *end = '/';
        name = end + strspn(end, "/");
    }
    close(parent);
    free(p);
    return 0;
}

static void op_set_propagation(struct cur *c)
{
    char *target = rd_str(c);
    int64_t flags = rd_i64(c);
    char *origin = rd_str(c);
    if (!g.run)
        return;
    char buf[32];
    int fd;
    const char *t = resolve(target, &fd, buf);
    if (!t || mount(NULL, t, NULL, (unsigned long)flags, NULL) < 0)
        die_errno(origin, "set propagation of \"%s\"", target);
    close_fd(fd);
}

/* Mount points in mountinfo escape space, tab, newline and backslash as \ooo. */
static void unescape(char *s)
{
    char *o = s;
    for (; *s; s++) {
        if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] && s[3]) {
            *o++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0'));
            s += 3;
        } else {
            *o++ = *s;
        }
    }
    *o = 0;
}

/* One line of /proc/self/mountinfo, split in place. */
struct mnt {
    char *root, *point, *optional, *fstype;
};

static char *read_mountinfo(void)
{
    int fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    size_t size = 0, cap = 65536;
    char *buf = malloc(cap);
    for (ssize_t n; buf; size += (size_t)n) {
        if (size + 1 >= cap)
            buf = realloc(buf, cap *= 2);
        n = buf ? read(fd, buf + size, cap - size - 1) : -1;
        if (n <= 0)
            break;
    }
    close(fd);
    if (buf)
        buf[size] = 0;
    return buf;
}

/* Splits the next line at *pos into m; returns 0 at the end. Paths are escaped, so " - "
 * only occurs as the separator before the filesystem type. */
static int next_mount(char **pos, struct mnt *m)
{
    while (**pos) {
        char *line = *pos;
        char *nl = strchr(line, '\n');
        *pos = nl ? nl + 1 : line + strlen(line);
        if (nl)
            *nl = 0;
        char *sep = strstr(line, " - ");
        if (!sep)
            continue;
        *sep = 0;
        char *f[6], *s = line;
        int i;
        for (i = 0; i < 6 && s; i++) {
            f[i] = s;
            s = strchr(s, ' ');
            if (s)
                *s++ = 0;
        }
        if (i < 6)
            continue;
        m->root = f[3];
        m->point = f[4];
        m->optional = s ? s : f[5] + strlen(f[5]);
        m->fstype = sep + 3;
        char *sp = strchr(m->fstype, ' ');
        if (sp)
            *sp = 0;
        unescape(m->root);
        unescape(m->point);
        return 1;
    }
    return 0;
}

static int is_within(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    if (strcmp(dir, "/") == 0)
        return 1;
    return strncmp(path, dir, n) == 0 && (path[n] == 0 || path[n] == '/');
}

static void op_privatize_rootfs_parent(struct cur *c)
{
    char *rootfs = rd_str(c);
    if (!g.run)
        return;
    char *info = read_mountinfo(), *pos = info;
    if (!info)
        die_errno("root.path", "read /proc/self/mountinfo");
    struct mnt m;
    char *best = NULL;
    int shared = 0;
    while (next_mount(&pos, &m)) {
        /* >= : of mounts stacked on one point, the last listed is the one on top. */
        if (is_within(rootfs, m.point) && (!best || strlen(m.point) >= strlen(best))) {
            best = m.point;
            shared = strstr(m.optional, "shared:") != NULL;
        }
    }
    if (best && shared && mount(NULL, best, NULL, MS_PRIVATE, NULL) < 0)
        die_errno("root.path", "make \"%s\" private", best);
    free(info);
}

static void op_bind_rootfs(struct cur *c)
{
    char *rootfs = rd_str(c);
    if (!g.run)
        return;
    if (mount(rootfs, rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
        die_errno("root.path", "bind \"%s\" onto itself", rootfs);
    g.rootfd = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (g.rootfd < 0)
        die_errno("root.path", "open \"%s\"", rootfs);
}

static void op_mount(struct cur *c)
{
    char *source = rd_str(c), *target = rd_str(c), *fstype = rd_str(c);
    int64_t flags = rd_i64(c);
    char *data = rd_str(c), *origin = rd_str(c);
    if (!g.run)
        return;
    char buf[32];
    int fd;
    const char *t = resolve(target, &fd, buf);
    if (!t || mount(source, t, fstype[0] ? fstype : NULL, (unsigned long)flags,
                    data[0] ? data : NULL) < 0)
        die_errno(origin, "mount \"%s\" on \"%s\"", source, target);
    close_fd(fd);
}

static int remount(const char *t, unsigned long flags)
{
    if (mount(NULL, t, NULL, flags, NULL) == 0)
        return 0;
    struct statfs st;
    if (errno != EPERM || statfs(t, &st) < 0)
        return -1;
    return mount(NULL, t, NULL, flags | ((unsigned long)st.f_flags & LOCKED_FLAGS), NULL);
}

static void op_remount(struct cur *c)
{
    char *target = rd_str(c);
    int64_t flags = rd_i64(c);
    char *origin = rd_str(c);
    if (!g.run)
        return;
    char buf[32];
    int fd;
    const char *t = resolve(target, &fd, buf);
    if (!t || remount(t, (unsigned long)flags) < 0)
        die_errno(origin, "remount \"%s\"", target);
    close_fd(fd);
}

static void op_set_mount_attr(struct cur *c)
{
    char *target = rd_str(c);
    int64_t set = rd_i64(c), clr = rd_i64(c);
    char *origin = rd_str(c);
    if (!g.run)
        return;
    char buf[32];
    int fd;
    struct mount_attr attr = { .attr_set = (uint64_t)set, .attr_clr = (uint64_t)clr };
    const char *t = resolve(target, &fd, buf);
    if (!t || syscall(SYS_mount_setattr, AT_FDCWD, t, AT_RECURSIVE, &attr, sizeof attr) < 0)
        die_errno(origin, "set mount attributes of \"%s\"", target);
    close_fd(fd);
}

static void op_readonly_path(struct cur *c)
{
    char *path = rd_str(c), *origin = rd_str(c);
    if (!g.run)
        return;
    struct statfs st;
    if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0) {
        if (errno == ENOENT)
            return;
        die_errno(origin, "bind \"%s\" onto itself", path);
    }
    if (statfs(path, &st) < 0)
        die_errno(origin, "statfs \"%s\"", path);
    unsigned long keep = (unsigned long)st.f_flags & (MS_NOSUID | MS_NODEV | MS_NOEXEC);
    if (mount(NULL, path, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | keep, NULL) < 0)
        die_errno(origin, "remount \"%s\" read-only", path);
}

static void op_mask_path(struct cur *c)
{
    char *path = rd_str(c), *origin = rd_str(c);
    if (!g.run)
        return;
    if (mount("/dev/null", path, NULL, MS_BIND, NULL) == 0 || errno == ENOENT)
        return;
    if (errno != ENOTDIR || mount("tmpfs", path, "tmpfs", MS_RDONLY, NULL) < 0)
        die_errno(origin, "mask \"%s\"", path);
}

static void op_make_path(struct cur *c)
{
    char *path = rd_str(c);
    uint8_t kind = rd_u8(c);
    if (kind != 1 && kind != 2)
        rd_fail(c, "unknown path kind %u", kind);
    char *origin = rd_str(c);
    if (g.run && make_path(path, kind == 2) < 0)
        die_errno(ORIGIN(origin, "linux.devices"), "create \"%s\"", path);
}

static void op_chmod(struct cur *c)
{
    char *path = rd_str(c);
    int32_t mode = rd_i32(c);
    char *origin = rd_str(c);
    if (!g.run)
        return;
    char buf[32];
    int fd;
    const char *t = resolve(path, &fd, buf);
    if (!t || chmod(t, (mode_t)mode) < 0)
        die_errno(origin, "chmod \"%s\"", path);
    close_fd(fd);
}

static void op_make_device(struct cur *c)
{
    char *path = rd_str(c);
    uint8_t kind = rd_u8(c);
    if (kind != 'c' && kind != 'b' && kind != 'p')
        rd_fail(c, "unknown device kind %u", kind);
    int64_t major = rd_i64(c), minor = rd_i64(c);
    int32_t mode = rd_i32(c);
    int64_t uid = rd_i64(c), gid = rd_i64(c);
    char *origin = rd_str(c);
    if (!g.run)
        return;
    const char *o = ORIGIN(origin, "linux.devices");
    const char *name;
    int dir = open_parent(path, &name);
    mode_t type = kind == 'c' ? S_IFCHR : kind == 'b' ? S_IFBLK : S_IFIFO;
    if (dir < 0)
        die_errno(o, "mknod \"%s\"", path);
    if (mknodat(dir, name, type | (mode_t)mode, makedev((unsigned)major, (unsigned)minor)) < 0) {
        if (errno == EEXIST) {
            close(dir);
            return;
        }
        die_errno(o, "mknod \"%s\"", path);
    }
    if (fchownat(dir, name, (uid_t)uid, (gid_t)gid, AT_SYMLINK_NOFOLLOW) < 0)
        die_errno(o, "chown \"%s\"", path);
    close(dir);
}

static void op_symlink(struct cur *c)
{
    char *target = rd_str(c), *path = rd_str(c);
    int replace = rd_bool(c);
    if (!g.run)
        return;
    const char *name;
    int dir = open_parent(path, &name);
    if (dir < 0)
        die_errno("linux.devices", "symlink \"%s\"", path);
    if (replace && unlinkat(dir, name, 0) < 0 && errno == EISDIR)
        unlinkat(dir, name, AT_REMOVEDIR);
    if (symlinkat(target, dir, name) < 0 && errno != EEXIST)
        die_errno("linux.devices", "symlink \"%s\" to \"%s\"", path, target);
    close(dir);
}

/* runc's --no-pivot: proc and sysfs mounted outside the rootfs would stay reachable from the
 * container's mount namespace; take them away first (mount_namespaces(7)). */
static void hide_proc_and_sysfs(const char *rootfs)
{
    char *info = read_mountinfo(), *pos = info;
    if (!info)
        die_errno("root.path", "read /proc/self/mountinfo");
    char *points[512];
    int n = 0;
    struct mnt m;
    while (next_mount(&pos, &m) && n < 512) {
        int kind = strcmp(m.fstype, "proc") == 0 || strcmp(m.fstype, "sysfs") == 0;
        if (kind && strcmp(m.root, "/") == 0 && !is_within(m.point, rootfs))
            points[n++] = m.point;
    }
    /* Deepest first: /proc/sys/fs/binfmt_misc before /proc. */
    while (n-- > 0) {
        if (umount2(points[n], MNT_DETACH) < 0
            && mount("tmpfs", points[n], "tmpfs", MS_RDONLY, NULL) < 0)
            die_errno("root.path", "hide \"%s\"", points[n]);
    }
    free(info);
}

static void op_enter_root(struct cur *c)
{
    uint8_t how = rd_u8(c);
    if (how < 1 || how > 3)
        rd_fail(c, "unknown root switch %u", how);
    char *rootfs = rd_str(c);
    if (!g.run)
        return;
    if (how == 1) {
        int old = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
        int new = open(rootfs, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
        if (old < 0 || new < 0 || fchdir(new) < 0)
            die_errno("root.path", "open \"%s\"", rootfs);
        if (syscall(SYS_pivot_root, ".", ".") < 0)
            die_errno("root.path", "pivot_root to \"%s\"", rootfs);
        /* The old root is now stacked under the new one at "/"; make it slave so that the
         * detach below cannot propagate to the host. */
        if (fchdir(old) < 0 || mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0
            || umount2(".", MNT_DETACH) < 0)
            die_errno("root.path", "detach the old root");
        close(old);
        close(new);
    } else {
        if (how == 2)
            hide_proc_and_sysfs(rootfs);
        if (chdir(rootfs) < 0)
            die_errno("root.path", "chdir \"%s\"", rootfs);
        if (how == 2 && mount(rootfs, "/", NULL, MS_MOVE, NULL) < 0)
            die_errno("root.path", "move \"%s\" to /", rootfs);
        if (chroot(".") < 0)
            die_errno("root.path", "chroot \"%s\"", rootfs);
    }
    if (chdir("/") < 0)
        die_errno("root.path", "chdir /");
    close_fd(g.rootfd);
    g.rootfd = -1;
}

static void op_reopen_dev_null(struct cur *c)
{
    (void)c;
    if (!g.run)
        return;
    struct stat null, st;
    if (stat("/dev/null", &null) < 0)
        die_errno("linux.devices", "stat /dev/null");
    for (int fd = 0; fd <= 2; fd++) {
        if (fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode) || st.st_rdev != null.st_rdev)
            continue;
        int n = open("/dev/null", O_RDWR | O_CLOEXEC);
        if (n < 0 || dup2(n, fd) < 0)
            die_errno("linux.devices", "reopen /dev/null as fd %d", fd);
        close(n);
    }
}

static void send_fd(int sock, int fd)
{
    char name[] = "/dev/ptmx";
    struct iovec iov = { name, sizeof name - 1 };
    union {
        struct cmsghdr h;
        char buf[CMSG_SPACE(sizeof(int))];
    } u;
    memset(&u, 0, sizeof u);
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
                          .msg_controllen = sizeof u.buf };
    struct cmsghdr *h = CMSG_FIRSTHDR(&msg);
    h->cmsg_level = SOL_SOCKET;
    h->cmsg_type = SCM_RIGHTS;
    h->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(h), &fd, sizeof fd);
    if (sendmsg(sock, &msg, MSG_NOSIGNAL) < 0)
        die_errno("process.terminal", "send the terminal to the console socket");
}

/* The pty is created in the container (its devpts, after the root switch) so that the
 * program's terminal belongs to it; the master goes to whoever listens on the console socket. */
void setup_console(const char *bind_on)
{
    if (g.console < 0)
        die("process.terminal", "a terminal needs a console socket");
    int unlock = 0, n = -1;
    int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0 || ioctl(master, TIOCSPTLCK, &unlock) < 0 || ioctl(master, TIOCGPTN, &n) < 0)
        die_errno("process.terminal", "open /dev/ptmx");
    int slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (slave < 0)
        die_errno("process.terminal", "open the terminal of /dev/pts/%d", n);
    if (bind_on) {
        char pts[32];
        snprintf(pts, sizeof pts, "/dev/pts/%d", n);
        if (make_path(bind_on, 1) < 0 || mount(pts, bind_on, NULL, MS_BIND, NULL) < 0)
            die_errno("process.terminal", "bind \"%s\" on \"%s\"", pts, bind_on);
    }
    send_fd(g.console, master);
    close(master);
    close(g.console);
    g.console = -1;
    if (setsid() < 0 || ioctl(slave, TIOCSCTTY, 0) < 0)
        die_errno("process.terminal", "make /dev/pts/%d the controlling terminal", n);
    for (int fd = 0; fd <= 2; fd++)
        if (dup2(slave, fd) < 0)
            die_errno("process.terminal", "dup /dev/pts/%d", n);
    close(slave);
    g.pty_done = 1;
}

static void op_bind_console(struct cur *c)
{
    char *path = rd_str(c);
    if (g.run)
        setup_console(path);
}

const struct op mount_ops[] = {
    { 0x0201, op_set_propagation },
    { 0x0202, op_privatize_rootfs_parent },
    { 0x0203, op_bind_rootfs },
    { 0x0204, op_mount },
    { 0x0205, op_remount },
    { 0x0206, op_set_mount_attr },
    { 0x0207, op_readonly_path },
    { 0x0208, op_mask_path },
    { 0x0301, op_make_path },
    { 0x0302, op_chmod },
    { 0x0303, op_make_device },
    { 0x0304, op_symlink },
    { 0x0305, op_enter_root },
    { 0x0306, op_reopen_dev_null },
    { 0x0307, op_bind_console },
    { 0, NULL },
};
