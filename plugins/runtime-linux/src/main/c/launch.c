/*
 * The helper's processes. The runtime starts it with the channel's descriptor number as its
 * only argument; fds 0-2 are the container's stdio and 3..3+N-1 the preserved descriptors
 * (channel.c describes the messages).
 *
 * The process the runtime spawned (the parent) joins the cgroups and namespaces, creates the
 * init with one clone(2), writes its id maps, then only watches it; the init performs the
 * rest of the plan. Detached, the parent exits once the init reported "created" or executed
 * the program, so that the init is re-parented to the runtime's subreaper; in the foreground
 * it forwards signals to the init and exits with its status.
 */
#define _GNU_SOURCE
#include "helper.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define OP_SET_OOM_SCORE_ADJ 0x0101
#define OP_JOIN_NAMESPACE 0x0102
#define OP_UNSHARE_TIME 0x0103
#define OP_CREATE_NAMESPACES 0x0104
#define OP_WRITE_ID_MAPS 0x0105

struct helper g = { .chan = -1, .fifo = -1, .console = -1, .status = -1, .rootfd = -1,
                    .child = -1 };

extern const struct op namespace_ops[], mount_ops[], path_ops[], console_ops[], hook_ops[],
    process_ops[], notify_ops[];

const struct op *find_op(uint16_t code)
{
    const struct op *tables[] = { namespace_ops, mount_ops, path_ops, console_ops, hook_ops,
                                  process_ops, notify_ops };
    for (size_t t = 0; t < sizeof tables / sizeof *tables; t++)
        for (const struct op *o = tables[t]; o->fn; o++)
            if (o->code == code)
                return o;
    return NULL;
}

/* Reads the whole plan with g.run unset: nothing is executed unless every record is valid. */
static struct record *check_plan(const uint8_t *plan, uint32_t size, uint32_t *count)
{
    static const char magic[8] = "JCTRPLAN";
    struct cur c = { plan, size, 0 };
    uint8_t m[8];
    for (int i = 0; i < 8; i++)
        m[i] = rd_u8(&c);
    if (!plan_error[0] && memcmp(m, magic, 8) != 0)
        snprintf(plan_error, sizeof plan_error, "launch plan: bad magic");
    uint8_t version = rd_u8(&c);
    if (version != 1)
        rd_fail(&c, "unsupported version %u", version);
    uint32_t n = rd_count(&c, 6);
    struct record *r = calloc(n + 1, sizeof *r);
    if (!r)
        abort();
    for (uint32_t i = 0; i < n && !plan_error[0]; i++) {
        uint16_t code = rd_u16(&c);
        r[i].op = find_op(code);
        if (!plan_error[0] && !r[i].op)
            rd_fail(&c, "unknown opcode 0x%x", code);
        int32_t length = rd_i32(&c);
        if (!plan_error[0] && length < 0)
            rd_fail(&c, "truncated: need %d bytes, %u left", length, c.left);
        r[i].payload = rd_slice(&c, (uint32_t)length);
        if (plan_error[0])
            break;
        struct cur p = r[i].payload;
        r[i].op->fn(&p);
        if (!plan_error[0] && p.left)
            rd_fail(&p, "%u unexpected trailing bytes", p.left);
    }
    if (!plan_error[0] && c.left)
        rd_fail(&c, "%u unexpected trailing bytes", c.left);
    if (plan_error[0])
        fail(plan_error);
    *count = n;
    return r;
}

static void run_record(struct record *r)
{
    struct cur p = r->payload;
    r->op->fn(&p);
}

static void describe(int st, char *buf, size_t len)
{
    if (WIFSIGNALED(st))
        snprintf(buf, len, "killed by signal %d", WTERMSIG(st));
    else
        snprintf(buf, len, "exited with status %d", WEXITSTATUS(st));
}

static void forward_signals(int sfd)
{
    struct signalfd_siginfo si;
    while (read(sfd, &si, sizeof si) == sizeof si) {
        /* A relayed terminal takes our terminal's new size instead, as runc does. */
        if (si.ssi_signo == SIGWINCH && relay_resize())
            continue;
        if (si.ssi_signo != SIGCHLD)
            kill(g.child, (int)si.ssi_signo);
    }
}

static void __attribute__((noreturn)) exit_like(int st)
{
    relay_finish();
    _exit(WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st));
}

/* One status byte, and the descriptor that came with it (else -1). */
static ssize_t recv_status(int status, char *b, int *fd)
{
    struct iovec iov = { b, 1 };
    union {
        struct cmsghdr h;
        char buf[CMSG_SPACE(sizeof(int))];
    } u;
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
                          .msg_controllen = sizeof u.buf };
    ssize_t n = recvmsg(status, &msg, MSG_CMSG_CLOEXEC);
    struct cmsghdr *h = n == 1 ? CMSG_FIRSTHDR(&msg) : NULL;
    if (h && h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_RIGHTS)
        memcpy(fd, CMSG_DATA(h), sizeof *fd);
    return n;
}

/* The parent after the init is released: learns the outcome from the status socket ('c'
 * created, 'x' about to exec, 'f' failed, 'n' a seccomp listener for the agent, EOF at exec or death), then, in the foreground,
 * relays signals until the init exits. */
static void __attribute__((noreturn)) watch(int status)
{
    sigset_t all;
    sigfillset(&all);
    int sfd = signalfd(-1, &all, SFD_CLOEXEC | SFD_NONBLOCK);
    if (sfd < 0)
        die_errno("runtime", "signalfd");
    int created = 0, exec = 0, st;
    for (;;) {
        struct pollfd p[5] = { { status, POLLIN, 0 }, { sfd, POLLIN, 0 } };
        int np = 2 + relay_poll_fds(p + 2);
        if (poll(p, (nfds_t)np, -1) < 0)
            continue;
        if (p[1].revents)
            forward_signals(sfd);
        relay_events(p + 2, np - 2);
        if (!p[0].revents)
            continue;
        char b;
        int fd = -1;
        ssize_t n = recv_status(status, &b, &fd);
        if (n < 0 && errno == EINTR)
            continue;
        if (n == 1 && b == 'n') {
            listener_forward(status, fd);
            continue;
        }
        if (fd >= 0)
            close(fd);
        if (n == 1 && b == 'f') {
            kill(g.child, SIGKILL);
            waitpid(g.child, NULL, 0);
            relay_finish();
            _exit(1);
        }
        created |= n == 1 && b == 'c';
        exec |= n == 1 && b == 'x';
        if (n <= 0 || created)
            break;
    }
    if (!created && !exec) {
        char why[64];
        waitpid(g.child, &st, 0);
        describe(st, why, sizeof why);
        g.child = -1;
        die("process", "the container's init %s before it executed the program", why);
    }
    if (!g.foreground)
        _exit(0);
    close(g.chan);
    for (;;) {
        if (waitpid(g.child, &st, WNOHANG) == g.child)
            exit_like(st);
        struct pollfd p[4] = { { sfd, POLLIN, 0 } };
        int n = 1 + relay_poll_fds(p + 1);
        if (poll(p, (nfds_t)n, -1) < 0)
            continue;
        if (p[0].revents)
            forward_signals(sfd);
        relay_events(p + 1, n - 1);
    }
}

/* Creates the init. Returns in the init; the parent never returns. */
static void spawn_init(int64_t flags, struct record *rest, uint32_t left)
{
    int pair[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) < 0)
        die_errno("linux.namespaces", "socketpair");
    g.child = (pid_t)syscall(SYS_clone, (unsigned long)flags | SIGCHLD, 0, 0, 0, 0);
    if (g.child < 0)
        die_errno("linux.namespaces", "clone with flags 0x%llx", (unsigned long long)flags);
    if (g.child == 0) {
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        close(pair[0]);
        relay_init();
        g.init = 1;
        g.status = pair[1];
        listener_forget();
        if (receive_bind_sources(g.status) < 0)
            _exit(1);
        uint32_t len;
        g.state = recv_message('S', &len);
        if (!g.state)
            _exit(1);
        g.state_len = len;
        /* In a new or joined user namespace the init still has the host's ids, which are
         * unmapped there: files it created would fail with EOVERFLOW. Become its root. */
        if (((flags & CLONE_NEWUSER) || g.joined_user)
            && (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0))
            die_errno("linux.uidMappings", "become root of the user namespace");
        return;
    }
    close(pair[1]);
    relay_parent();
    send_line("pid %d", g.child);
    for (uint32_t i = 0; i < left && rest[i].op->code == OP_WRITE_ID_MAPS; i++)
        run_record(&rest[i]);
    /* The init, root of a new user namespace, may not reach a bind mount's source that we
     * can; as runc 1.1 (mountFds), we open the sources for it. */
    if ((flags & CLONE_NEWUSER) && (flags & CLONE_NEWNS) && geteuid() == 0)
        send_bind_sources(pair[0], g.child, rest, left);
    if (send(pair[0], "g", 1, MSG_NOSIGNAL) != 1)
        die_errno("process", "release the container's init");
    watch(pair[0]);
}

/* The message names the pid and the file, its reason in lower case: runc's (Go's) wording,
 * which tools and runc's own tests match on. */
static void join_cgroups(char **procs)
{
    char pid[16];
    int n = snprintf(pid, sizeof pid, "%d", getpid());
    for (; *procs; procs++) {
        if (try_write(*procs, pid, (size_t)n) < 0) {
            char reason[128];
            snprintf(reason, sizeof reason, "%s", strerror(errno));
            for (char *r = reason; *r; r++)
                *r = (char)tolower((unsigned char)*r);
            die("linux.cgroupsPath", "adding pid %s to cgroups: %s: %s", pid, *procs, reason);
        }
    }
}

static int connect_console(const char *path)
{
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    if (strlen(path) >= sizeof a.sun_path)
        die("process.terminal", "console socket path \"%s\" is too long", path);
    strcpy(a.sun_path, path);
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof a) < 0)
        die_errno("process.terminal", "connect to console socket \"%s\"", path);
    return s;
}

/* jctr-helper --check: validates a plan on stdin, for tests that compare with PlanDecoder. */
static int check_only(void)
{
    size_t size = 0, cap = 1 << 16;
    uint8_t *buf = malloc(cap);
    for (ssize_t n; buf; size += (size_t)n) {
        if (size == cap)
            buf = realloc(buf, cap *= 2);
        n = buf ? read(0, buf + size, cap - size) : -1;
        if (n <= 0)
            break;
    }
    if (!buf || size > UINT32_MAX)
        return 2;
    g.chan = 1;
    uint32_t n;
    check_plan(buf, (uint32_t)size, &n);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--check") == 0)
        return check_only();
    char *end = NULL;
    long chan = argc == 2 ? strtol(argv[1], &end, 10) : -1;
    if (chan < 3 || !end || *end || fcntl((int)chan, F_SETFD, FD_CLOEXEC) < 0) {
        dprintf(2, "usage: jctr-helper CHANNEL-FD (run by the jctr runtime)\n");
        return 2;
    }
    g.chan = (int)chan;
    /* Until the init is created, signals wait: the parent relays them to the init later. */
    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_SETMASK, &all, NULL);

    uint8_t head[4];
    if (read_full(g.chan, head, 4) < 0)
        return 1;
    uint32_t size = be32(head);
    uint8_t *msg = size <= 256u << 20 ? malloc(size) : NULL;
    if (!msg || read_full(g.chan, msg, size) < 0)
        die("runtime", "cannot read a launch message of %u bytes", size);
    struct cur c = { msg, size, 0 };
    uint8_t magic[8];
    for (int i = 0; i < 8; i++)
        magic[i] = rd_u8(&c);
    if (memcmp(magic, "JCTRLNCH", 8) != 0 || rd_u8(&c) != 1)
        die("runtime", "not a version 1 launch header");
    g.foreground = rd_bool(&c);
    g.preserve = rd_i32(&c);
    char *fifo = rd_str(&c);
    uint8_t terminal = rd_u8(&c);
    char *console = rd_str(&c);
    g.rows = rd_u16(&c);
    g.cols = rd_u16(&c);
    char **cgroups = rd_strs(&c);
    uint32_t plan_size = rd_count(&c, 1);
    struct cur plan = rd_slice(&c, plan_size);
    if (plan_error[0] || c.left || g.preserve < 0 || terminal > 2 || (terminal == 1) != !!console[0]
        || (terminal == 2 && !g.foreground))
        die("runtime", "malformed launch header");

    uint32_t n;
    struct record *r = check_plan(plan.p, plan.left, &n);
    g.run = 1;

    /* In the host's mount namespace, before any is joined, as runc's runtime process. */
    listener_connect();
    open_joined_namespaces(r, n);
    join_cgroups(cgroups);
    if (terminal == 1)
        g.console = connect_console(console);
    else if (terminal == 2)
        g.console = relay_open();
    /* Opened here, while the host's root is still ours; reopened through /proc at start. */
    if (fifo[0] && (g.fifo = open(fifo, O_PATH | O_CLOEXEC)) < 0)
        die_errno("start", "open the exec FIFO \"%s\"", fifo);

    for (uint32_t i = 0; i < n; i++) {
        uint16_t code = r[i].op->code;
        /* Non-dumpable from the first namespace step on (after the oom score, which the
         * planner puts first for this reason): a process of a joined container must not
         * ptrace the init or open its /proc files and descriptors before the exec, which
         * makes it dumpable again (runc's CVE-2016-9962). */
        if (code != OP_SET_OOM_SCORE_ADJ && prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
            die_errno("process", "prctl PR_SET_DUMPABLE");
        if (!g.init && code == OP_CREATE_NAMESPACES) {
            struct cur p = r[i].payload;
            spawn_init(rd_i64(&p), r + i + 1, n - i - 1);
            continue;
        }
        if (!g.init && code != OP_SET_OOM_SCORE_ADJ && code != OP_JOIN_NAMESPACE
            && code != OP_UNSHARE_TIME)
            spawn_init(0, r + i, n - i); /* a joined pid or time namespace needs a fork */
        run_record(&r[i]);
    }
    die("process.args", "the launch plan ended without executing a program");
}

