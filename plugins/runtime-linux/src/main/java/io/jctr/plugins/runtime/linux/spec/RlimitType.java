package io.jctr.plugins.runtime.linux.spec;

import java.util.Optional;

/**
 * The resource limits of {@code process.rlimits[].type} with the kernel's resource numbers
 * ({@code <asm-generic/resource.h>}: x86, arm and most architectures; alpha, mips and sparc
 * number some differently and are not supported).
 */
public enum RlimitType {
    RLIMIT_CPU(0),
    RLIMIT_FSIZE(1),
    RLIMIT_DATA(2),
    RLIMIT_STACK(3),
    RLIMIT_CORE(4),
    RLIMIT_RSS(5),
    RLIMIT_NPROC(6),
    RLIMIT_NOFILE(7),
    RLIMIT_MEMLOCK(8),
    RLIMIT_AS(9),
    RLIMIT_LOCKS(10),
    RLIMIT_SIGPENDING(11),
    RLIMIT_MSGQUEUE(12),
    RLIMIT_NICE(13),
    RLIMIT_RTPRIO(14),
    RLIMIT_RTTIME(15);

    private final int resource;

    RlimitType(int resource) {
        this.resource = resource;
    }

    /** The {@code resource} argument of {@code setrlimit(2)}. */
    public int resource() {
        return resource;
    }

    /** The limit named {@code name}, if any. */
    public static Optional<RlimitType> byName(String name) {
        for (RlimitType t : values()) {
            if (t.name().equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
