/*
 * The seccomp agent (IdentityStep.SeccompListener): the parent connects to listenerPath before
 * it joins any namespace; the init passes the listener descriptor of its filter to the parent,
 * which sends it to the agent with runc's ContainerProcessState JSON (runc 1.1's procSeccomp).
 */
#define _GNU_SOURCE
#include "helper.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static char *listener_path, *listener_metadata, *oci_version;
static int listener = -1; /* the parent's connection to the agent */

/* Read with the plan: the parent needs the path before any record runs. */
static void op_seccomp_listener(struct cur *c)
{
    char *path = rd_str(c), *metadata = rd_str(c), *version = rd_str(c);
    if (g.run)
        return;
    listener_path = path;
    listener_metadata = metadata;
    oci_version = version;
}

void listener_connect(void)
{
    if (!listener_path)
        return;
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    if (strlen(listener_path) >= sizeof a.sun_path)
        die("linux.seccomp.listenerPath", "listener path \"%s\" is too long", listener_path);
    strcpy(a.sun_path, listener_path);
    listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listener < 0 || connect(listener, (struct sockaddr *)&a, sizeof a) < 0)
        die_errno("linux.seccomp.listenerPath", "failed to connect with seccomp agent specified "
                  "in the seccomp profile \"%s\"", listener_path);
}

/* The init does not keep the parent's connection. */
void listener_forget(void)
{
    close_fd(listener);
    listener = -1;
}

/* Sends buf with fd attached (SCM_RIGHTS); 0, or -1 with errno set. */
int send_with_fd(int sock, const void *buf, size_t len, int fd)
{
    struct iovec iov = { (void *)buf, len };
    union {
        struct cmsghdr h;
        char buf[CMSG_SPACE(sizeof(int))];
    } u;
    memset(&u, 0, sizeof u);
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
                          .msg_controllen = sizeof u.buf };
    struct cmsghdr *h = CMSG_FIRSTHDR(&msg);
    h->cmsg_level = SOL_SOCKET;
    h->cmsg_type = SCM_RIGHTS;
    h->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(h), &fd, sizeof fd);
    ssize_t n = sendmsg(sock, &msg, MSG_NOSIGNAL);
    if (n >= 0 && (size_t)n != len)
        errno = EMSGSIZE;
    return n >= 0 && (size_t)n == len ? 0 : -1;
}

/* The init, right after seccomp(2) returned the listener fd: hands it over and waits for the
 * parent. Only send/recv here: write may not be notified (the compiler refuses it), read may. */
void listener_handoff(int fd)
{
    uint8_t len[4] = { (uint8_t)(g.state_len >> 24), (uint8_t)(g.state_len >> 16),
                       (uint8_t)(g.state_len >> 8), (uint8_t)g.state_len };
    char ok = 0;
    if (send_with_fd(g.status, "n", 1, fd) < 0
        || send(g.status, len, 4, MSG_NOSIGNAL) != 4
        || send(g.status, g.state, g.state_len, MSG_NOSIGNAL) != (ssize_t)g.state_len
        || recv(g.status, &ok, 1, MSG_WAITALL) != 1 || ok != 'k')
        _exit(1); /* the parent reports why */
    close(fd);
}

static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            fprintf(f, "\\%c", ch);
        else if (ch < 0x20)
            fprintf(f, "\\u%04x", ch);
        else
            fputc(ch, f);
    }
    fputc('"', f);
}

/* The parent, on the init's 'n' with the listener fd: sends it to the agent, lets the init go on. */
void listener_forward(int status, int fd)
{
    uint8_t head[4];
    if (fd < 0)
        die("linux.seccomp", "the container's init sent no seccomp listener");
    if (read_full(status, head, 4) < 0)
        die("linux.seccomp", "the container's init did not send its state");
    uint32_t n = be32(head);
    char *state = n < 1u << 20 ? malloc(n + 1) : NULL;
    if (!state || read_full(status, state, n) < 0)
        die("linux.seccomp", "the container's init did not send its state");
    state[n] = 0;
    if (listener < 0)
        die("linux.seccomp.listenerPath", "listenerPath is not set");
    char *json = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&json, &len);
    if (!f)
        abort();
    fputs("{\"ociVersion\":", f);
    json_string(f, oci_version);
    fprintf(f, ",\"fds\":[\"seccompFd\"],\"pid\":%d,\"metadata\":", g.child);
    json_string(f, listener_metadata);
    fprintf(f, ",\"state\":%s}", n ? state : "null");
    fclose(f);
    if (send_with_fd(listener, json, len, fd) < 0)
        die_errno("linux.seccomp.listenerPath", "cannot send seccomp fd to \"%s\"", listener_path);
    close(fd);
    listener_forget();
    free(json);
    free(state);
    if (send(status, "k", 1, MSG_NOSIGNAL) != 1)
        die_errno("linux.seccomp", "resume the container's init");
}

const struct op notify_ops[] = {
    { 0x050b, op_seccomp_listener },
    { 0, NULL },
};
