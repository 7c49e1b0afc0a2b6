/*
 * The container's stdio in the new root (FilesystemStep.ReopenDevNull, BindConsole) and its
 * terminal, handed to the runtime's console socket as runc does.
 */
#define _GNU_SOURCE
#include "helper.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

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
    /* runc's message: the name of the device, with the master attached. */
    static const char name[] = "/dev/ptmx";
    if (send_with_fd(sock, name, sizeof name - 1, fd) < 0)
        die_errno("process.terminal", "send the terminal to the console socket");
}

/* The pty is created in the container (its devpts, after the root switch) so that the
 * program's terminal belongs to it, with the group devpts's gid= option gives (tty, 5, in
 * runc's default spec); SwitchUser gives it to the program's uid. The master goes to whoever
 * listens on the console socket, or to the relaying parent. */
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
    struct winsize ws = { .ws_row = g.rows, .ws_col = g.cols };
    if (g.rows && g.cols && ioctl(master, TIOCSWINSZ, &ws) < 0)
        die_errno("process.consoleSize", "resize /dev/pts/%d to %ux%u", n, g.rows, g.cols);
    if (bind_on) {
        char pts[32];
        snprintf(pts, sizeof pts, "/dev/pts/%d", n);
        if (make_path(bind_on, 1) < 0 || mount(pts, bind_on, NULL, MS_BIND, NULL) < 0)
            die_errno("process.terminal", "bind \"%s\" on \"%s\"", pts, bind_on);
    }
    send_fd(g.console, master);
    relay_wait(g.console);
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

/* runc's fixStdioPermissions: stdio (the terminal, say) changes hands to the user the program
 * runs as, so that it can use it; the group stays. /dev/null is left alone, and so is what
 * cannot be changed: a gid or owner unmapped in the user namespace, a read-only /dev. */
void give_stdio_to(uid_t uid)
{
    struct stat null, st;
    if (stat("/dev/null", &null) < 0)
        die_errno("process.user", "stat /dev/null");
    for (int fd = 0; fd <= 2; fd++) {
        if (fstat(fd, &st) < 0 || st.st_uid == uid
            || (S_ISCHR(st.st_mode) && st.st_rdev == null.st_rdev))
            continue;
        if (fchown(fd, uid, st.st_gid) < 0 && errno != EINVAL && errno != EPERM && errno != EROFS)
            die_errno("process.user", "chown stdio fd %d to uid %u", fd, uid);
    }
}

static void op_bind_console(struct cur *c)
{
    char *path = rd_str(c);
    if (g.run)
        setup_console(path);
}

const struct op console_ops[] = {
    { 0x0306, op_reopen_dev_null },
    { 0x0307, op_bind_console },
    { 0, NULL },
};
