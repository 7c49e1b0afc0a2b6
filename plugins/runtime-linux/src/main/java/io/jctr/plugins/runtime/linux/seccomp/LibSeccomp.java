package io.jctr.plugins.runtime.linux.seccomp;

import jnr.ffi.Pointer;

/**
 * The libseccomp 2.5 functions the compiler calls, bound by jnr-ffi from {@code libseccomp.so.2}
 * (the versioned name: the unversioned one exists only with the development package). Public only
 * because jnr-ffi implements it in a class loader of its own; not an API. {@code uint32_t}
 * values travel in an {@code int}'s bits. Functions returning {@code int} return 0 or a negative
 * errno.
 */
public interface LibSeccomp {

    /** {@code scmp_filter_ctx seccomp_init(uint32_t def_action)}; NULL on failure. */
    Pointer seccomp_init(int defaultAction);

    /** {@code void seccomp_release(scmp_filter_ctx ctx)}. */
    void seccomp_release(Pointer ctx);

    /** {@code int seccomp_attr_set(scmp_filter_ctx, enum scmp_filter_attr, uint32_t)}. */
    int seccomp_attr_set(Pointer ctx, int attribute, int value);

    /** {@code uint32_t seccomp_arch_resolve_name(const char *)}; 0 when unknown. */
    int seccomp_arch_resolve_name(String name);

    /** {@code uint32_t seccomp_arch_native(void)}. */
    int seccomp_arch_native();

    /** {@code int seccomp_arch_add(scmp_filter_ctx, uint32_t arch_token)}; -EEXIST if present. */
    int seccomp_arch_add(Pointer ctx, int archToken);

    /**
     * {@code int seccomp_syscall_resolve_name(const char *)}: the native number, a negative pseudo
     * number for a syscall of another architecture, or {@code __NR_SCMP_ERROR} (-1) when unknown.
     */
    int seccomp_syscall_resolve_name(String name);

    /**
     * {@code int seccomp_syscall_resolve_name_arch(uint32_t arch_token, const char *)}: the
     * number on that architecture (x32's with bit 30 set), a negative pseudo number for a
     * syscall it lacks, or -1 when unknown.
     */
    int seccomp_syscall_resolve_name_arch(int archToken, String name);

    /**
     * {@code int seccomp_rule_add_array(scmp_filter_ctx, uint32_t action, int syscall,
     * unsigned int arg_cnt, const struct scmp_arg_cmp *arg_array)}.
     */
    int seccomp_rule_add_array(Pointer ctx, int action, int syscall, int argCount, Pointer args);

    /** {@code int seccomp_export_bpf(const scmp_filter_ctx, int fd)}. */
    int seccomp_export_bpf(Pointer ctx, int fd);

    /**
     * {@code unsigned int seccomp_api_get(void)}: what the kernel and the library support
     * together; 3 adds SECCOMP_FILTER_FLAG_LOG, 4 SECCOMP_FILTER_FLAG_SPEC_ALLOW.
     */
    int seccomp_api_get();

    /** {@code const struct scmp_version *seccomp_version(void)}: three unsigned ints. */
    Pointer seccomp_version();
}
