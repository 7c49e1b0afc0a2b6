package io.jctr.core.archive;

import io.jctr.spi.JctrException;
import io.jctr.spi.Platform;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Which manifests of an index an import or export takes: all, or those of the requested
 * platforms ({@code os/arch[/variant]}), by default the host's. Architectures are normalised as
 * containerd does ({@code x86_64} is {@code amd64}, {@code aarch64} is {@code arm64}, whose
 * variant defaults to {@code v8}); a request without a variant accepts any variant.
 */
record PlatformFilter(boolean all, List<Platform> platforms, boolean explicit) implements Predicate<Platform> {

    PlatformFilter {
        platforms = List.copyOf(platforms);
    }

    static PlatformFilter allPlatforms() {
        return new PlatformFilter(true, List.of(), true);
    }

    /**
     * @param specs      {@code os/arch[/variant]} each; empty for the host's platform
     * @param everything every platform, whatever {@code specs} says
     */
    static PlatformFilter of(List<String> specs, boolean everything) {
        if (everything) {
            return allPlatforms();
        }
        if (specs.isEmpty()) {
            return new PlatformFilter(false, List.of(normalize(Platform.host())), false);
        }
        List<Platform> out = new ArrayList<>();
        for (String s : specs) {
            out.add(parse(s));
        }
        return new PlatformFilter(false, out, true);
    }

    /** @throws JctrException INVALID_ARGUMENT unless {@code spec} is {@code os/arch[/variant]} */
    static Platform parse(String spec) {
        String[] p = spec.toLowerCase(Locale.ROOT).split("/", -1);
        if (p.length < 2 || p.length > 3 || p[0].isEmpty() || p[1].isEmpty() || (p.length == 3 && p[2].isEmpty())) {
            throw JctrException.invalidArgument("invalid platform \"%s\": want os/architecture[/variant]", spec);
        }
        return normalize(new Platform(p[0], p[1], p.length == 3 ? p[2] : ""));
    }

    static Platform normalize(Platform p) {
        String arch = switch (p.architecture()) {
            case "x86_64", "x86-64" -> "amd64";
            case "aarch64" -> "arm64";
            case "i386", "i686" -> "386";
            default -> p.architecture();
        };
        String variant = p.variant();
        if (arch.equals("arm64") && variant.equals("v8")) {
            variant = "";
        }
        return new Platform(p.os(), arch, variant);
    }

    @Override
    public boolean test(Platform candidate) {
        if (all) {
            return true;
        }
        Platform c = normalize(candidate);
        return platforms.stream().anyMatch(p -> p.os().equals(c.os()) && p.architecture().equals(c.architecture())
                && (p.variant().isEmpty() || p.variant().equals(c.variant())));
    }

    @Override
    public String toString() {
        return all ? "all platforms" : String.join(", ", platforms.stream().map(Platform::toString).toList());
    }
}
