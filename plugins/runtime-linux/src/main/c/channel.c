/*
 * The channel to the runtime, and failure reports. Runtime -> helper: one launch message
 * (u32 length, then the header and the plan, in the plan's encoding: "JCTRLNCH" version:u8=1
 * foreground:bool preserveFds:i32 execFifo:str terminal:u8 consoleSocket:str rows:u16
 * cols:u16 cgroupProcs:str[] plan:u32 length + bytes; an empty str means none; terminal: 0 none,
 * 1 sent to consoleSocket, 2 relayed by the foreground parent, relay.c), then messages of kind u8, length u32, bytes:
 * 'S' the state JSON (sent once, right after "pid"), 'C' continue and 'A' abort (the answers
 * at a sync point). Helper -> runtime: text lines "pid N", "sync N", "created",
 * "error <message>". EOF without an error means the program was executed.
 */
#define _GNU_SOURCE
#include "helper.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

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

int read_full(int fd, void *buf, size_t len)
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

uint32_t be32(const uint8_t *b)
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

void fail(const char *line)
{
    if (g.created)
        dprintf(2, "jctr-helper: %s\n", line);
    send_line("error %s", line);
    if (g.init) {
        send(g.status, "f", 1, MSG_NOSIGNAL);
        _exit(1);
    }
    if (g.child > 0) {
        kill(g.child, SIGKILL);
        waitpid(g.child, NULL, 0);
    }
    relay_finish();
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
