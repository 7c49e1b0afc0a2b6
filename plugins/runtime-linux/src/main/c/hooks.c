/*
 * RunHooks (ProcessStep.java): each hook is forked from the init, in the container's
 * namespaces, with the state JSON on stdin and a deadline. createContainer hooks start in the
 * container's rootfs, as runc's do (it changes to the rootfs before running them), so that
 * a hook can use paths relative to it; startContainer hooks in process.cwd, which the init
 * already changed to.
 */
#define _GNU_SOURCE
#include "helper.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct hook {
    char *path;
    char **args;
    char **env;
    int32_t timeout;
};

static long long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Feeds the state to the hook's stdin while waiting for it to exit, so that neither a hook
 * that never reads nor one that never exits can hold the launch past its timeout. */
static void run_hook(const char *origin, struct hook *h, int dir)
{
    int in[2];
    if (pipe2(in, O_CLOEXEC) < 0)
        die_errno(origin, "pipe");
    pid_t pid = fork();
    if (pid < 0)
        die_errno(origin, "fork");
    if (pid == 0) {
        sigset_t none;
        sigemptyset(&none);
        signal(SIGPIPE, SIG_DFL);
        sigprocmask(SIG_SETMASK, &none, NULL);
        char *fallback[] = { h->path, NULL };
        if (dir >= 0 && fchdir(dir) < 0) {
            dprintf(2, "%s: chdir to the rootfs: %s\n", origin, strerror(errno));
            _exit(127);
        }
        if (dup2(in[0], 0) == 0)
            execve(h->path, h->args[0] ? h->args : fallback, h->env);
        dprintf(2, "%s: exec \"%s\": %s\n", origin, h->path, strerror(errno));
        _exit(127);
    }
    close(in[0]);
    fcntl(in[1], F_SETFL, O_NONBLOCK);
    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (pidfd < 0)
        die_errno(origin, "pidfd_open");
    long long deadline = h->timeout > 0 ? now_ms() + h->timeout * 1000LL : -1;
    uint32_t sent = 0;
    for (;;) {
        struct pollfd p[2] = { { pidfd, POLLIN, 0 }, { in[1], POLLOUT, 0 } };
        long long wait = deadline < 0 ? -1 : deadline - now_ms();
        if (deadline >= 0 && wait <= 0) {
            kill(pid, SIGKILL);
            waitpid(pid, NULL, 0);
            die(origin, "\"%s\" timed out after %d s", h->path, h->timeout);
        }
        int r = poll(p, in[1] >= 0 ? 2 : 1, (int)wait);
        if (r < 0 && errno != EINTR)
            die_errno(origin, "poll");
        if (r > 0 && p[1].revents && in[1] >= 0) {
            ssize_t n = p[1].revents & POLLOUT ? write(in[1], g.state + sent, g.state_len - sent) : -1;
            if (n > 0)
                sent += (uint32_t)n;
            if (n < 0 || sent == g.state_len) {
                close(in[1]);
                in[1] = -1;
            }
        }
        if (r > 0 && p[0].revents)
            break;
    }
    if (in[1] >= 0)
        close(in[1]);
    close(pidfd);
    int st;
    if (waitpid(pid, &st, 0) < 0)
        die_errno(origin, "wait for \"%s\"", h->path);
    /* "error running hook" and the signal's name, as runc words it (which tools match). */
    if (WIFSIGNALED(st)) {
        char name[64];
        snprintf(name, sizeof name, "%s", strsignal(WTERMSIG(st)));
        name[0] = (char)tolower((unsigned char)name[0]);
        die(origin, "error running hook \"%s\": killed by signal %d (%s)", h->path, WTERMSIG(st),
            name);
    }
    if (WEXITSTATUS(st) != 0)
        die(origin, "error running hook \"%s\": exited with status %d", h->path, WEXITSTATUS(st));
}

static void op_run_hooks(struct cur *c)
{
    uint8_t phase = rd_u8(c);
    if (phase < 1 || phase > 2)
        rd_fail(c, "unknown hook phase %u", phase);
    uint32_t n = rd_count(c, 16);
    struct hook *h = calloc(n + 1, sizeof *h);
    if (!h)
        abort();
    for (uint32_t i = 0; i < n; i++) {
        h[i].path = rd_str(c);
        h[i].args = rd_strs(c);
        h[i].env = rd_strs(c);
        h[i].timeout = rd_i32(c);
    }
    if (!g.run)
        return;
    /* A hook that stops reading its stdin must not kill the init with SIGPIPE. */
    signal(SIGPIPE, SIG_IGN);
    for (uint32_t i = 0; i < n; i++) {
        char origin[64];
        snprintf(origin, sizeof origin, "hooks.%s[%u]", phase == 1 ? "createContainer"
                 : "startContainer", i);
        run_hook(origin, &h[i], phase == 1 ? g.rootfd : -1);
    }
    signal(SIGPIPE, SIG_DFL);
}

const struct op hook_ops[] = {
    { 0x0403, op_run_hooks },
    { 0, NULL },
};
