/*
 * Mount records (MountStep.java) and the root switch (FilesystemStep.EnterRoot). Container
 * paths go through resolve() (paths.c).
 */
#define _GNU_SOURCE
#include "helper.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The flags a mount inherited from a more privileged namespace has locked (MNT_LOCK_*);
 * statfs(2) reports them as ST_* bits, which equal the MS_* bits. */
#define LOCKED_FLAGS (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME \
                      | MS_RELATIME)

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

/* The sources of bind Mount records, opened by the parent (send_bind_sources), in the order
 * of those records; -1 where the init opens the path itself. */
static struct {
    int *fds;
    uint32_t count, next;
} binds;

static int is_bind(int64_t flags, const char *source)
{
    return (flags & MS_BIND) && !(flags & MS_REMOUNT) && source[0] == '/';
}

static void op_mount(struct cur *c)
{
    char *source = rd_str(c), *target = rd_str(c), *fstype = rd_str(c);
    int64_t flags = rd_i64(c);
    char *data = rd_str(c), *origin = rd_str(c);
    if (!g.run)
        return;
    char buf[32], src[32];
    int fd, opened = -1;
    if (is_bind(flags, source) && binds.next < binds.count)
        opened = binds.fds[binds.next++];
    if (opened >= 0)
        snprintf(src, sizeof src, "/proc/self/fd/%d", opened);
    const char *t = resolve(target, &fd, buf);
    if (!t || mount(opened >= 0 ? src : source, t, fstype[0] ? fstype : NULL,
                    (unsigned long)flags, data[0] ? data : NULL) < 0)
        die_errno(origin, "mount \"%s\" on \"%s\"", source, target);
    close_fd(fd);
    close_fd(opened);
}

static void send_one(int sock, int fd)
{
    char tag = fd >= 0 ? 'm' : 'n';
    struct iovec iov = { &tag, 1 };
    union {
        struct cmsghdr h;
        char buf[CMSG_SPACE(sizeof(int))];
    } u;
    memset(&u, 0, sizeof u);
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
    if (fd >= 0) {
        msg.msg_control = u.buf;
        msg.msg_controllen = sizeof u.buf;
        struct cmsghdr *h = CMSG_FIRSTHDR(&msg);
        h->cmsg_level = SOL_SOCKET;
        h->cmsg_type = SCM_RIGHTS;
        h->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(h), &fd, sizeof fd);
    }
    if (sendmsg(sock, &msg, MSG_NOSIGNAL) != 1)
        die_errno("mounts", "send a mount source to the container's init");
}

/* In the parent, before the init is released. The sources are opened in the init's mount
 * namespace (a copy of ours until the init mounts anything): a bind mount's source must be in
 * the namespace it is mounted in. A source that cannot be opened is left to the init, whose
 * mount then reports the error with the record's origin. */
void send_bind_sources(int sock, pid_t child, const struct record *r, uint32_t n)
{
    char ns[64];
    snprintf(ns, sizeof ns, "/proc/%d/ns/mnt", child);
    int ours = -1, theirs = -1, cwd = -1;
    for (uint32_t i = 0; i < n; i++) {
        struct cur p = r[i].payload;
        if (r[i].op->fn != op_mount)
            continue;
        char *source = rd_str(&p);
        rd_str(&p);
        rd_str(&p);
        if (!is_bind(rd_i64(&p), source))
            continue;
        if (ours < 0) {
            ours = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
            theirs = open(ns, O_RDONLY | O_CLOEXEC);
            cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
            if (ours < 0 || theirs < 0 || setns(theirs, CLONE_NEWNS) < 0)
                die_errno("mounts", "enter the container's mount namespace");
        }
        int fd = open(source, O_PATH | O_CLOEXEC);
        send_one(sock, fd);
        close_fd(fd);
    }
    if (ours < 0)
        return;
    if (setns(ours, CLONE_NEWNS) < 0)
        die_errno("mounts", "return to the runtime's mount namespace");
    /* setns(2) moved us to the namespace's root. */
    if (cwd >= 0 && fchdir(cwd) < 0)
        die_errno("mounts", "return to the working directory");
    close(ours);
    close(theirs);
    close_fd(cwd);
}

/* In the init: the sources, up to the parent's go-ahead ('g'); -1 if the parent has gone. */
int receive_bind_sources(int sock)
{
    for (;;) {
        char tag;
        struct iovec iov = { &tag, 1 };
        union {
            struct cmsghdr h;
            char buf[CMSG_SPACE(sizeof(int))];
        } u;
        /* One byte at a time: each carries at most one descriptor. */
        struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
                              .msg_controllen = sizeof u.buf };
        ssize_t got = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
        if (got < 0 && errno == EINTR)
            continue;
        if (got != 1)
            return -1;
        if (tag == 'g')
            return 0;
        int fd = -1;
        struct cmsghdr *h = CMSG_FIRSTHDR(&msg);
        if (tag == 'm' && h && h->cmsg_type == SCM_RIGHTS && h->cmsg_len == CMSG_LEN(sizeof(int)))
            memcpy(&fd, CMSG_DATA(h), sizeof fd);
        int *more = realloc(binds.fds, (binds.count + 1) * sizeof *more);
        if (!more)
            abort();
        binds.fds = more;
        binds.fds[binds.count++] = fd;
    }
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

const struct op mount_ops[] = {
    { 0x0201, op_set_propagation },
    { 0x0202, op_privatize_rootfs_parent },
    { 0x0203, op_bind_rootfs },
    { 0x0204, op_mount },
    { 0x0205, op_remount },
    { 0x0206, op_set_mount_attr },
    { 0x0207, op_readonly_path },
    { 0x0208, op_mask_path },
    { 0x0305, op_enter_root },
    { 0, NULL },
};
