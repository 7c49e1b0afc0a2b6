/*
 * jctr-shim DIR: the parent and child subreaper of one task's processes, started by the
 * runtime at task create so that the task does not depend on the daemon's JVM. It
 *
 *  - detaches: the process the runtime started forks the shim proper and exits once the shim
 *    listens (status 0) or failed (1, the reason on stderr, which the runtime points at
 *    DIR/shim.log); the shim has its own session, no parent-death signal, blocks the signals
 *    a terminal or a process group would send, and moves to the root cgroups;
 *  - works in DIR (the task's state directory): the socket "shim.sock" (0600), its pid in
 *    "shim.pid", and "exits", one line "PID WAIT-STATUS UNIX-NANOS" per reaped child,
 *    appended before the exit is reported, so a restarted runtime learns what ended while it
 *    was down;
 *  - spawns processes with their streams on the runtime's request (stdio.c), reaps every
 *    child (orphans of the container too) and reports each exit to the connected runtime.
 *
 * Protocol: one connection at a time (a new one replaces the old: a restarted runtime
 * reconnects). Messages both ways are u8 kind, u32 length (big-endian), payload; a descriptor
 * may ride on the first byte (SCM_RIGHTS). Strings are u32 length + bytes, lists u32 count +
 * strings. Runtime -> shim, each answered by 'O' (done), 'P' i32 pid or 'F' text (failed):
 *   'S' spawn: u32 flags (0), path, argv, env, stdin, stdout, stderr, console socket name
 *       ("" without a terminal), with an optional descriptor that the child gets as fd 3;
 *       answered with 'P' the child's pid;
 *   'A' i32 spawned, i32 pid: the spawned process's streams belong to pid from now on (its
 *       container process): they are drained and released when pid exits;
 *   'I' i32 pid: CloseIO, end that process's stdin;
 *   'R' i32 pid, u16 columns, u16 rows: resize its terminal;
 *   'C' i32 pid: release its streams (the runtime deleted it);
 *   'D': delete the task: the shim removes its socket, answers and exits.
 * Shim -> runtime, unasked: 'X' i32 pid, i32 wait status, i64 unix nanoseconds.
 */
#define _GNU_SOURCE
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SOCKET_NAME "shim.sock"
#define MAX_MESSAGE (1u << 20)

static int listener = -1, conn = -1, sigfd = -1, exits = -1;
static struct group *groups;

void logmsg(const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if (n > (int)sizeof line - 2)
        n = (int)sizeof line - 2;
    line[n++] = '\n';
    if (write(2, line, (size_t)n) < 0)
        return;
}

/* ---- messages ---- */

static int send_all(const void *b, size_t n)
{
    const char *p = b;
    while (n > 0) {
        ssize_t w = send(conn, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static void put32(unsigned char *b, uint32_t v)
{
    b[0] = (unsigned char)(v >> 24);
    b[1] = (unsigned char)(v >> 16);
    b[2] = (unsigned char)(v >> 8);
    b[3] = (unsigned char)v;
}

static uint32_t get32(const unsigned char *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static void drop_connection(void)
{
    if (conn >= 0)
        close(conn);
    conn = -1;
}

static void reply(char kind, const void *payload, uint32_t n)
{
    unsigned char head[5];
    head[0] = (unsigned char)kind;
    put32(head + 1, n);
    if (conn < 0)
        return;
    if (send_all(head, 5) < 0 || (n && send_all(payload, n) < 0))
        drop_connection();
}

static void reply_text(char kind, const char *text)
{
    reply(kind, text, (uint32_t)strlen(text));
}

static void reply_i32(char kind, int32_t v)
{
    unsigned char b[4];
    put32(b, (uint32_t)v);
    reply(kind, b, 4);
}

/* Reads exactly n bytes, keeping a descriptor that arrives with them in *fd. */
static int read_full(void *data, size_t n, int *fd)
{
    char *p = data;
    for (size_t got = 0; got < n;) {
        struct iovec iov = { p + got, n - got };
        union {
            struct cmsghdr h;
            char b[CMSG_SPACE(sizeof(int))];
        } u;
        struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.b,
                            .msg_controllen = sizeof u.b };
        ssize_t r = recvmsg(conn, &m, MSG_CMSG_CLOEXEC);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
                int in;
                memcpy(&in, CMSG_DATA(c), sizeof in);
                if (fd && *fd < 0)
                    *fd = in;
                else
                    close(in);
            }
        got += (size_t)r;
    }
    return 0;
}

/* A bounded reader over a payload; once short, every read yields zeros and empty strings. */
struct cur {
    const unsigned char *p;
    uint32_t left;
    int bad;
};

static uint32_t rd32(struct cur *c)
{
    if (c->left < 4) {
        c->bad = 1;
        c->left = 0;
        return 0;
    }
    uint32_t v = get32(c->p);
    c->p += 4;
    c->left -= 4;
    return v;
}

static char *rdstr(struct cur *c)
{
    uint32_t n = rd32(c);
    if (n > c->left) {
        c->bad = 1;
        n = 0;
    }
    char *s = malloc(n + 1);
    if (!s)
        abort();
    memcpy(s, c->p, n);
    s[n] = 0;
    c->p += n;
    c->left -= n;
    return s;
}

static char **rdstrs(struct cur *c)
{
    uint32_t n = rd32(c);
    if (n > c->left / 4) {
        c->bad = 1;
        n = 0;
    }
    char **v = calloc(n + 1, sizeof *v);
    if (!v)
        abort();
    for (uint32_t i = 0; i < n; i++)
        v[i] = rdstr(c);
    return v;
}

static void free_strs(char **v)
{
    for (char **s = v; *s; s++)
        free(*s);
    free(v);
}

/* ---- processes ---- */

static struct group *find_group(pid_t pid)
{
    for (struct group *g = groups; g; g = g->next)
        if (g->pid == pid || g->spawned == pid)
            return g;
    return NULL;
}

static void unlink_group(struct group *g)
{
    for (struct group **p = &groups; *p; p = &(*p)->next)
        if (*p == g) {
            *p = g->next;
            break;
        }
    group_free(g);
}

/* The child: streams to 0-2, the extra descriptor to 3, signals as a fresh process has. */
static void __attribute__((noreturn)) exec_child(const char *path, char **argv, char **env,
                                                 int fds[3], int extra, int report)
{
    sigset_t none;
    sigemptyset(&none);
    for (int s = 1; s < NSIG; s++)
        signal(s, SIG_DFL);
    sigprocmask(SIG_SETMASK, &none, NULL);
    int high[4];
    for (int i = 0; i < 3; i++)
        high[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, 10);
    high[3] = extra >= 0 ? fcntl(extra, F_DUPFD_CLOEXEC, 10) : -1;
    int e = 0;
    for (int i = 0; i < 3 && !e; i++)
        if (high[i] < 0 || dup2(high[i], i) < 0)
            e = errno ? errno : EBADF;
    if (!e && extra >= 0 && (high[3] < 0 || dup2(high[3], 3) < 0))
        e = errno;
    if (!e) {
        /* Everything else is close-on-exec already but the report pipe, which must stay. */
        execve(path, argv, env);
        e = errno;
    }
    if (write(report, &e, sizeof e) < 0)
        _exit(127);
    _exit(127);
}

static void spawn(const unsigned char *payload, uint32_t n, int extra)
{
    struct cur c = { payload, n, 0 };
    rd32(&c); /* flags: none yet */
    char *path = rdstr(&c);
    char **argv = rdstrs(&c), **env = rdstrs(&c);
    char *in = rdstr(&c), *out = rdstr(&c), *err = rdstr(&c), *console = rdstr(&c);
    char why[600];
    struct group *g = calloc(1, sizeof *g);
    if (!g)
        abort();
    g->in_src = g->in_dst = g->console = g->master = g->out = -1;
    g->holds[0] = g->holds[1] = -1;
    int fds[3] = { -1, -1, -1 }, report[2] = { -1, -1 };
    if (c.bad || c.left || !argv[0]) {
        snprintf(why, sizeof why, "malformed spawn request");
        goto failed;
    }
    if (group_open(g, in, out, err, console, fds, why, sizeof why) < 0)
        goto failed;
    if (pipe2(report, O_CLOEXEC) < 0) {
        snprintf(why, sizeof why, "pipe: %s", strerror(errno));
        goto failed;
    }
    pid_t pid = fork();
    if (pid == 0)
        exec_child(path, argv, env, fds, extra, report[1]);
    close(report[1]);
    report[1] = -1;
    if (pid < 0) {
        snprintf(why, sizeof why, "fork: %s", strerror(errno));
        goto failed;
    }
    int e = 0;
    ssize_t r;
    do
        r = read(report[0], &e, sizeof e);
    while (r < 0 && errno == EINTR);
    if (r == (ssize_t)sizeof e) {
        /* The child is reaped (and recorded) with the others. */
        snprintf(why, sizeof why, "exec %s: %s", path, strerror(e));
        goto failed;
    }
    group_spawned(g, fds);
    g->spawned = pid;
    g->next = groups;
    groups = g;
    g = NULL;
    reply_i32('P', pid);
    goto done;
failed:
    for (int i = 0; i < 3; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    group_free(g);
    g = NULL;
    reply_text('F', why);
done:
    if (report[0] >= 0)
        close(report[0]);
    free(path);
    free_strs(argv);
    free_strs(env);
    free(in);
    free(out);
    free(err);
    free(console);
}

/* Appends the exit to the file, then tells the runtime. */
static void record(pid_t pid, int status)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    long long nanos = (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
    char line[64];
    int n = snprintf(line, sizeof line, "%d %d %lld\n", pid, status, nanos);
    /* O_APPEND and one write: a reader never sees half a line. */
    if (write(exits, line, (size_t)n) != n)
        logmsg("record the exit of %d: %s", pid, strerror(errno));
    unsigned char b[16];
    put32(b, (uint32_t)pid);
    put32(b + 4, (uint32_t)status);
    put32(b + 8, (uint32_t)((unsigned long long)nanos >> 32));
    put32(b + 12, (uint32_t)nanos);
    reply('X', b, sizeof b);
}

static void reap(void)
{
    struct signalfd_siginfo si;
    while (read(sigfd, &si, sizeof si) == sizeof si)
        ;
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        struct group *g = NULL;
        for (struct group *x = groups; x; x = x->next)
            if (x->pid == pid)
                g = x;
        if (g) {
            /* Wait answers only when the terminal's output is out (ctr reads no more after). */
            group_drain(g);
            unlink_group(g);
        } else {
            /* Maybe an exec whose pid the runtime has not named yet: its terminal first. */
            for (struct group *x = groups; x; x = x->next)
                if (!x->pid && x->spawned != pid && x->master >= 0)
                    group_drain(x);
        }
        record(pid, status);
    }
}

static void request(void)
{
    unsigned char head[5];
    int fd = -1;
    if (read_full(head, 5, &fd) < 0) {
        drop_connection();
        return;
    }
    uint32_t n = get32(head + 1);
    unsigned char *payload = n <= MAX_MESSAGE ? malloc(n + 1) : NULL;
    if (!payload || (n && read_full(payload, n, &fd) < 0)) {
        free(payload);
        if (fd >= 0)
            close(fd);
        drop_connection();
        return;
    }
    struct cur c = { payload, n, 0 };
    struct group *g;
    switch (head[0]) {
    case 'S':
        spawn(payload, n, fd);
        break;
    case 'A': {
        pid_t spawned = (pid_t)rd32(&c), pid = (pid_t)rd32(&c);
        if ((g = find_group(spawned)) != NULL)
            g->pid = pid;
        reply('O', NULL, 0);
        break;
    }
    case 'I':
        if ((g = find_group((pid_t)rd32(&c))) != NULL)
            group_close_stdin(g);
        reply('O', NULL, 0);
        break;
    case 'R': {
        g = find_group((pid_t)rd32(&c));
        uint32_t size = rd32(&c);
        if (g && group_resize(g, (uint16_t)(size >> 16), (uint16_t)size) < 0) {
            char why[128];
            snprintf(why, sizeof why, "resize the terminal: %s", strerror(errno));
            reply_text('F', why);
        } else {
            reply('O', NULL, 0);
        }
        break;
    }
    case 'C':
        if ((g = find_group((pid_t)rd32(&c))) != NULL)
            unlink_group(g);
        reply('O', NULL, 0);
        break;
    case 'D':
        unlink(SOCKET_NAME);
        unlink("shim.pid");
        while (groups)
            unlink_group(groups);
        reply('O', NULL, 0);
        _exit(0);
    default:
        reply_text('F', "unknown request");
    }
    if (fd >= 0)
        close(fd);
    free(payload);
}

/* ---- start-up ---- */

static void __attribute__((noreturn)) fail(int ready, const char *what)
{
    logmsg("jctr-shim: %s: %s", what, strerror(errno));
    if (ready >= 0 && write(ready, "f", 1) < 0)
        _exit(1);
    _exit(1);
}

/* Leaves the daemon's cgroups for the root of every hierarchy, as the jctr-runc server does:
 * stopping the daemon's service (systemd kills its whole cgroup) must not stop the shims. A
 * hierarchy where that is refused (a cgroup namespace, say) keeps the shim where it is. */
static void leave_daemon_cgroups(void)
{
    /* Above malloc's mmap threshold: given back whole when freed, so the shim stays small. */
    char *buf = malloc(1 << 18);
    int fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
    ssize_t n = buf && fd >= 0 ? read(fd, buf, (1 << 18) - 1) : -1;
    if (fd >= 0)
        close(fd);
    if (n <= 0) {
        free(buf);
        return;
    }
    buf[n] = 0;
    char pid[16];
    int len = snprintf(pid, sizeof pid, "%d", getpid());
    for (char *line = buf, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = 0;
        /* "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS... - TYPE SOURCE SUPER"; not sscanf, whose
         * code alone would add a third to the shim's resident size. */
        char *field[5], *dash = strstr(line, " - "), *p = line;
        int k = 0;
        for (; k < 5 && p && *p; k++) {
            field[k] = p;
            if ((p = strchr(p, ' ')) != NULL)
                *p++ = 0;
        }
        if (k < 5 || !dash || strcmp(field[3], "/") != 0
            || (strncmp(dash + 3, "cgroup ", 7) != 0 && strncmp(dash + 3, "cgroup2 ", 8) != 0))
            continue;
        const char *point = field[4];
        char procs[PATH_MAX];
        snprintf(procs, sizeof procs, "%s/cgroup.procs", point);
        int out = open(procs, O_WRONLY | O_CLOEXEC);
        if (out >= 0) {
            if (write(out, pid, (size_t)len) < 0)
                logmsg("leave the daemon's cgroup in %s: %s", point, strerror(errno));
            close(out);
        }
    }
    free(buf);
}

static void setup(const char *dir, int ready)
{
    if (setsid() < 0)
        fail(ready, "setsid");
    leave_daemon_cgroups();
    if (chdir(dir) < 0)
        fail(ready, "chdir");
    /* Orphans of the container (and its inits, once their helpers exit) come to us. */
    if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
        fail(ready, "PR_SET_CHILD_SUBREAPER");
    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_SETMASK, &all, NULL);
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    if ((sigfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK)) < 0)
        fail(ready, "signalfd");
    umask(0177); /* the socket: 0600 */
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    strcpy(a.sun_path, SOCKET_NAME);
    unlink(SOCKET_NAME);
    listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listener < 0 || bind(listener, (struct sockaddr *)&a, sizeof a) < 0 || listen(listener, 4) < 0)
        fail(ready, "listen on " SOCKET_NAME);
    umask(022);
    exits = open("exits", O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    int pidfile = open("shim.pid", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (exits < 0 || pidfile < 0)
        fail(ready, "open exits and shim.pid");
    char pid[16];
    int n = snprintf(pid, sizeof pid, "%d", getpid());
    if (write(pidfile, pid, (size_t)n) != n)
        fail(ready, "write shim.pid");
    close(pidfile);
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0)
        fail(ready, "/dev/null");
    close(null);
}

static void loop(void)
{
    size_t cap = 16;
    struct pollfd *p = malloc(cap * sizeof *p);
    int *roles = malloc(cap * sizeof *roles);
    struct group **owners = malloc(cap * sizeof *owners);
    for (;;) {
        size_t count = 0;
        for (struct group *g = groups; g; g = g->next)
            count++;
        if (3 + count * GROUP_FDS > cap) {
            cap = 3 + count * GROUP_FDS * 2;
            p = realloc(p, cap * sizeof *p);
            roles = realloc(roles, cap * sizeof *roles);
            owners = realloc(owners, cap * sizeof *owners);
        }
        if (!p || !roles || !owners)
            abort();
        int n = 0;
        p[n++] = (struct pollfd){ sigfd, POLLIN, 0 };
        p[n++] = (struct pollfd){ listener, POLLIN, 0 };
        p[n++] = (struct pollfd){ conn, POLLIN, 0 }; /* ignored while -1 */
        for (struct group *g = groups; g; g = g->next) {
            int k = group_poll(g, p + n, roles + n);
            for (int i = 0; i < k; i++)
                owners[n + i] = g;
            n += k;
        }
        if (poll(p, (nfds_t)n, -1) < 0)
            continue;
        /* Streams first (a terminal that arrived before a resize asked for it), exits last. */
        for (int i = 3; i < n; i++)
            if (p[i].revents) {
                int alive = 0;
                for (struct group *g = groups; g; g = g->next)
                    alive |= g == owners[i];
                if (alive)
                    group_event(owners[i], roles[i], p[i].revents);
            }
        if (p[1].revents) {
            int c = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
            if (c >= 0) {
                drop_connection();
                conn = c;
            }
        } else if (p[2].revents && conn == p[2].fd) {
            request();
        }
        if (p[0].revents)
            reap();
    }
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        logmsg("usage: jctr-shim TASK-STATE-DIR (run by the jctr runtime)");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    int ready[2];
    if (pipe2(ready, O_CLOEXEC) < 0)
        fail(-1, "pipe");
    pid_t child = fork();
    if (child < 0)
        fail(-1, "fork");
    if (child > 0) {
        /* The runtime's child: reports whether the shim is listening, then goes. */
        close(ready[1]);
        char b = 0;
        ssize_t r;
        do
            r = read(ready[0], &b, 1);
        while (r < 0 && errno == EINTR);
        return r == 1 && b == 'r' ? 0 : 1;
    }
    close(ready[0]);
    setup(argv[1], ready[1]);
    if (write(ready[1], "r", 1) != 1)
        _exit(1);
    close(ready[1]);
    loop();
    return 0;
}
