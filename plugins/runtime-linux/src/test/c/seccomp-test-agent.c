/*
 * A seccomp agent for LaunchSeccompNotifyTest: seccomp-test-agent SOCKET JSON-OUT. Listens on
 * SOCKET, prints "listening", accepts one connection, writes the JSON it receives to JSON-OUT,
 * then answers the notifications of the descriptor that came with it: mkdir and mkdirat fail
 * with EMEDIUMTYPE, every other call continues.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc != 3)
        return 2;
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    strncpy(a.sun_path, argv[1], sizeof a.sun_path - 1);
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) < 0 || listen(s, 1) < 0)
        return perror("listen"), 1;
    printf("listening\n");
    fflush(stdout);
    int c = accept(s, NULL, NULL);
    if (c < 0)
        return perror("accept"), 1;
    char json[8192];
    union {
        struct cmsghdr h;
        char buf[CMSG_SPACE(sizeof(int))];
    } u;
    struct iovec iov = { json, sizeof json };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
                        .msg_controllen = sizeof u.buf };
    ssize_t n = recvmsg(c, &m, 0);
    struct cmsghdr *h = n > 0 ? CMSG_FIRSTHDR(&m) : NULL;
    if (!h || h->cmsg_type != SCM_RIGHTS)
        return fprintf(stderr, "no descriptor\n"), 1;
    int fd;
    memcpy(&fd, CMSG_DATA(h), sizeof fd);
    int out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0 || write(out, json, (size_t)n) != n || close(out) < 0)
        return perror("write"), 1;
    for (;;) {
        struct seccomp_notif req;
        struct seccomp_notif_resp resp;
        memset(&req, 0, sizeof req);
        if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
            if (errno == EINTR || errno == ENOENT)
                continue;
            return 0; /* the filter is gone */
        }
        memset(&resp, 0, sizeof resp);
        resp.id = req.id;
        if (req.data.nr == SYS_mkdir || req.data.nr == SYS_mkdirat)
            resp.error = -EMEDIUMTYPE;
        else
            resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
        ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
    }
}
