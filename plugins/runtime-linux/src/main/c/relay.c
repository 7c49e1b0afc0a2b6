/*
 * The terminal of a foreground process without a console socket (runc's tty.go): the parent
 * keeps the master and relays its own stdin to it and its output to its own stdout. The init
 * sends the master over a socketpair the parent made before the clone, just as it would to a
 * console socket, so the init's side is the same in both cases (console.c).
 *
 * While the relay runs, the parent's own terminal (stderr, stdout or stdin, whichever is one,
 * else /dev/tty; none at all is fine) is raw, so that keys reach the program unchanged, and its
 * size is the pty's, also after SIGWINCH; it is restored when the parent exits.
 */
#define _GNU_SOURCE
#include "helper.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

static struct {
    int sock;    /* the parent's end until the master arrives, else -1 */
    int master;  /* -1 before it arrives and after the slave side hung up */
    int in;      /* stdin, until it ends */
    int host;    /* our own terminal, or -1 */
    int raw;     /* host's settings were changed and saved */
    int relayed; /* the launch relays the terminal (parent and init) */
    struct termios saved;
} r = { -1, -1, 0, -1, 0, 0, { 0 } };

/* Before the clone: returns the init's end; the parent keeps the other. */
int relay_open(void)
{
    int pair[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) < 0)
        die_errno("process.terminal", "socketpair for the terminal relay");
    r.sock = pair[0];
    r.relayed = 1;
    return pair[1];
}

/* After the clone, in the parent: only the init sends on its end. */
void relay_parent(void)
{
    if (r.sock < 0)
        return;
    close(g.console);
    g.console = -1;
}

void relay_init(void)
{
    if (r.sock >= 0)
        close(r.sock);
    r.sock = -1;
}

static int recv_master(int sock)
{
    char name[64];
    struct iovec iov = { name, sizeof name };
    union {
        struct cmsghdr h;
        char buf[CMSG_SPACE(sizeof(int))];
    } u;
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
                          .msg_controllen = sizeof u.buf };
    if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) <= 0)
        return -1;
    struct cmsghdr *h = CMSG_FIRSTHDR(&msg);
    if (!h || h->cmsg_level != SOL_SOCKET || h->cmsg_type != SCM_RIGHTS
        || h->cmsg_len != CMSG_LEN(sizeof(int)))
        return -1;
    int fd;
    memcpy(&fd, CMSG_DATA(h), sizeof fd);
    return fd;
}

static int host_terminal(void)
{
    for (int fd = 2; fd >= 0; fd--)
        if (isatty(fd))
            return fd;
    /* All three redirected, but a controlling terminal is still ours. */
    return open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
}

/* In the init, after it sent the master: until the parent has set the relay up. */
void relay_wait(int sock)
{
    char ack;
    if (r.relayed)
        while (read(sock, &ack, 1) < 0 && errno == EINTR)
            ;
}

int relay_resize(void)
{
    if (r.master < 0)
        return r.sock >= 0;
    struct winsize ws;
    /* A 0x0 size (a pty nobody sized) would only undo process.consoleSize. */
    if (r.host >= 0 && ioctl(r.host, TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col)
        ioctl(r.master, TIOCSWINSZ, &ws);
    return 1;
}

static void start_relay(int master)
{
    r.master = master;
    struct termios t;
    /* Output as the program wrote it, "\n" not "\r\n": our own terminal, if any, adds the CR. */
    if (tcgetattr(master, &t) == 0) {
        t.c_oflag &= ~(tcflag_t)ONLCR;
        tcsetattr(master, TCSANOW, &t);
    }
    r.host = host_terminal();
    relay_resize();
    if (r.host >= 0 && tcgetattr(r.host, &r.saved) == 0) {
        t = r.saved;
        cfmakeraw(&t);
        /* Output processing stays on: it turns the program's "\n" into "\r\n" (as
         * containerd's console, which runc uses). */
        t.c_oflag |= OPOST;
        r.raw = tcsetattr(r.host, TCSANOW, &t) == 0;
    }
}

static int write_all(int fd, const char *b, ssize_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, b, (size_t)n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        b += w;
        n -= w;
    }
    return 0;
}

/* One read from the master to stdout; 0 once the slave side is gone (EIO). */
static int copy_out(void)
{
    char b[8192];
    ssize_t n = read(r.master, b, sizeof b);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return 1;
    if (n <= 0) {
        close(r.master);
        r.master = -1;
        return 0;
    }
    write_all(1, b, n);
    return 1;
}

/* stdin to the master. The write may block while the program reads nothing; runc's copy does
 * too, and its output keeps the program busy only until its buffer fills as well. */
static void copy_in(void)
{
    char b[8192];
    ssize_t n = read(r.in, b, sizeof b);
    if (n < 0 && errno == EINTR)
        return;
    if (n <= 0 || write_all(r.master, b, n) < 0)
        r.in = -1;
}

int relay_poll_fds(struct pollfd *p)
{
    int n = 0;
    if (r.sock >= 0)
        p[n++] = (struct pollfd){ r.sock, POLLIN, 0 };
    if (r.master >= 0)
        p[n++] = (struct pollfd){ r.master, POLLIN, 0 };
    if (r.master >= 0 && r.in >= 0)
        p[n++] = (struct pollfd){ r.in, POLLIN, 0 };
    return n;
}

void relay_events(const struct pollfd *p, int n)
{
    for (int i = 0; i < n; i++) {
        if (!p[i].revents)
            continue;
        if (p[i].fd == r.sock) {
            int master = recv_master(r.sock);
            if (master >= 0)
                start_relay(master);
            /* The init waits for this before it goes on: otherwise the program could write
             * before ONLCR is cleared (the runtime's start does not wait for us). */
            send(r.sock, "k", 1, MSG_NOSIGNAL);
            close(r.sock);
            r.sock = -1;
        } else if (p[i].fd == r.master) {
            copy_out();
        } else if (p[i].fd == r.in && r.master >= 0) {
            copy_in();
        }
    }
}

/* The program has exited: what it wrote is still in the pty; then our terminal as it was. A
 * process of the container that still holds the slave is not waited for beyond a pause. */
void relay_finish(void)
{
    while (r.master >= 0) {
        struct pollfd p = { r.master, POLLIN, 0 };
        if (poll(&p, 1, 200) <= 0 || !copy_out())
            break;
    }
    if (r.raw)
        tcsetattr(r.host, TCSANOW, &r.saved);
    r.raw = 0;
}
