package io.jctr.spi.runtime;

import java.util.Objects;

/**
 * The per-container choices containerd's runc runtime takes from its options
 * ({@code containerd.runc.v1.Options}, set by {@code ctr run --runc-binary}).
 *
 * @param binaryName an OCI runtime binary (runc's command line) to drive instead of the
 *                   runtime's own engine, e.g. {@code /usr/sbin/runc} or {@code crun}; {@code ""}
 *                   for the runtime's own engine. A runtime that cannot drive binaries rejects a
 *                   non-empty name with {@code INVALID_ARGUMENT} at {@link ContainerRuntime#create}
 * @param root       the state directory to pass that binary as {@code --root}; {@code ""} for the
 *                   runtime's choice
 */
public record RuntimeOptions(String binaryName, String root) {

    /** Normalises {@code null} members to {@code ""}. */
    public RuntimeOptions {
        binaryName = Objects.requireNonNullElse(binaryName, "");
        root = Objects.requireNonNullElse(root, "");
    }

    /** The runtime's own engine with its own state directory. */
    public static RuntimeOptions defaults() {
        return new RuntimeOptions("", "");
    }

    /** Whether an external OCI runtime binary is asked for. */
    public boolean usesBinary() {
        return !binaryName.isEmpty();
    }
}
