package io.jctr.plugins.runtime.linux.spec;

import java.util.Optional;

/**
 * The namespace types of {@code linux.namespaces[].type} with their {@code CLONE_NEW*} flags
 * ({@code <linux/sched.h>}). Declared in the order the runtime joins existing namespaces: the
 * user namespace first, so that joining the others is checked against the capabilities it
 * grants (runc's {@code configs.NamespaceTypes()} order).
 */
public enum NamespaceType {
    USER("user", 0x10000000L),
    IPC("ipc", 0x08000000L),
    UTS("uts", 0x04000000L),
    NETWORK("network", 0x40000000L),
    PID("pid", 0x20000000L),
    MOUNT("mount", 0x00020000L),
    CGROUP("cgroup", 0x02000000L),
    TIME("time", 0x00000080L);

    private final String specName;
    private final long cloneFlag;

    NamespaceType(String specName, long cloneFlag) {
        this.specName = specName;
        this.cloneFlag = cloneFlag;
    }

    /** The name in config.json. */
    public String specName() {
        return specName;
    }

    /** The {@code CLONE_NEW*} flag, also the {@code nstype} of {@code setns(2)}. */
    public long cloneFlag() {
        return cloneFlag;
    }

    /** The type named {@code name} in config.json, if any. */
    public static Optional<NamespaceType> bySpecName(String name) {
        for (NamespaceType t : values()) {
            if (t.specName.equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** The type whose flag is {@code flag}, if any. */
    public static Optional<NamespaceType> byCloneFlag(long flag) {
        for (NamespaceType t : values()) {
            if (t.cloneFlag == flag) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
