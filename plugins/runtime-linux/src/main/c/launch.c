/*
 * The helper's processes. The runtime starts it with the channel's descriptor number as its
 * only argument; fds 0-2 are the container's stdio and 3..3+N-1 the preserved descriptors.
 *
 * Channel, runtime -> helper: one launch message (u32 length, then the header and the plan),
 * then messages of kind u8, length u32, bytes: 'S' the state JSON (sent once, after "pid"),
 * 'C' continue and 'A' abort (the answers to a sync). Helper -> runtime: text lines "pid N",
 * "sync N", "created", "error <message>". EOF without an error means the program was executed.
 *
 * The process the runtime spawned (the parent) joins the cgroups and namespaces, creates the
 * init with one clone(2), writes its id maps, then only watches it; the init performs the
 * rest of the plan. Detached, the parent exits once the init reported "created" or executed
 * the program, so that the init is re-parented to the runtime's subreaper; in the foreground
 * it forwards signals to the init and exits with its status.
 */
#define _GNU_SOURCE
#include "helper.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
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

struct helper g = { .chan = -1, .fifo = -1, .console = -1, .status = -1, .rootfd = -1 };
static pid_t child = -1;
static int joined_user; /* the plan joined a user namespace */

static void send_all(const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = send(g.chan, buf, len, MSG_NOSIGNAL);
        if (n < 0 && errno == ENOTSOCK) /* --check writes to stdout */
            n = write(g.chan, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        buf += n;
        len -= (size_t)n;
    }
}

void send_line(const char *fmt, ...)
{
    char line[4096];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n > sizeof line - 2)
        n = sizeof line - 2;
    line[n++] = '\n';
    send_all(line, (size_t)n);
}

static int read_full(int fd, void *buf, size_t len)
{
    char *p = buf;
    while (len > 0) {
        ssize_t n = read(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static uint32_t be32(const uint8_t *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* The next runtime message, which must be of kind; NULL when the channel is closed. */
char *recv_message(char kind, uint32_t *len)
{
    uint8_t head[5];
    if (read_full(g.chan, head, sizeof head) < 0)
        return NULL;
    *len = be32(head + 1);
    if (*len > 64u << 20)
        die("runtime", "message of %u bytes is too long", *len);
    char *m = malloc(*len + 1);
    if (!m || read_full(g.chan, m, *len) < 0)
        return NULL;
    m[*len] = 0;
    if (head[0] != (uint8_t)kind && head[0] != 'A')
        die("runtime", "unexpected message '%c'", head[0]);
    if (head[0] == 'A') {
        /* The runtime gave up (a hook of its own failed) and knows why: leave quietly. */
        send(g.status, "f", 1, MSG_NOSIGNAL);
        _exit(1);
    }
    return m;
}

static void __attribute__((noreturn)) fail(const char *line)
{
    if (g.created)
        dprintf(2, "jctr-helper: %s\n", line);
    send_line("error %s", line);
    if (g.init) {
        send(g.status, "f", 1, MSG_NOSIGNAL);
        _exit(1);
    }
    if (child > 0) {
        kill(child, SIGKILL);
        waitpid(child, NULL, 0);
    }
    _exit(1);
}

static void vdie(int err, const char *origin, const char *fmt, va_list ap)
{
    char what[3000], line[4000];
    vsnprintf(what, sizeof what, fmt, ap);
    if (err)
        snprintf(line, sizeof line, "%s: %s: %s", origin, what, strerror(err));
    else
        snprintf(line, sizeof line, "%s: %s", origin, what);
    fail(line);
}

void die(const char *origin, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vdie(0, origin, fmt, ap);
    va_end(ap);
    _exit(1);
}

void die_errno(const char *origin, const char *fmt, ...)
{
    int err = errno;
    va_list ap;
    va_start(ap, fmt);
    vdie(err, origin, fmt, ap);
    va_end(ap);
    _exit(1);
}

static void op_set_oom_score_adj(struct cur *c)
{
    int32_t value = rd_i32(c);
    if (!g.run)
        return;
    char buf[16];
    int n = snprintf(buf, sizeof buf, "%d", value);
    write_file("process.oomScoreAdj", "/proc/self/oom_score_adj", buf, (size_t)n);
}

static int known_namespace(int64_t flag)
{
    return flag == CLONE_NEWUSER || flag == CLONE_NEWIPC || flag == CLONE_NEWUTS
           || flag == CLONE_NEWNET || flag == CLONE_NEWPID || flag == CLONE_NEWNS
           || flag == CLONE_NEWCGROUP || flag == CLONE_NEWTIME;
}

static void op_join_namespace(struct cur *c)
{
    int64_t type = rd_i64(c);
    if (!known_namespace(type))
        rd_fail(c, "unknown namespace flag 0x%llx", (unsigned long long)type);
    char *path = rd_str(c);
    if (!g.run)
        return;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || setns(fd, (int)type) < 0)
        die_errno("linux.namespaces", "join \"%s\"", path);
    close(fd);
    joined_user |= type == CLONE_NEWUSER;
}

static void op_unshare_time(struct cur *c)
{
    uint32_t n = rd_count(c, 20);
    char lines[64][128];
    int count = 0;
    for (uint32_t i = 0; i < n; i++) {
        char *clock = rd_str(c);
        int64_t secs = rd_i64(c), nanos = rd_i64(c);
        if (i < 64)
            count = snprintf(lines[i], sizeof lines[i], "%s %lld %lld", clock, (long long)secs,
                             (long long)nanos) > 0 ? (int)i + 1 : count;
    }
    if (!g.run)
        return;
    if (unshare(CLONE_NEWTIME) < 0)
        die_errno("linux.timeOffsets", "unshare the time namespace");
    for (int i = 0; i < count; i++)
        write_file("linux.timeOffsets", "/proc/self/timens_offsets", lines[i], strlen(lines[i]));
}

static void op_create_namespaces(struct cur *c)
{
    rd_i64(c); /* the clone itself is run_plan's */
}

static char *map_text(struct cur *c)
{
    uint32_t n = rd_count(c, 12);
    char *text = calloc(n + 1, 36);
    if (!text)
        abort();
    size_t at = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t in = (uint32_t)rd_i32(c), out = (uint32_t)rd_i32(c), count = (uint32_t)rd_i32(c);
        at += (size_t)sprintf(text + at, "%u %u %u\n", in, out, count);
    }
    return text;
}

static void op_write_id_maps(struct cur *c)
{
    char *uids = map_text(c), *gids = map_text(c);
    int deny = rd_bool(c);
    if (!g.run || g.init)
        return;
    char path[64];
    if (deny) {
        snprintf(path, sizeof path, "/proc/%d/setgroups", child);
        write_file("linux.gidMappings", path, "deny", 4);
    }
    snprintf(path, sizeof path, "/proc/%d/uid_map", child);
    write_file("linux.uidMappings", path, uids, strlen(uids));
    snprintf(path, sizeof path, "/proc/%d/gid_map", child);
    write_file("linux.gidMappings", path, gids, strlen(gids));
}

static void op_bring_up_loopback(struct cur *c)
{
    (void)c;
    if (!g.run)
        return;
    struct ifreq ifr = { 0 };
    strcpy(ifr.ifr_name, "lo");
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
        die_errno("linux.namespaces", "read the flags of lo");
    ifr.ifr_flags |= IFF_UP;
    if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
        die_errno("linux.namespaces", "bring lo up");
    close(s);
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

static const struct op launch_ops[] = {
    { OP_SET_OOM_SCORE_ADJ, op_set_oom_score_adj },
    { OP_JOIN_NAMESPACE, op_join_namespace },
    { OP_UNSHARE_TIME, op_unshare_time },
    { OP_CREATE_NAMESPACES, op_create_namespaces },
    { OP_WRITE_ID_MAPS, op_write_id_maps },
    { 0x0106, op_bring_up_loopback },
    { 0x0402, op_sync },
    { 0, NULL },
};

extern const struct op mount_ops[], process_ops[];

const struct op *find_op(uint16_t code)
{
    const struct op *tables[] = { launch_ops, mount_ops, process_ops };
    for (size_t t = 0; t < 3; t++)
        for (const struct op *o = tables[t]; o->fn; o++)
            if (o->code == code)
                return o;
    return NULL;
}

struct record {
    const struct op *op;
    struct cur payload;
};

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
    while (read(sfd, &si, sizeof si) == sizeof si)
        if (si.ssi_signo != SIGCHLD)
            kill(child, (int)si.ssi_signo);
}

static void __attribute__((noreturn)) exit_like(int st)
{
    _exit(WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st));
}

/* The parent after the init is released: learns the outcome from the status socket ('c'
 * created, 'x' about to exec, 'f' failed, EOF at exec or death), then, in the foreground,
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
        struct pollfd p[2] = { { status, POLLIN, 0 }, { sfd, POLLIN, 0 } };
        if (poll(p, 2, -1) < 0)
            continue;
        if (p[1].revents)
            forward_signals(sfd);
        if (!p[0].revents)
            continue;
        char b;
        ssize_t n = read(status, &b, 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n == 1 && b == 'f') {
            kill(child, SIGKILL);
            waitpid(child, NULL, 0);
            _exit(1);
        }
        created |= n == 1 && b == 'c';
        exec |= n == 1 && b == 'x';
        if (n <= 0 || created)
            break;
    }
    if (!created && !exec) {
        char why[64];
        waitpid(child, &st, 0);
        describe(st, why, sizeof why);
        child = -1;
        die("process", "the container's init %s before it executed the program", why);
    }
    if (!g.foreground)
        _exit(0);
    close(g.chan);
    for (;;) {
        if (waitpid(child, &st, WNOHANG) == child)
            exit_like(st);
        struct pollfd p = { sfd, POLLIN, 0 };
        poll(&p, 1, -1);
        forward_signals(sfd);
    }
}

/* Creates the init. Returns in the init; the parent never returns. */
static void spawn_init(int64_t flags, struct record *rest, uint32_t left)
{
    int pair[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) < 0)
        die_errno("linux.namespaces", "socketpair");
    child = (pid_t)syscall(SYS_clone, (unsigned long)flags | SIGCHLD, 0, 0, 0, 0);
    if (child < 0)
        die_errno("linux.namespaces", "clone with flags 0x%llx", (unsigned long long)flags);
    if (child == 0) {
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        close(pair[0]);
        g.init = 1;
        g.status = pair[1];
        char go;
        if (read_full(g.status, &go, 1) < 0)
            _exit(1);
        uint32_t len;
        g.state = recv_message('S', &len);
        if (!g.state)
            _exit(1);
        g.state_len = len;
        /* In a new or joined user namespace the init still has the host's ids, which are
         * unmapped there: files it created would fail with EOVERFLOW. Become its root. */
        if (((flags & CLONE_NEWUSER) || joined_user)
            && (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0))
            die_errno("linux.uidMappings", "become root of the user namespace");
        return;
    }
    close(pair[1]);
    send_line("pid %d", child);
    for (uint32_t i = 0; i < left && rest[i].op->code == OP_WRITE_ID_MAPS; i++)
        run_record(&rest[i]);
    if (send(pair[0], "g", 1, MSG_NOSIGNAL) != 1)
        die_errno("process", "release the container's init");
    watch(pair[0]);
}

static void join_cgroups(char **procs)
{
    char pid[16];
    int n = snprintf(pid, sizeof pid, "%d", getpid());
    for (; *procs; procs++)
        write_file("linux.cgroupsPath", *procs, pid, (size_t)n);
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
    char *fifo = rd_str(&c), *console = rd_str(&c);
    char **cgroups = rd_strs(&c);
    uint32_t plan_size = rd_count(&c, 1);
    struct cur plan = rd_slice(&c, plan_size);
    if (plan_error[0] || c.left || g.preserve < 0)
        die("runtime", "malformed launch header");

    uint32_t n;
    struct record *r = check_plan(plan.p, plan.left, &n);
    g.run = 1;

    join_cgroups(cgroups);
    if (console[0])
        g.console = connect_console(console);
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
