/*
 * Container paths (FilesystemStep.java): between BindRootfs and EnterRoot a path is resolved
 * beneath the rootfs with openat2(RESOLVE_IN_ROOT), and the system call goes through
 * /proc/self/fd/N, so a symbolic link swapped into the rootfs after planning still cannot lead
 * outside it; before and after, paths are plain. Here too the records that create files.
 */
#define _GNU_SOURCE
#include "helper.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

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

void close_fd(int fd)
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

const struct op path_ops[] = {
    { 0x0301, op_make_path },
    { 0x0302, op_chmod },
    { 0x0303, op_make_device },
    { 0x0304, op_symlink },
    { 0, NULL },
};
