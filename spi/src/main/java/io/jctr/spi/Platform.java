package io.jctr.spi;

import java.util.Objects;

/**
 * An OCI platform: operating system, CPU architecture and optional variant, in the OCI image
 * spec's vocabulary ({@code linux}, {@code amd64}, {@code v8}).
 *
 * @param os           operating system, never empty
 * @param architecture CPU architecture, never empty
 * @param variant      CPU variant, empty when none
 */
public record Platform(String os, String architecture, String variant) {

    public Platform {
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(architecture, "architecture");
        variant = variant == null ? "" : variant;
        if (os.isEmpty() || architecture.isEmpty()) {
            throw new IllegalArgumentException("platform needs an os and an architecture");
        }
    }

    /** The platform of the running JVM, with Java's architecture names mapped to OCI's. */
    public static Platform host() {
        String arch = System.getProperty("os.arch");
        String oci = switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            case "riscv64" -> "riscv64";
            default -> arch;
        };
        return new Platform(System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT), oci,
                "arm64".equals(oci) ? "v8" : "");
    }

    /** {@code os/architecture[/variant]}, as containerd prints platforms. */
    @Override
    public String toString() {
        return variant.isEmpty() ? os + "/" + architecture : os + "/" + architecture + "/" + variant;
    }
}
