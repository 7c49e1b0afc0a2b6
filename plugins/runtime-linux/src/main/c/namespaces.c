/*
 * Namespace records (NamespaceStep.java). The parent performs those before CreateNamespaces
 * and WriteIdMaps (from the parent user namespace, as user_namespaces(7) requires); the init
 * the rest. The clone itself is launch.c's.
 */
#define _GNU_SOURCE
#include "helper.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

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

/* The JoinNamespace records' files, opened before the first is joined: once the mount
 * namespace is joined, "/proc/PID/ns/..." would be looked up in the container's /proc, where
 * PID is another process or none (as runc's nsexec, which also opens them all first). */
static struct {
    int *fds;
    uint32_t count, next;
} joins;

static void op_join_namespace(struct cur *c);

void open_joined_namespaces(const struct record *r, uint32_t n)
{
    joins.fds = calloc(n + 1, sizeof *joins.fds);
    if (!joins.fds)
        abort();
    for (uint32_t i = 0; i < n; i++) {
        if (r[i].op->fn != op_join_namespace)
            continue;
        struct cur p = r[i].payload;
        rd_i64(&p);
        char *path = rd_str(&p);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            die_errno("linux.namespaces", "join \"%s\"", path);
        joins.fds[joins.count++] = fd;
    }
}

static void op_join_namespace(struct cur *c)
{
    int64_t type = rd_i64(c);
    if (!known_namespace(type))
        rd_fail(c, "unknown namespace flag 0x%llx", (unsigned long long)type);
    char *path = rd_str(c);
    if (!g.run)
        return;
    if (joins.next >= joins.count)
        die("linux.namespaces", "join \"%s\": not opened in advance", path);
    int fd = joins.fds[joins.next++];
    if (setns(fd, (int)type) < 0)
        die_errno("linux.namespaces", "join \"%s\"", path);
    close(fd);
    g.joined_user |= type == CLONE_NEWUSER;
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
        snprintf(path, sizeof path, "/proc/%d/setgroups", g.child);
        write_file("linux.gidMappings", path, "deny", 4);
    }
    snprintf(path, sizeof path, "/proc/%d/uid_map", g.child);
    write_file("linux.uidMappings", path, uids, strlen(uids));
    snprintf(path, sizeof path, "/proc/%d/gid_map", g.child);
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

const struct op namespace_ops[] = {
    { 0x0101, op_set_oom_score_adj },
    { 0x0102, op_join_namespace },
    { 0x0103, op_unshare_time },
    { 0x0104, op_create_namespaces },
    { 0x0105, op_write_id_maps },
    { 0x0106, op_bring_up_loopback },
    { 0, NULL },
};
