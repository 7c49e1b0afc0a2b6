/*
 * Test-only: installs a BPF program the way the jctr helper does, then makes system calls and
 * reports what happened, one line each: "<call> ok <return value>" or "<call> errno <n>".
 *
 *   seccomp-probe FILTER FLAGS CALL...
 *   CALL: getpid | uname | mkdir:PATH | chdir:PATH | personality:HEX | unshare:HEX
 *         | getpid32 (x86-64 only: i386's getpid through int $0x80, seen as AUDIT_ARCH_I386)
 *         | nr:N (syscall number N with six zero arguments: clone3(NULL, 0) is EINVAL when it
 *           runs, a number the kernel lacks ENOSYS)
 *
 * FILTER holds struct sock_filter[] in host byte order; "-" installs none (in a container whose
 * runtime installed the filter already). Output uses write(2) and a stack
 * buffer only, so a profile needs no more than write and exit_group to let it report.
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

static unsigned char program[4096 * 8];

static void report(const char *call, long rc, int err) {
	char line[256];
	int n = rc < 0 ? snprintf(line, sizeof line, "%s errno %d\n", call, err)
		       : snprintf(line, sizeof line, "%s ok %ld\n", call, rc);
	if (write(1, line, (size_t) n) != n) {
		_exit(3);
	}
}

/* Installs the filter in FILE with FLAGS; 0, or 2 after reporting why not. */
static int install(const char *file, const char *flags_text) {
	FILE *f = fopen(file, "rb");
	if (f == NULL) {
		perror(file);
		return 2;
	}
	size_t len = fread(program, 1, sizeof program, f);
	fclose(f);
	struct sock_fprog prog = {.len = (unsigned short) (len / 8), .filter = (struct sock_filter *) program};
	unsigned long flags = strtoul(flags_text, NULL, 0);
	/* Unprivileged: no_new_privs makes installing a filter legal without CAP_SYS_ADMIN. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
		perror("prctl");
		return 2;
	}
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog) != 0) {
		perror("seccomp");
		return 2;
	}
	return 0;
}

int main(int argc, char **argv) {
	if (argc < 3) {
		fprintf(stderr, "usage: %s FILTER FLAGS CALL...\n", argv[0]);
		return 2;
	}
	if (strcmp(argv[1], "-") != 0 && install(argv[1], argv[2]) != 0) {
		return 2;
	}
	for (int i = 3; i < argc; i++) {
		char *call = argv[i];
		char *arg = strchr(call, ':');
		if (arg != NULL) {
			*arg++ = '\0';
		}
		struct utsname uts;
		long rc;
		if (strcmp(call, "getpid") == 0) {
			rc = syscall(SYS_getpid);
		} else if (strcmp(call, "uname") == 0) {
			rc = syscall(SYS_uname, &uts);
		} else if (strcmp(call, "mkdir") == 0) {
			rc = syscall(SYS_mkdir, arg, 0700);
		} else if (strcmp(call, "chdir") == 0) {
			rc = syscall(SYS_chdir, arg);
		} else if (strcmp(call, "personality") == 0) {
			rc = syscall(SYS_personality, strtoul(arg, NULL, 16));
		} else if (strcmp(call, "nr") == 0) {
			rc = syscall(strtol(arg, NULL, 0), 0L, 0L, 0L, 0L, 0L, 0L);
		} else if (strcmp(call, "unshare") == 0) {
			rc = syscall(SYS_unshare, strtoul(arg, NULL, 16));
#if defined(__x86_64__)
		} else if (strcmp(call, "getpid32") == 0) {
			long r;
			__asm__ volatile("int $0x80" : "=a"(r) : "a"(20L) : "memory");
			rc = r < 0 ? -1 : r;
			errno = r < 0 ? (int) -r : 0;
#endif
		} else {
			return 2;
		}
		report(call, rc, errno);
	}
	return 0;
}
