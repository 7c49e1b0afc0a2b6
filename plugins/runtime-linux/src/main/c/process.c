/*
 * Process and identity records (ProcessStep.java, IdentityStep.java): the sync points, kernel
 * settings, limits, the user and its privileges, the wait for start, seccomp, the exec.
 */
#define _GNU_SOURCE
#include "helper.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/close_range.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static int exec_searching(char **argv, char **env, int (*exec)(const char *, char *const *, char *const *));
static int can_exec(const char *path, char *const *argv, char *const *env);

int try_write(const char *path, const char *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = write(fd, data, len);
    int e = errno;
    close(fd);
    if (n >= 0 && (size_t)n != len)
        e = EIO;
    errno = e;
    return n >= 0 && (size_t)n == len ? 0 : -1;
}

void write_file(const char *origin, const char *path, const char *data, size_t len)
{
    if (try_write(path, data, len) < 0)
        die_errno(origin, "write \"%s\"", path);
}

static void op_set_umask(struct cur *c)
{
    int32_t mask = rd_i32(c);
    if (g.run)
        umask((mode_t)mask);
}

static void op_set_hostname(struct cur *c)
{
    char *name = rd_str(c);
    if (g.run && sethostname(name, strlen(name)) < 0)
        die_errno("hostname", "sethostname \"%s\"", name);
}

static void op_set_domainname(struct cur *c)
{
    char *name = rd_str(c);
    if (g.run && setdomainname(name, strlen(name)) < 0)
        die_errno("domainname", "setdomainname \"%s\"", name);
}

static void op_apparmor(struct cur *c)
{
    char *profile = rd_str(c);
    if (!g.run)
        return;
    char line[4200];
    int n = snprintf(line, sizeof line, "exec %s", profile);
    if (try_write("/proc/thread-self/attr/apparmor/exec", line, (size_t)n) < 0
        && (errno != ENOENT || try_write("/proc/thread-self/attr/exec", line, (size_t)n) < 0))
        die_errno("process.apparmorProfile", "apply AppArmor profile \"%s\"", profile);
}

static void op_selinux(struct cur *c)
{
    char *label = rd_str(c);
    if (g.run)
        write_file("process.selinuxLabel", "/proc/thread-self/attr/exec", label, strlen(label));
}

static void op_write_sysctl(struct cur *c)
{
    char *path = rd_str(c), *value = rd_str(c), *origin = rd_str(c);
    if (g.run)
        write_file(origin, path, value, strlen(value));
}

static void op_set_rlimit(struct cur *c)
{
    int32_t resource = rd_i32(c);
    int64_t soft = rd_i64(c), hard = rd_i64(c);
    char *origin = rd_str(c);
    struct rlimit r = { (rlim_t)soft, (rlim_t)hard };
    if (g.run && setrlimit((__rlimit_resource_t)resource, &r) < 0)
        die_errno(origin, "setrlimit %d", resource);
}

static void op_set_personality(struct cur *c)
{
    int64_t persona = rd_i64(c);
    if (g.run && personality((unsigned long)persona) < 0)
        die_errno("linux.personality", "personality 0x%llx", (unsigned long long)persona);
}

static void op_set_io_priority(struct cur *c)
{
    int32_t class = rd_i32(c), prio = rd_i32(c);
    /* ioprio_set(IOPRIO_WHO_PROCESS, 0, ...) */
    if (g.run && syscall(SYS_ioprio_set, 1, 0, class << 13 | prio) < 0)
        die_errno("process.ioPriority", "ioprio_set class %d priority %d", class, prio);
}

/* struct sched_attr, SCHED_ATTR_SIZE_VER0 (glibc 2.36 does not declare it). */
struct sched_attr_v0 {
    uint32_t size, policy;
    uint64_t flags;
    int32_t nice;
    uint32_t priority;
    uint64_t runtime, deadline, period;
};

static void op_set_scheduler(struct cur *c)
{
    struct sched_attr_v0 a = { .size = sizeof a };
    a.policy = (uint32_t)rd_i32(c);
    a.flags = (uint64_t)rd_i64(c);
    a.nice = rd_i32(c);
    a.priority = (uint32_t)rd_i32(c);
    a.runtime = (uint64_t)rd_i64(c);
    a.deadline = (uint64_t)rd_i64(c);
    a.period = (uint64_t)rd_i64(c);
    if (g.run && syscall(SYS_sched_setattr, 0, &a, 0) < 0)
        die_errno("process.scheduler", "sched_setattr policy %u", a.policy);
}

static void op_no_new_privs(struct cur *c)
{
    (void)c;
    if (g.run && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        die_errno("process.noNewPrivileges", "prctl PR_SET_NO_NEW_PRIVS");
}

static void op_chdir(struct cur *c)
{
    char *path = rd_str(c);
    if (g.run && chdir(path) < 0)
        die_errno("process.cwd", "chdir \"%s\"", path);
}

static void op_drop_bounding_set(struct cur *c)
{
    uint64_t keep = (uint64_t)rd_i64(c);
    int32_t last = rd_i32(c);
    if (!g.run)
        return;
    for (int cap = 0; cap <= last && cap < 64; cap++)
        if (!(keep & 1ULL << cap) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
            die_errno("process.capabilities.bounding", "drop capability %d", cap);
}

static void op_switch_user(struct cur *c)
{
    int64_t uid = rd_i64(c), gid = rd_i64(c);
    uint32_t n;
    int64_t *gids = rd_longs(c, &n);
    int set_groups = rd_bool(c);
    if (!g.run)
        return;
    gid_t *list = calloc(n + 1, sizeof *list);
    if (!list)
        abort();
    for (uint32_t i = 0; i < n; i++)
        list[i] = (gid_t)gids[i];
    give_stdio_to((uid_t)uid);
    if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
        die_errno("process.user", "prctl PR_SET_KEEPCAPS");
    if (set_groups && setgroups(n, list) < 0)
        die_errno("process.user.additionalGids", "setgroups");
    if (setresgid((gid_t)gid, (gid_t)gid, (gid_t)gid) < 0)
        die_errno("process.user.gid", "setresgid %lld", (long long)gid);
    if (setresuid((uid_t)uid, (uid_t)uid, (uid_t)uid) < 0)
        die_errno("process.user.uid", "setresuid %lld", (long long)uid);
    if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
        die_errno("process.user", "prctl PR_SET_KEEPCAPS");
}

static void op_set_capabilities(struct cur *c)
{
    uint64_t eff = (uint64_t)rd_i64(c), perm = (uint64_t)rd_i64(c), inh = (uint64_t)rd_i64(c);
    if (!g.run)
        return;
    struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct d[2] = {
        { (uint32_t)eff, (uint32_t)perm, (uint32_t)inh },
        { (uint32_t)(eff >> 32), (uint32_t)(perm >> 32), (uint32_t)(inh >> 32) },
    };
    if (syscall(SYS_capset, &h, d) < 0)
        die_errno("process.capabilities", "capset");
}

static void op_set_ambient(struct cur *c)
{
    uint64_t raise = (uint64_t)rd_i64(c);
    int32_t last = rd_i32(c);
    if (!g.run)
        return;
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
        die_errno("process.capabilities.ambient", "clear the ambient set");
    for (int cap = 0; cap <= last && cap < 64; cap++)
        if ((raise & 1ULL << cap) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
            die_errno("process.capabilities.ambient", "raise capability %d", cap);
}

/* runc's exec FIFO: "created" is reported, then the open for writing blocks until start opens
 * the FIFO for reading. The descriptor was opened O_PATH in the host's mount namespace and is
 * reopened through /proc, which needs the container's /proc. */
void wait_for_start(void)
{
    /* As runc: a missing program is a create-time error, not one nobody hears after start. */
    if (g.exec_argv && g.exec_argv[0]
        && exec_searching(g.exec_argv, g.exec_env, can_exec) < 0)
        die_errno("process.args", "exec \"%s\"", g.exec_argv[0]);
    if (g.console >= 0 && !g.pty_done)
        setup_console(NULL);
    if (g.fifo < 0)
        die("start", "the launch has no exec FIFO to wait on");
    char path[32];
    snprintf(path, sizeof path, "/proc/self/fd/%d", g.fifo);
    send_line("created");
    send(g.status, "c", 1, MSG_NOSIGNAL);
    g.created = 1;
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        die_errno("start", "open the exec FIFO");
    if (write(fd, "0", 1) != 1)
        die_errno("start", "write the exec FIFO");
    close(fd);
    close(g.fifo);
    g.fifo = -1;
}

static void op_wait_for_start(struct cur *c)
{
    (void)c;
    if (g.run)
        wait_for_start();
}

static int cloexec_from_proc(int lowest)
{
    DIR *d = opendir("/proc/self/fd");
    if (!d)
        return -1;
    int self = dirfd(d), rc = 0;
    for (struct dirent *e; (e = readdir(d));) {
        char *end;
        long fd = strtol(e->d_name, &end, 10);
        if (*end || end == e->d_name || fd < lowest || fd == self)
            continue;
        int flags = fcntl((int)fd, F_GETFD);
        if (flags >= 0 && fcntl((int)fd, F_SETFD, flags | FD_CLOEXEC) < 0)
            rc = -1;
    }
    closedir(d);
    return rc;
}

static void op_close_inherited_fds(struct cur *c)
{
    int32_t lowest = rd_i32(c);
    if (!g.run)
        return;
    if (lowest < 3 + g.preserve)
        lowest = 3 + g.preserve;
    /* Marked close-on-exec rather than closed: the channel stays open to report a failing
     * execve, and nothing but stdio and the preserved descriptors reaches the program. */
    if (syscall(SYS_close_range, (unsigned)lowest, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
        return;
    /* A seccomp profile written before close_range (Linux 5.9) refuses it with its default
     * errno; runc's fcntl walk over /proc/self/fd passes such profiles. */
    int err = errno;
    if (cloexec_from_proc(lowest) < 0) {
        errno = err;
        die_errno("process", "close_range from %d", lowest);
    }
}

static int can_exec(const char *path, char *const *argv, char *const *env)
{
    (void)argv;
    (void)env;
    struct stat st;
    if (stat(path, &st) < 0)
        return -1;
    if (!S_ISREG(st.st_mode) || access(path, X_OK) < 0) {
        errno = EACCES;
        return -1;
    }
    return 0;
}

/* execvp(3)'s search, over the PATH of the program's environment, not the helper's; with
 * can_exec instead of execve, it only checks that there is something to execute. */
static int exec_searching(char **argv, char **env, int (*exec)(const char *, char *const *, char *const *))
{
    const char *file = argv[0];
    if (strchr(file, '/'))
        return exec(file, argv, env);
    const char *path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    for (char **e = env; *e; e++)
        if (strncmp(*e, "PATH=", 5) == 0)
            path = *e + 5;
    int denied = 0;
    for (const char *dir = path;; dir++) {
        const char *end = strchrnul(dir, ':');
        char full[4096];
        int n = end == dir ? snprintf(full, sizeof full, "%s", file)
                           : snprintf(full, sizeof full, "%.*s/%s", (int)(end - dir), dir, file);
        if (n > 0 && (size_t)n < sizeof full) {
            if (exec(full, argv, env) == 0)
                return 0;
            if (errno == EACCES)
                denied = 1;
            else if (errno != ENOENT && errno != ENOTDIR && errno != ESTALE && errno != ENODEV)
                return -1;
        }
        if (!*end)
            break;
        dir = end;
    }
    errno = denied ? EACCES : ENOENT;
    return -1;
}

/* Tells the parent the init is about to exec: EOF on the status socket then means the exec
 * happened. Sent before a seccomp filter is loaded, which might refuse the send. */
static void about_to_exec(void)
{
    static int sent;
    if (!sent)
        send(g.status, "x", 1, MSG_NOSIGNAL);
    sent = 1;
}

static void op_exec(struct cur *c)
{
    char **argv = rd_strs(c), **env = rd_strs(c);
    if (!g.run) {
        g.exec_argv = argv;
        g.exec_env = env;
        return;
    }
    if (!argv[0])
        die("process.args", "no program to run");
    if (g.console >= 0 && !g.pty_done)
        setup_console(NULL);
    about_to_exec();
    exec_searching(argv, env, execve);
    die_errno("process.args", "exec \"%s\"", argv[0]);
}

/* flags:i64 filter:blob, the blob an array of struct sock_filter in host byte order, as
 * libseccomp's seccomp_export_bpf writes it. With SECCOMP_FILTER_FLAG_NEW_LISTENER the
 * listener goes to the seccomp agent (notify.c). */
static void op_set_seccomp(struct cur *c)
{
    int64_t flags = rd_i64(c);
    uint32_t len = rd_count(c, 1);
    struct cur blob = rd_slice(c, len);
    if (!plan_error[0] && (len == 0 || len % 8 || len / 8 > 4096))
        rd_fail(c, "seccomp filter of %u bytes is not 1 to 4096 instructions", len);
    if (!g.run)
        return;
    struct sock_filter *f = malloc(len);
    if (!f)
        abort();
    memcpy(f, blob.p, len);
    struct sock_fprog prog = { (unsigned short)(len / 8), f };
    about_to_exec();
    long rc = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, (unsigned)flags, &prog);
    if (rc < 0)
        die_errno("linux.seccomp", "load the seccomp filter");
    free(f);
    if (flags & SECCOMP_FILTER_FLAG_NEW_LISTENER)
        listener_handoff((int)rc);
}

static void op_sync(struct cur *c)
{
    uint8_t point = rd_u8(c);
    if (point < 1 || point > 2)
        rd_fail(c, "unknown sync point %u", point);
    if (!g.run)
        return;
    uint32_t len;
    send_line("sync %u", point);
    if (!recv_message('C', &len))
        die("runtime", "the runtime closed the channel at sync point %u", point);
}


const struct op process_ops[] = {
    { 0x0401, op_set_umask },
    { 0x0402, op_sync },
    { 0x0404, op_set_hostname },
    { 0x0405, op_set_domainname },
    { 0x0406, op_apparmor },
    { 0x0407, op_selinux },
    { 0x0408, op_write_sysctl },
    { 0x0409, op_set_rlimit },
    { 0x040a, op_set_personality },
    { 0x040b, op_set_io_priority },
    { 0x040c, op_set_scheduler },
    { 0x0501, op_no_new_privs },
    { 0x0502, op_chdir },
    { 0x0503, op_drop_bounding_set },
    { 0x0504, op_switch_user },
    { 0x0505, op_set_capabilities },
    { 0x0506, op_set_ambient },
    { 0x0507, op_wait_for_start },
    { 0x0508, op_close_inherited_fds },
    { 0x0509, op_exec },
    { 0x050a, op_set_seccomp },
    { 0, NULL },
};
