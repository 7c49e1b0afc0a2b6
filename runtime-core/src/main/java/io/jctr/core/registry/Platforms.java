package io.jctr.core.registry;

import io.jctr.spi.JctrException;
import io.jctr.spi.Platform;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Platform strings and matching as containerd's {@code platforms} package has them: parsing of
 * {@code os[/arch[/variant]]} or a bare architecture, normalisation of aliases
 * ({@code x86_64}, {@code aarch64}, {@code armhf}...), and the ordered list of platforms a
 * host runs, best first: {@code linux/arm/v7} also runs v6 and v5; {@code linux/arm64} (variant
 * v8, the default) also runs {@code linux/arm/v8} down to v5; {@code linux/amd64} also runs
 * {@code linux/386}.
 */
public final class Platforms {

    private Platforms() {
    }

    /** The host's platform, normalised. */
    public static Platform host() {
        return normalize(Platform.host());
    }

    /**
     * Parses {@code linux/arm64}, {@code linux/arm/v7}, {@code arm64} (os linux), {@code linux}
     * (the host's architecture).
     *
     * @throws JctrException INVALID_ARGUMENT for an empty or over-long specifier
     */
    public static Platform parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw JctrException.invalidArgument("invalid platform \"%s\": empty", spec);
        }
        String[] parts = spec.trim().toLowerCase(Locale.ROOT).split("/", -1);
        for (String p : parts) {
            if (p.isEmpty() || !p.matches("[a-z0-9_.-]+")) {
                throw JctrException.invalidArgument("invalid platform \"%s\": want os/arch[/variant]", spec);
            }
        }
        Platform host = host();
        Platform p = switch (parts.length) {
            case 1 -> isOs(parts[0]) ? new Platform(parts[0], host.architecture(), host.os().equals(parts[0]) ? host.variant() : "")
                    : new Platform("linux", parts[0], "");
            case 2 -> new Platform(parts[0], parts[1], "");
            case 3 -> new Platform(parts[0], parts[1], parts[2]);
            default -> throw JctrException.invalidArgument("invalid platform \"%s\": want os/arch[/variant]", spec);
        };
        return normalize(p);
    }

    private static boolean isOs(String s) {
        return List.of("linux", "windows", "darwin", "freebsd", "netbsd", "openbsd", "solaris", "illumos", "aix", "android", "ios")
                .contains(s);
    }

    /** Aliases to OCI names; arm64's variant is v8 unless given, arm's v7. */
    public static Platform normalize(Platform p) {
        String os = p.os().toLowerCase(Locale.ROOT);
        String arch = p.architecture().toLowerCase(Locale.ROOT);
        String variant = p.variant().toLowerCase(Locale.ROOT);
        switch (arch) {
            case "i386", "i686" -> {
                arch = "386";
                variant = "";
            }
            case "x86_64", "x86-64", "amd64" -> {
                arch = "amd64";
                if (variant.equals("v1")) {
                    variant = "";
                }
            }
            case "aarch64", "arm64" -> {
                arch = "arm64";
                if (variant.equals("8") || variant.equals("v8")) {
                    variant = "";
                }
            }
            case "armhf" -> {
                arch = "arm";
                variant = "v7";
            }
            case "armel" -> {
                arch = "arm";
                variant = "v6";
            }
            case "arm" -> {
                if (variant.isEmpty() || variant.equals("7")) {
                    variant = "v7";
                } else if (variant.matches("[5-8]")) {
                    variant = "v" + variant;
                }
            }
            default -> {
            }
        }
        return new Platform(os, arch, variant);
    }

    /** What a host of {@code platform} runs, best first. */
    public static List<Platform> compatible(Platform platform) {
        Platform p = normalize(platform);
        List<Platform> out = new ArrayList<>();
        out.add(p);
        switch (p.architecture()) {
            case "amd64" -> out.add(new Platform(p.os(), "386", ""));
            case "arm" -> {
                int v = armVersion(p.variant());
                for (int i = v - 1; i >= 5; i--) {
                    out.add(new Platform(p.os(), "arm", "v" + i));
                }
            }
            case "arm64" -> {
                if (p.variant().isEmpty()) {
                    for (int i = 8; i >= 5; i--) {
                        out.add(new Platform(p.os(), "arm", "v" + i));
                    }
                }
            }
            default -> {
            }
        }
        return out;
    }

    private static int armVersion(String variant) {
        try {
            return Integer.parseInt(variant.substring(1));
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /**
     * How well an image of platform {@code image} suits a host of {@code host}: 0 is an exact
     * match, higher is worse, -1 means it does not run there.
     */
    public static int rank(Platform host, Platform image) {
        return compatible(host).indexOf(normalize(image));
    }

    /** Whether {@code image} is exactly {@code wanted} after normalisation (for {@code --platform}). */
    public static boolean matches(Platform wanted, Platform image) {
        return rank(wanted, image) >= 0;
    }

    /** {@code os/arch[/variant]}. */
    public static String format(Platform p) {
        return p.toString();
    }
}
