/**
 * Seccomp for the native runtime: {@link io.jctr.plugins.runtime.linux.seccomp.SeccompCompiler}
 * compiles a spec's {@code linux.seccomp} into a BPF program with libseccomp (through jnr-ffi);
 * the launch plan carries it as a {@code SetSeccomp} step and the C helper installs it with
 * seccomp(2).
 */
package io.jctr.plugins.runtime.linux.seccomp;
