/*
 * The streams a shim owns for a process, so that they outlive the daemon:
 *
 *  - an output FIFO is given to the process directly, and the shim keeps a read end of its
 *    own (as containerd's shim does): the process never gets EPIPE when the client's reader
 *    goes away, and a later reader gets what is buffered; a file:// log is opened for
 *    appending; nothing at all is /dev/null;
 *  - a stdin FIFO is relayed into a pipe (or, with a terminal, into the pty master). The
 *    process reads end-of-file when the client's writer closes its end (ctr's `echo hi | ctr
 *    run ... cat`, where no CloseIO comes) or at CloseIO, what the FIFO holds delivered first,
 *    as containerd's shim does. The shim holds no writer of its own: Linux reports POLLHUP on
 *    a FIFO's reader only once a writer has come and gone, so the FIFO is read only after poll
 *    said so, never before the client's writer has connected;
 *  - a terminal's master arrives on a console socket the shim listens on (the helper's, or
 *    runc's, --console-socket) and is relayed to the stdout path; after CloseIO the relay
 *    types ^D, as a user at the terminal would for end-of-file.
 */
#define _GNU_SOURCE
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

enum { IN_SRC = 1, IN_DST, CONSOLE, MASTER, OUT };

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

static int is_fifo(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISFIFO(st.st_mode);
}

/* An output stream: the descriptor to write to; a FIFO's read end goes to *hold. */
static int open_output(const char *path, int *hold, int nonblock)
{
    if (!*path)
        return open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (is_fifo(path)) {
        /* Our reader first: then opening the write end does not wait for the client's. */
        *hold = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
        if (*hold < 0)
            return -1;
        return open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY | (nonblock ? O_NONBLOCK : 0));
    }
    return open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0644);
}

/* A stdin FIFO to relay: its read end, read once poll has reported it (see above). */
static int open_input_fifo(struct group *g, const char *path)
{
    g->in_src = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    return g->in_src < 0 ? -1 : 0;
}

static int listen_console(struct group *g, const char *name)
{
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    if (strlen(name) >= sizeof a.sun_path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    strcpy(a.sun_path, name);
    snprintf(g->console_name, sizeof g->console_name, "%s", name);
    unlink(name);
    g->console = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (g->console < 0 || bind(g->console, (struct sockaddr *)&a, sizeof a) < 0
        || listen(g->console, 1) < 0)
        return -1;
    return 0;
}

int group_open(struct group *g, const char *in, const char *out, const char *err,
               const char *console, int fds[3], char *why, size_t why_len)
{
    const char *what = "stdin";
    const char *path = in;
    fds[0] = fds[1] = fds[2] = -1;
    g->terminal = console[0] != 0;
    if (g->terminal) {
        /* The program's stdio is the pty; the helper itself gets /dev/null. */
        what = "console socket";
        path = console;
        if (listen_console(g, console) < 0)
            goto failed;
        what = "stdin";
        path = in;
        if (*in && (is_fifo(in) ? open_input_fifo(g, in)
                                : (g->in_src = open(in, O_RDONLY | O_CLOEXEC | O_NOCTTY))) < 0)
            goto failed;
        what = "stdout";
        path = out;
        if (*out && (g->out = open_output(out, &g->holds[0], 1)) < 0)
            goto failed;
        for (int i = 0; i < 3; i++)
            if ((fds[i] = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0)
                goto failed;
        return 0;
    }
    if (!*in) {
        fds[0] = open("/dev/null", O_RDONLY | O_CLOEXEC);
    } else if (is_fifo(in)) {
        int p[2];
        if (open_input_fifo(g, in) < 0 || pipe2(p, O_CLOEXEC) < 0)
            goto failed;
        fds[0] = p[0];
        g->in_dst = p[1];
        fcntl(g->in_dst, F_SETFL, O_NONBLOCK);
    } else {
        fds[0] = open(in, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    }
    if (fds[0] < 0)
        goto failed;
    what = "stdout";
    path = out;
    if ((fds[1] = open_output(out, &g->holds[0], 0)) < 0)
        goto failed;
    what = "stderr";
    path = err;
    if ((fds[2] = open_output(err, &g->holds[1], 0)) < 0)
        goto failed;
    return 0;
failed:
    snprintf(why, why_len, "%s %s: %s", what, path, strerror(errno));
    for (int i = 0; i < 3; i++)
        close_fd(&fds[i]);
    return -1;
}

void group_spawned(struct group *g, int fds[3])
{
    (void)g;
    for (int i = 0; i < 3; i++)
        close_fd(&fds[i]);
}

/* Ends the process's stdin: closes its pipe, or types ^D on its terminal. */
static void stdin_done(struct group *g)
{
    close_fd(&g->in_src);
    g->in.len = 0;
    if (g->terminal) {
        if (g->master >= 0 && write(g->master, "\4", 1) < 0)
            logmsg("type end-of-file on the terminal: %s", strerror(errno));
        g->in_dst = -1; /* it was the master, which stays */
    } else {
        close_fd(&g->in_dst);
    }
}

/* Moves stdin bytes along until something would block. */
static void pump_stdin(struct group *g)
{
    while (g->in_dst >= 0) {
        if (g->in.len) {
            ssize_t w = write(g->in_dst, g->in.data + g->in.off, g->in.len);
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0 && errno == EAGAIN)
                return;
            if (w < 0) {
                stdin_done(g); /* nobody reads the process's stdin any more */
                return;
            }
            g->in.off += (size_t)w;
            g->in.len -= (size_t)w;
            continue;
        }
        if (g->in_src < 0)
            return;
        if (!g->in_ready && !g->in_closing)
            return; /* a read before the client's writer came would be end-of-file */
        ssize_t r = read(g->in_src, g->in.data, sizeof g->in.data);
        if (r < 0 && errno == EINTR)
            continue;
        if (r > 0) {
            g->in.off = 0;
            g->in.len = (size_t)r;
            continue;
        }
        if (r < 0 && errno == EAGAIN && !g->in_closing)
            return;
        stdin_done(g); /* end of the FIFO, or CloseIO and nothing more in it */
        return;
    }
}

static void master_done(struct group *g)
{
    if (g->terminal && g->in_dst == g->master)
        g->in_dst = -1;
    close_fd(&g->in_src);
    close_fd(&g->master);
    close_fd(&g->out);
}

/* Terminal output: 1 while it may go on, 0 once the terminal is gone. */
static int pump_out(struct group *g)
{
    for (;;) {
        if (g->outb.len) {
            if (g->out < 0) {
                g->outb.len = 0; /* no stdout: discarded */
                continue;
            }
            ssize_t w = write(g->out, g->outb.data + g->outb.off, g->outb.len);
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0 && errno == EAGAIN)
                return 1;
            if (w < 0) {
                g->outb.len = 0;
                close_fd(&g->out);
                continue;
            }
            g->outb.off += (size_t)w;
            g->outb.len -= (size_t)w;
            continue;
        }
        if (g->master < 0)
            return 0;
        ssize_t r = read(g->master, g->outb.data, sizeof g->outb.data);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 && errno == EAGAIN)
            return 1;
        if (r <= 0) {
            master_done(g); /* EIO: every holder of the terminal is gone */
            return 0;
        }
        g->outb.off = 0;
        g->outb.len = (size_t)r;
    }
}

static void receive_master(struct group *g)
{
    int conn = accept4(g->console, NULL, NULL, SOCK_CLOEXEC);
    if (conn < 0)
        return;
    char name[64];
    struct iovec iov = { name, sizeof name };
    union {
        struct cmsghdr h;
        char buf[CMSG_SPACE(sizeof(int))];
    } u;
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
                        .msg_controllen = sizeof u.buf };
    struct pollfd p = { conn, POLLIN, 0 };
    int fd = -1;
    if (poll(&p, 1, 5000) == 1 && recvmsg(conn, &m, MSG_CMSG_CLOEXEC) > 0) {
        struct cmsghdr *h = CMSG_FIRSTHDR(&m);
        if (h && h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_RIGHTS)
            memcpy(&fd, CMSG_DATA(h), sizeof fd);
    }
    close(conn);
    if (fd < 0) {
        logmsg("console socket %s: no terminal received", g->console_name);
        return;
    }
    close_fd(&g->console);
    unlink(g->console_name);
    g->master = fd;
    fcntl(fd, F_SETFL, O_NONBLOCK);
    /* The pty keeps its ONLCR: the client (ctr -t) puts its own terminal in raw mode. */
    if (g->cols && g->rows)
        group_resize(g, g->cols, g->rows);
    if (g->in_src >= 0) {
        g->in_dst = fd;
        if (g->in_closing)
            pump_stdin(g); /* CloseIO came first */
    }
}

int group_poll(struct group *g, struct pollfd *p, int *roles)
{
    int n = 0;
#define ADD(fd_, ev_, role_) (p[n] = (struct pollfd){ (fd_), (ev_), 0 }, roles[n++] = (role_))
    if (g->console >= 0)
        ADD(g->console, POLLIN, CONSOLE);
    if (g->in_src >= 0 && g->in_dst >= 0 && !g->in.len)
        ADD(g->in_src, POLLIN, IN_SRC);
    /* Always watched, for POLLERR once the process's end is closed. */
    if (!g->terminal && g->in_dst >= 0)
        ADD(g->in_dst, g->in.len ? POLLOUT : 0, IN_DST);
    if (g->terminal && g->in_dst >= 0 && g->in.len)
        ADD(g->in_dst, POLLOUT, IN_DST);
    if (g->master >= 0 && !g->outb.len)
        ADD(g->master, POLLIN, MASTER);
    if (g->out >= 0 && g->outb.len)
        ADD(g->out, POLLOUT, OUT);
#undef ADD
    return n;
}

void group_event(struct group *g, int role, short revents)
{
    switch (role) {
    case CONSOLE:
        receive_master(g);
        break;
    case IN_SRC:
        g->in_ready = 1;
        pump_stdin(g);
        break;
    case IN_DST:
        if (!g->in.len && (revents & (POLLERR | POLLHUP)))
            stdin_done(g);
        else
            pump_stdin(g);
        break;
    case MASTER:
    case OUT:
        pump_out(g);
        break;
    }
}

void group_close_stdin(struct group *g)
{
    g->in_closing = 1;
    if (g->in_src < 0 && !g->terminal) {
        close_fd(&g->in_dst);
        return;
    }
    if (g->in_dst >= 0)
        pump_stdin(g);
}

int group_resize(struct group *g, uint16_t cols, uint16_t rows)
{
    if (g->master < 0) {
        /* Not here yet (or gone): applied when it arrives. */
        g->cols = cols;
        g->rows = rows;
        return 0;
    }
    struct winsize ws = { .ws_row = rows, .ws_col = cols };
    return ioctl(g->master, TIOCSWINSZ, &ws);
}

static long long now_millis(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void group_drain(struct group *g)
{
    /* A process of the container that keeps the terminal open (or busy) is not waited for
     * long: until the terminal is quiet for 200 ms, at most a second. */
    long long deadline = now_millis() + 1000;
    for (int quiet = 0; g->master >= 0 && quiet < 2 && now_millis() < deadline;) {
        struct pollfd p = g->outb.len ? (struct pollfd){ g->out, POLLOUT, 0 }
                                      : (struct pollfd){ g->master, POLLIN, 0 };
        int n = poll(&p, 1, 100);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            quiet++;
            continue;
        }
        quiet = 0;
        pump_out(g);
    }
}

void group_free(struct group *g)
{
    if (g->console >= 0)
        unlink(g->console_name);
    close_fd(&g->console);
    if (g->in_dst == g->master)
        g->in_dst = -1;
    close_fd(&g->in_src);
    close_fd(&g->in_dst);
    close_fd(&g->master);
    close_fd(&g->out);
    close_fd(&g->holds[0]);
    close_fd(&g->holds[1]);
    free(g);
}
