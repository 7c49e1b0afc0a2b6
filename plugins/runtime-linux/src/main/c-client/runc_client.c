/*
 * jctr-runc-client: the program bin/jctr-runc runs. Starting a JVM for every runc command costs
 * ~200 ms; this client hands the command line to a resident jctr-runc server (a JVM that stays
 * warm, RuncServer.java) and does for it what must happen in the caller's own process:
 *
 *  - the caller's stdin, stdout and stderr travel to the server with SCM_RIGHTS, so output and
 *    exit codes are the same as a one-shot run;
 *  - helpers are forked here, not in the server: a detached container's init is re-parented
 *    to the caller's subreaper (containerd's shim finds its containers that way), and they
 *    inherit the caller's preserved descriptors, cgroup and rlimits as with runc;
 *  - in the foreground, signals sent to this process are forwarded to the helper, which
 *    relays them to the container, as runc forwards them to its init.
 *
 * Whenever the server cannot serve (not root, JCTR_RUNC_SERVER=off, no server yet, a server in
 * other namespaces or built from other jars) the command runs in a one-shot JVM instead: this
 * program execs the fallback launcher given as its first argument. When no server is running
 * it also starts one in the background for the next command.
 *
 * Usage: jctr-runc-client FALLBACK [runc arguments...]
 * Environment: JCTR_RUNC_SERVER=off, JCTR_RUNC_SERVER_SOCKET (default
 * /run/jctr-runc-server/server.sock).
 *
 * Protocol (big-endian): request "JCR1", u32 length, then u32 argc + strings, u32 envc +
 * strings, the working directory (a string is u32 length + bytes); fds 0-2 ride on the first
 * byte. Server messages are u8 kind, u32 length, payload; replies have the same shape.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define DEFAULT_SOCKET "/run/jctr-runc-server/server.sock"
#define MAX_MESSAGE (1u << 20)
/* Descriptors this program opens itself are moved at or above this, out of the way of the
 * caller's preserved descriptors 3, 4, ... */
#define OWN_FD_BASE 100

extern char **environ;

static char **fallback_argv;
static int conn = -1;
static volatile pid_t helper;

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("jctr-runc: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

/* Runs the command in a one-shot JVM: this process becomes the fallback launcher. */
static void __attribute__((noreturn)) fallback(void)
{
    if (conn >= 0)
        close(conn);
    execv(fallback_argv[0], fallback_argv);
    die("cannot run %s: %s", fallback_argv[0], strerror(errno));
}

static int move_high(int fd)
{
    int high = fcntl(fd, F_DUPFD_CLOEXEC, OWN_FD_BASE);
    if (high < 0)
        return fd;
    close(fd);
    return high;
}

static const char *socket_path(void)
{
    const char *path = getenv("JCTR_RUNC_SERVER_SOCKET");
    return path && *path ? path : DEFAULT_SOCKET;
}

/* Whether a server holds (or is taking) the lock beside the socket: it keeps a write lock
 * (fcntl, as Java's FileChannel.lock takes it) for its whole life. */
static int server_lock_held(const char *lock)
{
    int fd = open(lock, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    int held = fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
    close(fd);
    return held;
}

/* Starts a server in the background, in a new session, detached from this process's stdio
 * (its output goes to SOCKET.log); a second server started by a racing client finds the lock
 * taken and exits. */
static void start_server(const char *path)
{
    char lock[PATH_MAX], log[PATH_MAX];
    if (snprintf(lock, sizeof lock, "%s.lock", path) >= (int)sizeof lock
        || snprintf(log, sizeof log, "%s.log", path) >= (int)sizeof log)
        return;
    if (server_lock_held(lock))
        return;
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = '\0';
        mkdir(dir, 0700);
    }
    pid_t child = fork();
    if (child < 0)
        return;
    if (child == 0) {
        setsid();
        if (fork() != 0)
            _exit(0);
        if (chdir("/") < 0)
            _exit(1);
        int null = open("/dev/null", O_RDWR);
        int out = open(log, O_WRONLY | O_APPEND | O_CREAT, 0600);
        if (null < 0 || out < 0)
            _exit(1);
        dup2(null, 0);
        dup2(out, 1);
        dup2(out, 2);
        syscall(SYS_close_range, 3, ~0u, 0);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        char *argv[] = {fallback_argv[0], "--jctr-runc-server", (char *)path, NULL};
        execv(argv[0], argv);
        _exit(127);
    }
    while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
        ;
}

/* ---- framing ---- */

struct buf {
    char *p;
    size_t len, cap;
};

static void put(struct buf *b, const void *data, size_t n)
{
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2 + 256;
        b->p = realloc(b->p, b->cap);
        if (!b->p)
            die("out of memory");
    }
    memcpy(b->p + b->len, data, n);
    b->len += n;
}

static void put_u32(struct buf *b, uint32_t v)
{
    v = htonl(v);
    put(b, &v, 4);
}

static void put_str(struct buf *b, const char *s)
{
    size_t n = strlen(s);
    put_u32(b, (uint32_t)n);
    put(b, s, n);
}

static int write_all(const void *data, size_t n)
{
    const char *p = data;
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

static void reply(char kind, const void *payload, uint32_t n)
{
    struct buf b = {0};
    put(&b, &kind, 1);
    put_u32(&b, n);
    put(&b, payload, n);
    if (write_all(b.p, b.len) < 0)
        die("lost the connection to the jctr-runc server: %s", strerror(errno));
    free(b.p);
}

static void reply_text(char kind, const char *text)
{
    reply(kind, text, (uint32_t)strlen(text));
}

static void reply_i32(char kind, int32_t v)
{
    uint32_t be = htonl((uint32_t)v);
    reply(kind, &be, 4);
}

/* Reads exactly n bytes, collecting any descriptor that arrives with them into *fd;
 * 0 at a clean end of stream before the first byte, -1 on error. */
static int read_msg(void *data, size_t n, int *fd)
{
    char *p = data;
    size_t got = 0;
    while (got < n) {
        struct iovec iov = {.iov_base = p + got, .iov_len = n - got};
        union {
            struct cmsghdr h;
            char b[CMSG_SPACE(sizeof(int))];
        } control;
        struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = &control,
                           .msg_controllen = sizeof control};
        ssize_t r = recvmsg(conn, &m, MSG_CMSG_CLOEXEC);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0)
            return got == 0 ? 0 : -1;
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS && fd)
                memcpy(fd, CMSG_DATA(c), sizeof(int));
        got += (size_t)r;
    }
    return 1;
}

/* ---- the request ---- */

static int is_private_variable(const char *kv)
{
    return strncmp(kv, "JCTR_RUNC_SERVER", 16) == 0;
}

static void send_request(int argc, char **argv)
{
    struct buf body = {0};
    put_u32(&body, (uint32_t)argc);
    for (int i = 0; i < argc; i++)
        put_str(&body, argv[i]);
    uint32_t envc = 0;
    for (char **e = environ; *e; e++)
        envc += !is_private_variable(*e);
    put_u32(&body, envc);
    for (char **e = environ; *e; e++)
        if (!is_private_variable(*e))
            put_str(&body, *e);
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd))
        die("getcwd: %s", strerror(errno));
    put_str(&body, cwd);

    struct buf head = {0};
    put(&head, "JCR1", 4);
    put_u32(&head, (uint32_t)body.len);
    /* The caller's stdio, attached to the header's bytes. */
    int fds[3] = {0, 1, 2};
    union {
        struct cmsghdr h;
        char b[CMSG_SPACE(sizeof fds)];
    } control;
    memset(&control, 0, sizeof control);
    struct iovec iov = {.iov_base = head.p, .iov_len = head.len};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = &control,
                       .msg_controllen = sizeof control};
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof fds);
    memcpy(CMSG_DATA(c), fds, sizeof fds);
    ssize_t w;
    do
        w = sendmsg(conn, &m, MSG_NOSIGNAL);
    while (w < 0 && errno == EINTR);
    if (w != (ssize_t)head.len || write_all(body.p, body.len) < 0)
        fallback();
    free(head.p);
    free(body.p);
}

/* ---- helpers ---- */

static void forward(int sig)
{
    pid_t h = helper;
    if (h > 0)
        kill(h, sig);
}

static const int forwarded[] = {SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGCONT};

/* Forks the helper: stdio is this process's, the caller's descriptors 3..target-1 are kept,
 * the channel lands on target, everything else is closed; signals are reset and the
 * environment is empty, as HelperStarter specifies. */
static void spawn(const char *payload, uint32_t n, int channel)
{
    if (n < 8 || channel < 0) {
        reply_text('F', "malformed spawn request");
        return;
    }
    uint32_t preserve, len;
    memcpy(&preserve, payload, 4);
    memcpy(&len, payload + 4, 4);
    preserve = ntohl(preserve);
    len = ntohl(len);
    if (len != n - 8 || preserve > 4096) {
        reply_text('F', "malformed spawn request");
        close(channel);
        return;
    }
    char executable[PATH_MAX];
    if (len >= sizeof executable) {
        reply_text('F', "helper path too long");
        close(channel);
        return;
    }
    memcpy(executable, payload + 8, len);
    executable[len] = '\0';
    int target = 3 + (int)preserve;
    for (int fd = 3; fd < target; fd++) {
        if (fd == conn || fd == channel || fcntl(fd, F_GETFD) < 0) {
            char message[64];
            snprintf(message, sizeof message, "preserved descriptor %d is not open", fd);
            reply_text('F', message);
            close(channel);
            return;
        }
    }
    int report[2];
    if (pipe2(report, O_CLOEXEC) < 0) {
        reply_text('F', "pipe failed");
        close(channel);
        return;
    }
    pid_t pid = fork();
    if (pid == 0) {
        int err = fcntl(report[1], F_DUPFD_CLOEXEC, target + 2);
        int chan = fcntl(channel, F_DUPFD, target + 2);
        sigset_t none;
        sigemptyset(&none);
        for (int s = 1; s < NSIG; s++)
            signal(s, SIG_DFL);
        sigprocmask(SIG_SETMASK, &none, NULL);
        if (err < 0 || chan < 0)
            _exit(127);
        for (int fd = 0; fd < target; fd++) {
            int flags = fcntl(fd, F_GETFD);
            if (flags >= 0)
                fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC);
        }
        if (dup2(chan, target) < 0)
            goto failed;
        /* Everything above the channel except the report pipe, which exec closes. */
        int low = err < chan ? err : chan, high = err < chan ? chan : err;
        syscall(SYS_close_range, target + 1, low - 1, 0);
        syscall(SYS_close_range, low + 1, high - 1, 0);
        syscall(SYS_close_range, high + 1, ~0u, 0);
        if (chan != err)
            close(chan);
        char fdarg[16];
        snprintf(fdarg, sizeof fdarg, "%d", target);
        char *argv[] = {"jctr-helper", fdarg, NULL};
        char *envp[] = {NULL};
        execve(executable, argv, envp);
    failed:;
        int e = errno;
        if (write(err, &e, sizeof e) < 0)
            _exit(127);
        _exit(127);
    }
    close(report[1]);
    close(channel);
    if (pid < 0) {
        close(report[0]);
        reply_text('F', "fork failed");
        return;
    }
    int e = 0;
    ssize_t r;
    do
        r = read(report[0], &e, sizeof e);
    while (r < 0 && errno == EINTR);
    close(report[0]);
    if (r == (ssize_t)sizeof e) {
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
            ;
        char message[PATH_MAX + 64];
        snprintf(message, sizeof message, "exec %s: %s", executable, strerror(e));
        reply_text('F', message);
        return;
    }
    helper = pid;
    reply_i32('P', pid);
}

/* Waits for the helper (blocking, forwarding signals meanwhile) or polls it. */
static void await_helper(int block)
{
    pid_t h = helper;
    if (h <= 0) {
        reply_i32('T', 0);
        return;
    }
    struct sigaction sa = {.sa_handler = forward};
    sigemptyset(&sa.sa_mask);
    if (block)
        for (size_t i = 0; i < sizeof forwarded / sizeof forwarded[0]; i++)
            sigaction(forwarded[i], &sa, NULL);
    int status = 0;
    pid_t r;
    do
        r = waitpid(h, &status, block ? 0 : WNOHANG);
    while (r < 0 && errno == EINTR);
    if (block) {
        struct sigaction dfl = {.sa_handler = SIG_DFL};
        for (size_t i = 0; i < sizeof forwarded / sizeof forwarded[0]; i++)
            sigaction(forwarded[i], &dfl, NULL);
    }
    if (r == h) {
        helper = 0;
        reply_i32('T', status);
    } else if (r == 0) {
        reply_i32('T', -1);
    } else {
        helper = 0;
        reply_i32('T', 0);
    }
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs("usage: jctr-runc-client FALLBACK [runc arguments...]\n", stderr);
        return 2;
    }
    fallback_argv = argv + 1;
    const char *off = getenv("JCTR_RUNC_SERVER");
    if (geteuid() != 0 || (off && strcmp(off, "off") == 0))
        fallback();
    for (int fd = 0; fd < 3; fd++)
        if (fcntl(fd, F_GETFD) < 0)
            fallback();
    const char *path = socket_path();
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof addr.sun_path)
        fallback();
    strcpy(addr.sun_path, path);
    conn = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (conn < 0)
        fallback();
    conn = move_high(conn);
    if (connect(conn, (struct sockaddr *)&addr, sizeof addr) < 0) {
        if (errno == ENOENT || errno == ECONNREFUSED)
            start_server(path);
        fallback();
    }
    send_request(argc - 2, argv + 2);

    int answered = 0;
    for (;;) {
        unsigned char head[5];
        int fd = -1;
        int r = read_msg(head, sizeof head, &fd);
        if (r == 0 && !answered)
            fallback(); /* the server went away (idle exit, out of date) before starting */
        if (r <= 0)
            die("lost the connection to the jctr-runc server");
        answered = 1;
        uint32_t n;
        memcpy(&n, head + 1, 4);
        n = ntohl(n);
        if (n > MAX_MESSAGE)
            die("malformed message from the jctr-runc server");
        char *payload = malloc(n + 1);
        if (!payload)
            die("out of memory");
        if (n > 0 && read_msg(payload, n, fd < 0 ? &fd : NULL) <= 0)
            die("lost the connection to the jctr-runc server");
        int32_t v = 0;
        if (n >= 4) {
            memcpy(&v, payload, 4);
            v = (int32_t)ntohl((uint32_t)v);
        }
        switch (head[0]) {
        case 'S':
            spawn(payload, n, fd);
            fd = -1;
            break;
        case 'W':
            await_helper(1);
            break;
        case 'N':
            await_helper(0);
            break;
        case 'K':
            if (helper > 0)
                kill(helper, v);
            break;
        case 'X':
            return v;
        case 'R':
            fallback();
        default:
            die("unknown message %d from the jctr-runc server", head[0]);
        }
        if (fd >= 0)
            close(fd);
        free(payload);
    }
}
