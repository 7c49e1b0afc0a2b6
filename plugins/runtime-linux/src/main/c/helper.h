/*
 * jctr-helper: executes a launch plan (PlanEncoder.java documents the format; each Step's
 * Javadoc says what a record does). The policy is decided in Java; this program only reads,
 * checks and carries out the records, in order, and reports the first failure.
 */
#ifndef JCTR_HELPER_H
#define JCTR_HELPER_H

#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>
#include <poll.h>

/* A bounded reader over the plan or one record's payload; offsets in messages count from the
 * start of either, as in PlanReader.java. */
struct cur {
    const uint8_t *p;
    uint32_t left;
    uint32_t at;
};

/* The first problem found while reading; once set, readers return zeros and empty values. */
extern char plan_error[256];

uint8_t rd_u8(struct cur *c);
uint16_t rd_u16(struct cur *c);
int32_t rd_i32(struct cur *c);
int64_t rd_i64(struct cur *c);
int rd_bool(struct cur *c);
uint32_t rd_count(struct cur *c, uint32_t min_size);
char *rd_str(struct cur *c);
char **rd_strs(struct cur *c);
int64_t *rd_longs(struct cur *c, uint32_t *n);
void rd_fail(struct cur *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
struct cur rd_slice(struct cur *c, uint32_t length);

/* Everything the records share while the plan runs. */
struct helper {
    int run;          /* 0 while validating: the record functions only read */
    int init;         /* this process is the container's init */
    int chan;         /* the runtime's channel */
    int preserve;     /* fds 3..3+preserve-1 pass to the program */
    int foreground;
    int fifo;         /* O_PATH of the exec FIFO, or -1 */
    int console;      /* where the init sends the pty master: the console socket or the
                         relay's socketpair end; -1: no terminal */
    uint16_t rows;    /* the pty's initial size (process.consoleSize), 0: unset */
    uint16_t cols;
    int status;       /* init: write end of the pipe the parent watches, or -1 */
    int rootfd;       /* the bound rootfs between BindRootfs and EnterRoot, else -1 */
    int pty_done;
    int created;      /* "created" was reported: the runtime no longer listens */
    pid_t child;      /* the parent: the init's pid */
    int joined_user;  /* the plan joined a user namespace */
    char **exec_argv; /* the plan's Exec, looked up before start (as runc does) */
    char **exec_env;
    char *state;      /* the container's state JSON, for hooks */
    uint32_t state_len;
};
extern struct helper g;

/* One record type: its number, the function that reads (and, when g.run, performs) it. */
struct op {
    uint16_t code;
    void (*fn)(struct cur *c);
};
const struct op *find_op(uint16_t code);

/* A checked record of the plan. */
struct record {
    const struct op *op;
    struct cur payload;
};

/* Reports line (fail) or "<origin>: <what>[: <errno text>]" to the runtime and exits. */
void fail(const char *line) __attribute__((noreturn));
void die(const char *origin, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 2, 3)));
void die_errno(const char *origin, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 2, 3)));

/* Channel messages (launch.c). */
void send_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *recv_message(char kind, uint32_t *len);
int read_full(int fd, void *buf, size_t len);
uint32_t be32(const uint8_t *b);

/* Things records of several files need. */
const char *resolve(const char *path, int *fd, char buf[32]);
int make_path(const char *path, int file);
void close_fd(int fd);
void setup_console(const char *bind_on);
void give_stdio_to(uid_t uid);
void send_bind_sources(int sock, pid_t child, const struct record *r, uint32_t n);
int receive_bind_sources(int sock);
void open_joined_namespaces(const struct record *r, uint32_t n);
/* Writes data to an existing file; -1 with errno set on failure. */
int try_write(const char *path, const char *data, size_t len);
void write_file(const char *origin, const char *path, const char *data, size_t len);
void wait_for_start(void);

/* The seccomp agent (notify.c), and sending a descriptor over a unix socket. */
int send_with_fd(int sock, const void *buf, size_t len, int fd);
void listener_connect(void);
void listener_forget(void);
void listener_handoff(int fd);
void listener_forward(int status, int fd);

/* The foreground parent's terminal relay (relay.c); all no-ops when there is none. */
int relay_open(void);
void relay_parent(void);
void relay_init(void);
void relay_wait(int sock);
int relay_poll_fds(struct pollfd *p);
void relay_events(const struct pollfd *p, int n);
int relay_resize(void);
void relay_finish(void);

#define ORIGIN(o, fallback) ((o)[0] ? (o) : (fallback))

#endif
