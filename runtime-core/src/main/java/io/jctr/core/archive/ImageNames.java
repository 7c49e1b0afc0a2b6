package io.jctr.core.archive;

import io.jctr.spi.JctrException;
import java.util.regex.Pattern;

/**
 * Docker-style image references: {@code busybox} is {@code docker.io/library/busybox:latest},
 * {@code 127.0.0.1:5000/busybox:1} stays as it is. The first path component is a registry host
 * when it contains a dot or a colon or is {@code localhost} (Docker's rule).
 */
final class ImageNames {

    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]+)?|\\[[0-9a-fA-F:]+\\](?::[0-9]+)?");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final String DOCKER_HUB = "docker.io";

    private ImageNames() {
    }

    /**
     * The fully qualified form of {@code ref}, with {@code :latest} added when it has neither tag
     * nor digest.
     *
     * @throws JctrException INVALID_ARGUMENT when {@code ref} is not a valid reference
     */
    static String normalize(String ref) {
        String rest = ref;
        String digest = "";
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                throw invalid(ref);
            }
        }
        String tag = "";
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw invalid(ref);
            }
        }
        String host = DOCKER_HUB;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                if (!HOST.matcher(first).matches()) {
                    throw invalid(ref);
                }
                host = first;
                rest = rest.substring(slash + 1);
            }
        }
        if (host.equals("index.docker.io")) {
            host = DOCKER_HUB;
        }
        for (String c : rest.split("/", -1)) {
            if (!COMPONENT.matcher(c).matches()) {
                throw invalid(ref);
            }
        }
        if (host.equals(DOCKER_HUB) && !rest.contains("/")) {
            rest = "library/" + rest;
        }
        if (tag.isEmpty() && digest.isEmpty()) {
            tag = "latest";
        }
        return host + "/" + rest + (tag.isEmpty() ? "" : ":" + tag) + (digest.isEmpty() ? "" : "@" + digest);
    }

    /** Docker's short form, as {@code docker save} writes RepoTags: {@code busybox:latest}. */
    static String familiar(String normalized) {
        String s = normalized;
        if (s.startsWith(DOCKER_HUB + "/library/") && s.indexOf('/', (DOCKER_HUB + "/library/").length()) < 0) {
            return s.substring((DOCKER_HUB + "/library/").length());
        }
        if (s.startsWith(DOCKER_HUB + "/")) {
            return s.substring(DOCKER_HUB.length() + 1);
        }
        return s;
    }

    /** The tag of a normalized name, or empty when it has none. */
    static String tag(String normalized) {
        String s = normalized;
        int at = s.indexOf('@');
        if (at >= 0) {
            s = s.substring(0, at);
        }
        int colon = s.lastIndexOf(':');
        return colon > s.lastIndexOf('/') ? s.substring(colon + 1) : "";
    }

    /** The repository (everything before tag and digest) of a normalized name. */
    static String repository(String normalized) {
        String s = normalized;
        int at = s.indexOf('@');
        if (at >= 0) {
            s = s.substring(0, at);
        }
        int colon = s.lastIndexOf(':');
        return colon > s.lastIndexOf('/') ? s.substring(0, colon) : s;
    }

    private static JctrException invalid(String ref) {
        return JctrException.invalidArgument("invalid image reference \"%s\"", ref);
    }
}
