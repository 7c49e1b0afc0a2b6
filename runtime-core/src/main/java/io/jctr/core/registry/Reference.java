package io.jctr.core.registry;

import io.jctr.spi.JctrException;
import java.util.regex.Pattern;

/**
 * An image reference in every form users type, normalised the way docker and containerd do:
 * {@code busybox} is {@code docker.io/library/busybox:latest}; {@code host:port/repo@sha256:...}
 * keeps its host; a tag and a digest may both be given ({@code repo:tag@sha256:...}, the digest
 * then decides what is pulled). Immutable.
 *
 * @param host       the registry as named ({@code docker.io}, {@code 127.0.0.1:5000})
 * @param repository the repository path ({@code library/busybox})
 * @param tag        the tag, empty when none was given and a digest was
 * @param digest     {@code sha256:<hex>}, or empty
 */
public record Reference(String host, String repository, String tag, String digest) {

    /** The registry docker.io stands for. */
    public static final String DOCKER_HUB = "docker.io";
    private static final int MAX_NAME = 255;
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern HOST = Pattern.compile(
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]{1,5})?");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

    /**
     * Parses {@code ref}.
     *
     * @throws JctrException INVALID_ARGUMENT naming the reference and what is wrong with it
     */
    public static Reference parse(String ref) {
        if (ref == null || ref.isEmpty()) {
            throw JctrException.invalidArgument("invalid reference \"\": empty");
        }
        String rest = ref;
        String digest = "";
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                throw bad(ref, digest.startsWith("sha256:") || !digest.contains(":")
                        ? "digest \"" + digest + "\" is not sha256:<64 lower-case hex digits>"
                        : "unsupported digest algorithm in \"" + digest + "\"");
            }
        }
        String host = DOCKER_HUB;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost") || !first.equals(first.toLowerCase(java.util.Locale.ROOT))) {
                host = first;
                rest = rest.substring(slash + 1);
                if (!HOST.matcher(host).matches()) {
                    throw bad(ref, "invalid registry host \"" + host + "\"");
                }
            }
        }
        String tag = "";
        int colon = rest.lastIndexOf(':');
        if (colon >= 0 && rest.indexOf('/', colon) < 0) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw bad(ref, "invalid tag \"" + tag + "\"");
            }
        }
        if (rest.isEmpty()) {
            throw bad(ref, "no repository name");
        }
        for (String c : rest.split("/", -1)) {
            if (!COMPONENT.matcher(c).matches()) {
                throw bad(ref, c.isEmpty() ? "empty path component" : c.equals(c.toLowerCase(java.util.Locale.ROOT))
                        ? "invalid path component \"" + c + "\"" : "repository name must be lower-case");
            }
        }
        String repository = host.equals(DOCKER_HUB) && !rest.contains("/") ? "library/" + rest : rest;
        if (host.length() + 1 + repository.length() > MAX_NAME) {
            throw bad(ref, "name longer than " + MAX_NAME + " characters");
        }
        if (tag.isEmpty() && digest.isEmpty()) {
            tag = "latest";
        }
        return new Reference(host, repository, tag, digest);
    }

    private static JctrException bad(String ref, String why) {
        return JctrException.invalidArgument("invalid reference \"%s\": %s", ref, why);
    }

    /** The host to connect to: docker.io's API lives at registry-1.docker.io. */
    public String endpoint() {
        return host.equals(DOCKER_HUB) ? "registry-1.docker.io" : host;
    }

    /** What the registry's manifest endpoint takes: the digest when there is one, else the tag. */
    public String object() {
        return digest.isEmpty() ? tag : digest;
    }

    /** {@code host/repository}, without tag or digest. */
    public String locator() {
        return host + "/" + repository;
    }

    /** The host as containerd's {@code containerd.io/distribution.source.<host>} label key has it: without a port. */
    public String sourceLabelHost() {
        if (host.startsWith("[")) {
            return host.substring(0, host.indexOf(']') + 1);
        }
        int colon = host.indexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    /** The same repository at another tag. */
    public Reference withTag(String newTag) {
        return new Reference(host, repository, newTag, "");
    }

    /** The normalised name, the image record's name: {@code docker.io/library/busybox:latest}. */
    @Override
    public String toString() {
        return locator() + (tag.isEmpty() ? "" : ":" + tag) + (digest.isEmpty() ? "" : "@" + digest);
    }
}
