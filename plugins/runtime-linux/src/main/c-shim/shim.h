/*
 * jctr-shim: one per task, started by the runtime (LinuxRuntime) at task create; it outlives
 * the daemon. shim.c describes the process and its protocol, stdio.c the streams it owns.
 */
#ifndef JCTR_SHIM_H
#define JCTR_SHIM_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define RELAY_BUF 4096

/* Bytes read from one descriptor and not yet written to the other. */
struct chunk {
    char data[RELAY_BUF];
    size_t len, off;
};

/* The streams of one spawned process and of the process that inherits them (a helper's
 * container init or exec'd program): what the shim holds and relays for them. */
struct group {
    struct group *next;
    pid_t spawned;      /* the process the shim forked */
    pid_t pid;          /* the process the runtime says the streams belong to; 0: not yet */
    int in_src;         /* the stdin FIFO (or file) relayed, or -1 */
    int in_dst;         /* the process's stdin pipe, or the pty master; -1 once closed */
    int in_closing;     /* CloseIO came: relay what is there, then end stdin */
    int in_ready;       /* poll reported the stdin FIFO: a writer has connected */
    struct chunk in;
    int terminal;
    int console;        /* listening for the pty master, or -1 */
    char console_name[108];
    int master;         /* the pty master, or -1 */
    int out;            /* where the terminal's output goes, or -1 */
    struct chunk outb;
    int holds[2];       /* read ends held on output FIFOs, so writers never get EPIPE */
    uint16_t cols, rows; /* a size asked for before the master arrived */
};

/* Opens the streams for a spawn; the child's 0-2 go to fds. 0, or -1 with a message. */
int group_open(struct group *g, const char *in, const char *out, const char *err,
               const char *console, int fds[3], char *why, size_t why_len);
/* After the fork: the parent's copies of the child's streams are closed. */
void group_spawned(struct group *g, int fds[3]);
/* Adds the group's descriptors to p (at most GROUP_FDS); roles[i] says which is which. */
#define GROUP_FDS 5
int group_poll(struct group *g, struct pollfd *p, int *roles);
void group_event(struct group *g, int role, short revents);
void group_close_stdin(struct group *g);
int group_resize(struct group *g, uint16_t cols, uint16_t rows);
/* Copies what the terminal still has to its output, for at most about a second. */
void group_drain(struct group *g);
void group_free(struct group *g);

void logmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
